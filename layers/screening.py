"""Renewal-candidate screening: transparent multi-criteria scores for renewal parcels.

Method (stated in the UI): every criterion is computed per parcel in a metric CRS, then **min–max
normalised** over the parcels screened to 0…1 (``(v - min) / (max - min)``; for "lower is better"
criteria ``(max - v) / (max - min)``; a criterion with max = min contributes 0 to every parcel).
Score = 100 × Σ wᵢ·nᵢ / Σ wᵢ, and each parcel's contribution of criterion i is 100 × wᵢ·nᵢ / Σ wᵢ, so the
contributions add up to the score. Ranks are by score (descending; scores equal to 9 decimals tie), ties
broken by ``parcel_id``.

Rounding: :func:`criteria_table` rounds some raw criteria *before* they are normalised, so the scores are
computed from the rounded values shown to the planner: ``residents_500m`` and ``unserved_500m`` to whole
residents, ``missing_items`` to 2 decimals, ``metro_distance_m`` to whole metres and ``area_m2`` to whole
square metres; ``age_years``, ``safety``, ``elderly_share_500m`` and ``parking_shortage`` are not rounded.
Two parcels whose raw values differ by less than the rounding therefore get the same normalised value.
Criteria and their sources: ../shared/DOMAIN.md §3 (screening criteria planners use).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from layers.crs import require_metric

#: radius within which residents around a parcel are counted (m) — a user setting in the UI
DEFAULT_RESIDENT_RADIUS_M = 500.0
#: dangerous-housing grade → safety points (C and D are 危房 grades; DOMAIN.md §3)
DANGER_POINTS = {"": 0.0, "A": 0.0, "B": 0.25, "C": 0.75, "D": 1.0}
#: extra safety points for precast-slab housing (预制板 治理改造行动, seed 001)
PRECAST_POINTS = 0.5


@dataclass(frozen=True)
class Criterion:
    """A screening criterion: its key, its direction and its display unit.

    Attributes
    ----------
    key : str
        Column name of the criterion in :func:`criteria_table` (e.g. "metro_distance_m").
    direction : int
        +1 when a higher value means a higher renewal priority, -1 when a lower value does.
    unit : str
        Display unit (年 years, 分 points, 人 residents, % percent, 项 items, m metres, 个 spaces, m²).
    """

    key: str
    #: +1: higher value → higher priority; -1: lower value → higher priority
    direction: int
    unit: str


CRITERIA: dict[str, Criterion] = {
    c.key: c
    for c in [
        Criterion("age_years", +1, "年"),
        Criterion("safety", +1, "分"),
        Criterion("residents_500m", +1, "人"),
        Criterion("elderly_share_500m", +1, "%"),
        Criterion("unserved_500m", +1, "人"),
        Criterion("missing_items", +1, "项"),
        Criterion("metro_distance_m", -1, "m"),
        Criterion("parking_shortage", +1, "个"),
        Criterion("area_m2", +1, "m²"),
    ]
}

PRESETS: dict[str, dict[str, float]] = {
    "民生优先": {
        "age_years": 1,
        "safety": 1,
        "residents_500m": 2,
        "elderly_share_500m": 2,
        "unserved_500m": 3,
        "missing_items": 2,
        "metro_distance_m": 0,
        "parking_shortage": 1,
        "area_m2": 0,
    },
    "安全优先": {
        "age_years": 2,
        "safety": 4,
        "residents_500m": 1,
        "elderly_share_500m": 1,
        "unserved_500m": 0.5,
        "missing_items": 0.5,
        "metro_distance_m": 0,
        "parking_shortage": 0,
        "area_m2": 0,
    },
    "TOD 导向": {
        "age_years": 1,
        "safety": 0.5,
        "residents_500m": 1,
        "elderly_share_500m": 0,
        "unserved_500m": 0.5,
        "missing_items": 0,
        "metro_distance_m": 4,
        "parking_shortage": 0.5,
        "area_m2": 2,
    },
}


def criteria_table(
    parcels: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    metro: gpd.GeoDataFrame,
    *,
    current_year: int,
    radius_m: float = DEFAULT_RESIDENT_RADIUS_M,
    extra_columns: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Compute the raw criterion values of every parcel.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Renewal parcels in a metric CRS such as EPSG:32650 (degrees are refused with ValueError) with
        ``parcel_id``, ``build_year``, ``danger_grade`` (A–D or empty), ``precast_slab``,
        ``parking_shortage`` and ``heritage``; the area is computed from the geometry (m²).
    cells : geopandas.GeoDataFrame
        Resident points (same metric CRS) with ``population``, ``elderly`` and optionally
        ``missing_types`` (number of 完整社区 items the cell's residents lack — from the coverage engine;
        0 when served by all; taken as 0 when the column is absent).
    metro : geopandas.GeoDataFrame
        Metro station points (same metric CRS). When empty, ``metro_distance_m`` is ``inf`` for every
        parcel (:func:`normalise` then gives that criterion 0 for every parcel).
    current_year : int
        Year against which building age is measured.
    radius_m : float, default ``DEFAULT_RESIDENT_RADIUS_M`` (500 m)
        Residents within this straight-line distance in metres of the parcel's representative point are
        counted.
    extra_columns : tuple of str, default ()
        User numeric columns of ``parcels`` added as criteria (direction +1).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parcel_id`` (str), columns ``age_years`` (years, ≥ 0), ``safety`` (danger-grade
        points + 0.5 for precast slab), ``residents_500m`` (residents within ``radius_m``),
        ``elderly_share_500m`` (%), ``unserved_500m`` (residents lacking a 完整社区 item),
        ``missing_items`` (population-weighted mean of missing items), ``metro_distance_m`` (straight-line
        metres to the nearest station), ``parking_shortage`` (spaces), ``area_m2`` (m²), the
        ``extra_columns`` and ``heritage`` (bool; not a criterion). The ``_500m`` names are kept whatever
        ``radius_m`` is.

    Raises
    ------
    ValueError
        If a layer is not in a metric CRS, ``radius_m`` is not positive, or an extra column is missing or
        has empty or non-numeric values.
    """
    for gdf, what in ((parcels, "parcels"), (cells, "resident cells"), (metro, "metro stations")):
        require_metric(gdf, what)
    if radius_m <= 0:
        raise ValueError(f"radius_m must be positive, got {radius_m}")
    pts = parcels.geometry.representative_point()
    pxy = np.column_stack([pts.x.to_numpy(), pts.y.to_numpy()])
    cxy = np.column_stack([cells.geometry.x.to_numpy(), cells.geometry.y.to_numpy()])
    pop = cells["population"].to_numpy(dtype=float)
    eld = cells["elderly"].to_numpy(dtype=float)
    missing = (
        cells["missing_types"].to_numpy(dtype=float) if "missing_types" in cells else np.zeros(len(cells))
    )
    residents = np.zeros(len(parcels))
    elderly = np.zeros(len(parcels))
    unserved = np.zeros(len(parcels))
    items = np.zeros(len(parcels))
    if len(cells):
        tree = cKDTree(cxy)
        for i, idx in enumerate(tree.query_ball_point(pxy, r=radius_m)):
            if idx:
                p = pop[idx]
                residents[i] = p.sum()
                elderly[i] = eld[idx].sum()
                unserved[i] = p[missing[idx] > 0].sum()
                items[i] = (p * missing[idx]).sum() / p.sum() if p.sum() > 0 else 0.0
    if len(metro):
        mxy = np.column_stack([metro.geometry.x.to_numpy(), metro.geometry.y.to_numpy()])
        metro_d = cKDTree(mxy).query(pxy)[0]
    else:
        metro_d = np.full(len(parcels), np.inf)
    safety = parcels["danger_grade"].map(DANGER_POINTS).fillna(0.0).to_numpy() + np.where(
        parcels["precast_slab"].astype(bool).to_numpy(), PRECAST_POINTS, 0.0
    )
    table = pd.DataFrame(
        {
            "age_years": (current_year - parcels["build_year"].astype(int)).clip(lower=0).to_numpy(),
            "safety": safety,
            "residents_500m": residents.round(0),
            "elderly_share_500m": np.divide(
                elderly, residents, out=np.zeros_like(elderly), where=residents > 0
            )
            * 100,
            "unserved_500m": unserved.round(0),
            "missing_items": items.round(2),
            "metro_distance_m": metro_d.round(0),
            "parking_shortage": parcels["parking_shortage"].astype(float).to_numpy(),
            "area_m2": parcels.geometry.area.round(0).to_numpy(),
        },
        index=pd.Index(parcels["parcel_id"].astype(str), name="parcel_id"),
    )
    for col in extra_columns:
        if col not in parcels:
            raise ValueError(f"extra criterion column {col!r} is not in the parcels table")
        values = pd.to_numeric(parcels[col], errors="coerce")
        if values.isna().any():
            raise ValueError(f"extra criterion column {col!r} has empty or non-numeric values")
        table[col] = values.to_numpy(dtype=float)
    table["heritage"] = parcels["heritage"].astype(bool).to_numpy()
    return table


def normalise(table: pd.DataFrame, *, directions: dict[str, int]) -> pd.DataFrame:
    """Min–max normalise each criterion column to 0…1 in its direction (see module docstring).

    Non-finite values are replaced by the lowest-priority finite value of the column before normalising; a column
    with no finite value, or with max = min, becomes 0 for every parcel.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw criterion values, e.g. from :func:`criteria_table`.
    directions : dict of str to int
        Criterion column → +1 (higher is better priority) or -1 (lower is); only these columns are
        normalised.

    Returns
    -------
    pandas.DataFrame
        Same index as ``table``, one 0…1 column per key of ``directions``.

    Raises
    ------
    KeyError
        If a key of ``directions`` is not a column of ``table``.
    """
    out = pd.DataFrame(index=table.index)
    for key, direction in directions.items():
        v = table[key].to_numpy(dtype=float)
        finite = np.isfinite(v)
        if not finite.any():
            out[key] = 0.0
            continue
        v = np.where(finite, v, np.nanmax(v[finite]) if direction < 0 else np.nanmin(v[finite]))
        lo, hi = v.min(), v.max()
        if hi == lo:
            out[key] = 0.0
        else:
            out[key] = (v - lo) / (hi - lo) if direction > 0 else (hi - v) / (hi - lo)
    return out


def directions_for(table: pd.DataFrame) -> dict[str, int]:
    """Return the direction of every criterion column of a table.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw criterion values; the ``heritage`` column is skipped.

    Returns
    -------
    dict of str to int
        Column → direction from :data:`CRITERIA` (+1 for extra user columns).
    """
    return {c: (CRITERIA[c].direction if c in CRITERIA else +1) for c in table.columns if c != "heritage"}


def score(table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Compute score, rank and per-criterion contribution for every parcel.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw criterion values from :func:`criteria_table`, indexed by ``parcel_id``.
    weights : dict of str to float
        Criterion column → weight (≥ 0; at least one > 0). Only these criteria are scored.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table``: ``score`` (0–100), ``rank`` (1 = highest priority; ties broken by
        ``parcel_id``) and one ``contrib_<criterion>`` column per weighted criterion (they sum to
        ``score``).

    Raises
    ------
    ValueError
        If a weight names an unknown criterion, a weight is negative, or all weights are zero.
    """
    directions = directions_for(table)
    unknown = [k for k in weights if k not in directions]
    if unknown:
        raise ValueError(f"unknown criteria in weights: {', '.join(unknown)}")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must be zero or positive")
    total = float(sum(weights.values()))
    if total <= 0:
        raise ValueError("at least one weight must be positive")
    norm = normalise(table, directions={k: directions[k] for k in weights})
    out = pd.DataFrame(index=table.index)
    for key, w in weights.items():
        out[f"contrib_{key}"] = 100.0 * w * norm[key] / total
    out.insert(0, "score", out.sum(axis=1))
    out.insert(1, "rank", _ranks(out["score"].to_numpy()[:, None], out.index)[:, 0])
    return out


def _ranks(scores: np.ndarray, ids: pd.Index) -> np.ndarray:
    """Rank the parcels in every column of a score matrix (one sort per column, no Python loop).

    Parameters
    ----------
    scores : numpy.ndarray
        Scores 0–100, shape (parcels, columns); each column is one weighting.
    ids : pandas.Index
        The parcels' ids (ties broken by id, ascending).

    Returns
    -------
    numpy.ndarray of int
        Same shape as ``scores``: 1 = highest score in its column; scores equal to 9 decimals tie and are
        ordered by id.
    """
    by_id = np.argsort(np.asarray(ids), kind="stable")  # parcels in id order …
    keyed = -np.round(scores[by_id], 9)  # … then a stable sort by score keeps that order among ties
    order = by_id[np.argsort(keyed, axis=0, kind="stable")]
    ranks = np.empty(scores.shape, dtype=int)
    np.put_along_axis(ranks, order, np.arange(1, len(scores) + 1)[:, None], axis=0)
    return ranks


def stability(
    table: pd.DataFrame,
    weights: dict[str, float],
    *,
    top_n: int = 10,
    variation: float = 0.2,
    draws: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Measure how robust the top-N is to weight changes of ±``variation``.

    Each draw multiplies every weight by an independent factor uniform in [1 - variation, 1 + variation];
    for each parcel in the base top-N, ``stay_share`` is the share of draws in which it stays in the top-N.

    Parameters
    ----------
    table : pandas.DataFrame
        Raw criterion values from :func:`criteria_table`.
    weights : dict of str to float
        Base weights (see :func:`score`).
    top_n : int, default 10
        Size of the top group.
    variation : float, default 0.2
        Relative weight perturbation (0.2 = ±20 %).
    draws : int, default 200
        Number of random weight draws.
    seed : int, default 0
        Random seed (results are reproducible).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``parcel_id`` for the base top-N: ``rank``, ``score`` (0–100) and ``stay_share`` (0…1).

    Raises
    ------
    ValueError
        If the weights are invalid (see :func:`score`).
    """
    base = score(table, weights)
    top = base.nsmallest(top_n, "rank")
    rng = np.random.default_rng(seed)
    keys = list(weights)
    # every draw at once: the same random stream and the same arithmetic as scoring each draw with score()
    w = np.asarray([weights[k] for k in keys], dtype=float) * rng.uniform(
        1 - variation, 1 + variation, (draws, len(keys))
    )  # (draws, criteria)
    norm = normalise(table, directions={k: directions_for(table)[k] for k in keys}).to_numpy()
    total = np.zeros(draws)
    for j in range(len(keys)):  # summed in order, as Python's sum() in score()
        total = total + w[:, j]
    scores = np.zeros((len(table), draws))
    for j in range(len(keys)):  # criteria in weight order, as score() adds its contribution columns
        scores = scores + 100.0 * w[:, j] * norm[:, [j]] / total
    ranks = _ranks(scores, table.index)
    stays = (ranks[table.index.get_indexer(top.index)] <= top_n).sum(axis=1)
    return pd.DataFrame({"rank": top["rank"], "score": top["score"], "stay_share": stays / draws})


def workspace_criteria(
    parcels: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    model,
    *,
    current_year: int,
    radius_m: float = DEFAULT_RESIDENT_RADIUS_M,
) -> pd.DataFrame:
    """Compute the criteria of a workspace's parcels using the coverage model's 完整社区 gaps.

    ``model`` is the coverage model built on the same ``cells`` (metric CRS), whose 完整社区 gaps give
    each cell's ``missing_types``; metro stations are the ``metro_station`` rows of ``facilities``.

    Parameters
    ----------
    parcels : geopandas.GeoDataFrame
        Renewal parcels in a metric CRS such as EPSG:32650 (see :func:`criteria_table`).
    cells : geopandas.GeoDataFrame
        Resident points (same metric CRS and order as the model's residents) with ``population`` and
        ``elderly``.
    facilities : geopandas.GeoDataFrame
        Facility points (same metric CRS) with a ``type`` column.
    model : layers.coverage.CoverageModel
        Coverage model built on ``cells``.
    current_year : int
        Year against which building age is measured.
    radius_m : float, default ``DEFAULT_RESIDENT_RADIUS_M`` (500 m)
        Radius in metres within which residents around a parcel are counted.

    Returns
    -------
    pandas.DataFrame
        The :func:`criteria_table` of the parcels, indexed by ``parcel_id``.

    Raises
    ------
    ValueError
        As :func:`criteria_table` (non-metric CRS, non-positive radius).
    """
    from layers.coverage import resident_missing_count

    cells = cells.assign(missing_types=resident_missing_count(model))
    metro = facilities[facilities["type"] == "metro_station"]
    return criteria_table(parcels, cells, metro, current_year=current_year, radius_m=radius_m)
