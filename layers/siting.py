"""Siting optimisation: where should the next k facilities go (maximal covering location problem).

Demand: residents not yet served for a facility type (weight = population, or e.g. elderly residents).
Candidates: points (renewal parcels' representative points, a grid over the gap area, user-drawn sites).
A candidate covers a resident when the straight-line distance is ≤ the type's radius (the catalogue radius,
the same rule as the coverage engine).

Two solvers, both on the same coverage matrix:

* **greedy** — adds the candidate with the largest marginal gain k times; fast, and guaranteed to reach at
  least (1 − 1/e) ≈ 63.2 % of the optimum (Nemhauser, Wolsey & Fisher 1978, submodular maximisation).
* **exact** — the MCLP integer programme (Church & ReVelle 1974) solved with HiGHS through
  ``scipy.optimize.milp`` (bundled with SciPy: no extra dependency, no external solver binary). Demand
  points with identical candidate sets are merged first, which keeps the programme small. A time limit
  returns the best solution found and says so.

Set covering: :func:`min_sites_for_target` adds greedy sites until a target share of the demand is served.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.spatial import cKDTree

GREEDY_BOUND = 1 - 1 / np.e


@dataclass(frozen=True)
class SitingResult:
    """Sites chosen by one solver.

    Attributes
    ----------
    chosen : list of int
        Candidate indices (rows of the coverage matrix), in selection order; the exact solver's sites are
        listed by marginal gain.
    objective : float
        Demand weight (residents, or the chosen weight) newly covered by the chosen sites.
    method : str
        "greedy", "exact", "greedy-set-cover" or "greedy-capacitated".
    optimal : bool
        For "exact": True when proven optimal (no time-out); for the set-cover methods: True when the
        target share was reached; always False for "greedy".
    seconds : float
        Solver wall-clock time in seconds.
    marginal : list of float
        Per chosen site, the weight newly covered when added in this order.
    mip_gap : float or None
        For "exact": the gap the solver proved, |bound − best| / |best| as HiGHS reports it (≤ 1e-4,
        HiGHS's default tolerance, when ``optimal``; larger after a time-out: the best possible coverage
        is at most ``objective × (1 + mip_gap)``); None for the other methods.
    """

    chosen: list[int]  # candidate indices in selection order (greedy) or by index (exact)
    objective: float  # demand weight newly covered
    method: str
    optimal: bool  # True when proven optimal (exact, no time-out)
    seconds: float
    marginal: list[float]  # per chosen site: newly covered weight when added in this order
    mip_gap: float | None = None  # exact: proven relative gap (≈ 0 when optimal)


def coverage_matrix(candidate_xy: np.ndarray, demand_xy: np.ndarray, radius_m: float) -> sparse.csr_matrix:
    """Build the coverage matrix: which demand points lie within a radius of each candidate site.

    Parameters
    ----------
    candidate_xy : numpy.ndarray
        Shape (n_c, 2), candidate x/y in metres of a metric CRS such as EPSG:32650.
    demand_xy : numpy.ndarray
        Shape (n_d, 2), demand (resident) x/y in metres, same CRS.
    radius_m : float
        Straight-line coverage radius in metres (> 0; inclusive).

    Returns
    -------
    scipy.sparse.csr_matrix
        int8 matrix (n_c × n_d), 1 where the demand point is within ``radius_m`` of the candidate.

    Raises
    ------
    ValueError
        If ``radius_m`` is not positive.
    """
    if radius_m <= 0:
        raise ValueError(f"radius_m must be positive, got {radius_m}")
    n_c, n_d = len(candidate_xy), len(demand_xy)
    if n_c == 0 or n_d == 0:
        return sparse.csr_matrix((n_c, n_d), dtype=np.int8)
    lists = cKDTree(demand_xy).query_ball_point(candidate_xy, r=radius_m)
    indptr = np.zeros(n_c + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(x) for x in lists])
    indices = np.fromiter((i for lst in lists for i in lst), dtype=np.int64, count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(indices), dtype=np.int8), indices, indptr), shape=(n_c, n_d))


def _order_gains(cover: sparse.csr_matrix, weights: np.ndarray, chosen: list[int]) -> list[float]:
    covered = np.zeros(cover.shape[1], dtype=bool)
    gains = []
    for j in chosen:
        row = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        new = row[~covered[row]]
        gains.append(float(weights[new].sum()))
        covered[new] = True
    return gains


def greedy(cover: sparse.csr_matrix, weights: np.ndarray, k: int) -> SitingResult:
    """Choose up to k sites greedily: each time the candidate with the largest newly covered weight.

    Reaches at least (1 − 1/e) ≈ 63.2 % of the optimum. Stops early when no candidate adds weight.

    Parameters
    ----------
    cover : scipy.sparse.csr_matrix
        Coverage matrix (candidates × demand) from :func:`coverage_matrix`.
    weights : numpy.ndarray
        Shape (n_d,), demand weight per point (e.g. unserved residents).
    k : int
        Maximum number of sites (capped at the number of candidates).

    Returns
    -------
    SitingResult
        ``method`` "greedy", ``optimal`` False, sites in selection order.
    """
    import time

    t0 = time.perf_counter()
    weights = np.asarray(weights, dtype=float)
    remaining = weights.copy()
    chosen: list[int] = []
    k = min(int(k), cover.shape[0])
    cover_f = cover.astype(float)
    for _ in range(k):
        gains = cover_f @ remaining
        if chosen:
            gains[chosen] = -1.0
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break  # nothing left to gain: stop early (fewer sites than k)
        chosen.append(j)
        remaining[cover.indices[cover.indptr[j] : cover.indptr[j + 1]]] = 0.0
    marginal = _order_gains(cover, weights, chosen)
    return SitingResult(chosen, float(sum(marginal)), "greedy", False, time.perf_counter() - t0, marginal)


def exact(
    cover: sparse.csr_matrix, weights: np.ndarray, k: int, *, time_limit_s: float = 60.0
) -> SitingResult:
    """Solve the maximal covering location problem exactly as an integer programme (HiGHS via milp).

    Demand points with identical candidate sets are merged first. On time-out the best solution found is
    returned with ``optimal`` False.

    Parameters
    ----------
    cover : scipy.sparse.csr_matrix
        Coverage matrix (candidates × demand) from :func:`coverage_matrix`.
    weights : numpy.ndarray
        Shape (n_d,), demand weight per point.
    k : int
        Maximum number of sites (capped at the number of candidates).
    time_limit_s : float, default 60.0
        Solver time limit in seconds (``scipy.optimize.milp`` option ``time_limit``).

    Returns
    -------
    SitingResult
        ``method`` "exact"; sites listed by marginal gain; ``mip_gap`` the proven relative gap (≈ 0 when
        optimal, larger after a time-out). Empty (and optimal) when no demand point is
        reachable or ``k`` is 0.

    Raises
    ------
    RuntimeError
        If the solver finds no solution within the time limit.
    """
    import time

    t0 = time.perf_counter()
    weights = np.asarray(weights, dtype=float)
    n_c = cover.shape[0]
    k = min(int(k), n_c)
    csc = cover.tocsc()
    reachable = np.flatnonzero(np.diff(csc.indptr) > 0)
    if len(reachable) == 0 or k == 0:
        return SitingResult([], 0.0, "exact", True, time.perf_counter() - t0, [], mip_gap=0.0)
    # merge demand points with identical candidate sets
    sub = csc[:, reachable]
    keys = [sub.indices[sub.indptr[i] : sub.indptr[i + 1]].tobytes() for i in range(sub.shape[1])]
    codes = pd.factorize(pd.Series(keys))[0]
    n_g = int(codes.max()) + 1
    group_w = np.bincount(codes, weights=weights[reachable], minlength=n_g)
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    groups = sub[:, first].tocsc()  # candidates × groups
    # variables: x (n_c binaries), y (n_g in [0, 1]); maximise Σ w y  ⇔ minimise −Σ w y
    c = np.concatenate([np.zeros(n_c), -group_w])
    # y_g − Σ_j a_jg x_j ≤ 0
    a_cov = sparse.hstack([-groups.T, sparse.identity(n_g)], format="csr")
    a_k = sparse.hstack([sparse.csr_matrix(np.ones((1, n_c))), sparse.csr_matrix((1, n_g))], format="csr")
    constraints = [LinearConstraint(a_cov, -np.inf, 0.0), LinearConstraint(a_k, 0, k)]
    integrality = np.concatenate([np.ones(n_c), np.zeros(n_g)])
    res = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": float(time_limit_s), "disp": False},
    )
    if res.x is None:
        raise RuntimeError(f"the exact solver found no solution within {time_limit_s} s ({res.message})")
    chosen = [int(j) for j in np.flatnonzero(res.x[:n_c] > 0.5)]
    # order by marginal gain for the table
    order = greedy(cover[chosen], weights, len(chosen)).chosen  # list the chosen sites by marginal gain
    chosen = [chosen[i] for i in order] + [j for i, j in enumerate(chosen) if i not in order]
    marginal = _order_gains(cover, weights, chosen)
    optimal = res.status == 0
    gap = getattr(res, "mip_gap", None)
    gap = float(gap) if gap is not None and np.isfinite(gap) else (0.0 if optimal else None)
    return SitingResult(
        chosen, float(sum(marginal)), "exact", optimal, time.perf_counter() - t0, marginal, mip_gap=gap
    )


def min_sites_for_target(
    cover: sparse.csr_matrix,
    weights: np.ndarray,
    *,
    target_share: float,
    already_served: float = 0.0,
    total: float | None = None,
) -> SitingResult:
    """Add greedy sites until a target share of the demand is served (set-covering view).

    Sites are added in greedy order until ``(already_served + newly covered) / total ≥ target_share``.

    Parameters
    ----------
    cover : scipy.sparse.csr_matrix
        Coverage matrix (candidates × demand) from :func:`coverage_matrix`.
    weights : numpy.ndarray
        Shape (n_d,), demand weight per point (e.g. unserved residents).
    target_share : float
        Target served share, in (0, 1].
    already_served : float, default 0.0
        Weight already served before any new site.
    total : float, optional
        Total weight the share refers to (default: demand weight + ``already_served``).

    Returns
    -------
    SitingResult
        ``method`` "greedy-set-cover"; ``optimal`` is True when the target was reached.

    Raises
    ------
    ValueError
        If ``target_share`` is not in (0, 1].
    """
    weights = np.asarray(weights, dtype=float)
    total = float(weights.sum()) + already_served if total is None else float(total)
    if not 0 < target_share <= 1:
        raise ValueError("target_share must be in (0, 1]")
    full = greedy(cover, weights, cover.shape[0])
    reached, chosen, marginal = already_served, [], []
    for j, g in zip(full.chosen, full.marginal):
        if reached / total >= target_share:
            break
        chosen.append(j)
        marginal.append(g)
        reached += g
    return SitingResult(
        chosen,
        float(sum(marginal)),
        "greedy-set-cover",
        reached / total >= target_share,
        full.seconds,
        marginal,
    )


def capacitated_set_cover(
    cover: sparse.csr_matrix,
    weights: np.ndarray,
    candidate_xy: np.ndarray,
    demand_xy: np.ndarray,
    *,
    capacity: float,
    target_share: float,
    already_served: float = 0.0,
    total: float | None = None,
) -> SitingResult:
    """Add greedy sites with a capacity until a target share of the demand is served.

    Each new site serves at most ``capacity`` of the demand weight within its radius, nearest residents
    first (partially for the last one). Sites are added until ``(already_served + served) / total ≥
    target_share`` or no site adds anything.

    Parameters
    ----------
    cover : scipy.sparse.csr_matrix
        Coverage matrix (candidates × demand) from :func:`coverage_matrix`.
    weights : numpy.ndarray
        Shape (n_d,), demand weight per point.
    candidate_xy : numpy.ndarray
        Shape (n_c, 2), candidate x/y in metres (metric CRS such as EPSG:32650).
    demand_xy : numpy.ndarray
        Shape (n_d, 2), demand x/y in metres, same CRS.
    capacity : float
        Maximum weight (e.g. residents or places) one site serves (> 0).
    target_share : float
        Target served share, in (0, 1].
    already_served : float, default 0.0
        Weight already served before any new site.
    total : float, optional
        Total weight the share refers to (default: demand weight + ``already_served``).

    Returns
    -------
    SitingResult
        ``method`` "greedy-capacitated"; ``optimal`` is True when the target was reached.

    Raises
    ------
    ValueError
        If ``capacity`` is not positive or ``target_share`` is not in (0, 1].
    """
    import time

    if capacity <= 0:
        raise ValueError("capacity must be positive")
    if not 0 < target_share <= 1:
        raise ValueError("target_share must be in (0, 1]")
    t0 = time.perf_counter()
    remaining = np.asarray(weights, dtype=float).copy()
    total = float(remaining.sum()) + already_served if total is None else float(total)
    cover_f = cover.astype(float)
    chosen: list[int] = []
    marginal: list[float] = []
    reached = already_served
    while reached / total < target_share:
        gains = np.minimum(cover_f @ remaining, capacity)
        if chosen:
            gains[chosen] = -1.0
        j = int(np.argmax(gains)) if len(gains) else 0
        if not len(gains) or gains[j] <= 0:
            break
        row = cover.indices[cover.indptr[j] : cover.indptr[j + 1]]
        order = row[np.argsort(np.hypot(*(demand_xy[row] - candidate_xy[j]).T), kind="stable")]
        left = capacity
        for i in order:
            take = min(remaining[i], left)
            remaining[i] -= take
            left -= take
            if left <= 0:
                break
        served = capacity - left
        chosen.append(j)
        marginal.append(float(served))
        reached += served
    return SitingResult(
        chosen,
        float(sum(marginal)),
        "greedy-capacitated",
        reached / total >= target_share,
        time.perf_counter() - t0,
        marginal,
    )


def grid_candidates(demand_xy: np.ndarray, demand_w: np.ndarray, *, spacing_m: float) -> np.ndarray:
    """Generate candidate sites on a regular grid, limited to grid cells containing unserved demand.

    Parameters
    ----------
    demand_xy : numpy.ndarray
        Shape (n, 2), demand x/y in metres of a metric CRS such as EPSG:32650.
    demand_w : numpy.ndarray
        Shape (n,), demand weight; only points with weight > 0 count.
    spacing_m : float
        Grid spacing in metres (> 0).

    Returns
    -------
    numpy.ndarray
        Shape (m, 2), centres of the grid cells holding demand, in metres (empty when there is none).

    Raises
    ------
    ValueError
        If ``spacing_m`` is not positive.
    """
    if spacing_m <= 0:
        raise ValueError("spacing_m must be positive")
    keep = demand_w > 0
    if not keep.any():
        return np.zeros((0, 2))
    cells = np.unique(np.floor(demand_xy[keep] / spacing_m).astype(np.int64), axis=0)
    return (cells + 0.5) * spacing_m


def siting_table(
    result: SitingResult,
    candidate_ids,
    *,
    total_demand: float,
    already_served: float,
    population_total: float,
) -> pd.DataFrame:
    """Tabulate the marginal gain of each chosen site.

    Parameters
    ----------
    result : SitingResult
        The solver result.
    candidate_ids : sequence
        Candidate labels, indexed like the coverage-matrix rows.
    total_demand : float
        Weight of the unserved demand (unused in the table; kept for callers).
    already_served : float
        Weight served before any new site.
    population_total : float
        Total weight the coverage share refers to (0 gives share 0).

    Returns
    -------
    pandas.DataFrame
        One row per chosen site: ``order`` (1…), ``site``, ``newly_served`` and ``cumulative_new``
        (weight, rounded to 0.1) and ``coverage_share`` (0…1, including ``already_served``).
    """
    cum = np.cumsum(result.marginal) if result.marginal else np.zeros(0)
    return pd.DataFrame(
        {
            "order": np.arange(1, len(result.chosen) + 1),
            "site": [candidate_ids[j] for j in result.chosen],
            "newly_served": np.round(result.marginal, 1),
            "cumulative_new": np.round(cum, 1),
            "coverage_share": (already_served + cum) / population_total if population_total else 0.0,
        }
    )


@dataclass(frozen=True)
class SitingPlan:
    """Siting plan for one facility type, from :func:`plan_sites`.

    Attributes
    ----------
    ftype : str
        Facility type key.
    radius_m : float
        Coverage radius in metres (the catalogue radius).
    k : int
        Number of sites requested.
    greedy : SitingResult
        Greedy result (the exact result when only the exact method was run).
    exact : SitingResult or None
        Exact result, None when not run.
    demand_total : float
        Weight of residents not yet served (the gap).
    served_before : float
        Weight already served.
    weight_total : float
        Weight of all residents.
    """

    ftype: str
    radius_m: float
    k: int
    greedy: SitingResult
    exact: SitingResult | None
    demand_total: float  # weight of residents not yet served (the gap)
    served_before: float  # weight already served
    weight_total: float  # all residents' weight

    @property
    def best(self) -> SitingResult:
        """The exact result when it covers at least as much as greedy, else the greedy result."""
        if self.exact is not None and self.exact.objective >= self.greedy.objective:
            return self.exact
        return self.greedy

    @property
    def gap_pct(self) -> float | None:
        """How far greedy falls short of the exact objective, in % of the exact objective."""
        if self.exact is None or self.exact.objective <= 0:
            return None
        return 100.0 * (self.exact.objective - self.greedy.objective) / self.exact.objective


def plan_sites(
    model,
    ftype: str,
    candidate_xy: np.ndarray,
    *,
    k: int,
    method: str = "both",
    weight: np.ndarray | None = None,
    time_limit_s: float = 30.0,
) -> SitingPlan:
    """Choose up to ``k`` candidate sites for ``ftype`` that newly serve the most not-yet-served weight.

    Demand is the weight of residents not served for ``ftype`` in ``model``; a candidate covers a resident
    within the catalogue radius (straight line, metres).

    Parameters
    ----------
    model : layers.coverage.CoverageModel
        Coverage model in a metric CRS such as EPSG:32650.
    ftype : str
        Facility type key computed in the model.
    candidate_xy : numpy.ndarray
        Shape (n_c, 2), candidate x/y in metres, in the model's CRS.
    k : int
        Maximum number of sites (≥ 1).
    method : {"greedy", "exact", "both"}, default "both"
        Solver(s) to run.
    weight : numpy.ndarray, optional
        Shape (n,), weight per resident (default: population; e.g. elderly residents for elderly-care
        types).
    time_limit_s : float, default 30.0
        Time limit of the exact solver in seconds.

    Returns
    -------
    SitingPlan
        The results, the radius in metres and the demand, served and total weights.

    Raises
    ------
    ValueError
        If ``method`` is unknown or ``k`` < 1.
    KeyError
        If ``ftype`` was not computed in the model.
    RuntimeError
        If the exact solver finds no solution within the time limit.
    """
    if method not in ("greedy", "exact", "both"):
        raise ValueError(f"unknown method {method!r}")
    if k < 1:
        raise ValueError("k must be at least 1")
    w = model.population if weight is None else np.asarray(weight, dtype=float)
    served = model.served(ftype)
    demand = np.where(served, 0.0, w)
    cover = coverage_matrix(np.asarray(candidate_xy, dtype=float), model.resident_xy, model.radius_m(ftype))
    g = greedy(cover, demand, k) if method in ("greedy", "both") else None
    e = exact(cover, demand, k, time_limit_s=time_limit_s) if method in ("exact", "both") else None
    return SitingPlan(
        ftype,
        model.radius_m(ftype),
        k,
        g if g is not None else e,
        e,
        float(demand.sum()),
        float(w[served].sum()),
        float(w.sum()),
    )
