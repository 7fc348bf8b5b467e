"""Reading a user's file into a GeoDataFrame, safely, with clear errors.

Formats: GeoPackage, KML, File Geodatabase (a ``.gdb`` folder or a zipped one) and DXF (CAD; the CAD
layer of each entity is in the ``Layer`` field, used as the category column) — multi-layer sources
list their layers with feature counts and take a layer name —, zipped Shapefile and Shapefile (``.cpg``
honoured — names and code page numbers —, a ``.cpg`` that lies overridden, otherwise detected),
GeoJSON, CSV / TXT (UTF-8, UTF-16, GBK, Big5; comma, semicolon, tab or ``|`` delimiters; title rows
above the header skipped) and XLSX / XLS (a sheet name, or the first sheet with coordinates) with
coordinate columns (经度/纬度, lng/lat, lon/lat, x/y, X坐标/Y坐标, 横坐标/纵坐标, units in brackets
allowed: ``经度(°)``) holding numbers, degree-minute-second or degree-symbol strings — or a WKT column.

Every GDAL source is first checked against the driver allow-list of its suffix
(:func:`~geodata.importing.safety.check_content`, :func:`~geodata.importing.safety.check_driver`);
``/vsi…`` paths are refused; archives are extracted with a running decompressed-byte cap and read from
the extracted files. A file without a CRS gets the majority guess of
:func:`~geodata.importing.crsguess.guess_crs`, shown for confirmation (:attr:`ReadResult.crs_source` is
then ``"inferred"``), with the rows that do not fit it flagged (:attr:`ReadResult.bad_rows`);
:func:`read_vector` (batch commands) never keeps such a guess for a GIS file. Reading is vectorised:
linear in the number of rows.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geodata.errors import DataValidationError
from geodata.importing.crsguess import guess_crs
from geodata.importing.datum import datum_hint
from geodata.importing.encoding import SAMPLE_BYTES, decode_text, detect, shapefile_encoding
from geodata.importing.safety import (
    check_archive,
    check_content,
    check_driver,
    check_size,
    extract_archive,
    file_error,
    refuse_vsi,
    remove_tree,
)

COORD_PAIRS = (
    ("经度", "纬度"),
    ("經度", "緯度"),
    ("lng", "lat"),
    ("lon", "lat"),
    ("longitude", "latitude"),
    ("x", "y"),
    ("x坐标", "y坐标"),
    ("横坐标", "纵坐标"),
    ("东坐标", "北坐标"),
)
#: suffixes read as tables of coordinates (or WKT) rather than through GDAL
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")
#: rows searched for the header (below merged title rows)
HEADER_SCAN = 30
#: delimiters tried for text tables, in this order
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_BRACKETS = re.compile(r"[\(（\[【][^\)）\]】]*[\)）\]】]")
_DMS = re.compile(
    r"^\s*([NSEWnsew东西南北])?\s*([-+]?\d+(?:\.\d+)?)\s*(?:°|º|度|d|\s)?\s*"
    r"(?:(\d+(?:\.\d+)?)\s*(?:'|′|’|分|m)\s*)?(?:(\d+(?:\.\d+)?)\s*(?:\"|″|”|''|′′|秒|s)\s*)?"
    r"([NSEWnsew东西南北])?\s*$"
)


@dataclass
class ReadResult:
    """A user's file as read, with what the reader found out about it.

    Attributes
    ----------
    gdf : geopandas.GeoDataFrame
        The features, in the file's CRS or the inferred one.
    source : str
        The file name shown to the user.
    layers : list of str
        Layers of a multi-layer file (GeoPackage, KML, File Geodatabase, DXF).
    layer_counts : dict of str to int
        Features per layer (-1 when the driver cannot count without reading).
    layer_defaulted : bool
        The file has several layers and none was named: the first was read.
    sheets : list of str
        Sheets of a workbook.
    sheet_defaulted : bool
        No sheet was named and the coordinates were not on the first sheet: the first sheet holding
        coordinates was read.
    encoding : str or None
        Text encoding used (tables, shapefiles).
    crs_source : str
        ``"file"``, ``"inferred"`` (from coordinate ranges) or ``"user"``.
    crs_candidates : list of str
        Likely EPSG codes, best first, when the CRS was inferred.
    crs_ambiguous : bool
        Several candidates fit (Gauss-Krüger without zone prefix): no CRS was set; ask for one.
    bad_rows : dict of int to str
        Positional row → ``"swapped"`` (经纬度颠倒), ``"out_of_area"`` (超出研究范围) or
        ``"invalid"`` (坐标缺失/无效), the rows that do not fit the majority's coordinates.
    notes : list of str
        What the reader decided (encoding from .cpg, inferred CRS …).
    datum_hint : str or None
        ``"gcj02"`` / ``"bd09"`` when names suggest a Chinese web-map datum.
    """

    gdf: gpd.GeoDataFrame
    source: str
    layers: list[str] = field(default_factory=list)
    layer_counts: dict[str, int] = field(default_factory=dict)
    layer_defaulted: bool = False
    sheets: list[str] = field(default_factory=list)
    sheet_defaulted: bool = False
    encoding: str | None = None
    crs_source: str = "file"  # file | inferred | user
    crs_candidates: list[str] = field(default_factory=list)
    crs_ambiguous: bool = False
    bad_rows: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    datum_hint: str | None = None  # "gcj02" / "bd09" when names suggest it


def _suffix(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".gdb.zip"):
        return ".zip"
    return path.suffix.lower()


def read_any(
    path: str | Path,
    *,
    layer: str | None = None,
    sheet: str | None = None,
    max_bytes: int | None = None,
    source: str | None = None,
) -> ReadResult:
    """Read a user's file into a GeoDataFrame.

    Parameters
    ----------
    path : str or Path
        The file, or a ``.gdb`` folder (see the module docstring for formats).
    layer : str, optional
        Layer of a multi-layer file; default the first (:attr:`ReadResult.layer_defaulted` says so).
    sheet : str, optional
        Sheet of a workbook; default the first sheet with coordinate columns.
    max_bytes : int, optional
        Size cap in bytes: the web page passes its upload cap
        (:func:`~geodata.importing.safety.max_upload_bytes`); None (the CLI, local files) = no cap.
        Archives are limited by decompressed bytes either way.
    source : str, optional
        Name shown to the user and used for the datum hint (e.g. the original name of an upload
        stored under a hash name); default the file name.

    Returns
    -------
    ReadResult
        The features with what the reader found out (layers, CRS source and candidates, bad rows,
        encoding, notes).

    Raises
    ------
    DataValidationError
        With a clear message for unreadable, empty, oversized, unsafe or non-geographic files, an
        unknown layer or sheet.
    """
    refuse_vsi(str(path), source or Path(str(path)).name)
    path = Path(path)
    name = source or path.name
    check_size(path, max_bytes=max_bytes, name=name)
    suffix = _suffix(path)
    if suffix in TABLE_SUFFIXES:
        if suffix == ".xlsx":  # a workbook is a zip: refuse one that declares a bomb's size
            check_archive(path, max_bytes=max_bytes, name=name).close()
        return _read_table(path, name, sheet)
    if suffix == ".zip":
        return _read_zip(path, name, layer=layer, max_bytes=max_bytes)
    if suffix == ".shp":
        return _read_shapefile(path, name)
    return _finish(_read_gdal(path, name, suffix, layer))


def _cannot_read(name: str, exc: Exception) -> DataValidationError:
    return file_error(
        name,
        f"cannot be read as a geographic file ({type(exc).__name__})",
        "supported: GPKG, zipped SHP, GeoJSON, KML, File Geodatabase, DXF, CSV/XLSX with coordinates",
    )


def _read_gdal(
    path: Path,
    name: str,
    suffix: str,
    layer: str | None,
    *,
    encoding: str | None = None,
    notes: list[str] | None = None,
) -> ReadResult:
    check_content(path, suffix, name)
    try:
        listed = pyogrio.list_layers(path)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds for unreadable files
        raise _cannot_read(name, exc) from None
    spatial = [str(n) for n, g in listed if g is not None]
    layers = spatial or [str(n) for n, _ in listed]
    if not layers:
        raise file_error(name, "the file has no features")
    cad_layer = None
    if layer is not None and suffix == ".dxf" and layer not in layers:
        cad_layer, layer = layer, None  # a DXF has one GDAL layer; --layer names a CAD layer (field Layer)
    if layer is not None:
        refuse_vsi(layer, name)
        if layer not in layers:
            raise file_error(
                name,
                f"no layer named {layer!r}; the layers are: {', '.join(layers)}",
                "give --layer with one of them",
            )
    chosen = layer if layer is not None else layers[0]
    if suffix == ".dxf":
        encoding, note = _dxf_encoding(path)
        notes = [*(notes or []), *([note] if note else [])]
    try:
        if suffix == ".dxf":  # the DXF driver takes its text encoding from a setting, not a parameter
            pyogrio.set_gdal_config_options({"DXF_ENCODING": encoding})
            encoding = None
        info = pyogrio.read_info(path, layer=chosen, encoding=encoding)
        check_driver(str(info.get("driver")), suffix, name)
        counts = {}
        for n in layers:
            counts[n] = (
                int(info["features"])
                if n == chosen
                else int(pyogrio.read_info(path, layer=n, encoding=encoding)["features"])
            )
        gdf = pyogrio.read_dataframe(path, layer=chosen, encoding=encoding)
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _cannot_read(name, exc) from None
    finally:
        if suffix == ".dxf":
            pyogrio.set_gdal_config_options({"DXF_ENCODING": None})
    result = ReadResult(
        gdf=_require_geometry(gdf, name),
        source=name,
        layers=layers,
        layer_counts=counts,
        layer_defaulted=layer is None and len(layers) > 1,
        encoding=encoding,
        notes=list(notes or []),
    )
    if len(layers) > 1:
        result.notes.append(f"layer read: {chosen} (of {len(layers)} layers)")
    if suffix == ".dxf" and "Layer" in gdf.columns:
        _cad_layers(result, cad_layer, name)
    return result


def _cad_layers(result: ReadResult, cad_layer: str | None, name: str) -> None:
    """List a DXF's CAD layers (field ``Layer``) with counts; keep only ``cad_layer`` when given."""
    counts = result.gdf["Layer"].astype(str).value_counts(sort=False)
    result.layers = [str(n) for n in counts.index]
    result.layer_counts = {str(n): int(c) for n, c in counts.items()}
    result.layer_defaulted = False  # all entities are read; the CAD layer is their category
    if cad_layer is not None:
        if cad_layer not in result.layer_counts:
            raise file_error(
                name,
                f"no layer named {cad_layer!r}; the layers are: {', '.join(result.layers)}",
                "give --layer with one of them",
            )
        result.gdf = result.gdf[result.gdf["Layer"].astype(str) == cad_layer]
    result.notes.append("DXF: the CAD layer of each entity is in the field Layer (use it as the category)")


def _dxf_encoding(path: Path) -> tuple[str | None, str | None]:
    """Text encoding of a DXF from its bytes: CAD programs often declare ANSI_1252 over UTF-8 or GBK text."""
    sample = _head(path, 8 * SAMPLE_BYTES) or b""
    if sample.startswith(b"AutoCAD Binary DXF") or all(b < 128 for b in sample):
        return None, None
    cut = sample[: sample.rfind(b"\n") + 1] or sample
    if _utf8(cut):
        return "UTF-8", "DXF text read as UTF-8"
    if detect(cut, ("utf_8", "gb18030")) == "gb18030":
        return "CP936", "DXF text read as GBK"
    return None, None


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_zip(path: Path, name: str, *, layer: str | None, max_bytes: int | None) -> ReadResult:
    folder = Path(tempfile.mkdtemp(prefix="renewal-unzip-"))
    try:
        members = extract_archive(path, folder, max_bytes=max_bytes, name=name)
        shps = sorted(m for m in members if m.lower().endswith(".shp"))
        gdbs = sorted(
            {
                "/".join(m.split("/")[: i + 1])
                for m in members
                for i, part in enumerate(m.split("/")[:-1])
                if part.lower().endswith(".gdb")
            }
        )
        if shps:
            return _read_shapefile(folder / shps[0], name)
        if not gdbs and any(m.lower().endswith(".gdbtable") for m in members):
            # the contents of a .gdb folder zipped without the folder: put them back in one
            tables = next(m for m in members if m.lower().endswith(".gdbtable"))
            parent = (folder / tables).parent
            gdb = folder / "data.gdb"
            parent.rename(gdb) if parent != folder else _move_into(folder, gdb)
            gdbs = [gdb.relative_to(folder).as_posix()]
        if gdbs:
            return _finish(_read_gdal(folder / gdbs[0], name, ".gdb", layer))
        raise file_error(
            name,
            "no .shp file or .gdb folder inside the archive",
            "zip the .shp with its .dbf, .shx, .prj (and .cpg), or the .gdb folder",
        )
    finally:
        remove_tree(folder)


def _move_into(folder: Path, target: Path) -> None:
    items = list(folder.iterdir())
    target.mkdir()
    for item in items:
        item.rename(target / item.name)


def _sidecar(shp: Path, ext: str) -> Path | None:
    for f in shp.parent.iterdir():
        if f.stem == shp.stem and f.suffix.lower() == ext:
            return f
    return None


def _head(path: Path | None, n: int) -> bytes | None:
    if path is None:
        return None
    with open(path, "rb") as fh:
        return fh.read(n)


def _read_shapefile(shp: Path, name: str) -> ReadResult:
    cpg = _head(_sidecar(shp, ".cpg"), 256)
    dbf = _head(_sidecar(shp, ".dbf"), 8 * SAMPLE_BYTES)
    encoding, note = shapefile_encoding(cpg, dbf)
    return _finish(_read_gdal(shp, name, ".shp", None, encoding=encoding, notes=[note]))


def _normalise(col) -> str:
    text = _BRACKETS.sub("", str(col)).replace("°", "").strip().strip('"').strip().lower()
    return text


def coordinate_columns(columns) -> tuple[str, str] | tuple[str] | None:
    """Find the coordinate columns of a header (units in brackets and case ignored).

    Parameters
    ----------
    columns : iterable
        The header cells.

    Returns
    -------
    tuple or None
        ``(x column, y column)`` as written in the header (:data:`COORD_PAIRS`), ``(wkt column,)`` for a
        WKT column, or None.
    """
    cols = {}
    for c in columns:
        if c is None or (isinstance(c, float) and np.isnan(c)):
            continue
        cols.setdefault(_normalise(c), c)
    for xname, yname in COORD_PAIRS:
        if xname in cols and yname in cols:
            return cols[xname], cols[yname]
    for key in ("wkt", "geometry", "geom"):
        if key in cols:
            return (cols[key],)
    return None


def _find_header(lines: list[str]) -> tuple[int, str, bool]:
    for i, line in enumerate(lines[:HEADER_SCAN]):
        for sep in DELIMITERS:
            cells = line.split(sep)
            if len(cells) >= 2 and coordinate_columns(cells) is not None:
                return i, sep, True
    first = lines[0] if lines else ""
    sep = max(DELIMITERS, key=first.count)
    return 0, sep if first.count(sep) else ",", False


def _read_table(path: Path, name: str, sheet: str | None) -> ReadResult:
    notes: list[str] = []
    sheets: list[str] = []
    sheet_defaulted = False
    enc = None
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            xl = pd.ExcelFile(path)
            sheets = [str(s) for s in xl.sheet_names]
            if sheet is not None and sheet not in sheets:
                raise file_error(
                    name,
                    f"no sheet named {sheet!r}; the sheets are: {', '.join(sheets)}",
                    "give --sheet with one of them",
                )
            chosen, header = (sheet if sheet is not None else sheets[0]), 0
            for s in [sheet] if sheet is not None else sheets:
                top = xl.parse(s, header=None, nrows=HEADER_SCAN)
                rows = [i for i in range(len(top)) if coordinate_columns(list(top.iloc[i])) is not None]
                if rows:
                    chosen, header = s, rows[0]
                    break
            if chosen != sheets[0] and sheet is None:
                sheet_defaulted = True
                notes.append(
                    f"the coordinates are on sheet {chosen!r}, not on the first sheet; the sheets are: {', '.join(sheets)}"
                )
            df = xl.parse(chosen, header=header)
        else:
            df, enc, header, sep = _read_text_table(path.read_bytes(), name)
            if sep != ",":
                notes.append(f"columns separated by {_DELIMITER_NAMES[sep]}")
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas raises many kinds on malformed tables
        raise file_error(name, f"the table cannot be read ({type(exc).__name__})", "check the file") from None
    if header:
        notes.append(f"{header} title row(s) above the header skipped")
    gdf, more = _table_points(df, name)
    result = ReadResult(
        gdf=gdf,
        source=name,
        encoding=enc,
        crs_source="inferred",
        notes=notes + more,
        sheets=sheets,
        sheet_defaulted=sheet_defaulted,
    )
    return _finish(result, table=True)


def _read_text_table(raw: bytes, name: str) -> tuple[pd.DataFrame, str, int, str]:
    """Parse a text table straight from its bytes (no decoded copy of the whole text in memory).

    The codec is decided on the first :data:`~geodata.importing.encoding.SAMPLE_BYTES` (BOM, strict
    UTF-8, else detection); should a later byte contradict a UTF-8 guess, the whole text is detected.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _parse_text(*decode_text(raw, name))  # UTF-16 (rare, small): decode the whole text
    cut = raw[:SAMPLE_BYTES]
    if len(raw) > SAMPLE_BYTES and b"\n" in cut:
        cut = cut[: cut.rfind(b"\n") + 1]  # whole lines: no character cut in two (0x0A is no GBK/Big5 byte)
    sample, codec = decode_text(cut, name)
    header, sep, _ = _find_header(sample[: 64 * 1024].splitlines())
    try:
        df = pd.read_csv(io.BytesIO(raw), encoding=codec, sep=sep, skiprows=header, skipinitialspace=True)
    except UnicodeDecodeError:  # the sample was UTF-8, a later part is not: decide on the whole text
        return _parse_text(*decode_text(raw, name))
    return df, codec, header, sep


def _parse_text(text: str, codec: str) -> tuple[pd.DataFrame, str, int, str]:
    header, sep, _ = _find_header(text[: 64 * 1024].splitlines())
    return pd.read_csv(io.StringIO(text), sep=sep, skiprows=header, skipinitialspace=True), codec, header, sep


def parse_coordinates(series: pd.Series) -> tuple[pd.Series, int]:
    """Turn a column of coordinates into floats: numbers, DMS and degree-symbol strings (vectorised).

    Parameters
    ----------
    series : pandas.Series
        Numbers or strings such as ``115.875``, ``115.875°``, ``115°52'30"E``, ``28°40′N``,
        ``N28°40'12"`` (S and W negative).

    Returns
    -------
    tuple of (pandas.Series, int)
        Degrees (or the numbers as they are; NaN where nothing could be read) and how many strings
        needed the degree / DMS parsing.
    """
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float), 0
    text = series.astype("string").str.strip()
    num = pd.to_numeric(text, errors="coerce").astype(float)
    rest = num.isna() & text.notna() & (text != "")
    if not rest.any():
        return num, 0
    parts = text[rest].str.extract(_DMS)
    deg = pd.to_numeric(parts[1], errors="coerce")
    mins = pd.to_numeric(parts[2], errors="coerce").fillna(0.0)
    secs = pd.to_numeric(parts[3], errors="coerce").fillna(0.0)
    value = deg.abs() + mins / 60 + secs / 3600
    hemi = parts[0].fillna(parts[4]).fillna("").str.upper()
    negative = hemi.isin(["S", "W", "西", "南"]) | (deg < 0)
    value = value.where(~negative, -value)
    num.loc[rest] = value.astype(float).to_numpy()
    return num, int(value.notna().sum())


def _table_points(df: pd.DataFrame, name: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    if df.empty:
        raise file_error(name, "the table has no rows")
    found = coordinate_columns(df.columns)
    if found is not None and len(found) == 2:
        xcol, ycol = found
        xs, nx = parse_coordinates(df[xcol])
        ys, ny = parse_coordinates(df[ycol])
        x, y = xs.to_numpy(dtype=float), ys.to_numpy(dtype=float)
        blank = np.isnan(x) | np.isnan(y)
        if blank.all():
            raise file_error(name, f"the columns {xcol}/{ycol} hold no numbers")
        geom = np.full(len(df), None, dtype=object)
        geom[~blank] = shapely.points(x[~blank], y[~blank])
        notes = (
            [f"{nx + ny} coordinates written with ° or in degrees-minutes-seconds were converted"]
            if nx + ny
            else []
        )
        return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geom, index=df.index), crs=None), notes
    if found is not None:
        key = found[0]
        geom = gpd.GeoSeries.from_wkt(df[key].astype(str), on_invalid="ignore")
        return gpd.GeoDataFrame(df.drop(columns=[key]), geometry=geom, crs=None), []
    raise file_error(
        name,
        "no coordinate columns found and no WKT column",
        "name them 经度/纬度, lng/lat, lon/lat, x/y or 横坐标/纵坐标, or add a WKT column",
    )


def table_to_gdf(df: pd.DataFrame, name: str = "table") -> gpd.GeoDataFrame:
    """Make points from coordinate columns (or geometries from a WKT column), with no CRS yet.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; coordinate columns are recognised by name (:func:`coordinate_columns`), else a
        ``wkt`` / ``geometry`` / ``geom`` column. Coordinates may be numbers or degree / DMS strings.
    name : str, default "table"
        The name shown in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        All columns plus the geometry (rows without readable coordinates get no geometry); CRS None —
        the caller infers it (degrees or metres).

    Raises
    ------
    DataValidationError
        When the table is empty, has no coordinate or WKT column, or its coordinates hold no numbers.
    """
    return _table_points(df, name)[0]


def _require_geometry(gdf, name: str) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None or gdf.geometry.isna().all():
        raise file_error(name, "the file has no geometry: it is not a geographic file")
    if len(gdf) == 0:
        raise file_error(name, "the file has no features")
    return gdf


def _finish(result: ReadResult, *, table: bool = False) -> ReadResult:
    gdf = result.gdf
    result.datum_hint = datum_hint([result.source, *gdf.columns])
    if gdf.crs is not None:
        if gdf.crs.is_geographic:  # flag the rows that do not fit the majority (swapped, out of area)
            guess = guess_crs(gdf)
            if guess.kind == "degrees":
                result.bad_rows = guess.bad_rows
        return result
    result.crs_source = "inferred"
    guess = guess_crs(gdf)
    if guess.axes_swapped and table:
        gdf = gdf.set_geometry(shapely.transform(gdf.geometry.to_numpy(), lambda c: c[:, ::-1]))
        result.gdf = gdf
        result.notes.append("the X column holds northings and Y eastings (survey convention): swapped")
        guess = guess_crs(gdf)
    result.crs_candidates = guess.candidates
    result.bad_rows = guess.bad_rows
    result.crs_ambiguous = guess.ambiguous
    if guess.ambiguous:
        result.notes.append(
            "Gauss-Krüger coordinates without zone prefix fit several zones: "
            + ", ".join(guess.candidates)
            + " — give the CRS"
        )
    elif guess.candidates:
        result.gdf = gdf.set_crs(guess.candidates[0])
        result.notes.append(f"no CRS in the file: inferred {guess.candidates[0]} from the coordinate values")
    return result


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file for batch commands: the safe reader, strict about CRS.

    Unlike the import page, batch commands never guess a missing CRS of a GIS file (a wrong guess
    silently shifts distances); tables in longitude/latitude degrees are the one case read as
    EPSG:4326.

    Parameters
    ----------
    path : str or Path
        The file (formats of :func:`read_any`).
    layer : str, optional
        Layer of a multi-layer file; default the first.

    Returns
    -------
    geopandas.GeoDataFrame
        The features in the file's own CRS (None when the file has none).

    Raises
    ------
    DataValidationError
        For unreadable, empty, oversized, unsafe or non-geographic files.
    """
    result = read_any(path, layer=layer)
    gdf = result.gdf
    if result.crs_source == "inferred" and gdf.crs is not None:
        degrees = result.crs_candidates[:1] == ["EPSG:4326"]
        if Path(path).suffix.lower() not in TABLE_SUFFIXES or not degrees:
            gdf = gdf.set_crs(None, allow_override=True)
    return gdf
