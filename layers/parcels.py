"""Renewal parcel filters and summaries (pure; one filter drives map, table and totals together)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class ParcelFilter:
    """Filter settings; ``None`` / empty means "no restriction"."""

    types: tuple[str, ...] = ()
    districts: tuple[int, ...] = ()
    build_year: tuple[int, int] | None = None
    statuses: tuple[str, ...] = ()
    decisions: tuple[str, ...] = ()
    score: tuple[float, float] | None = None


def filter_mask(parcels: pd.DataFrame, flt: ParcelFilter, *, scores: pd.Series | None = None) -> pd.Series:
    """Boolean mask of the parcels passing ``flt`` (``scores`` indexed like ``parcels``)."""
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
    """Count, total area (m² → hectares) and budget (万元) of parcels grouped by ``by`` columns."""
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
    """Map-click handler: ``parcel_id`` of the parcel (EPSG:4326) containing the point, else None."""
    from shapely.geometry import Point

    if lon is None or lat is None:
        return None
    hits = parcels[parcels.geometry.contains(Point(float(lon), float(lat)))]
    return str(hits.iloc[0]["parcel_id"]) if len(hits) else None
