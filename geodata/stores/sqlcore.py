"""The SQL behind both project stores, written once and parametrised by a small :class:`Dialect`.

What differs between SQLite and PostgreSQL is data, not code: the parameter placeholder, the statement
that opens a write transaction, the row-locking clause of the version check, how the next audit change
id is drawn, the numbered migrations, an optional migration lock and backend-only columns to hide. The
two stores (:mod:`geodata.stores.sqlite`, :mod:`geodata.stores.postgis`) are siblings that each supply a
dialect and a DB-API connection; neither overrides SQL of the other.
"""

from __future__ import annotations

import functools
import math
import numbers
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from geodata.stores.accounts import (
    MIN_PASSWORD,
    AccountError,
    check_name,
    check_role,
    hash_password,
    needs_rehash,
    password_matches,
)
from geodata.stores.contract import (
    COLUMNS,
    EDITABLE,
    ConflictError,
    ProjectError,
    ProjectStore,
    ProjectValidationError,
    StoreError,
    audit_text,
    check_changes,
    new_record,
    normalise,
    now_text,
    parse_audit_value,
    require_editor,
    validate_fields,
)
from geodata.stores.ledger import import_ledger, ledger_table
from geodata.stores.records import TRANSITIONS as RECORD_TRANSITIONS
from geodata.stores.records import evidence_list, evidence_text, validate_record


@functools.cache
def _dummy_hash() -> str:
    """Return the hash an unknown user name is checked against (the same work as a wrong password).

    Hashed once, on the first sign-in: hashing is deliberately slow, and at import it delayed every app
    start by about a second.
    """
    return hash_password("not-a-real-password")


def _record_cell(field: str, v):
    # one record field as stored: checklist as JSON, manual as 0/1, numbers as float, missing as NULL
    if field == "evidence":
        return evidence_text(v)
    if field == "manual":
        return int(bool(v))
    if isinstance(v, numbers.Real) and not isinstance(v, bool):
        return None if math.isnan(float(v)) else float(v)
    return v


class _Refused(Exception):
    """Raised inside an import transaction to roll it back when any row was refused."""


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
    id_lock : str
        Statement run first in a create transaction so only one writer allocates a project number
        at a time (``pg_advisory_xact_lock`` on PostgreSQL; empty where ``begin`` already serialises
        writers).
    """

    name: str
    placeholder: str
    begin: str
    lock_rows: str
    next_change_id: str
    migrations: tuple[str, ...]
    migration_lock: tuple[str, str] | None = None
    hidden_columns: tuple[str, ...] = ()
    id_lock: str = ""

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

    @abstractmethod
    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        """Return the driver's exception classes (mapped to :class:`StoreError`)."""

    def _before_commit(self) -> None:
        """Test hook: raise here to simulate a crash after writing, before committing."""

    # -------------------------------------------------------------------------------- plumbing
    def _store_error(self, err: BaseException) -> ProjectError:
        # the driver's first message line, never its traceback; unique keys get their own wording
        text = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
        if "unique" in text.lower() or "duplicate key" in text.lower():
            return StoreError(f"记录已存在 / already exists ({text})")
        return StoreError(f"数据库拒绝了该操作 / the database refused the request ({text})")

    def _read(self, work: Callable[[Session], Any]) -> Any:
        try:
            con = self._connect()
            try:
                return work(Session(con, self.dialect))
            finally:
                con.close()
        except self._driver_errors() as err:
            raise self._store_error(err) from err

    def _in_transaction(self, work: Callable[[Session], Any]) -> Any:
        try:
            con = self._connect()
        except self._driver_errors() as err:
            raise self._store_error(err) from err
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
        except self._driver_errors() as err:
            raise self._store_error(err) from err
        finally:
            try:
                if started:
                    session.execute("ROLLBACK")
            except self._driver_errors():
                pass  # the connection is gone; closing it discards the transaction anyway
            con.close()

    def migrate(self) -> int:
        """Apply pending numbered migrations of the dialect.

        Returns
        -------
        int
            The schema version (number of migrations).

        Raises
        ------
        StoreError
            When the database cannot be reached or refuses a migration.
        """
        try:
            return self._migrate()
        except self._driver_errors() as err:
            raise self._store_error(err) from err

    def _migrate(self) -> int:
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
        # called inside the create transaction, after ``dialect.id_lock`` (PostgreSQL) or under
        # ``BEGIN IMMEDIATE`` (SQLite): one allocator at a time, so max + 1 is free
        prefix = f"P{datetime.now(UTC).year}-"
        n = session.scalar(
            f"SELECT max(CAST(substr(project_id, {len(prefix) + 1}) AS INTEGER)) FROM projects"
            " WHERE project_id LIKE ?",
            (prefix + "%",),
        )
        return f"{prefix}{int(n or 0) + 1:04d}"

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
    def create(self, fields: dict, *, editor: str, problem_ids=()) -> dict:
        """Create a project; see :meth:`ProjectStore.create`.

        Parameters
        ----------
        fields : dict
            Project fields.
        editor : str
            Who makes the change.
        problem_ids : iterable of str, optional
            城市体检 problems the new project addresses, linked in the same transaction.

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
        problems = [str(p) for p in problem_ids]

        def work(s: Session) -> str:
            pid = self._create(s, record, editor)
            for problem_id in problems:
                self._link_in(s, "link", problem_id, pid, editor)
            return pid

        return self.get(self._in_transaction(work))

    def _create(self, s: Session, record: dict, editor: str) -> str:
        # one checked record → one row + its audit row, in the caller's transaction
        if self.dialect.id_lock:
            s.execute(self.dialect.id_lock)  # serialises number allocation and the parcel check
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
        self._in_transaction(lambda s: self._update(s, project_id, changes, expected_version, editor))
        return self.get(project_id)

    def _update(
        self,
        s: Session,
        project_id: str,
        changes: dict,
        expected_version: int,
        editor: str,
        *,
        action: str = "update",
        undoes: int | None = None,
    ) -> bool:
        # version check under the row lock, then the changed fields and one audit row per field
        current = s.one("SELECT * FROM projects WHERE project_id = ?" + self.dialect.lock_rows, (project_id,))
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
            return False
        version = current["version"] + 1
        now = now_text()
        sets = ", ".join(f"{k} = ?" for k in diff)
        s.execute(
            f"UPDATE projects SET {sets}, version = ?, updated_at = ?, updated_by = ? WHERE project_id = ?",
            [*diff.values(), version, now, editor, project_id],
        )
        change_id = self._change_id(s)
        s.executemany(
            "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version, change_id,"
            " undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    now,
                    editor,
                    project_id,
                    action,
                    k,
                    audit_text(current[k]),
                    audit_text(v),
                    version,
                    change_id,
                    undoes,
                )
                for k, v in diff.items()
            ],
        )
        return True

    def undo_last(self, *, editor: str, project_id: str | None = None, admin: bool = False) -> dict | None:
        """Revert the editor's last not-yet-undone change (of one project, or any) as a new audited change.

        Parameters
        ----------
        editor : str
            Who undoes (required). Without ``admin`` only this editor's own changes are candidates.
        project_id : str, optional
            Limit to this project's changes.
        admin : bool, default False
            Allow undoing anyone's last change; when it was someone else's the audit rows say
            ``admin_undo`` (editor = the admin), otherwise ``undo``.

        Returns
        -------
        dict or None
            The record after the undo; None when there is nothing to undo.

        Raises
        ------
        ConflictError
            When a field of that change was changed again since (by anyone): undoing would
            overwrite the later edit.
        """
        editor = require_editor(editor)

        def work(s: Session) -> str | None:
            where = ["a.action = 'update'", "a.field IS NOT NULL"]
            params: list = []
            if not admin:
                where.append("a.editor = ?")
                params.append(editor)
            if project_id is not None:
                where.append("a.project_id = ?")
                params.append(project_id)
            where.append("NOT EXISTS (SELECT 1 FROM audit u WHERE u.undoes = a.change_id)")
            change_id = s.scalar(f"SELECT max(a.change_id) FROM audit a WHERE {' AND '.join(where)}", params)
            if change_id is None:
                return None
            rows = s.execute(
                "SELECT project_id, editor, field, old_value, new_value FROM audit WHERE change_id = ?",
                (change_id,),
            ).fetchall()
            pid, author = rows[0][0], rows[0][1]
            current = s.one("SELECT * FROM projects WHERE project_id = ?" + self.dialect.lock_rows, (pid,))
            later = [r[2] for r in rows if audit_text(current[r[2]]) != r[4]]
            if later:
                raise ConflictError(
                    f"无法撤销：{', '.join(later)} 之后又被修改过 / cannot undo: {', '.join(later)} changed since"
                )
            revert = {r[2]: parse_audit_value(r[2], r[3]) for r in rows}
            action = "undo" if author == editor else "admin_undo"
            self._update(s, pid, revert, current["version"], editor, action=action, undoes=change_id)
            return pid

        pid = self._in_transaction(work)
        return None if pid is None else self.get(pid)

    def import_records(self, rows: list[tuple[int, dict]], *, editor: str) -> dict:
        """Create or update many projects in one transaction; see :meth:`ProjectStore.import_records`.

        Parameters
        ----------
        rows : list of (int, dict)
            ``(row number, record)`` pairs.
        editor : str
            Who imports.

        Returns
        -------
        dict
            ``{"created": int, "updated": int, "problems": list of str}`` (nothing written when
            there are problems).
        """
        editor = require_editor(editor)
        counts = {"created": 0, "updated": 0}
        problems: list[str] = []

        def work(s: Session) -> None:
            for number, rec in rows:
                pid = rec.get("project_id")
                try:
                    known = pid and s.one("SELECT version FROM projects WHERE project_id = ?", (str(pid),))
                    if known:
                        changes = check_changes({k: rec[k] for k in EDITABLE if k in rec})
                        version = rec.get("version")
                        if version is not None and not isinstance(version, int):
                            raise ProjectError(f"version: {version!r} 不是版本号 / not a version number")
                        version = known["version"] if version is None else version
                        counts["updated"] += self._update(s, str(pid), changes, version, editor)
                    else:
                        fields = {k: v for k, v in rec.items() if k not in ("project_id", "version")}
                        self._create(s, new_record(fields), editor)
                        counts["created"] += 1
                except ProjectError as err:
                    problems.append(f"row {number}: {err}")
            if problems:
                raise _Refused

        try:
            self._in_transaction(work)
        except _Refused:
            return {"created": 0, "updated": 0, "problems": problems}
        return counts | {"problems": []}

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
        editor = require_editor(editor)
        self._in_transaction(lambda s: self._link_in(s, "link", problem_id, project_id, editor))

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
        editor = require_editor(editor)
        self._in_transaction(lambda s: self._link_in(s, "unlink", problem_id, project_id, editor))

    def set_problem_links(self, problem_id: str, project_ids, *, editor: str) -> dict:
        """Make exactly ``project_ids`` the projects linked to a problem, in one transaction.

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_ids : iterable of str
            The projects that should address it.
        editor : str
            Who makes the change.

        Returns
        -------
        dict
            ``{"linked": int, "unlinked": int}``.

        Raises
        ------
        ProjectError
            When one of the projects does not exist (nothing is changed).
        """
        editor = require_editor(editor)
        wanted = {str(p) for p in project_ids}

        def work(s: Session) -> dict:
            rows = s.frame("SELECT project_id FROM problem_links WHERE problem_id = ?", (problem_id,))
            current = set(rows["project_id"]) if len(rows) else set()
            for pid in sorted(wanted - current):
                self._link_in(s, "link", problem_id, pid, editor)
            for pid in sorted(current - wanted):
                self._link_in(s, "unlink", problem_id, pid, editor)
            return {"linked": len(wanted - current), "unlinked": len(current - wanted)}

        return self._in_transaction(work)

    def _link_in(self, s: Session, action: str, problem_id: str, project_id: str, editor: str) -> None:
        # one link/unlink and, when it changed a row, its audit row, in the caller's transaction
        if "\x00" in str(problem_id):
            raise ProjectValidationError(["problem_id: 含有空字符（NUL） / contains a NUL byte"])
        version = s.scalar("SELECT version FROM projects WHERE project_id = ?", (project_id,))
        if action == "link":
            if version is None:
                raise ProjectError(f"项目 {project_id} 不存在 / project {project_id} does not exist")
            changed = s.execute(
                "INSERT INTO problem_links VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (problem_id, project_id, now_text(), editor),
            ).rowcount
            old, new = None, problem_id
        else:
            changed = s.execute(
                "DELETE FROM problem_links WHERE problem_id = ? AND project_id = ?", (problem_id, project_id)
            ).rowcount
            old, new = problem_id, None
        if changed:
            s.execute(
                "INSERT INTO audit (ts, editor, project_id, action, field, old_value, new_value, version,"
                " change_id) VALUES (?, ?, ?, ?, 'problem', ?, ?, ?, ?)",
                (now_text(), editor, project_id, action, old, new, version, self._change_id(s)),
            )

    # -------------------------------------------------------------------------------- accounts
    def users(self) -> pd.DataFrame:
        """Return every account (never the password hashes).

        Returns
        -------
        pandas.DataFrame
            Columns ``name, role, active, has_password, created_at, updated_at, updated_by``.
        """
        return self._read(
            lambda s: s.frame(
                "SELECT name, role, active, CASE WHEN pw_hash IS NULL THEN 0 ELSE 1 END AS has_password,"
                " created_at, updated_at, updated_by FROM users ORDER BY name"
            )
        )

    def user(self, name: str) -> dict | None:
        """Return one active account (no hash), or None.

        Parameters
        ----------
        name : str
            The account name (e.g. the e-mail address single sign-on reports).

        Returns
        -------
        dict or None
            ``{"name", "role"}`` of an active account.
        """
        row = self._read(
            lambda s: s.one("SELECT name, role FROM users WHERE name = ? AND active = 1", (str(name),))
        )
        return dict(row) if row else None

    def account_log(self) -> pd.DataFrame:
        """Return who changed which account and when (newest first).

        Returns
        -------
        pandas.DataFrame
            Columns ``ts, actor, name, action, detail``.
        """
        return self._read(lambda s: s.frame("SELECT * FROM account_log ORDER BY ts DESC"))

    def add_user(self, name: str, role: str, password: str | None, *, by: str) -> dict:
        """Create an account.

        Parameters
        ----------
        name : str
            See :func:`geodata.stores.accounts.check_name`.
        role : str
            One of :data:`geodata.stores.accounts.ROLES`.
        password : str or None
            The first password (hashed with argon2id); None for an account that signs in only
            through single sign-on.
        by : str
            Who adds it (the admin, or ``cli`` for the first admin).

        Returns
        -------
        dict
            ``{"name", "role"}``.

        Raises
        ------
        AccountError
            When the name, role or password is invalid, or the name is taken.
        """
        name, role = check_name(name), check_role(role)
        pw_hash = hash_password(password) if password is not None else None

        def work(s: Session) -> None:
            if s.one("SELECT name FROM users WHERE name = ?", (name,)):
                raise AccountError(f"用户 {name} 已存在 / user {name} already exists")
            now = now_text()
            s.execute("INSERT INTO users VALUES (?, ?, ?, 1, ?, ?, ?)", (name, role, pw_hash, now, now, by))
            self._log_account(s, by, name, "add", role)

        self._in_transaction(work)
        return {"name": name, "role": role}

    def set_password(self, name: str, password: str, *, by: str) -> None:
        """Replace an account's password (an admin's reset, or the planner's own change).

        Parameters
        ----------
        name : str
            The account.
        password : str
            The new password.
        by : str
            Who changes it.

        Raises
        ------
        AccountError
            When there is no such account or the password is invalid.
        """
        pw_hash = hash_password(password)
        self._change_account(name, "UPDATE users SET pw_hash = ?", (pw_hash,), by=by, action="password")

    def set_role(self, name: str, role: str, *, by: str) -> None:
        """Change an account's role (the last active admin keeps theirs).

        Parameters
        ----------
        name : str
            The account.
        role : str
            The new role.
        by : str
            Who changes it.

        Raises
        ------
        AccountError
            When there is no such account, the role is invalid, or it would leave no active admin.
        """
        role = check_role(role)
        self._change_account(name, "UPDATE users SET role = ?", (role,), by=by, action="role", detail=role)

    def set_active(self, name: str, active: bool, *, by: str) -> None:
        """Disable (or re-enable) an account; a disabled account cannot sign in.

        Parameters
        ----------
        name : str
            The account.
        active : bool
            False disables it.
        by : str
            Who changes it.

        Raises
        ------
        AccountError
            When there is no such account or it would leave no active admin.
        """
        action = "enable" if active else "disable"
        self._change_account(name, "UPDATE users SET active = ?", (int(bool(active)),), by=by, action=action)

    def authenticate(self, name: str, password: str) -> dict | None:
        """Check a name and password.

        Parameters
        ----------
        name : str
            The account name.
        password : str
            What was typed.

        Returns
        -------
        dict or None
            ``{"name", "role"}`` of the active account when the password matches; None otherwise
            (the same answer for an unknown name, a wrong password and a disabled account).
        """
        row = self._read(
            lambda s: s.one(
                "SELECT name, role, pw_hash FROM users WHERE name = ? AND active = 1", (str(name),)
            )
        )
        if not password_matches(row["pw_hash"] if row else None, password):
            if row is None:
                password_matches(_dummy_hash(), "x" * MIN_PASSWORD)  # same work for unknown names
            return None
        if needs_rehash(row["pw_hash"]):
            self._change_account(
                row["name"],
                "UPDATE users SET pw_hash = ?",
                (hash_password(password),),
                by=row["name"],
                action="rehash",
            )
        return {"name": row["name"], "role": row["role"]}

    def _change_account(
        self, name: str, assignment: str, params: tuple, *, by: str, action: str, detail: str | None = None
    ) -> None:
        # one account UPDATE + its log row; refuses to leave the store without an active admin
        def work(s: Session) -> None:
            if not s.one("SELECT name FROM users WHERE name = ?", (str(name),)):
                raise AccountError(f"用户 {name} 不存在 / no user {name}")
            s.execute(
                f"{assignment}, updated_at = ?, updated_by = ? WHERE name = ?",
                (*params, now_text(), by, name),
            )
            if not s.scalar("SELECT count(*) FROM users WHERE role = 'admin' AND active = 1"):
                raise AccountError("至少保留一名启用的管理员 / at least one active admin must remain")
            self._log_account(s, by, name, action, detail)

        self._in_transaction(work)

    @staticmethod
    def _log_account(s: Session, actor: str, name: str, action: str, detail: str | None) -> None:
        s.execute("INSERT INTO account_log VALUES (?, ?, ?, ?, ?)", (now_text(), actor, name, action, detail))

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
        """Upsert the rows of a ledger, all or nothing (see :func:`geodata.stores.ledger.import_ledger`).

        Parameters
        ----------
        table : pandas.DataFrame
            The ledger, Chinese or English headers.
        editor : str
            Who imports.

        Returns
        -------
        dict
            ``{"created": int, "updated": int, "problems": list of str}``; when ``problems`` is not
            empty nothing was written.
        """
        return import_ledger(self, table, editor=editor)

    # ================================================================ 城市体检 indicator records (issue 17, f17-records)
    def records(self, year: int | None = None) -> pd.DataFrame:
        """Return the stored indicator records (of one survey year), ordered by indicator and scope.

        Parameters
        ----------
        year : int, optional
            The survey year; all years when omitted.

        Returns
        -------
        pandas.DataFrame
            Columns of ``hc_records``; ``evidence`` as a list of ``{"item", "done"}``, ``manual`` as bool.
        """
        where, params = ("WHERE year = ?", (int(year),)) if year is not None else ("", ())
        df = self._read(
            lambda s: s.frame(f"SELECT * FROM hc_records {where} ORDER BY year, indicator, scope", params)
        )
        df["evidence"] = df["evidence"].map(evidence_list) if len(df) else df.get("evidence")
        df["manual"] = df["manual"].astype(bool) if len(df) else df.get("manual")
        return df

    def record(self, year: int, indicator: str, scope: str) -> dict | None:
        """Return one indicator record, or None when it was never saved.

        Parameters
        ----------
        year : int
            Survey year.
        indicator : str
            Catalogue key.
        scope : str
            ``"city"`` or a district adcode as text.

        Returns
        -------
        dict or None
            The record (``evidence`` parsed, ``manual`` bool).
        """
        row = self._read(
            lambda s: s.one(
                "SELECT * FROM hc_records WHERE year = ? AND indicator = ? AND scope = ?",
                (int(year), str(indicator), str(scope)),
            )
        )
        if row is not None:
            row["evidence"] = evidence_list(row["evidence"])
            row["manual"] = bool(row["manual"])
        return row

    def save_record(
        self, year: int, indicator: str, scope: str, fields: dict, *, editor: str, expected_version: int = 0
    ) -> dict:
        """Create or change an indicator record, version-checked and audited per field.

        Parameters
        ----------
        year, indicator, scope : int, str, str
            The record's key (scope ``"city"`` or a six-digit adcode).
        fields : dict
            Some of :data:`geodata.stores.records.RECORD_FIELDS`; a new record needs ``source_level``.
        editor : str
            Who saves (required).
        expected_version : int, default 0
            The version the editor loaded (0 = the record did not exist yet).

        Returns
        -------
        dict
            The stored record.

        Raises
        ------
        ProjectValidationError
            Listing every invalid field, a missing editor, or a new record without ``source_level``.
        ConflictError
            When someone saved the record since ``expected_version`` (or created it meanwhile).
        ProjectError
            When the record is submitted (已提交): it must be returned before it can be edited.
        """
        editor = require_editor(editor)
        key = (
            int(year) if isinstance(year, numbers.Integral) and not isinstance(year, bool) else year,
            str(indicator),
            str(scope),
        )
        problems = validate_record(key, fields)
        if problems:
            raise ProjectValidationError(problems)
        stored = {k: _record_cell(k, v) for k, v in fields.items()}

        self._in_transaction(lambda s: self._save_record_in(s, key, stored, editor, expected_version))
        return self.record(*key)

    def import_record_rows(self, year: int, scope: str, rows: list[tuple[str, dict]], *, editor: str) -> dict:
        """Save many records of one year and scope in one transaction: all rows or none.

        Parameters
        ----------
        year : int
            Survey year.
        scope : str
            ``"city"`` or a district adcode as text.
        rows : list of (str, dict)
            ``(where, fields)``: a label for messages (e.g. the sheet and row of a workbook) and the fields
            of one record, with ``indicator``.
        editor : str
            Who imports (required).

        Returns
        -------
        dict
            ``{"saved": int, "problems": list of str}``; when ``problems`` is not empty (one per refused row:
            invalid fields, or a submitted record) nothing was written and ``saved`` is 0.
        """
        editor = require_editor(editor)
        problems: list[str] = []
        checked = []
        for where, rec in rows:
            fields = {k: v for k, v in rec.items() if k != "indicator"}
            key = (int(year), str(rec.get("indicator", "")), str(scope))
            bad = validate_record(key, fields)
            if bad:
                problems.append(f"{where}: {'; '.join(bad)}")
            checked.append((where, key, {k: _record_cell(k, v) for k, v in fields.items()}))
        if problems:
            return {"saved": 0, "problems": problems}

        def work(s: Session) -> None:
            for where, key, stored in checked:
                try:
                    self._save_record_in(s, key, stored, editor, None)
                except ProjectError as err:
                    problems.append(f"{where}: {err}")
            if problems:
                raise _Refused

        try:
            self._in_transaction(work)
        except _Refused:
            return {"saved": 0, "problems": problems}
        return {"saved": len(checked), "problems": []}

    def _save_record_in(self, s: Session, key: tuple, stored: dict, editor: str, expected_version) -> None:
        # one record create/update and its audit rows, in the caller's transaction; expected_version None =
        # no version check (an import overwrites whatever draft is stored)
        current = s.one(
            "SELECT * FROM hc_records WHERE year = ? AND indicator = ? AND scope = ?"
            + self.dialect.lock_rows,
            key,
        )
        now = now_text()
        if current is None:
            if expected_version not in (0, None):
                raise ConflictError("记录已被删除或不存在 / the record does not exist any more")
            if "source_level" not in stored:
                raise ProjectValidationError(["source_level: 新记录须填写来源层级 / a new record needs it"])
            row = {
                "manual": 0,
                "warning": "none",
                "data_source": "",
                "department": "",
                "evidence": "[]",
                "note": "",
            } | stored
            names = ["year", "indicator", "scope", *row, "status", "updated_at", "updated_by", "version"]
            values = [*key, *row.values(), "草稿", now, editor, 1]
            s.execute(
                f"INSERT INTO hc_records ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                values,
            )
            self._record_audit(s, key, editor, "create", [(None, None, None)], 1, now)
            return
        if expected_version is not None and current["version"] != expected_version:
            raise ConflictError(
                f"保存被拒绝：{current['updated_by']} 已于 {current['updated_at']} 保存了该记录，请刷新后再改。 / "
                f"Not saved: {current['updated_by']} saved this record at {current['updated_at']}; reload."
            )
        if current["status"] == "已提交":
            raise ProjectError(
                "记录已提交，须先退回才能修改 / the record is submitted; return it before editing"
            )
        diff = {k: v for k, v in stored.items() if normalise(current[k]) != normalise(v)}
        if not diff:
            return
        version = current["version"] + 1
        s.execute(
            f"UPDATE hc_records SET {', '.join(f'{k} = ?' for k in diff)}, version = ?, updated_at = ?,"
            " updated_by = ? WHERE year = ? AND indicator = ? AND scope = ?",
            [*diff.values(), version, now, editor, *key],
        )
        changes = [(k, audit_text(current[k]), audit_text(v)) for k, v in diff.items()]
        self._record_audit(s, key, editor, "update", changes, version, now)

    def set_record_status(
        self, year: int, indicator: str, scope: str, status: str, *, editor: str, expected_version: int
    ) -> dict:
        """Submit (草稿/已退回 → 已提交) or return (已提交 → 已退回) a record, audited.

        Parameters
        ----------
        year, indicator, scope : int, str, str
            The record's key.
        status : str
            The new status, one of :data:`geodata.stores.records.STATUSES`.
        editor : str
            Who changes it (required).
        expected_version : int
            The version the editor loaded.

        Returns
        -------
        dict
            The record after the change.

        Raises
        ------
        ProjectError
            When the record does not exist or the change is not allowed (e.g. returning a draft).
        ConflictError
            When someone saved the record since ``expected_version``.
        """
        editor = require_editor(editor)
        key = (int(year), str(indicator), str(scope))

        def work(s: Session) -> None:
            current = s.one(
                "SELECT * FROM hc_records WHERE year = ? AND indicator = ? AND scope = ?"
                + self.dialect.lock_rows,
                key,
            )
            if current is None:
                raise ProjectError("记录尚未保存 / the record has not been saved yet")
            if current["version"] != expected_version:
                raise ConflictError(
                    f"保存被拒绝：{current['updated_by']} 已于 {current['updated_at']} 修改了该记录 / "
                    f"{current['updated_by']} changed this record at {current['updated_at']}; reload."
                )
            if (current["status"], status) not in RECORD_TRANSITIONS:
                raise ProjectError(
                    f"不能从“{current['status']}”改为“{status}” / cannot go from {current['status']} to {status}"
                )
            version, now = current["version"] + 1, now_text()
            s.execute(
                "UPDATE hc_records SET status = ?, version = ?, updated_at = ?, updated_by = ?"
                " WHERE year = ? AND indicator = ? AND scope = ?",
                (status, version, now, editor, *key),
            )
            self._record_audit(
                s, key, editor, "status", [("status", current["status"], status)], version, now
            )

        self._in_transaction(work)
        return self.record(*key)

    def record_history(self, year: int, indicator: str, scope: str) -> pd.DataFrame:
        """Return the audit rows of one record, newest first.

        Parameters
        ----------
        year, indicator, scope : int, str, str
            The record's key.

        Returns
        -------
        pandas.DataFrame
            Columns ``audit_id, ts, editor, year, indicator, scope, action, field, old_value, new_value, version``.
        """
        return self._read(
            lambda s: s.frame(
                "SELECT * FROM hc_record_audit WHERE year = ? AND indicator = ? AND scope = ? ORDER BY audit_id DESC",
                (int(year), str(indicator), str(scope)),
            )
        )

    @staticmethod
    def _record_audit(
        s: Session, key: tuple, editor: str, action: str, changes, version: int, now: str
    ) -> None:
        s.executemany(
            "INSERT INTO hc_record_audit (ts, editor, year, indicator, scope, action, field, old_value, new_value,"
            " version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(now, editor, *key, action, f, old, new, version) for f, old, new in changes],
        )

    # -------------------------------------------------------------------------------- f17 scenarios (方案比选)
    def scenarios(self) -> pd.DataFrame:
        """Return every saved scenario, ordered by name (change sets parsed).

        Returns
        -------
        pandas.DataFrame
            Columns ``name, description, base_year, added, removed, completed, created_at, updated_at,
            updated_by, version``.
        """
        from geodata.stores.scenarios import from_row

        rows = self._read(lambda s: s.frame("SELECT * FROM scenarios ORDER BY name"))
        records = [from_row(r) for r in rows.to_dict("records")]
        cols = ["name", "description", "base_year", "added", "removed", "completed"]
        cols += ["created_at", "updated_at", "updated_by", "version"]
        return pd.DataFrame(records, columns=cols)

    def scenario(self, name: str) -> dict:
        """Return one scenario; see :meth:`ProjectStore.scenario`.

        Parameters
        ----------
        name : str
            The scenario's name.

        Returns
        -------
        dict
            The record with ``added``, ``removed`` and ``completed``.

        Raises
        ------
        ProjectError
            When there is no such scenario.
        """
        from geodata.stores.scenarios import from_row

        row = self._read(lambda s: s.one("SELECT * FROM scenarios WHERE name = ?", (str(name).strip(),)))
        if row is None:
            raise ProjectError(f"方案 {name} 不存在 / scenario {name} does not exist")
        return from_row(row)

    def save_scenario(self, record: dict, *, editor: str, expected_version: int | None = None) -> dict:
        """Create a scenario, or replace one (with ``expected_version``); see :meth:`ProjectStore.save_scenario`.

        Parameters
        ----------
        record : dict
            See :func:`geodata.stores.scenarios.check_scenario`.
        editor : str
            Who saves (recorded in ``scenario_log``).
        expected_version : int, optional
            None creates a new scenario (refused when the name is taken); a version replaces the
            scenario of that name when it is still at that version.

        Returns
        -------
        dict
            The stored record.

        Raises
        ------
        ProjectValidationError
            Listing every invalid field, or a missing editor.
        ProjectError
            When the name is taken (create) or the scenario does not exist (replace).
        ConflictError
            When someone else saved the scenario since ``expected_version``.
        """
        from geodata.stores.scenarios import check_scenario, spec_json

        editor = require_editor(editor)
        clean, problems = check_scenario(record)
        if problems:
            raise ProjectValidationError(problems)
        spec = spec_json(clean)
        name = clean["name"]
        detail = (
            f"added={len(clean['added'])} removed={len(clean['removed'])} completed={len(clean['completed'])}"
        )

        def work(s: Session) -> None:
            now = now_text()
            current = s.one("SELECT version FROM scenarios WHERE name = ?" + self.dialect.lock_rows, (name,))
            if expected_version is None:
                if current is not None:
                    raise ProjectError(f"方案名称 {name} 已存在 / a scenario named {name} already exists")
                s.execute(
                    "INSERT INTO scenarios VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
                    (name, clean["description"], clean["base_year"], spec, now, now, editor),
                )
                action = "create"
            else:
                if current is None:
                    raise ProjectError(f"方案 {name} 不存在 / scenario {name} does not exist")
                if int(current["version"]) != int(expected_version):
                    raise ConflictError(
                        f"方案 {name} 已被他人修改（版本 {current['version']}） / scenario {name} was changed by "
                        f"someone else (version {current['version']})"
                    )
                s.execute(
                    "UPDATE scenarios SET description = ?, base_year = ?, spec = ?, updated_at = ?,"
                    " updated_by = ?, version = version + 1 WHERE name = ?",
                    (clean["description"], clean["base_year"], spec, now, editor, name),
                )
                action = "update"
            s.execute("INSERT INTO scenario_log VALUES (?, ?, ?, ?, ?)", (now, editor, name, action, detail))

        self._in_transaction(work)
        return self.scenario(name)

    def delete_scenario(self, name: str, *, editor: str) -> None:
        """Delete a scenario (logged with the editor); see :meth:`ProjectStore.delete_scenario`.

        Parameters
        ----------
        name : str
            The scenario's name.
        editor : str
            Who deletes.

        Raises
        ------
        ProjectError
            When there is no such scenario, or the editor is missing.
        """
        editor = require_editor(editor)
        name = str(name).strip()

        def work(s: Session) -> None:
            if not s.execute("DELETE FROM scenarios WHERE name = ?", (name,)).rowcount:
                raise ProjectError(f"方案 {name} 不存在 / scenario {name} does not exist")
            s.execute("INSERT INTO scenario_log VALUES (?, ?, ?, 'delete', NULL)", (now_text(), editor, name))

        self._in_transaction(work)

    def scenario_log(self) -> pd.DataFrame:
        """Return who created, changed or deleted which scenario, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``ts, editor, name, action, detail``.
        """
        return self._read(lambda s: s.frame("SELECT * FROM scenario_log ORDER BY ts, name"))

    # -------------------------------------------------------------------------------- 城市体检 销号 (closed loop)
    _CLOSURE_COLUMNS = (
        "problem_id, action, closed_in_year, value_before, value_after, editor, ts, note, override"
    )

    @staticmethod
    def _closure_state(s: Session, problem_id: str) -> str | None:
        return s.scalar(
            "SELECT action FROM problem_closures WHERE problem_id = ? ORDER BY closure_id DESC LIMIT 1",
            (problem_id,),
        )

    @staticmethod
    def _clean_closure_text(problem_id: str, note: str) -> tuple[str, str]:
        problem_id, note = str(problem_id or "").strip(), str(note or "").strip()
        if not problem_id:
            raise ProjectValidationError(["problem_id: 不能为空 / must not be empty"])
        for field, v in (("problem_id", problem_id), ("note", note)):
            if "\x00" in v:
                raise ProjectValidationError([f"{field}: 含有空字符（NUL） / contains a NUL byte"])
        return problem_id, note

    def _log_closure(self, s: Session, row: dict) -> dict:
        s.execute(
            f"INSERT INTO problem_closures ({self._CLOSURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(row[c.strip()] for c in self._CLOSURE_COLUMNS.split(",")),
        )
        return row

    def close_problem(
        self,
        problem_id: str,
        *,
        closed_in_year: int,
        value_before: float | None,
        value_after: float | None,
        remeasure_passed: bool,
        editor: str,
        note: str = "",
        admin: bool = False,
    ) -> dict:
        """Close (销号) a problem after its re-measure, with audit (see :class:`ProjectStore`).

        Parameters
        ----------
        problem_id : str
            The problem key.
        closed_in_year : int
            The survey year of the re-measure.
        value_before, value_after : float or None
            Indicator values (NaN is stored as NULL).
        remeasure_passed : bool
            Whether the re-measure meets the target.
        editor : str
            Who closes it.
        note : str, default ""
            Remark; required for an admin override.
        admin : bool, default False
            The editor is an admin.

        Returns
        -------
        dict
            The closure row.

        Raises
        ------
        ProjectError
            Failing re-measure without an admin note, or already closed.
        """
        editor = require_editor(editor)
        problem_id, note = self._clean_closure_text(problem_id, note)
        if not remeasure_passed and not (admin and note):
            raise ProjectError(
                "复查未达标，不能销号（管理员可填写说明后强制销号） / the re-measure still fails: it cannot be "
                "closed (an admin may override with a note)"
            )

        def number(v):
            return None if v is None or (isinstance(v, float) and v != v) else float(v)

        row = {
            "problem_id": problem_id,
            "action": "close",
            "closed_in_year": int(closed_in_year),
            "value_before": number(value_before),
            "value_after": number(value_after),
            "editor": editor,
            "ts": now_text(),
            "note": note,
            "override": 0 if remeasure_passed else 1,
        }

        def work(s: Session) -> dict:
            if self._closure_state(s, problem_id) == "close":
                raise ProjectError(f"问题已销号 / the problem is already closed ({problem_id})")
            return self._log_closure(s, row)

        return self._in_transaction(work)

    def reopen_problem(self, problem_id: str, *, editor: str, note: str = "") -> dict:
        """Reopen a closed problem (audited).

        Parameters
        ----------
        problem_id : str
            The problem key.
        editor : str
            Who reopens it.
        note : str, default ""
            Why.

        Returns
        -------
        dict
            The reopening row.

        Raises
        ------
        ProjectError
            When the problem is not closed.
        """
        editor = require_editor(editor)
        problem_id, note = self._clean_closure_text(problem_id, note)

        def work(s: Session) -> dict:
            if self._closure_state(s, problem_id) != "close":
                raise ProjectError(f"问题未销号 / the problem is not closed ({problem_id})")
            last = s.one(
                "SELECT closed_in_year, value_before, value_after FROM problem_closures WHERE problem_id = ?"
                " ORDER BY closure_id DESC LIMIT 1",
                (problem_id,),
            )
            row = {"problem_id": problem_id, "action": "reopen", "editor": editor, "ts": now_text()}
            return self._log_closure(s, row | dict(last) | {"note": note, "override": 0})

        return self._in_transaction(work)

    def closures(self) -> pd.DataFrame:
        """Return the problems closed now.

        Returns
        -------
        pandas.DataFrame
            Columns ``problem_id, closed_in_year, value_before, value_after, editor, ts, note, override``.
        """
        cols = "problem_id, closed_in_year, value_before, value_after, editor, ts, note, override"
        out = self._read(
            lambda s: s.frame(
                f"SELECT {cols} FROM problem_closures c WHERE action = 'close' AND closure_id = "
                "(SELECT max(closure_id) FROM problem_closures WHERE problem_id = c.problem_id) ORDER BY ts"
            )
        )
        return out if len(out.columns) else pd.DataFrame(columns=[c.strip() for c in cols.split(",")])

    def closure_log(self) -> pd.DataFrame:
        """Return every close and reopen, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``closure_id`` and the closure row's columns.
        """
        out = self._read(
            lambda s: s.frame(
                f"SELECT closure_id, {self._CLOSURE_COLUMNS} FROM problem_closures ORDER BY closure_id"
            )
        )
        return out
