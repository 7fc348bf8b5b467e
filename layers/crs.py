"""Coordinate reference systems used for analysis and display.

All distances and areas are computed in metres, never in degrees (../shared/DOMAIN.md §6).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import CRS, Transformer

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
    "transform_xy",
    "utm_crs_for",
    "utm_crs_for_points",
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


def utm_crs_for_points(x: np.ndarray, y: np.ndarray, crs) -> CRS | str:
    """Choose a metric CRS for a point layer given as arrays, from the centroid of its points.

    The province-scale counterpart of :func:`utm_crs_for`: the longitude is that of the points' mean
    (the centroid of a set of points), computed on the arrays and transformed as one point, instead of
    building a union of every point (15 s at 16.7 M points).

    Parameters
    ----------
    x, y : numpy.ndarray
        Point coordinates in ``crs`` (x = east / longitude), shape (n,), n ≥ 1.
    crs : str or pyproj.CRS
        Their CRS (must not be None).

    Returns
    -------
    pyproj.CRS or str
        ``crs`` itself (a ``pyproj.CRS``) when it is projected with metre units; otherwise the string
        ``"EPSG:326NN"`` of the northern UTM zone containing the centroid's longitude (EPSG:4326).

    Raises
    ------
    ValueError
        If ``crs`` is None or there are no points.
    """
    if crs is None:
        raise ValueError("input has no CRS; cannot choose a metric CRS")
    if len(x) == 0:
        raise ValueError("no points: cannot choose a metric CRS")
    crs = CRS.from_user_input(crs)
    if crs.is_projected and crs.axis_info and crs.axis_info[0].unit_name in ("metre", "meter"):
        return crs
    lon, _ = Transformer.from_crs(crs, DISPLAY_CRS, always_xy=True).transform(
        float(np.mean(x)), float(np.mean(y))
    )
    zone = int((lon + 180) // 6) + 1
    return f"EPSG:{32600 + zone}"


def transform_xy(x: np.ndarray, y: np.ndarray, src, dst) -> tuple[np.ndarray, np.ndarray]:
    """Reproject coordinate arrays (the numbers ``GeoDataFrame.to_crs`` gives, without geometry objects).

    Parameters
    ----------
    x, y : numpy.ndarray
        Coordinates in ``src`` (x = east / longitude), shape (n,). Not modified.
    src, dst : str or pyproj.CRS
        Source and target CRS (e.g. "EPSG:4326" → "EPSG:32650").

    Returns
    -------
    tuple of numpy.ndarray
        float64 ``(x, y)`` in ``dst`` (metres for a metric CRS).
    """
    if CRS.from_user_input(src) == CRS.from_user_input(dst):
        return np.array(x, dtype=np.float64), np.array(y, dtype=np.float64)
    out_x = np.array(x, dtype=np.float64)
    out_y = np.array(y, dtype=np.float64)
    Transformer.from_crs(src, dst, always_xy=True).transform(out_x, out_y, inplace=True)
    return out_x, out_y
