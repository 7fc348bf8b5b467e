"""Coordinate reference systems used for analysis and display.

All distances and areas are computed in metres, never in degrees (../shared/DOMAIN.md §6).
"""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS

# DISPLAY_CRS (EPSG:4326, lon/lat) and ANALYSIS_CRS (EPSG:32650, UTM 50N, metres) are defined once, with
# the data they describe, in geodata.crs
from geodata.crs import ANALYSIS_CRS, DISPLAY_CRS

__all__ = [
    "ANALYSIS_CRS",
    "AREA_CRS",
    "DISPLAY_CRS",
    "area_km2",
    "require_metric",
    "to_metric",
    "utm_crs_for",
]

#: Equal-area CRS for areas (Albers, standard parallels over Jiangxi, lon_0 116°E).
AREA_CRS = "+proj=aea +lat_0=0 +lon_0=116 +lat_1=25 +lat_2=30 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"


def require_metric(gdf: gpd.GeoDataFrame, what: str = "input") -> None:
    """Check that a layer has a projected CRS in metres.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer to check.
    what : str, default "input"
        Name of the layer, used in the error message.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS, a geographic CRS (degrees, e.g. EPSG:4326; the message names the CRS and
        suggests ``ANALYSIS_CRS``, EPSG:32650), or a projected CRS whose axis unit is not the metre.
    """
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
    """Return a copy of a layer reprojected to a metric analysis CRS.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in any CRS (must have one). It is not modified.
    crs : str, default ``ANALYSIS_CRS``
        Target CRS, e.g. "EPSG:32650" (UTM 50N, metres). It is not checked to be metric.

    Returns
    -------
    geopandas.GeoDataFrame
        A reprojected copy of ``gdf``.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS.
    """
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot reproject to a metric CRS")
    return gdf.to_crs(crs)


def area_km2(gdf: gpd.GeoDataFrame):
    """Compute equal-area polygon areas in km².

    The geometries are reprojected to ``AREA_CRS`` (Albers equal-area over Jiangxi) before measuring, so
    the input may be in any CRS, including EPSG:4326 lon/lat.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygon layer in any CRS (must have one).

    Returns
    -------
    pandas.Series
        Area of each feature in km², aligned with ``gdf``'s index (0 for points and lines).

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS.
    """
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot compute areas")
    return gdf.geometry.to_crs(AREA_CRS).area / 1e6


def utm_crs_for(gdf: gpd.GeoDataFrame):
    """Choose a metric CRS for a layer: its own when projected in metres, else its northern UTM zone.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in any CRS (must have one).

    Returns
    -------
    pyproj.CRS or str
        The layer's own CRS (a ``pyproj.CRS``) when it is projected with metre units; otherwise the
        string ``"EPSG:326NN"`` of the UTM zone (northern hemisphere) containing the longitude of the
        centroid of the layer's union in EPSG:4326.

    Raises
    ------
    ValueError
        If ``gdf`` has no CRS.
    """
    if gdf.crs is None:
        raise ValueError("input has no CRS; cannot choose a metric CRS")
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_projected and crs.axis_info and crs.axis_info[0].unit_name in ("metre", "meter"):
        return crs
    lon = gdf.to_crs(DISPLAY_CRS).geometry.union_all().centroid.x
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{32600 + zone}"
