"""Folium layers for the overview map (province → prefectures → counties → demo city).

Pure builders: they take GeoDataFrames in any CRS, simplify *for display only* in a metric CRS, and return
``folium.FeatureGroup`` objects. All text that reaches the map is HTML-escaped.
"""

from __future__ import annotations

import html
import json

import folium
import geopandas as gpd
import numpy as np
import shapely
from folium.plugins import FastMarkerCluster

from layers.crs import ANALYSIS_CRS, DISPLAY_CRS

#: compound build-year classes: (upper bound exclusive, colour, label key)
BUILD_YEAR_CLASSES = (
    (2000, "#d7301f", "legend.built_before_2000"),
    (2010, "#fc8d59", "legend.built_2000_2010"),
    (10_000, "#91bfdb", "legend.built_after_2010"),
)
#: parcel type colours (DOMAIN.md §3 vocabulary)
PARCEL_TYPE_COLOURS = {
    "老旧小区": "#e41a1c",
    "老旧厂区": "#984ea3",
    "城中村": "#ff7f00",
    "危旧房": "#a65628",
    "预制板房屋": "#f781bf",
    "低效用地": "#999999",
}


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


def _tooltip(fields: tuple[str, ...], aliases: tuple[str, ...]) -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=list(fields), aliases=list(aliases), sticky=True)


def boundary_layer(
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    name_field: str,
    colour: str,
    weight: float,
    fill_opacity: float = 0.0,
    simplify_m: float = 200.0,
    dash: str | None = None,
    show: bool = True,
    tooltip_alias: str = "",
) -> folium.FeatureGroup:
    """Outline (optionally lightly filled) polygons with a hover name."""
    group = folium.FeatureGroup(name=name, show=show)
    data = display_geojson(gdf, simplify_m=simplify_m, columns=(name_field,))
    style = {"color": colour, "weight": weight, "fillColor": colour, "fillOpacity": fill_opacity}
    if dash:
        style["dashArray"] = dash
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f, s=style: s,
        tooltip=_tooltip((name_field,), (tooltip_alias,)),
    ).add_to(group)
    return group


def build_year_colour(year: int) -> str:
    """Colour of the build-year class a compound falls in."""
    for upper, colour, _ in BUILD_YEAR_CLASSES:
        if year < upper:
            return colour
    return BUILD_YEAR_CLASSES[-1][1]


def compounds_layer(
    compounds: gpd.GeoDataFrame, *, name: str, aliases: tuple[str, str, str], show: bool = True
) -> folium.FeatureGroup:
    """Compound polygons coloured by build-year class; tooltip name / build year / population."""
    gdf = compounds.assign(colour=[build_year_colour(int(y)) for y in compounds["build_year"]])
    data = display_geojson(gdf, simplify_m=5.0, columns=("name", "build_year", "population", "colour"))
    group = folium.FeatureGroup(name=name, show=show)
    folium.GeoJson(
        data,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 0.6,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.55,
        },
        tooltip=_tooltip(("name", "build_year", "population"), aliases),
    ).add_to(group)
    return group


def parcels_layer(
    parcels: gpd.GeoDataFrame,
    *,
    name: str,
    aliases: tuple[str, str, str],
    type_labels: dict[str, str] | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """Renewal parcels coloured by parcel type; tooltip name / type / status."""
    type_labels = type_labels or {}
    gdf = parcels.assign(
        colour=parcels["parcel_type"].map(PARCEL_TYPE_COLOURS).fillna("#666666"),
        type_label=parcels["parcel_type"].map(lambda v: type_labels.get(v, v)),
    )
    data = display_geojson(gdf, simplify_m=5.0, columns=("name", "type_label", "status", "colour"))
    group = folium.FeatureGroup(name=name, show=show)
    folium.GeoJson(
        data,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 1.5,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.35,
        },
        tooltip=_tooltip(("name", "type_label", "status"), aliases),
    ).add_to(group)
    return group


_FACILITY_CALLBACK = """
function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 5, color: row[3], weight: 1, fillColor: row[3], fillOpacity: 0.9});
    m.bindTooltip(row[2]);
    return m;
};
"""


def facilities_layer(
    facilities: gpd.GeoDataFrame,
    *,
    name: str,
    type_names: dict[str, str],
    type_colours: dict[str, str] | None = None,
    show: bool = True,
) -> folium.FeatureGroup:
    """Facility points as one fast marker cluster; tooltip "type · name" (escaped)."""
    type_colours = type_colours or {}
    pts = facilities.to_crs(DISPLAY_CRS)
    lat = np.round(pts.geometry.y.to_numpy(), 5)
    lon = np.round(pts.geometry.x.to_numpy(), 5)
    labels = [html.escape(f"{type_names.get(t, t)} · {n}") for t, n in zip(pts["type"], pts["name"])]
    colours = [type_colours.get(t, "#2b8cbe") for t in pts["type"]]
    data = [[float(a), float(b), c, d] for a, b, c, d in zip(lat, lon, labels, colours)]
    group = folium.FeatureGroup(name=name, show=show)
    FastMarkerCluster(
        data, callback=_FACILITY_CALLBACK, options={"disableClusteringAtZoom": 16, "chunkedLoading": True}
    ).add_to(group)
    return group
