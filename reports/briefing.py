"""The briefing pack (HTML → PDF by chromium): layout map, coverage and gaps, top renewal candidates with
score breakdown, project library totals, 城市体检 problems, method notes. No Streamlit here (CLI uses it)."""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from cartography.mapkit import standalone_html
from cartography.maps import layout_map
from cartography.printing import export_frame
from i18n import t
from layers.coverage import gap_ranking, type_summary
from layers.healthcheck import evaluate, problems
from layers.pipelines import DEFAULT_PRESET, coverage_model, default_weights, screening_criteria
from layers.screening import score
from reports.render import html_to_pdf, html_to_png

CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: 'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif; color: #222; font-size: 11pt; }
h1 { font-size: 24pt; margin: 0 0 4mm; } h2 { font-size: 15pt; border-bottom: 2px solid #1f5f99;
 padding-bottom: 2mm; margin-top: 0; } .page { page-break-after: always; } .page:last-child { page-break-after: auto; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 2mm 0 5mm; }
th { background: #1f5f99; color: #fff; text-align: left; padding: 1.5mm; } td { border-bottom: 1px solid #ddd; padding: 1.2mm; }
.bar { display: inline-block; height: 3mm; background: #1f5f99; vertical-align: middle; }
.note { color: #555; font-size: 9pt; } img.map { width: 100%; border: 1px solid #ccc; }
.watermark { position: fixed; top: 45%; left: 8%; transform: rotate(-30deg); font-size: 54pt; color: rgba(200,0,0,.10);
 z-index: 9; white-space: nowrap; }
"""


def _table(df: pd.DataFrame) -> Markup:
    """An HTML table; every header and cell is escaped unless it is trusted ``Markup`` built here."""
    head = Markup("").join(Markup("<th>{}</th>").format(c) for c in df.columns)
    rows = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(v) for v in r))
        for r in df.itertuples(index=False)
    )
    return Markup("<table><tr>{}</tr>{}</table>").format(head, rows)


def _bar(value: float, scale: float) -> Markup:
    """A score bar (trusted markup: only numbers are interpolated)."""
    return Markup('<span class="bar" style="width:{:.1f}mm"></span> {:.1f}').format(
        max(0.0, value) / scale * 40, value
    )


def build_briefing_html(ws, bnd, layout, catalogue, indicators, store, *, lang: str = "zh") -> str:
    L = lang
    today = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        fmap = export_frame(layout_map(bnd, layout, lang=L), "layout", lang=L, synthetic=ws.synthetic)
        png = html_to_png(standalone_html(fmap), Path(tmp) / "layout.png", width=1600, height=1100)
        layout_img = base64.b64encode(png.read_bytes()).decode()
    model = coverage_model(ws, catalogue)
    ts = type_summary(model)
    cov = pd.DataFrame(
        {
            t("col.type", L): ts["type"].map(lambda k: catalogue.types[k].name(L)),
            t("col.radius_m", L): ts["radius_m"].astype(int),
            t("col.served_share", L): (ts["served_share"] * 100).round(1).astype(str) + "%",
            t("col.unserved_pop", L): ts["unserved_pop"].round(0).astype(int),
        }
    )
    gaps = gap_ranking(model).head(12)
    comms = ws["communities"].set_index("community_id")["name"]
    gap_t = pd.DataFrame(
        {
            t("col.gap_rank", L): gaps["gap_rank"],
            t("col.community", L): gaps.index.map(comms),
            t("col.unserved_pop", L): gaps["unserved_pop"].round(0).astype(int),
            t("col.missing_count", L): gaps["missing_count"],
        }
    )
    crit = screening_criteria(ws, model, current_year=dt.date.today().year)
    weights = default_weights()
    ranked = score(crit, weights).sort_values("rank").head(10)
    names = ws["parcels"].set_index("parcel_id")["name"]
    top_n = max(float(ranked["score"].max()), 1.0)
    cand = pd.DataFrame(
        {
            t("col.rank", L): ranked["rank"],
            t("col.parcel_id", L): ranked.index,
            t("col.name", L): ranked.index.map(names),
            t("col.score", L): [_bar(v, top_n) for v in ranked["score"]],
        }
    )
    for c in [c for c in ranked.columns if c.startswith("contrib_") and weights.get(c[8:], 0) > 0]:
        cand[t(f"crit.{c[8:]}", L)] = ranked[c].round(1).to_numpy()
    lib = store.list()
    lib_t = (
        lib.pivot_table(
            index="category", columns="status", values="project_id", aggfunc="count", fill_value=0
        ).reset_index()
        if len(lib)
        else pd.DataFrame({"—": [t("lib.empty", L)]})
    )
    years = [int(y) for y in ws.metadata.get("survey_years", "").split(",") if y.strip()]
    hc = ""
    if years:
        ev = evaluate(ws.layers, catalogue, indicators, year=max(years), level="district")
        pr = problems(ev)
        inames = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in indicators}
        counts = pr.groupby("indicator").size().rename(index=inames).reset_index()
        counts.columns = [t("col.indicator", L), t("hc.metric.problems", L)]
        hc = Markup("<h2>{} · {}</h2>{}").format(t("hc.title", L), max(years), _table(counts))
    radii = pd.DataFrame(
        {
            t("col.type", L): [ft.name(L) for ft in catalogue.types.values()],
            t("col.radius_m", L): [int(ft.radius_m) for ft in catalogue.types.values()],
            t("col.basis", L): [ft.basis(L) for ft in catalogue.types.values()],
        }
    )
    mark = (
        Markup('<div class="watermark">{} · DEMO DATA</div>').format(t("export.demo", L))
        if ws.synthetic
        else ""
    )
    # every interpolated value below is escaped by markupsafe (labels included) unless built as Markup above
    return _page(
        L=L,
        today=today,
        mark=mark,
        synthetic_note=t("demo.badge", L) if ws.synthetic else "",
        layout_img=layout_img,
        cov=_table(cov),
        gap_t=_table(gap_t),
        cand=_table(cand),
        lib_t=_table(lib_t),
        hc=hc,
        radii=_table(radii),
    )


def _page(*, L: str, **parts) -> str:
    """Assemble the pages from escaped parts (``Markup.format`` escapes every plain string)."""
    return Markup(_TEMPLATE).format(
        title=t("app.title", L),
        brief=t("brief.title", L),
        date_label=t("brief.date", L),
        layout_title=t("layout.title", L),
        cov_title=t("cov.title", L),
        mode_note=t("cov.mode_note", L, mode=t("mode.euclidean", L)),
        gaps_title=t("cov.gaps", L),
        ranking=t("ren.ranking", L),
        preset=DEFAULT_PRESET,
        ren_method=t("ren.method", L),
        lib_totals=t("lib.totals", L),
        method_title=t("cov.method", L),
        method_text=t("cov.method.text", L),
        css=Markup(CSS),
        lang=L,
        **parts,
    )


_TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{css}</style></head><body>{mark}
<div class="page"><h1>{title} · {brief}</h1><p>{date_label} {today}</p>
<p class="note">{synthetic_note}</p>
<h2>{layout_title}</h2><img class="map" src="data:image/png;base64,{layout_img}"></div>
<div class="page"><h2>{cov_title}</h2><p class="note">{mode_note}</p>
{cov}<h2>{gaps_title}</h2>{gap_t}</div>
<div class="page"><h2>{ranking} · {preset}</h2><p class="note">{ren_method}</p>{cand}
<h2>{lib_totals}</h2>{lib_t}{hc}</div>
<div class="page"><h2>{method_title}</h2><p class="note">{method_text}</p>{radii}</div>
</body></html>"""


def write_briefing_pdf(out, **kwargs) -> Path:
    """Render the briefing pack to a PDF file at ``out`` (see :func:`build_briefing_html`)."""
    return html_to_pdf(build_briefing_html(**kwargs), out)
