"""Scenario A/B maps (方案比选), without Streamlit: the difference map and one map per side.

Resident cells are drawn as dots coloured by their status (:data:`STATUS_COLOURS`): newly served in B,
newly unserved in B, served in both. Added facilities (and completed projects) and removed facilities are
marked; the title names both scenarios (user text, escaped through :mod:`cartography.geojson`), the legend
explains every colour.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from cartography import mapkit
from cartography.builders import labels_layer
from cartography.colours import BOUNDARY_COLOURS
from cartography.geojson import display_geojson, escape_text, text_tooltip, tooltip
from cartography.maps import city_context, city_labels, districts_layer, subdistricts_layer
from i18n import t

#: dot colour per resident-cell status (colour-blind safe pair for gained / lost)
STATUS_COLOURS = {"gained": "#1a9641", "lost": "#d7191c", "both": "#8fa8c8", "served": "#2c7bb6"}
#: marker colours of added and removed facilities
ADDED_COLOUR, REMOVED_COLOUR = "#6a3d9a", "#333333"


class _Title(MacroElement):
    """A title box at the top of the map, as a Leaflet control (streamlit-folium keeps script sections)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var title = L.control({position: "topright"});
            title.onAdd = function () {
                var div = L.DomUtil.create("div", "ra-map-title");
                div.innerHTML = {{ this.inner_json }};
                return div;
            };
            title.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "MapTitle"
        inner = (
            '<div style="background:rgba(255,255,255,0.93);padding:6px 12px;border-radius:6px;'
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:600 15px/1.4 'Noto Sans CJK SC','Microsoft YaHei',"
            f'sans-serif;max-width:520px;white-space:normal">{escape_text(text)}</div>'
        )
        self.inner_json = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")


def map_title(text: str) -> MacroElement:
    """A title box (top right, above the layer control); ``text`` is escaped. Add it with ``.add_to(map)``."""
    return _Title(text)


def _frame(m: folium.Map, ws, lang: str) -> list[tuple]:
    sub = subdistricts_layer(ws, lang)
    if sub is not None:
        sub.add_to(m)
    districts_layer(ws, lang, interactive=False).add_to(m)
    labels_layer(city_labels(ws, lang), name=t("map.layer.labels", lang)).add_to(m)
    return [(BOUNDARY_COLOURS["district"], t("map.legend.district", lang), "outline")]


def _cells_layer(
    cells: gpd.GeoDataFrame, name: str, lang: str, statuses: dict[str, str]
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name)
    if not len(cells):
        return group
    gdf = cells.assign(
        label=[statuses[s] for s in cells["status"]],
        pop=cells["population"].round(0).astype(int),
        colour=[STATUS_COLOURS[s] for s in cells["status"]],
        r=[2 if s in ("both", "served") else 4.5 for s in cells["status"]],
        op=[0.45 if s == "both" else 0.9 for s in cells["status"]],
    )
    folium.GeoJson(
        display_geojson(gdf, columns=("label", "pop", "colour", "r", "op")),
        marker=folium.CircleMarker(radius=3, weight=0, fill=True, fill_opacity=0.85),
        style_function=lambda f: {
            "fillColor": f["properties"]["colour"],
            "color": f["properties"]["colour"],
            "radius": f["properties"]["r"],
            "fillOpacity": f["properties"]["op"],
        },
        tooltip=tooltip(("label", "pop"), (t("scen.col.status", lang), t("scen.col.population", lang))),
    ).add_to(group)
    return group


def _facility_markers(points: pd.DataFrame, *, name: str, colour: str, label: str) -> folium.FeatureGroup:
    """Markers at ``lon``/``lat`` (degrees) with ``ref`` / ``type_label`` shown on hover (escaped)."""
    group = folium.FeatureGroup(name=name)
    for r in points.itertuples():
        folium.CircleMarker(
            [r.lat, r.lon],
            radius=6,
            color="#ffffff",
            weight=1.5,
            fill=True,
            fill_color=colour,
            fill_opacity=1.0,
            tooltip=text_tooltip(f"{label}: {r.type_label} {r.ref}".strip()),
        ).add_to(group)
    return group


def _city_map(ws, basemap: str, tianditu_key: str | None, zoom: float) -> folium.Map:
    """Base map opening on the city's compounds at a fixed zoom: no fitBounds, which in a Streamlit tab
    runs against a zero-sized frame and falls back to the minimum zoom."""
    minx, miny, maxx, maxy = ws["compounds"].total_bounds
    m = mapkit.base_map(
        center=((miny + maxy) / 2, (minx + maxx) / 2), zoom=12, basemap=basemap, tianditu_key=tianditu_key
    )
    m.options["zoom"] = zoom
    return m


def difference_map(
    ws,
    cells: gpd.GeoDataFrame,
    *,
    a_name: str,
    b_name: str,
    what: str,
    lang: str,
    added: pd.DataFrame | None = None,
    removed: pd.DataFrame | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """The difference map of scenario B against A.

    Parameters
    ----------
    ws : geodata.workspace.Workspace or Mapping
        The workspace (districts, sub-districts, communities, compounds, streets) in EPSG:4326.
    cells : geopandas.GeoDataFrame
        :func:`layers.scenarios.status_frame`: one point per resident cell with ``status`` (gained,
        lost, both) and ``population``, any CRS.
    a_name, b_name : str
        Display names of A and B (user text; escaped).
    what : str
        What is compared (facility type or life circle name).
    lang : str
        "zh" or "en".
    added, removed : pandas.DataFrame, optional
        Facilities added in B / removed in B: ``lon``, ``lat`` (degrees), ``ref``, ``type_label``.
    basemap, tianditu_key : str
        See :func:`cartography.mapkit.base_map`.

    Returns
    -------
    folium.Map
        Title with both names, the three status layers, facility markers, legend and layer control.
    """
    m = _city_map(ws, basemap, tianditu_key, 12.5)
    city_context(m, ws, lang)
    frame = _frame(m, ws, lang)
    names = {s: t(f"scen.status.{s}", lang) for s in ("gained", "lost", "both")}
    cells = mapkit.for_basemap(cells.to_crs("EPSG:4326"), basemap)
    for status in ("both", "lost", "gained"):  # changes drawn on top
        _cells_layer(cells[cells["status"] == status], names[status], lang, names).add_to(m)
    items = [(STATUS_COLOURS[s], names[s], "dot:10") for s in ("gained", "lost", "both")]
    if added is not None and len(added):
        _facility_markers(
            added, name=t("scen.layer.added", lang), colour=ADDED_COLOUR, label=t("scen.status.added", lang)
        ).add_to(m)
        items.append((ADDED_COLOUR, t("scen.status.added", lang), "dot:12"))
    if removed is not None and len(removed):
        _facility_markers(
            removed,
            name=t("scen.layer.removed", lang),
            colour=REMOVED_COLOUR,
            label=t("scen.status.removed", lang),
        ).add_to(m)
        items.append((REMOVED_COLOUR, t("scen.status.removed", lang), "dot:12"))
    map_title(t("scen.map.title", lang, a=a_name, b=b_name, what=what)).add_to(m)
    mapkit.legend_html(t("scen.legend", lang), [*items, *frame]).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return mapkit.finalize(m)


def outcome_map(
    ws,
    cells: gpd.GeoDataFrame,
    *,
    name: str,
    what: str,
    lang: str,
    added: pd.DataFrame | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """One side of a comparison: the resident cells served in that scenario (for the side-by-side view).

    Parameters
    ----------
    ws : geodata.workspace.Workspace or Mapping
        The workspace in EPSG:4326.
    cells : geopandas.GeoDataFrame
        Served resident cells: ``status`` = "served", ``population``; any CRS.
    name : str
        The scenario's display name (user text; escaped).
    what : str
        What is shown (facility type or life circle name).
    lang : str
        "zh" or "en".
    added : pandas.DataFrame, optional
        Facilities this scenario adds: ``lon``, ``lat``, ``ref``, ``type_label``.
    basemap, tianditu_key : str
        See :func:`cartography.mapkit.base_map`.

    Returns
    -------
    folium.Map
        Title, served cells, added facilities, legend.
    """
    m = _city_map(ws, basemap, tianditu_key, 11.75)
    city_context(m, ws, lang)
    frame = _frame(m, ws, lang)
    label = {"served": t("scen.status.served", lang)}
    cells = mapkit.for_basemap(cells.to_crs("EPSG:4326"), basemap)
    _cells_layer(cells, t("scen.layer.served", lang), lang, label).add_to(m)
    items = [(STATUS_COLOURS["served"], label["served"], "dot:10")]
    if added is not None and len(added):
        _facility_markers(
            added, name=t("scen.layer.added", lang), colour=ADDED_COLOUR, label=t("scen.status.added", lang)
        ).add_to(m)
        items.append((ADDED_COLOUR, t("scen.status.added", lang), "dot:12"))
    map_title(t("scen.map.side_title", lang, name=name, what=what)).add_to(m)
    mapkit.legend_html(t("scen.legend", lang), [*items, *frame]).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    return mapkit.finalize(m)
