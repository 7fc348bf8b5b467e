"""一老一小 map: 街道 (subdistricts) coloured by the share of an age group served by its matching facility."""

from __future__ import annotations

import folium
import pandas as pd

from cartography import mapkit
from cartography.builders import facilities_layer
from cartography.colours import SHARE_SCALE, share_colour
from cartography.geojson import display_geojson, tooltip
from cartography.maps import _city_frame, _fit, city_context
from i18n import t


def equity_map(
    ws, by_subdistrict: pd.DataFrame, group: str, L: str, *, facilities=None, facility_label: str = ""
) -> folium.Map:
    """Subdistricts coloured by the served share of one age group, with the matching facilities.

    Parameters
    ----------
    ws : Mapping
        Workspace layers (``subdistricts``, ``compounds``, districts and streets for the frame), any CRS.
    by_subdistrict : pandas.DataFrame
        Output of :func:`layers.equity.coverage_by_subdistrict` (``subdistrict_id, group, residents,
        served, share``).
    group : str
        Age group key (e.g. ``children_3_6``).
    L : {"zh", "en"}
        Language of names, tooltips and the legend.
    facilities : geopandas.GeoDataFrame, optional
        The matching facilities (points with ``type`` and ``name``) drawn on top.
    facility_label : str
        The facility type's name in ``L`` (layer and tooltip).

    Returns
    -------
    folium.Map
        The map; names are escaped by :func:`cartography.geojson.display_geojson`; the legend states the
        served share in % and the residents in persons.
    """
    subs = ws["subdistricts"].copy()
    rows = by_subdistrict[by_subdistrict["group"] == group].set_index("subdistrict_id")
    share = subs["subdistrict_id"].map(rows["share"])
    subs["share_pct"] = share.map(lambda v: "—" if pd.isna(v) else f"{v * 100:.1f}")
    subs["residents_text"] = (
        subs["subdistrict_id"].map(rows["residents"]).fillna(0).map(lambda v: f"{v:,.0f}")
    )
    subs["unserved_text"] = (
        subs["subdistrict_id"].map(rows["residents"] - rows["served"]).fillna(0).map(lambda v: f"{v:,.0f}")
    )
    subs["colour"] = [share_colour(v) for v in share]
    m = mapkit.base_map()
    city_context(m, ws, L)
    folium.GeoJson(
        display_geojson(
            subs, simplify_m=10, columns=("name", "share_pct", "residents_text", "unserved_text", "colour")
        ),
        name=t("eq.map.layer", L, group=t(f"eq.group.{group}", L)),
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.8,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.6,
        },
        tooltip=tooltip(
            ["name", "share_pct", "residents_text", "unserved_text"],
            [
                t("eq.col.subdistrict", L),
                t("eq.col.share_pct", L),
                t("eq.col.residents", L),
                t("eq.col.unserved", L),
            ],
        ),
    ).add_to(m)
    frame_items = _city_frame(m, ws, L)
    if facilities is not None and len(facilities):
        # the facility points (grouped into numbered clusters when zoomed out) are listed in the legend
        frame_items = [
            ("#1a1a1a", t("eq.map.facilities", L, facility=facility_label), "dot:10"),
            *frame_items,
        ]
        ftype = str(facilities["type"].iloc[0])
        facilities_layer(
            facilities,
            name=facility_label or ftype,
            type_names={ftype: facility_label or ftype},
            type_colours={ftype: "#1a1a1a"},
        ).add_to(m)
    items = SHARE_SCALE.legend_items(lambda lo, hi, _i: f"{lo * 100:.0f}–{hi * 100:.0f}%")
    mapkit.legend_html(t("eq.map.legend", L, group=t(f"eq.group.{group}", L)), [*items, *frame_items]).add_to(
        m
    )
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, ws["compounds"])
    return mapkit.finalize(m)
