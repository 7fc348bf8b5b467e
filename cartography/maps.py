"""Map assembly shared by pages and the CLI (no Streamlit here, so batch exports reuse it).

Drawing order on every map (bottom → top): context outlines and the street network (non-interactive),
the thematic layer (interactive, with its tooltip), boundary outlines that only frame (non-interactive),
points, then permanent labels (non-interactive). The pointer therefore always reaches the thematic layer
under it: outline-only layers never take hover.
"""

from __future__ import annotations

import re

import folium
import pandas as pd

from cartography import mapkit
from cartography.builders import (
    AREA_VERTICES,
    MAX_FACILITY_POINTS,
    boundary_layer,
    compounds_layer,
    facilities_layer,
    labels_layer,
    parcels_layer,
    streets_layer,
)
from cartography.colours import (
    BOUNDARY_COLOURS,
    BUILD_YEAR_LABELS,
    BUILD_YEAR_SCALE,
    DECISION_COLOURS,
    GRADE_COLOURS,
    HIGHLIGHT,
    HIGHLIGHT_CASING,
    PARCEL_TYPE_COLOURS,
    SCORE_SCALE,
    SHARE_SCALE,
    STATUS_COLOURS,
    STREET_STYLES,
    TIER_COLOUR,
    score_colour,
    share_colour,
)
from cartography.compact import CompactGeoJson
from cartography.geojson import display_geojson, label_points, street_label_points, tooltip
from cartography.layout import belts_layer, circle_layer, city_seats_layer, clusters_layer, seat_labels
from cartography.whatif import proposed_layer
from geodata.layout import TIER_EN, TIERS
from i18n import LABELS as _KEYS
from i18n import format_value, t
from layers.layout import belt_bands
from layers.memo import derived

#: demo-data marker in names ("井柳街道（示例）"): kept in tooltips, dropped from permanent labels (the page
#: and the export title already say 示例数据), so 300 labels do not each repeat it
_DEMO_SUFFIX = re.compile(r"\s*[（(]\s*(示例|demo)\s*[)）]\s*$", re.IGNORECASE)
#: zoom ranges of the labels: province-scale names hand over to city-scale names at zoom 10
PREFECTURE_MAX_ZOOM = 10.0
COUNTY_ZOOM = (8.0, 10.0)
DISTRICT_MIN_ZOOM = 10.0
SUBDISTRICT_MIN_ZOOM = 12.5
COMMUNITY_MIN_ZOOM = 14.0
TIER_SIZE = {"省会": 18, "省域副中心": 16, "区域中心": 13, "重要节点": 11}


def _name_field(lang: str) -> str:
    return "name_en" if lang == "en" else "name_zh"


def _label_text(gdf, field: str):
    return gdf.assign(_label=gdf[field].astype("string").fillna("").str.replace(_DEMO_SUFFIX, "", regex=True))


def province_labels(bnd, lang: str, *, prefectures: bool = True, province: bool = True) -> list[list]:
    """Label records of the province (small scales), prefectures (below zoom 10) and counties (zoom 8–10)."""
    field = _name_field(lang)
    records: list[list] = []
    if province:
        records += label_points(bnd.province, field, kind="province", max_zoom=7.5, priority=90)
    if prefectures:
        records += label_points(
            bnd.prefectures, field, kind="prefecture", max_zoom=PREFECTURE_MAX_ZOOM, priority=5
        )
    records += label_points(
        bnd.counties, field, kind="county", min_zoom=COUNTY_ZOOM[0], max_zoom=COUNTY_ZOOM[1], priority=40
    )
    return records


def city_labels(ws, lang: str) -> list[list]:
    """Label records of the workspace city: districts (zoom ≥ 10), sub-districts (≥ 12.5), communities
    (≥ 14) and street names where the streets layer has a ``name`` column (≥ 14 for arterials, one label
    per street name per km). Placed once per loaded workspace and language (:mod:`layers.memo`)."""
    return list(derived(ws, ("city_labels", lang), lambda: _city_labels(ws, lang)))


def _city_labels(ws, lang: str) -> list[list]:
    records = label_points(
        ws["districts"], _name_field(lang), kind="district", min_zoom=DISTRICT_MIN_ZOOM, priority=10
    )
    layers = getattr(ws, "layers", ws)
    if "subdistricts" in layers and len(ws["subdistricts"]):
        records += label_points(
            _label_text(ws["subdistricts"], "name"),
            "_label",
            kind="subdistrict",
            min_zoom=SUBDISTRICT_MIN_ZOOM,
            priority=20,
        )
    if "communities" in layers and len(ws["communities"]):
        records += label_points(
            _label_text(ws["communities"], "name"),
            "_label",
            kind="community",
            min_zoom=COMMUNITY_MIN_ZOOM,
            priority=30,
        )
    if "streets" in layers and "name" in ws["streets"].columns:
        records += street_label_points(ws["streets"], "name")
    return records


def _streets(ws, lang: str, shift=None):
    layers = getattr(ws, "layers", ws)
    if "streets" not in layers or not len(ws["streets"]):
        return None
    gdf = ws["streets"] if shift is None else shift(ws["streets"])
    return streets_layer(gdf, name=t("map.layer.streets", lang), reuse=True)


def _street_legend(ws, lang: str) -> list[tuple]:
    layers = getattr(ws, "layers", ws)
    if "streets" not in layers or not len(ws["streets"]):
        return []
    kinds = set(ws["streets"]["kind"].astype(str)) if "kind" in ws["streets"].columns else set()
    items = [
        (STREET_STYLES[k]["color"], t(f"map.legend.street.{k}", lang), "line")
        for k in ("主干路", "次干路", "支路")
        if k in kinds
    ]
    return items or [(STREET_STYLES[""]["color"], t("map.layer.streets", lang), "line")]


def city_context(m: folium.Map, ws, lang: str, *, shift=None) -> folium.Map:
    """Add the street network (context, under everything else added later) to a city map."""
    layer = _streets(ws, lang, shift)
    if layer is not None:
        layer.add_to(m)
    return m


def _city_extent(ws):
    """What a city map is fitted to: the compounds, else (a new city workspace) its districts."""
    return ws["compounds"] if len(ws["compounds"]) else ws["districts"]


def _fit(m: folium.Map, gdf, *, right_px: int = 0) -> None:
    """Fit the map to ``gdf``, keeping ``right_px`` on the right free for the legend."""
    minx, miny, maxx, maxy = gdf.total_bounds
    if right_px:
        m.fit_bounds(
            [[miny, minx], [maxy, maxx]], padding_top_left=(10, 10), padding_bottom_right=(right_px, 10)
        )
    else:
        m.fit_bounds([[miny, minx], [maxy, maxx]])


def _county_roles(bnd, layout, lang: str) -> pd.DataFrame:
    """Per county: its prefecture's name and the layout elements it belongs to (circle / cluster, belts)."""
    counties = bnd.counties
    field = _name_field(lang)
    pref = bnd.prefectures.set_index("adcode")[field]
    sep = ", " if lang == "en" else "、"
    circle = set(layout.circle.members)
    circle_name = layout.circle.name_en if lang == "en" else layout.circle.name_zh
    bands = belt_bands(layout, counties)
    points = counties.to_crs("EPSG:32650").representative_point().to_crs(bands.crs)
    roles = []
    for adcode, pref_code, point in zip(counties["adcode"], counties["prefecture_adcode"], points):
        parts = []
        if adcode in circle:
            parts.append(circle_name)
        cluster = layout.cluster_of(pref_code)
        if cluster is not None and not (adcode in circle and layout.circle_overrides_clusters):
            parts.append(cluster.name_en if lang == "en" else cluster.name_zh)
        parts += [
            str(row["name_en"] if lang == "en" else row["name_zh"])
            for _, row in bands.iterrows()
            if row.geometry is not None and row.geometry.contains(point)
        ]
        roles.append(sep.join(parts) or "—")
    return counties.assign(prefecture_name=counties["prefecture_adcode"].map(pref).fillna(""), roles=roles)


def selected_layer(prefectures, adcode: int | None, *, name: str) -> folium.FeatureGroup | None:
    """The selected prefecture's outline as a thick highlight (dark casing + bright line), non-interactive."""
    if adcode is None:
        return None
    sel = prefectures[prefectures["adcode"] == int(adcode)]
    if sel.empty:
        return None
    group = folium.FeatureGroup(name=name)
    data = display_geojson(sel, simplify_m=300, columns=("adcode",))
    for colour, weight in ((HIGHLIGHT_CASING, 8), (HIGHLIGHT, 4)):
        folium.GeoJson(
            data,
            style_function=lambda _f, c=colour, w=weight: {"color": c, "weight": w, "fill": False},
            interactive=False,
        ).add_to(group)
    return group


def layout_map(
    bnd,
    layout,
    *,
    lang: str = "zh",
    basemap: str = "none",
    tianditu_key: str | None = None,
    asset_base: str = mapkit.DEFAULT_ASSET_BASE,
    selected_adcode: int | None = None,
) -> folium.Map:
    """The 一圈两带四群 map: clusters, circle outline, belts with bands, prefecture lines, seats, legend.

    Hover anywhere shows the county under the pointer with its prefecture and layout elements; city and
    county names are permanent labels (counties from zoom 8). ``selected_adcode`` (a prefecture) is drawn
    with a thick highlight outline.
    """
    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key)
    field = _name_field(lang)
    clusters_layer(
        bnd.prefectures, bnd.counties, layout, name=t("layout.layer.clusters", lang), lang=lang
    ).add_to(m)
    belts_layer(
        layout, bnd.counties, name=t("layout.layer.belts", lang), lang=lang, clip_to=bnd.province
    ).add_to(m)
    circle_layer(bnd.counties, layout, name=t("layout.layer.circle", lang), lang=lang).add_to(m)
    # hover layer on top of the fills: every county with its prefecture and layout membership
    boundary_layer(
        _county_roles(bnd, layout, lang),
        name=t("layer.counties", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["county"],
        weight=0.5,
        simplify_m=300,
        dash="2 3",
        tooltip_alias=t("layer.counties", lang),
        extra_fields=(
            ("prefecture_name", t("map.tip.prefecture", lang)),
            ("roles", t("map.tip.layout", lang)),
        ),
    ).add_to(m)
    boundary_layer(
        bnd.prefectures,
        name=t("layer.prefectures", lang),
        name_field=field,
        colour="#555555",
        weight=1.4,
        simplify_m=300,
        interactive=False,
    ).add_to(m)
    boundary_layer(
        bnd.province,
        name=t("layer.province", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["province"],
        weight=2.5,
        simplify_m=300,
        interactive=False,
        control=False,
    ).add_to(m)
    highlight = selected_layer(bnd.prefectures, selected_adcode, name=t("map.layer.selected", lang))
    if highlight is not None:
        highlight.add_to(m)
    city_seats_layer(
        layout, bnd.prefectures, name=t("layout.layer.seats", lang), lang=lang, with_labels=False
    ).add_to(m)
    records = seat_labels(layout, bnd.prefectures, lang=lang, max_zoom=PREFECTURE_MAX_ZOOM)
    records += label_points(
        bnd.counties, field, kind="county", min_zoom=COUNTY_ZOOM[0], max_zoom=30, priority=40
    )
    labels_layer(records, name=t("map.layer.labels", lang)).add_to(m)
    name = (lambda o: o.name_en) if lang == "en" else (lambda o: o.name_zh)
    items = [
        ("", t("layout.kind.circle", lang), "heading"),
        (layout.circle.colour, name(layout.circle), "line"),
    ]
    items += [("", t("layout.kind.belt", lang), "heading")]
    items += [(b.colour, name(b), "dash") for b in layout.belts]
    items += [("", t("layout.kind.cluster", lang), "heading")]
    items += [(k.colour, name(k), "fill") for k in layout.clusters]
    items += [("", t("map.legend.tiers", lang), "heading")]
    items += [
        (TIER_COLOUR[tier], tier if lang == "zh" else TIER_EN[tier], f"dot:{TIER_SIZE[tier]}")
        for tier in TIERS
    ]
    items += [
        ("", t("map.legend.boundaries", lang), "heading"),
        ("#555555", t("legend.prefecture", lang), "outline"),
    ]
    if highlight is not None:
        items.append((HIGHLIGHT, t("map.layer.selected", lang), "line"))
    mapkit.legend_html(t("legend.title", lang), items, columns=1).add_to(m)
    # the legend is the key of this drawing: the layer switches fold into one button beside it
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, bnd.province, right_px=300 if lang == "en" else 190)
    return mapkit.finalize(m, asset_base)


def districts_layer(ws, lang: str, *, interactive: bool = True, shift=None) -> folium.FeatureGroup:
    """The demo/workspace city's district outlines (shared by the city maps).

    ``interactive=False`` for a frame drawn over a thematic layer (hover then reaches the layer below;
    the districts are named by permanent labels instead).
    """
    gdf = ws["districts"] if shift is None else shift(ws["districts"])
    return boundary_layer(
        gdf,
        name=t("layer.districts", lang),
        name_field=_name_field(lang),
        colour=BOUNDARY_COLOURS["district"],
        weight=2,
        simplify_m=50,
        tooltip_alias=t("col.district", lang),
        interactive=interactive,
        reuse=True,
    )


def subdistricts_layer(ws, lang: str) -> folium.FeatureGroup | None:
    """Sub-district outlines (thin, dashed, non-interactive) when the workspace has them."""
    layers = getattr(ws, "layers", ws)
    if "subdistricts" not in layers or not len(ws["subdistricts"]):
        return None
    return boundary_layer(
        ws["subdistricts"],
        name=t("map.layer.subdistricts", lang),
        name_field="name",
        colour="#4a6fa5",
        weight=0.9,
        dash="4 3",
        simplify_m=20,
        interactive=False,
        reuse=True,
    )


def _city_frame(m: folium.Map, ws, lang: str) -> list[tuple]:
    """Sub-district and district outlines (non-interactive) and the city labels over a thematic layer;
    returns their legend items."""
    sub = subdistricts_layer(ws, lang)
    if sub is not None:
        sub.add_to(m)
    districts_layer(ws, lang, interactive=False).add_to(m)
    labels_layer(city_labels(ws, lang), name=t("map.layer.labels", lang)).add_to(m)
    items = [(BOUNDARY_COLOURS["district"], t("map.legend.district", lang), "outline")]
    if sub is not None:
        items.append(("#4a6fa5", t("map.legend.subdistrict", lang), "outline"))
    return items + _street_legend(ws, lang)


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
    extra_layers=(),
) -> folium.Map:
    """Communities coloured by served share, facilities of the type (clustered), display coverage area,
    proposed scenario sites, over the street network, with district / sub-district / community labels.
    ``community_share`` is indexed by community_id with ``served_share``; ``extra_layers`` (FeatureGroups,
    e.g. what-if catchments) are drawn on top and listed in the layer control."""
    from layers.coverage import coverage_area

    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key)
    city_context(m, ws, lang)
    # a workspace without 社区 (a new city) is coloured by district: ``community_share`` is then indexed
    # by district adcode (the page groups by district)
    by_district = len(ws["communities"]) == 0
    if by_district:
        units = ws["districts"].rename(columns={"adcode": "unit_id"})
        units["name"] = units["name_en" if lang == "en" else "name_zh"]
    else:
        units = ws["communities"].rename(columns={"community_id": "unit_id"})
    share = units["unit_id"].map(community_share["served_share"]).fillna(0.0)
    pop = units["unit_id"].map(community_share["population"]).fillna(0.0)
    units["share_pct"] = (share * 100).round(1)
    units["pop"] = pop.round(0).astype(int).map(lambda v: f"{v:,}")
    units["colour"] = [share_colour(s) for s in share]
    unit = "district" if by_district else "community"
    group = folium.FeatureGroup(name=t(f"cov.layer.{unit}_share", lang))
    CompactGeoJson(
        units,
        columns=("name", "share_pct", "pop", "colour"),
        style={"color": "#555555", "weight": 0.6, "fillOpacity": 0.55},
        style_props={"fillColor": "colour"},
        simplify_m=10,
        max_vertices=AREA_VERTICES,
        tooltip=tooltip(
            ["name", "share_pct", "pop"],
            [t(f"col.{unit}", lang), t("col.served_share", lang) + " %", t("col.population", lang)],
        ),
    ).add_to(group)
    group.add_to(m)
    if not selection.startswith("circle:"):
        fac = model.facilities[model.facilities["type"] == selection]
        if model.mode == "euclidean" and len(fac):
            area = coverage_area(fac, model.radius_m(selection), simplify_m=15)
            CompactGeoJson(
                area,
                name=t("cov.layer.area", lang),
                style={"color": "#1a9850", "weight": 1, "fillColor": "#1a9850", "fillOpacity": 0.12},
                simplify_m=15,
                max_vertices=AREA_VERTICES,
                interactive=False,
            ).add_to(m)
    frame_items = _city_frame(m, ws, lang)
    if not selection.startswith("circle:"):
        ftype = model.catalogue.types[selection]
        facilities_layer(
            fac,
            name=t("cov.layer.facilities", lang),
            type_names={selection: ftype.name(lang)},
            type_colours={selection: "#1a9850"},
        ).add_to(m)
    if proposed is not None and len(proposed):
        proposed_layer(proposed, name=t("cov.layer.proposed", lang)).add_to(m)
    for layer in extra_layers:
        layer.add_to(m)
    items = SHARE_SCALE.legend_items(lambda lo, hi, _i: f"{lo * 100:.0f}–{hi * 100:.0f}%")
    mapkit.legend_html(t(f"cov.legend.{unit}", lang), [*items, *frame_items]).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, _city_extent(ws))
    return mapkit.finalize(m)


def parcel_map(ws, parcels, scores, colour_by: str, L: str) -> folium.Map:
    """Renewal parcels coloured by type, status, 留改拆 decision or screening score, over the street
    network, with district / sub-district / community labels."""
    m = mapkit.base_map()
    city_context(m, ws, L)
    gdf = parcels.assign(
        score=scores.reindex(parcels["parcel_id"]).round(1).to_numpy(),
        type_label=parcels["parcel_type"].map(lambda v: t(f"ptype.{v}", L)),
        status_label=parcels["status"].map(lambda v: t(f"status.{v}", L) if f"status.{v}" in _KEYS else v),
        decision_label=parcels["decision"].map(
            lambda v: t(f"decision.{v}", L) if f"decision.{v}" in _KEYS else v
        ),
    )
    palette = {
        "type": (PARCEL_TYPE_COLOURS, "parcel_type", "ptype."),
        "status": (STATUS_COLOURS, "status", "status."),
        "decision": (DECISION_COLOURS, "decision", "decision."),
    }
    if colour_by == "score":
        gdf["colour"] = gdf["score"].map(score_colour)
        last = len(SCORE_SCALE.colours) - 1
        items = SCORE_SCALE.legend_items(lambda lo, hi, i: f"≥ {lo:g}" if i == last else f"< {hi:g}")
    else:
        colours, col, prefix = palette[colour_by]
        gdf["colour"] = gdf[col].map(colours).fillna("#666666")
        items = [(c, t(f"{prefix}{k}", L) if f"{prefix}{k}" in _KEYS else k) for k, c in colours.items()]
    fields = ("parcel_id", "name", "type_label", "status_label", "decision_label", "score")
    # districts under the parcels as a light frame; labels on top
    sub = subdistricts_layer(ws, L)
    if sub is not None:
        sub.add_to(m)
    districts_layer(ws, L, interactive=False).add_to(m)
    CompactGeoJson(
        gdf,
        columns=(*fields, "colour"),
        name=t("layer.parcels", L),
        style={"weight": 1.5, "fillOpacity": 0.6},
        style_props={"color": "colour", "fillColor": "colour"},
        simplify_m=2,
        max_vertices=AREA_VERTICES,
        tooltip=tooltip(
            fields,
            [
                t(k, L)
                for k in ("col.parcel_id", "col.name", "col.type", "col.status", "col.decision", "col.score")
            ],
        ),
    ).add_to(m)
    labels_layer(city_labels(ws, L), name=t("map.layer.labels", L)).add_to(m)
    frame = [(BOUNDARY_COLOURS["district"], t("map.legend.district", L), "outline")]
    if sub is not None:
        frame.append(("#4a6fa5", t("map.legend.subdistrict", L), "outline"))
    mapkit.legend_html(t(f"ren.colour.{colour_by}", L), [*items, *frame, *_street_legend(ws, L)]).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, gdf if len(gdf) else ws["parcels"] if len(ws["parcels"]) else _city_extent(ws))
    return mapkit.finalize(m)


#: 城市体检 level → (polygon layer, key column)
POLYGONS = {
    "community": ("communities", "community_id"),
    "subdistrict": ("subdistricts", "subdistrict_id"),
    "district": ("districts", "adcode"),
}


def graded_units_map(
    ws, ev: pd.DataFrame, level: str, indicator: str, L: str, *, weight: float = 0.8, opacity: float = 0.6
) -> tuple[folium.Map, pd.DataFrame]:
    """A map with the city context and the units of a level coloured by one indicator's grade (name, value
    and grade on hover): the base of :func:`grade_map` and of the problem map. Returns the map and the units
    (a GeoDataFrame in EPSG:4326 with the level's key column)."""
    layer, key = POLYGONS[level]
    polys = ws[layer].copy()
    rows = ev[ev["indicator"] == indicator].set_index("unit")
    polys["grade"] = polys[key].map(rows["grade"]).fillna("none")
    polys["label"] = polys["grade"].map(lambda g: t(f"hc.grade.{g}", L))
    unit = rows["unit_of_measure"].iloc[0] if len(rows) else ""
    polys["value_text"] = polys[key].map(rows["value"]).map(lambda v: format_value(v, unit))
    from layers.healthcheck import unit_names  # here, not at import: the overview opens without scipy

    polys["name_text"] = polys[key].map(unit_names(ws.layers, level, L)).fillna("")
    polys["colour"] = polys["grade"].map(GRADE_COLOURS)
    m = mapkit.base_map()
    city_context(m, ws, L)
    CompactGeoJson(
        polys,
        columns=("name_text", "value_text", "label", "colour"),
        name=t(f"level.{level}", L),
        style={"color": "#ffffff", "weight": weight, "fillOpacity": opacity},
        style_props={"fillColor": "colour"},
        simplify_m=10,
        max_vertices=AREA_VERTICES,
        tooltip=tooltip(
            ["name_text", "value_text", "label"], [t("col.unit", L), t("col.value", L), t("col.grade", L)]
        ),
    ).add_to(m)
    return m, polys


def grade_map(ws, ev: pd.DataFrame, level: str, indicator: str, L: str) -> folium.Map:
    """Units of a 城市体检 level coloured by the grade of one indicator (name, value, grade on hover), with
    the street network, district and sub-district outlines and permanent names."""
    m, _ = graded_units_map(ws, ev, level, indicator, L)
    frame_items = _city_frame(m, ws, L)
    mapkit.legend_html(
        t("col.grade", L), [*((c, t(f"hc.grade.{g}", L)) for g, c in GRADE_COLOURS.items()), *frame_items]
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, _city_extent(ws))
    return mapkit.finalize(m)


def overview_map(bnd, ws, catalogue, *, lang: str, extent: str, basemap: str, tianditu_key: str = ""):
    """The overview map: province, prefectures, counties, the workspace city (compounds, parcels, facilities).

    Hover reaches the smallest unit under the pointer (compound → district → county with its prefecture);
    the province and prefecture outlines never take the pointer. Names are permanent labels by zoom.
    """
    shift = lambda g: mapkit.for_basemap(g, basemap)  # noqa: E731
    field = _name_field(lang)
    m = mapkit.base_map(basemap=basemap, tianditu_key=tianditu_key or None)
    city_context(m, ws, lang, shift=shift)

    def named_counties():
        pref = bnd.prefectures.set_index("adcode")[field]
        return bnd.counties.assign(prefecture_name=bnd.counties["prefecture_adcode"].map(pref).fillna(""))

    # one named county frame per language while the boundaries live (so its outlines are prepared once)
    counties = derived(bnd.counties, ("with_prefecture_name", field), named_counties)
    boundary_layer(
        shift(counties),
        name=t("layer.counties", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["county"],
        weight=0.7,
        simplify_m=300,
        dash="3 3",
        tooltip_alias=t("layer.counties", lang),
        extra_fields=(("prefecture_name", t("map.tip.prefecture", lang)),),
        reuse=True,
    ).add_to(m)
    boundary_layer(
        shift(bnd.prefectures),
        name=t("layer.prefectures", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["prefecture"],
        weight=1.6,
        simplify_m=300,
        interactive=False,
        reuse=True,
    ).add_to(m)
    boundary_layer(
        shift(bnd.province),
        name=t("layer.province", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["province"],
        weight=3,
        simplify_m=300,
        interactive=False,
        reuse=True,
    ).add_to(m)
    boundary_layer(
        shift(ws["districts"]),
        name=t("layer.districts", lang),
        name_field=field,
        colour=BOUNDARY_COLOURS["district"],
        weight=2.2,
        fill_opacity=0.03,
        simplify_m=50,
        tooltip_alias=t("col.district", lang),
        reuse=True,
    ).add_to(m)
    compounds_layer(
        shift(ws["compounds"]),
        name=t("layer.compounds", lang),
        aliases=(t("col.name", lang), t("col.build_year", lang), t("col.population", lang)),
        cell_aliases=(t("payload.cells.count", lang), t("col.population", lang)),
        class_labels=tuple(t(k, lang) for k in BUILD_YEAR_LABELS),
        reuse=True,
    ).add_to(m)
    type_labels = {k: t(f"ptype.{k}", lang) for k in PARCEL_TYPE_COLOURS}
    parcels_layer(
        shift(ws["parcels"]),
        name=t("layer.parcels", lang),
        type_labels=type_labels,
        status_labels={k: t(f"status.{k}", lang) for k in STATUS_COLOURS if f"status.{k}" in _KEYS},
        aliases=(t("col.name", lang), t("col.type", lang), t("col.status", lang)),
        show=False,
    ).add_to(m)
    names = {k: (ft.name_zh if lang == "zh" else ft.name_en) for k, ft in catalogue.types.items()}
    facilities_layer(
        shift(ws["facilities"]), name=t("layer.facilities", lang), type_names=names, show=False
    ).add_to(m)
    records = province_labels(bnd, lang) + city_labels(ws, lang)
    if mapkit.basemap_needs_gcj02(basemap):
        records = _shift_records(records)
    labels_layer(records, name=t("map.layer.labels", lang)).add_to(m)
    items = [("", t("map.legend.group.compounds", lang), "heading")]
    items += [(c, t(key, lang)) for c, key in zip(BUILD_YEAR_SCALE.colours, BUILD_YEAR_LABELS)]
    items += [("", t("map.legend.group.parcels", lang), "heading")]
    items += [(c, type_labels[k]) for k, c in PARCEL_TYPE_COLOURS.items()]
    items += [("", t("map.legend.boundaries", lang), "heading")]
    items += [
        (BOUNDARY_COLOURS["province"], t("map.legend.province", lang), "outline"),
        (BOUNDARY_COLOURS["prefecture"], t("legend.prefecture", lang), "outline"),
        (BOUNDARY_COLOURS["county"], t("legend.county", lang), "outline"),
        (BOUNDARY_COLOURS["district"], t("map.legend.district", lang), "outline"),
    ]
    items += _street_legend(ws, lang)
    dense = len(ws["facilities"]) > MAX_FACILITY_POINTS  # drawn as counts per grid cell (builders)
    items += [("#2b8cbe", t("payload.legend.facility_cells" if dense else "legend.facility", lang), "dot:10")]
    mapkit.legend_html(t("legend.title", lang), items).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    m.fit_bounds(overview_bounds(bnd, ws, extent=extent, basemap=basemap))
    return mapkit.finalize(m)


def overview_bounds(bnd, ws, *, extent: str, basemap: str) -> list[list[float]]:
    """What the overview map is fitted to for ``extent`` (``province`` or ``city``): ``[[south, west],
    [north, east]]`` in degrees, on the basemap's datum (GCJ-02 for AMap tiles, like the overlays)."""
    gdf = mapkit.for_basemap(bnd.province if extent == "province" else _city_extent(ws), basemap)
    minx, miny, maxx, maxy = gdf.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def _shift_records(records: list[list]) -> list[list]:
    """Label records moved to GCJ-02 (AMap tiles), like every other overlay."""
    from geodata.chinacoords import wgs84_to_gcj02

    out = []
    for r in records:
        lon, lat = wgs84_to_gcj02(r[1], r[0])
        out.append([round(float(lat), 5), round(float(lon), 5), *r[2:]])
    return out
