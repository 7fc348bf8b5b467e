"""Folium layer builders shared by the city and province maps (boundaries, compounds, parcels, facilities).

Pure builders: they take GeoDataFrames in any CRS, simplify *for display only* in a metric CRS, and return
``folium.FeatureGroup`` objects. All text that reaches the map is HTML-escaped.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import FastMarkerCluster

from cartography.colours import PARCEL_TYPE_COLOURS, STREET_STYLES, build_year_colour
from cartography.geojson import display_geojson, escape_text, street_lines, tooltip
from cartography.mapkit import MapLabels
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
    interactive: bool = True,
    extra_fields: tuple[tuple[str, str], ...] = (),
    control: bool = True,
) -> folium.FeatureGroup:
    """Outline (optionally lightly filled) polygons with a hover name.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in any CRS.
    name : str
        Layer name in the layer control.
    name_field : str
        Column shown first in the tooltip.
    colour, weight, fill_opacity, dash : style of the outline and fill.
    simplify_m : float
        Display simplification in metres.
    interactive : bool
        False: a pure outline that never takes the pointer, so hover reaches the layers under it
        (use it for context outlines such as the province).
    extra_fields : tuple of (column, alias)
        More tooltip rows after the name (escaped like the name).
    control : bool
        Listed in the layer control.
    """
    group = folium.FeatureGroup(name=name, show=show, control=control)
    columns = (name_field, *(f for f, _ in extra_fields))
    data = display_geojson(gdf, simplify_m=simplify_m, columns=columns)
    style = {"color": colour, "weight": weight, "fillColor": colour, "fillOpacity": fill_opacity}
    if dash:
        style["dashArray"] = dash
    if not interactive:
        style["fill"] = fill_opacity > 0
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _f, s=style: s,
        tooltip=tooltip(columns, (tooltip_alias, *(a for _, a in extra_fields))) if interactive else None,
        interactive=interactive,
    ).add_to(group)
    return group


def labels_layer(records: list[list], *, name: str, show: bool = True) -> folium.FeatureGroup:
    """Permanent labels (records from :func:`cartography.geojson.label_points` and friends) as one
    switchable layer; see :class:`cartography.mapkit.MapLabels` for zoom ranges and de-cluttering."""
    group = folium.FeatureGroup(name=name, show=show)
    MapLabels(records).add_to(group)
    return group


def streets_layer(
    streets: gpd.GeoDataFrame, *, name: str, show: bool = True, simplify_m: float = 3.0
) -> folium.FeatureGroup:
    """The street network as thin grey context lines, arterials thicker (``kind`` column, if any).

    Non-interactive: the pointer passes through to the thematic layers. Draw it before them.
    """
    group = folium.FeatureGroup(name=name, show=show)
    if streets.empty:
        return group
    data = street_lines(streets, simplify_m=simplify_m)
    default = STREET_STYLES[""]
    folium.GeoJson(
        data,
        style_function=lambda f: {**STREET_STYLES.get(f["properties"]["kind"], default), "fill": False},
        interactive=False,
        smooth_factor=1.5,
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
    status_labels: dict[str, str] | None = None,
) -> folium.FeatureGroup:
    """Renewal parcels coloured by parcel type; tooltip name / type / status (translated by the labels)."""
    type_labels = type_labels or {}
    status_labels = status_labels or {}
    gdf = parcels.assign(
        colour=parcels["parcel_type"].map(PARCEL_TYPE_COLOURS).fillna("#666666"),
        type_label=parcels["parcel_type"].map(lambda v: type_labels.get(v, v)),
        status_label=parcels["status"].map(lambda v: status_labels.get(v, v)),
    )
    data = display_geojson(gdf, simplify_m=5.0, columns=("name", "type_label", "status_label", "colour"))
    group = folium.FeatureGroup(name=name, show=show)
    folium.GeoJson(
        data,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 1.5,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.35,
        },
        tooltip=tooltip(("name", "type_label", "status_label"), aliases),
    ).add_to(group)
    return group


def _facility_callback(labels: list[str], colours: list[str]) -> str:
    # rows are [lat, lon, escaped name, type index]; type label and colour are looked up once per type
    return (
        "function (row) {\n"
        f"    var T = {json.dumps(labels, ensure_ascii=False)}, C = {json.dumps(colours)};\n"
        "    var m = L.circleMarker(new L.LatLng(row[0], row[1]),\n"
        "        {radius: 5, color: '#ffffff', weight: 1, fillColor: C[row[3]], fillOpacity: 0.9});\n"
        "    m.bindTooltip(T[row[3]] + ' · ' + row[2]);\n"
        "    return m;\n"
        "};\n"
    ).replace("</", "<\\/")


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
    types = list(dict.fromkeys(str(v) for v in pts["type"]))
    index = {k: i for i, k in enumerate(types)}
    labels = [escape_text(type_names.get(k, k)) for k in types]
    colours = [type_colours.get(k, "#2b8cbe") for k in types]
    data = [
        [float(a), float(b), escape_text(n), index[str(k)]]
        for a, b, n, k in zip(lat, lon, pts["name"], pts["type"])
    ]
    group = folium.FeatureGroup(name=name, show=show)
    FastMarkerCluster(
        data,
        callback=_facility_callback(labels, colours),
        options={"disableClusteringAtZoom": 16, "chunkedLoading": True},
    ).add_to(group)
    return group
