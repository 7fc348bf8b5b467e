"""Map assembly shared by pages and the CLI (no Streamlit here, so batch exports reuse it)."""

from __future__ import annotations

import folium

from dashboard.labels import t
from geodata.layout import TIER_EN, TIERS
from layers import mapkit
from layers.layout import TIER_COLOUR, belts_layer, circle_layer, city_seats_layer, clusters_layer
from layers.overview import boundary_layer, facilities_layer


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


def districts_layer(ws, lang: str) -> folium.FeatureGroup:
    """The demo/workspace city's district outlines with hover names (shared by the city maps)."""
    return boundary_layer(
        ws["districts"],
        name=t("layer.districts", lang),
        name_field="name_en" if lang == "en" else "name_zh",
        colour="#08306b",
        weight=2,
        simplify_m=50,
        tooltip_alias=t("col.district", lang),
    )


def coverage_map(
    ws,
    model,
    selection: str,
    *,
    lang: str,
    community_share,
    proposed=None,
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """Communities coloured by served share, facilities of the type (clustered), display coverage area,
    proposed scenario sites. ``community_share`` is indexed by community_id with ``served_share``."""
    from layers.coverage import SHARE_CLASSES, coverage_area, share_colour
    from layers.overview import display_geojson

    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key)
    comms = ws["communities"].copy()
    share = comms["community_id"].map(community_share["served_share"]).fillna(0.0)
    pop = comms["community_id"].map(community_share["population"]).fillna(0.0)
    comms["share_pct"] = (share * 100).round(1)
    comms["pop"] = pop.round(0).astype(int)
    comms["colour"] = [share_colour(s) for s in share]
    group = folium.FeatureGroup(name=t("cov.layer.communities", lang))
    folium.GeoJson(
        display_geojson(comms, simplify_m=10, columns=("name", "share_pct", "pop", "colour")),
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.6,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "share_pct", "pop"],
            aliases=[t("col.community", lang), t("col.served_share", lang) + " %", t("col.population", lang)],
            sticky=True,
        ),
    ).add_to(group)
    group.add_to(m)
    districts_layer(ws, lang).add_to(m)
    if not selection.startswith("circle:"):
        fac = model.facilities[model.facilities["type"] == selection]
        if model.mode == "euclidean" and len(fac):
            area = coverage_area(fac, model.radius_m(selection), simplify_m=15).to_crs("EPSG:4326")
            folium.GeoJson(
                area.to_json(),
                name=t("cov.layer.area", lang),
                style_function=lambda _f: {
                    "color": "#1a9850",
                    "weight": 1,
                    "fillColor": "#1a9850",
                    "fillOpacity": 0.12,
                },
            ).add_to(m)
        ftype = model.catalogue.types[selection]
        facilities_layer(
            fac,
            name=t("cov.layer.facilities", lang),
            type_names={selection: ftype.name(lang)},
            type_colours={selection: "#1a9850"},
        ).add_to(m)
    if proposed is not None and len(proposed):
        fg = folium.FeatureGroup(name=t("cov.layer.proposed", lang))
        for _, r in proposed.iterrows():
            folium.CircleMarker(
                [r["lat"], r["lon"]],
                radius=9,
                color="#ffffff",
                weight=2,
                fill=True,
                fill_color="#d7191c",
                fill_opacity=1.0,
                tooltip=mapkit.escape(f"{r['type_label']} ({r['lon']:.5f}, {r['lat']:.5f})"),
            ).add_to(fg)
        fg.add_to(m)
    lows = [0.0] + [u for u, _ in SHARE_CLASSES[:-1]]
    items = [(c, f"{lo * 100:.0f}–{min(u, 1.0) * 100:.0f}%") for lo, (u, c) in zip(lows, SHARE_CLASSES)]
    mapkit.legend_html(t("cov.legend", lang), items).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = ws["compounds"].total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


def export_frame(m: folium.Map, kind: str, *, lang: str = "zh", synthetic: bool = False) -> folium.Map:
    """Add the print frame (title, north arrow, date and data source) to a map for PNG/PDF export."""
    import datetime as dt

    title = {"layout": t("layout.title", lang), "coverage": t("cov.title", lang)}.get(
        kind, t("app.title", lang)
    )
    source = t("export.source", lang) + (" · " + t("export.demo", lang) if synthetic else "")
    footer = f"{t('export.date', lang)} {dt.date.today().isoformat()} · {source}"
    mapkit.print_frame(title, t("app.title", lang), footer).add_to(m)
    return m
