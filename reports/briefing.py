"""The briefing pack (HTML → PDF by chromium): key points, layout map, coverage map and gaps, renewal
candidates map with the top 10 and their score breakdown, project library totals, 城市体检 problems, method.

No Streamlit here (the CLI and the 会议演示 page both call it). Every string comes from the labels table in
the requested language; all HTML is built with markupsafe (every interpolated value is escaped).
"""

from __future__ import annotations

import base64
import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from cartography.mapkit import standalone_html
from cartography.printing import export_map, numbered_markers
from i18n import LABELS, t
from layers.coverage import gap_ranking, type_summary
from layers.healthcheck import evaluate, problems
from layers.pipelines import DEFAULT_PRESET, coverage_model, default_weights
from reports.render import html_to_pdf, html_to_png
from reports.slides import TOP_N, pct, people, ranked_parcels, slide_content, slide_map

#: a heading and a table of at most this many rows are kept on one page together
KEEP_TOGETHER_ROWS = 22
#: pixel size of the map images (shown about 182 mm wide on the A4 page: labels stay readable)
MAP_PX = (1250, 1200)
LAYOUT_PX = (1150, 1150)

CSS = """
@page { size: A4; margin: 14mm 14mm 16mm; }
body { font-family: 'Noto Sans CJK SC', 'Noto Sans CJK', sans-serif; color: #222; font-size: 10.5pt; }
h1 { font-size: 22pt; margin: 0 0 3mm; color: #1f5f99; }
h2 { font-size: 14pt; border-bottom: 2px solid #1f5f99; padding-bottom: 1.5mm; margin: 5mm 0 2mm;
     break-after: avoid; page-break-after: avoid; }
.page { break-before: page; page-break-before: always; }
.block { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: auto; font-size: 9pt; margin: 1mm 0 4mm; }
table.wide { width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #1f5f99; color: #fff; text-align: left; padding: 1.4mm 2.5mm; font-weight: 600; }
td { border-bottom: 1px solid #ddd; padding: 1.1mm 2.5mm; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nw, th.nw { white-space: nowrap; }
.bar { display: inline-block; height: 2.6mm; background: #1f5f99; vertical-align: middle; margin-right: 1.5mm; }
.note { color: #555; font-size: 9pt; margin: 1mm 0 2mm; }
.figures { display: flex; gap: 4mm; margin: 2mm 0 3mm; }
.figure { border: 1px solid #c9d7e6; border-left: 4px solid #1f5f99; padding: 1.5mm 3mm; flex: 1; }
.figure .v { font-size: 14pt; font-weight: 700; color: #1f5f99; } .figure .l { font-size: 8.5pt; color: #555; }
.conclusion { font-size: 11pt; font-weight: 600; margin: 1mm 0 3mm; }
ul.points li { margin: 1.5mm 0; }
img.map { width: 100%; border: 1px solid #bbb; display: block; }
img.layout { width: 82%; margin: 0 auto; }
.demo { color: #c62828; border: 2px solid #c62828; display: inline-block; padding: 0.5mm 3mm; font-weight: 700; }
.watermark { position: fixed; top: 45%; left: 12%; transform: rotate(-30deg); font-size: 60pt;
 color: rgba(200,0,0,.08); z-index: 9; white-space: nowrap; }
"""


def _label(prefix: str, value, L: str) -> str:
    """The label of an enumerated value (``status.储备`` …); the value itself when it has no label."""
    key = f"{prefix}{value}"
    return t(key, L) if key in LABELS else str(value)


def _fmt_int(v) -> str:
    return f"{int(round(float(v))):,}"


def _table(df: pd.DataFrame, *, numeric=(), nowrap=(), wide: bool = False) -> Markup:
    """An HTML table with a repeated header row; every header and cell is escaped unless it is ``Markup``
    built here. Columns named in ``numeric`` are right-aligned."""

    def cls(c):
        names = ("num" if c in numeric else "") + (" nw" if c in nowrap else "")
        return Markup(' class="{}"').format(names.strip()) if names else Markup("")

    head = Markup("").join(Markup("<th{}>{}</th>").format(cls(c), c) for c in df.columns)
    rows = Markup("").join(
        Markup("<tr>{}</tr>").format(
            Markup("").join(Markup("<td{}>{}</td>").format(cls(c), v) for c, v in zip(df.columns, r))
        )
        for r in df.itertuples(index=False)
    )
    return Markup('<table class="{}"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>').format(
        "wide" if wide else "", head, rows
    )


def _section(title: str, table: Markup, n_rows: int, *, note: str = "") -> Markup:
    """A heading (and note) with its table, kept on one page when the table is small."""
    note_html = Markup('<p class="note">{}</p>').format(note) if note else Markup("")
    cls = "block" if n_rows <= KEEP_TOGETHER_ROWS else "section"
    return Markup('<div class="{}"><h2>{}</h2>{}{}</div>').format(cls, title, note_html, table)


def _bar(value: float, scale: float) -> Markup:
    """A score bar (trusted markup: only numbers are interpolated)."""
    return Markup('<span class="bar" style="width:{:.1f}mm"></span>{:.1f}').format(
        max(0.0, value) / scale * 28, value
    )


def _figures(content) -> Markup:
    cells = Markup("").join(
        Markup('<div class="figure"><div class="v">{}</div><div class="l">{}</div></div>').format(
            f.value, f.label
        )
        for f in content.figures
    )
    return Markup('<div class="figures">{}</div><p class="conclusion">{}</p>').format(
        cells, content.conclusion
    )


def _map_png(m, tmp: Path, name: str, size: tuple[int, int], *, lang: str, synthetic: bool) -> str:
    """Render a map without UI chrome (legend, scale bar, north arrow, footer) to a base64 PNG."""
    export_map(m, title=None, lang=lang, synthetic=synthetic, paper=size)
    png = html_to_png(standalone_html(m), tmp / f"{name}.png", width=size[0], height=size[1])
    return base64.b64encode(png.read_bytes()).decode()


def _img(data: str, cls: str = "map") -> Markup:
    return Markup('<img class="{}" src="data:image/png;base64,{}">').format(cls, data)


def _coverage_view(views) -> dict:
    for v in views or []:
        if v.get("kind") == "coverage":
            return {"title": v["title"], "kind": "coverage", "params": dict(v.get("params") or {})}
    return {"title": "", "kind": "coverage", "params": {"selection": "kindergarten", "mode": "euclidean"}}


def build_briefing_html(
    ws,
    bnd,
    layout,
    catalogue,
    indicators,
    store,
    *,
    lang: str = "zh",
    views: list[dict] | None = None,
    coverage_model_cached=None,
    criteria=None,
) -> str:
    """Assemble the briefing pack as one HTML document (maps rendered to PNG by chromium).

    Parameters
    ----------
    ws : geodata.workspace.Workspace
        The workspace (EPSG:4326 layers and metadata; ``ws.synthetic`` adds the 示例数据 marks).
    bnd : geodata.boundaries.Boundaries
        Province, prefecture and county boundaries.
    layout : geodata.layout.Layout
        The 一圈两带四群 configuration.
    catalogue : geodata.catalogue.Catalogue
        Facility types and radii in metres.
    indicators : list of dict
        城市体检 indicators.
    store : geodata.stores.ProjectStore
        The project library.
    lang : {"zh", "en"}
        Language of every label.
    views : list of dict, optional
        Saved views; the first coverage view chooses the facility type and distance mode of the coverage
        map (default: kindergarten, straight line).
    coverage_model_cached : layers.coverage.CoverageModel, optional
        A straight-line model of the workspace (computed when absent).
    criteria : pandas.DataFrame, optional
        Cached screening criteria.

    Returns
    -------
    str
        The HTML document (A4 portrait pages; print it with ``reports.render.html_to_pdf``).

    Raises
    ------
    RuntimeError
        If chromium cannot render the maps.
    """
    L = lang
    today = dt.date.today().isoformat()
    model = coverage_model_cached if coverage_model_cached is not None else coverage_model(ws, catalogue)
    cov_view = _coverage_view(views)
    cov_mode = cov_view["params"].get("mode", "euclidean")
    cov_model = model if cov_mode == model.mode else None
    common = dict(ws=ws, bnd=bnd, catalogue=catalogue, indicators=indicators, lang=L, layout=layout)
    cov_content = slide_content(cov_view, coverage_model=cov_model, **common)
    ranked = ranked_parcels(ws, catalogue, criteria=criteria, model=model)
    ren_content = slide_content(
        {"title": "", "kind": "renewal", "params": {"colour_by": "score"}},
        criteria=criteria,
        coverage_model=model,
        **common,
    )
    lay_content = slide_content({"title": "", "kind": "layout", "params": {}}, **common)

    top = ranked.head(TOP_N)
    parcels = ws["parcels"].set_index("parcel_id")
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        layout_img = _map_png(
            slide_map({"kind": "layout", "params": {}}, **common),
            tmp,
            "layout",
            LAYOUT_PX,
            lang=L,
            synthetic=False,
        )
        cov_img = _map_png(
            slide_map(cov_view, coverage_model=cov_model, **common),
            tmp,
            "coverage",
            MAP_PX,
            lang=L,
            synthetic=ws.synthetic,
        )
        cand = slide_map(
            {"kind": "renewal", "params": {"colour_by": "score"}},
            criteria=criteria,
            coverage_model=model,
            **common,
        )
        pts = parcels.loc[top.index].geometry.representative_point()
        numbered_markers(
            [(p.y, p.x) for p in pts],
            [str(int(r)) for r in top["rank"]],
            name=t("rep.cand_layer", L, n=TOP_N),
        ).add_to(cand)
        cand_img = _map_png(cand, tmp, "candidates", MAP_PX, lang=L, synthetic=ws.synthetic)

    parts = {
        "layout_img": _img(layout_img, "map layout"),
        "cov_img": _img(cov_img),
        "cand_img": _img(cand_img),
        "cov_figures": _figures(cov_content),
        "cand_figures": _figures(ren_content),
        "points": Markup("").join(
            Markup("<li>{}</li>").format(c.conclusion) for c in (cov_content, ren_content, lay_content)
        ),
    }

    # coverage by type
    ts = type_summary(model)
    c_type, c_circle, c_radius = t("col.type", L), t("col.circle", L), t("col.radius_m", L)
    c_share, c_unserved = t("col.served_share", L), t("col.unserved_pop", L)
    cov = pd.DataFrame(
        {
            c_type: ts["type"].map(lambda k: catalogue.types[k].name(L)),
            c_circle: ts["type"].map(
                lambda k: t(f"circle.{catalogue.types[k].circle}", L) if catalogue.types[k].circle else "—"
            ),
            c_radius: ts["radius_m"].map(lambda v: f"{v:,.0f}"),
            c_share: ts["served_share"].map(pct),
            c_unserved: ts["unserved_pop"].map(_fmt_int),
        }
    )
    parts["cov"] = _section(
        t("cov.title", L),
        _table(cov, numeric=(c_radius, c_share, c_unserved)),
        len(cov),
        note=t("rep.mode_note", L, mode=t(f"mode.{model.mode}", L)),
    )

    # gap communities
    gaps = gap_ranking(model).head(12)
    comms = ws["communities"].set_index("community_id")
    dnames = dict(
        zip(ws["districts"]["adcode"].astype(int), ws["districts"]["name_en" if L == "en" else "name_zh"])
    )
    c_rank, c_comm, c_dist, c_missing = (
        t("col.gap_rank", L),
        t("col.community", L),
        t("col.district", L),
        t("col.missing_count", L),
    )
    gap_t = pd.DataFrame(
        {
            c_rank: gaps["gap_rank"].astype(int),
            c_comm: gaps.index.map(comms["name"]),
            c_dist: gaps.index.map(comms["district_adcode"]).map(
                lambda a: dnames.get(int(a), a) if pd.notna(a) else "—"
            ),
            c_unserved: gaps["unserved_pop"].map(_fmt_int),
            c_missing: gaps["missing_count"].astype(int),
        }
    )
    parts["gaps"] = _section(
        t("cov.gaps", L),
        _table(gap_t, numeric=(c_rank, c_unserved, c_missing), nowrap=(c_comm, c_dist)),
        len(gap_t),
    )

    # top candidates with their contributions
    weights = default_weights()
    top_score = max(float(top["score"].max()), 1.0) if len(top) else 1.0
    c_pid, c_name, c_score = t("col.parcel_id", L), t("col.name", L), t("rep.score_col", L)
    c_rank = t("col.rank", L)
    cand = pd.DataFrame(
        {
            c_rank: top["rank"].astype(int),
            c_pid: top.index,
            c_name: top.index.map(parcels["name"]),
            c_dist: top.index.map(parcels["district_adcode"]).map(lambda a: dnames.get(int(a), a)),
            c_score: [_bar(v, top_score) for v in top["score"]],
        }
    )
    contrib = [c for c in top.columns if c.startswith("contrib_") and weights.get(c[8:], 0) > 0]
    c_main = t("rep.main_contrib", L)
    cand[c_main] = [
        t("slide.sep", L).join(
            t("rep.contrib_item", L, crit=t(f"crit.{c[8:]}", L), points=f"{row[c]:.1f}")
            for c in sorted(contrib, key=lambda c: -row[c])[:3]
            if row[c] > 0
        )
        or "—"
        for _, row in top.iterrows()
    ]
    parts["cand"] = _section(
        t("ren.ranking", L) + " · " + _label("ren.preset.builtin.", DEFAULT_PRESET, L),
        _table(cand, numeric=(c_rank,), nowrap=(c_pid, c_name, c_dist, c_score), wide=True),
        len(cand),
        note=t("ren.method", L),
    )

    # project library: category × status
    lib = store.list()
    if len(lib):
        from geodata.schema import PROJECT_STATUSES

        pivot = lib.pivot_table(
            index="category", columns="status", values="project_id", aggfunc="count", fill_value=0
        )
        cols = [s for s in PROJECT_STATUSES if s in pivot.columns] + [
            s for s in pivot.columns if s not in PROJECT_STATUSES
        ]
        pivot = pivot[cols]
        pivot[t("rep.total", L)] = pivot.sum(axis=1)
        lib_t = pd.DataFrame({t("col.category", L): [_label("category.", c, L) for c in pivot.index]})
        for s in pivot.columns:
            head = s if s == t("rep.total", L) else _label("status.", s, L)
            lib_t[head] = pivot[s].map(_fmt_int).to_numpy()
        parts["lib"] = _section(
            t("rep.lib_totals", L), _table(lib_t, numeric=tuple(lib_t.columns[1:])), len(lib_t)
        )
    else:
        parts["lib"] = Markup('<div class="block"><h2>{}</h2><p class="note">{}</p></div>').format(
            t("rep.lib_totals", L), t("rep.lib_empty", L)
        )

    # 城市体检 problems by indicator
    years = [int(y) for y in str(ws.metadata.get("survey_years", "")).split(",") if y.strip().isdigit()]
    parts["hc"] = Markup("")
    if years:
        ev = evaluate(ws.layers, catalogue, indicators, year=max(years), level="community")
        pr = problems(ev)
        inames = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in indicators}
        g = pr.groupby("indicator")
        c_ind, c_red, c_yellow, c_aff = (
            t("col.indicator", L),
            t("hc.grade.red", L),
            t("hc.grade.yellow", L),
            t("col.affected", L),
        )
        hc_t = pd.DataFrame(
            {
                c_ind: [inames.get(k, k) for k in g.size().index],
                c_red: g["grade"].apply(lambda s: int((s == "red").sum())).map(_fmt_int).to_numpy(),
                c_yellow: g["grade"].apply(lambda s: int((s == "yellow").sum())).map(_fmt_int).to_numpy(),
                c_aff: g["affected"].sum().map(lambda v: people(v, L)).to_numpy(),
            }
        )
        parts["hc"] = _section(
            t("rep.hc_title", L, year=max(years), level=t("level.community", L)),
            _table(hc_t, numeric=(c_red, c_yellow, c_aff)),
            len(hc_t),
        )

    # method: radii and sources
    c_basis = t("col.basis", L)
    radii = pd.DataFrame(
        {
            c_type: [ft.name(L) for ft in catalogue.types.values()],
            c_radius: [f"{ft.radius_m:,.0f}" for ft in catalogue.types.values()],
            c_basis: [ft.basis(L) for ft in catalogue.types.values()],
        }
    )
    parts["radii"] = _section(
        t("cov.method", L), _table(radii, numeric=(c_radius,)), len(radii), note=t("cov.method.text", L)
    )
    mark = (
        Markup('<div class="watermark">{}</div>').format(t("print.demo_mark", L))
        if ws.synthetic
        else Markup("")
    )
    demo = (
        Markup('<p><span class="demo">{}</span> <span class="note">{}</span></p>').format(
            t("print.demo_mark", L), t("demo.badge", L)
        )
        if ws.synthetic
        else Markup("")
    )
    return _page(
        L=L,
        today=today,
        mark=mark,
        demo=demo,
        cov_title=cov_content.title,
        cand_title=t("rep.cand_map", L, n=TOP_N),
        **parts,
    )


def _page(*, L: str, **parts) -> str:
    """Assemble the pages from escaped parts (``Markup.format`` escapes every plain string)."""
    return Markup(_TEMPLATE).format(
        title=t("app.title", L),
        brief=t("brief.title", L),
        date_label=t("brief.date", L),
        points_title=t("rep.summary", L),
        layout_title=t("layout.title", L),
        layout_note=t("rep.layout_note", L),
        source=t("export.source", L),
        css=Markup(CSS),
        lang=L,
        **parts,
    )


_TEMPLATE = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} · {brief}</title>
<style>{css}</style></head><body>{mark}
<h1>{title} · {brief}</h1><p>{date_label} {today}</p>{demo}
<div class="block"><h2>{points_title}</h2><ul class="points">{points}</ul></div>
<div class="block"><h2>{layout_title}</h2><p class="note">{layout_note}</p>{layout_img}</div>
<div class="page"><div class="block"><h2>{cov_title}</h2>{cov_figures}{cov_img}</div></div>
<div class="page">{cov}{gaps}</div>
<div class="page"><div class="block"><h2>{cand_title}</h2>{cand_figures}{cand_img}</div></div>
<div class="page">{cand}{lib}{hc}</div>
<div class="page">{radii}<p class="note">{source}</p></div>
</body></html>"""


def write_briefing_pdf(out, **kwargs) -> Path:
    """Render the briefing pack to a PDF file at ``out`` (arguments of :func:`build_briefing_html`)."""
    return html_to_pdf(build_briefing_html(**kwargs), out)
