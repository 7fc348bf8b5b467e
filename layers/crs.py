"""Coordinate reference systems used for analysis and display.

All distances and areas are computed in metres, never in degrees (../shared/DOMAIN.md §6).
"""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS

#: Display / storage CRS (WGS84 longitude, latitude).
DISPLAY_CRS = "EPSG:4326"
#: Metric analysis CRS for Jiangxi: UTM zone 50N (central meridian 117°E). Conformal, metres.
ANALYSIS_CRS = "EPSG:32650"
#: Equal-area CRS for areas (Albers, standard parallels over Jiangxi, lon_0 116°E).
AREA_CRS = "+proj=aea +lat_0=0 +lon_0=116 +lat_1=25 +lat_2=30 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"


def require_metric(gdf: gpd.GeoDataFrame, what: str = "input") -> None:
    """Raise ``ValueError`` unless ``gdf`` has a projected CRS in metres."""
    crs = gdf.crs
    if crs is None:
        raise ValueError(f"{what} has no CRS; a projected CRS in metres is required")
    crs = CRS.from_user_input(crs)
    if not crs.is_projected:
        raise ValueError(
            f"{what} is in a geographic CRS ({crs.to_string()}, degrees); "
            f"reproject to a metric CRS such as {ANALYSIS_CRS} first"
        )
    unit = crs.axis_info[0].unit_name if crs.axis_info else "metre"
    if unit not in ("metre", "meter"):
        raise ValueError(f"{what} CRS {crs.to_string()} has units {unit!r}, metres are required")


def to_metric(gdf: gpd.GeoDataFrame, crs: str = ANALYSIS_CRS) -> gpd.GeoDataFrame:
    """Return ``gdf`` in the metric analysis CRS (a copy; input untouched)."""
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot reproject to a metric CRS")
    return gdf.to_crs(crs)


def area_km2(gdf: gpd.GeoDataFrame):
    """Equal-area polygon areas in km² (Series aligned with ``gdf``)."""
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot compute areas")
    return gdf.geometry.to_crs(AREA_CRS).area / 1e6


def utm_crs_for(gdf: gpd.GeoDataFrame):
    """The data's own CRS when it is projected in metres, else the UTM zone (north) of its centre."""
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot choose a metric CRS")
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and crs.axis_info and crs.axis_info[0].unit_name in ("metre", "meter"):
        return crs
    lon = gdf.to_crs(DISPLAY_CRS).geometry.union_all().centroid.x
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{32600 + zone}"
