"""The embedded project store: one SQLite file in the data directory.

Writers serialise with ``BEGIN IMMEDIATE`` (SQLite's write lock, waited for up to 30 s); a crash
mid-save rolls back, leaving the previous state. The SQL itself lives in :mod:`geodata.stores.sqlcore`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from geodata.atomic import locked
from geodata.paths import data_dir
from geodata.stores.sqlcore import Dialect, SQLProjectStore

MIGRATIONS = (
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
    # undo rows name the change they revert, so each change is undone once
    "ALTER TABLE audit ADD COLUMN undoes INTEGER",
    # planner accounts (geodata.stores.accounts): password hashes only, and who changed which account
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT, active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
    CREATE TABLE account_log (
        ts TEXT NOT NULL, actor TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
    """,
    # 城市体检 indicator records (指标填报, geodata.stores.records) and their audit rows
    """
    CREATE TABLE IF NOT EXISTS hc_records (
        year INTEGER NOT NULL, indicator TEXT NOT NULL, scope TEXT NOT NULL, value REAL, manual INTEGER NOT NULL DEFAULT 0,
        computed_value REAL, standard REAL, grade TEXT, warning TEXT NOT NULL DEFAULT 'none', source_level TEXT NOT NULL,
        data_source TEXT NOT NULL DEFAULT '', department TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT '草稿', note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (year, indicator, scope));
    CREATE TABLE IF NOT EXISTS hc_record_audit (
        audit_id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, editor TEXT NOT NULL, year INTEGER NOT NULL,
        indicator TEXT NOT NULL, scope TEXT NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT,
        new_value TEXT, version INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS hc_record_audit_key ON hc_record_audit(year, indicator, scope, audit_id);
    """,
    # f17 scenarios (方案比选): named scenarios (change set as JSON) and who changed which scenario
    """
    CREATE TABLE IF NOT EXISTS scenarios (
        name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', base_year INTEGER, spec TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE IF NOT EXISTS scenario_log (
        ts TEXT NOT NULL, editor TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
    """,
    # 城市体检 销号 (closed loop, issue 17): append-only close / reopen log of ledger problems
    """
    CREATE TABLE IF NOT EXISTS problem_closures (
        closure_id INTEGER PRIMARY KEY AUTOINCREMENT, problem_id TEXT NOT NULL, action TEXT NOT NULL,
        closed_in_year INTEGER, value_before REAL, value_after REAL, editor TEXT NOT NULL, ts TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '', override INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS problem_closures_problem ON problem_closures(problem_id, closure_id);
    """,
)

SQLITE = Dialect(
    name="sqlite",
    placeholder="?",
    begin="BEGIN IMMEDIATE",  # takes the write lock at once: the version check and the write see one state
    lock_rows="",
    next_change_id="SELECT coalesce(max(change_id), 0) + 1 FROM audit",
    migrations=MIGRATIONS,
)


class SQLiteProjectStore(SQLProjectStore):
    """The embedded store: one SQLite file; writers serialise with ``BEGIN IMMEDIATE``.

    Parameters
    ----------
    path : str or Path, optional
        The database file; default ``<data dir>/projects.sqlite``. Created and migrated when missing.
    """

    dialect = SQLITE

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else data_dir() / "projects.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.migrate()

    def migrate(self) -> int:
        """Apply pending migrations, one process or thread at a time (the file's save lock).

        Returns
        -------
        int
            The schema version.
        """
        with locked(self.path):
            return super().migrate()

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.Error,)

    def _run_script(self, con, script: str) -> None:
        con.executescript("BEGIN;" + script + "COMMIT;")
