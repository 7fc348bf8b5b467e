"""Excel ledger exchange: the project library as a bureau ledger (Chinese headers) and back.

Round trip: export with :func:`ledger_table` (written formula-safe, ``geodata.spreadsheet``), edit in Excel,
import with :func:`import_ledger` (the guard apostrophe taken off again) — new
rows become projects, known ids are updated when the row's version matches (the same conflict rule as
the app). An import is all or nothing: every row is checked first, and when any row is refused the
per-row report comes back and nothing is written.
"""

from __future__ import annotations

import re

import pandas as pd

from geodata.spreadsheet import unguard_text
from geodata.stores.contract import COLUMNS, ProjectStore, validate_fields

#: bureau ledger headers (Chinese) ↔ our fields, for Excel round trips
LEDGER_HEADERS = {
    "project_id": "项目编号",
    "name": "项目名称",
    "category": "类别",
    "status": "状态",
    "decision": "留改拆",
    "budget_wan": "投资（万元）",
    "start_year": "开始年份",
    "end_year": "结束年份",
    "owner_unit": "责任单位",
    "notes": "备注",
    "parcel_id": "地块编号",
    "district_adcode": "区划代码",
    "version": "版本",
}


def ledger_table(store: ProjectStore) -> pd.DataFrame:
    """Return the library as a bureau ledger.

    Parameters
    ----------
    store : ProjectStore
        The project library.

    Returns
    -------
    pandas.DataFrame
        One row per project, the fields of :data:`LEDGER_HEADERS` under their Chinese headers
        (``投资（万元）`` in 10 000 CNY).
    """
    df = store.list()
    return df[list(LEDGER_HEADERS)].rename(columns=LEDGER_HEADERS)


def import_ledger(store: ProjectStore, table: pd.DataFrame, *, editor: str) -> dict:
    """Upsert the rows of a ledger into the library, all rows or none.

    New ids → create; known ids → update when the row's version matches. Every row is checked
    before anything is written; when any row is refused, nothing is written and every problem is
    reported with its spreadsheet row number (header = row 1).

    Parameters
    ----------
    store : ProjectStore
        The project library.
    table : pandas.DataFrame
        The ledger, Chinese (:data:`LEDGER_HEADERS`) or English headers.
    editor : str
        Who imports (required).

    Returns
    -------
    dict
        ``{"created": int, "updated": int, "problems": list of str}``; counts are 0 when there
        are problems (``"row N: field: …"``).
    """
    rows, problems = ledger_records(table)
    if problems:
        return {"created": 0, "updated": 0, "problems": problems}
    return store.import_records(rows, editor=editor)


def ledger_records(table: pd.DataFrame) -> tuple[list[tuple[int, dict]], list[str]]:
    """Read a ledger into records and check every row, without touching a store.

    Whole numbers typed as text (``"2025"``) are read as numbers; anything else that is not a
    number where one is due (``"2025年"``, ``"二〇二五"``) stays as typed and is reported.

    Parameters
    ----------
    table : pandas.DataFrame
        The ledger, Chinese (:data:`LEDGER_HEADERS`) or English headers.

    Returns
    -------
    rows : list of (int, dict)
        ``(spreadsheet row number, record)`` for every row.
    problems : list of str
        ``"row N: field: …"`` for every problem of every row; empty when all rows are valid.
    """
    back = {v: k for k, v in LEDGER_HEADERS.items()}
    df = table.rename(columns=lambda c: back.get(_header(c), _header(c)))
    rows: list[tuple[int, dict]] = []
    problems: list[str] = []
    for i, (_, row) in enumerate(df.iterrows()):
        number = i + 2
        rec = {k: _cell(k, v) for k, v in row.items() if k in COLUMNS}
        if rec.get("project_id") is not None:
            rec["project_id"] = str(rec["project_id"]).strip() or None
        checked = {k: v for k, v in rec.items() if k not in ("project_id", "version")}
        if not rec.get("project_id"):
            checked.setdefault("name", "")  # a new project needs a name
        found = validate_fields(checked)
        v = rec.get("version")
        if v is not None and not (isinstance(v, int) and v >= 1):
            found.append(f"version: {v!r} 不是版本号 / not a version number")
        problems += [f"row {number}: {p}" for p in found]
        rows.append((number, rec))
    return rows, problems


def _header(column) -> str:
    return unguard_text(str(column).strip())


_WHOLE = re.compile(r"[0-9]+(\.0*)?", re.ASCII)
_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?", re.ASCII)


def _cell(field: str, v):
    # one spreadsheet cell → a field value: blanks → None, numbers as numbers, odd text kept as typed
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, str):
        v = unguard_text(v.strip())  # our exports write "=1+1" as "'=1+1" (formula-safe): undo it
        if v == "":
            return None
    if hasattr(v, "item"):
        v = v.item()
    if field in ("start_year", "end_year", "district_adcode", "version"):
        if isinstance(v, str) and _WHOLE.fullmatch(v):
            return int(float(v))
        if isinstance(v, float) and v.is_integer():
            return int(v)
    if field == "budget_wan" and isinstance(v, str) and _NUMBER.fullmatch(v):
        return float(v)
    return v
