"""The project-library contract: what every store does, the fields it keeps, and how a record is checked.

A store saves each change in one transaction. Each project row carries a ``version``; an update names
the version it was based on and is refused with :class:`ConflictError` when someone else saved in
between — never a silent overwrite. Every accepted change writes audit rows (time, editor, field,
old → new). Undo re-applies the old values of the last change as a new, audited change, so history
stays append-only. :mod:`geodata.stores.sqlite` (embedded) and :mod:`geodata.stores.postgis` (bureau
server) are the two implementations.
"""

from __future__ import annotations

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


def validate_fields(fields: dict) -> list[str]:
    """List every problem of a set of project fields.

    Parameters
    ----------
    fields : dict
        Some or all of :data:`COLUMNS`; only the fields present are checked. ``budget_wan`` is in
        10 000 CNY (≥ 0); years are calendar years in [1949, 2100].

    Returns
    -------
    list of str
        One message per problem (``"field: …"``, Chinese / English); empty when valid.
    """
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
    """Turn empty text fields into "" (ledgers leave them blank); numbers stay numbers.

    Parameters
    ----------
    fields : dict
        Field → value.

    Returns
    -------
    dict
        A new dict.
    """
    return {
        k: ("" if k in TEXT_FIELDS and (v is None or (isinstance(v, float) and pd.isna(v))) else v)
        for k, v in fields.items()
    }


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
    def create(self, fields: dict, *, editor: str) -> dict:
        """Create a project (version 1) and audit it.

        Parameters
        ----------
        fields : dict
            Fields of :data:`COLUMNS` (others ignored); unspecified ones take :data:`DEFAULTS`.
        editor : str
            Who makes the change (required).

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

    def undo_last(self, *, editor: str, project_id: str | None = None) -> dict | None:
        """Revert the last update (of one project, or overall) as a new audited change.

        Parameters
        ----------
        editor : str
            Who undoes (required).
        project_id : str, optional
            Limit to this project's last change.

        Returns
        -------
        dict or None
            The record after the undo; None when there is nothing to undo.

        Raises
        ------
        ConflictError
            When the project changed while undoing.
        """
        aud = self.audit()
        aud = aud[(aud["action"] == "update") & aud["field"].notna()]
        if project_id is not None:
            aud = aud[aud["project_id"] == project_id]
        if aud.empty:
            return None
        last = aud[aud["change_id"] == aud["change_id"].max()]
        pid = str(last["project_id"].iloc[0])
        current = self.get(pid)
        revert = {r.field: parse_audit_value(r.field, r.old_value) for r in last.itertuples()}
        return self.update(pid, revert, expected_version=current["version"], editor=editor)
