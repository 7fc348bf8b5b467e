"""Folium layer builders shared by the city and province maps (boundaries, compounds, parcels, facilities).

Pure builders: they take GeoDataFrames in any CRS, simplify *for display only* in a metric CRS, and return
``folium.FeatureGroup`` objects. All text that reaches the map is HTML-escaped.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import FastMarkerCluster

from cartography.colours import PARCEL_TYPE_COLOURS, build_year_colour
from cartography.geojson import display_geojson, tooltip
from layers.crs import DISPLAY_CRS


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
        tooltip=tooltip((name_field,), (tooltip_alias,)),
    ).add_to(group)
    return group


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
        tooltip=tooltip(("name", "build_year", "population"), aliases),
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
        tooltip=tooltip(("name", "type_label", "status"), aliases),
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
