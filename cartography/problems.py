"""The 问题台账 map: where one 城市体检 problem is and how big, with its linked projects.

No Streamlit. Every text shown on the map (unit and project names) goes through the escaped GeoJSON /
tooltip helpers of :mod:`cartography.geojson`.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from cartography import mapkit
from cartography.colours import GRADE_COLOURS, HIGHLIGHT, HIGHLIGHT_CASING
from cartography.geojson import display_geojson, escape_text
from cartography.maps import POLYGONS, _city_frame, graded_units_map
from i18n import t
from layers.crs import DISPLAY_CRS

#: fill of the problem's own extent (unserved area / counted parcels): a purple no grade uses
PROBLEM_FILL = "#7b3294"
#: linked project sites
SITE_COLOUR = "#2166ac"


def problem_map(
    ws,
    ev: pd.DataFrame,
    level: str,
    indicator: str,
    L: str,
    *,
    selected_unit=None,
    problem_geometry=None,
    sites: pd.DataFrame | None = None,
) -> folium.Map:
    """Units of a level coloured by one indicator's grade, the selected problem's unit highlighted.

    Parameters
    ----------
    ws : geodata.workspace.Workspace
        The workspace (communities, subdistricts, districts, streets, compounds).
    ev : pandas.DataFrame
        :func:`layers.healthcheck.evaluate` output for the level.
    level : str
        "community", "subdistrict" or "district".
    indicator : str
        Indicator key whose grades colour the units.
    L : str
        Language, "zh" or "en".
    selected_unit : optional
        Unit key of the selected problem: thick highlight outline, and the map is fitted to it.
    problem_geometry : shapely geometry, optional
        The problem's extent in EPSG:4326 (unserved area or counted parcels), filled in purple.
    sites : pandas.DataFrame, optional
        Linked project sites: ``lon``, ``lat`` (EPSG:4326), ``label`` (plain text, escaped here).

    Returns
    -------
    folium.Map
        With a legend (grades, highlight, problem extent, project sites and the city frame).
    """
    _, key = POLYGONS[level]
    m, polys = graded_units_map(ws, ev, level, indicator, L, weight=0.6, opacity=0.35)
    items = [(c, t(f"hc.grade.{g}", L), "fill") for g, c in GRADE_COLOURS.items()]
    if problem_geometry is not None and not problem_geometry.is_empty:
        extent = gpd.GeoDataFrame(
            {"what": [t("loop.map.extent", L)]}, geometry=[problem_geometry], crs=DISPLAY_CRS
        )
        folium.GeoJson(
            display_geojson(extent, columns=("what",)),
            name=t("loop.map.extent", L),
            style_function=lambda _f: {
                "color": PROBLEM_FILL,
                "weight": 1,
                "fillColor": PROBLEM_FILL,
                "fillOpacity": 0.45,
            },
            interactive=False,
        ).add_to(m)
        items.append((PROBLEM_FILL, t("loop.map.extent", L), "fill"))
    sel = polys[polys[key] == selected_unit] if selected_unit is not None else polys.iloc[0:0]
    if len(sel):
        group = folium.FeatureGroup(name=t("loop.map.selected", L))
        data = display_geojson(sel, simplify_m=5, columns=("name_text",))
        for colour, weight in ((HIGHLIGHT_CASING, 7), (HIGHLIGHT, 3.5)):
            folium.GeoJson(
                data,
                style_function=lambda _f, c=colour, w=weight: {"color": c, "weight": w, "fill": False},
                interactive=False,
            ).add_to(group)
        group.add_to(m)
        items.append((HIGHLIGHT, t("loop.map.selected", L), "outline"))
    if sites is not None and len(sites):
        group = folium.FeatureGroup(name=t("loop.map.sites", L))
        for r in sites.itertuples():
            folium.CircleMarker(
                [r.lat, r.lon],
                radius=8,
                color="#ffffff",
                weight=2,
                fill=True,
                fill_color=SITE_COLOUR,
                fill_opacity=0.95,
                tooltip=escape_text(r.label),
            ).add_to(group)
        group.add_to(m)
        items.append((SITE_COLOUR, t("loop.map.sites", L), "dot"))
    # the city frame (outlines, labels); only its boundary legend items: the street styles are left out so
    # the legend stays clear of the selected unit on a half-width map
    items += [i for i in _city_frame(m, ws, L) if i[-1] == "outline"]
    mapkit.legend_html(t("loop.map.legend", L), items).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    target = sel if len(sel) else ws["compounds"]
    minx, miny, maxx, maxy = target.to_crs(DISPLAY_CRS).total_bounds
    pad = 0.6 * max(maxx - minx, maxy - miny) if len(sel) else 0.0
    m.fit_bounds([[miny - pad, minx - pad], [maxy + pad, maxx + pad]])
    return mapkit.finalize(m)
