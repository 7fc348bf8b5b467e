"""Maps of the renewal decision views: project outlines by status, and the numbered top-N candidates.

No Streamlit here. Every text that reaches the map goes through :func:`cartography.geojson.display_geojson`
(escaped) or :func:`cartography.geojson.text_tooltip`; colours come from :mod:`cartography.colours`, so the charts
on the page use the same status colours as the map.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from cartography import mapkit
from cartography.colours import SCORE_SCALE, STATUS_COLOURS, score_colour
from cartography.geojson import display_geojson, text_tooltip, tooltip
from cartography.maps import districts_layer
from i18n import t

#: outline of the selected project / candidate
HIGHLIGHT = "#e31a1c"


def status_label(status, lang: str) -> str:
    """A project status (储备 … 完工) in the UI language; unknown values are shown as they are."""
    key = f"status.{status}"
    text = t(key, lang)
    return str(status) if text == key else text


def category_label(category, lang: str) -> str:
    """A project category in the UI language; unknown values are shown as they are."""
    key = f"category.{category}"
    text = t(key, lang)
    return str(category) if text == key else text


def _fit(m: folium.Map, gdf: gpd.GeoDataFrame, fallback: gpd.GeoDataFrame) -> None:
    src = gdf if len(gdf) else fallback
    minx, miny, maxx, maxy = src.to_crs("EPSG:4326").total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], max_zoom=15)


def projects_map(
    outlines: gpd.GeoDataFrame,
    ws,
    lang: str,
    *,
    selected: str | None = None,
    district_names: dict[int, str] | None = None,
) -> folium.Map:
    """Project outlines filled by status colour over the district outlines, with a status legend.

    Parameters
    ----------
    outlines : geopandas.GeoDataFrame
        One polygon per project (``project_id``, ``name``, ``status``, ``category``, ``budget_wan`` in
        万元, ``start_year``, ``end_year``, ``district_adcode``); any CRS.
    ws : Workspace
        Gives the district outlines (and the extent when there are no projects).
    lang : str
        "zh" or "en".
    selected : str, optional
        ``project_id`` drawn with a red outline.
    district_names : dict, optional
        adcode → district name for the tooltip.
    """
    m = mapkit.base_map()
    districts_layer(ws, lang).add_to(m)
    names = district_names or {}
    if len(outlines):
        gdf = outlines.assign(
            status_text=outlines["status"].map(lambda s: status_label(s, lang)),
            category_text=outlines["category"].map(lambda c: category_label(c, lang)),
            budget_text=pd.to_numeric(outlines["budget_wan"], errors="coerce")
            .fillna(0.0)
            .map(lambda v: f"{v:,.1f} " + t("ren.unit.wan", lang)),
            years_text=[_years(s, e) for s, e in zip(outlines["start_year"], outlines["end_year"])],
            district_text=pd.to_numeric(outlines["district_adcode"], errors="coerce").map(
                lambda a: names.get(int(a), "—") if pd.notna(a) else "—"
            ),
            colour=outlines["status"].map(STATUS_COLOURS).fillna("#666666"),
            line=[HIGHLIGHT if p == selected else "#333333" for p in outlines["project_id"]],
            width=[4.0 if p == selected else 1.0 for p in outlines["project_id"]],
        )
        fields = ("project_id", "name", "category_text", "status_text", "budget_text", "years_text")
        fields += ("district_text",)
        group = folium.FeatureGroup(name=t("lib.layer.projects", lang))
        folium.GeoJson(
            display_geojson(gdf, simplify_m=2, columns=(*fields, "colour", "line", "width")),
            style_function=lambda f: {
                "color": f["properties"]["line"],
                "weight": f["properties"]["width"],
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.75,
            },
            tooltip=tooltip(
                fields,
                tuple(
                    t(k, lang)
                    for k in (
                        "col.project_id",
                        "col.name",
                        "col.category",
                        "col.status",
                        "col.budget_wan",
                        "lib.col.years",
                        "col.district",
                    )
                ),
            ),
        ).add_to(group)
        group.add_to(m)
    items = [(c, status_label(s, lang)) for s, c in STATUS_COLOURS.items()]
    if selected is not None:
        items.append((HIGHLIGHT, t("lib.legend.selected", lang), "line"))
    mapkit.legend_html(t("col.status", lang), items).add_to(m)
    _fit(m, outlines, ws["districts"])
    return mapkit.finalize(m)


def _years(start, end) -> str:
    s = None if start is None or pd.isna(start) else int(start)
    e = None if end is None or pd.isna(end) else int(end)
    if s is None:
        return "—"
    return f"{s}" if e is None or e == s else f"{s}–{e}"


def _number_icon(rank: int, selected: bool) -> folium.DivIcon:
    bg = HIGHLIGHT if selected else "#253494"
    size = 26 if rank < 10 else 30
    return folium.DivIcon(
        icon_size=(size, size),
        icon_anchor=(size // 2, size // 2),
        html=(
            f'<div style="width:{size}px;height:{size}px;border-radius:50%;background:{bg};color:#fff;'
            "border:2px solid #fff;box-shadow:0 1px 3px rgba(0,0,0,.5);display:flex;align-items:center;"
            f"justify-content:center;font:700 13px/1 'Noto Sans CJK SC',sans-serif\">{int(rank)}</div>"
        ),
    )


def top_candidates_map(
    top: gpd.GeoDataFrame,
    ws,
    lang: str,
    *,
    selected: str | None = None,
    context: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """The N best-scoring parcels filled by score and numbered 1…N on the map (rank in a circle).

    Parameters
    ----------
    top : geopandas.GeoDataFrame
        The top-N parcels with ``parcel_id``, ``name``, ``parcel_type``, ``rank`` (1 = best) and ``score``
        (0–100); any CRS.
    ws : Workspace
        Gives the district outlines.
    lang : str
        "zh" or "en".
    selected : str, optional
        ``parcel_id`` whose number is drawn in red (the one explained under "why #N").
    context : geopandas.GeoDataFrame, optional
        All other parcels, drawn light grey without hover for context.
    """
    m = mapkit.base_map()
    districts_layer(ws, lang).add_to(m)
    if context is not None and len(context):
        folium.GeoJson(
            display_geojson(context[["geometry"]], simplify_m=5),
            name=t("ren.top.layer.others", lang),
            style_function=lambda _f: {
                "color": "#9e9e9e",
                "weight": 0.5,
                "fillColor": "#bdbdbd",
                "fillOpacity": 0.35,
            },
        ).add_to(m)
    if len(top):
        gdf = top.to_crs("EPSG:4326").assign(
            rank_text=top["rank"].astype(int).map(lambda r: f"#{r}"),
            score_text=top["score"].map(lambda s: f"{s:.1f}"),
            type_text=top["parcel_type"].map(lambda v: t(f"ptype.{v}", lang)),
            colour=top["score"].map(score_colour),
            line=[HIGHLIGHT if p == selected else "#253494" for p in top["parcel_id"]],
        )
        fields = ("rank_text", "parcel_id", "name", "type_text", "score_text")
        group = folium.FeatureGroup(name=t("ren.top.layer", lang))
        folium.GeoJson(
            display_geojson(gdf, simplify_m=2, columns=(*fields, "colour", "line")),
            style_function=lambda f: {
                "color": f["properties"]["line"],
                "weight": 2,
                "fillColor": f["properties"]["colour"],
                "fillOpacity": 0.8,
            },
            tooltip=tooltip(
                fields,
                tuple(t(k, lang) for k in ("col.rank", "col.parcel_id", "col.name", "col.type", "col.score")),
            ),
        ).add_to(group)
        points = gdf.to_crs("EPSG:3857").representative_point().to_crs("EPSG:4326")
        for (_, r), pt in zip(gdf.iterrows(), points):
            folium.Marker(
                [pt.y, pt.x],
                icon=_number_icon(int(r["rank"]), r["parcel_id"] == selected),
                tooltip=text_tooltip(f"#{int(r['rank'])} · {r['parcel_id']} · {r['name']}"),
            ).add_to(group)
        group.add_to(m)
    last = len(SCORE_SCALE.colours) - 1
    items = SCORE_SCALE.legend_items(lambda lo, hi, i: f"≥ {lo:g}" if i == last else f"{lo:g}–{hi:g}")
    items.append(("#253494", t("ren.top.legend.number", lang), "dot"))
    if selected is not None:
        items.append((HIGHLIGHT, t("ren.top.legend.selected", lang), "dot"))
    mapkit.legend_html(t("ren.top.legend", lang), items).add_to(m)
    _fit(m, top, ws["districts"])
    return mapkit.finalize(m)
