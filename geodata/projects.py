"""The renewal project library: an embedded SQLite store (one file in the data directory).

Every save is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``; any error rolls back, so a crash mid-save
leaves the previous state). Each project row carries a ``version``; an update names the version it was
based on and is refused with :class:`ConflictError` when someone else saved in between — never a silent
overwrite. Every accepted change writes audit rows (time, editor, field, old → new). Undo re-applies the
old values of the last change as a new, audited change, so history stays append-only.

``ProjectStore`` is the interface a server backend (PostgreSQL/PostGIS) implements the same way.
"""

from __future__ import annotations

import os
import sqlite3
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from geodata.paths import data_dir
from geodata.schema import DECISIONS, PROJECT_STATUSES

CATEGORIES = (
    "老旧小区改造",
    "城中村改造",
    "危旧房改造",
    "预制板治理",
    "老旧厂区改造",
    "低效用地再开发",
    "停车设施",
    "地下管网",
    "完整社区配套",
    "其他",
)
CATEGORY_BY_PARCEL_TYPE = {
    "老旧小区": "老旧小区改造",
    "城中村": "城中村改造",
    "危旧房": "危旧房改造",
    "预制板房屋": "预制板治理",
    "老旧厂区": "老旧厂区改造",
    "低效用地": "低效用地再开发",
}
EDITABLE = (
    "name",
    "category",
    "status",
    "decision",
    "budget_wan",
    "start_year",
    "end_year",
    "owner_unit",
    "notes",
)
COLUMNS = (
    "project_id",
    "parcel_id",
    "name",
    "category",
    "status",
    "decision",
    "budget_wan",
    "start_year",
    "end_year",
    "owner_unit",
    "notes",
    "district_adcode",
    "geometry_wkt",
    "created_at",
    "updated_at",
    "updated_by",
    "version",
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

MIGRATIONS = [
    """
    CREATE TABLE projects (
        project_id TEXT PRIMARY KEY, parcel_id TEXT UNIQUE, name TEXT NOT NULL, category TEXT NOT NULL,
        status TEXT NOT NULL, decision TEXT NOT NULL, budget_wan REAL NOT NULL DEFAULT 0,
        start_year INTEGER, end_year INTEGER, owner_unit TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',
        district_adcode INTEGER, geometry_wkt TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE audit (
        audit_id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, editor TEXT NOT NULL,
        project_id TEXT NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT, new_value TEXT,
        version INTEGER NOT NULL, change_id INTEGER NOT NULL);
    CREATE INDEX audit_project ON audit(project_id, audit_id);
    """,
    """
    CREATE TABLE problem_links (
        problem_id TEXT NOT NULL, project_id TEXT NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
        linked_at TEXT NOT NULL, editor TEXT NOT NULL, PRIMARY KEY (problem_id, project_id));
    """,
]


class ProjectError(ValueError):
    """A change to the project library that cannot be accepted (message for the user)."""


class ProjectValidationError(ProjectError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class ConflictError(ProjectError):
    """Someone else saved the project after you loaded it."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def validate_fields(fields: dict) -> list[str]:
    """Every problem of a set of project fields (empty when valid)."""
    problems = []
    if "name" in fields and not str(fields["name"]).strip():
        problems.append("name: 项目名称不能为空 / the name is empty")
    checks = (("status", PROJECT_STATUSES), ("decision", DECISIONS), ("category", CATEGORIES))
    for key, allowed in checks:
        if key in fields and fields[key] not in allowed:
            problems.append(f"{key}: {fields[key]!r} 不在可选值中 / not one of {' / '.join(allowed)}")
    if "budget_wan" in fields:
        try:
            if float(fields["budget_wan"]) < 0:
                problems.append("budget_wan: 投资不能为负 / must be ≥ 0")
        except (TypeError, ValueError):
            problems.append(f"budget_wan: {fields['budget_wan']!r} 不是数字 / not a number")
    for key in ("start_year", "end_year"):
        v = fields.get(key)
        if v not in (None, "") and not (
            isinstance(v, int | float) and 1949 <= int(v) <= 2100 and float(v) == int(v)
        ):
            problems.append(f"{key}: {v!r} 不是有效年份 / not a year")
    s, e = fields.get("start_year"), fields.get("end_year")
    if isinstance(s, int | float) and isinstance(e, int | float) and e < s:
        problems.append("end_year: 结束年份早于开始年份 / ends before it starts")
    return problems


class ProjectStore(ABC):
    """The project-library interface (embedded SQLite now; PostGIS implements the same)."""

    @abstractmethod
    def create(self, fields: dict, *, editor: str) -> dict: ...

    @abstractmethod
    def get(self, project_id: str) -> dict: ...

    @abstractmethod
    def list(self) -> pd.DataFrame: ...

    @abstractmethod
    def update(self, project_id: str, changes: dict, *, expected_version: int, editor: str) -> dict: ...

    @abstractmethod
    def undo_last(self, *, editor: str, project_id: str | None = None) -> dict | None: ...

    @abstractmethod
    def history(self, project_id: str) -> pd.DataFrame: ...


class SQLiteProjectStore(ProjectStore):
    """The embedded store: one SQLite file; writers serialise with ``BEGIN IMMEDIATE``."""

    BEGIN = "BEGIN IMMEDIATE"
    LOCK = ""  # the write lock is taken by BEGIN IMMEDIATE
    MIGRATIONS = MIGRATIONS

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else data_dir() / "projects.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    # -------------------------------------------------------------------------------- plumbing
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _in_transaction(self, work):
        con = self._connect()
        try:
            con.execute(self.BEGIN)
            result = work(con)
            self._before_commit()
            con.execute("COMMIT")
            return result
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _before_commit(self) -> None:
        """Test hook: raise here to simulate a crash after writing, before committing."""

    @staticmethod
    def _run_script(con, script: str) -> None:
        con.executescript("BEGIN;" + script + "COMMIT;")

    @staticmethod
    def _df(con, sql: str, params: tuple = ()) -> pd.DataFrame:
        cur = con.execute(sql, params)
        return pd.DataFrame([tuple(r) for r in cur.fetchall()], columns=[d[0] for d in cur.description])

    def migrate(self) -> int:
        """Apply pending numbered migrations; returns the schema version."""
        con = self._connect()
        try:
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT max(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for number, script in enumerate(self.MIGRATIONS, start=1):
                if number > current:
                    self._run_script(con, script + f";INSERT INTO schema_version VALUES ({number});")
            return len(self.MIGRATIONS)
        finally:
            con.close()

    def _next_id(self, con) -> str:
        year = datetime.now(UTC).year
        n = con.execute("SELECT count(*) FROM projects WHERE project_id LIKE ?", (f"P{year}-%",)).fetchone()[
            0
        ]
        while True:
            n += 1
            pid = f"P{year}-{n:04d}"
            if not con.execute("SELECT 1 FROM projects WHERE project_id = ?", (pid,)).fetchone():
                return pid

    def _change_id(self, con) -> int:
        return (con.execute("SELECT max(change_id) FROM audit").fetchone()[0] or 0) + 1

    # -------------------------------------------------------------------------------- reading
    def get(self, project_id: str) -> dict:
        con = self._connect()
        try:
            row = con.execute("SELECT * FROM projects WHERE project_id = ?", (project_id,)).fetchone()
        finally:
            con.close()
        if row is None:
            raise ProjectError(f"项目 {project_id} 不存在 / project {project_id} does not exist")
        return dict(row)

    def list(self) -> pd.DataFrame:
        con = self._connect()
        try:
            return self._df(con, "SELECT * FROM projects ORDER BY project_id")
        finally:
            con.close()

    def history(self, project_id: str) -> pd.DataFrame:
        con = self._connect()
        try:
            return self._df(
                con, "SELECT * FROM audit WHERE project_id = ? ORDER BY audit_id DESC", (project_id,)
            )
        finally:
            con.close()

    def audit(self) -> pd.DataFrame:
        con = self._connect()
        try:
            return self._df(con, "SELECT * FROM audit ORDER BY audit_id")
        finally:
            con.close()

    def project_for_parcel(self, parcel_id: str) -> dict | None:
        con = self._connect()
        try:
            row = con.execute("SELECT * FROM projects WHERE parcel_id = ?", (parcel_id,)).fetchone()
        finally:
            con.close()
        return dict(row) if row else None

    # -------------------------------------------------------------------------------- writing
    def create(self, fields: dict, *, editor: str) -> dict:
        editor = _editor(editor)
        record = {
            "name": "",
            "category": "其他",
            "status": "储备",
            "decision": "改",
            "budget_wan": 0.0,
            "start_year": None,
            "end_year": None,
            "owner_unit": "",
            "notes": "",
            "parcel_id": None,
            "district_adcode": None,
            "geometry_wkt": None,
        } | _clean({k: v for k, v in fields.items() if k in COLUMNS})
        problems = validate_fields(record)
        if problems:
            raise ProjectValidationError(problems)

        def work(con):
            if (
                record["parcel_id"]
                and con.execute(
                    "SELECT project_id FROM projects WHERE parcel_id = ?", (record["parcel_id"],)
                ).fetchone()
            ):
                raise ProjectError(
                    f"地块 {record['parcel_id']} 已入库 / parcel {record['parcel_id']} is already a project"
                )
            pid = self._next_id(con)
            now = _now()
            row = record | {
                "project_id": pid,
                "created_at": now,
                "updated_at": now,
                "updated_by": editor,
                "version": 1,
                "budget_wan": float(record["budget_wan"]),
            }
            con.execute(
                f"INSERT INTO projects ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                [row[c] for c in COLUMNS],
            )
            con.execute(
                "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version,"
                " change_id) VALUES (?, ?, ?, 'create', NULL, NULL, ?, 1, ?)",
                (now, editor, pid, row["name"], self._change_id(con)),
            )
            return pid

        return self.get(self._in_transaction(work))

    def promote_parcel(self, parcel: dict, *, editor: str, category: str | None = None) -> dict:
        """Turn a renewal parcel into a project (status 储备, its 留改拆 decision, category from its type)."""
        return self.create(
            {
                "parcel_id": str(parcel["parcel_id"]),
                "name": str(parcel.get("name", parcel["parcel_id"])),
                "category": category or CATEGORY_BY_PARCEL_TYPE.get(parcel.get("parcel_type"), "其他"),
                "status": "储备",
                "decision": parcel.get("decision", "改"),
                "budget_wan": float(parcel.get("budget_wan", 0.0) or 0.0),
                "district_adcode": int(parcel["district_adcode"])
                if parcel.get("district_adcode") is not None
                else None,
                "geometry_wkt": parcel.get("geometry_wkt"),
            },
            editor=editor,
        )

    def update(self, project_id: str, changes: dict, *, expected_version: int, editor: str) -> dict:
        editor = _editor(editor)
        changes = _clean(changes)
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ProjectValidationError([f"{k}: 不可编辑 / not editable" for k in unknown])

        def work(con):
            row = con.execute(
                "SELECT * FROM projects WHERE project_id = ?" + self.LOCK, (project_id,)
            ).fetchone()
            if row is None:
                raise ProjectError(f"项目 {project_id} 不存在 / project {project_id} does not exist")
            current = dict(row)
            if current["version"] != expected_version:
                theirs = con.execute(
                    "SELECT DISTINCT field FROM audit WHERE project_id = ? AND version > ? AND field IS NOT NULL",
                    (project_id, expected_version),
                ).fetchall()
                fields = ", ".join(r[0] for r in theirs) or "—"
                raise ConflictError(
                    f"保存被拒绝：{current['updated_by']} 已于 {current['updated_at']} 保存了该项目（修改了 {fields}），"
                    f"请刷新后再改。 / Not saved: {current['updated_by']} saved this project at "
                    f"{current['updated_at']} (changed {fields}); reload and edit again."
                )
            merged = current | changes
            problems = validate_fields({k: merged[k] for k in EDITABLE})
            if problems:
                raise ProjectValidationError(problems)
            diff = {k: v for k, v in changes.items() if _norm(current[k]) != _norm(v)}
            if not diff:
                return current
            version = current["version"] + 1
            now = _now()
            sets = ", ".join(f"{k} = ?" for k in diff)
            con.execute(
                f"UPDATE projects SET {sets}, version = ?, updated_at = ?, updated_by = ? WHERE project_id = ?",
                [*diff.values(), version, now, editor, project_id],
            )
            change_id = self._change_id(con)
            con.executemany(
                "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version, change_id)"
                " VALUES (?, ?, ?, 'update', ?, ?, ?, ?, ?)",
                [
                    (now, editor, project_id, k, _text(current[k]), _text(v), version, change_id)
                    for k, v in diff.items()
                ],
            )
            return None

        self._in_transaction(work)
        return self.get(project_id)

    def undo_last(self, *, editor: str, project_id: str | None = None) -> dict | None:
        """Revert the last update (of one project, or overall) as a new audited change; None if nothing."""
        aud = self.audit()
        aud = aud[(aud["action"] == "update") & aud["field"].notna()]
        if project_id is not None:
            aud = aud[aud["project_id"] == project_id]
        if aud.empty:
            return None
        last = aud[aud["change_id"] == aud["change_id"].max()]
        pid = str(last["project_id"].iloc[0])
        current = self.get(pid)
        revert = {r.field: _parse(r.field, r.old_value) for r in last.itertuples()}
        return self.update(pid, revert, expected_version=current["version"], editor=editor)

    # -------------------------------------------------------------------------------- 问题台账 links
    def link_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        """Record that ``project_id`` addresses the 城市体检 problem ``problem_id`` (idempotent, audited)."""
        self.get(project_id)
        self._change_link(
            "link",
            "INSERT INTO problem_links VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (problem_id, project_id, _now(), _editor(editor)),
        )

    def unlink_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        self._change_link(
            "unlink",
            "DELETE FROM problem_links WHERE problem_id = ? AND project_id = ?",
            (problem_id, project_id),
            editor=_editor(editor),
        )

    def _change_link(self, action: str, sql: str, params: tuple, *, editor: str | None = None) -> None:
        """Run one link/unlink statement and, when it changed a row, audit it (one transaction)."""
        problem_id, project_id = params[0], params[1]
        editor = editor or params[3]
        old, new = (None, problem_id) if action == "link" else (problem_id, None)

        def work(con):
            if con.execute(sql, params).rowcount:
                version = con.execute(
                    "SELECT version FROM projects WHERE project_id = ?", (project_id,)
                ).fetchone()[0]
                con.execute(
                    "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version,"
                    " change_id) VALUES (?, ?, ?, ?, 'problem', ?, ?, ?, ?)",
                    (_now(), editor, project_id, action, old, new, version, self._change_id(con)),
                )

        self._in_transaction(work)

    def problem_links(self) -> pd.DataFrame:
        con = self._connect()
        try:
            return self._df(con, "SELECT * FROM problem_links ORDER BY problem_id, project_id")
        finally:
            con.close()

    # -------------------------------------------------------------------------------- exchange
    def ledger(self) -> pd.DataFrame:
        """The library as a bureau ledger (Chinese headers)."""
        df = self.list()
        return df[list(LEDGER_HEADERS)].rename(columns=LEDGER_HEADERS)

    def import_ledger(self, table: pd.DataFrame, *, editor: str) -> dict:
        """Upsert rows of a ledger (Chinese or English headers): new ids → create, known ids → update when
        the row's version matches. Rows with problems are reported and skipped."""
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
                if pid and self._exists(str(pid)):
                    changes = {k: rec[k] for k in EDITABLE if k in rec}
                    before = self.get(str(pid))["version"]
                    after = self.update(
                        str(pid), changes, expected_version=int(rec.get("version") or before), editor=editor
                    )["version"]
                    updated += after != before
                else:
                    self.create(
                        {k: v for k, v in rec.items() if k not in ("project_id", "version")}, editor=editor
                    )
                    created += 1
            except ProjectError as err:
                problems.append(f"row {i + 2}: {err}")
        return {"created": created, "updated": updated, "problems": problems}

    def _exists(self, pid: str) -> bool:
        try:
            self.get(pid)
            return True
        except ProjectError:
            return False


TEXT_FIELDS = ("owner_unit", "notes")


def _clean(fields: dict) -> dict:
    """Empty text fields become "" (ledgers leave them blank); numbers stay numbers."""
    return {
        k: ("" if k in TEXT_FIELDS and (v is None or (isinstance(v, float) and pd.isna(v))) else v)
        for k, v in fields.items()
    }


def _editor(editor: str) -> str:
    editor = (editor or "").strip()
    if not editor:
        raise ProjectValidationError(["editor: 请在侧栏填写编辑人 / enter your name in the sidebar"])
    return editor


def _norm(v):
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _text(v) -> str | None:
    v = _norm(v)
    return None if v is None else str(v)


def _parse(field: str, text):
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if field == "budget_wan":
        return float(text)
    if field in ("start_year", "end_year"):
        return int(float(text))
    return str(text)


def open_store(url: str | None = None) -> ProjectStore:
    """The configured store: ``RENEWAL_DB_URL`` (``sqlite:///path``; default the data directory)."""
    url = url if url is not None else os.environ.get("RENEWAL_DB_URL", "")
    if not url:
        return SQLiteProjectStore()
    if url.startswith("sqlite:///"):
        return SQLiteProjectStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        from geodata.pgstore import PostGISProjectStore

        return PostGISProjectStore(url)
    raise ValueError(f"unsupported RENEWAL_DB_URL {url!r}")
