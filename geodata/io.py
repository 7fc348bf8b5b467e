"""Reading users' vector files: GeoPackage, Shapefile (.shp or zipped), GeoJSON, KML, CSV/XLSX with
coordinate columns. Problems become clear messages (``DataValidationError``), never tracebacks."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.errors import DataValidationError, Problem

#: coordinate column pairs recognised in tables (x/lon first)
COORD_PAIRS = (
    ("经度", "纬度"),
    ("lng", "lat"),
    ("lon", "lat"),
    ("longitude", "latitude"),
    ("x", "y"),
    ("横坐标", "纵坐标"),
    ("X", "Y"),
)


def _fail(path, problem: str, hint: str = "") -> DataValidationError:
    return DataValidationError([Problem(Path(path).name, None, None, problem, hint)], source=str(path))


def _table_to_gdf(df: pd.DataFrame, path) -> gpd.GeoDataFrame:
    cols = {c.strip().lower() if isinstance(c, str) else c: c for c in df.columns}
    for xname, yname in COORD_PAIRS:
        if xname.lower() in cols and yname.lower() in cols:
            xs = pd.to_numeric(df[cols[xname.lower()]], errors="coerce")
            ys = pd.to_numeric(df[cols[yname.lower()]], errors="coerce")
            bad = (xs.isna() | ys.isna()).to_numpy().nonzero()[0]
            if len(bad):
                raise DataValidationError(
                    [
                        Problem(
                            Path(path).name, int(r), f"{xname}/{yname}", "coordinate is empty or not a number"
                        )
                        for r in bad[:20]
                    ],
                    source=str(path),
                )
            degrees = xs.abs().max() <= 180 and ys.abs().max() <= 90
            return gpd.GeoDataFrame(
                df, geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326" if degrees else None
            )
    if "wkt" in cols:
        geom = gpd.GeoSeries.from_wkt(df[cols["wkt"]], on_invalid="ignore")
        return gpd.GeoDataFrame(df, geometry=geom, crs="EPSG:4326")
    raise _fail(
        path, "no coordinate columns found", "expected e.g. 经度/纬度, lng/lat, lon/lat, x/y or a WKT column"
    )


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file into a GeoDataFrame (CRS as stored; tables in degrees get EPSG:4326)."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, "file not found")
    if path.stat().st_size == 0:
        raise _fail(path, "the file is empty")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt"):
            raw = path.read_bytes()
            for enc in ("utf-8-sig", "gb18030"):
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise _fail(path, "unknown text encoding", "save the table as UTF-8 or GBK")
            import io

            return _table_to_gdf(pd.read_csv(io.StringIO(text)), path)
        if suffix in (".xlsx", ".xls"):
            return _table_to_gdf(pd.read_excel(path), path)
        source = f"/vsizip/{path}" if suffix == ".zip" else str(path)
        gdf = pyogrio.read_dataframe(source, layer=layer)
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL/pandas raise many kinds for unreadable files
        raise _fail(
            path,
            f"cannot be read as a vector file ({type(exc).__name__}: {exc})",
            "check the format; supported: GPKG, SHP/zip, GeoJSON, KML, CSV/XLSX with coordinates",
        ) from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        raise _fail(path, "the file has no geometry", "it is not a geographic file")
    return gdf
