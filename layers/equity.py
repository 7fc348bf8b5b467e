"""一老一小 equity: coverage per age group, its fairness, and the compounds (小区) left behind.

Residents are the compounds' residents by age group (``children_0_3``, ``children_3_6``, ``children_6_12``,
``elderly_60``, ``elderly_80``; :data:`geodata.schema.AGE_GROUPS`), placed at each compound's
representative point (a point inside the polygon). Each age group is matched with the facility type that
serves it (:data:`AGE_FACILITY`); a compound's group is *served* when the straight-line distance from that
point to the nearest facility of the type is ≤ the type's catalogue radius (GB 50180-2018; 托育 and 日间照料
5-min = 300 m, kindergarten 300 m, primary school 500 m, 养老院 1000 m). Residents outside compounds
(scattered housing, villages) are not counted here. All geometry in one metric CRS (metres).

Fairness figure — the Erreygers-corrected concentration index of coverage ranked by housing age
(:func:`concentration_index`)::

    E = 8 / W · Σ_i w_i (h_i − μ)(r_i − ½)

with, per compound i, w_i residents of the age group, h_i ∈ {0, 1} served, μ = Σ w_i h_i / W the group's
coverage, W = Σ w_i, and r_i the fractional rank of the compound's residents when compounds are ordered
from the oldest build year (most deprived) to the newest: r_i = (residents in older compounds + w_i / 2) / W
(tied build years share their mean rank). E lies in [−1, 1]; 0 = coverage unrelated to housing age;
E > 0 = coverage concentrated among residents of newer compounds, i.e. residents of old compounds
(the renewal target, a proxy for deprivation) are served less; E < 0 = the opposite.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.coverage import nearest_distance_m
from layers.crs import require_metric

#: age group → the facility type that serves it (catalogue keys)
AGE_FACILITY: dict[str, str] = {
    "children_0_3": "nursery",
    "children_3_6": "kindergarten",
    "children_6_12": "primary_school",
    "elderly_60": "elderly_daycare",
    "elderly_80": "elderly_home",
}
AGE_GROUPS = tuple(AGE_FACILITY)


def _groups_present(compounds: pd.DataFrame, groups) -> list[str]:
    groups = list(groups or AGE_GROUPS)
    unknown = [g for g in groups if g not in AGE_FACILITY]
    if unknown:
        raise ValueError(f"unknown age group(s) {unknown}; known: {list(AGE_FACILITY)}")
    missing = [g for g in groups if g not in compounds.columns]
    if missing:
        raise ValueError(f"compounds have no age-group column(s) {missing}")
    return groups


def served_compounds(
    compounds: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    radii_m: Mapping[str, float],
    *,
    groups=None,
    year: int | None = None,
) -> pd.DataFrame:
    """Distance to the matching facility and the served flag of every compound and age group.

    Parameters
    ----------
    compounds : geopandas.GeoDataFrame
        Compounds (polygons or points) in a metric CRS (metres), with ``compound_id`` and the age-group
        columns (residents, persons).
    facilities : geopandas.GeoDataFrame
        Facility points in the same metric CRS, with ``type`` (and optionally ``opened_year``).
    radii_m : Mapping of str to float
        Facility type → service radius in metres (the catalogue's).
    groups : iterable of str, optional
        Age groups to evaluate (default all of :data:`AGE_GROUPS`).
    year : int, optional
        Survey year: facilities with ``opened_year`` > year are left out (all count when None or when the
        column is absent).

    Returns
    -------
    pandas.DataFrame
        Long table, one row per compound and group: ``compound_id, group, facility_type, residents``
        (persons), ``distance_m`` (straight line, ``inf`` when the type has no facility), ``radius_m`` and
        ``served`` (bool, distance ≤ radius).

    Raises
    ------
    ValueError
        If a layer is not in a metric CRS, a group is unknown or its column missing, or a radius is not
        positive.
    """
    require_metric(compounds, "compounds")
    require_metric(facilities, "facilities")
    groups = _groups_present(compounds, groups)
    geom = compounds.geometry
    if len(geom) and not (geom.geom_type == "Point").all():
        geom = geom.representative_point()
    xy = shapely.get_coordinates(geom.values)
    fac = facilities
    if year is not None and "opened_year" in fac.columns:
        fac = fac[~(fac["opened_year"] > year)]  # NULL = not stated (e.g. imported later): counted
    frames = []
    for g in groups:
        ftype = AGE_FACILITY[g]
        radius = float(radii_m[ftype])
        if not radius > 0:
            raise ValueError(f"radius of {ftype} must be positive, got {radius!r} m")
        f = fac[fac["type"] == ftype]
        dist, _ = nearest_distance_m(xy, shapely.get_coordinates(f.geometry.values))
        residents = pd.to_numeric(compounds[g], errors="coerce").fillna(0.0).to_numpy(float)
        frames.append(
            pd.DataFrame(
                {
                    "compound_id": compounds["compound_id"].astype(str).to_numpy(),
                    "group": g,
                    "facility_type": ftype,
                    "residents": residents,
                    "distance_m": dist,
                    "radius_m": radius,
                    "served": dist <= radius,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def coverage_by_subdistrict(
    served: pd.DataFrame, compounds: pd.DataFrame, communities: pd.DataFrame
) -> pd.DataFrame:
    """Coverage of each age group per 街道 (subdistrict), population-weighted.

    Parameters
    ----------
    served : pandas.DataFrame
        Output of :func:`served_compounds`.
    compounds : pandas.DataFrame
        Compounds with ``compound_id`` and ``community_id``.
    communities : pandas.DataFrame
        Communities with ``community_id`` and ``subdistrict_id``.

    Returns
    -------
    pandas.DataFrame
        One row per subdistrict and group: ``subdistrict_id, group, residents, served`` (persons) and
        ``share`` (served / residents, NaN when the subdistrict has no residents of the group). Compounds
        whose community is unknown are grouped under ``subdistrict_id`` "".
    """
    sub_of = communities.set_index(communities["community_id"].astype(str))["subdistrict_id"].astype(str)
    comm = compounds.set_index(compounds["compound_id"].astype(str))["community_id"].astype(str)
    sid = served["compound_id"].map(comm).map(sub_of).fillna("")
    df = served.assign(subdistrict_id=sid.to_numpy(), served_res=served["residents"] * served["served"])
    out = (
        df.groupby(["subdistrict_id", "group"], sort=True)
        .agg(residents=("residents", "sum"), served=("served_res", "sum"))
        .reset_index()
    )
    out["share"] = out["served"] / out["residents"].where(out["residents"] > 0)
    return out


def city_coverage(served: pd.DataFrame) -> pd.DataFrame:
    """City-wide coverage per age group.

    Parameters
    ----------
    served : pandas.DataFrame
        Output of :func:`served_compounds`.

    Returns
    -------
    pandas.DataFrame
        Index ``group``; columns ``facility_type``, ``radius_m``, ``residents``, ``served`` (persons),
        ``unserved`` (persons) and ``share`` (0…1, NaN without residents).
    """
    df = served.assign(served_res=served["residents"] * served["served"])
    out = df.groupby("group", sort=False).agg(
        facility_type=("facility_type", "first"),
        radius_m=("radius_m", "first"),
        residents=("residents", "sum"),
        served=("served_res", "sum"),
    )
    out["unserved"] = out["residents"] - out["served"]
    out["share"] = out["served"] / out["residents"].where(out["residents"] > 0)
    return out


def concentration_index(served01: np.ndarray, weights: np.ndarray, rank_by: np.ndarray) -> float:
    """Erreygers-corrected concentration index of a binary outcome ranked by a deprivation proxy.

    ``E = 8 / W · Σ_i w_i (h_i − μ)(r_i − ½)``, with μ the weighted mean of h, W = Σ w_i and r_i the
    weighted fractional rank in ascending ``rank_by`` order (the most deprived first): r_i = (weight of
    units ranked before i + w_i / 2) / W; units with equal ``rank_by`` share the weighted mean of their
    ranks. E ∈ [−1, 1]; E > 0 = the outcome is concentrated among the less deprived (higher ``rank_by``).

    Parameters
    ----------
    served01 : numpy.ndarray
        Shape (n,), outcome per unit in [0, 1] (1 = served).
    weights : numpy.ndarray
        Shape (n,), non-negative weights (residents of the age group, persons).
    rank_by : numpy.ndarray
        Shape (n,), deprivation proxy ordering the units, most deprived lowest (e.g. build year).

    Returns
    -------
    float
        The index, NaN when the weights sum to 0.

    Raises
    ------
    ValueError
        If the arrays differ in length, a weight is negative or an outcome lies outside [0, 1].
    """
    h = np.asarray(served01, dtype=float)
    w = np.asarray(weights, dtype=float)
    x = np.asarray(rank_by, dtype=float)
    if not (len(h) == len(w) == len(x)):
        raise ValueError(f"arrays differ in length: {len(h)}, {len(w)}, {len(x)}")
    if (w < 0).any() or np.isnan(w).any():
        raise ValueError("weights (residents) must be non-negative numbers")
    if ((h < 0) | (h > 1)).any():
        raise ValueError("the outcome must lie in [0, 1]")
    total = w.sum()
    if total <= 0:
        return float("nan")
    order = np.argsort(x, kind="stable")
    ws, xs = w[order], x[order]
    before = np.cumsum(ws) - ws
    r_sorted = (before + ws / 2.0) / total
    # ties share the weighted mean rank of their group (equal weights: the plain mean)
    tied = pd.DataFrame({"x": xs, "w": ws, "rw": r_sorted * ws})
    grp = tied.groupby("x")[["w", "rw"]].transform("sum")
    r_sorted = np.where(grp["w"] > 0, grp["rw"] / grp["w"].where(grp["w"] > 0), r_sorted)
    r = np.empty_like(r_sorted)
    r[order] = r_sorted
    mu = (w * h).sum() / total
    return float(8.0 / total * (w * (h - mu) * (r - 0.5)).sum())


def fairness(served: pd.DataFrame, compounds: pd.DataFrame) -> pd.DataFrame:
    """Compute the fairness figure per age group: the concentration index of coverage ranked by build year.

    Parameters
    ----------
    served : pandas.DataFrame
        Output of :func:`served_compounds`.
    compounds : pandas.DataFrame
        Compounds with ``compound_id`` and ``build_year`` (the deprivation proxy: older = more deprived).

    Returns
    -------
    pandas.DataFrame
        Index ``group``; ``concentration_index`` (E, see :func:`concentration_index`), ``share_old``
        and ``share_new`` (coverage of the group's residents in compounds built before 2000 / since 2000,
        NaN without residents).
    """
    year = compounds.set_index(compounds["compound_id"].astype(str))["build_year"]
    rows = {}
    for g, df in served.groupby("group", sort=False):
        by = df["compound_id"].map(year).to_numpy(float)
        h, w = df["served"].to_numpy(float), df["residents"].to_numpy(float)
        old = by < 2000
        rows[g] = {
            "concentration_index": concentration_index(h, w, by),
            "share_old": (w[old] * h[old]).sum() / w[old].sum() if w[old].sum() > 0 else np.nan,
            "share_new": (w[~old] * h[~old]).sum() / w[~old].sum() if w[~old].sum() > 0 else np.nan,
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("group")


def left_behind(served: pd.DataFrame, compounds: pd.DataFrame, *, group: str | None = None) -> pd.DataFrame:
    """List the compounds (小区) whose residents of an age group are not served, largest number first.

    Parameters
    ----------
    served : pandas.DataFrame
        Output of :func:`served_compounds`.
    compounds : pandas.DataFrame
        Compounds with ``compound_id``, ``name``, ``community_id`` and ``build_year``.
    group : str, optional
        Only this age group (default all groups).

    Returns
    -------
    pandas.DataFrame
        One row per unserved compound and group with residents > 0: ``compound_id, name, community_id,
        build_year, group, facility_type, residents`` (persons left unserved), ``distance_m`` (to the
        nearest facility of the type, straight line) and ``radius_m``; sorted by ``residents`` descending,
        then ``compound_id``.
    """
    df = served[~served["served"] & (served["residents"] > 0)]
    if group is not None:
        df = df[df["group"] == group]
    info = compounds[["compound_id", "name", "community_id", "build_year"]].assign(
        compound_id=compounds["compound_id"].astype(str)
    )
    out = df.merge(info, on="compound_id", how="left")
    cols = [
        "compound_id",
        "name",
        "community_id",
        "build_year",
        "group",
        "facility_type",
        "residents",
        "distance_m",
        "radius_m",
    ]
    return out[cols].sort_values(["residents", "compound_id"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class EquityResult:
    """Everything the 一老一小 tab and report show, for one workspace and survey year.

    Attributes
    ----------
    served : pandas.DataFrame
        :func:`served_compounds` (one row per compound and group).
    city : pandas.DataFrame
        :func:`city_coverage`.
    by_subdistrict : pandas.DataFrame
        :func:`coverage_by_subdistrict`.
    fairness : pandas.DataFrame
        :func:`fairness`.
    left_behind : pandas.DataFrame
        :func:`left_behind` for all groups.
    groups : tuple of str
        The age groups the workspace has.
    """

    served: pd.DataFrame
    city: pd.DataFrame
    by_subdistrict: pd.DataFrame
    fairness: pd.DataFrame
    left_behind: pd.DataFrame
    groups: tuple[str, ...]


def workspace_groups(compounds: pd.DataFrame) -> tuple[str, ...]:
    """Return the age groups whose column the compounds layer holds (in :data:`AGE_GROUPS` order)."""
    return tuple(g for g in AGE_GROUPS if g in compounds.columns)


def workspace_equity(ws: Mapping[str, gpd.GeoDataFrame], radii_m: Mapping[str, float], *, year: int | None):
    """Run the whole 一老一小 analysis on a workspace (any CRS; analysed in EPSG:32650, metres).

    Parameters
    ----------
    ws : Mapping of str to GeoDataFrame
        Workspace layers with ``compounds`` (age-group columns), ``facilities`` and ``communities``.
    radii_m : Mapping of str to float
        Facility type → service radius in metres.
    year : int or None
        Survey year (facilities opened later are left out).

    Returns
    -------
    EquityResult or None
        None when the compounds hold no age-group column.
    """
    from layers.crs import ANALYSIS_CRS

    groups = workspace_groups(ws["compounds"])
    if not groups:
        return None
    comp = ws["compounds"].to_crs(ANALYSIS_CRS)
    served = served_compounds(comp, ws["facilities"].to_crs(ANALYSIS_CRS), radii_m, groups=groups, year=year)
    return EquityResult(
        served=served,
        city=city_coverage(served),
        by_subdistrict=coverage_by_subdistrict(served, comp, ws["communities"]),
        fairness=fairness(served, comp),
        left_behind=left_behind(served, comp),
        groups=groups,
    )
