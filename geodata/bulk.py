"""Province-scale point files as arrays: read coordinates without shapely objects, write CSV in chunks.

The batch ``coverage`` command reads millions of points (100 m population cells of a whole province). Going
through a GeoDataFrame costs one shapely object per point (seconds and gigabytes at 16.7 M points); here a
point layer is read as Arrow (pyogrio ``read_arrow``, only the columns asked for) and the WKB of each point
is decoded with numpy into two float64 arrays. A CSV with longitude/latitude columns is read with
``pyarrow.csv`` (multi-threaded) straight into arrays.

Only the plain cases take this path — GeoPackage / FlatGeobuf / GeoJSON / Shapefile files of 2-D points
(GDAL driver checked against the extension; ``/vsi`` paths refused), and UTF-8 CSV tables with one of the
coordinate column pairs of :data:`geodata.importing.readers.COORD_PAIRS` holding degrees. Anything else
(polygons, zipped shapefiles, XLSX, other encodings, blank or non-numeric coordinates) returns ``None`` and
the caller reads the file with the general, validating reader
(:func:`geodata.importing.readers.read_vector`), so answers never depend on the path taken.

This reader is for files the batch operator names on the command line: the web page's upload size cap
does not apply (the issue's province file is 1.2 GB).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyogrio

from geodata.atomic import atomic_path
from geodata.importing.readers import COORD_PAIRS
from geodata.importing.safety import file_error
from geodata.spreadsheet import safe_text

#: GDAL driver each suffix must be read with (a file claiming one format but sniffed as another is refused
#: from the fast path and left to the general reader's checks)
FAST_DRIVERS = {".gpkg": "GPKG", ".fgb": "FlatGeobuf", ".geojson": "GeoJSON", ".shp": "ESRI Shapefile"}
#: rows per chunk when writing CSV (bounded memory for the text being built)
CSV_CHUNK_ROWS = 1_000_000
_WKB_POINT_LE = 21  # 1 byte order + 4 type + 2 × 8 coordinates


@dataclass
class PointArrays:
    """A point layer as arrays.

    Attributes
    ----------
    x, y : numpy.ndarray
        float64 coordinates in the file's CRS, shape (n,) (longitude/latitude for degrees; always x = east).
    crs : str or None
        The file's CRS (e.g. ``"EPSG:4326"``); None when the file has none.
    attributes : pyarrow.Table
        The requested attribute columns in file order (no geometry), n rows.
    """

    x: np.ndarray
    y: np.ndarray
    crs: str | None
    attributes: pa.Table

    def __len__(self) -> int:
        """Return the number of points."""
        return len(self.x)


def read_points(path: str | Path, *, columns: list[str] | None = None) -> PointArrays | None:
    """Read a file of points into coordinate arrays and an Arrow attribute table, when it is a plain case.

    Parameters
    ----------
    path : str or Path
        The file (see the module docstring for the cases read here).
    columns : list of str, optional
        Attribute columns to read (missing ones are simply absent from the result); default all.

    Returns
    -------
    PointArrays or None
        The points, or None when the file is not one of the plain cases (the caller then uses the general
        reader, which also gives the clear message for broken files).

    Raises
    ------
    DataValidationError
        When the file does not exist.
    """
    path = Path(path)
    name = path.name
    if str(path).startswith("/vsi"):
        return None
    if not path.is_file():
        raise file_error(name, "file not found", "check the path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv_points(path, columns)
    driver = FAST_DRIVERS.get(suffix)
    if driver is None:
        return None
    try:
        with warnings.catch_warnings():  # GDAL's remarks on a misnamed file: the general reader explains it
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(path)
        if info.get("driver") != driver or info.get("geometry_type") not in ("Point", "Unknown"):
            return None
        if len(pyogrio.list_layers(path)) != 1:
            return None  # several layers: the general reader names them
        wanted = list(info["fields"]) if columns is None else [c for c in columns if c in set(info["fields"])]
        meta, table = pyogrio.read_arrow(path, columns=wanted)
    except Exception:  # noqa: BLE001 - GDAL raises many kinds; the general reader explains the problem
        return None
    geom_name = meta.get("geometry_name") or "wkb_geometry"
    if geom_name not in table.column_names:
        return None
    if table.num_rows == 0:
        return None  # the general reader says "the file has no features"
    xy = wkb_points_xy(table.column(geom_name))
    if xy is None:
        return None
    attrs = table.drop_columns([geom_name])
    if (
        meta.get("fid_column")
        and meta["fid_column"] in attrs.column_names
        and (columns is None or meta["fid_column"] not in columns)
    ):
        attrs = attrs.drop_columns([meta["fid_column"]])
    return PointArrays(xy[0], xy[1], meta.get("crs"), attrs)


def wkb_points_xy(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray] | None:
    """Decode a WKB column of 2-D points into x and y arrays, without shapely objects.

    Parameters
    ----------
    column : pyarrow.ChunkedArray
        Binary WKB geometries (as GDAL's Arrow stream gives them).

    Returns
    -------
    tuple of numpy.ndarray or None
        ``(x, y)`` float64, shape (n,); None when a value is not a 2-D point (null, empty, 3-D, another
        geometry type): the caller then uses the general reader.
    """
    n = len(column)
    x = np.empty(n, dtype=np.float64)
    y = np.empty(n, dtype=np.float64)
    at = 0
    for chunk in column.chunks:
        m = len(chunk)
        if m == 0:
            continue
        if chunk.null_count:
            return None
        off_type = np.int64 if pa.types.is_large_binary(chunk.type) else np.int32
        bufs = chunk.buffers()
        offsets = np.frombuffer(
            bufs[1], dtype=off_type, count=m + 1, offset=chunk.offset * off_type().itemsize
        )
        if not (np.diff(offsets) == _WKB_POINT_LE).all():
            return None
        raw = np.frombuffer(bufs[2], dtype=np.uint8, count=m * _WKB_POINT_LE, offset=int(offsets[0]))
        rec = raw.reshape(m, _WKB_POINT_LE)
        if not (rec[:, 0] == 1).all():  # little-endian only (GDAL writes that)
            return None
        gtype = rec[:, 1:5].copy().view("<u4").ravel()
        if not (gtype == 1).all():
            return None
        coords = rec[:, 5:].copy().view("<f8")
        x[at : at + m] = coords[:, 0]
        y[at : at + m] = coords[:, 1]
        at += m
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return None  # empty points: the general reader reports them
    return x, y


def _read_csv_points(path: Path, columns: list[str] | None) -> PointArrays | None:
    head = _head(path)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a cut multi-byte character at the end is fine
            return None
    try:
        table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(use_threads=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError):
        return None
    if table.num_rows == 0:
        return None
    temporal = [f.name for f in table.schema if pa.types.is_temporal(f.type)]
    if temporal:  # dates and times stay the text the user wrote (as the general reader keeps them)
        types = pacsv.ConvertOptions(column_types={name: pa.string() for name in temporal})
        table = pacsv.read_csv(path, convert_options=types)
    cols = {str(c).strip().lower(): c for c in table.column_names}
    for xname, yname in COORD_PAIRS:
        if xname.lower() in cols and yname.lower() in cols:
            xcol, ycol = table.column(cols[xname.lower()]), table.column(cols[yname.lower()])
            break
    else:
        return None
    if not (pa.types.is_floating(xcol.type) or pa.types.is_integer(xcol.type)):
        return None
    if not (pa.types.is_floating(ycol.type) or pa.types.is_integer(ycol.type)):
        return None
    if xcol.null_count or ycol.null_count:
        return None
    x = xcol.to_numpy().astype(np.float64, copy=False)
    y = ycol.to_numpy().astype(np.float64, copy=False)
    # the general reader keeps a guessed CRS of a table only when it is degrees: the fast path only takes
    # tables that are plainly longitude/latitude
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        return None
    if not ((np.abs(x) <= 180).all() and (np.abs(y) <= 90).all()):
        return None
    if columns is not None:
        table = table.select([c for c in table.column_names if c in set(columns)])
    return PointArrays(np.ascontiguousarray(x), np.ascontiguousarray(y), "EPSG:4326", table)


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1 << 20)


def _safe_column(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """Apply the formula guard of :func:`geodata.spreadsheet.safe_text` to a whole text column."""
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
        return col
    col = pc.replace_substring_regex(col, r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "")
    risky = pc.match_substring_regex(col, r"^[=+\-@\t\r]")
    return pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)


def write_csv_chunks(table: pa.Table, path: str | Path, *, chunk_rows: int = CSV_CHUNK_ROWS) -> None:
    """Write a table to CSV atomically, in chunks, formula-safe (as :func:`geodata.spreadsheet.write_csv`).

    Text cells and headers get the spreadsheet formula guard; booleans are written ``True``/``False`` and
    missing values as empty cells, as pandas writes them.

    Parameters
    ----------
    table : pyarrow.Table
        The table.
    path : str or Path
        The CSV file (UTF-8, header line, no index column); replaced only when writing succeeded.
    chunk_rows : int, default :data:`CSV_CHUNK_ROWS`
        Rows converted to text at a time.
    """
    names = [safe_text(c) for c in table.column_names]
    opts = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    header = ",".join(_quote(n) for n in names) + "\n"
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(header.encode("utf-8"))
            for start in range(0, max(table.num_rows, 1), chunk_rows):
                part = table.slice(start, chunk_rows)
                if part.num_rows == 0:
                    break
                cols = []
                for col in part.columns:
                    if pa.types.is_boolean(col.type):
                        col = pc.if_else(col, "True", "False")
                    cols.append(_safe_column(col))
                pacsv.write_csv(pa.table(cols, names=names), fh, write_options=opts)


def _quote(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text
