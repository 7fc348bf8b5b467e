"""The SQL behind both project stores, written once and parametrised by a small :class:`Dialect`.

What differs between SQLite and PostgreSQL is data, not code: the parameter placeholder, the statement
that opens a write transaction, the row-locking clause of the version check, how the next audit change
id is drawn, the numbered migrations, an optional migration lock and backend-only columns to hide. The
two stores (:mod:`geodata.stores.sqlite`, :mod:`geodata.stores.postgis`) are siblings that each supply a
dialect and a DB-API connection; neither overrides SQL of the other.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from geodata.stores.contract import (
    COLUMNS,
    EDITABLE,
    ConflictError,
    ProjectError,
    ProjectStore,
    ProjectValidationError,
    audit_text,
    check_changes,
    new_record,
    normalise,
    now_text,
    require_editor,
    validate_fields,
)
from geodata.stores.ledger import import_ledger, ledger_table


@dataclass(frozen=True)
class Dialect:
    """What one SQL backend does differently.

    Parameters
    ----------
    name : str
        ``"sqlite"`` or ``"postgresql"``.
    placeholder : str
        Parameter marker of the driver: ``"?"`` (sqlite3) or ``"%s"`` (psycopg). The shared SQL is
        written with ``?``.
    begin : str
        Statement opening a write transaction (``BEGIN IMMEDIATE`` takes SQLite's write lock at once).
    lock_rows : str
        Clause appended to the version-check ``SELECT`` (``" FOR UPDATE"`` on PostgreSQL).
    next_change_id : str
        Query returning the next audit change id.
    migrations : tuple of str
        Numbered schema scripts (1-based), applied once each.
    migration_lock : tuple of str, optional
        Statements taking and releasing a lock so only one process migrates.
    hidden_columns : tuple of str
        Backend-only columns left out of records and tables (e.g. the PostGIS ``geom``).
    """

    name: str
    placeholder: str
    begin: str
    lock_rows: str
    next_change_id: str
    migrations: tuple[str, ...]
    migration_lock: tuple[str, str] | None = None
    hidden_columns: tuple[str, ...] = ()

    def sql(self, text: str) -> str:
        """Return shared SQL (written with ``?`` markers) in this driver's placeholder style.

        Parameters
        ----------
        text : str
            SQL with ``?`` parameter markers.

        Returns
        -------
        str
            The statement for the driver.
        """
        return text if self.placeholder == "?" else text.replace("?", self.placeholder)


class Session:
    """One connection speaking the shared SQL: placeholders translated, rows as dicts.

    Parameters
    ----------
    con : DB-API connection
        A ``sqlite3`` or ``psycopg`` connection in autocommit mode (transactions are explicit).
    dialect : Dialect
        The backend's differences.
    """

    def __init__(self, con, dialect: Dialect):
        self.con = con
        self.dialect = dialect

    def execute(self, sql: str, params: tuple | list = ()):
        """Run one statement.

        Parameters
        ----------
        sql : str
            SQL with ``?`` markers.
        params : tuple or list
            The parameters.

        Returns
        -------
        cursor
            The driver's cursor (``rowcount``, ``description``, ``fetch*``).
        """
        cur = self.con.cursor()
        if params:
            cur.execute(self.dialect.sql(sql), tuple(params))
        else:
            cur.execute(self.dialect.sql(sql))
        return cur

    def executemany(self, sql: str, rows) -> None:
        """Run one statement for each parameter row.

        Parameters
        ----------
        sql : str
            SQL with ``?`` markers.
        rows : iterable of tuple
            The parameter rows.
        """
        cur = self.con.cursor()
        cur.executemany(self.dialect.sql(sql), list(rows))

    def one(self, sql: str, params: tuple | list = ()) -> dict | None:
        """Return the first row as a dict (backend-only columns dropped), or None.

        Parameters
        ----------
        sql : str
            A query with ``?`` markers.
        params : tuple or list
            The parameters.

        Returns
        -------
        dict or None
            Column → value.
        """
        cur = self.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        names = [d[0] for d in cur.description]
        return {k: v for k, v in zip(names, row) if k not in self.dialect.hidden_columns}

    def scalar(self, sql: str, params: tuple | list = ()) -> Any:
        """Return the first value of the first row (None when there is no row).

        Parameters
        ----------
        sql : str
            A query with ``?`` markers.
        params : tuple or list
            The parameters.

        Returns
        -------
        object
            The value.
        """
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def frame(self, sql: str, params: tuple | list = ()) -> pd.DataFrame:
        """Return a query's rows as a DataFrame (backend-only columns dropped).

        Parameters
        ----------
        sql : str
            A query with ``?`` markers.
        params : tuple or list
            The parameters.

        Returns
        -------
        pandas.DataFrame
            One row per result row.
        """
        cur = self.execute(sql, params)
        rows = cur.fetchall()
        df = pd.DataFrame([tuple(r) for r in rows], columns=[d[0] for d in cur.description])
        return df.drop(columns=list(self.dialect.hidden_columns), errors="ignore")


class SQLProjectStore(ProjectStore):
    """The project library on a SQL database; a backend supplies :attr:`dialect` and :meth:`_connect`.

    Every write runs in one explicit transaction (``dialect.begin`` … ``COMMIT``; any error rolls
    back). Updates re-read the row under ``dialect.lock_rows`` and compare versions before writing.
    """

    dialect: Dialect

    # -------------------------------------------------------------------------------- backend hooks
    @abstractmethod
    def _connect(self):
        """Open a DB-API connection in autocommit mode."""

    @abstractmethod
    def _run_script(self, con, script: str) -> None:
        """Run a multi-statement migration script in one transaction."""

    def _before_commit(self) -> None:
        """Test hook: raise here to simulate a crash after writing, before committing."""

    # -------------------------------------------------------------------------------- plumbing
    def _read(self, work: Callable[[Session], Any]) -> Any:
        con = self._connect()
        try:
            return work(Session(con, self.dialect))
        finally:
            con.close()

    def _in_transaction(self, work: Callable[[Session], Any]) -> Any:
        con = self._connect()
        session = Session(con, self.dialect)
        started = False
        try:
            session.execute(self.dialect.begin)
            started = True
            result = work(session)
            self._before_commit()
            session.execute("COMMIT")
            started = False
            return result
        except BaseException:
            if started:
                session.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def migrate(self) -> int:
        """Apply pending numbered migrations of the dialect.

        Returns
        -------
        int
            The schema version (number of migrations).
        """
        con = self._connect()
        session = Session(con, self.dialect)
        lock = self.dialect.migration_lock
        try:
            if lock:
                session.execute(lock[0])
            try:
                session.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                current = session.scalar("SELECT max(version) FROM schema_version") or 0
                for number, script in enumerate(self.dialect.migrations, start=1):
                    if number > current:
                        self._run_script(con, script + f";INSERT INTO schema_version VALUES ({number});")
                return len(self.dialect.migrations)
            finally:
                if lock:
                    session.execute(lock[1])
        finally:
            con.close()

    @staticmethod
    def _next_id(session: Session) -> str:
        year = datetime.now(UTC).year
        n = session.scalar("SELECT count(*) FROM projects WHERE project_id LIKE ?", (f"P{year}-%",))
        while True:
            n += 1
            pid = f"P{year}-{n:04d}"
            if not session.one("SELECT 1 FROM projects WHERE project_id = ?", (pid,)):
                return pid

    def _change_id(self, session: Session) -> int:
        return int(session.scalar(self.dialect.next_change_id))

    # -------------------------------------------------------------------------------- reading
    def get(self, project_id: str) -> dict:
        """Return one project; see :meth:`ProjectStore.get`.

        Parameters
        ----------
        project_id : str
            The project's id.

        Returns
        -------
        dict
            The record.

        Raises
        ------
        ProjectError
            When there is no such project.
        """
        row = self._read(lambda s: s.one("SELECT * FROM projects WHERE project_id = ?", (project_id,)))
        if row is None:
            raise ProjectError(f"项目 {project_id} 不存在 / project {project_id} does not exist")
        return row

    def list(self) -> pd.DataFrame:
        """Return every project, ordered by id.

        Returns
        -------
        pandas.DataFrame
            One row per project.
        """
        return self._read(lambda s: s.frame("SELECT * FROM projects ORDER BY project_id"))

    def history(self, project_id: str) -> pd.DataFrame:
        """Return the audit rows of one project, newest first.

        Parameters
        ----------
        project_id : str
            The project's id.

        Returns
        -------
        pandas.DataFrame
            Audit rows.
        """
        return self._read(
            lambda s: s.frame(
                "SELECT * FROM audit WHERE project_id = ? ORDER BY audit_id DESC", (project_id,)
            )
        )

    def audit(self) -> pd.DataFrame:
        """Return the whole audit log, oldest first.

        Returns
        -------
        pandas.DataFrame
            Audit rows.
        """
        return self._read(lambda s: s.frame("SELECT * FROM audit ORDER BY audit_id"))

    def project_for_parcel(self, parcel_id: str) -> dict | None:
        """Return the project made from a parcel, or None.

        Parameters
        ----------
        parcel_id : str
            The parcel's id.

        Returns
        -------
        dict or None
            The record.
        """
        return self._read(lambda s: s.one("SELECT * FROM projects WHERE parcel_id = ?", (parcel_id,)))

    def problem_links(self) -> pd.DataFrame:
        """Return every problem ↔ project link.

        Returns
        -------
        pandas.DataFrame
            Columns ``problem_id, project_id, linked_at, editor``.
        """
        return self._read(lambda s: s.frame("SELECT * FROM problem_links ORDER BY problem_id, project_id"))

    # -------------------------------------------------------------------------------- writing
    def create(self, fields: dict, *, editor: str) -> dict:
        """Create a project; see :meth:`ProjectStore.create`.

        Parameters
        ----------
        fields : dict
            Project fields.
        editor : str
            Who makes the change.

        Returns
        -------
        dict
            The stored record.

        Raises
        ------
        ProjectValidationError
            Listing every invalid field, or a missing editor.
        ProjectError
            When the parcel is already a project.
        """
        editor = require_editor(editor)
        record = new_record(fields)

        def work(s: Session) -> str:
            if record["parcel_id"] and s.one(
                "SELECT project_id FROM projects WHERE parcel_id = ?", (record["parcel_id"],)
            ):
                raise ProjectError(
                    f"地块 {record['parcel_id']} 已入库 / parcel {record['parcel_id']} is already a project"
                )
            pid = self._next_id(s)
            now = now_text()
            row = record | {
                "project_id": pid,
                "created_at": now,
                "updated_at": now,
                "updated_by": editor,
                "version": 1,
                "budget_wan": float(record["budget_wan"]),
            }
            s.execute(
                f"INSERT INTO projects ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                [row[c] for c in COLUMNS],
            )
            s.execute(
                "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version,"
                " change_id) VALUES (?, ?, ?, 'create', NULL, NULL, ?, 1, ?)",
                (now, editor, pid, row["name"], self._change_id(s)),
            )
            return pid

        return self.get(self._in_transaction(work))

    def update(self, project_id: str, changes: dict, *, expected_version: int, editor: str) -> dict:
        """Change fields of a project if its version is still ``expected_version``.

        Parameters
        ----------
        project_id : str
            The project's id.
        changes : dict
            Fields of :data:`~geodata.stores.contract.EDITABLE` → new values.
        expected_version : int
            The version the editor loaded.
        editor : str
            Who makes the change.

        Returns
        -------
        dict
            The record after the change.

        Raises
        ------
        ConflictError
            When someone else saved in between.
        ProjectValidationError
            Listing every invalid or non-editable field.
        ProjectError
            When there is no such project.
        """
        editor = require_editor(editor)
        changes = check_changes(changes)

        def work(s: Session) -> None:
            current = s.one(
                "SELECT * FROM projects WHERE project_id = ?" + self.dialect.lock_rows, (project_id,)
            )
            if current is None:
                raise ProjectError(f"项目 {project_id} 不存在 / project {project_id} does not exist")
            if current["version"] != expected_version:
                theirs = s.execute(
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
            diff = {k: v for k, v in changes.items() if normalise(current[k]) != normalise(v)}
            if not diff:
                return
            version = current["version"] + 1
            now = now_text()
            sets = ", ".join(f"{k} = ?" for k in diff)
            s.execute(
                f"UPDATE projects SET {sets}, version = ?, updated_at = ?, updated_by = ? WHERE project_id = ?",
                [*diff.values(), version, now, editor, project_id],
            )
            change_id = self._change_id(s)
            s.executemany(
                "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version, change_id)"
                " VALUES (?, ?, ?, 'update', ?, ?, ?, ?, ?)",
                [
                    (now, editor, project_id, k, audit_text(current[k]), audit_text(v), version, change_id)
                    for k, v in diff.items()
                ],
            )

        self._in_transaction(work)
        return self.get(project_id)

    # -------------------------------------------------------------------------------- 问题台账 links
    def link_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        """Record that ``project_id`` addresses the 城市体检 problem ``problem_id`` (idempotent, audited).

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_id : str
            The project's id.
        editor : str
            Who makes the change.

        Raises
        ------
        ProjectError
            When there is no such project.
        """
        self.get(project_id)
        self._change_link(
            "link",
            "INSERT INTO problem_links VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (problem_id, project_id, now_text(), require_editor(editor)),
        )

    def unlink_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        """Remove a problem link (audited when a link was removed).

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_id : str
            The project's id.
        editor : str
            Who makes the change.
        """
        self._change_link(
            "unlink",
            "DELETE FROM problem_links WHERE problem_id = ? AND project_id = ?",
            (problem_id, project_id),
            editor=require_editor(editor),
        )

    def _change_link(self, action: str, sql: str, params: tuple, *, editor: str | None = None) -> None:
        # one link/unlink statement and, when it changed a row, its audit row (one transaction)
        problem_id, project_id = params[0], params[1]
        editor = editor or params[3]
        old, new = (None, problem_id) if action == "link" else (problem_id, None)

        def work(s: Session) -> None:
            if s.execute(sql, params).rowcount:
                version = s.scalar("SELECT version FROM projects WHERE project_id = ?", (project_id,))
                s.execute(
                    "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version,"
                    " change_id) VALUES (?, ?, ?, ?, 'problem', ?, ?, ?, ?)",
                    (now_text(), editor, project_id, action, old, new, version, self._change_id(s)),
                )

        self._in_transaction(work)

    # -------------------------------------------------------------------------------- exchange
    def ledger(self) -> pd.DataFrame:
        """Return the library as a bureau ledger (see :func:`geodata.stores.ledger.ledger_table`).

        Returns
        -------
        pandas.DataFrame
            One row per project, Chinese headers.
        """
        return ledger_table(self)

    def import_ledger(self, table: pd.DataFrame, *, editor: str) -> dict:
        """Upsert the rows of a ledger (see :func:`geodata.stores.ledger.import_ledger`).

        Parameters
        ----------
        table : pandas.DataFrame
            The ledger, Chinese or English headers.
        editor : str
            Who imports.

        Returns
        -------
        dict
            ``{"created": int, "updated": int, "problems": list of str}``.
        """
        return import_ledger(self, table, editor=editor)
