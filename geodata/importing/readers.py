"""Reading a user's file into a GeoDataFrame, safely, with clear errors.

Formats: GeoPackage (pick a layer), zipped Shapefile (UTF-8 or GBK: ``.cpg`` honoured, otherwise
detected), Shapefile, GeoJSON, KML, CSV / XLSX with coordinate columns (经度/纬度, lng/lat, lon/lat,
x/y, 横坐标/纵坐标) or a WKT column. A file without a CRS gets the best guess of
:func:`~geodata.importing.crsguess.infer_crs`, shown for confirmation (:attr:`ReadResult.crs_source`
is then ``"inferred"``); :func:`read_vector` (batch commands) never keeps such a guess for a GIS file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodata.errors import DataValidationError
from geodata.importing.crsguess import infer_crs
from geodata.importing.datum import datum_hint
from geodata.importing.encoding import cpg_encoding, decode_text, detect_dbf_encoding
from geodata.importing.safety import check_archive, check_size, file_error, max_upload_bytes

COORD_PAIRS = (
    ("经度", "纬度"),
    ("lng", "lat"),
    ("lon", "lat"),
    ("longitude", "latitude"),
    ("x", "y"),
    ("横坐标", "纵坐标"),
)
#: suffixes read as tables of coordinates (or WKT) rather than through GDAL
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


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
        Layers of a multi-layer file (GeoPackage).
    encoding : str or None
        Text encoding used (tables, shapefiles).
    crs_source : str
        ``"file"``, ``"inferred"`` (from coordinate ranges) or ``"user"``.
    crs_candidates : list of str
        Likely EPSG codes, best first, when the CRS was inferred.
    notes : list of str
        What the reader decided (encoding from .cpg, inferred CRS …).
    datum_hint : str or None
        ``"gcj02"`` / ``"bd09"`` when names suggest a Chinese web-map datum.
    """

    gdf: gpd.GeoDataFrame
    source: str
    layers: list[str] = field(default_factory=list)
    encoding: str | None = None
    crs_source: str = "file"  # file | inferred | user
    crs_candidates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    datum_hint: str | None = None  # "gcj02" / "bd09" when names suggest it


def read_any(
    path: str | Path, *, layer: str | None = None, max_bytes: int | None = None, source: str | None = None
) -> ReadResult:
    """Read a user's file into a GeoDataFrame.

    Parameters
    ----------
    path : str or Path
        The file (see the module docstring for formats).
    layer : str, optional
        Layer of a multi-layer file; default the first.
    max_bytes : int, optional
        Size cap in bytes; default :func:`~geodata.importing.safety.max_upload_bytes`.
    source : str, optional
        Name shown to the user and used for the datum hint (e.g. the original name of an upload
        stored under a hash name); default the file name.

    Returns
    -------
    ReadResult
        The features with what the reader found out (CRS source and candidates, encoding, notes).

    Raises
    ------
    DataValidationError
        With a clear message for unreadable, empty, oversized, unsafe or non-geographic files.
    """
    path = Path(path)
    name = source or path.name
    max_bytes = max_bytes or max_upload_bytes()
    check_size(path, max_bytes=max_bytes, name=name)
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        return _read_table(path, name)
    if suffix == ".zip":
        return _read_zip(path, name, max_bytes=max_bytes)
    try:
        layers = [n for n, _ in pyogrio.list_layers(path)]
        chosen = layer or (layers[0] if layers else None)
        gdf = pyogrio.read_dataframe(path, layer=chosen)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds for unreadable files
        raise file_error(
            name,
            f"cannot be read as a geographic file ({type(exc).__name__})",
            "supported: GPKG, zipped SHP, GeoJSON, KML, CSV/XLSX with coordinates",
        ) from None
    return _finish(ReadResult(gdf=_require_geometry(gdf, name), source=name, layers=layers))


def _read_zip(path: Path, name: str, *, max_bytes: int) -> ReadResult:
    with check_archive(path, max_bytes=max_bytes) as zf:
        shps = [n for n in zf.namelist() if n.lower().endswith(".shp")]
        if not shps:
            raise file_error(
                name,
                "no .shp file inside the archive",
                "zip the .shp with its .dbf, .shx, .prj (and .cpg)",
            )
        shp = shps[0]
        stem = shp[:-4]
        names = {n.lower(): n for n in zf.namelist()}
        notes = []
        cpg = names.get(f"{stem}.cpg".lower())
        if cpg:
            encoding = cpg_encoding(zf.read(cpg))
            notes.append(f"encoding from .cpg: {encoding}")
        else:
            dbf = names.get(f"{stem}.dbf".lower())
            encoding = detect_dbf_encoding(zf.read(dbf)) if dbf else "UTF-8"
            notes.append(f"no .cpg: encoding detected as {encoding}")
    try:
        gdf = pyogrio.read_dataframe(f"/vsizip/{path}/{shp}", encoding=encoding)
    except Exception as exc:  # noqa: BLE001
        raise file_error(
            name,
            f"the shapefile inside cannot be read ({type(exc).__name__})",
            "check that .shp, .shx and .dbf are all in the zip",
        ) from None
    return _finish(ReadResult(gdf=_require_geometry(gdf, name), source=name, encoding=encoding, notes=notes))


def _read_table(path: Path, name: str) -> ReadResult:
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df, enc = pd.read_excel(path), None
        else:
            text, enc = decode_text(path.read_bytes(), name)
            df = pd.read_csv(io.StringIO(text))
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas raises many kinds on malformed tables
        raise file_error(name, f"the table cannot be read ({type(exc).__name__})", "check the file") from None
    gdf = table_to_gdf(df, name)
    return _finish(ReadResult(gdf=gdf, source=name, encoding=enc, crs_source="inferred"))


def table_to_gdf(df: pd.DataFrame, name: str = "table") -> gpd.GeoDataFrame:
    """Make points from coordinate columns (or geometries from a WKT column), with no CRS yet.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; coordinate columns are recognised by name (:data:`COORD_PAIRS`, case-insensitive),
        else a ``wkt`` / ``geometry`` / ``geom`` column.
    name : str, default "table"
        The name shown in messages.

    Returns
    -------
    geopandas.GeoDataFrame
        All columns plus the geometry (rows with non-numeric coordinates get no geometry); CRS None —
        the caller infers it (degrees or metres).

    Raises
    ------
    DataValidationError
        When the table is empty, has no coordinate or WKT column, or its coordinates hold no numbers.
    """
    if df.empty:
        raise file_error(name, "the table has no rows")
    cols = {str(c).strip().lower(): c for c in df.columns}
    for xname, yname in COORD_PAIRS:
        if xname.lower() in cols and yname.lower() in cols:
            xs = pd.to_numeric(df[cols[xname.lower()]], errors="coerce")
            ys = pd.to_numeric(df[cols[yname.lower()]], errors="coerce")
            bad = np.flatnonzero((xs.isna() | ys.isna()).to_numpy())
            if len(bad) == len(df):
                raise file_error(name, f"the columns {xname}/{yname} hold no numbers")
            geom = gpd.points_from_xy(xs.fillna(np.nan), ys.fillna(np.nan))
            geom = [None if i in set(bad) else g for i, g in enumerate(geom)]
            return gpd.GeoDataFrame(df, geometry=geom, crs=None)
    for key in ("wkt", "geometry", "geom"):
        if key in cols:
            geom = gpd.GeoSeries.from_wkt(df[cols[key]].astype(str), on_invalid="ignore")
            return gpd.GeoDataFrame(df.drop(columns=[cols[key]]), geometry=geom, crs=None)
    raise file_error(
        name,
        "no coordinate columns found and no WKT column",
        "name them 经度/纬度, lng/lat, lon/lat, x/y or 横坐标/纵坐标, or add a WKT column",
    )


def _require_geometry(gdf, name: str) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None or gdf.geometry.isna().all():
        raise file_error(name, "the file has no geometry: it is not a geographic file")
    if len(gdf) == 0:
        raise file_error(name, "the file has no features")
    return gdf


def _finish(result: ReadResult) -> ReadResult:
    gdf = result.gdf
    result.datum_hint = datum_hint([result.source, *gdf.columns])
    if gdf.crs is None:
        result.crs_source = "inferred"
        result.crs_candidates = infer_crs(gdf)
        if result.crs_candidates:
            result.gdf = gdf.set_crs(result.crs_candidates[0])
            result.notes.append(
                f"no CRS in the file: inferred {result.crs_candidates[0]} from the coordinate values"
            )
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
    if result.crs_source == "inferred":
        degrees = result.crs_candidates[:1] == ["EPSG:4326"]
        if Path(path).suffix.lower() not in TABLE_SUFFIXES or not degrees:
            gdf = gdf.set_crs(None, allow_override=True)
    return gdf
