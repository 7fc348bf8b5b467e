"""The project-library contract: what every store does, the fields it keeps, and how a record is checked.

A store saves each change in one transaction. Each project row carries a ``version``; an update names
the version it was based on and is refused with :class:`ConflictError` when someone else saved in
between — never a silent overwrite. Every accepted change writes audit rows (time, editor, field,
old → new). Undo re-applies the old values of the editor's own last change (an admin may undo
anyone's) as a new, audited change, so history stays append-only. The same :func:`validate_fields`
runs before either store writes (NUL bytes, WKT, years in :data:`YEAR_RANGE`), and driver errors
reach callers as :class:`StoreError`, never as sqlite3 / psycopg exceptions. :mod:`geodata.stores.sqlite` (embedded) and :mod:`geodata.stores.postgis` (bureau
server) are the two implementations.
"""

from __future__ import annotations

import math
import numbers
from abc import ABC, abstractmethod
from datetime import UTC, datetime

import pandas as pd

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
#: fields a user may change with :meth:`ProjectStore.update`
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
#: columns of a project record (``budget_wan`` in 10 000 CNY; ``geometry_wkt`` in EPSG:4326)
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
#: free-text fields that are stored as "" rather than NULL
TEXT_FIELDS = ("owner_unit", "notes")
#: calendar years a project may start or end in (inclusive); the edit form uses the same range
YEAR_RANGE = (2000, 2100)
#: 区划代码 are six-digit numbers
ADCODE_RANGE = (100000, 999999)
#: the fields that hold text (a NUL byte is refused in every one)
STRING_FIELDS = ("project_id", "parcel_id", "name", "category", "status", "decision", "owner_unit", "notes")
#: values of a new project for the fields the caller leaves out
DEFAULTS = {
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
}


class ProjectError(ValueError):
    """A change to the project library that cannot be accepted (message for the user)."""


class ProjectValidationError(ProjectError):
    """A project record with one or more invalid fields.

    Parameters
    ----------
    problems : list of str
        One message per invalid field (``"field: problem"``), all of them, not only the first.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class ConflictError(ProjectError):
    """Someone else saved the project after you loaded it."""


class StoreError(ProjectError):
    """The database refused or failed a request (the driver's message, never its traceback)."""


def validate_fields(fields: dict) -> list[str]:
    """List every problem of a set of project fields (the same checks on every store).

    Parameters
    ----------
    fields : dict
        Some or all of :data:`COLUMNS`; only the fields present are checked. ``budget_wan`` is in
        10 000 CNY (finite, ≥ 0); years are whole calendar years in :data:`YEAR_RANGE`;
        ``district_adcode`` a six-digit integer; ``geometry_wkt`` WKT in EPSG:4326 (lon/lat);
        no text may contain a NUL byte.

    Returns
    -------
    list of str
        One message per problem (``"field: …"``, Chinese / English); empty when valid.
    """
    problems = []
    for key in STRING_FIELDS + ("geometry_wkt",):
        if isinstance(fields.get(key), str) and "\x00" in fields[key]:
            problems.append(f"{key}: 含有空字符（NUL） / contains a NUL byte")
    if "name" in fields and not str(fields["name"]).strip():
        problems.append("name: 项目名称不能为空 / the name is empty")
    checks = (("status", PROJECT_STATUSES), ("decision", DECISIONS), ("category", CATEGORIES))
    for key, allowed in checks:
        if key in fields and fields[key] not in allowed:
            problems.append(f"{key}: {fields[key]!r} 不在可选值中 / not one of {' / '.join(allowed)}")
    if "budget_wan" in fields:
        b = fields["budget_wan"]
        if not _is_number(b):
            problems.append(f"budget_wan: {b!r} 不是数字 / not a number")
        elif not math.isfinite(float(b)) or float(b) < 0:
            problems.append(f"budget_wan: {b!r} 投资须为有限且不为负 / must be finite and ≥ 0")
    lo, hi = YEAR_RANGE
    for key in ("start_year", "end_year"):
        v = fields.get(key)
        if v is not None and not (_is_whole(v) and lo <= int(v) <= hi):
            problems.append(f"{key}: {v!r} 不是 {lo}–{hi} 之间的年份 / not a year between {lo} and {hi}")
    s, e = fields.get("start_year"), fields.get("end_year")
    if _is_whole(s) and _is_whole(e) and e < s:
        problems.append("end_year: 结束年份早于开始年份 / ends before it starts")
    a = fields.get("district_adcode")
    if a is not None and not (_is_whole(a) and ADCODE_RANGE[0] <= int(a) <= ADCODE_RANGE[1]):
        problems.append(f"district_adcode: {a!r} 不是六位区划代码 / not a six-digit adcode")
    wkt = fields.get("geometry_wkt")
    if wkt is not None and not (isinstance(wkt, str) and "\x00" in wkt):
        problem = wkt_problem(wkt)
        if problem:
            problems.append(f"geometry_wkt: {problem}")
    return problems


def _is_number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _is_whole(v) -> bool:
    return _is_number(v) and math.isfinite(float(v)) and float(v) == int(v)


def wkt_problem(wkt) -> str | None:
    """Check a WKT geometry in EPSG:4326 the way every store will accept it.

    Parameters
    ----------
    wkt : object
        The value of ``geometry_wkt``.

    Returns
    -------
    str or None
        The problem (Chinese / English), or None when the text is a non-empty geometry with
        longitudes in [-180, 180] and latitudes in [-90, 90].
    """
    import shapely
    from shapely.errors import ShapelyError

    if not isinstance(wkt, str):
        return f"{wkt!r} 不是 WKT 文本 / not WKT text"
    try:
        geom = shapely.from_wkt(wkt)
    except (ShapelyError, ValueError) as err:
        return f"无效的 WKT / invalid WKT ({str(err).splitlines()[0][:120]})"
    if geom is None or geom.is_empty:
        return "几何为空 / the geometry is empty"
    x0, y0, x1, y1 = geom.bounds
    if not all(math.isfinite(c) for c in (x0, y0, x1, y1)):
        return "坐标不是有限数 / coordinates are not finite"
    if x0 < -180 or x1 > 180 or y0 < -90 or y1 > 90:
        return "坐标超出经纬度范围（EPSG:4326） / coordinates outside lon/lat range (EPSG:4326)"
    return None


def new_record(fields: dict) -> dict:
    """Build a checked new project record from user fields (defaults for the rest, no id yet).

    Parameters
    ----------
    fields : dict
        User-given fields; keys outside :data:`COLUMNS` are ignored.

    Returns
    -------
    dict
        The record with every field of :data:`DEFAULTS`.

    Raises
    ------
    ProjectValidationError
        Listing every invalid field.
    """
    record = DEFAULTS | clean_fields({k: v for k, v in fields.items() if k in COLUMNS})
    problems = validate_fields(record)
    if problems:
        raise ProjectValidationError(problems)
    return record


def check_changes(changes: dict) -> dict:
    """Clean the changes of an update and refuse fields that are not editable.

    Parameters
    ----------
    changes : dict
        Field → new value.

    Returns
    -------
    dict
        The cleaned changes (blank text fields as "").

    Raises
    ------
    ProjectValidationError
        When a field is not in :data:`EDITABLE`.
    """
    changes = clean_fields(changes)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ProjectValidationError([f"{k}: 不可编辑 / not editable" for k in unknown])
    return changes


def clean_fields(fields: dict) -> dict:
    """Turn empty text fields into "" (ledgers leave them blank) and numpy scalars into Python values.

    Whole-number years and adcodes become ``int``; anything else is left for :func:`validate_fields`.

    Parameters
    ----------
    fields : dict
        Field → value.

    Returns
    -------
    dict
        A new dict.
    """
    out = {}
    for k, v in fields.items():
        if isinstance(v, numbers.Number) and hasattr(v, "item"):
            v = v.item()  # numpy scalar → int / float / bool
        if k in TEXT_FIELDS and (v is None or (isinstance(v, float) and pd.isna(v))):
            v = ""
        elif k in ("start_year", "end_year", "district_adcode") and _is_whole(v):
            v = int(v)
        out[k] = v
    return out


def require_editor(editor: str) -> str:
    """Return the stripped editor name; every change must name who made it.

    Parameters
    ----------
    editor : str
        The editor's name as typed.

    Returns
    -------
    str
        The name without surrounding blanks.

    Raises
    ------
    ProjectValidationError
        When the name is empty.
    """
    editor = (editor or "").strip()
    if not editor:
        raise ProjectValidationError(["editor: 请在侧栏填写编辑人 / enter your name in the sidebar"])
    return editor


def now_text() -> str:
    """Return the current UTC time as ISO 8601 text (seconds), as stored in audit rows.

    Returns
    -------
    str
        E.g. ``"2026-11-24T13:00:44+00:00"``.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def normalise(v):
    """Return a value in comparable form: missing → None, integral floats → int.

    Parameters
    ----------
    v : object
        A field value.

    Returns
    -------
    object
        The normalised value.
    """
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def audit_text(v) -> str | None:
    """Return a field value as the text stored in the audit log (None when missing).

    Parameters
    ----------
    v : object
        A field value.

    Returns
    -------
    str or None
        ``str`` of the normalised value.
    """
    v = normalise(v)
    return None if v is None else str(v)


def parse_audit_value(field: str, text):
    """Turn audit text back into a field value (for undo).

    Parameters
    ----------
    field : str
        The field the text belongs to.
    text : str or None
        The audit text.

    Returns
    -------
    object
        float for ``budget_wan``, int for years, str otherwise, None when missing.
    """
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    if field == "budget_wan":
        return float(text)
    if field in ("start_year", "end_year"):
        return int(float(text))
    return str(text)


class ProjectStore(ABC):
    """The project-library interface, implemented by the SQLite and the PostGIS store.

    Records are dicts with the fields of :data:`COLUMNS`; tables are :class:`pandas.DataFrame`.
    """

    @abstractmethod
    def migrate(self) -> int:
        """Apply pending numbered schema migrations.

        Returns
        -------
        int
            The schema version after migrating.
        """

    @abstractmethod
    def create(self, fields: dict, *, editor: str, problem_ids=()) -> dict:
        """Create a project (version 1) and audit it.

        Parameters
        ----------
        fields : dict
            Fields of :data:`COLUMNS` (others ignored); unspecified ones take :data:`DEFAULTS`.
        editor : str
            Who makes the change (required).
        problem_ids : iterable of str, optional
            城市体检 problems the new project addresses: linked in the same transaction, so a
            project is never created without the links asked for.

        Returns
        -------
        dict
            The stored record with its new ``project_id`` (``P<year>-<nnnn>``).

        Raises
        ------
        ProjectValidationError
            Listing every invalid field, or a missing editor.
        ProjectError
            When the parcel is already a project.
        """

    @abstractmethod
    def get(self, project_id: str) -> dict:
        """Return one project.

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

    @abstractmethod
    def list(self) -> pd.DataFrame:
        """Return every project, ordered by id.

        Returns
        -------
        pandas.DataFrame
            One row per project, the columns of :data:`COLUMNS`.
        """

    @abstractmethod
    def update(self, project_id: str, changes: dict, *, expected_version: int, editor: str) -> dict:
        """Change some fields of a project, if nobody saved it since ``expected_version``.

        Parameters
        ----------
        project_id : str
            The project's id.
        changes : dict
            Fields of :data:`EDITABLE` → new values.
        expected_version : int
            The version the editor loaded.
        editor : str
            Who makes the change (required).

        Returns
        -------
        dict
            The record after the change (version + 1 when anything changed).

        Raises
        ------
        ConflictError
            When the stored version differs from ``expected_version`` (names who saved and what).
        ProjectValidationError
            Listing every invalid or non-editable field.
        ProjectError
            When there is no such project.
        """

    @abstractmethod
    def history(self, project_id: str) -> pd.DataFrame:
        """Return the audit rows of one project, newest first.

        Parameters
        ----------
        project_id : str
            The project's id.

        Returns
        -------
        pandas.DataFrame
            Columns ``audit_id, ts, editor, project_id, action, field, old_value, new_value, version,
            change_id``.
        """

    @abstractmethod
    def audit(self) -> pd.DataFrame:
        """Return the whole audit log, oldest first.

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`history`.
        """

    @abstractmethod
    def project_for_parcel(self, parcel_id: str) -> dict | None:
        """Return the project made from a renewal parcel.

        Parameters
        ----------
        parcel_id : str
            The parcel's id.

        Returns
        -------
        dict or None
            The record, or None when the parcel is not a project.
        """

    @abstractmethod
    def link_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        """Record that a project addresses a 城市体检 problem (idempotent, audited).

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_id : str
            The project's id.
        editor : str
            Who makes the change (required).

        Raises
        ------
        ProjectError
            When there is no such project.
        """

    @abstractmethod
    def unlink_problem(self, problem_id: str, project_id: str, *, editor: str) -> None:
        """Remove a problem link (idempotent, audited when a link was removed).

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_id : str
            The project's id.
        editor : str
            Who makes the change (required).
        """

    @abstractmethod
    def set_problem_links(self, problem_id: str, project_ids, *, editor: str) -> dict:
        """Make exactly ``project_ids`` the projects linked to a problem, in one transaction.

        Parameters
        ----------
        problem_id : str
            The health-check problem key.
        project_ids : iterable of str
            The projects that should address it.
        editor : str
            Who makes the change (required).

        Returns
        -------
        dict
            ``{"linked": int, "unlinked": int}``.

        Raises
        ------
        ProjectError
            When one of the projects does not exist (nothing is changed).
        """

    @abstractmethod
    def problem_links(self) -> pd.DataFrame:
        """Return every problem ↔ project link.

        Returns
        -------
        pandas.DataFrame
            Columns ``problem_id, project_id, linked_at, editor``.
        """

    def exists(self, project_id: str) -> bool:
        """Tell whether a project exists.

        Parameters
        ----------
        project_id : str
            The project's id.

        Returns
        -------
        bool
            True when :meth:`get` finds it.
        """
        try:
            self.get(project_id)
            return True
        except ProjectError:
            return False

    def promote_parcel(self, parcel: dict, *, editor: str, category: str | None = None) -> dict:
        """Turn a renewal parcel into a project (status 储备, its 留改拆 decision, category from its type).

        Parameters
        ----------
        parcel : dict
            A row of the ``parcels`` layer (``parcel_id`` required; ``geometry_wkt`` in EPSG:4326).
        editor : str
            Who makes the change (required).
        category : str, optional
            One of :data:`CATEGORIES`; default from the parcel type.

        Returns
        -------
        dict
            The new project.

        Raises
        ------
        ProjectError
            When the parcel is already a project or a field is invalid.
        """
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

    @abstractmethod
    def undo_last(self, *, editor: str, project_id: str | None = None, admin: bool = False) -> dict | None:
        """Revert "my last change" (to one project, or to any) as a new audited change.

        Parameters
        ----------
        editor : str
            Who undoes (required); only this editor's own changes are candidates unless ``admin``.
        project_id : str, optional
            Limit to this project's changes.
        admin : bool, default False
            Allow undoing anyone's change; audited as ``admin_undo`` when it was someone else's.

        Returns
        -------
        dict or None
            The record after the undo; None when there is nothing to undo.

        Raises
        ------
        ConflictError
            When a field of that change was changed again since.
        """

    @abstractmethod
    def import_records(self, rows: list[tuple[int, dict]], *, editor: str) -> dict:
        """Create or update many projects in one transaction: all rows or none.

        Parameters
        ----------
        rows : list of (int, dict)
            ``(row number, record)``; a record with a known ``project_id`` updates that project
            (the fields of :data:`EDITABLE`, checked against its ``version`` when given), any other
            record creates a project.
        editor : str
            Who imports (required).

        Returns
        -------
        dict
            ``{"created": int, "updated": int, "problems": list of str}``; when ``problems`` is
            not empty (``"row N: …"`` for each refused row) nothing was written and the counts are 0.
        """

    # ============================================================ 城市体检 indicator records (issue 17, f17-records)
    @abstractmethod
    def records(self, year: int | None = None) -> pd.DataFrame:
        """Return the stored indicator records (of one survey year); see :mod:`geodata.stores.records`."""

    @abstractmethod
    def record(self, year: int, indicator: str, scope: str) -> dict | None:
        """Return one indicator record, or None when it was never saved."""

    @abstractmethod
    def save_record(
        self, year: int, indicator: str, scope: str, fields: dict, *, editor: str, expected_version: int = 0
    ) -> dict:
        """Create or change an indicator record (version-checked, audited; refused while submitted)."""

    @abstractmethod
    def set_record_status(
        self, year: int, indicator: str, scope: str, status: str, *, editor: str, expected_version: int
    ) -> dict:
        """Submit or return an indicator record (草稿/已退回 → 已提交 → 已退回), audited."""

    @abstractmethod
    def record_history(self, year: int, indicator: str, scope: str) -> pd.DataFrame:
        """Return the audit rows of one indicator record, newest first."""

    @abstractmethod
    def import_record_rows(self, year: int, scope: str, rows: list[tuple[str, dict]], *, editor: str) -> dict:
        """Save many indicator records of one year and scope in one transaction (all or none)."""

    # -------------------------------------------------------------------------------- f17 scenarios (方案比选)
    @abstractmethod
    def scenarios(self) -> pd.DataFrame:
        """Return every saved scenario (方案), ordered by name.

        Returns
        -------
        pandas.DataFrame
            Columns ``name, description, base_year, added, removed, completed, created_at, updated_at,
            updated_by, version`` (see :mod:`geodata.stores.scenarios`).
        """

    @abstractmethod
    def scenario(self, name: str) -> dict:
        """Return one scenario by its (unique) name.

        Raises
        ------
        ProjectError
            When there is no such scenario.
        """

    @abstractmethod
    def save_scenario(self, record: dict, *, editor: str, expected_version: int | None = None) -> dict:
        """Create a scenario, or replace the change set of an existing one.

        ``expected_version`` None creates (the name must be free); a version replaces the scenario still at
        that version. One transaction, logged with the editor.

        Raises
        ------
        ProjectValidationError
            Listing every invalid field (:func:`geodata.stores.scenarios.check_scenario`).
        ProjectError
            When the name is taken (create) or missing (replace).
        ConflictError
            When the scenario changed since ``expected_version``.
        """

    @abstractmethod
    def delete_scenario(self, name: str, *, editor: str) -> None:
        """Delete a scenario (logged with the editor).

        Raises
        ------
        ProjectError
            When there is no such scenario.
        """

    @abstractmethod
    def scenario_log(self) -> pd.DataFrame:
        """Return the scenario change log: ``ts, editor, name, action, detail``."""

    # -------------------------------------------------------------------------------- 城市体检 销号 (closed loop)
    @abstractmethod
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
        """Close (销号) a 问题台账 problem after the next survey year's re-measure, with audit.

        Parameters
        ----------
        problem_id : str
            The problem key ``"year|level|unit|indicator"``.
        closed_in_year : int
            The survey year whose re-measure closes it.
        value_before, value_after : float or None
            The indicator's value in the problem's year and in ``closed_in_year`` (indicator unit).
        remeasure_passed : bool
            Whether the re-measure of ``closed_in_year`` meets the target.
        editor : str
            Who closes it (required).
        note : str, default ""
            Remark; required when an admin overrides a failing re-measure.
        admin : bool, default False
            The editor is an admin (may close a failing problem with a note).

        Returns
        -------
        dict
            The closure row (``problem_id, action, closed_in_year, value_before, value_after, editor, ts,
            note, override``).

        Raises
        ------
        ProjectError
            When the re-measure fails and this is not an admin override with a note, or the problem is
            already closed.
        """

    @abstractmethod
    def reopen_problem(self, problem_id: str, *, editor: str, note: str = "") -> dict:
        """Reopen a closed problem (audited; the closing row stays in the log).

        Parameters
        ----------
        problem_id : str
            The problem key.
        editor : str
            Who reopens it (required).
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

    @abstractmethod
    def closures(self) -> pd.DataFrame:
        """Return the problems closed now (the last action of each is a close).

        Returns
        -------
        pandas.DataFrame
            Columns ``problem_id, closed_in_year, value_before, value_after, editor, ts, note, override``.
        """

    @abstractmethod
    def closure_log(self) -> pd.DataFrame:
        """Return every close and reopen, oldest first.

        Returns
        -------
        pandas.DataFrame
            Columns ``closure_id, problem_id, action, closed_in_year, value_before, value_after, editor, ts,
            note, override``.
        """
