"""城市体检 indicator records (指标填报): warning rules, grades, and records pre-filled from the engine.

A record is one indicator × survey year × scope (``"city"`` or a district adcode as text). The engine's value is
proposed; the bureau fills the rest or overrides the value (kept as 人工填报).

**Warning rule** (per indicator; ``warning_yellow`` / ``warning_red`` of ``geodata/national_indicators.toml`` in the
indicator's unit, else the default from its standard and direction). Higher is better: red when
value < red threshold, yellow when value < yellow threshold. Lower is better: red when value > red threshold,
yellow when value > yellow threshold. Default: yellow threshold = the standard, red threshold = the standard
∓ 20 % (standard × 0.8 when higher is better, × 1.2 when lower is better); so a standard of 0 with lower is better
turns any value above 0 red. No standard and no explicit thresholds → no warning.

**Grade** (评价等级) from attainment of the standard: 很好 = meets it with a margin of at least 10 %
(value ≥ 1.1 × standard, or ≤ 0.9 × standard when lower is better; a value of 0 against a standard of 0);
较好 = meets it; 一般 = misses it without a red warning; 较差 = misses it with a red warning; 无标准 = the
indicator has no standard. A record without a value has no grade yet.
"""

from __future__ import annotations

import math

import pandas as pd

from geodata.stores.records import GRADES, WARNINGS  # noqa: F401 - the vocabulary the stores validate

#: default red band: the standard missed by more than this share
RED_BAND = 0.2
#: margin beyond the standard that makes a grade 很好
VERY_GOOD_MARGIN = 0.1


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def warning_rule(row: dict, standard: float | None = None) -> dict:
    """Return the warning thresholds of a catalogue row (explicit ones, else the default from the standard).

    Parameters
    ----------
    row : dict
        Catalogue row with ``direction`` and optionally ``standard``, ``warning_yellow``, ``warning_red``
        (all in the indicator's unit).
    standard : float, optional
        A standard that replaces the row's (e.g. the one a bureau entered in its record).

    Returns
    -------
    dict
        ``{"direction", "yellow", "red"}``; thresholds in the indicator's unit, None when there is none.
    """
    std = row.get("standard") if standard is None else standard
    yellow, red = row.get("warning_yellow"), row.get("warning_red")
    if not _missing(std):
        std = float(std)
        if yellow is None:
            yellow = std
        if red is None:
            red = round(std * (1 - RED_BAND) if row["direction"] == "higher" else std * (1 + RED_BAND), 12)
    return {"direction": row["direction"], "yellow": yellow, "red": red}


def warning(value: float | None, rule: dict) -> str:
    """Apply a warning rule to a value.

    Parameters
    ----------
    value : float or None
        Indicator value in its unit (None / NaN: no warning).
    rule : dict
        From :func:`warning_rule`.

    Returns
    -------
    str
        "red", "yellow" or "none".

    Examples
    --------
    >>> warning(0.7, {"direction": "higher", "yellow": 0.9, "red": 0.72})
    'red'
    """
    if _missing(value):
        return "none"
    value = float(value)
    higher = rule["direction"] == "higher"
    for level in ("red", "yellow"):
        t = rule.get(level)
        if t is not None and ((value < t) if higher else (value > t)):
            return level
    return "none"


def grade_label(value: float | None, standard: float | None, direction: str, warn: str) -> str | None:
    """Grade a value against its standard (see the module docstring).

    Parameters
    ----------
    value : float or None
        Indicator value in its unit.
    standard : float or None
        The standard (标准值) in the same unit; None means the indicator has none.
    direction : str
        "higher" or "lower" (is better).
    warn : str
        The value's warning ("red", "yellow", "none") from :func:`warning`.

    Returns
    -------
    str or None
        One of :data:`GRADES`; None when there is a standard but no value yet.
    """
    if _missing(standard):
        return "无标准"
    if _missing(value):
        return None
    value, standard = float(value), float(standard)
    if direction == "higher":
        meets = value >= standard
        very = value >= standard * (1 + VERY_GOOD_MARGIN) if standard > 0 else value > standard
    else:
        meets = value <= standard
        very = value <= standard * (1 - VERY_GOOD_MARGIN) if standard > 0 else value <= 0
    if meets:
        return "很好" if very else "较好"
    return "较差" if warn == "red" else "一般"


def assess(row: dict, value: float | None, standard: float | None) -> tuple[str | None, str]:
    """Grade and warning of one value under a catalogue row's rule.

    Parameters
    ----------
    row : dict
        Catalogue row (``direction`` and optional thresholds).
    value : float or None
        The value, in the indicator's unit.
    standard : float or None
        The standard in force for the record (None = 无标准).

    Returns
    -------
    (str or None, str)
        The grade (:func:`grade_label`) and the warning (:func:`warning`).
    """
    w = warning(value, warning_rule({**row, "standard": standard}))
    return grade_label(value, standard, row["direction"], w), w


RECORD_COLUMNS = (
    "year",
    "indicator",
    "scope",
    "value",
    "manual",
    "computed_value",
    "standard",
    "grade",
    "warning",
    "source_level",
    "data_source",
    "department",
    "evidence",
    "status",
    "note",
    "updated_at",
    "updated_by",
    "version",
)


def records_from_evaluation(
    catalogue: list[dict], evaluations: pd.DataFrame, *, year: int, scopes: list[str]
) -> pd.DataFrame:
    """Pre-fill one record per catalogue row and scope from the engine's evaluation of a survey year.

    Parameters
    ----------
    catalogue : list of dict
        Rows of ``geodata/national_indicators.toml`` (``key``, ``method``, ``direction``, ``standard``,
        ``source_level``, ``department``, ``evidence``).
    evaluations : pandas.DataFrame
        Output(s) of :func:`layers.healthcheck.evaluate` for ``year`` at the city level and/or the district
        level (``unit`` = "city" or a district adcode, ``indicator``, ``value``), concatenated.
    year : int
        The survey year.
    scopes : list of str
        "city" and/or district adcodes as text.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`RECORD_COLUMNS`: computed rows carry the engine's value (``computed_value`` too),
        the catalogue standard, grade and warning; rows that need data have no value; ``data_source`` "" (the
        page shows "computed by this product" for an engine value); ``manual`` False,
        ``status`` "草稿", ``evidence`` the checklist with nothing ticked, ``version`` 0 (not stored yet).
    """
    ev = evaluations.assign(unit=evaluations["unit"].astype(str)).set_index(["unit", "indicator"])["value"]
    out = []
    for row in catalogue:
        computed = not str(row["method"]).startswith("needs data:")
        for scope in scopes:
            value = float(ev.get((str(scope), row["method"]), math.nan)) if computed else math.nan
            standard = row.get("standard")
            grade, warn = assess(row, value, standard)
            out.append(
                {
                    "year": int(year),
                    "indicator": row["key"],
                    "scope": str(scope),
                    "value": None if math.isnan(value) else value,
                    "manual": False,
                    "computed_value": None if math.isnan(value) else value,
                    "standard": standard,
                    "grade": grade,
                    "warning": warn,
                    "source_level": row["source_level"],
                    "data_source": "",
                    "department": row["department"],
                    "evidence": [{"item": e, "done": False} for e in row.get("evidence", [])],
                    "status": "草稿",
                    "note": "",
                    "updated_at": None,
                    "updated_by": None,
                    "version": 0,
                }
            )
    return pd.DataFrame(out, columns=list(RECORD_COLUMNS))


def merge_records(prefilled: pd.DataFrame, stored: pd.DataFrame, catalogue: list[dict]) -> pd.DataFrame:
    """Overlay the stored records on the pre-filled ones and re-assess grade and warning.

    A stored record replaces its pre-filled row; a stored record that is not ``manual`` takes the engine's
    current value (the engine re-measures), a manual one keeps the bureau's value. ``computed_value`` is
    always the engine's.

    Parameters
    ----------
    prefilled : pandas.DataFrame
        From :func:`records_from_evaluation`.
    stored : pandas.DataFrame
        The store's records of the same year (columns of :data:`RECORD_COLUMNS`; ``evidence`` a list).
    catalogue : list of dict
        Catalogue rows (for the warning rule of each indicator).

    Returns
    -------
    pandas.DataFrame
        One row per pre-filled record (stored rows of indicators no longer in the catalogue are dropped).
    """
    rows = {r["key"]: r for r in catalogue}
    out = prefilled.set_index(["indicator", "scope"]).copy()
    out = out.astype({c: object for c in out.columns})
    if len(stored):
        for rec in stored.to_dict("records"):
            k = (rec["indicator"], str(rec["scope"]))
            if k not in out.index:
                continue
            computed = out.at[k, "computed_value"]
            for c in RECORD_COLUMNS:
                if c in ("indicator", "scope") or c not in rec:
                    continue
                out.at[k, c] = rec[c]
            out.at[k, "computed_value"] = computed
            if not rec.get("manual"):
                out.at[k, "value"] = computed
    out = out.reset_index()
    graded = [
        assess(rows[i], None if _missing(v) else float(v), None if _missing(s) else float(s))
        for i, v, s in zip(out["indicator"], out["value"], out["standard"])
    ]
    out["grade"] = [g for g, _ in graded]
    out["warning"] = [w for _, w in graded]
    return out[list(RECORD_COLUMNS)]


def scope_records(
    catalogue: list[dict], evaluation: pd.DataFrame, stored: pd.DataFrame, *, year: int, scope: str
) -> pd.DataFrame:
    """Build the records of one scope and year as shown and reported (pre-filled, stored ones laid over).

    Parameters
    ----------
    catalogue : list of dict
        Rows of the national catalogue.
    evaluation : pandas.DataFrame
        :func:`layers.healthcheck.evaluate` of ``year`` at the city level (scope "city") or the district level.
    stored : pandas.DataFrame
        The store's records of ``year`` (any scopes; other scopes are ignored).
    year : int
        The survey year.
    scope : str
        "city" or a district adcode as text.

    Returns
    -------
    pandas.DataFrame
        :func:`merge_records` of :func:`records_from_evaluation` and the stored records of the scope.
    """
    pre = records_from_evaluation(catalogue, evaluation, year=year, scopes=[scope])
    if len(stored):
        stored = stored[stored["scope"].astype(str) == str(scope)]
    return merge_records(pre, stored, catalogue)


def record_problems(records: pd.DataFrame, catalogue: list[dict]) -> pd.DataFrame:
    """List the 问题台账 items that come from filled-in records: red / yellow warnings the engine cannot place.

    A computed indicator's warning is already a problem in every failing unit (``layers.healthcheck.problems``
    uses the same rule: yellow = misses the standard by at most 20 %, red = by more). An indicator the bureau
    fills in (``needs data``, or a value overridden by hand) has no units, so its warning becomes one problem
    for the record's scope (the city or a district), with problem id ``"year|record|scope|indicator"``.

    Parameters
    ----------
    records : pandas.DataFrame
        Records of one or more scopes (:func:`scope_records`).
    catalogue : list of dict
        Rows of the national catalogue (``key``, ``method``).

    Returns
    -------
    pandas.DataFrame
        ``problem_id, year, scope, indicator, value, standard, warning, department``, red first.
    """
    computed = {r["key"] for r in catalogue if not str(r["method"]).startswith("needs data:")}
    cols = ["problem_id", "year", "scope", "indicator", "value", "standard", "warning", "department"]
    if records.empty:
        return pd.DataFrame(columns=cols)
    warned = records[records["warning"].isin(["red", "yellow"])]
    manual = warned["manual"].map(lambda v: False if _missing(v) else bool(v)).astype(bool)
    own = warned[manual | ~warned["indicator"].isin(computed)].copy()
    own["problem_id"] = [
        f"{int(y)}|record|{s}|{i}" for y, s, i in zip(own["year"], own["scope"], own["indicator"])
    ]
    own["order"] = own["warning"].map({"red": 0, "yellow": 1})
    return own.sort_values(["order", "scope", "indicator"])[cols].reset_index(drop=True)
