"""Excel ledger exchange: the project library as a bureau ledger (Chinese headers) and back.

Round trip: export with :func:`ledger_table` (written formula-safe by ``geodata.spreadsheet``), edit in
Excel, import with :func:`import_ledger` (from an
XLSX file: :func:`read_ledger_xlsx`). The rules of an import:

* a row with an empty 项目编号 creates a project; a row with an id updates that project (an unknown id
  is refused — leave the id empty for a new project);
* only the editable fields (:data:`~geodata.stores.contract.EDITABLE`) that differ from the library are
  written; a row equal to the library is unchanged (neither created nor updated); 地块编号, 区划代码 and
  geometry cannot be changed by an import;
* stale rows: a row whose 版本 is older than the library's is refused only when it *edits* something —
  a field whose value differs both from the library and from the value it had at that version (the
  audit log tells). A stale row that merely holds older values is unchanged, so an old untouched export
  never undoes someone's later save. A row with an id needs its 版本;
* cells: whole numbers typed as text (``"2025"``) are numbers; ``2025年``, ``二〇二五``, 1995 as a year,
  NUL bytes, invalid WKT, blank required cells and text starting with ``=`` (a spreadsheet formula)
  are refused with the row, field and reason; one leading ``'`` before ``= + - @`` (how formula-safe
  exports keep such text as text) is removed;
* all or nothing: every row is checked first, and when any row is refused the per-row report comes
  back and nothing is written (the store writes in one transaction).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from geodata.spreadsheet import unguard_text
from geodata.stores.contract import (
    COLUMNS,
    EDITABLE,
    STRING_FIELDS,
    ProjectStore,
    clean_fields,
    normalise,
    parse_audit_value,
    validate_fields,
    wkt_problem,
)

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
#: further headers an import understands (not exported: geometry is not editable in a ledger)
IMPORT_ALIASES = {"几何（WKT）": "geometry_wkt", "几何": "geometry_wkt"}
#: cells that may not be left blank where the column is present (a new project without the column
#: takes the default)
REQUIRED = ("name", "category", "status", "decision", "budget_wan")
#: fields an import cannot change on an existing project
FIXED = ("parcel_id", "district_adcode", "geometry_wkt")


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


class LedgerFileError(ValueError):
    """A ledger file that cannot be read as a ledger at all (not XLSX, no sheet, no header, no id column)."""


#: the sheet an export writes (an import reads it when present, else the first sheet)
LEDGER_SHEET = "项目台账"
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def read_ledger_xlsx(path: str | Path) -> pd.DataFrame:
    """Read a ledger workbook cell by cell, as a spreadsheet program would show it.

    Formula cells come back as their formula text (``"=HYPERLINK(…)"``, reported by
    :func:`ledger_records`), never as a cached result; OOXML escapes such as ``_x0000_`` are decoded
    (so a NUL byte hidden in a cell is seen and refused). Every row below the header is kept, blank
    ones included, so row ``i`` of the table is spreadsheet row ``i + 2``.

    Parameters
    ----------
    path : str, Path or binary file object
        An ``.xlsx`` file (or an upload); the sheet :data:`LEDGER_SHEET` when present, else the first sheet.

    Returns
    -------
    pandas.DataFrame
        One column per header cell (text), object values.

    Raises
    ------
    LedgerFileError
        When the file is missing or not an XLSX workbook, the sheet is empty, or there is no
        项目编号 / project_id column (Chinese / English message).
    """
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    source = path
    if isinstance(path, str | Path):
        path = source = Path(path)
        if not path.is_file():
            raise LedgerFileError(f"{path}: 文件不存在 / file not found")
    else:  # an uploaded file (a binary file object, e.g. Streamlit's UploadedFile)
        path = getattr(source, "name", "upload.xlsx")
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise LedgerFileError(
            f"{path}: 不是 Excel 工作簿（.xlsx） / not an Excel workbook (.xlsx): {type(err).__name__}"
        ) from None
    try:
        sheet = book[LEDGER_SHEET] if LEDGER_SHEET in book.sheetnames else book.worksheets[0]
        cells = [[_decode(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while cells and all(c is None for c in cells[-1]):
        cells.pop()
    if not cells:
        raise LedgerFileError(f"{path}: 工作表 {sheet.title!r} 是空的 / the sheet {sheet.title!r} is empty")
    header = ["" if h is None else str(h).strip() for h in cells[0]]
    ids = {LEDGER_HEADERS["project_id"], "project_id"}
    if not ids & set(header):
        raise LedgerFileError(
            f"{path}: 缺少“项目编号”列（第 1 行为表头） / no 项目编号 (project_id) column in the header row; "
            f"found: {', '.join(h for h in header if h) or '—'}"
        )
    width = len(header)
    body = [(row + [None] * width)[:width] for row in (list(r) for r in cells[1:])]
    keep = [i for i, h in enumerate(header) if h]
    return pd.DataFrame([[r[i] for i in keep] for r in body], columns=[header[i] for i in keep], dtype=object)


def _decode(v):
    # OOXML writes characters XML cannot hold as _xHHHH_ (Excel decodes them; openpyxl does not)
    if isinstance(v, str) and "_x" in v:
        return _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v)
    return v


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
        are problems (``"row N: field: …"``). Unchanged rows count in neither.
    """
    rows, problems = ledger_records(table)
    bad = set(refused_rows(problems))
    rows, more = against_library(store, [(n, rec) for n, rec in rows if n not in bad])
    problems = sorted(problems + more, key=lambda p: refused_rows([p]))
    if problems:
        return {"created": 0, "updated": 0, "problems": problems}
    return store.import_records(rows, editor=editor)


def refused_rows(problems: list[str]) -> list[int]:
    """Return the spreadsheet row numbers named by a list of problems, once each, in order.

    Parameters
    ----------
    problems : list of str
        ``"row N: …"`` messages.

    Returns
    -------
    list of int
        The distinct row numbers.
    """
    found = (re.match(r"row (\d+):", p) for p in problems)
    return sorted({int(m.group(1)) for m in found if m})


def against_library(
    store: ProjectStore, rows: list[tuple[int, dict]]
) -> tuple[list[tuple[int, dict]], list[str]]:
    """Check rows against the library and keep only what an import must write.

    Parameters
    ----------
    store : ProjectStore
        The project library.
    rows : list of (int, dict)
        ``(spreadsheet row number, record)`` from :func:`ledger_records` (without cell problems).

    Returns
    -------
    rows : list of (int, dict)
        New projects as given; for known ids ``project_id``, ``version`` and the changed editable
        fields only. Unchanged rows are left out.
    problems : list of str
        ``"row N: field: …"`` for unknown or repeated ids, a parcel that is already a project,
        fixed fields that differ, a missing, newer or stale version (see the module docstring).
    """
    lib = store.list()
    known = {str(r["project_id"]): r for r in lib.to_dict("records")}
    parcels = {
        str(p): str(i) for i, p in zip(lib["project_id"], lib["parcel_id"]) if normalise(p) is not None
    }
    seen: dict[str, int] = {}
    keep: list[tuple[int, dict]] = []
    problems: list[str] = []
    for number, rec in rows:
        pid = rec.get("project_id")
        found = []
        if not pid:
            parcel = rec.get("parcel_id")
            if parcel is not None and str(parcel) in parcels:
                found.append(
                    f"parcel_id: 地块 {parcel} 已入库（{parcels[str(parcel)]}） / parcel {parcel} is "
                    f"already project {parcels[str(parcel)]}"
                )
            elif parcel is not None and f"parcel:{parcel}" in seen:
                found.append(
                    f"parcel_id: 与第 {seen[f'parcel:{parcel}']} 行地块相同 / the same parcel as "
                    f"row {seen[f'parcel:{parcel}']}"
                )
            if parcel is not None:
                seen.setdefault(f"parcel:{parcel}", number)
            problems += [f"row {number}: {p}" for p in found]
            if not found:
                keep.append((number, rec))
            continue
        if pid in seen:
            problems.append(
                f"row {number}: project_id: 与第 {seen[pid]} 行是同一项目 / the same project as row {seen[pid]}"
            )
            continue
        seen[pid] = number
        current = known.get(pid)
        if current is None:
            problems.append(
                f"row {number}: project_id: 库中没有项目 {pid}（新项目请留空项目编号） / no project {pid} in this "
                "library (leave the id empty for a new project)"
            )
            continue
        for key in FIXED:
            if rec.get(key) is not None and _differs(key, rec[key], current.get(key)):
                found.append(
                    f"{key}: 导入不能修改（库中为 {normalise(current.get(key))!r}） / cannot be changed by "
                    f"an import (stored {normalise(current.get(key))!r})"
                )
        mine = clean_fields({k: rec[k] for k in EDITABLE if k in rec})
        edits = {k: v for k, v in mine.items() if _differs(k, v, current[k])}
        version, stored = rec.get("version"), int(current["version"])
        if edits and version is None:
            found.append(
                "version: 缺少版本号，无法判断本行是否过期（请重新导出） / no version: cannot tell whether "
                "the row is stale (export again)"
            )
        elif edits and version > stored:
            found.append(
                f"version: 文件中的版本 {version} 比库中的 {stored} 新（文件来自其他项目库？） / the "
                f"file's version {version} is newer than the library's {stored} (a file from another library?)"
            )
        elif edits and version < stored:
            base = _values_at(store, pid, version, current)
            edits = {k: v for k, v in edits.items() if _differs(k, v, base[k])}
            if edits:
                found.append(
                    f"version: 第 {version} 版已过期：{current['updated_by']} 于 {current['updated_at']} 保存了第 "
                    f"{stored} 版；本行修改了 {', '.join(edits)}，请重新导出后再改 / stale: {current['updated_by']} "
                    f"saved version {stored} at {current['updated_at']}; this row edits {', '.join(edits)} of "
                    f"version {version} — export again and redo the edit"
                )
        problems += [f"row {number}: {p}" for p in found]
        if edits and not found:
            keep.append((number, {"project_id": pid, "version": version} | edits))
    return keep, problems


def _differs(field: str, a, b) -> bool:
    a, b = normalise(a), normalise(b)
    if field in STRING_FIELDS:
        a, b = ("" if a is None else str(a)), ("" if b is None else str(b))
    if field == "geometry_wkt" and a is not None and b is not None:
        import shapely

        return wkt_problem(a) is not None or not shapely.from_wkt(a).equals(shapely.from_wkt(b))
    return a != b


def _values_at(store: ProjectStore, project_id: str, version: int, current: dict) -> dict:
    # the editable fields as they were at ``version``: the current values with every later change
    # walked back through the audit log (newest first, so the oldest later change wins)
    values = {k: current[k] for k in EDITABLE}
    history = store.history(project_id)
    for field, old, v in zip(history["field"], history["old_value"], history["version"]):
        if field in values and int(v) > version:
            values[field] = parse_audit_value(field, old)
    return values


def ledger_records(table: pd.DataFrame) -> tuple[list[tuple[int, dict]], list[str]]:
    """Read a ledger into records and check every row, without touching a store.

    Whole numbers typed as text (``"2025"``) are read as numbers; anything else that is not a
    number where one is due (``"2025年"``, ``"二〇二五"``) stays as typed and is reported. Text starting
    with ``=`` is reported as a formula; one leading ``'`` before ``= + - @`` is removed. Rows whose
    cells are all blank are skipped (their numbers still count).

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
    back = {v: k for k, v in LEDGER_HEADERS.items()} | IMPORT_ALIASES
    df = table.rename(columns=lambda c: back.get(_header(c), _header(c)))
    rows: list[tuple[int, dict]] = []
    problems: list[str] = []
    for i, (_, row) in enumerate(df.iterrows()):
        number = i + 2
        raw = {k: v for k, v in row.items() if k in COLUMNS}
        rec = {k: _cell(k, v) for k, v in raw.items()}
        if all(v is None for v in rec.values()):
            continue
        if rec.get("project_id") is not None:
            rec["project_id"] = str(rec["project_id"]).strip() or None
        found = [
            f"{k}: {str(v).strip()[:60]!r} 以 = 开头，是表格公式而不是值（文本请在前面加 '） / starts with =, a "
            "spreadsheet formula, not a value (prefix ' to keep it as text)"
            for k, v in raw.items()
            if isinstance(v, str) and v.strip().startswith("=")
        ]
        found += [f"{k}: 不能为空 / may not be blank" for k in REQUIRED if k in rec and rec[k] is None]
        formulas = {p.partition(":")[0] for p in found}
        checked = {k: v for k, v in rec.items() if k not in ("project_id", "version") and k not in formulas}
        if not rec.get("project_id") and "name" not in rec:
            checked["name"] = ""  # a new project needs a name
        found += validate_fields(checked)
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
    if field in STRING_FIELDS and isinstance(v, int | float) and not isinstance(v, bool):
        return str(int(v)) if float(v).is_integer() else str(v)
    if field in ("start_year", "end_year", "district_adcode", "version"):
        if isinstance(v, str) and _WHOLE.fullmatch(v):
            return int(float(v))
        if isinstance(v, float) and v.is_integer():
            return int(v)
    if field == "budget_wan" and isinstance(v, str) and _NUMBER.fullmatch(v):
        return float(v)
    return v
