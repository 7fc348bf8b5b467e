"""Map assembly shared by pages and the CLI (no Streamlit here, so batch exports reuse it)."""

from __future__ import annotations

import folium
import pandas as pd

from cartography import mapkit
from cartography.builders import boundary_layer, compounds_layer, facilities_layer, parcels_layer
from cartography.colours import (
    BUILD_YEAR_LABELS,
    BUILD_YEAR_SCALE,
    DECISION_COLOURS,
    GRADE_COLOURS,
    PARCEL_TYPE_COLOURS,
    SCORE_SCALE,
    SHARE_SCALE,
    STATUS_COLOURS,
    TIER_COLOUR,
    score_colour,
    share_colour,
)
from cartography.geojson import display_geojson
from cartography.layout import belts_layer, circle_layer, city_seats_layer, clusters_layer
from geodata.layout import TIER_EN, TIERS
from i18n import format_value, t
from layers.healthcheck import unit_names


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
    from layers.coverage import coverage_area

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
    items = SHARE_SCALE.legend_items(lambda lo, hi, _i: f"{lo * 100:.0f}–{hi * 100:.0f}%")
    mapkit.legend_html(t("cov.legend", lang), items).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    minx, miny, maxx, maxy = ws["compounds"].total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


def parcel_map(ws, parcels, scores, colour_by: str, L: str) -> folium.Map:
    """Renewal parcels coloured by type, status, 留改拆 decision or screening score, over the districts."""
    m = mapkit.base_map()
    districts_layer(ws, L).add_to(m)
    gdf = parcels.assign(
        score=scores.reindex(parcels["parcel_id"]).round(1).to_numpy(),
        type_label=parcels["parcel_type"].map(lambda v: t(f"ptype.{v}", L)),
    )
    palette = {
        "type": (PARCEL_TYPE_COLOURS, "parcel_type"),
        "status": (STATUS_COLOURS, "status"),
        "decision": (DECISION_COLOURS, "decision"),
    }
    if colour_by == "score":
        gdf["colour"] = gdf["score"].map(score_colour)
        last = len(SCORE_SCALE.colours) - 1
        items = SCORE_SCALE.legend_items(lambda lo, hi, i: f"≥ {lo:g}" if i == last else f"< {hi:g}")
    else:
        colours, col = palette[colour_by]
        gdf["colour"] = gdf[col].map(colours).fillna("#666666")
        items = [(c, t(f"ptype.{k}", L) if colour_by == "type" else k) for k, c in colours.items()]
    fields = ("parcel_id", "name", "type_label", "status", "decision", "score")
    folium.GeoJson(
        display_geojson(gdf, simplify_m=2, columns=(*fields, "colour")),
        name=t("layer.parcels", L),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 1.5,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(
            list(fields),
            aliases=[
                t(k, L)
                for k in ("col.parcel_id", "col.name", "col.type", "col.status", "col.decision", "col.score")
            ],
            sticky=True,
        ),
    ).add_to(m)
    mapkit.legend_html(t(f"ren.colour.{colour_by}", L), items).add_to(m)
    minx, miny, maxx, maxy = (gdf if len(gdf) else ws["parcels"]).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


#: 城市体检 level → (polygon layer, key column)
POLYGONS = {
    "community": ("communities", "community_id"),
    "subdistrict": ("subdistricts", "subdistrict_id"),
    "district": ("districts", "adcode"),
}


def grade_map(ws, ev: pd.DataFrame, level: str, indicator: str, L: str) -> folium.Map:
    """Units of a 城市体检 level coloured by the grade of one indicator (name, value, grade on hover)."""
    layer, key = POLYGONS[level]
    polys = ws[layer].copy()
    rows = ev[ev["indicator"] == indicator].set_index("unit")
    polys["grade"] = polys[key].map(rows["grade"]).fillna("none")
    polys["label"] = polys["grade"].map(lambda g: t(f"hc.grade.{g}", L))
    unit = rows["unit_of_measure"].iloc[0] if len(rows) else ""
    polys["value_text"] = polys[key].map(rows["value"]).map(lambda v: format_value(v, unit))
    polys["name_text"] = polys[key].map(unit_names(ws.layers, level, L)).fillna("")
    polys["colour"] = polys["grade"].map(GRADE_COLOURS)
    m = mapkit.base_map()
    folium.GeoJson(
        display_geojson(polys, simplify_m=10, columns=("name_text", "value_text", "label", "colour")),
        name=t(f"level.{level}", L),
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.7,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.65,
        },
        tooltip=folium.GeoJsonTooltip(
            ["name_text", "value_text", "label"],
            aliases=[t("col.unit", L), t("col.value", L), t("col.grade", L)],
            sticky=True,
        ),
    ).add_to(m)
    mapkit.legend_html(
        t("col.grade", L), [(c, t(f"hc.grade.{g}", L)) for g, c in GRADE_COLOURS.items()]
    ).add_to(m)
    minx, miny, maxx, maxy = ws["compounds"].total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


def overview_map(bnd, ws, catalogue, *, lang: str, extent: str, basemap: str, tianditu_key: str = ""):
    """The overview map: province, prefectures, counties, the workspace city (compounds, parcels, facilities)."""
    shift = lambda g: mapkit.for_basemap(g, basemap)  # noqa: E731
    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key or None)
    boundary_layer(
        shift(bnd.prefectures),
        name=t("layer.prefectures", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#6a51a3",
        weight=1.6,
        fill_opacity=0.04,
        simplify_m=300,
        tooltip_alias=t("layer.prefectures", lang),
    ).add_to(m)
    boundary_layer(
        shift(bnd.counties),
        name=t("layer.counties", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#969696",
        weight=0.7,
        simplify_m=300,
        dash="3 3",
        tooltip_alias=t("layer.counties", lang),
    ).add_to(m)
    boundary_layer(
        shift(bnd.province),
        name=t("layer.province", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#252525",
        weight=3,
        simplify_m=300,
        tooltip_alias=t("layer.province", lang),
    ).add_to(m)
    boundary_layer(
        shift(ws["districts"]),
        name=t("layer.districts", lang),
        name_field="name_zh" if lang == "zh" else "name_en",
        colour="#08519c",
        weight=2.2,
        fill_opacity=0.03,
        simplify_m=50,
        tooltip_alias=t("col.district", lang),
    ).add_to(m)
    compounds_layer(
        shift(ws["compounds"]),
        name=t("layer.compounds", lang),
        aliases=(t("col.name", lang), t("col.build_year", lang), t("col.population", lang)),
    ).add_to(m)
    type_labels = {k: t(f"ptype.{k}", lang) for k in PARCEL_TYPE_COLOURS}
    parcels_layer(
        shift(ws["parcels"]),
        name=t("layer.parcels", lang),
        type_labels=type_labels,
        aliases=(t("col.name", lang), t("col.type", lang), t("col.status", lang)),
        show=False,
    ).add_to(m)
    names = {k: (ft.name_zh if lang == "zh" else ft.name_en) for k, ft in catalogue.types.items()}
    facilities_layer(
        shift(ws["facilities"]), name=t("layer.facilities", lang), type_names=names, show=False
    ).add_to(m)
    items = [(c, t(key, lang)) for c, key in zip(BUILD_YEAR_SCALE.colours, BUILD_YEAR_LABELS)]
    items += [(c, type_labels[k]) for k, c in PARCEL_TYPE_COLOURS.items()]
    items += [
        ("#6a51a3", t("legend.prefecture", lang)),
        ("#969696", t("legend.county", lang)),
        ("#2b8cbe", t("legend.facility", lang)),
    ]
    mapkit.legend_html(t("legend.title", lang), items).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    bounds_src = bnd.province if extent == "province" else ws["compounds"]
    minx, miny, maxx, maxy = shift(bounds_src).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)
