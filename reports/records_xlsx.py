"""The 城市体检 indicator records as the workbook bureaus submit, and reading it back.

One sheet per level (住房 / 小区（社区）/ 街区 / 城区), a title row with city, year and scope, then the columns
序号 / 维度 / 指标项 / 单位 / 标准值 / 指标值 / 评价等级 / 预警 / 数据来源 / 来源层级 / 责任部门 / 佐证材料 / 填报状态.
Percent indicators are written as percentages (0.88 → 88). Every text cell goes through
``geodata.spreadsheet.safe_text`` (``=HYPERLINK(…)`` stays text); reading takes the guard off again.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from geodata.national import LEVELS
from geodata.spreadsheet import safe_text, unguard_text
from i18n import LABELS, t, t_or

COLUMNS = (
    "no",
    "dimension",
    "indicator",
    "unit",
    "standard",
    "value",
    "grade",
    "warning",
    "data_source",
    "source_level",
    "department",
    "evidence",
    "status",
)
WIDTHS = (6, 12, 40, 12, 10, 12, 10, 8, 26, 10, 16, 36, 10)
FILL = {"red": "F4B6B6", "yellow": "FBE7A1"}
TICK, BOX, SEP = "☑", "☐", "；"


def _num(v):
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def _shown(v, unit: str):
    v = _num(v)
    if v is None:
        return None
    return round(v * 100, 2) if unit == "%" else round(v, 4)


def evidence_cell(evidence) -> str:
    """Write a 佐证材料 checklist as one cell: ``☑统计台账；☐现场照片``.

    Parameters
    ----------
    evidence : list of dict
        ``[{"item": str, "done": bool}, …]``.

    Returns
    -------
    str
        The cell text ("" for an empty list).
    """
    return SEP.join(f"{TICK if e.get('done') else BOX}{e.get('item', '')}" for e in evidence or [])


def parse_evidence(text: str) -> list[dict]:
    """Read a 佐证材料 cell back (items without a box count as not ticked).

    Parameters
    ----------
    text : str
        The cell text.

    Returns
    -------
    list of dict
        ``[{"item": str, "done": bool}, …]``.
    """
    out = []
    for part in str(text or "").split(SEP):
        part = part.strip()
        if part:
            done = part.startswith(TICK)
            out.append({"item": part.lstrip(TICK + BOX).strip(), "done": done})
    return out


def records_xlsx(
    records, catalogue: list[dict], *, city: str, year: int, scope: str, lang: str = "zh", demo: bool = False
) -> bytes:
    """Build the submission workbook of one scope and year.

    Parameters
    ----------
    records : pandas.DataFrame
        Records of one year and scope (:func:`layers.records.merge_records`): ``indicator, value, manual,
        standard, grade, warning, data_source, source_level, department, evidence, status, version``.
    catalogue : list of dict
        Catalogue rows (level, dimension, names, unit), in report order.
    city : str
        City name for the title row.
    year : int
        Survey year.
    scope : str
        Display name of the scope (全市 or a district name).
    lang : str, default "zh"
        "zh" for the bureau layout, "en" for English headers and values.
    demo : bool, default False
        Add a line saying the data are synthetic.

    Returns
    -------
    bytes
        The XLSX file.
    """
    by_key = {r["indicator"]: r for r in records.to_dict("records")}
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for level in LEVELS:
        rows = [c for c in catalogue if c["level"] == level]
        ws = wb.create_sheet(t(f"rec.level.{level}", lang)[:31])
        title = t(
            "rec.xlsx_title", lang, city=city, year=year, scope=scope, level=t(f"rec.level.{level}", lang)
        )
        ws.cell(1, 1, safe_text(title)).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
        ws.row_dimensions[1].height = 28
        first = 2
        if demo:
            ws.cell(2, 1, t("rec.xlsx_demo", lang)).font = Font(italic=True, color="AA0000")
            first = 3
        for j, col in enumerate(COLUMNS, start=1):
            c = ws.cell(first, j, t(f"rec.col.{col}", lang))
            c.font, c.alignment = (
                Font(bold=True, color="FFFFFF"),
                Alignment(wrap_text=True, vertical="center"),
            )
            c.fill = PatternFill("solid", fgColor="1F5F99")
            ws.column_dimensions[get_column_letter(j)].width = WIDTHS[j - 1]
        ws.freeze_panes = ws.cell(first + 1, 1)
        for i, cat in enumerate(rows, start=1):
            rec = by_key.get(cat["key"], {})
            unit = cat["unit"]
            std = _shown(rec.get("standard"), unit)
            grade = rec.get("grade")
            source = rec.get("data_source") or ""
            if rec.get("manual"):
                source = f"{t('rec.manual', lang)}{('：' + source) if source else ''}"
            elif not source and _num(rec.get("value")) is not None:
                source = t("rec.computed", lang)
            values = [
                i,
                t(f"dimension.{cat['dimension']}", lang),
                cat["name_zh"] if lang == "zh" else cat["name_en"],
                unit if lang == "zh" else t_or(f"rec.unit.{unit}", unit, lang),
                std if std is not None else t("rec.grade.无标准", lang),
                _shown(rec.get("value"), unit),
                t(f"rec.grade.{grade}", lang) if grade else t("rec.grade.pending", lang),
                t(f"rec.warning.{rec.get('warning') or 'none'}", lang),
                source,
                t(f"rec.source_level.{rec.get('source_level') or cat['source_level']}", lang),
                t_or(
                    f"rec.dept.{rec.get('department') or cat['department']}",
                    rec.get("department") or cat["department"],
                    lang,
                ),
                evidence_cell(rec.get("evidence")),
                t(f"rec.status.{rec['status']}", lang)
                if rec.get("status") and int(rec.get("version") or 0)
                else t("rec.status.unsaved", lang),
            ]
            for j, v in enumerate(values, start=1):
                cell = ws.cell(first + i, j, safe_text(v) if isinstance(v, str) else v)
                cell.alignment = Alignment(wrap_text=j in (3, 9, 12), vertical="top")
            w = rec.get("warning")
            if w in FILL:
                ws.cell(first + i, 8).fill = PatternFill("solid", fgColor=FILL[w])
            ws.cell(first + i, 3).font = bold
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _reverse(prefix: str) -> dict:
    # label text (either language) → the key's suffix, e.g. "红色" / "Red" → "red"
    return {text: k[len(prefix) :] for k, pair in LABELS.items() if k.startswith(prefix) for text in pair}


def read_records_xlsx(data: bytes, catalogue: list[dict]) -> tuple[list[dict], list[str]]:
    """Read a submission workbook back: the bureau's values, standards, sources and checklists.

    All or nothing: the caller saves the rows only when the problem list is empty.

    Parameters
    ----------
    data : bytes
        An XLSX written by :func:`records_xlsx` (Chinese or English) and filled in.
    catalogue : list of dict
        Catalogue rows (to recognise indicators by their Chinese or English name, per level).

    Returns
    -------
    (list of dict, list of str)
        Rows ``{"indicator", "value", "standard", "data_source", "source_level", "department", "evidence"}``
        (percent indicators back to 0…1; a manual prefix removed from the data source), and one message
        per refused row (``"<sheet> 第 n 行 / row n: …"``); an unreadable file gives one message and no rows.
    """
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [f"无法读取该文件 / cannot read the file ({type(err).__name__})"]
    levels = _reverse("rec.level.")
    levels_sl = _reverse("rec.source_level.")
    headers = {
        text: k[len("rec.col.") :] for k, pair in LABELS.items() if k.startswith("rec.col.") for text in pair
    }
    manual = set(LABELS["rec.manual"])
    depts = _reverse("rec.dept.")
    out, problems = [], []
    for ws in wb.worksheets:
        level = levels.get(ws.title)
        if level not in LEVELS:
            problems.append(f"{ws.title}: 不是填报表的工作表 / not a sheet of the records workbook")
            continue
        names = {}
        for c in catalogue:
            if c["level"] == level:
                names[c["name_zh"]] = c
                names[c["name_en"]] = c
        rows = list(ws.iter_rows(values_only=True))
        head_at = next((i for i, r in enumerate(rows) if r and headers.get(str(r[0] or "")) == "no"), None)
        if head_at is None:
            problems.append(f"{ws.title}: 缺少表头 / header row missing")
            continue
        cols = {headers.get(str(v or "")): j for j, v in enumerate(rows[head_at])}
        for n, r in enumerate(rows[head_at + 1 :], start=head_at + 2):
            if not r or all(v in (None, "") for v in r):
                continue
            where = f"{ws.title} 第 {n} 行 / row {n}"

            def cell(name, r=r, cols=cols):
                j = cols.get(name)
                v = r[j] if j is not None and j < len(r) else None
                return unguard_text(v) if isinstance(v, str) else v

            cat = names.get(str(cell("indicator") or "").strip())
            if cat is None:
                problems.append(f"{where}: 未知指标 {cell('indicator')!r} / unknown indicator")
                continue
            scale = 100.0 if cat["unit"] == "%" else 1.0
            parsed = {}
            for name in ("value", "standard"):
                v = cell(name)
                if v is None or (
                    isinstance(v, str) and (not v.strip() or v.strip() in LABELS["rec.grade.无标准"])
                ):
                    parsed[name] = None
                elif isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v)):
                    parsed[name] = float(v) / scale
                else:
                    problems.append(f"{where}: {t(f'rec.col.{name}')} {v!r} 不是数字 / not a number")
                    parsed[name] = None
            sl = levels_sl.get(str(cell("source_level") or "").strip())
            if sl is None:
                problems.append(
                    f"{where}: 来源层级 {cell('source_level')!r} 须为 国家/省/市 / must be 国家, 省 or 市"
                )
            source = str(cell("data_source") or "")
            for m in manual:
                if source.startswith(m):
                    source = source[len(m) :].lstrip("：: ")
            if source in LABELS["rec.computed"]:
                source = ""
            dept = str(cell("department") or "")
            out.append(
                {
                    "indicator": cat["key"],
                    "value": parsed["value"],
                    "standard": parsed["standard"],
                    "data_source": source,
                    "source_level": sl,
                    "department": depts.get(dept, dept),
                    "evidence": parse_evidence(cell("evidence")),
                }
            )
    if problems:
        return [], problems
    return out, []
