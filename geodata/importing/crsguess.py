"""Guessing the coordinate reference system of coordinates that came without one.

Only coordinate value ranges are used: degrees within China (WGS84 / CGCS2000 geographic), degrees
with longitude and latitude swapped, CGCS2000 3° Gauss-Krüger with the zone prefix in the easting, or
metric eastings without it (Gauss-Krüger 114°E / 117°E, UTM 50N). The importer shows the guess for
confirmation; batch commands never use it for GIS files.
"""

from __future__ import annotations

import geopandas as gpd

from geodata.validate import CHINA_LAT, CHINA_LON


def infer_crs(gdf: gpd.GeoDataFrame) -> list[str]:
    """List the likely CRSs of coordinates without a CRS, best first.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries with coordinates in unknown units (the CRS is ignored).

    Returns
    -------
    list of str
        EPSG codes: ``["EPSG:4326", "EPSG:4490"]`` for degrees in China (longitude 73–136°, latitude
        3–54°); ``["EPSG:4326"]`` for swapped degrees (validation then says "swapped");
        ``["EPSG:45xx"]`` for a CGCS2000 3° Gauss-Krüger zone read from the easting prefix (metres,
        e.g. 39xxxxxx → EPSG:4527, central meridian 117°E); ``["EPSG:4547", "EPSG:4548",
        "EPSG:32650"]`` for metric eastings without prefix. Empty when nothing fits China.
    """
    geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if len(geoms) == 0:
        return []
    minx, miny, maxx, maxy = geoms.total_bounds
    if CHINA_LON[0] <= minx and maxx <= CHINA_LON[1] and CHINA_LAT[0] <= miny and maxy <= CHINA_LAT[1]:
        return ["EPSG:4326", "EPSG:4490"]
    if CHINA_LAT[0] <= minx and maxx <= CHINA_LAT[1] and CHINA_LON[0] <= miny and maxy <= CHINA_LON[1]:
        return ["EPSG:4326"]  # degrees with lon/lat swapped: validation then says "swapped"
    if 25_000_000 <= minx and maxx < 46_000_000 and 300_000 <= miny <= 6_000_000:
        zone = int(minx // 1_000_000)  # 3° zone number prefix (e.g. 38 → 114°E, 39 → 117°E)
        if zone == int(maxx // 1_000_000):
            return [f"EPSG:{4513 + zone - 25}"]  # EPSG:4513 = CGCS2000 3° GK zone 25 (with prefix)
    if 100_000 <= minx and maxx <= 900_000 and 300_000 <= miny <= 6_000_000:
        return ["EPSG:4547", "EPSG:4548", "EPSG:32650"]  # GK CM 114°E / 117°E without prefix, or UTM 50N
    return []
