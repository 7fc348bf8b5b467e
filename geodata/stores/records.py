"""The 城市体检 indicator-record contract: fields, allowed values and checks shared by both stores.

A record is one indicator × survey year × scope (``"city"`` or a six-digit district adcode as text). It carries
the value (``manual`` = 人工填报 when the bureau entered or overrode it), the standard, grade and warning (from
:mod:`layers.records`), the source level, data source, responsible department, the 佐证材料 checklist (a list of
``{"item": str, "done": bool}``, stored as JSON), the submit status and a version. Editing a submitted record
is refused until it is returned; every change is audited per field like the project library.
"""

from __future__ import annotations

import json
import math
import numbers

GRADES = ("很好", "较好", "一般", "较差", "无标准")
WARNINGS = ("red", "yellow", "none")
STATUSES = ("草稿", "已提交", "已退回")
SOURCE_LEVELS = ("国家", "省", "市")
#: fields a record save may set (the key ``year, indicator, scope`` identifies it)
RECORD_FIELDS = (
    "value",
    "manual",
    "computed_value",
    "standard",
    "grade",
    "warning",
    "source_level",
    "data_source",
    "department",
    "evidence",
    "note",
)
TEXT = ("data_source", "department", "note", "indicator", "scope")
#: status changes allowed: from → to
TRANSITIONS = {("草稿", "已提交"), ("已退回", "已提交"), ("已提交", "已退回")}
YEARS = (2000, 2100)


def _number_ok(v) -> bool:
    return v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(float(v)))


def validate_record(key: tuple, fields: dict) -> list[str]:
    """List every problem of a record (Chinese / English, one per field).

    Parameters
    ----------
    key : tuple
        ``(year, indicator, scope)``.
    fields : dict
        Some of :data:`RECORD_FIELDS`.

    Returns
    -------
    list of str
        ``"field: problem"`` messages; empty when the record can be saved.
    """
    year, indicator, scope = key
    problems = []
    if not (isinstance(year, int) and not isinstance(year, bool) and YEARS[0] <= year <= YEARS[1]):
        problems.append(f"year: {year!r} 不是 {YEARS[0]}–{YEARS[1]} 的年份 / not a year")
    if not str(indicator).strip():
        problems.append("indicator: 指标为空 / empty")
    if scope != "city" and not (str(scope).isdigit() and len(str(scope)) == 6):
        problems.append(f"scope: {scope!r} 须为 city 或六位区划代码 / must be city or a six-digit adcode")
    unknown = sorted(set(fields) - set(RECORD_FIELDS))
    problems += [f"{k}: 不可编辑 / not editable" for k in unknown]
    for k in ("value", "computed_value", "standard"):
        if k in fields and not _number_ok(fields[k]):
            problems.append(f"{k}: {fields[k]!r} 不是有限数字 / not a finite number")
    for k, allowed in (("grade", GRADES), ("warning", WARNINGS), ("source_level", SOURCE_LEVELS)):
        if fields.get(k) is not None and fields[k] not in allowed:
            problems.append(f"{k}: {fields[k]!r} 不在可选值中 / not one of {' / '.join(allowed)}")
    for k in TEXT:
        v = {"indicator": indicator, "scope": scope}.get(k, fields.get(k))
        if isinstance(v, str) and "\x00" in v:
            problems.append(f"{k}: 含有空字符（NUL） / contains a NUL byte")
    if "evidence" in fields:
        ev = fields["evidence"]
        ok = isinstance(ev, list) and all(
            isinstance(e, dict) and isinstance(e.get("item"), str) and isinstance(e.get("done"), bool)
            for e in ev
        )
        if not ok:
            problems.append("evidence: 须为 {item, done} 列表 / must be a list of {item, done}")
        elif any("\x00" in e["item"] for e in ev):
            problems.append("evidence: 含有空字符（NUL） / contains a NUL byte")
    return problems


def evidence_text(evidence) -> str:
    """Turn the 佐证材料 checklist into the stored JSON text (Chinese kept readable).

    Parameters
    ----------
    evidence : list of dict
        ``[{"item": str, "done": bool}, …]``.

    Returns
    -------
    str
        JSON text.
    """
    return json.dumps(list(evidence or []), ensure_ascii=False)


def evidence_list(text) -> list[dict]:
    """Parse a stored checklist (empty list for NULL or unreadable text).

    Parameters
    ----------
    text : str or None
        JSON from :func:`evidence_text`.

    Returns
    -------
    list of dict
        The checklist.
    """
    if not text:
        return []
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return []
    return value if isinstance(value, list) else []
