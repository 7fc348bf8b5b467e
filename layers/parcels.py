"""Renewal parcel filters and summaries (pure; one filter drives map, table and totals together)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class ParcelFilter:
    """Renewal-parcel filter settings; ``None`` / empty means "no restriction".

    Attributes
    ----------
    types : tuple of str
        Accepted ``parcel_type`` values.
    districts : tuple of int
        Accepted ``district_adcode`` values.
    build_year : tuple of (int, int) or None
        Inclusive range of ``build_year`` (years).
    statuses : tuple of str
        Accepted ``status`` values.
    decisions : tuple of str
        Accepted ``decision`` values.
    score : tuple of (float, float) or None
        Inclusive range of the screening score (0–100); needs ``scores`` in :func:`filter_mask`.
    """

    types: tuple[str, ...] = ()
    districts: tuple[int, ...] = ()
    build_year: tuple[int, int] | None = None
    statuses: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    score: tuple[float, float] | None = None


def filter_mask(parcels: pd.DataFrame, flt: ParcelFilter, *, scores: pd.Series | None = None) -> pd.Series:
    """Return the boolean mask of the parcels passing a filter.

    One mask drives the map, the table and the totals together.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Renewal parcels with the columns the active settings use (``parcel_type``, ``district_adcode``,
        ``build_year``, ``status``, ``decision``).
    flt : ParcelFilter
        The filter settings.
    scores : pandas.Series, optional
        Screening score (0–100) per parcel, indexed like ``parcels``; needed when ``flt.score`` is set
        (parcels without a score fail the range).

    Returns
    -------
    pandas.Series
        Booleans indexed like ``parcels``.

    Raises
    ------
    ValueError
        If a score range is set but ``scores`` is None.
    """
    mask = pd.Series(True, index=parcels.index)
    if flt.types:
        mask &= parcels["parcel_type"].isin(flt.types)
    if flt.districts:
        mask &= parcels["district_adcode"].isin(flt.districts)
    if flt.build_year is not None:
        lo, hi = flt.build_year
        mask &= parcels["build_year"].between(lo, hi)
    if flt.statuses:
        mask &= parcels["status"].isin(flt.statuses)
    if flt.decisions:
        mask &= parcels["decision"].isin(flt.decisions)
    if flt.score is not None:
        if scores is None:
            raise ValueError("a score range was given but no scores")
        lo, hi = flt.score
        mask &= scores.reindex(parcels.index).between(lo, hi)
    return mask


def summary(parcels: pd.DataFrame, *, by: list[str]) -> pd.DataFrame:
    """Summarise parcel count, total area and budget per group.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Parcels with ``area_m2`` (m²) and ``budget_wan`` (万元) columns and the ``by`` columns.
    by : list of str
        Columns to group by.

    Returns
    -------
    pandas.DataFrame
        Columns ``*by, count, area_ha`` (hectares) and ``budget_wan`` (万元), sorted by ``by``; empty (with
        those columns) when ``parcels`` is empty.
    """
    if parcels.empty:
        return pd.DataFrame(columns=[*by, "count", "area_ha", "budget_wan"])
    grouped = parcels.groupby(by, observed=True)
    out = pd.DataFrame(
        {
            "count": grouped.size(),
            "area_ha": grouped["area_m2"].sum() / 1e4,
            "budget_wan": grouped["budget_wan"].sum(),
        }
    ).reset_index()
    return out.sort_values(by).reset_index(drop=True)


def parcel_at(lon: float, lat: float, parcels) -> str | None:
    """Return the ``parcel_id`` of the parcel containing a clicked point (map-click handler).

    Parameters
    ----------
    lon, lat : float
        Clicked point in EPSG:4326 lon/lat degrees; None gives None.
    parcels : geopandas.GeoDataFrame
        Parcels in EPSG:4326 with a ``parcel_id`` column.

    Returns
    -------
    str or None
        The ``parcel_id`` of the first containing parcel, or None when no parcel contains the point.
    """
    from shapely.geometry import Point

    if lon is None or lat is None:
        return None
    hits = parcels[parcels.geometry.contains(Point(float(lon), float(lat)))]
    return str(hits.iloc[0]["parcel_id"]) if len(hits) else None
