"""Map assembly shared by pages and the CLI (no Streamlit here, so batch exports reuse it)."""

from __future__ import annotations

import folium

from dashboard.labels import t
from geodata.layout import TIER_EN, TIERS
from layers import mapkit
from layers.layout import TIER_COLOUR, belts_layer, circle_layer, city_seats_layer, clusters_layer
from layers.overview import boundary_layer


def layout_map(
    bnd,
    layout,
    *,
    lang: str = "zh",
    basemap: str = "none",
    tianditu_key: str | None = None,
    asset_base: str = mapkit.DEFAULT_ASSET_BASE,
) -> folium.Map:
    """The 一圈两带四群 map: clusters, circle outline, belts with bands, prefecture lines, seats, legend."""
    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key)
    name_field = "name_en" if lang == "en" else "name_zh"
    clusters_layer(
        bnd.prefectures, bnd.counties, layout, name=t("layout.layer.clusters", lang), lang=lang
    ).add_to(m)
    belts_layer(
        layout, bnd.counties, name=t("layout.layer.belts", lang), lang=lang, clip_to=bnd.province
    ).add_to(m)
    circle_layer(bnd.counties, layout, name=t("layout.layer.circle", lang), lang=lang).add_to(m)
    boundary_layer(
        bnd.prefectures,
        name=t("layer.prefectures", lang),
        name_field=name_field,
        colour="#555555",
        weight=1.2,
        simplify_m=300,
        tooltip_alias=t("layer.prefectures", lang),
    ).add_to(m)
    city_seats_layer(layout, bnd.prefectures, name=t("layout.layer.seats", lang), lang=lang).add_to(m)
    items = [(layout.circle.colour, layout.circle.name_en if lang == "en" else layout.circle.name_zh, "line")]
    items += [(b.colour, b.name_en if lang == "en" else b.name_zh, "line") for b in layout.belts]
    items += [(k.colour, k.name_en if lang == "en" else k.name_zh) for k in layout.clusters]
    items += [(TIER_COLOUR[tier], tier if lang == "zh" else TIER_EN[tier], "dot") for tier in TIERS]
    mapkit.legend_html(t("legend.title", lang), items).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = bnd.province.total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m, asset_base)
