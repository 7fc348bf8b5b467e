"""Chinese web-map datums: GCJ-02 (AMap/Tencent) and BD-09 (Baidu) coordinates converted to WGS84.

Files do not say which datum their degrees are in; the user does. Names that mention AMap/Gaode/Tencent
or Baidu produce a suggestion (:func:`datum_hint`). The conversions are in :mod:`geodata.chinacoords`.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import shapely

from geodata.chinacoords import bd09_to_wgs84, gcj02_to_wgs84

DATUMS = ("wgs84", "gcj02", "bd09")


def datum_hint(names) -> str | None:
    """Suggest a datum from a file name and column names.

    Parameters
    ----------
    names : iterable of str
        The file name and the column names.

    Returns
    -------
    str or None
        ``"gcj02"`` when they mention gcj / amap / gaode / 高德 / 腾讯, ``"bd09"`` for bd09 / baidu /
        百度, else None.
    """
    text = " ".join(map(str, names)).lower()
    if re.search(r"gcj|amap|gaode|高德|腾讯", text):
        return "gcj02"
    if re.search(r"bd09|baidu|百度", text):
        return "bd09"
    return None


def apply_datum(gdf: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    """Convert GCJ-02 / BD-09 longitude-latitude geometries to WGS84.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Geometries with a CRS; reprojected to EPSG:4326 degrees before converting.
    datum : str
        ``"wgs84"`` (returned unchanged), ``"gcj02"`` or ``"bd09"``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy in EPSG:4326 (WGS84 degrees); positions move by ≈300–600 m in Jiangxi.

    Raises
    ------
    ValueError
        For an unknown datum name.
    """
    if datum == "wgs84":
        return gdf
    fn = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}.get(datum)
    if fn is None:
        raise ValueError(f"unknown datum {datum!r}; use wgs84, gcj02 or bd09")
    ll = gdf.to_crs("EPSG:4326")

    def conv(coords):
        x, y = fn(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return ll.set_geometry(shapely.transform(ll.geometry.values, conv), crs="EPSG:4326")
