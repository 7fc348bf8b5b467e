"""Excel ledger exchange: the project library as a bureau ledger (Chinese headers) and back.

Round trip: export with :func:`ledger_table`, edit in Excel, import with :func:`import_ledger` — new
rows become projects, known ids are updated when the row's version matches (the same conflict rule as
the app), rows with problems are reported and skipped.
"""

from __future__ import annotations

import pandas as pd

from geodata.stores.contract import COLUMNS, EDITABLE, ProjectError, ProjectStore

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
    """Upsert the rows of a ledger into the library.

    New ids → create; known ids → update when the row's version matches. Rows with problems are
    reported (with their spreadsheet row number) and skipped.

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
        ``{"created": int, "updated": int, "problems": list of str}``.
    """
    back = {v: k for k, v in LEDGER_HEADERS.items()}
    df = table.rename(columns=lambda c: back.get(str(c).strip(), str(c).strip()))
    created = updated = 0
    problems: list[str] = []
    for i, row in df.iterrows():
        rec = {k: (None if pd.isna(v) else v) for k, v in row.items() if k in COLUMNS}
        for key in ("start_year", "end_year", "district_adcode", "version"):
            if rec.get(key) is not None:
                rec[key] = int(rec[key])
        try:
            pid = rec.get("project_id")
            if pid and store.exists(str(pid)):
                changes = {k: rec[k] for k in EDITABLE if k in rec}
                before = store.get(str(pid))["version"]
                after = store.update(
                    str(pid), changes, expected_version=int(rec.get("version") or before), editor=editor
                )["version"]
                updated += after != before
            else:
                store.create(
                    {k: v for k, v in rec.items() if k not in ("project_id", "version")}, editor=editor
                )
                created += 1
        except ProjectError as err:
            problems.append(f"row {i + 2}: {err}")
    return {"created": created, "updated": updated, "problems": problems}
