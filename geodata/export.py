"""Layer exports in GIS formats: GeoPackage, GeoJSON (EPSG:4326) and zipped Shapefile (UTF-8 + .cpg)."""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path


def geodata_bytes(gdf, fmt: str, *, layer: str = "layer") -> tuple[bytes, str, str]:
    """Write a GeoDataFrame to GIS download bytes.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Layer in any CRS; GeoJSON output is reprojected to EPSG:4326, the others keep the layer's CRS.
    fmt : str
        ``gpkg`` | ``geojson`` | ``shp`` (zipped, UTF-8 with a ``.cpg``).
    layer : str
        Layer and file base name.

    Returns
    -------
    tuple of (bytes, str, str)
        File bytes, file name and MIME type.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if fmt == "gpkg":
            gdf.to_file(tmp / f"{layer}.gpkg", layer=layer, driver="GPKG")
            return (tmp / f"{layer}.gpkg").read_bytes(), f"{layer}.gpkg", "application/geopackage+sqlite3"
        if fmt == "geojson":
            gdf.to_crs("EPSG:4326").to_file(tmp / f"{layer}.geojson", driver="GeoJSON")
            return (tmp / f"{layer}.geojson").read_bytes(), f"{layer}.geojson", "application/geo+json"
        if fmt == "shp":
            folder = tmp / "shp"
            folder.mkdir()
            with warnings.catch_warnings():  # field names > 10 characters are cut by the format itself
                warnings.filterwarnings("ignore", message="Column names longer than 10")
                gdf.to_file(folder / f"{layer}.shp", encoding="UTF-8")
            (folder / f"{layer}.cpg").write_text("UTF-8", encoding="ascii")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for p in sorted(folder.iterdir()):
                    zf.write(p, p.name)
            return buf.getvalue(), f"{layer}.zip", "application/zip"
    raise ValueError(f"unknown export format {fmt!r}; use gpkg, geojson or shp")
