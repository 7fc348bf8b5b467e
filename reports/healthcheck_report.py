"""城市体检报告 as a Word document (python-docx), written the way bureaus write it.

Chapters: 一、总体情况 · 二、指标评价 (by level, grade / warning table per level) · 三、问题清单 (with maps) ·
四、整改项目与预期成效 · 五、复查 · 六、一老一小专题 · 附录 (method and sources). Maps are rendered to PNG by
headless chromium (:mod:`reports.render`, as the briefing pack does); the bar chart is a small HTML page
rendered the same way. Every visible string comes from the labels table (``rep.*``, ``eq.*``, ``hc.*``).

Text from the workspace or the store (names, notes) is stripped of NUL and other control characters, which
python-docx refuses; Word shows text literally, so formulas stay text. On a synthetic (demo) workspace every
page carries the 示例数据 mark in its header.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from geodata.national import LEVELS as NATIONAL_LEVELS
from i18n import format_value, t, t_or
from layers.equity import AGE_FACILITY, EquityResult
from layers.healthcheck import compare_years, composite, evaluate, ledger, problems, unit_names

#: the chapters in order (label keys ``rep.ch.<key>``)
CHAPTERS = ("overall", "evaluation", "problems", "projects", "review", "equity", "appendix")
#: evaluation levels, largest first
LEVELS = ("district", "subdistrict", "community")
#: East Asian fonts (w:eastAsia) of body text and headings; Latin text uses the Latin fonts. Word on a
#: machine without them substitutes its default Chinese font (宋体 / 等线).
FONT_BODY_EA, FONT_HEAD_EA = "Noto Serif CJK SC", "Noto Sans CJK SC"
FONT_BODY, FONT_HEAD = "Times New Roman", "Arial"
#: share of residents in failing units that raises a red (≥) or yellow warning at a level
RED_WARNING_SHARE = 0.2
YELLOW_WARNING_SHARE = 0.2
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: width of figures on the page (A4 portrait, 2.2 cm margins)
FIGURE_WIDTH = Cm(16.0)
MAP_PX = (1500, 1150)


@dataclass(frozen=True)
class ReportCounts:
    """What :func:`build_report` wrote: chapter, table and figure counts, the file and its size."""

    chapters: int
    tables: int
    figures: int
    path: Path
    size_bytes: int
    seconds: float


def check_writable(out: str | Path) -> Path:
    """Return ``out`` as a Path after checking that its folder exists and a file can be created in it.

    Raises
    ------
    FileNotFoundError
        If the folder does not exist.
    PermissionError
        If nothing can be written there (probed by creating a temporary file, which also catches
        read-only and virtual file systems where permission bits say yes).
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise FileNotFoundError(f"输出目录不存在 / output folder does not exist: {out.parent}")
    try:
        with tempfile.TemporaryFile(dir=out.parent):
            pass
    except OSError as err:
        raise PermissionError(f"无法写入 / cannot write: {out} ({err.strerror or err})") from None
    if out.exists() and (out.is_dir() or not os.access(out, os.W_OK)):
        raise PermissionError(f"无法写入 / cannot write: {out}")
    return out


def clean_text(value) -> str:
    """Return text python-docx accepts: NUL and other control characters removed (tab and newline kept)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _CONTROL.sub("", str(value))


def level_summary(ev: pd.DataFrame) -> pd.DataFrame:
    """Grade and warning of every indicator at one level.

    Parameters
    ----------
    ev : pandas.DataFrame
        :func:`layers.healthcheck.evaluate` at one level.

    Returns
    -------
    pandas.DataFrame
        Index ``indicator``: ``units``, ``green``, ``yellow``, ``red`` (units per grade), ``failing_population``
        (residents of red units), ``grade`` (the grade most residents live under; "none" without data) and
        ``warning`` ("red" when ≥ :data:`RED_WARNING_SHARE` of residents live in red units, "yellow" when
        ≥ :data:`YELLOW_WARNING_SHARE` live in red or yellow units, else "none").
    """
    rows = {}
    for ind, df in ev.groupby("indicator", sort=False):
        pop = df["population"].fillna(0.0)
        total = float(pop.sum())
        by_grade = pop.groupby(df["grade"]).sum()
        red = float(by_grade.get("red", 0.0))
        yellow = float(by_grade.get("yellow", 0.0))
        graded = by_grade.drop("none", errors="ignore")
        rows[ind] = {
            "units": len(df),
            "green": int((df["grade"] == "green").sum()),
            "yellow": int((df["grade"] == "yellow").sum()),
            "red": int((df["grade"] == "red").sum()),
            "failing_population": red,
            "grade": str(graded.idxmax()) if len(graded) and graded.max() > 0 else "none",
            "warning": (
                "red"
                if total > 0 and red / total >= RED_WARNING_SHARE
                else "yellow"
                if total > 0 and (red + yellow) / total >= YELLOW_WARNING_SHARE
                else "none"
            ),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("indicator")


# ------------------------------------------------------------------------------------------ docx helpers


def _set_run_font(run, ea: str, latin: str) -> None:
    run.font.name = latin
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), ea)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


def _style_fonts(doc) -> None:
    """Body and heading styles with East Asian fonts (w:eastAsia), sizes as bureau reports use."""
    for name, ea, latin, size in (
        ("Normal", FONT_BODY_EA, FONT_BODY, 11),
        ("Title", FONT_HEAD_EA, FONT_HEAD, 22),
        ("Heading 1", FONT_HEAD_EA, FONT_HEAD, 16),
        ("Heading 2", FONT_HEAD_EA, FONT_HEAD, 13),
        ("Caption", FONT_BODY_EA, FONT_BODY, 9.5),
    ):
        style = doc.styles[name]
        style.font.name = latin
        style.font.size = Pt(size)
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        for attr in ("w:ascii", "w:hAnsi"):
            fonts.set(qn(attr), latin)
        fonts.set(qn("w:eastAsia"), ea)
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        if name.startswith("Heading") or name == "Title":
            style.font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)


def _page_number(paragraph) -> None:
    """A PAGE field (Word and LibreOffice fill in the number)."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)


def _header_footer(doc, header_text: str, demo_text: str | None) -> None:
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.text = ""
    run = head.add_run(clean_text(header_text))
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    _set_run_font(run, FONT_BODY_EA, FONT_BODY)
    if demo_text:
        mark = head.add_run("    " + demo_text)
        mark.bold = True
        mark.font.size = Pt(12)
        mark.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
        _set_run_font(mark, FONT_HEAD_EA, FONT_HEAD)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(foot)


class _Writer:
    """Appends headings, paragraphs, tables and figures, numbering tables and figures."""

    def __init__(self, doc, L: str):
        self.doc, self.L = doc, L
        self.tables = 0
        self.figures = 0
        self.chapters = 0

    def chapter(self, key: str) -> None:
        self.chapters += 1
        self.doc.add_heading(t(f"rep.ch.{key}", self.L), level=1)

    def heading(self, text: str) -> None:
        self.doc.add_heading(clean_text(text), level=2)

    def para(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(clean_text(text))
        run.bold, run.italic = bold, italic

    def table(self, df: pd.DataFrame, caption: str, *, widths_cm: list[float] | None = None) -> None:
        """A captioned table (caption above, as in Chinese reports), header row repeated on each page."""
        self.tables += 1
        cap = self.doc.add_paragraph(style="Caption")
        cap.paragraph_format.keep_with_next = True
        cap.add_run(t("rep.table_caption", self.L, n=self.tables, title=clean_text(caption))).bold = True
        tbl = self.doc.add_table(rows=1, cols=len(df.columns))
        tbl.style = "Light Grid Accent 1"
        tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
        if widths_cm:
            # fixed layout with the grid widths: Word reads the cell widths, LibreOffice the grid
            tbl.autofit = False
            for col, width in zip(tbl.columns, widths_cm):
                col.width = Cm(width)
        for cell, name in zip(tbl.rows[0].cells, df.columns):
            cell.text = clean_text(name)
        trpr = tbl.rows[0]._tr.get_or_add_trPr()
        rep = OxmlElement("w:tblHeader")
        rep.set(qn("w:val"), "true")
        trpr.append(rep)
        for row in df.itertuples(index=False):
            cells = tbl.add_row().cells
            for cell, value in zip(cells, row):
                cell.text = clean_text(value)
        for r in tbl.rows:
            cant = OxmlElement("w:cantSplit")  # a row never breaks across pages
            cant.set(qn("w:val"), "true")
            r._tr.get_or_add_trPr().append(cant)
            for i, cell in enumerate(r.cells):
                for p in cell.paragraphs:
                    p.paragraph_format.space_after = Pt(0)
                    for run in p.runs:
                        run.font.size = Pt(9)
                if widths_cm and i < len(widths_cm):
                    cell.width = Cm(widths_cm[i])
        self.doc.add_paragraph()

    def figure(self, png: Path, caption: str) -> None:
        self.figures += 1
        self.doc.add_picture(str(png), width=FIGURE_WIDTH)
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap = self.doc.add_paragraph(style="Caption")
        cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cap.add_run(t("rep.figure_caption", self.L, n=self.figures, title=clean_text(caption))).bold = True


# ------------------------------------------------------------------------------------------ figures


def _map_png(m, path: Path, *, lang: str, synthetic: bool) -> Path:
    from cartography.mapkit import standalone_html
    from cartography.printing import export_map
    from reports.render import html_to_png

    export_map(m, title=None, lang=lang, synthetic=synthetic, paper=MAP_PX)
    return html_to_png(standalone_html(m), path, width=MAP_PX[0], height=MAP_PX[1])


def _bar_chart_png(
    rows: list[tuple[str, float, float]], path: Path, *, title: str, legend: tuple[str, str]
) -> Path:
    """Grouped horizontal bars (two shares per row, 0…100 %) as a small HTML page rendered by chromium."""
    from reports.render import html_to_png

    def bar(v: float, colour: str) -> str:
        w = 0.0 if v != v else max(0.0, min(1.0, v)) * 100
        label = "—" if v != v else f"{v * 100:.1f}%"
        return (
            f'<div class="bar"><span style="width:{w:.1f}%;background:{colour}"></span>'
            f"<b>{html.escape(label)}</b></div>"
        )

    body = "".join(
        f'<div class="row"><div class="name">{html.escape(name)}</div><div class="bars">'
        f"{bar(a, '#d7301f')}{bar(b, '#2166ac')}</div></div>"
        for name, a, b in rows
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC', sans-serif; margin: 28px 40px; color: #222; background: #fff; }}
h1 {{ font-size: 30px; margin: 0 0 18px; }}
.legend span {{ display: inline-block; width: 22px; height: 16px; margin: 0 8px 0 22px; vertical-align: middle; }}
.legend {{ font-size: 22px; margin-bottom: 20px; }}
.row {{ display: flex; align-items: center; margin: 14px 0; }}
.name {{ width: 290px; font-size: 23px; }}
.bars {{ flex: 1; margin-right: 110px; }}
.bar {{ position: relative; height: 26px; margin: 4px 0; background: #f0f0f0; }}
.bar span {{ position: absolute; left: 0; top: 0; bottom: 0; }}
.bar b {{ position: absolute; left: 100%; margin-left: 10px; top: 0; font-size: 19px; line-height: 26px; white-space: nowrap; }}
.axis {{ margin-left: 290px; margin-right: 110px; display: flex; justify-content: space-between; font-size: 18px; color: #555; }}
</style></head><body><h1>{html.escape(title)}</h1>
<div class="legend"><span style="background:#d7301f"></span>{html.escape(legend[0])}
<span style="background:#2166ac"></span>{html.escape(legend[1])}</div>{body}
<div class="axis"><span>0%</span><span>25%</span><span>50%</span><span>75%</span><span>100%</span></div>
</body></html>"""
    return html_to_png(page, path, width=1400, height=160 + 96 * len(rows), wait_ms=500)


# ------------------------------------------------------------------------------------------ chapters


def _ind_names(indicators: list[dict], L: str) -> dict[str, str]:
    return {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in indicators}


def _grade(g: str, L: str) -> str:
    return t(f"rep.grade.{g}", L)


def _warning(w: str, L: str) -> str:
    return t(f"rep.warning.{w}", L)


def _ch_overall(w: _Writer, ws, evs: dict, leds: pd.DataFrame, year: int, ind: list[dict]) -> None:
    L = w.L
    w.chapter("overall")
    city = ws.metadata.get("city", "") or t("rep.city_unknown", L)
    lay = ws.layers
    pop = float(lay["population_cells"]["population"].sum()) if "population_cells" in lay else 0.0
    dist = composite(evs["district"])
    score = (
        float((dist["score"] * dist["population"]).sum() / dist["population"].sum())
        if len(dist)
        else float("nan")
    )
    w.para(
        t(
            "rep.overall.text",
            L,
            city=clean_text(city),
            year=year,
            districts=len(lay["districts"]),
            subdistricts=len(lay["subdistricts"]),
            communities=len(lay["communities"]),
            compounds=len(lay["compounds"]),
            population=f"{pop:,.0f}",
            indicators=len(ind),
            score=f"{score:.1f}",
        )
    )
    summ = level_summary(evs["community"])
    joiner = "; " if L == "en" else "、"
    names = _ind_names(ind, L)
    key = pd.DataFrame(
        {
            t("rep.col.item", L): [
                t("rep.kf.score", L),
                t("rep.kf.indicators", L),
                t("rep.kf.red_warning", L),
                t("rep.kf.yellow_warning", L),
                t("rep.kf.problems", L),
                t("rep.kf.linked", L),
            ],
            t("rep.col.figure", L): [
                f"{score:.1f}",
                f"{len(ind)}",
                joiner.join(names.get(i, i) for i in summ.index[summ["warning"] == "red"]) or "—",
                joiner.join(names.get(i, i) for i in summ.index[summ["warning"] == "yellow"]) or "—",
                f"{len(leds):,}",
                f"{int(leds['linked'].sum()):,}" if len(leds) else "0",
            ],
        }
    )
    w.table(key, t("rep.overall.table", L, year=year), widths_cm=[5.0, 11.0])


def _records_section(w: _Writer, records: pd.DataFrame | None, national: list[dict] | None) -> None:
    """The national base indicators as filled for the whole city: one table per level of the 2023 guidance."""
    L = w.L
    if records is None or national is None or records.empty:
        w.para(t("rep.rec.none", L))
        return
    by = records.set_index("indicator")
    warned = records["warning"].value_counts()
    w.para(
        t(
            "rep.rec.text",
            L,
            n=len(national),
            computed=int(records["value"].notna().sum()),
            red=int(warned.get("red", 0)),
            yellow=int(warned.get("yellow", 0)),
        )
    )
    for level in NATIONAL_LEVELS:
        cat = [c for c in national if c["level"] == level and c["key"] in by.index]
        if not cat:
            continue
        rows = []
        for i, c in enumerate(cat, start=1):
            r = by.loc[c["key"]]
            value = None if pd.isna(r["value"]) else float(r["value"])
            std = None if pd.isna(r["standard"]) else float(r["standard"])
            rows.append(
                {
                    t("rec.col.no", L): i,
                    t("rec.col.indicator", L): c["name_en" if L == "en" else "name_zh"],
                    t("rec.col.unit", L): t_or(f"rec.unit.{c['unit']}", c["unit"], L),
                    t("rec.col.standard", L): t("rec.grade.无标准", L)
                    if std is None
                    else format_value(std, c["unit"]),
                    t("rec.col.value", L): t("rep.rec.needs_data", L)
                    if value is None
                    else format_value(value, c["unit"]),
                    t("rec.col.grade", L): t(f"rec.grade.{r['grade']}", L)
                    if r["grade"]
                    else t("rec.grade.pending", L),
                    t("rec.col.warning", L): t(f"rec.warning.{r['warning']}", L),
                    t("rec.col.department", L): t_or(f"rec.dept.{r['department']}", str(r["department"]), L),
                }
            )
        w.table(
            pd.DataFrame(rows),
            t("rep.rec.table", L, level=t(f"rec.level.{level}", L)),
            widths_cm=[1.0, 6.2, 1.6, 1.8, 1.8, 1.6, 1.4, 2.2],
        )


def _ch_evaluation(
    w: _Writer, ws, evs: dict, ind: list[dict], records: pd.DataFrame | None, national: list[dict] | None
) -> None:
    L = w.L
    w.chapter("evaluation")
    w.heading(t("rep.rec.heading", L))
    _records_section(w, records, national)
    w.heading(t("rep.eval.spatial", L))
    w.para(
        t(
            "rep.eval.text",
            L,
            red=f"{RED_WARNING_SHARE * 100:.0f}",
            yellow=f"{YELLOW_WARNING_SHARE * 100:.0f}",
        )
    )
    names = _ind_names(ind, L)
    units = {d["key"]: d.get("unit", "") for d in ind}
    targets = {d["key"]: d.get("target") for d in ind}
    for level in LEVELS:
        ev = evs[level]
        w.heading(
            t("rep.eval.level", L, n=t(f"rep.num.{LEVELS.index(level) + 1}", L), level=t(f"level.{level}", L))
        )
        s = level_summary(ev)
        table = pd.DataFrame(
            {
                t("col.indicator", L): [names.get(i, i) for i in s.index],
                t("col.target", L): [format_value(targets.get(i), units.get(i, "")) for i in s.index],
                t("rep.col.units", L): s["units"].to_numpy(),
                t("rep.grade.green", L): s["green"].to_numpy(),
                t("rep.grade.yellow", L): s["yellow"].to_numpy(),
                t("rep.grade.red", L): s["red"].to_numpy(),
                t("rep.col.failing_pop", L): [f"{v:,.0f}" for v in s["failing_population"]],
                t("rep.col.grade", L): [_grade(g, L) for g in s["grade"]],
                t("rep.col.warning", L): [_warning(x, L) for x in s["warning"]],
            }
        )
        w.table(
            table,
            t("rep.eval.table", L, level=t(f"level.{level}", L)),
            widths_cm=[4.2, 1.6, 1.2, 1.2, 1.6, 1.4, 2.0, 1.6, 1.6],
        )
        if level == "district":
            un = unit_names(ws.layers, level, L)
            detail = pd.DataFrame(
                {
                    t("col.unit", L): ev["unit"].map(un).fillna(ev["unit"].astype(str)).to_numpy(),
                    t("col.indicator", L): ev["indicator"].map(names).to_numpy(),
                    t("col.value", L): [
                        format_value(v, u) for v, u in zip(ev["value"], ev["unit_of_measure"])
                    ],
                    t("col.target", L): [
                        format_value(v, u) for v, u in zip(ev["target"], ev["unit_of_measure"])
                    ],
                    t("rep.col.grade", L): [_grade(g, L) for g in ev["grade"]],
                }
            )
            w.table(detail, t("rep.eval.district_detail", L), widths_cm=[2.6, 6.4, 2.4, 2.4, 2.4])


def _ch_problems(
    w: _Writer, ws, evs: dict, leds: pd.DataFrame, ind: list[dict], tmp: Path, figures: bool
) -> None:
    L = w.L
    w.chapter("problems")
    names = _ind_names(ind, L)
    led = leds[leds["level"] == "community"] if len(leds) else leds
    if led.empty:
        w.para(t("rep.problems.none", L))
        return
    by = (
        led.groupby("indicator", sort=False)
        .agg(
            n=("problem_id", "size"),
            red=("grade", lambda s: int((s == "red").sum())),
            affected=("affected", "sum"),
            linked=("linked", "sum"),
        )
        .sort_values("affected", ascending=False)
    )
    w.para(
        t(
            "rep.problems.text",
            L,
            n=f"{len(led):,}",
            indicators=len(by),
            affected=f"{led['affected'].sum():,.0f}",
        )
    )
    w.table(
        pd.DataFrame(
            {
                t("col.indicator", L): [names.get(i, i) for i in by.index],
                t("rep.col.problems", L): by["n"].to_numpy(),
                t("rep.grade.red", L): by["red"].to_numpy(),
                t("col.affected", L): [f"{v:,.0f}" for v in by["affected"]],
                t("hc.metric.linked", L): by["linked"].astype(int).to_numpy(),
            }
        ),
        t("rep.problems.by_indicator", L),
        widths_cm=[6.5, 2.2, 2.2, 3.0, 2.5],
    )
    un = unit_names(ws.layers, "community", L)
    top = led.head(15)
    w.table(
        pd.DataFrame(
            {
                t("col.unit", L): top["unit"].map(un).fillna(top["unit"].astype(str)).to_numpy(),
                t("col.indicator", L): top["indicator"].map(names).to_numpy(),
                t("col.value", L): [format_value(v, u) for v, u in zip(top["value"], top["unit_of_measure"])],
                t("col.target", L): [
                    format_value(v, u) for v, u in zip(top["target"], top["unit_of_measure"])
                ],
                t("rep.col.grade", L): [_grade(g, L) for g in top["grade"]],
                t("col.affected", L): [f"{v:,.0f}" for v in top["affected"]],
                t("col.projects", L): top["projects"].astype(str).to_numpy(),
            }
        ),
        t("rep.problems.top", L, n=len(top)),
        widths_cm=[2.6, 4.6, 1.8, 1.8, 1.6, 1.8, 2.4],
    )
    if figures:
        from cartography.maps import grade_map

        for indicator in list(by.index[:2]):
            png = _map_png(
                grade_map(ws, evs["community"], "community", indicator, L),
                tmp / f"problem_{indicator}.png",
                lang=L,
                synthetic=ws.synthetic,
            )
            w.figure(png, t("rep.problems.map", L, indicator=names.get(indicator, indicator)))


def _ch_projects(w: _Writer, ws, leds: pd.DataFrame, links, projects, effects, ind: list[dict]) -> None:
    L = w.L
    w.chapter("projects")
    names = _ind_names(ind, L)
    if links is None or len(links) == 0 or len(leds) == 0:
        w.para(t("rep.projects.none", L))
        return
    lk = links.merge(leds[["problem_id", "unit", "indicator", "level"]], on="problem_id", how="inner")
    lk["unit_name"] = [
        clean_text(unit_names(ws.layers, lv, L).get(u, u)) for lv, u in zip(lk["level"], lk["unit"])
    ]
    if lk.empty:
        w.para(t("rep.projects.none", L))
        return
    if projects is not None and len(projects):
        info = projects.set_index(projects["project_id"].astype(str))
        lk["name"] = lk["project_id"].astype(str).map(info["name"]) if "name" in info else ""
        lk["status"] = lk["project_id"].astype(str).map(info["status"]) if "status" in info else ""
    else:
        lk["name"], lk["status"] = "", ""
    has_effects = effects is not None and len(effects) > 0
    if has_effects:
        eff = effects.astype({"problem_id": str, "project_id": str})
        col = (
            "effect"
            if "effect" in eff.columns
            else [c for c in eff.columns if c not in ("problem_id", "project_id")][0]
        )
        lk = lk.merge(
            eff[["problem_id", "project_id", col]].rename(columns={col: "effect"}),
            on=["problem_id", "project_id"],
            how="left",
        )
    w.para(
        t(
            "rep.projects.text",
            L,
            links=len(lk),
            projects=lk["project_id"].nunique(),
            problems=lk["problem_id"].nunique(),
        )
    )
    if not has_effects:
        w.para(t("rep.projects.no_effects", L), italic=True)
    table = pd.DataFrame(
        {
            t("rep.col.problem", L): [
                f"{u} · {names.get(i, i)}" for u, i in zip(lk["unit_name"], lk["indicator"])
            ],
            t("rep.col.project_id", L): lk["project_id"].astype(str).to_numpy(),
            t("rep.col.project", L): lk["name"].map(clean_text).to_numpy(),
            t("rep.col.status", L): lk["status"].map(lambda s: t_or_status(s, L)).to_numpy(),
            t("rep.col.effect", L): (
                lk["effect"].map(lambda v: "—" if pd.isna(v) else clean_text(v)).to_numpy()
                if has_effects
                else [t("rep.projects.effect_missing", L)] * len(lk)
            ),
        }
    )
    w.table(table, t("rep.projects.table", L), widths_cm=[5.0, 2.2, 4.6, 1.6, 3.0])


def t_or_status(status, L: str) -> str:
    """Project status in the report language (store values are Chinese)."""
    from i18n import t_or

    return t_or(f"status.{status}", clean_text(status), L)


def _remeasure_section(w: _Writer, ws, evs0, evs, year, compare, links, projects, closures, names) -> None:
    """复查销号: the earlier year's community problems re-measured, and the ones already closed (销号)."""
    from layers.closedloop import remeasure

    L = w.L
    rm = remeasure(
        problems(evs0["community"]),
        evs["community"],
        links if links is not None else pd.DataFrame(columns=["problem_id", "project_id"]),
        projects if projects is not None else pd.DataFrame(columns=["project_id", "status"]),
    )
    closed = set(closures["problem_id"]) if closures is not None and len(closures) else set()
    rm["closed"] = rm["problem_id"].isin(closed)
    n = rm["status"].value_counts()
    w.para(
        t(
            "rep.remeasure.text",
            L,
            y0=compare,
            y1=year,
            n=f"{len(rm):,}",
            propose=f"{int(n.get('propose_close', 0)):,}",
            closed=int(rm["closed"].sum()),
            flagged=f"{int(n.get('complete_but_failing', 0)):,}",
            carried=f"{int(n.get('carried_over', 0)):,}",
        )
    )
    shown = rm[rm["status"].isin(["propose_close", "complete_but_failing"]) | rm["closed"]]
    if shown.empty:
        return
    un = unit_names(ws.layers, "community", L)
    uom = evs["community"].drop_duplicates("indicator").set_index("indicator")["unit_of_measure"]
    w.table(
        pd.DataFrame(
            {
                t("col.unit", L): [clean_text(un.get(u, u)) for u in shown["unit"]],
                t("col.indicator", L): [names.get(i, i) for i in shown["indicator"]],
                t("rep.col.value_year", L, year=compare): [
                    format_value(v, uom.get(i, "")) for v, i in zip(shown["value_y0"], shown["indicator"])
                ],
                t("rep.col.value_year", L, year=year): [
                    format_value(v, uom.get(i, "")) for v, i in zip(shown["value_y1"], shown["indicator"])
                ],
                t("rep.col.remeasure", L): [
                    t("rep.remeasure.closed", L) if c else t(f"rep.remeasure.{st}", L)
                    for st, c in zip(shown["status"], shown["closed"])
                ],
            }
        ),
        t("rep.remeasure.table", L, y0=compare, y1=year),
        widths_cm=[3.0, 6.0, 2.4, 2.4, 3.2],
    )


def _ch_review(
    w: _Writer,
    ws,
    evs: dict,
    evs0: dict | None,
    year: int,
    compare: int | None,
    ind: list[dict],
    links=None,
    projects=None,
    closures=None,
) -> None:
    L = w.L
    w.chapter("review")
    if evs0 is None:
        w.para(t("rep.review.none", L, year=year))
        return
    names = _ind_names(ind, L)
    cmp = compare_years(evs0["community"], evs["community"])
    counts = cmp.groupby("indicator")["change"].value_counts().unstack(fill_value=0)
    for c in ("improved", "unchanged", "worse"):
        if c not in counts:
            counts[c] = 0
    total = counts[["improved", "unchanged", "worse"]].sum()
    w.para(
        t(
            "rep.review.text",
            L,
            y0=compare,
            y1=year,
            improved=int(total["improved"]),
            unchanged=int(total["unchanged"]),
            worse=int(total["worse"]),
        )
    )
    order = [d["key"] for d in ind if d["key"] in counts.index]
    w.table(
        pd.DataFrame(
            {
                t("col.indicator", L): [names.get(i, i) for i in order],
                t("rep.change.improved", L): counts.loc[order, "improved"].to_numpy(),
                t("rep.change.unchanged", L): counts.loc[order, "unchanged"].to_numpy(),
                t("rep.change.worse", L): counts.loc[order, "worse"].to_numpy(),
            }
        ),
        t("rep.review.table", L, y0=compare, y1=year),
        widths_cm=[7.5, 3.0, 3.0, 3.0],
    )
    _remeasure_section(w, ws, evs0, evs, year, compare, links, projects, closures, names)
    dist0, dist1 = composite(evs0["district"]), composite(evs["district"])
    un = unit_names(ws.layers, "district", L)
    j = dist0[["score"]].join(dist1[["score"]], lsuffix="_0", rsuffix="_1", how="outer")
    w.table(
        pd.DataFrame(
            {
                t("col.unit", L): [clean_text(un.get(u, u)) for u in j.index],
                t("rep.col.score_year", L, year=compare): j["score_0"].round(1).to_numpy(),
                t("rep.col.score_year", L, year=year): j["score_1"].round(1).to_numpy(),
                t("rep.col.change", L): (j["score_1"] - j["score_0"])
                .round(1)
                .map(lambda v: f"{v:+.1f}")
                .to_numpy(),
            }
        ),
        t("rep.review.scores", L),
        widths_cm=[5.0, 3.5, 3.5, 3.0],
    )


def _ch_equity(w: _Writer, ws, eq: EquityResult | None, catalogue, tmp: Path, figures: bool) -> None:
    L = w.L
    w.chapter("equity")
    if eq is None:
        w.para(t("eq.no_data", L))
        return
    city, fair = eq.city, eq.fairness
    w.para(t("rep.equity.text", L))
    w.table(
        pd.DataFrame(
            {
                t("eq.col.group", L): [t(f"eq.group.{g}", L) for g in city.index],
                t("eq.col.facility", L): [catalogue.types[f].name(L) for f in city["facility_type"]],
                t("eq.col.radius_m", L): [f"{r:,.0f}" for r in city["radius_m"]],
                t("eq.col.residents", L): [f"{v:,.0f}" for v in city["residents"]],
                t("eq.col.unserved", L): [f"{v:,.0f}" for v in city["unserved"]],
                t("eq.col.coverage", L): [format_value(v, "%") for v in city["share"]],
                t("rep.col.ci", L): [f"{v:+.3f}" for v in fair.loc[city.index, "concentration_index"]],
            }
        ),
        t("rep.equity.table", L),
        widths_cm=[3.2, 3.6, 1.8, 2.4, 2.2, 1.8, 2.0],
    )
    w.table(
        pd.DataFrame(
            {
                t("eq.col.group", L): [t(f"eq.group.{g}", L) for g in fair.index],
                t("eq.col.share_old", L): [format_value(v, "%") for v in fair["share_old"]],
                t("eq.col.share_new", L): [format_value(v, "%") for v in fair["share_new"]],
                t("rep.col.ci", L): [f"{v:+.3f}" for v in fair["concentration_index"]],
                t("eq.col.reading", L): [ci_reading(v, L) for v in fair["concentration_index"]],
            }
        ),
        t("eq.fairness", L),
        widths_cm=[3.2, 2.6, 2.6, 2.2, 6.0],
    )
    if figures:
        png = _bar_chart_png(
            [(t(f"eq.group.{g}", L), fair.loc[g, "share_old"], fair.loc[g, "share_new"]) for g in fair.index],
            tmp / "equity_bars.png",
            title=t("rep.equity.chart", L),
            legend=(t("eq.col.share_old", L), t("eq.col.share_new", L)),
        )
        w.figure(png, t("rep.equity.chart", L))
        from cartography.equity import equity_map

        worst = str(city["share"].idxmin())
        m = equity_map(ws, eq.by_subdistrict, worst, L)  # facility clusters do not print legibly

        png = _map_png(m, tmp / "equity_map.png", lang=L, synthetic=ws.synthetic)
        w.figure(png, t("rep.equity.map", L, group=t(f"eq.group.{worst}", L)))
    per_group = 5
    lb = eq.left_behind.groupby("group", sort=False).head(per_group)
    lb = lb.assign(order=lb["group"].map({g: i for i, g in enumerate(eq.groups)})).sort_values(
        ["order", "residents"], ascending=[True, False]
    )
    if lb.empty:
        w.para(t("eq.left_behind.none", L))
        return
    w.table(
        pd.DataFrame(
            {
                t("eq.col.compound", L): lb["name"].map(clean_text).to_numpy(),
                t("eq.col.build_year", L): lb["build_year"].to_numpy(),
                t("eq.col.group", L): [t(f"eq.group.{g}", L) for g in lb["group"]],
                t("eq.col.unserved", L): [f"{v:,.0f}" for v in lb["residents"]],
                t("eq.col.distance_m", L): [
                    f"{v:,.0f}" if v == v and v != float("inf") else "—" for v in lb["distance_m"]
                ],
                t("eq.col.radius_m", L): [f"{v:,.0f}" for v in lb["radius_m"]],
            }
        ),
        t("rep.equity.left_behind", L, n=per_group, total=f"{len(eq.left_behind):,}"),
        widths_cm=[4.2, 1.8, 3.4, 2.4, 2.6, 2.2],
    )


def ci_reading(value: float, L: str) -> str:
    """Plain-language reading of a concentration index (|E| < 0.05 counts as no relation)."""
    if value != value:
        return "—"
    if abs(value) < 0.05:
        return t("eq.ci.neutral", L)
    return t("eq.ci.pro_new" if value > 0 else "eq.ci.pro_old", L)


def _ch_appendix(w: _Writer, ws, ind: list[dict], catalogue, eq: EquityResult | None) -> None:
    L = w.L
    w.chapter("appendix")
    w.heading(t("rep.app.indicators", L))
    w.table(
        pd.DataFrame(
            {
                t("col.indicator", L): [d["name_en" if L == "en" else "name_zh"] for d in ind],
                t("rep.col.unit_of_measure", L): [d.get("unit", "") for d in ind],
                t("rep.col.direction", L): [
                    t(f"rep.direction.{d.get('direction', 'higher')}", L) for d in ind
                ],
                t("col.target", L): [format_value(d.get("target"), d.get("unit", "")) for d in ind],
                t("col.source", L): [
                    clean_text(d.get("source_en" if L == "en" else "source_zh", "")) for d in ind
                ],
            }
        ),
        t("rep.app.indicators", L),
        widths_cm=[4.6, 1.3, 2.0, 1.5, 7.2],
    )
    w.heading(t("rep.app.radii", L))
    types = list(dict.fromkeys(AGE_FACILITY.values()))
    w.table(
        pd.DataFrame(
            {
                t("eq.col.group", L): [
                    ", ".join(t(f"eq.group.{g}", L) for g, f in AGE_FACILITY.items() if f == ft)
                    for ft in types
                ],
                t("eq.col.facility", L): [catalogue.types[ft].name(L) for ft in types],
                t("eq.col.radius_m", L): [f"{catalogue.radius_m(ft):,.0f}" for ft in types],
                t("rep.col.basis", L): [clean_text(catalogue.types[ft].basis(L)) for ft in types],
            }
        ),
        t("rep.app.radii", L),
        widths_cm=[3.6, 3.6, 1.8, 7.5],
    )
    w.heading(t("rep.app.method", L))
    w.para(
        t(
            "rep.app.warning_rule",
            L,
            red=f"{RED_WARNING_SHARE * 100:.0f}",
            yellow=f"{YELLOW_WARNING_SHARE * 100:.0f}",
        )
    )
    for block in t("eq.method", L).split("\n\n"):
        w.para(block.replace("**", ""))
    w.heading(t("rep.app.sources", L))
    w.para(t("rep.app.sources_text", L))
    if ws.synthetic:
        w.para(t("rep.app.demo", L), bold=True)


# ------------------------------------------------------------------------------------------ entry point


def build_report(
    ws,
    *,
    year: int,
    out: str | Path,
    catalogue,
    indicators: list[dict],
    lang: str = "zh",
    compare: int | None = None,
    links: pd.DataFrame | None = None,
    projects: pd.DataFrame | None = None,
    effects: pd.DataFrame | None = None,
    equity: EquityResult | None = None,
    records: pd.DataFrame | None = None,
    national: list[dict] | None = None,
    closures: pd.DataFrame | None = None,
    figures: bool = True,
) -> ReportCounts:
    """Write the 城市体检报告 of one survey year as a .docx.

    Parameters
    ----------
    ws : geodata.workspace.Workspace
        The workspace (layers in any CRS, ``metadata`` with ``city`` and ``survey_years``, ``synthetic``).
    year : int
        Survey year reported.
    out : str or Path
        Target ``.docx`` path (written to a temporary file next to it, then renamed).
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    indicators : list of dict
        Indicator definitions (:func:`geodata.indicators.load_indicators`).
    lang : {"zh", "en"}
        Report language.
    compare : int, optional
        Earlier survey year for chapter 五、复查 (improved / unchanged / worse per indicator).
    links : pandas.DataFrame, optional
        Problem → project links (``problem_id``, ``project_id``) from the project store.
    projects : pandas.DataFrame, optional
        The project library (``project_id``, ``name``, ``status``, …).
    effects : pandas.DataFrame, optional
        Predicted effect per link (``problem_id``, ``project_id`` and ``effect``, text or number); without it
        chapter 四 says plainly that no prediction was supplied.
    equity : layers.equity.EquityResult, optional
        The 一老一小 results (computed from the workspace when omitted; None when it has no age groups).
    records : pandas.DataFrame, optional
        The city's indicator records of ``year`` (:func:`layers.records.merge_records`, scope "city"); chapter
        二 opens with them, one table per level of the national catalogue.
    national : list of dict, optional
        The national catalogue rows (:func:`geodata.national.load_national`), in report order.
    closures : pandas.DataFrame, optional
        Problems closed (销号) in the store (``problem_id``); chapter 五 marks them.
    figures : bool
        Render maps and charts (headless chromium); False writes the text and tables only.

    Returns
    -------
    ReportCounts
        Chapters, tables and figures in the document, its path, size in bytes and build time in seconds.

    Raises
    ------
    ValueError
        If ``year`` (or ``compare``) is not a survey year of the workspace.
    PermissionError, FileNotFoundError
        If ``out`` cannot be written.
    """
    from geodata.atomic import atomic_path
    from layers.equity import workspace_equity

    t0 = time.perf_counter()
    L = "en" if lang == "en" else "zh"
    years = [int(y) for y in str(ws.metadata.get("survey_years", "")).split(",") if y.strip()]
    for y in (year, compare):
        if y is not None and years and y not in years:
            raise ValueError(
                f"没有 {y} 年的体检数据（可用年度：{', '.join(map(str, years))}） / "
                f"no survey data for {y} (years available: {', '.join(map(str, years))})"
            )
    out = check_writable(out)
    evs = {lv: evaluate(ws.layers, catalogue, indicators, year=year, level=lv) for lv in LEVELS}
    evs0 = (
        {
            lv: evaluate(ws.layers, catalogue, indicators, year=compare, level=lv)
            for lv in ("district", "community")
        }
        if compare is not None
        else None
    )
    link_table = links if links is not None else pd.DataFrame(columns=["problem_id", "project_id"])
    leds = pd.concat([ledger(problems(evs[lv]), link_table) for lv in LEVELS], ignore_index=True)
    if equity is None:
        radii = {f: catalogue.radius_m(f) for f in set(AGE_FACILITY.values())}
        equity = workspace_equity(ws.layers, radii, year=year)

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.2)
    sec.top_margin, sec.bottom_margin = Cm(2.4), Cm(2.2)
    _style_fonts(doc)
    city = clean_text(ws.metadata.get("city", ""))
    _header_footer(
        doc, t("rep.header", L, city=city, year=year), t("rep.demo_mark", L) if ws.synthetic else None
    )
    doc.core_properties.title = t("rep.title", L, city=city, year=year)
    doc.add_heading(t("rep.title", L, city=city, year=year), level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub = doc.add_paragraph(t("rep.subtitle", L, date=time.strftime("%Y-%m-%d")))
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if ws.synthetic:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(t("rep.demo_notice", L))
        r.bold = True
        r.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)

    w = _Writer(doc, L)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        _ch_overall(w, ws, evs, leds, year, indicators)
        _ch_evaluation(w, ws, evs, indicators, records, national)
        _ch_problems(w, ws, evs, leds, indicators, tmp, figures)
        _ch_projects(w, ws, leds, links, projects, effects, indicators)
        _ch_review(w, ws, evs, evs0, year, compare, indicators, links, projects, closures)
        _ch_equity(w, ws, equity, catalogue, tmp, figures)
        _ch_appendix(w, ws, indicators, catalogue, equity)
        with atomic_path(out) as target:
            doc.save(str(target))
    return ReportCounts(
        chapters=w.chapters,
        tables=w.tables,
        figures=w.figures,
        path=out,
        size_bytes=out.stat().st_size,
        seconds=time.perf_counter() - t0,
    )


def build_report_from_store(
    ws, store, *, year: int, out: str | Path, catalogue, indicators: list[dict], **options
) -> ReportCounts:
    """Write the report with everything the project store holds: links, projects and the city's records.

    The page and ``cli.py healthcheck-report`` both call this, so the two documents are the same.

    Parameters
    ----------
    ws : geodata.workspace.Workspace
        The workspace.
    store : geodata.stores.ProjectStore
        The project store of the workspace (links, library, indicator records).
    year : int
        Survey year reported.
    out : str or Path
        Target ``.docx`` path.
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    indicators : list of dict
        Indicator definitions.
    **options
        Passed on to :func:`build_report` (``lang``, ``compare``, ``equity``, ``figures``).

    Returns
    -------
    ReportCounts
        As :func:`build_report`.
    """
    from geodata.national import load_national
    from layers.closedloop import predict_links
    from layers.records import scope_records

    national, _ = load_national(indicator_keys=[d["key"] for d in indicators])
    city_ev = evaluate(ws.layers, catalogue, indicators, year=year, level="city")
    records = scope_records(national, city_ev, store.records(year), year=year, scope="city")
    links, projects = store.problem_links(), store.list()
    mine = links[links["problem_id"].astype(str).str.startswith(f"{int(year)}|")] if len(links) else links
    predicted = predict_links(mine, projects, ws.layers, catalogue, indicators) if len(mine) else None
    L = "en" if options.get("lang") == "en" else "zh"
    uom = {d["key"]: d.get("unit", "") for d in indicators}
    effects = (
        pd.DataFrame(
            {
                "problem_id": predicted["problem_id"],
                "project_id": predicted["project_id"],
                "effect": [
                    effect_text(e, uom.get(str(e["problem_id"]).split("|")[-1], ""), catalogue, L)
                    for e in predicted.to_dict("records")
                ],
            }
        )
        if predicted is not None and len(predicted)
        else None
    )
    return build_report(
        ws,
        year=year,
        out=out,
        catalogue=catalogue,
        indicators=indicators,
        links=links,
        projects=projects,
        effects=effects,
        records=records,
        national=national,
        closures=store.closures(),
        **options,
    )


def effect_text(effect: dict, uom: str, catalogue, L: str) -> str:
    """One line for a link's predicted effect (:func:`layers.closedloop.predict_effect`), or why there is none.

    Parameters
    ----------
    effect : dict
        A row of :func:`layers.closedloop.predict_links`.
    uom : str
        The indicator's unit of measure.
    catalogue : geodata.catalogue.Catalogue
        Facility types (for the modelled facility's name).
    L : str
        "zh" or "en".

    Returns
    -------
    str
        E.g. "按幼儿园测算：50.2% → 81.0%（未达标 → 接近），本单元新增覆盖 5,268 人".
    """
    if not effect.get("predicted"):
        detail = effect.get("detail", "") or ""
        if effect.get("reason") == "wrong_facility":
            detail = "、".join(
                catalogue.types[x].name(L) if x in catalogue.types else x for x in str(detail).split(",") if x
            )
        elif effect.get("reason") == "no_facility":
            detail = t(f"category.{detail}", L)
        return clean_text(t(f"loop.why.{effect.get('reason')}", L, detail=detail))
    ftype = effect.get("facility_type")
    parcel = ftype not in catalogue.types
    return clean_text(
        t(
            "rep.effect.parcel" if parcel else "rep.effect",
            L,
            facility="" if parcel else catalogue.types[ftype].name(L),
            before=format_value(effect["value_before"], uom),
            after=format_value(effect["value_after"], uom),
            g0=t(f"hc.grade.{effect['grade_before']}", L),
            g1=t(f"hc.grade.{effect['grade_after']}", L),
            newly=f"{effect['newly_served']:,.0f}",
        )
    )
