"""The briefing pack (HTML → PDF by chromium): layout map, coverage and gaps, top renewal candidates with
score breakdown, project library totals, 城市体检 problems, method notes. No Streamlit here (CLI uses it)."""

from __future__ import annotations

import base64
import datetime as dt
import html
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.labels import t
from dashboard.maps import export_frame, layout_map
from geodata.render import html_to_pdf, html_to_png
from layers.coverage import build_model, gap_ranking, type_summary
from layers.crs import ANALYSIS_CRS
from layers.healthcheck import evaluate, problems
from layers.mapkit import standalone_html
from layers.screening import PRESETS, score, workspace_criteria

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


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{v if str(v).startswith('<span') else html.escape(str(v))}</td>" for v in r)
        + "</tr>"
        for r in df.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _bar(value: float, scale: float) -> str:
    return f'<span class="bar" style="width:{max(0.0, value) / scale * 40:.1f}mm"></span> {value:.1f}'


def build_briefing_html(ws, bnd, layout, catalogue, indicators, store, *, lang: str = "zh") -> str:
    L = lang
    today = dt.date.today().isoformat()
    with tempfile.TemporaryDirectory() as tmp:
        fmap = export_frame(layout_map(bnd, layout, lang=L), "layout", lang=L, synthetic=ws.synthetic)
        png = html_to_png(standalone_html(fmap), Path(tmp) / "layout.png", width=1600, height=1100)
        layout_img = base64.b64encode(png.read_bytes()).decode()
    cells = ws["population_cells"].to_crs(ANALYSIS_CRS)
    fac = ws["facilities"].to_crs(ANALYSIS_CRS)
    model = build_model(cells, fac, catalogue=catalogue)
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
    crit = workspace_criteria(
        ws["parcels"].to_crs(ANALYSIS_CRS), cells, fac, model, current_year=dt.date.today().year
    )
    weights = PRESETS["民生优先"]
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
        hc = f"<h2>{t('hc.title', L)} · {max(years)}</h2>{_table(counts)}"
    radii = pd.DataFrame(
        {
            t("col.type", L): [ft.name(L) for ft in catalogue.types.values()],
            t("col.radius_m", L): [int(ft.radius_m) for ft in catalogue.types.values()],
            t("col.basis", L): [ft.basis(L) for ft in catalogue.types.values()],
        }
    )
    mark = f'<div class="watermark">{t("export.demo", L)} · DEMO DATA</div>' if ws.synthetic else ""
    return f"""<!DOCTYPE html><html lang="{L}"><head><meta charset="utf-8"><style>{CSS}</style></head><body>{mark}
<div class="page"><h1>{t("app.title", L)} · {t("brief.title", L)}</h1><p>{t("brief.date", L)} {today}</p>
<p class="note">{t("demo.badge", L) if ws.synthetic else ""}</p>
<h2>{t("layout.title", L)}</h2><img class="map" src="data:image/png;base64,{layout_img}"></div>
<div class="page"><h2>{t("cov.title", L)}</h2><p class="note">{t("cov.mode_note", L, mode=t("mode.euclidean", L))}</p>
{_table(cov)}<h2>{t("cov.gaps", L)}</h2>{_table(gap_t)}</div>
<div class="page"><h2>{t("ren.ranking", L)} · 民生优先</h2><p class="note">{t("ren.method", L)}</p>{_table(cand)}
<h2>{t("lib.totals", L)}</h2>{_table(lib_t)}{hc}</div>
<div class="page"><h2>{t("cov.method", L)}</h2><p class="note">{t("cov.method.text", L)}</p>{_table(radii)}</div>
</body></html>"""


def write_briefing_pdf(out, **kwargs) -> Path:
    return html_to_pdf(build_briefing_html(**kwargs), out)
