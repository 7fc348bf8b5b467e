"""Scenario A/B (方案比选): apply a named scenario to the workspace's facilities and compare two outcomes.

A scenario (see :mod:`geodata.stores.scenarios`) is a base survey year plus added facilities (lon/lat in
WGS84), removed facility ids and completed library projects. Nothing here is a second coverage engine:

* the base of a scenario is the coverage model of the facilities open in its base year — the
  ``opened_year ≤ year`` rule of :func:`layers.healthcheck.evaluate` (:func:`facilities_open_in`);
* its changes go through the what-if engine :func:`layers.coverage.scenario` (the coverage page's
  what-if and the siting page use it too): added facilities and completed projects whose geometry
  becomes a facility of their type are *added*, removed ids are *removed*;
* "served" is :func:`layers.coverage.served_for` — a facility type within its catalogue radius, or a
  5/10/15-minute life circle with every item within radius (:meth:`layers.coverage.CoverageModel.circle_served`).

:func:`compare` then classifies every resident point as served in both, newly served in B, newly unserved
in B or served in neither, and sums residents per district / community — and, for the age-targeted
types (一老一小), the matching age group when the residents layer has it (:data:`AGE_GROUPS`), else the
total population (the result says which column was used). Distances in metres (EPSG:32650), residents
as counts. Pure functions: inputs are never modified, nothing is read or written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layers.coverage import CoverageModel, ScenarioResult, build_model, scenario, served_for
from layers.crs import ANALYSIS_CRS

#: facility type → the residents' age-group columns it is meant for, in order of preference; a type
#: not listed (or none of whose columns the residents layer has) is counted on the total population
AGE_GROUPS: dict[str, tuple[str, ...]] = {
    "nursery": ("children_0_3",),
    "kindergarten": ("children_3_6",),
    "primary_school": ("children_6_12",),
    "elderly_daycare": ("elderly_60", "elderly"),
    "elderly_home": ("elderly_80", "elderly_60", "elderly"),
}
#: codes of :attr:`Comparison.status` (B compared with A)
NEITHER, BOTH, GAINED, LOST = 0, 1, 2, 3
STATUS_NAMES = {NEITHER: "neither", BOTH: "both", GAINED: "gained", LOST: "lost"}


def facilities_open_in(facilities: gpd.GeoDataFrame, year: int | None) -> gpd.GeoDataFrame:
    """Keep the facilities open in a survey year (the rule of :func:`layers.healthcheck.evaluate`).

    Parameters
    ----------
    facilities : geopandas.GeoDataFrame
        Facilities, optionally with an ``opened_year`` column (calendar year).
    year : int or None
        Survey year; None keeps every facility.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with the rows whose ``opened_year`` ≤ ``year`` (all rows when there is no such column; a
        row without a stated year, e.g. imported later, counts), index reset.
    """
    out = facilities
    if year is not None and "opened_year" in facilities:
        out = facilities[~(pd.to_numeric(facilities["opened_year"], errors="coerce") > year)]  # NULL: counted
    return out.reset_index(drop=True).copy()


def year_model(
    residents: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    catalogue,
    *,
    year: int | None,
    types: list[str] | None = None,
) -> CoverageModel:
    """Build the straight-line coverage model of the facilities open in a survey year.

    Parameters
    ----------
    residents, facilities : geopandas.GeoDataFrame
        Population cells and facilities in the metric ``ANALYSIS_CRS`` (EPSG:32650).
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    year : int or None
        Survey year (see :func:`facilities_open_in`); None = every facility.
    types : list of str, optional
        Facility types to compute (default every catalogue type).

    Returns
    -------
    layers.coverage.CoverageModel
        Distances in metres.
    """
    return build_model(residents, facilities_open_in(facilities, year), catalogue=catalogue, types=types)


def selection_types(catalogue, selection: str) -> list[str]:
    """List the facility types a selection needs in the model.

    Parameters
    ----------
    catalogue : geodata.catalogue.Catalogue
        The catalogue.
    selection : str
        A type key or ``"circle:<5min|10min|15min>"``.

    Returns
    -------
    list of str
        ``[selection]`` for a type; every catalogue type of the circle for a circle.

    Raises
    ------
    ValueError
        If the type is not in the catalogue or the circle has no type.
    """
    if selection.startswith("circle:"):
        types = list(catalogue.circle_types(selection.split(":", 1)[1]))
        if not types:
            raise ValueError(
                f"unknown life circle {selection!r}; use circle:5min, circle:10min or circle:15min"
            )
        return types
    if selection not in catalogue.types:
        raise ValueError(f"unknown facility type {selection!r}; one of: {', '.join(catalogue.types)}")
    return [selection]


def infer_project_type(name: str, catalogue) -> str | None:
    """Guess the facility type of a library project from its name (e.g. "新增幼儿园（选址 S1）").

    Parameters
    ----------
    name : str
        The project's name.
    catalogue : geodata.catalogue.Catalogue
        The catalogue (Chinese type names are matched, the longest first).

    Returns
    -------
    str or None
        The type key whose Chinese name (without its bracketed note; either side of a "/") appears in
        ``name``, the longest match first.
    """
    text = str(name or "")
    names = []
    for key, ftype in catalogue.types.items():
        zh = ftype.name("zh")
        head = zh.split("（")[0].split("(")[0]  # "托育机构（一小）" → "托育机构"
        for part in {head, *head.split("/")}:
            part = part.strip()
            if len(part) >= 2:
                names.append((len(part), part, key))
    for _, part, key in sorted(names, reverse=True):
        if part in text:
            return key
    return None


@dataclass(frozen=True)
class ScenarioRun:
    """A scenario applied to its base model.

    Attributes
    ----------
    base : layers.coverage.CoverageModel
        The model of the base year (before the changes).
    model : layers.coverage.CoverageModel
        The model after the changes (``base`` when nothing changed).
    result : layers.coverage.ScenarioResult or None
        The what-if engine's result (None when nothing changed).
    added : pandas.DataFrame
        What was added: ``source`` ("facility" or "project"), ``ref`` (name or project id), ``type``,
        ``lon``, ``lat`` (degrees, EPSG:4326).
    removed : list of str
        Facility ids removed.
    skipped : pandas.DataFrame
        What could not act on the facilities: ``kind`` (``removed_not_open``, ``project_unknown``,
        ``project_no_type``, ``project_no_geometry``) and ``ref``.
    """

    base: CoverageModel
    model: CoverageModel
    result: ScenarioResult | None
    added: pd.DataFrame
    removed: list[str]
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["kind", "ref"]))


def scenario_changes(spec: Mapping, catalogue, projects: pd.DataFrame | None = None):
    """Turn a scenario's change set into facilities to add and ids to remove (no model needed).

    Parameters
    ----------
    spec : Mapping
        ``added`` (dicts with ``type``, ``name``, ``lon``, ``lat``), ``removed`` (ids) and ``completed``
        (dicts with ``project_id`` and optional ``type``).
    catalogue : geodata.catalogue.Catalogue
        The catalogue (project types inferred from names when not given).
    projects : pandas.DataFrame, optional
        The project library (``project_id``, ``name``, ``geometry_wkt`` in EPSG:4326).

    Returns
    -------
    added : pandas.DataFrame
        ``source, ref, type, lon, lat`` (degrees).
    removed : list of str
        Facility ids.
    skipped : pandas.DataFrame
        ``kind, ref`` of completed projects that add no facility (unknown, no type, no geometry).

    Raises
    ------
    ValueError
        If an added facility's type is not a catalogue type.
    """
    rows, skipped = [], []
    for f in spec.get("added", []) or []:
        if f["type"] not in catalogue.types:
            raise ValueError(f"unknown facility type {f['type']!r}; one of: {', '.join(catalogue.types)}")
        rows.append(("facility", f.get("name") or "", f["type"], float(f["lon"]), float(f["lat"])))
    lib = projects.set_index("project_id") if projects is not None and len(projects) else None
    for c in spec.get("completed", []) or []:
        pid = c["project_id"]
        if lib is None or pid not in lib.index:
            skipped.append(("project_unknown", pid))
            continue
        proj = lib.loc[pid]
        ftype = c.get("type") or infer_project_type(proj.get("name", ""), catalogue)
        if ftype not in catalogue.types:
            skipped.append(("project_no_type", pid))
            continue
        wkt = proj.get("geometry_wkt")
        if not isinstance(wkt, str) or not wkt.strip():
            skipped.append(("project_no_geometry", pid))
            continue
        p = shapely.from_wkt(wkt)
        p = p if p.geom_type == "Point" else p.representative_point()
        rows.append(("project", pid, ftype, float(p.x), float(p.y)))
    added = pd.DataFrame(rows, columns=["source", "ref", "type", "lon", "lat"])
    removed = [str(r) for r in spec.get("removed", []) or []]
    return added, removed, pd.DataFrame(skipped, columns=["kind", "ref"])


def apply_scenario(
    base: CoverageModel, spec: Mapping, *, projects: pd.DataFrame | None = None
) -> ScenarioRun:
    """Apply a scenario's changes to its base-year model through the what-if engine.

    Parameters
    ----------
    base : layers.coverage.CoverageModel
        The model of the scenario's base year (:func:`year_model`), metric CRS.
    spec : Mapping
        The change set (see :func:`scenario_changes`).
    projects : pandas.DataFrame, optional
        The project library, for ``completed`` projects.

    Returns
    -------
    ScenarioRun
        Base, resulting model, engine result and what was added, removed or skipped. Removed ids that are
        not facilities of the base model (e.g. opened after the base year) are skipped
        (``removed_not_open``), not an error.

    Raises
    ------
    ValueError
        If an added type is unknown to the catalogue.
    """
    added, removed, skipped = scenario_changes(spec, base.catalogue, projects)
    present = set(base.facilities["facility_id"].astype(str)) if len(base.facilities) else set()
    gone = [r for r in removed if r in present]
    skipped = pd.concat(
        [
            skipped,
            pd.DataFrame({"kind": "removed_not_open", "ref": [r for r in removed if r not in present]}),
        ],
        ignore_index=True,
    )
    if added.empty and not gone:
        return ScenarioRun(base, base, None, added, [], skipped)
    pts = gpd.GeoSeries(gpd.points_from_xy(added["lon"], added["lat"]), crs="EPSG:4326").to_crs(
        base.facilities.crs or ANALYSIS_CRS
    )
    add = [(p.x, p.y, t) for p, t in zip(pts, added["type"])]
    result = scenario(base, add=add, remove=gone)
    return ScenarioRun(base, result.model, result, added, gone, skipped)


def target_weight(residents: pd.DataFrame, selection: str) -> tuple[np.ndarray | None, str]:
    """Pick the age-group column matching a facility type (一老一小), else the total population.

    Parameters
    ----------
    residents : pandas.DataFrame
        The resident points in model order (e.g. the ``population_cells`` layer), with ``population``
        and any age-group columns (residents per point).
    selection : str
        A facility type key or ``"circle:…"``.

    Returns
    -------
    weight : numpy.ndarray or None
        Shape (n,) residents of the target group per point; None when the total population is used.
    column : str
        The column used (``"population"`` for the fallback).
    """
    for col in AGE_GROUPS.get(selection, ()):
        if col in residents:
            values = pd.to_numeric(residents[col], errors="coerce")
            if values.notna().all():
                return values.to_numpy(dtype=float), col
    return None, "population"


@dataclass(frozen=True)
class Comparison:
    """Outcome B against outcome A for one selection, per resident point and summed.

    Attributes
    ----------
    selection : str
        The facility type or ``"circle:…"`` compared.
    status : numpy.ndarray
        Shape (n,) int8 per resident point: :data:`NEITHER`, :data:`BOTH`, :data:`GAINED` (served in B
        only), :data:`LOST` (served in A only).
    by_district, by_community : pandas.DataFrame
        Indexed by ``district_adcode`` / ``community_id``: ``population``, ``a_served``, ``b_served``,
        ``newly_served``, ``newly_unserved``, ``delta`` (= b − a) and, with a target group,
        ``target_population``, ``a_target``, ``b_target``, ``target_delta`` (residents).
    totals : dict
        The same columns city-wide (floats).
    target_column : str
        The age-group column used for the ``target_*`` figures, or ``"population"``.
    """

    selection: str
    status: np.ndarray
    by_district: pd.DataFrame
    by_community: pd.DataFrame
    totals: dict
    target_column: str


def compare(
    model_a: CoverageModel,
    model_b: CoverageModel,
    selection: str,
    *,
    residents: pd.DataFrame | None = None,
) -> Comparison:
    """Compare who is served in outcome A and outcome B (two scenarios or two survey years).

    Parameters
    ----------
    model_a, model_b : layers.coverage.CoverageModel
        Models over the same resident points (same order).
    selection : str
        A facility type computed in both models, or ``"circle:<5min|10min|15min>"``.
    residents : pandas.DataFrame, optional
        The resident points in model order, for the age-group column of :func:`target_weight`.

    Returns
    -------
    Comparison
        Per-point status and per-district / per-community / city-wide residents.

    Raises
    ------
    ValueError
        If the models hold different resident points, or the selection is unknown to a model.
    """
    if len(model_a.population) != len(model_b.population) or not np.array_equal(
        model_a.resident_xy, model_b.resident_xy
    ):
        raise ValueError("the two models must cover the same resident points")
    a, b = served_for(model_a, selection), served_for(model_b, selection)
    status = np.where(a & b, BOTH, np.where(b, GAINED, np.where(a, LOST, NEITHER))).astype(np.int8)
    weight, column = (None, "population")
    if residents is not None and not selection.startswith("circle:"):
        weight, column = target_weight(residents, selection)
        if weight is not None and len(weight) != len(status):
            raise ValueError("residents do not match the model's resident points")
    pop = model_a.population
    cols = {
        "population": pop,
        "a_served": np.where(a, pop, 0.0),
        "b_served": np.where(b, pop, 0.0),
        "newly_served": np.where(status == GAINED, pop, 0.0),
        "newly_unserved": np.where(status == LOST, pop, 0.0),
    }
    if weight is not None:
        cols |= {
            "target_population": weight,
            "a_target": np.where(a, weight, 0.0),
            "b_target": np.where(b, weight, 0.0),
        }
    df = pd.DataFrame(cols)

    def summarise(keys) -> pd.DataFrame:
        g = df.groupby(keys).sum() if keys is not None else df.sum().to_frame().T
        g["delta"] = g["b_served"] - g["a_served"]
        if weight is not None:
            g["target_delta"] = g["b_target"] - g["a_target"]
        return g

    by = {}
    for key in ("district_adcode", "community_id"):
        if key in model_a.groups:
            s = summarise(model_a.groups[key].to_numpy())
            s.index.name = key
            by[key] = s
        else:
            by[key] = summarise(np.zeros(len(df), dtype=int)).rename_axis(key)
    totals = {k: float(v) for k, v in summarise(None).iloc[0].items()}
    return Comparison(selection, status, by["district_adcode"], by["community_id"], totals, column)


def status_frame(model: CoverageModel, comparison: Comparison, *, crs=None) -> gpd.GeoDataFrame:
    """Return the resident points served in A or B with their status, for the difference map.

    Parameters
    ----------
    model : layers.coverage.CoverageModel
        A model of the compared resident points (its ``resident_xy`` in metres).
    comparison : Comparison
        From :func:`compare`.
    crs : str or pyproj.CRS, optional
        CRS of ``resident_xy`` (default the model's facilities' CRS, else EPSG:32650).

    Returns
    -------
    geopandas.GeoDataFrame
        One point per resident point whose status is not :data:`NEITHER`: ``status`` (name of
        :data:`STATUS_NAMES`), ``population`` (residents) and the model's group keys.
    """
    keep = comparison.status != NEITHER
    crs = crs or model.facilities.crs or ANALYSIS_CRS
    data = {
        "status": [STATUS_NAMES[int(s)] for s in comparison.status[keep]],
        "population": model.population[keep],
    }
    for col in model.groups.columns:
        data[col] = model.groups[col].to_numpy()[keep]
    return gpd.GeoDataFrame(data, geometry=shapely.points(model.resident_xy[keep]), crs=crs)


def run_outcome(
    residents: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    catalogue,
    selection: str,
    *,
    year: int | None,
    spec: Mapping | None = None,
    projects: pd.DataFrame | None = None,
    base: CoverageModel | None = None,
) -> ScenarioRun:
    """One side of a comparison: the facilities of a survey year, with a scenario's changes if any.

    Parameters
    ----------
    residents, facilities : geopandas.GeoDataFrame
        Population cells and the workspace's facilities in ``ANALYSIS_CRS`` (EPSG:32650, metres).
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    selection : str
        A facility type or ``"circle:…"`` (only the types it needs are computed).
    year : int or None
        Base survey year (:func:`facilities_open_in`); None = every facility.
    spec : Mapping, optional
        A scenario's change set (see :func:`scenario_changes`); None = no change.
    projects : pandas.DataFrame, optional
        The project library, for completed projects.
    base : layers.coverage.CoverageModel, optional
        An already built :func:`year_model` of that year with the selection's types (reused).

    Returns
    -------
    ScenarioRun
        The outcome.
    """
    if base is None:
        base = year_model(
            residents, facilities, catalogue, year=year, types=selection_types(catalogue, selection)
        )
    return apply_scenario(base, spec or {}, projects=projects)
