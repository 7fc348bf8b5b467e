"""GCJ-02 (AMap/Tencent) and BD-09 (Baidu) <-> WGS84 conversions, vectorised with numpy.

GCJ-02 is an obfuscated datum (offset ≈300–600 m in Jiangxi, ../shared/DOMAIN.md §6). The forward
transform is the public reverse-engineered formula; the inverse is iterative (fixed-point), converging to
well below 1 m in a few steps. Outside mainland China the offset is not applied (as by the providers).
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = np.pi * 3000.0 / 180.0


def _out_of_china(lon, lat):
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _transform_lat(x, y):
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x, y):
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon, lat):
    """Convert WGS84 (EPSG:4326) coordinates to GCJ-02 (AMap/Tencent).

    Parameters
    ----------
    lon, lat : array_like or float
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in GCJ-02 degrees.
        Points outside mainland China are returned unchanged.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlat = _transform_lat(lon - 105.0, lat - 35.0)
    dlon = _transform_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, lon, lon + dlon), np.where(outside, lat, lat + dlat)


def gcj02_to_wgs84(lon, lat, *, tol_deg: float = 1e-9, max_iter: int = 20):
    """Convert GCJ-02 coordinates to WGS84 (EPSG:4326) by fixed-point iteration (error ≪ 1 m).

    Parameters
    ----------
    lon, lat : array_like or float
        GCJ-02 longitude and latitude in degrees.
    tol_deg : float, default 1e-9
        Stop when every step is below this many degrees (≈0.1 mm).
    max_iter : int, default 20
        At most this many iterations.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS84 degrees.
    """
    glon = np.asarray(lon, dtype=float)
    glat = np.asarray(lat, dtype=float)
    wlon, wlat = glon.copy(), glat.copy()
    for _ in range(max_iter):
        flon, flat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - flon, glat - flat
        wlon, wlat = wlon + dlon, wlat + dlat
        if np.all(np.abs(dlon) < tol_deg) and np.all(np.abs(dlat) < tol_deg):
            break
    return wlon, wlat


def gcj02_to_bd09(lon, lat):
    """Convert GCJ-02 coordinates to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : array_like or float
        GCJ-02 longitude and latitude in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in BD-09 degrees.
    """
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat):
    """Convert BD-09 (Baidu) coordinates to GCJ-02.

    Parameters
    ----------
    lon, lat : array_like or float
        BD-09 longitude and latitude in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in GCJ-02 degrees.
    """
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_wgs84(lon, lat):
    """Convert BD-09 (Baidu) coordinates to WGS84 (EPSG:4326), via GCJ-02 and its iterative inverse.

    Parameters
    ----------
    lon, lat : array_like or float
        BD-09 longitude and latitude in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in WGS84 degrees.
    """
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def wgs84_to_bd09(lon, lat):
    """Convert WGS84 (EPSG:4326) coordinates to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : array_like or float
        WGS84 longitude and latitude in degrees.

    Returns
    -------
    tuple of numpy.ndarray
        ``(lon, lat)`` in BD-09 degrees.
    """
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def shift_geometries(geoms, to: str = "gcj02"):
    """Shift WGS84 geometries to GCJ-02 for display over AMap tiles.

    Parameters
    ----------
    geoms : array_like of shapely.Geometry
        Geometries in WGS84 degrees (EPSG:4326).
    to : str, default "gcj02"
        Target datum; only ``"gcj02"`` is supported.

    Returns
    -------
    numpy.ndarray of shapely.Geometry
        The shifted geometries (≈300–600 m in Jiangxi).

    Raises
    ------
    ValueError
        For another target datum.
    """
    import shapely

    if to != "gcj02":
        raise ValueError(f"unsupported target datum {to!r}; only 'gcj02' is used for display")

    def _fn(coords):
        x, y = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(np.asarray(geoms), _fn)
