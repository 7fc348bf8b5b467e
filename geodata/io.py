"""Reading a vector file for batch commands: the importer's safe reader, strict about CRS.

Unlike the import page, batch commands never guess a missing CRS of a GIS file (a wrong guess silently
shifts distances); tables in longitude/latitude degrees are the one case read as EPSG:4326.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from geodata.importer import read_any

TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")


def read_vector(path: str | Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """A GeoDataFrame with the file's own CRS (None when the file has none); clear errors otherwise."""
    result = read_any(path, layer=layer)
    gdf = result.gdf
    if result.crs_source == "inferred":
        degrees = result.crs_candidates[:1] == ["EPSG:4326"]
        if Path(path).suffix.lower() not in TABLE_SUFFIXES or not degrees:
            gdf = gdf.set_crs(None, allow_override=True)
    return gdf
