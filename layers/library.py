"""Project-library analysis: filters, budget summaries, the timeline and "why #N" (pure pandas).

The project library (one row per project, the columns of ``geodata.stores.COLUMNS``) comes in as a
DataFrame; every function returns a new frame and never mutates its input. Money is in 万元 (10,000 CNY,
``budget_wan``), years are calendar years, times are ISO-8601 strings stored in UTC.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.spreadsheet import FORMULA_START, formula_safe

__all__ = ["FORMULA_START", "formula_safe"]  # the one spreadsheet guard, re-exported for pages

#: the time zone planners read times in (DOMAIN: Jiangxi)
LOCAL_TZ = "Asia/Shanghai"


def filter_projects(
    lib: pd.DataFrame,
    *,
    statuses: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    districts: tuple[int, ...] = (),
    years: tuple[int, int] | None = None,
    text: str = "",
) -> pd.DataFrame:
    """Projects passing every given filter (an empty filter does not restrict).

    Parameters
    ----------
    lib : pandas.DataFrame
        The project library (``status``, ``category``, ``district_adcode``, ``start_year``, ``end_year``,
        ``project_id``, ``name``, ``owner_unit``, ``notes``, ``parcel_id``).
    statuses, categories : tuple of str
        Keep projects with one of these values.
    districts : tuple of int
        Keep projects in one of these district adcodes.
    years : (int, int), optional
        Keep projects whose span ``start_year … end_year`` (years, inclusive; a missing end = the start)
        overlaps this range; projects without a start year are dropped when a range is given.
    text : str
        Case-insensitive substring searched in id, name, owner unit, notes and parcel id.

    Returns
    -------
    pandas.DataFrame
        The matching rows, in the input order.
    """
    mask = pd.Series(True, index=lib.index)
    if statuses:
        mask &= lib["status"].isin(statuses)
    if categories:
        mask &= lib["category"].isin(categories)
    if districts:
        mask &= pd.to_numeric(lib["district_adcode"], errors="coerce").isin(districts)
    if years is not None:
        lo, hi = years
        if lo > hi:
            raise ValueError(f"year range {years} starts after it ends")
        start = pd.to_numeric(lib["start_year"], errors="coerce")
        end = pd.to_numeric(lib["end_year"], errors="coerce").fillna(start)
        mask &= start.notna() & (start <= hi) & (end >= lo)
    needle = text.strip().lower()
    if needle:
        cols = [c for c in ("project_id", "name", "owner_unit", "notes", "parcel_id") if c in lib]
        hay = lib[cols].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
        mask &= hay.str.contains(needle, regex=False)
    return lib[mask]


def year_span(lib: pd.DataFrame) -> tuple[int, int] | None:
    """Earliest start and latest end year of the library (years), or None when no project has a year."""
    years = pd.concat(
        [pd.to_numeric(lib["start_year"], errors="coerce"), pd.to_numeric(lib["end_year"], errors="coerce")]
    ).dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def budget_by_year(lib: pd.DataFrame) -> pd.DataFrame:
    """Budget per calendar year and status, each project's budget spread evenly over its years.

    A project running 2024–2026 with 300 万元 adds 100 万元 to each of 2024, 2025 and 2026 (an assumption
    the page states); a project without an end year counts in its start year; projects without a start
    year are left out (see :func:`unscheduled`).

    Parameters
    ----------
    lib : pandas.DataFrame
        The project library (``budget_wan`` in 万元, ``start_year``, ``end_year``, ``status``).

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (int), ``status``, ``budget_wan`` (万元), ``projects`` (count of projects active in
        that year), sorted by year and status.
    """
    rows = []
    for r in lib.itertuples(index=False):
        start = _int_or_none(r.start_year)
        if start is None:
            continue
        end = _int_or_none(r.end_year)
        end = start if end is None or end < start else end
        n = end - start + 1
        share = float(r.budget_wan or 0.0) / n
        rows += [(year, r.status, share) for year in range(start, end + 1)]
    if not rows:
        return pd.DataFrame(
            {
                "year": pd.Series(dtype=int),
                "status": pd.Series(dtype=object),
                "budget_wan": [],
                "projects": [],
            }
        )
    df = pd.DataFrame(rows, columns=["year", "status", "budget_wan"])
    out = df.groupby(["year", "status"], as_index=False).agg(
        budget_wan=("budget_wan", "sum"), projects=("budget_wan", "size")
    )
    return out.sort_values(["year", "status"]).reset_index(drop=True)


def budget_by_district(lib: pd.DataFrame) -> pd.DataFrame:
    """Total budget (万元) and project count per district adcode and status.

    Parameters
    ----------
    lib : pandas.DataFrame
        The project library (``district_adcode``, ``status``, ``budget_wan`` in 万元). Projects without a
        district get adcode ``-1`` (shown as "unknown district").

    Returns
    -------
    pandas.DataFrame
        Columns ``district_adcode`` (int), ``status``, ``budget_wan`` (万元), ``projects`` (count).
    """
    if lib.empty:
        return pd.DataFrame(columns=["district_adcode", "status", "budget_wan", "projects"])
    df = lib.assign(
        district_adcode=pd.to_numeric(lib["district_adcode"], errors="coerce").fillna(-1).astype(int),
        budget_wan=pd.to_numeric(lib["budget_wan"], errors="coerce").fillna(0.0),
    )
    out = df.groupby(["district_adcode", "status"], as_index=False).agg(
        budget_wan=("budget_wan", "sum"), projects=("project_id", "size")
    )
    return out.sort_values(["district_adcode", "status"]).reset_index(drop=True)


def pivot_summary(summary: pd.DataFrame, by: str, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Pivot a summary: one row per ``by`` value, one budget column (万元) per status, and a total.

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`budget_by_year` (``by="year"``) or :func:`budget_by_district`.
    by : str
        The row column.
    statuses : tuple of str
        Status columns in order (all shown, zero when absent).

    Returns
    -------
    pandas.DataFrame
        Index ``by``; columns ``statuses`` and ``total`` (万元), sorted by the index.
    """
    if summary.empty:
        return pd.DataFrame(columns=[*statuses, "total"], dtype=float)
    table = summary.pivot_table(
        index=by, columns="status", values="budget_wan", aggfunc="sum", fill_value=0.0
    )
    table = table.reindex(columns=list(statuses), fill_value=0.0).astype(float)
    table["total"] = table.sum(axis=1)
    return table.sort_index()


def unscheduled(lib: pd.DataFrame) -> pd.DataFrame:
    """Projects without a start year (they are on no timeline and in no yearly budget)."""
    return lib[pd.to_numeric(lib["start_year"], errors="coerce").isna()]


def timeline(lib: pd.DataFrame) -> pd.DataFrame:
    """One bar per scheduled project: ``start`` … ``end`` years (a missing end = the start year).

    Parameters
    ----------
    lib : pandas.DataFrame
        The project library.

    Returns
    -------
    pandas.DataFrame
        Columns ``project_id``, ``name``, ``status``, ``start`` (int), ``end`` (int, inclusive) and
        ``end_excl`` (``end + 1``, where the bar stops on a year axis), sorted by start, end and id.
    """
    start = pd.to_numeric(lib["start_year"], errors="coerce")
    end = pd.to_numeric(lib["end_year"], errors="coerce").fillna(start)
    keep = start.notna()
    out = pd.DataFrame(
        {
            "project_id": lib.loc[keep, "project_id"].astype(str),
            "name": lib.loc[keep, "name"].astype(str),
            "status": lib.loc[keep, "status"],
            "start": start[keep].astype(int),
            "end": np.maximum(end[keep], start[keep]).astype(int),
        }
    )
    out["end_excl"] = out["end"] + 1
    return out.sort_values(["start", "end", "project_id"]).reset_index(drop=True)


def project_outlines(lib: pd.DataFrame, parcels: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Outline every project that has one: its own ``geometry_wkt``, else its linked parcel's geometry.

    ``geometry_wkt`` is EPSG:4326, as the store keeps it.

    Parameters
    ----------
    lib : pandas.DataFrame
        The project library (``geometry_wkt``, ``parcel_id``).
    parcels : geopandas.GeoDataFrame
        Renewal parcels with ``parcel_id`` (any CRS; reprojected to EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        The library rows with a geometry (EPSG:4326); projects with neither are left out
        (``len(lib) - len(result)`` of them).
    """
    wkt = lib["geometry_wkt"] if "geometry_wkt" in lib else pd.Series(None, index=lib.index)
    own = shapely.from_wkt(
        wkt.where(wkt.notna() & (wkt.astype(str).str.strip() != ""), None), on_invalid="ignore"
    )
    geoms = pd.Series(own, index=lib.index, dtype=object)
    by_parcel = parcels.to_crs("EPSG:4326").set_index(parcels["parcel_id"].astype(str)).geometry
    linked = lib["parcel_id"].map(lambda p: by_parcel.get(str(p)) if p is not None and pd.notna(p) else None)
    geoms = geoms.where(geoms.notna(), linked)
    keep = geoms.notna()
    return gpd.GeoDataFrame(lib[keep].copy(), geometry=list(geoms[keep]), crs="EPSG:4326")


def local_time(ts, tz: str = LOCAL_TZ) -> str:
    """Format a stored UTC ISO time as local wall-clock text ``YYYY-MM-DD HH:MM`` (Asia/Shanghai).

    Naive times are taken as UTC; a missing or unreadable value gives "—".
    """
    if ts is None or (isinstance(ts, float) and np.isnan(ts)) or ts == "":
        return "—"
    try:
        stamp = pd.Timestamp(ts)
    except (ValueError, TypeError):
        return "—"
    if stamp is pd.NaT:
        return "—"
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize("UTC")
    return stamp.tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def why_rank(
    crit: pd.DataFrame, scored: pd.DataFrame, parcel_id: str, weights: dict[str, float]
) -> pd.DataFrame:
    """Why a parcel ranks where it does: every weighted criterion, sorted by contribution.

    Parameters
    ----------
    crit : pandas.DataFrame
        Raw criterion values per parcel (index ``parcel_id``; ``layers.screening.criteria_table``).
    scored : pandas.DataFrame
        ``layers.screening.score(crit, weights)`` (``rank``, ``contrib_<criterion>`` in points).
    parcel_id : str
        The parcel to explain.
    weights : dict
        Criterion → weight (every criterion listed is shown, zero weights last).

    Returns
    -------
    pandas.DataFrame
        One row per criterion: ``criterion``, ``value`` (the parcel's raw value, criterion unit),
        ``median`` (over all parcels), ``top1`` (value of the rank-1 parcel), ``weight``,
        ``contribution`` (points of the 0–100 score), sorted by contribution (descending), then weight.
    """
    if parcel_id not in scored.index:
        raise ValueError(f"parcel {parcel_id!r} is not in the scored table")
    top1 = scored.index[scored["rank"].to_numpy() == 1][0]
    rows = []
    for key, weight in weights.items():
        values = pd.to_numeric(crit[key], errors="coerce").replace([np.inf, -np.inf], np.nan)
        rows.append(
            {
                "criterion": key,
                "value": float(values.loc[parcel_id]),
                "median": float(values.median()),
                "top1": float(values.loc[top1]),
                "weight": float(weight),
                "contribution": float(scored.at[parcel_id, f"contrib_{key}"])
                if f"contrib_{key}" in scored
                else 0.0,
            }
        )
    out = pd.DataFrame(rows, columns=["criterion", "value", "median", "top1", "weight", "contribution"])
    return out.sort_values(["contribution", "weight"], ascending=False, kind="stable").reset_index(drop=True)


def _int_or_none(v) -> int | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else int(f)
