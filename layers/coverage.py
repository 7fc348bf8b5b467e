"""Service-circle coverage engine: who lacks which facility, population-weighted (GB 50180-2018).

Residents are points (100 m population cells, or representative points of polygons) with a population
weight. For every facility type the engine computes, once, each resident's distance to the nearest
facility of that type — straight-line with a KD-tree (``mode="euclidean"``) or along the street network
(``mode="network"``, :mod:`layers.network`). A resident is *served* for a type when that distance is
≤ the type's radius (catalogue or user override), so a radius change is a comparison, not a recomputation.
All inputs in one metric CRS (metres); degrees are refused.

Neighbourhood rules (stated in the UI method panel): a community counts as having a type when the
population-weighted share of its residents within the radius is ≥ ``present_share`` (default 0.5); a
resident is served for a life circle (5/10/15-min) only when *every* type of that circle is within radius.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geodata.catalogue import Catalogue
from layers.crs import require_metric
from layers.memo import derived

MODES = ("euclidean", "network")
#: default population-weighted share above which a community "has" a facility type
PRESENT_SHARE = 0.5


def nearest_distance_m(resident_xy: np.ndarray, facility_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Find each resident's nearest facility by straight-line distance (KD-tree).

    Parameters
    ----------
    resident_xy : numpy.ndarray
        Resident coordinates, shape (n, 2), x/y in metres of a metric CRS such as EPSG:32650.
    facility_xy : numpy.ndarray
        Facility coordinates, shape (m, 2), in the same metric CRS.

    Returns
    -------
    distance_m : numpy.ndarray
        Shape (n,), straight-line distance in metres to the nearest facility; ``inf`` for every resident
        when there are no facilities.
    index : numpy.ndarray
        Shape (n,), int64 row of the nearest facility in ``facility_xy``; -1 when there are no facilities.
    """
    n = len(resident_xy)
    if len(facility_xy) == 0:
        return np.full(n, np.inf), np.full(n, -1, dtype=np.int64)
    if n == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int64)
    # one query, every core (workers=-1: same answers, split over residents); float64 coordinates kept on
    # purpose (float32 would move distances by up to ~1 cm at UTM magnitudes and flip residents lying on a
    # radius); the index comes back as intp (int64 here), so no copy is made
    dist, idx = cKDTree(facility_xy).query(resident_xy, k=1, workers=-1)
    return dist, idx.astype(np.int64, copy=False)


def count_within(resident_xy: np.ndarray, facility_xy: np.ndarray, radius_m: float) -> np.ndarray:
    """Count the facilities within a straight-line radius of each resident.

    Parameters
    ----------
    resident_xy : numpy.ndarray
        Resident coordinates, shape (n, 2), in metres of a metric CRS such as EPSG:32650.
    facility_xy : numpy.ndarray
        Facility coordinates, shape (m, 2), in the same metric CRS.
    radius_m : float
        Search radius in metres (inclusive: a facility at exactly ``radius_m`` counts).

    Returns
    -------
    numpy.ndarray
        Shape (n,), number of facilities within ``radius_m`` of each resident (all 0 when either input is
        empty).
    """
    if len(facility_xy) == 0 or len(resident_xy) == 0:
        return np.zeros(len(resident_xy), dtype=np.int64)
    return np.asarray(cKDTree(facility_xy).query_ball_point(resident_xy, r=radius_m, return_length=True))


def _xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    geom = gdf.geometry
    if len(geom) and not (geom.geom_type == "Point").all():
        geom = geom.representative_point()
    return shapely.get_coordinates(geom.values)


@dataclass
class CoverageModel:
    """Nearest-facility distances per type for a fixed set of residents (metric CRS).

    Built by :func:`build_model`. Distances are computed once; the served flags compare them with the
    catalogue radii, so a radius change (:meth:`with_catalogue`) needs no recomputation.

    Attributes
    ----------
    resident_xy : numpy.ndarray
        Shape (n, 2), resident x/y in metres (the metric CRS of the inputs, e.g. EPSG:32650).
    population : numpy.ndarray
        Shape (n,), residents per point (float).
    groups : pandas.DataFrame
        One row per resident with its group keys (e.g. ``community_id``, ``district_adcode``).
    facilities : geopandas.GeoDataFrame
        The facilities (index reset) in the same metric CRS, with ``type`` and ``facility_id`` columns.
    catalogue : geodata.catalogue.Catalogue
        Facility types with their service radii in metres and the 完整社区 requirements.
    mode : str
        "euclidean" (straight line) or "network" (walking distance on the street network).
    network : layers.network.StreetNetwork or None
        The street network used in network mode.
    distance_m : dict of str to numpy.ndarray
        Facility type → shape (n,) distance in metres to the nearest facility of that type (``inf`` when
        there is none or none is reachable).
    nearest : dict of str to numpy.ndarray
        Facility type → shape (n,) int64 position of the nearest facility among the facilities of that
        type (in ``facilities`` order); -1 when there is none and always -1 in network mode. Computed on
        first use and then kept (:class:`NearestIndex`): only what-if removals and per-site attribution
        need it, so a freshly built model holds the distances only (half the memory).
    """

    resident_xy: np.ndarray
    population: np.ndarray
    groups: pd.DataFrame
    facilities: gpd.GeoDataFrame
    catalogue: Catalogue
    mode: str = "euclidean"
    network: object | None = None
    distance_m: dict[str, np.ndarray] = field(default_factory=dict)
    nearest: dict[str, np.ndarray] = field(default_factory=dict)
    # network mode: residents snapped once for every type, and each type's search limit in metres
    # (distances beyond it are inf; with_catalogue recomputes a type whose radius grows past it)
    resident_snap: object | None = None
    limit_m: dict[str, float] = field(default_factory=dict)

    @property
    def total_population(self) -> float:
        """Total number of residents of the model."""
        return float(self.population.sum())

    def radius_m(self, ftype: str) -> float:
        """Return the service radius of a facility type in metres (from the model's catalogue).

        Parameters
        ----------
        ftype : str
            Facility type key, e.g. "kindergarten".

        Returns
        -------
        float
            The radius in metres.

        Raises
        ------
        KeyError
            If ``ftype`` is not a catalogue type.
        """
        return self.catalogue.radius_m(ftype)

    def served(self, ftype: str) -> np.ndarray:
        """Flag the residents whose nearest facility of a type lies within the type's radius.

        Parameters
        ----------
        ftype : str
            Facility type key computed in the model.

        Returns
        -------
        numpy.ndarray
            Shape (n,) booleans: distance in metres ≤ the type's radius (inclusive).

        Raises
        ------
        KeyError
            If ``ftype`` was not computed in the model.
        """
        return self.distance_m[ftype] <= self.radius_m(ftype)

    def circle_served(self, circle: str) -> np.ndarray:
        """Flag the residents served for a life circle: every type of the circle within its radius.

        Only the circle's types computed in the model are checked.

        Parameters
        ----------
        circle : str
            Life circle: "5min", "10min" or "15min".

        Returns
        -------
        numpy.ndarray
            Shape (n,) booleans, True where every modelled type of the circle is within radius.

        Raises
        ------
        ValueError
            If no facility type of ``circle`` was computed in the model.
        """
        types = [t for t in self.catalogue.circle_types(circle) if t in self.distance_m]
        if not types:
            raise ValueError(f"no facility types of circle {circle!r} in the model")
        out = np.ones(len(self.population), dtype=bool)
        for t in types:
            out &= self.served(t)
        return out

    def facility_xy(self, ftype: str) -> np.ndarray:
        """Return the coordinates of the facilities of one type.

        Parameters
        ----------
        ftype : str
            Facility type key.

        Returns
        -------
        numpy.ndarray
            Shape (m, 2), x/y in metres of the model's metric CRS (representative points for non-point
            geometries); empty when there is no facility of that type.
        """
        return _xy(self.facilities[self.facilities["type"] == ftype])

    def with_catalogue(self, catalogue: Catalogue) -> CoverageModel:
        """Return a copy of the model with another catalogue (other radii), keeping the distances.

        A radius change needs no recomputation: served flags compare the stored distances with the new
        radii.

        Parameters
        ----------
        catalogue : geodata.catalogue.Catalogue
            Catalogue with the new radii in metres.

        Returns
        -------
        CoverageModel
            A new model sharing the distance arrays of this one.
        """
        new = replace(self, catalogue=catalogue)
        grown = [t for t in self.limit_m if catalogue.radius_m(t) > self.limit_m[t]]
        if grown:  # network mode: a search stopped at the old radius must run again
            new.distance_m, new.limit_m = dict(self.distance_m), dict(self.limit_m)
            for t in grown:
                new.limit_m[t] = catalogue.radius_m(t)
                new.distance_m[t], _ = _distances(
                    self.resident_xy,
                    self.facility_xy(t),
                    "network",
                    self.network,
                    new.limit_m[t],
                    self.resident_snap,
                )
        return new


class NearestIndex(dict):
    """Facility type → nearest-facility positions, computed on first access and then kept.

    A plain ``dict`` for everything already computed; a missing type of the model is computed with the
    same KD-tree query as :func:`build_model` (so the answer is the one the build would have stored).

    Parameters
    ----------
    resident_xy : numpy.ndarray
        Shape (n, 2), resident x/y in metres of the model's metric CRS.
    facilities : geopandas.GeoDataFrame
        The model's facilities (``type`` column), same metric CRS.
    mode : str
        "euclidean" or "network" (network mode: always -1).
    types : collections.abc.Container of str
        The facility types of the model; any other key raises KeyError.
    items : dict, optional
        Positions already known, type → shape (n,) int64.
    """

    def __init__(self, resident_xy, facilities, mode, types, items=()):
        super().__init__(items)
        self._resident_xy = resident_xy
        self._facilities = facilities
        self._mode = mode
        self._types = types

    def __missing__(self, ftype):
        """Compute, keep and return the positions for a type of the model (KeyError for any other)."""
        if ftype not in self._types:
            raise KeyError(ftype)
        n = len(self._resident_xy)
        if self._mode == "network":
            idx = np.full(n, -1, dtype=np.int64)
        else:
            fac = self._facilities
            _, idx = nearest_distance_m(self._resident_xy, _xy(fac[fac["type"] == ftype]))
        self[ftype] = idx
        return idx

    def __reduce__(self):
        """Pickle / deepcopy (st.cache_data) keep the inputs, so the copy stays lazy."""
        return (
            NearestIndex,
            (self._resident_xy, self._facilities, self._mode, self._types, dict(self)),
        )


def _distances(resident_xy, facility_xy, mode, network, limit_m=np.inf, resident_snap=None):
    if mode == "euclidean":
        return nearest_distance_m(resident_xy, facility_xy)
    from layers.network import network_nearest_distance_m

    res = resident_snap if resident_snap is not None else resident_xy
    return network_nearest_distance_m(network, res, facility_xy, limit_m=limit_m)


def build_model(
    residents: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    catalogue: Catalogue,
    population_column: str = "population",
    group_columns: tuple[str, ...] = ("community_id", "district_adcode"),
    types: list[str] | None = None,
    mode: str = "euclidean",
    network=None,
) -> CoverageModel:
    """Compute nearest-facility distances for every catalogue type (or only ``types``).

    Parameters
    ----------
    residents : geopandas.GeoDataFrame
        Points (or polygons → representative points) with a numeric population column, in a metric CRS
        such as EPSG:32650; degrees are refused with ValueError.
    facilities : geopandas.GeoDataFrame
        Points with a ``type`` column of catalogue keys (and ``facility_id`` for what-if removals), in the
        same metric CRS as ``residents``.
    catalogue : geodata.catalogue.Catalogue
        Facility types with their service radii in metres.
    population_column : str, default "population"
        Column of ``residents`` holding the number of residents per feature.
    group_columns : tuple of str, default ("community_id", "district_adcode")
        Columns of ``residents`` kept as group keys (those absent are skipped).
    types : list of str, optional
        Facility types to compute (default: every catalogue type).
    mode : {"euclidean", "network"}, default "euclidean"
        Straight-line distance, or walking distance on ``network``.
    network : layers.network.StreetNetwork, optional
        Street network from :func:`layers.network.build_network` (same metric CRS); required in network
        mode.

    Returns
    -------
    CoverageModel
        Distances in metres from every resident to the nearest facility of each type.

    Raises
    ------
    ValueError
        If either layer is not in a metric CRS (degrees or no CRS), the two CRSs differ, ``mode`` is
        unknown, network mode has no ``network``, the population column is missing or has empty or
        non-numeric values, or ``types`` holds a type unknown to the catalogue.
    """
    require_metric(residents, "residents")
    require_metric(facilities, "facilities")
    if residents.crs != facilities.crs:
        raise ValueError(
            f"residents ({residents.crs}) and facilities ({facilities.crs}) are in different CRSs"
        )
    if mode not in MODES:
        raise ValueError(f"unknown distance mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "network" and network is None:
        raise ValueError("network mode needs a street network (build_network)")
    if population_column not in residents:
        raise ValueError(f"residents have no {population_column!r} column")
    pop = pd.to_numeric(residents[population_column], errors="coerce")
    if pop.isna().any():
        raise ValueError(f"{population_column!r} has empty or non-numeric values")
    groups = pd.DataFrame({c: residents[c].to_numpy() for c in group_columns if c in residents})
    model = CoverageModel(
        resident_xy=_xy(residents),
        population=pop.to_numpy(dtype=float),
        groups=groups,
        facilities=facilities.reset_index(drop=True),
        catalogue=catalogue,
        mode=mode,
        network=network,
    )
    wanted = types if types is not None else list(catalogue.types)
    unknown = sorted(set(wanted) - set(catalogue.types))
    if unknown:
        raise ValueError(f"unknown facility types: {', '.join(unknown)}")
    # distances only: the nearest-facility positions are computed when first asked for (NearestIndex),
    # so the model holds one float64 array per type, as a bare per-type query would
    model.nearest = NearestIndex(model.resident_xy, model.facilities, mode, model.distance_m)
    fac_snap = None
    if mode == "network":  # snap residents and facilities once for all types; searches stop at the radius
        model.resident_snap = network.snap(model.resident_xy)
        model.limit_m = {t: catalogue.radius_m(t) for t in wanted}
        fac_snap, fac_type = network.snap(_xy(model.facilities)), model.facilities["type"].to_numpy()
    for t in wanted:
        model.distance_m[t] = _distances(
            model.resident_xy,
            model.facility_xy(t) if fac_snap is None else fac_snap.take(fac_type == t),
            mode,
            network,
            model.limit_m.get(t, np.inf),
            model.resident_snap,
        )[0]
    return model


# ------------------------------------------------------------------------------------------ aggregates


def _group_codes(groups: pd.DataFrame, by: str) -> tuple[np.ndarray, pd.Index]:
    """Return each resident's position among the groups of ``groups[by]``, and those groups.

    The groups are what a pandas group-by gives (sorted, a missing key last). Derived once per groups table
    (a model and its what-ifs share it), so a summary is a weighted count per group instead of a group-by.
    """

    def build():
        keys = groups[by].to_numpy()
        index = pd.Series(np.zeros(len(keys))).groupby(keys, dropna=False).sum().index.rename(by)
        codes = index.get_indexer(keys)
        missing = pd.isna(keys)
        if missing.any():  # None and NaN keys are the one missing group (the index finds NaN, not None)
            codes[missing] = np.flatnonzero(index.isna())[0]
        codes.flags.writeable = False  # shared by every caller (and session) of this groups table
        return codes, index

    return derived(groups, ("group_codes", by), build)


def _agg(pop: np.ndarray, served: np.ndarray, groups: pd.DataFrame | None, by: str | None) -> pd.DataFrame:
    """Residents and residents served in total (``by`` None: one row) or per group of ``groups[by]``."""
    served_pop = np.where(served, pop, 0.0)
    if by is None:
        out = pd.DataFrame({"population": [float(pop.sum())], "served_pop": [float(served_pop.sum())]})
    else:
        codes, index = _group_codes(groups, by)
        out = pd.DataFrame(
            {
                "population": np.bincount(codes, weights=pop, minlength=len(index)),
                "served_pop": np.bincount(codes, weights=served_pop, minlength=len(index)),
            },
            index=index.copy(),  # its own (a caller may rename it)
        )
    out["unserved_pop"] = out["population"] - out["served_pop"]
    out["served_share"] = np.divide(
        out["served_pop"], out["population"], out=np.zeros(len(out)), where=out["population"].to_numpy() > 0
    )
    return out


def type_summary(model: CoverageModel, *, by: str | None = None) -> pd.DataFrame:
    """Summarise residents served and unserved per facility type, city-wide or per group.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    by : str, optional
        Group column of ``model.groups`` (e.g. "community_id"); default one city-wide row per type.

    Returns
    -------
    pandas.DataFrame
        One row per type (and group), columns ``[by,] type, population, served_pop, unserved_pop,
        served_share, radius_m, mode``: residents, served share 0…1 (0 where population is 0), radius in
        metres and the distance mode.

    Raises
    ------
    KeyError
        If ``by`` is not a group column of the model.
    ValueError
        If the model has no facility types.
    """
    frames = []
    for t in model.distance_m:
        a = _agg(model.population, model.served(t), model.groups, by).reset_index(drop=by is None)
        a.insert(0 if by is None else 1, "type", t)
        a["radius_m"] = model.radius_m(t)
        frames.append(a)
    out = pd.concat(frames, ignore_index=True)
    out["mode"] = model.mode
    return out


def circle_summary(model: CoverageModel, *, by: str | None = None) -> pd.DataFrame:
    """Summarise residents served for each life circle (all its types reached), overall or per group.

    Circles without any type computed in the model are left out.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    by : str, optional
        Group column of ``model.groups``; default one city-wide row per circle.

    Returns
    -------
    pandas.DataFrame
        One row per circle ("5min", "10min", "15min") and group, columns ``[by,] circle, population,
        served_pop, unserved_pop, served_share, mode`` (residents; share 0…1).

    Raises
    ------
    KeyError
        If ``by`` is not a group column of the model.
    ValueError
        If no circle has a type computed in the model.
    """
    frames = []
    for circle in ("5min", "10min", "15min"):
        if not [t for t in model.catalogue.circle_types(circle) if t in model.distance_m]:
            continue
        a = _agg(model.population, model.circle_served(circle), model.groups, by).reset_index(drop=by is None)
        a.insert(0 if by is None else 1, "circle", circle)
        frames.append(a)
    out = pd.concat(frames, ignore_index=True)
    out["mode"] = model.mode
    return out


def evaluable_requirements(model: CoverageModel) -> list[tuple[tuple[str, ...], list[str]]]:
    """Split the 完整社区 requirements into those the workspace can evaluate and those it cannot.

    A requirement can be evaluated when at least one of its facility types is computed in the model *and*
    has at least one facility in the model's data; otherwise it "cannot evaluate: needs data" (e.g. no
    delivery points were ever recorded) — which is not the same as "missing".

    Parameters
    ----------
    model : CoverageModel
        The coverage model.

    Returns
    -------
    list of (tuple of str, list of str)
        For every requirement in catalogue order: the requirement and the list of its types that can be
        used (empty when the requirement cannot be evaluated).
    """
    present = set(model.facilities["type"]) if len(model.facilities) else set()
    return [
        (req, [t for t in req if t in model.distance_m and t in present])
        for req in model.catalogue.complete_community
    ]


def community_checklist(
    model: CoverageModel, *, by: str = "community_id", present_share: float = PRESENT_SHARE
) -> pd.DataFrame:
    """Build the 完整社区 checklist per community, item by item (完整居住社区建设标准（试行）, 2020).

    A requirement (tuple of acceptable types, e.g. pocket park OR park for 公共绿地) counts as present when
    the population-weighted share of residents within radius of any of its types is ≥ ``present_share``.
    A requirement none of whose types has a facility in the data (or is computed in the model) cannot be
    evaluated: its share is NaN, it is listed in ``unevaluated`` and it does not pass (it is not counted
    in ``missing`` either — "needs data" is not "missing").

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    by : str, default "community_id"
        Group column of ``model.groups`` identifying the community.
    present_share : float, default ``PRESENT_SHARE`` (0.5)
        Population-weighted share (0…1) of residents within radius above which a requirement is present.

    Returns
    -------
    pandas.DataFrame
        Indexed by the ``by`` key; one ``share_<types>`` column (0…1, NaN when not evaluable; types joined
        by "/") per requirement, ``missing`` (list of the evaluated requirement names below
        ``present_share``), ``missing_count`` (int), ``unevaluated`` (list of the requirement names that
        cannot be evaluated, the same for every row), ``unevaluated_count`` (int) and ``passed_count``
        (int, requirements present).

    Raises
    ------
    KeyError
        If ``by`` is not a group column of the model.
    """
    rows = {}
    unevaluated = []
    # each resident's row in ``index`` (missing keys included): one bincount per requirement
    codes, index = _group_codes(model.groups, by)
    index = index.copy()
    group_pop = np.bincount(codes, weights=model.population, minlength=len(index))
    for req, types in evaluable_requirements(model):
        name = "/".join(req)
        if not types:
            unevaluated.append(name)
            rows[name] = np.full(len(index), np.nan)
            continue
        served = np.zeros(len(model.population), dtype=bool)
        for t in types:
            served |= model.served(t)
        served_pop = np.bincount(codes, weights=np.where(served, model.population, 0.0), minlength=len(index))
        rows[name] = np.divide(served_pop, group_pop, out=np.zeros(len(index)), where=group_pop > 0)
    table = pd.DataFrame(rows, index=index)
    evaluated = [c for c in table.columns if c not in unevaluated]
    names = np.array(evaluated, dtype=object)
    missing = table[evaluated].to_numpy() < present_share
    missing_lists = [names[m].tolist() for m in missing]
    table.columns = [f"share_{c}" for c in table.columns]
    table["missing"] = missing_lists
    table["missing_count"] = table["missing"].map(len).astype(int)
    table["unevaluated"] = [list(unevaluated) for _ in range(len(table))]
    table["unevaluated_count"] = len(unevaluated)
    table["passed_count"] = len(evaluated) - table["missing_count"]
    return table


def resident_missing_count(model: CoverageModel) -> np.ndarray:
    """Count, per resident, the evaluable 完整社区 requirements not within radius.

    Requirements that cannot be evaluated (no facility of their types in the data, see
    :func:`evaluable_requirements`) are not counted.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.

    Returns
    -------
    numpy.ndarray
        Shape (n,) int64 number of requirements none of whose types is within radius (0 = all reached).
    """
    count = np.zeros(len(model.population), dtype=np.int64)
    for _req, types in evaluable_requirements(model):
        if not types:
            continue
        served = np.zeros(len(model.population), dtype=bool)
        for t in types:
            served |= model.served(t)
        count += ~served
    return count


def gap_ranking(
    model: CoverageModel,
    *,
    by: str = "community_id",
    present_share: float = PRESENT_SHARE,
    ftype: str | None = None,
) -> pd.DataFrame:
    """Rank service-gap neighbourhoods by unserved residents × missing requirements.

    ``unserved_pop`` counts residents lacking at least one 完整社区 requirement (or lacking ``ftype``
    when given); ``missing_count`` is the number of requirements the community lacks per the checklist.
    ``gap_score`` is ``unserved_pop × missing_count`` (with ``ftype``: ``unserved_pop × max(missing_count,
    1)``). Residents with no community key are left out of the ranking.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    by : str, default "community_id"
        Group column of ``model.groups`` identifying the neighbourhood.
    present_share : float, default ``PRESENT_SHARE`` (0.5)
        Share threshold passed to :func:`community_checklist`.
    ftype : str, optional
        Rank by residents lacking this facility type instead of any requirement.

    Returns
    -------
    pandas.DataFrame
        Indexed by the ``by`` key, sorted by ``gap_score`` then ``unserved_pop`` (descending): ``gap_rank``
        (1 = worst), the :func:`community_checklist` columns, ``population``, ``unserved_pop`` (residents),
        ``gap_score`` and ``mode``.

    Raises
    ------
    KeyError
        If ``by`` is not a group column or ``ftype`` was not computed in the model.
    """
    checklist = community_checklist(model, by=by, present_share=present_share)
    lacking = (~model.served(ftype)) if ftype else resident_missing_count(model) > 0
    agg = _agg(model.population, ~lacking, model.groups, by)
    out = checklist.join(agg[["population", "unserved_pop"]], how="left")
    weight = np.maximum(out["missing_count"], 1 if ftype else 0) if ftype else out["missing_count"]
    out["gap_score"] = out["unserved_pop"] * weight
    # residents outside any community (villages, no key) are counted city-wide but are not a neighbourhood
    out = out[out.index.notna() & (out.index.astype(str) != "")]
    out = out.sort_values(["gap_score", "unserved_pop"], ascending=False)
    out.insert(0, "gap_rank", np.arange(1, len(out) + 1))
    out["mode"] = model.mode
    return out


# ------------------------------------------------------------------------------------------- what-if


@dataclass(frozen=True)
class ScenarioResult:
    """Outcome of a what-if :func:`scenario`.

    Attributes
    ----------
    model : CoverageModel
        The new model with the facilities added and removed and the distances updated.
    delta : pandas.DataFrame
        One row per changed facility type: ``type, radius_m, served_before, served_after, newly_served,
        newly_unserved, mode`` (radius in metres, the others in residents).
    added : geopandas.GeoDataFrame
        The proposed facilities (``facility_id`` "NEW-1", …, ``type``, ``name``) in the model's metric
        CRS; empty when nothing was added.
    removed : list of str
        The removed ``facility_id`` values.
    """

    model: CoverageModel
    delta: pd.DataFrame  # per type: served_before, served_after, newly_served, newly_unserved
    added: pd.DataFrame
    removed: list[str]


def scenario(
    model: CoverageModel,
    *,
    add: list[tuple[float, float, str]] | None = None,
    remove: list[str] | None = None,
) -> ScenarioResult:
    """Add proposed facilities and/or remove existing ones, and report who gains or loses service.

    Only what changes is recomputed: in straight-line mode added points update residents by
    ``min(old, new)`` and removals recompute only residents whose nearest facility was removed; in network
    mode each changed type is recomputed on the network. The input model is not modified. Types not
    computed in the model are ignored.

    Parameters
    ----------
    model : CoverageModel
        The current coverage model.
    add : list of tuple of (float, float, str), optional
        Proposed facilities as ``(x, y, type)``, x/y in metres of the model's metric CRS (e.g.
        EPSG:32650), type a catalogue key.
    remove : list of str, optional
        ``facility_id`` values of facilities to remove (compared as strings).

    Returns
    -------
    ScenarioResult
        The new model, the per-type delta in residents, the added facilities and the removed ids.

    Raises
    ------
    ValueError
        If a proposed type is not in the catalogue, a proposed coordinate is not finite, or a removed id
        is not a facility of the model.
    """
    add = list(add or [])
    remove = [str(r) for r in (remove or [])]
    for x, y, t in add:
        if t not in model.catalogue.types:
            raise ValueError(f"unknown facility type {t!r}")
        if not (np.isfinite(x) and np.isfinite(y)):
            raise ValueError("proposed facility coordinates must be finite metres")
    fac = model.facilities
    if remove:
        unknown = sorted(set(remove) - set(fac["facility_id"].astype(str)))
        if unknown:
            raise ValueError(f"unknown facility ids: {', '.join(unknown)}")
    touched = sorted(
        {t for _, _, t in add} | set(fac.loc[fac["facility_id"].astype(str).isin(remove), "type"])
    )
    touched = [t for t in touched if t in model.distance_m]
    new_fac = fac[~fac["facility_id"].astype(str).isin(remove)]
    if add:
        added = gpd.GeoDataFrame(
            {
                "facility_id": [f"NEW-{i + 1}" for i in range(len(add))],
                "type": [t for _, _, t in add],
                "name": [f"proposed {i + 1}" for i in range(len(add))],
            },
            geometry=shapely.points([(x, y) for x, y, _ in add]),
            crs=fac.crs,
        )
        new_fac = pd.concat([new_fac, added], ignore_index=True)
    else:
        added = gpd.GeoDataFrame({"facility_id": [], "type": [], "name": []}, geometry=[], crs=fac.crs)
    new_fac = gpd.GeoDataFrame(new_fac, geometry="geometry", crs=fac.crs).reset_index(drop=True)
    dist = dict(model.distance_m)
    # positions of untouched types stay valid in new_fac (their rows keep their order); the rest is lazy
    near = NearestIndex(model.resident_xy, new_fac, model.mode, dist, items=dict(model.nearest))
    removed_types = set(fac.loc[fac["facility_id"].astype(str).isin(remove), "type"])
    rows = []
    for t in touched:
        before = model.served(t)
        if model.mode == "network":
            fxy = _xy(new_fac[new_fac["type"] == t])
            lim = model.limit_m.get(t, np.inf)
            d, i = _distances(model.resident_xy, fxy, "network", model.network, lim, model.resident_snap)
        else:
            d, i = dist[t].copy(), model.nearest[t].copy()
            if t in removed_types:
                d, i = _after_removal(model, t, remove)
            n_remaining = int(((fac["type"] == t) & ~fac["facility_id"].astype(str).isin(remove)).sum())
            axy = [(x, y) for x, y, tt in add if tt == t]
            for k, (x, y) in enumerate(axy):
                dk = np.hypot(model.resident_xy[:, 0] - x, model.resident_xy[:, 1] - y)
                better = dk < d
                d[better] = dk[better]
                i[better] = n_remaining + k
        dist[t], near[t] = d, i
        after = d <= model.radius_m(t)
        rows.append(
            {
                "type": t,
                "radius_m": model.radius_m(t),
                "served_before": float(model.population[before].sum()),
                "served_after": float(model.population[after].sum()),
                "newly_served": float(model.population[after & ~before].sum()),
                "newly_unserved": float(model.population[before & ~after].sum()),
            }
        )
    new_model = replace(model, facilities=new_fac, distance_m=dist, nearest=near)
    delta = pd.DataFrame(
        rows, columns=["type", "radius_m", "served_before", "served_after", "newly_served", "newly_unserved"]
    )
    delta["mode"] = model.mode
    return ScenarioResult(new_model, delta, added, remove)


def _after_removal(model: CoverageModel, ftype: str, remove: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Recompute straight-line distances after removing facilities of one type.

    Only residents whose nearest facility was removed are recomputed; indices of the others are
    renumbered to the remaining facilities.
    """
    fac_t = model.facilities[model.facilities["type"] == ftype].reset_index(drop=True)
    gone = fac_t["facility_id"].astype(str).isin(remove).to_numpy()
    remap = np.full(len(fac_t), -1, dtype=np.int64)
    remap[~gone] = np.arange(int((~gone).sum()))
    d, i = model.distance_m[ftype].copy(), model.nearest[ftype].copy()
    affected = (i >= 0) & np.isin(i, np.flatnonzero(gone))
    keep = (i >= 0) & ~affected
    i[keep] = remap[i[keep]]
    if affected.any():
        d2, i2 = nearest_distance_m(model.resident_xy[affected], _xy(fac_t[~gone]))
        d[affected], i[affected] = d2, i2
    return d, i


# ------------------------------------------------------------------------------------------- display


def coverage_area(
    facilities: gpd.GeoDataFrame, radius_m: float, *, simplify_m: float = 20.0
) -> gpd.GeoDataFrame:
    """Dissolve the straight-line service areas of facilities into one polygon, for display only.

    The geometry is simplified and buffers are polygonal (8 segments per quarter circle), so it must not
    be used to count residents.

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        Facilities in a metric CRS such as EPSG:32650 (non-points use representative points); degrees are
        refused with ValueError.
    radius_m : float
        Buffer radius in metres (> 0).
    simplify_m : float, default 20.0
        Simplification tolerance in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        One (multi)polygon row in the facilities' CRS, or no row when there are no facilities.

    Raises
    ------
    ValueError
        If ``facilities`` is not in a metric CRS or ``radius_m`` is not positive.
    """
    require_metric(facilities, "facilities")
    if radius_m <= 0:
        raise ValueError(f"radius_m must be positive, got {radius_m}")
    if len(facilities) == 0:
        return gpd.GeoDataFrame(geometry=[], crs=facilities.crs)
    geom = shapely.union_all(shapely.buffer(_xy_points(facilities), radius_m, quad_segs=8))
    return gpd.GeoDataFrame(geometry=[geom.simplify(simplify_m)], crs=facilities.crs)


def _xy_points(gdf):
    return shapely.points(_xy(gdf))


def served_for(model: CoverageModel, selection: str) -> np.ndarray:
    """Return the served flags of a selection: a facility type or a life circle.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    selection : str
        A facility type key computed in the model, or ``"circle:<5min|10min|15min>"``.

    Returns
    -------
    numpy.ndarray
        Shape (n,) booleans, True where the resident is served.

    Raises
    ------
    ValueError
        If the type is not in the model, or the circle has no type in the model.
    """
    if selection.startswith("circle:"):
        return model.circle_served(selection.split(":", 1)[1])
    if selection not in model.distance_m:
        raise ValueError(f"unknown facility type {selection!r}")
    return model.served(selection)


def share_by(model: CoverageModel, selection: str, *, by: str) -> pd.DataFrame:
    """Summarise population, served, unserved and served share per group for a selection.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    selection : str
        A facility type key or ``"circle:<5min|10min|15min>"`` (see :func:`served_for`).
    by : str
        Group column of ``model.groups``.

    Returns
    -------
    pandas.DataFrame
        Indexed by the group key: ``population``, ``served_pop``, ``unserved_pop`` (residents) and
        ``served_share`` (0…1).

    Raises
    ------
    ValueError
        If the selection is unknown to the model.
    KeyError
        If ``by`` is not a group column of the model.
    """
    return _agg(model.population, served_for(model, selection), model.groups, by)


def headline(model: CoverageModel, selection: str) -> dict:
    """Compute city-wide totals for a selection.

    Parameters
    ----------
    model : CoverageModel
        The coverage model.
    selection : str
        A facility type key or ``"circle:<5min|10min|15min>"`` (see :func:`served_for`).

    Returns
    -------
    dict
        ``population``, ``served_pop``, ``unserved_pop`` (residents, float), ``served_share`` (0…1) and
        ``mode`` (the distance mode).

    Raises
    ------
    ValueError
        If the selection is unknown to the model.
    """
    row = _agg(model.population, served_for(model, selection), None, None).iloc[0]
    return {k: float(row[k]) for k in ("population", "served_pop", "unserved_pop", "served_share")} | {
        "mode": model.mode
    }


def point_coverage(
    residents: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    *,
    radius_m: float,
    population_column: str = "population",
    mode: str = "euclidean",
    network=None,
) -> pd.DataFrame:
    """Compute, per resident feature, the distance to the nearest facility and whether it is served.

    All facilities count, whatever their type, with one radius.

    Parameters
    ----------
    residents : geopandas.GeoDataFrame
        Resident features (non-points use representative points) in a metric CRS such as EPSG:32650;
        degrees are refused with ValueError.
    facilities : geopandas.GeoDataFrame
        Facility features in the same metric CRS (not checked to be the same).
    radius_m : float
        Service radius in metres (> 0).
    population_column : str, default "population"
        Column of ``residents`` that must hold a number of residents per feature.
    mode : {"euclidean", "network"}, default "euclidean"
        Straight-line distance, or walking distance on ``network``.
    network : layers.network.StreetNetwork, optional
        Street network (same metric CRS), required in network mode.

    Returns
    -------
    pandas.DataFrame
        The residents' attributes (no geometry) in input order and index, plus ``distance_m`` (metres,
        rounded to 0.1 m; NaN when there is no facility or none is reachable) and ``served``
        (``distance_m ≤ radius_m``; False when NaN).

    Raises
    ------
    ValueError
        If either layer is not in a metric CRS, ``radius_m`` is not positive, the population column is
        missing or has empty or non-numeric values (the message lists up to 10 row positions), ``mode`` is
        unknown, or network mode has no ``network``.
    """
    require_metric(residents, "residents")
    require_metric(facilities, "facilities")
    if radius_m <= 0:
        raise ValueError(f"radius must be positive metres, got {radius_m}")
    if population_column not in residents:
        raise ValueError(f"residents have no {population_column!r} column")
    pop = pd.to_numeric(residents[population_column], errors="coerce")
    if pop.isna().any():
        rows = np.flatnonzero(pop.isna().to_numpy())[:10].tolist()
        raise ValueError(f"{population_column!r} is empty or not a number in rows {rows}")
    if mode not in MODES:
        raise ValueError(f"unknown distance mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "network" and network is None:
        raise ValueError("network mode needs a street network (--network)")
    d, _ = _distances(_xy(residents), _xy(facilities), mode, network)  # full distances for the table
    out = pd.DataFrame(residents.drop(columns=residents.geometry.name))
    out["distance_m"] = np.where(np.isfinite(d), np.round(d, 1), np.nan)
    out["served"] = d <= radius_m
    return out


# ---- several radii in one run (batch coverage at province scale) -------------------------------------


def radius_column(radius_m: float) -> str:
    """Name of the served-flag column for one radius: ``served_300m``, ``served_512.5m``."""
    return f"served_{radius_m:g}m"


def multi_radius_coverage(
    resident_xy: np.ndarray, facility_xy: np.ndarray, radii_m
) -> tuple[np.ndarray, dict[float, np.ndarray]]:
    """Distance to the nearest facility and a served flag per radius, from one KD-tree query.

    The same answers as :func:`point_coverage` run once per radius (straight-line distance, all facilities
    count), for arrays of any size: one query (every core), no geometry objects.

    Parameters
    ----------
    resident_xy : numpy.ndarray
        Shape (n, 2), resident x/y in metres of a metric CRS such as EPSG:32650.
    facility_xy : numpy.ndarray
        Shape (m, 2), facility x/y in the same metric CRS (m may be 0).
    radii_m : sequence of float
        Service radii in metres (each > 0).

    Returns
    -------
    distance_m : numpy.ndarray
        Shape (n,), metres to the nearest facility rounded to 0.1 m; NaN when there is no facility.
    served : dict of float to numpy.ndarray
        Radius (m) → bool array, shape (n,): unrounded distance ≤ radius (exactly at the radius is served).

    Raises
    ------
    ValueError
        If no radius is given or a radius is not a positive number of metres.
    """
    radii = [float(r) for r in radii_m]
    if not radii:
        raise ValueError("no radius given")
    bad = [r for r in radii if not (np.isfinite(r) and r > 0)]
    if bad:
        raise ValueError(f"radius must be positive metres, got {bad[0]:g}")
    d, _ = nearest_distance_m(resident_xy, facility_xy)
    served = {r: d <= r for r in radii}
    d = np.round(d, 1, out=d)  # in place: the query's own array (16.7 M cells: 134 MB not copied)
    d[~np.isfinite(d)] = np.nan
    return d, served
