"""Named planning scenarios (方案) kept in the project store: what one scenario holds and how it is checked.

A scenario is a name (unique), a description, an optional base survey year and three sets of changes to
the workspace's facilities: *added* facilities (type, name, lon/lat in WGS84 / EPSG:4326, optional
capacity), *removed* facility ids, and *completed* library projects (project id and, optionally, the
facility type its geometry becomes). The changes are stored as one JSON text column so SQLite and
PostgreSQL keep the same row; :func:`check_scenario` runs before either store writes, collecting every
problem (Chinese / English), like :func:`geodata.stores.contract.validate_fields` for projects.

Text is kept as typed (it is escaped where it is shown: maps, markdown, spreadsheets); only NUL bytes and
other control characters are refused.
"""

from __future__ import annotations

import json
import math
import numbers

#: longest scenario name (characters)
NAME_MAX = 80
#: longest description (characters)
DESCRIPTION_MAX = 2000
#: survey years a scenario may be based on (inclusive)
BASE_YEAR_RANGE = (1949, 2100)
#: the keys of a scenario's change set
SPEC_KEYS = ("added", "removed", "completed")


def _control(text: str, *, allow_newline: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newline else set()
    return any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in text)


def _number(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(float(v))


def check_scenario(record: dict) -> tuple[dict, list[str]]:
    """Clean a scenario record and list every problem.

    Parameters
    ----------
    record : dict
        ``name`` (str), ``description`` (str, optional), ``base_year`` (int or None) and ``added``
        (list of dicts with ``type``, ``name``, ``lon``, ``lat`` in degrees EPSG:4326, optional
        ``capacity`` ≥ 0), ``removed`` (list of facility ids) and ``completed`` (list of dicts with
        ``project_id`` and optional ``type``).

    Returns
    -------
    clean : dict
        The record with stripped text, ``base_year`` as int or None and the three lists normalised.
    problems : list of str
        One ``"field: …"`` message (Chinese / English) per problem; empty when valid.
    """
    problems: list[str] = []
    name = str(record.get("name") or "").strip()
    if not name:
        problems.append("name: 方案名称不能为空 / the name is empty")
    elif _control(name):
        problems.append("name: 含有空字符或控制字符 / contains a NUL byte or control character")
    elif len(name) > NAME_MAX:
        problems.append(f"name: 超过 {NAME_MAX} 个字符 / longer than {NAME_MAX} characters")
    desc = str(record.get("description") or "")
    if _control(desc, allow_newline=True):
        problems.append("description: 含有空字符或控制字符 / contains a NUL byte or control character")
    elif len(desc) > DESCRIPTION_MAX:
        problems.append(
            f"description: 超过 {DESCRIPTION_MAX} 个字符 / longer than {DESCRIPTION_MAX} characters"
        )
    year = record.get("base_year")
    if year is not None and not (isinstance(year, str) and not year.strip()):
        lo, hi = BASE_YEAR_RANGE
        try:
            year = int(year) if float(year) == int(float(year)) else None
        except (TypeError, ValueError):
            year = None
        if year is None or not lo <= year <= hi:
            problems.append(
                f"base_year: {record.get('base_year')!r} 不是 {lo}–{hi} 的年份 / not a year {lo}–{hi}"
            )
    else:
        year = None
    added = []
    for i, f in enumerate(record.get("added") or [], start=1):
        where = f"added[{i}]"
        if not isinstance(f, dict):
            problems.append(f"{where}: 不是设施记录 / not a facility record")
            continue
        ftype = str(f.get("type") or "").strip()
        fname = str(f.get("name") or "").strip()
        if not ftype or _control(ftype):
            problems.append(f"{where}.type: 设施类型为空或含控制字符 / empty or contains a control character")
        if _control(fname):
            problems.append(f"{where}.name: 含有空字符或控制字符 / contains a NUL byte or control character")
        lon, lat = f.get("lon"), f.get("lat")
        if not (_number(lon) and _number(lat) and -180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
            problems.append(
                f"{where}: 经纬度 {lon!r}, {lat!r} 无效（WGS84） / invalid lon/lat {lon!r}, {lat!r} (WGS84)"
            )
            continue
        cap = f.get("capacity")
        if cap is not None and not (isinstance(cap, float) and math.isnan(cap)):
            if not (_number(cap) and float(cap) >= 0):
                problems.append(f"{where}.capacity: {cap!r} 须为不小于 0 的数 / must be a number ≥ 0")
                continue
            cap = float(cap)
        else:
            cap = None
        added.append({"type": ftype, "name": fname, "lon": float(lon), "lat": float(lat), "capacity": cap})
    removed = []
    for v in record.get("removed") or []:
        v = str(v).strip()
        if _control(v):
            problems.append("removed: 设施编号含控制字符 / a facility id contains a control character")
        elif v and v not in removed:
            removed.append(v)
    completed = []
    for i, c in enumerate(record.get("completed") or [], start=1):
        c = c if isinstance(c, dict) else {"project_id": c}
        pid = str(c.get("project_id") or "").strip()
        ftype = c.get("type")
        ftype = str(ftype).strip() if ftype not in (None, "") else None
        if not pid or _control(pid) or (ftype and _control(ftype)):
            problems.append(
                f"completed[{i}]: 项目编号为空或含控制字符 / empty project id or control character"
            )
            continue
        if pid not in [x["project_id"] for x in completed]:
            completed.append({"project_id": pid, "type": ftype})
    clean = {
        "name": name,
        "description": desc,
        "base_year": year,
        "added": added,
        "removed": removed,
        "completed": completed,
    }
    return clean, problems


def spec_json(clean: dict) -> str:
    """Serialise the change set of a checked scenario (the ``spec`` column).

    Parameters
    ----------
    clean : dict
        A record from :func:`check_scenario`.

    Returns
    -------
    str
        JSON with the keys of :data:`SPEC_KEYS` (non-ASCII kept).
    """
    return json.dumps({k: clean[k] for k in SPEC_KEYS}, ensure_ascii=False, sort_keys=True)


def from_row(row: dict) -> dict:
    """Turn a stored ``scenarios`` row into a scenario record (the change set parsed).

    Parameters
    ----------
    row : dict
        Columns ``name, description, base_year, spec, created_at, updated_at, updated_by, version``.

    Returns
    -------
    dict
        The row with ``spec`` replaced by ``added``, ``removed`` and ``completed``.
    """
    spec = json.loads(row.get("spec") or "{}")
    out = {k: v for k, v in row.items() if k != "spec"}
    year = out.get("base_year")
    out["base_year"] = None if year is None or (isinstance(year, float) and math.isnan(year)) else int(year)
    for k in SPEC_KEYS:
        out[k] = list(spec.get(k, []))
    return out
