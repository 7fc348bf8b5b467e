"""Slide content of a saved view: a descriptive map title, 2–3 key figures and a one-line conclusion
written from the numbers (zh and en). Pure functions, no Streamlit: the 会议演示 page, the PNG/PDF exports
and ``cli.py rehearse`` all call :func:`slide_content` (and :func:`slide_map` for the map itself).

A view is ``{"title", "kind", "params"}`` (see ``geodata.views``) with kind layout | coverage | renewal |
health. Models are optional arguments so a page can pass its cached ones; otherwise they are computed through
``layers.pipelines`` / ``layers.healthcheck``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from i18n import format_value, t

#: how many top candidates the renewal slide and the candidates map number
TOP_N = 10


@dataclass(frozen=True)
class KeyFigure:
    """One key figure of a slide: a label and its formatted value (with units)."""

    label: str
    value: str


@dataclass(frozen=True)
class SlideContent:
    """What a slide says besides its map.

    Attributes
    ----------
    kind : str
        The view kind (layout | coverage | renewal | health).
    title : str
        Descriptive map title naming what is shown (type, radius, distance mode, year, scenario …).
    subtitle : str
        The key figure in one short line (under the title of a printed map).
    figures : tuple of KeyFigure
        2–3 key figures.
    conclusion : str
        One sentence written from the numbers.
    """

    kind: str
    title: str
    subtitle: str
    figures: tuple[KeyFigure, ...]
    conclusion: str


# ------------------------------------------------------------------------------------------ number formats


def people(n: float, lang: str) -> str:
    """A number of residents: ``12.4万人`` / ``1,234人`` in Chinese, ``124,000 residents`` / ``1.08 million
    residents`` in English."""
    n = float(n)
    if lang == "en":
        if abs(n) >= 1_000_000:
            return t("num.million_people", lang, n=f"{n / 1_000_000:,.2f}")
        return t("num.residents", lang, n=f"{n:,.0f}")
    if abs(n) >= 10_000:
        return t("num.wan_people", lang, n=f"{n / 10_000:,.1f}")
    return t("num.residents", lang, n=f"{n:,.0f}")


def pct(share: float) -> str:
    """A share 0…1 as a percentage with one decimal (``57.1%``)."""
    return f"{float(share) * 100:.1f}%"


def area_text(km2: float, lang: str) -> str:
    """An area: ``6.68 万平方公里`` in Chinese (above 10,000 km²), ``66,800 km²`` in English."""
    if lang != "en" and km2 >= 10_000:
        return t("num.wan_km2", lang, n=f"{km2 / 10_000:,.2f}")
    return t("num.km2", lang, n=f"{km2:,.0f}")


def count(n: int, lang: str, unit_key: str) -> str:
    """A count with thousands separators and its unit label (``1,234 个地块`` / ``1,234 parcels``)."""
    return t(unit_key, lang, n=f"{int(n):,}")


# ------------------------------------------------------------------------------------------ per kind


def view_year(ws, params: dict) -> int:
    """The year of a view: ``params["year"]``, else the latest survey year of the workspace, else this year."""
    if params.get("year"):
        return int(params["year"])
    years = [int(y) for y in str(ws.metadata.get("survey_years", "")).split(",") if y.strip().isdigit()]
    return max(years) if years else dt.date.today().year


def _district_names(ws, lang: str) -> dict:
    d = ws["districts"]
    return dict(zip(d["adcode"].astype(int), d["name_en" if lang == "en" else "name_zh"]))


def selection_name(selection: str, catalogue, lang: str) -> str:
    """Name of a coverage selection: a facility type or ``circle:<5min|10min|15min>``."""
    if selection.startswith("circle:"):
        return t(f"circle.{selection.split(':', 1)[1]}", lang)
    return catalogue.types[selection].name(lang)


def _coverage(view, ws, catalogue, lang, model) -> SlideContent:
    from layers.coverage import headline, share_by
    from layers.pipelines import coverage_model

    p = view["params"]
    sel = str(p.get("selection", "kindergarten"))
    mode = str(p.get("mode", "euclidean"))
    if not sel.startswith("circle:") and sel not in catalogue.types:
        raise ValueError(f"unknown facility type {sel!r} in view {view['title']!r}")
    if model is None or model.mode != mode:
        model = coverage_model(ws, catalogue, mode=mode)
    head = headline(model, sel)
    name = selection_name(sel, catalogue, lang)
    year = view_year(ws, p)
    scenario = str(p.get("scenario") or t("slide.scenario.current", lang))
    mode_label = t(f"slide.mode_long.{mode}", lang)
    if sel.startswith("circle:"):
        title = t("slide.cov.title_circle", lang, name=name, mode=mode_label, year=year, scenario=scenario)
        what = name
    else:
        radius = f"{model.radius_m(sel):,.0f}"
        title = t(
            "slide.cov.title", lang, name=name, radius=radius, mode=mode_label, year=year, scenario=scenario
        )
        what = t("slide.cov.what", lang, name=name, radius=radius, mode=t(f"slide.mode.{mode}", lang))
    by_d = share_by(model, sel, by="district_adcode") if "district_adcode" in model.groups else None
    figures = [
        KeyFigure(t("slide.fig.served_share", lang), pct(head["served_share"])),
        KeyFigure(t("slide.fig.unserved", lang), people(head["unserved_pop"], lang)),
    ]
    subtitle = t(
        "slide.cov.sub", lang, share=pct(head["served_share"]), unserved=people(head["unserved_pop"], lang)
    )
    if head["unserved_pop"] < 0.5:
        conclusion = t("slide.cov.all_served", lang, what=what, share=pct(head["served_share"]))
    elif by_d is not None and len(by_d):
        worst = by_d["unserved_pop"].idxmax()
        dname = _district_names(ws, lang).get(int(worst), str(worst))
        d_unserved = float(by_d.loc[worst, "unserved_pop"])
        figures.append(
            KeyFigure(
                t("slide.fig.worst_district", lang),
                t("slide.value_with", lang, a=dname, b=people(d_unserved, lang)),
            )
        )
        conclusion = t(
            "slide.cov.conclusion",
            lang,
            what=what,
            share=pct(head["served_share"]),
            unserved=people(head["unserved_pop"], lang),
            district=dname,
            d_unserved=people(d_unserved, lang),
            d_share=pct(d_unserved / head["unserved_pop"]),
        )
    else:
        conclusion = t(
            "slide.cov.conclusion_short",
            lang,
            what=what,
            share=pct(head["served_share"]),
            unserved=people(head["unserved_pop"], lang),
        )
    return SlideContent("coverage", title, subtitle, tuple(figures), conclusion)


def ranked_parcels(ws, catalogue, *, criteria=None, model=None) -> pd.DataFrame:
    """Screening scores of every parcel with the default preset, best first (``score``, ``rank``, …)."""
    from layers.pipelines import coverage_model, default_weights, screening_criteria
    from layers.screening import score

    if criteria is None:
        model = model if model is not None and model.mode == "euclidean" else coverage_model(ws, catalogue)
        criteria = screening_criteria(ws, model, current_year=dt.date.today().year)
    return score(criteria, default_weights()).sort_values("rank")


def _renewal(view, ws, catalogue, lang, criteria, model) -> SlideContent:
    p = view["params"]
    parcels = ws["parcels"]
    if p.get("parcel_type"):
        parcels = parcels[parcels["parcel_type"] == p["parcel_type"]]
    colour_by = str(p.get("colour_by", "type"))
    year = view_year(ws, p)
    ranked = ranked_parcels(ws, catalogue, criteria=criteria, model=model)
    ranked = ranked[ranked.index.isin(parcels["parcel_id"])]
    n = len(parcels)
    area_ha = float(parcels["area_m2"].sum()) / 10_000
    title = t(
        "slide.ren.title",
        lang,
        scope=t(f"ptype.{p['parcel_type']}", lang) if p.get("parcel_type") else t("slide.ren.all", lang),
        colour=t(f"ren.colour.{colour_by}", lang),
        year=year,
    )
    figures = [
        KeyFigure(
            t("slide.fig.parcels", lang),
            t(
                "slide.value_with",
                lang,
                a=count(n, lang, "num.parcels"),
                b=t("num.ha", lang, n=f"{area_ha:,.1f}"),
            ),
        )
    ]
    col = {"status": "status", "decision": "decision"}.get(colour_by, "parcel_type")
    prefix = {"status": "status.", "decision": "decision.", "parcel_type": "ptype."}[col]
    counts = parcels[col].value_counts()
    if len(counts):
        parts = t("slide.sep", lang).join(
            f"{t(prefix + str(k), lang)} {int(v):,}" for k, v in counts.head(3).items()
        )
        figures.append(KeyFigure(t(f"slide.fig.by_{col}", lang), parts))
    if len(ranked):
        best = ranked.index[0]
        best_name = str(parcels.set_index("parcel_id").loc[best, "name"])
        top = parcels.set_index("parcel_id").loc[ranked.index[:TOP_N]]
        dist = top["district_adcode"].astype(int).value_counts()
        dname = _district_names(ws, lang).get(int(dist.index[0]), str(dist.index[0]))
        figures.append(
            KeyFigure(
                t("slide.fig.top_parcel", lang),
                t(
                    "slide.value_with",
                    lang,
                    a=best_name,
                    b=t("num.points", lang, n=f"{ranked['score'].iloc[0]:.1f}"),
                ),
            )
        )
        conclusion = t(
            "slide.ren.conclusion",
            lang,
            n=f"{n:,}",
            ha=f"{area_ha:,.1f}",
            top=min(TOP_N, len(ranked)),
            k=int(dist.iloc[0]),
            district=dname,
            best=best_name,
            score=f"{ranked['score'].iloc[0]:.1f}",
        )
    else:
        conclusion = t("slide.ren.none", lang)
    subtitle = figures[0].value + (t("slide.sep", lang) + figures[1].value if len(figures) > 1 else "")
    return SlideContent("renewal", title, subtitle, tuple(figures), conclusion)


def _health(view, ws, catalogue, indicators, lang, evaluation) -> SlideContent:
    from layers.healthcheck import evaluate, unit_names

    p = view["params"]
    year = view_year(ws, p)
    level = str(p.get("level", "community"))
    key = str(p.get("indicator", "kindergarten_cov"))
    spec = next((d for d in indicators if d["key"] == key), None)
    if spec is None:
        raise ValueError(f"unknown indicator {key!r} in view {view['title']!r}")
    if evaluation is None:
        evaluation = evaluate(ws.layers, catalogue, indicators, year=year, level=level)
    rows = evaluation[evaluation["indicator"] == key]
    iname = spec["name_en" if lang == "en" else "name_zh"]
    level_label = t(f"level.{level}", lang)
    n = len(rows)
    grades = rows["grade"].value_counts()
    green, yellow, red = (int(grades.get(g, 0)) for g in ("green", "yellow", "red"))
    affected = float(rows.loc[rows["grade"].isin(["yellow", "red"]), "affected"].sum())
    title = t("slide.hc.title", lang, year=year, indicator=iname, level=level_label)
    subtitle = t("slide.hc.sub", lang, green=f"{green:,}", n=f"{n:,}", level=level_label, red=f"{red:,}")
    figures = [
        KeyFigure(t("slide.fig.meets", lang), t("slide.fraction", lang, a=f"{green:,}", b=f"{n:,}")),
        KeyFigure(
            t("slide.fig.fails", lang), t("slide.hc.fail_value", lang, red=f"{red:,}", yellow=f"{yellow:,}")
        ),
        KeyFigure(t("slide.fig.affected", lang), people(affected, lang)),
    ]
    scored = rows.dropna(subset=["attainment"])
    if red + yellow and len(scored):
        worst = scored.sort_values(["attainment", "affected"], ascending=[True, False]).iloc[0]
        names = unit_names(ws.layers, level, lang)
        wname = str(names.get(worst["unit"], worst["unit"]))
        conclusion = t(
            "slide.hc.conclusion",
            lang,
            year=year,
            level=level_label,
            indicator=iname,
            n=f"{n:,}",
            red=f"{red:,}",
            yellow=f"{yellow:,}",
            affected=people(affected, lang),
            worst=wname,
            value=format_value(worst["value"], spec["unit"]),
            target=format_value(spec["target"], spec["unit"]),
        )
    else:
        conclusion = t("slide.hc.all_green", lang, year=year, level=level_label, indicator=iname, n=f"{n:,}")
    return SlideContent("health", title, subtitle, tuple(figures), conclusion)


def _layout(view, bnd, layout, lang) -> SlideContent:
    from layers.crs import area_km2
    from layers.layout import layout_summary

    summary = layout_summary(bnd.prefectures, bnd.counties, layout, lang=lang)
    province_km2 = float(area_km2(bnd.province).sum())
    circ = summary[summary["kind"] == "circle"].iloc[0]
    belts = summary[summary["kind"] == "belt"]
    clusters = summary[summary["kind"] == "cluster"]
    share = float(circ["area_km2"]) / province_km2 if province_km2 else 0.0
    stops = {s for b in layout.belts for s in b.stops}
    area = area_text(float(circ["area_km2"]), lang)
    figures = (
        KeyFigure(
            t("slide.fig.circle", lang),
            t(
                "slide.lay.circle_value",
                lang,
                n=f"{int(circ['county_count']):,}",
                area=area,
                share=pct(share),
            ),
        ),
        KeyFigure(
            t("slide.fig.belts", lang), t("slide.lay.belts_value", lang, n=len(belts), cities=len(stops))
        ),
        KeyFigure(
            t("slide.fig.clusters", lang),
            t(
                "slide.lay.clusters_value",
                lang,
                n=len(clusters),
                counties=f"{int(clusters['county_count'].sum()):,}",
            ),
        ),
    )
    name = layout.circle.name_en if lang == "en" else layout.circle.name_zh
    conclusion = t(
        "slide.lay.conclusion",
        lang,
        circle=name,
        n=f"{int(circ['county_count']):,}",
        share=pct(share),
        belts=len(belts),
        cities=len(stops),
        clusters=len(clusters),
    )
    subtitle = t("slide.lay.sub", lang, circle=name, share=pct(share))
    return SlideContent("layout", t("slide.lay.title", lang), subtitle, figures, conclusion)


def slide_content(
    view: dict,
    *,
    ws,
    bnd,
    catalogue,
    indicators,
    lang: str,
    layout=None,
    coverage_model=None,
    criteria=None,
    evaluation=None,
) -> SlideContent:
    """Compute what a slide shows besides its map: title, key figures and a one-line conclusion.

    Parameters
    ----------
    view : dict
        A saved view ``{"title", "kind", "params"}`` (``geodata.views``).
    ws : geodata.workspace.Workspace
        The workspace (layers in EPSG:4326 and metadata).
    bnd : geodata.boundaries.Boundaries
        Province, prefecture and county boundaries (used by layout views).
    catalogue : geodata.catalogue.Catalogue
        Facility types and radii in metres.
    indicators : list of dict
        城市体检 indicator definitions (``geodata.indicators.load_indicators``).
    lang : {"zh", "en"}
        Language of every string.
    layout : geodata.layout.Layout, optional
        The 一圈两带四群 configuration (default: the edited copy or the bundled one).
    coverage_model : layers.coverage.CoverageModel, optional
        A cached model in the view's distance mode (computed when absent or in another mode).
    criteria : pandas.DataFrame, optional
        Cached screening criteria (``layers.pipelines.screening_criteria``).
    evaluation : pandas.DataFrame, optional
        Cached 城市体检 evaluation for the view's year and level.

    Returns
    -------
    SlideContent

    Raises
    ------
    ValueError
        If the view kind, facility type or indicator is unknown.
    """
    kind = view.get("kind")
    if kind == "coverage":
        return _coverage(view, ws, catalogue, lang, coverage_model)
    if kind == "renewal":
        return _renewal(view, ws, catalogue, lang, criteria, coverage_model)
    if kind == "health":
        return _health(view, ws, catalogue, indicators, lang, evaluation)
    if kind == "layout":
        if layout is None:
            from geodata.layout import load_layout

            layout = load_layout(boundaries=bnd)
        return _layout(view, bnd, layout, lang)
    raise ValueError(f"unknown view kind {kind!r}")


def slide_map(
    view: dict,
    *,
    ws,
    bnd,
    catalogue,
    indicators,
    lang: str,
    layout=None,
    coverage_model=None,
    criteria=None,
    evaluation=None,
):
    """The folium map of a saved view (same drawing as the 会议演示 page; no Streamlit).

    Takes the same arguments as :func:`slide_content`; returns a ``folium.Map`` with controls (call
    ``cartography.printing.export_map`` on it for a PNG/PDF).
    """
    from cartography.maps import coverage_map, grade_map, layout_map, parcel_map
    from layers.coverage import share_by
    from layers.pipelines import coverage_model as build_model

    p = view["params"]
    kind = view.get("kind")
    if kind == "layout":
        if layout is None:
            from geodata.layout import load_layout

            layout = load_layout(boundaries=bnd)
        return layout_map(bnd, layout, lang=lang)
    if kind == "coverage":
        mode = str(p.get("mode", "euclidean"))
        model = coverage_model if coverage_model is not None and coverage_model.mode == mode else None
        model = model or build_model(ws, catalogue, mode=mode)
        sel = str(p.get("selection", "kindergarten"))
        return coverage_map(
            ws, model, sel, lang=lang, community_share=share_by(model, sel, by="community_id")
        )
    if kind == "renewal":
        scores = ranked_parcels(ws, catalogue, criteria=criteria, model=coverage_model)["score"]
        parcels = ws["parcels"]
        if p.get("parcel_type"):
            parcels = parcels[parcels["parcel_type"] == p["parcel_type"]]
        return parcel_map(ws, parcels, scores, str(p.get("colour_by", "type")), lang)
    if kind == "health":
        from layers.healthcheck import evaluate

        year, level = view_year(ws, p), str(p.get("level", "community"))
        if evaluation is None:
            evaluation = evaluate(ws.layers, catalogue, indicators, year=year, level=level)
        return grade_map(ws, evaluation, level, str(p.get("indicator", "kindergarten_cov")), lang)
    raise ValueError(f"unknown view kind {kind!r}")
