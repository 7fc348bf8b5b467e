"""The one escaped GeoJSON/tooltip helper for every map: EPSG:4326, simplified for drawing, text escaped."""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import shapely

from layers.crs import ANALYSIS_CRS, DISPLAY_CRS


def display_geojson(
    gdf: gpd.GeoDataFrame, *, simplify_m: float = 0.0, precision: int = 5, columns: tuple[str, ...] = ()
) -> dict:
    """GeoJSON dict in EPSG:4326 for display: simplified in metres, coordinates rounded, text escaped.

    Simplification is topology-naive and for drawing only; never feed the result to an analysis.
    """
    if gdf.crs is None:
        raise ValueError("layer has no CRS; cannot prepare it for display")
    geom = gdf.geometry
    if simplify_m > 0:
        geom = geom.to_crs(ANALYSIS_CRS).simplify(simplify_m, preserve_topology=True)
    geom = geom.to_crs(DISPLAY_CRS)
    geom = shapely.set_precision(geom.values, 10.0**-precision, mode="pointwise")
    props = gdf[list(columns)].copy()
    for col in columns:
        if props[col].dtype == object or str(props[col].dtype) in ("string", "str"):
            props[col] = props[col].astype(str).map(html.escape)
    out = gpd.GeoDataFrame(props, geometry=geom, crs=DISPLAY_CRS)
    return json.loads(out.to_json(drop_id=True))


def tooltip(fields: tuple[str, ...], aliases: tuple[str, ...]) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=list(fields), aliases=list(aliases), sticky=True)
