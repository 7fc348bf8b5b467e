"""城市体检 closed loop: problem → where and how big → linked project's predicted effect → re-measure → 销号.

Pure functions over the workspace layers (any CRS; analysis in ``ANALYSIS_CRS``, EPSG:32650, metres), the
evaluation of :func:`layers.healthcheck.evaluate` and the project library (one row per project).

* **Where and how big** (:func:`problem_size`): the unit's polygon and its residents affected (the
  evaluation's ``affected``), households and square metres. Coverage indicators: households of the compounds
  whose representative point lies beyond the radius, and the unit's area beyond the radius of every facility
  of the type (straight line); count indicators: households and area of the counted parcels; other indicators:
  households and area of the whole unit.
* **Predicted effect** (:func:`predict_effect`): a linked project is treated as the facility it provides,
  opened in the problem's survey year at its site (the representative point of its geometry). The indicator
  is re-evaluated by the engine (:func:`layers.healthcheck.evaluate` on the layers with that facility added)
  and the residents of the unit it newly serves come from the what-if engine
  (:func:`layers.coverage.scenario`) on the survey year's coverage model. A renewal-parcel project of a
  count indicator (危旧房, 预制板) is treated as completed in the survey year. Anything else says why it
  cannot be predicted instead of giving a number.
* **Which facility a project provides** (:func:`project_facility_types`): the project library has no
  facility-type field. A project whose name names a catalogue facility (the siting page promotes sites as
  "新增幼儿园（选址 …）") provides that facility; otherwise its category decides —
  :data:`CATEGORY_FACILITY_TYPES`: 完整社区配套 → the 5-minute neighbourhood facilities of the 完整社区
  checklist, 停车设施 → public car park. A 完整社区配套 project that names no facility is assumed to provide
  the facility of the coverage indicator it is linked to (an assumption stated in the method panel).
* **Re-measure** (:func:`remeasure`): each problem of year Y0 against the evaluation of year Y1: passes now
  → propose 销号; still failing while every linked project is 完工 → flagged "projects complete but
  indicator still fails"; still failing otherwise → carried over.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import wkt as shapely_wkt

from layers.coverage import build_model, nearest_distance_m, scenario
from layers.crs import ANALYSIS_CRS, DISPLAY_CRS
from layers.healthcheck import LEVELS, evaluate

#: project category (geodata.stores CATEGORIES) → facility types a project of that category may provide
CATEGORY_FACILITY_TYPES = {
    "完整社区配套": (
        "community_service",
        "kindergarten",
        "nursery",
        "elderly_daycare",
        "health_station",
        "supermarket",
        "delivery",
        "activity_ground",
        "pocket_park",
    ),
    "停车设施": ("parking",),
}
#: project category → count indicators whose counted parcel the project removes when it is completed
CATEGORY_PARCEL_INDICATORS = {"危旧房改造": "danger_grade", "预制板治理": "precast_slab"}
#: the re-measure outcomes
REMEASURE_STATUSES = ("propose_close", "complete_but_failing", "carried_over", "not_measured")
DONE = "完工"


def parse_problem_id(problem_id: str) -> dict:
    """Split a problem id ``"year|level|unit|indicator"`` into its parts.

    Parameters
    ----------
    problem_id : str
        As made by :func:`layers.healthcheck.problems`.

    Returns
    -------
    dict
        ``year`` (int), ``level``, ``unit`` and ``indicator`` (str).

    Raises
    ------
    ValueError
        If the id does not have four parts or the year is not a number.
    """
    parts = str(problem_id).split("|")
    if len(parts) != 4 or not parts[0].isdigit():
        raise ValueError(f"not a problem id (year|level|unit|indicator): {problem_id!r}")
    return {"year": int(parts[0]), "level": parts[1], "unit": parts[2], "indicator": parts[3]}


def _unit_polygons(layers: dict, level: str) -> gpd.GeoSeries:
    """Return the unit polygons of a level in ANALYSIS_CRS, indexed by unit key (dissolved from communities if needed)."""
    comms = layers["communities"].to_crs(ANALYSIS_CRS)
    key = LEVELS[level]
    if level == "community":
        return comms.set_index("community_id").geometry
    return comms.dissolve(by=key).geometry


def _survey_facilities(layers: dict, year: int) -> gpd.GeoDataFrame:
    fac = layers["facilities"].to_crs(ANALYSIS_CRS)
    if "opened_year" in fac:
        fac = fac[~(fac["opened_year"] > year)]  # NULL = not stated (e.g. imported later): counted
    return fac.reset_index(drop=True)


def _cells(layers: dict) -> gpd.GeoDataFrame:
    comms = layers["communities"].to_crs(ANALYSIS_CRS)
    cells = layers["population_cells"].to_crs(ANALYSIS_CRS).copy()
    cells["subdistrict_id"] = cells["community_id"].map(comms.set_index("community_id")["subdistrict_id"])
    return cells


def survey_model(layers: dict, catalogue, *, year: int, types: list[str]):
    """Build the straight-line coverage model of a survey year, the way :func:`evaluate` builds it.

    Parameters
    ----------
    layers : dict
        Workspace layers (any CRS) with ``population_cells``, ``facilities`` and ``communities``.
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    year : int
        Survey year: facilities with ``opened_year`` > year are left out.
    types : list of str
        Facility types to compute.

    Returns
    -------
    layers.coverage.CoverageModel
        In ``ANALYSIS_CRS`` (EPSG:32650, metres), grouped by community, subdistrict and district.
    """
    return build_model(
        _cells(layers),
        _survey_facilities(layers, year),
        catalogue=catalogue,
        types=types,
        group_columns=("community_id", "subdistrict_id", "district_adcode"),
    )


# ------------------------------------------------------------------------------------ where / how big


def problem_size(problem: pd.Series, layers: dict, catalogue, indicator: dict) -> dict:
    """Say where a problem is and how big it is.

    Parameters
    ----------
    problem : pandas.Series
        One row of :func:`layers.healthcheck.problems` (``level, unit, year, affected, population``).
    layers : dict
        Workspace layers (any CRS); ``compounds`` (``households``) and ``parcels`` are used when present.
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    indicator : dict
        The problem's indicator definition (``geodata/indicators.toml``).

    Returns
    -------
    dict
        ``residents`` (affected residents), ``population`` (the unit's residents), ``households``
        (int; see the module docstring), ``area_m2`` (m²), ``area_kind`` ("unserved", "parcels" or "unit"),
        ``unit_area_m2`` (m²), ``unit_geometry`` and ``problem_geometry`` (shapely geometries in
        EPSG:4326: the unit's polygon and the unserved area / counted parcels / unit).

    Raises
    ------
    KeyError
        If the unit is not a polygon of its level.
    """
    level, unit, year = problem["level"], problem["unit"], int(problem["year"])
    poly = _unit_polygons(layers, level).loc[unit]
    out = {
        "residents": float(problem.get("affected", 0.0)),
        "population": float(problem.get("population", 0.0)),
        "unit_area_m2": float(poly.area),
    }
    comp = layers.get("compounds")
    comp = comp.to_crs(ANALYSIS_CRS) if comp is not None else None
    comp_pts = comp.geometry.representative_point() if comp is not None else None
    in_unit = comp_pts.within(poly).to_numpy() if comp is not None else None
    kind = indicator.get("kind")
    shape = poly
    if kind == "coverage" and indicator.get("type") in catalogue.types:
        ftype = indicator["type"]
        radius = catalogue.radius_m(ftype)
        fac = _survey_facilities(layers, year)
        fac = fac[fac["type"] == ftype]
        fxy = shapely.get_coordinates(fac.geometry.representative_point().values)
        served_area = shapely.union_all(shapely.buffer(shapely.points(fxy), radius)) if len(fxy) else None
        shape = poly.difference(served_area) if served_area is not None else poly
        out["area_kind"] = "unserved"
        if comp is not None:
            d, _ = nearest_distance_m(shapely.get_coordinates(comp_pts.values), fxy)
            out["households"] = int(comp.loc[in_unit & (d > radius), "households"].sum())
    elif kind == "count" and indicator.get("layer") in layers:
        lay = layers[indicator["layer"]].to_crs(ANALYSIS_CRS)
        if "completed_year" in lay:
            lay = lay[~((lay["completed_year"] >= 1) & (lay["completed_year"] <= year))]  # NULL = open
        lay = lay.query(indicator["filter"]) if indicator.get("filter") else lay
        lay = lay[lay.geometry.representative_point().within(poly)]
        shape = shapely.union_all(lay.geometry.values) if len(lay) else shapely.Polygon()
        out["area_kind"] = "parcels"
        if "households" in lay:
            out["households"] = int(pd.to_numeric(lay["households"], errors="coerce").fillna(0).sum())
    else:
        out["area_kind"] = "unit"
    if "households" not in out:
        out["households"] = int(comp.loc[in_unit, "households"].sum()) if comp is not None else 0
    out["area_m2"] = float(shape.area)
    to_ll = gpd.GeoSeries([poly, shape], crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    out["unit_geometry"], out["problem_geometry"] = to_ll.iloc[0], to_ll.iloc[1]
    return out


# ------------------------------------------------------------------------------------ predicted effect


def project_facility_types(project: dict | pd.Series, catalogue) -> tuple[str, ...]:
    """Return the facility types a library project provides (see the module docstring for the rule).

    Parameters
    ----------
    project : dict or pandas.Series
        A library record with ``name`` and ``category``.
    catalogue : geodata.catalogue.Catalogue
        Facility types (their Chinese names, without the bracketed part, are looked for in the project's
        name; English names are not, "Park" being part of "Parking").

    Returns
    -------
    tuple of str
        The one facility its name names, else the types of its category (empty when none).
    """
    name = str(project.get("name") or "")
    named = [
        k
        for k, ft in catalogue.types.items()
        if ft.name_zh.split("（")[0] and ft.name_zh.split("（")[0] in name
    ]
    # the longest name wins ("社区卫生服务站" over a shorter name inside it)
    if named:
        best = max(named, key=lambda k: len(catalogue.types[k].name_zh.split("（")[0]))
        return (best,)
    return tuple(
        t for t in CATEGORY_FACILITY_TYPES.get(str(project.get("category")), ()) if t in catalogue.types
    )


def project_site_xy(project: dict | pd.Series) -> tuple[float, float] | None:
    """Return the project's site in ANALYSIS_CRS metres: the representative point of its WGS84 geometry.

    Parameters
    ----------
    project : dict or pandas.Series
        A library record with ``geometry_wkt`` (EPSG:4326) or none.

    Returns
    -------
    tuple of (float, float) or None
        x, y in metres (EPSG:32650); None without a readable, non-empty geometry.
    """
    text = project.get("geometry_wkt")
    if text is None or (isinstance(text, float) and np.isnan(text)) or not str(text).strip():
        return None
    try:
        geom = shapely_wkt.loads(str(text))
    except shapely.errors.ShapelyError:
        return None
    if geom.is_empty:
        return None
    p = gpd.GeoSeries([geom.representative_point()], crs=DISPLAY_CRS).to_crs(ANALYSIS_CRS).iloc[0]
    return float(p.x), float(p.y)


def _value_of(ev: pd.DataFrame, unit, indicator: str) -> pd.Series:
    rows = ev[(ev["unit"] == unit) & (ev["indicator"] == indicator)]
    if rows.empty:
        raise KeyError(f"no evaluation of {indicator!r} at unit {unit!r}")
    return rows.iloc[0]


def predict_effect(
    problem_id: str, project: dict | pd.Series, layers: dict, catalogue, indicators: list[dict]
) -> dict:
    """Predict a linked project's effect on its problem's indicator, computed by the engine.

    Parameters
    ----------
    problem_id : str
        ``"year|level|unit|indicator"``.
    project : dict or pandas.Series
        The library record (``project_id``, ``name``, ``category``, ``status``, ``geometry_wkt``,
        ``parcel_id``).
    layers : dict
        Workspace layers (any CRS).
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres.
    indicators : list of dict
        Indicator definitions (``geodata/indicators.toml``).

    Returns
    -------
    dict
        ``predicted`` (bool); when True: ``facility_type`` (or None for a parcel project), ``value_before``,
        ``value_after`` (the indicator's unit), ``grade_before``, ``grade_after``, ``newly_served``
        (residents of the unit newly within radius; 0 for parcel projects) and ``newly_served_total``
        (residents anywhere); when False: ``reason`` (a key: "no_geometry", "no_facility", "wrong_facility",
        "not_modelled", "no_parcel", "parcel_not_counted") and ``detail`` (the type or field concerned).

    Raises
    ------
    ValueError
        If the problem id is malformed or names an unknown indicator.
    """
    p = parse_problem_id(problem_id)
    ind = next((d for d in indicators if d["key"] == p["indicator"]), None)
    if ind is None:
        raise ValueError(f"unknown indicator {p['indicator']!r} in problem {problem_id!r}")
    year, level, unit = p["year"], p["level"], p["unit"]
    before = evaluate(layers, catalogue, [ind], year=year, level=level)
    row0 = _value_of(before, unit, ind["key"])
    base = {"project_id": str(project.get("project_id", "")), "problem_id": problem_id}

    def no(reason: str, detail: str = "") -> dict:
        return base | {"predicted": False, "reason": reason, "detail": detail, "value_before": row0["value"]}

    kind = ind["kind"]
    if kind == "count":
        return _predict_parcel(base, ind, row0, project, layers, catalogue, year, level, unit) or no(
            "no_parcel"
        )
    if kind == "coverage":
        wanted = [ind["type"]]
    elif kind == "complete":
        wanted = sorted({t for req in catalogue.complete_community for t in req})
    else:
        return no("not_modelled", kind)
    provides = project_facility_types(project, catalogue)
    if not provides:
        return no("no_facility", str(project.get("category", "")))
    named = len(provides) == 1
    if kind == "coverage":
        ftype = ind["type"] if ind["type"] in provides else None
    else:  # 完整社区: only a project that names its facility can be placed on the checklist
        ftype = provides[0] if named and provides[0] in wanted else None
    if ftype is None:
        return no("wrong_facility", ",".join(provides) if named else ind.get("type", ""))
    xy = project_site_xy(project)
    if xy is None:
        return no("no_geometry")
    # the engine's evaluation with the project's facility opened in the survey year …
    fac = layers["facilities"].to_crs(ANALYSIS_CRS)
    new = gpd.GeoDataFrame(
        {
            "facility_id": [f"PRJ-{base['project_id']}"],
            "type": [ftype],
            "name": [str(project.get("name", ""))],
            "capacity": [0],
            "opened_year": [year],
        },
        geometry=[shapely.Point(xy)],
        crs=ANALYSIS_CRS,
    )
    after_layers = dict(layers) | {
        "facilities": gpd.GeoDataFrame(pd.concat([fac, new], ignore_index=True), crs=ANALYSIS_CRS)
    }
    row1 = _value_of(evaluate(after_layers, catalogue, [ind], year=year, level=level), unit, ind["key"])
    # … and the what-if engine's newly served residents for the same site
    model = survey_model(layers, catalogue, year=year, types=[ftype])
    res = scenario(model, add=[(xy[0], xy[1], ftype)])
    newly = res.model.served(ftype) & ~model.served(ftype)
    in_unit = (model.groups[LEVELS[level]] == unit).to_numpy()
    return base | {
        "predicted": True,
        "facility_type": ftype,
        "value_before": row0["value"],
        "value_after": row1["value"],
        "grade_before": row0["grade"],
        "grade_after": row1["grade"],
        "newly_served": float(model.population[newly & in_unit].sum()),
        "newly_served_total": float(res.delta.set_index("type").loc[ftype, "newly_served"]),
    }


def _predict_parcel(base, ind, row0, project, layers, catalogue, year, level, unit) -> dict | None:
    """Predict a renewal-parcel project of a count indicator: its parcel counted as completed in the survey year."""
    lay_name = ind.get("layer")
    parcel_id = project.get("parcel_id")
    if lay_name not in layers or "parcel_id" not in layers[lay_name] or not parcel_id:
        return None
    lay = layers[lay_name]
    if isinstance(parcel_id, float) or str(parcel_id) not in set(lay["parcel_id"].astype(str)):
        return None
    mask = (lay["parcel_id"].astype(str) == str(parcel_id)).to_numpy()
    done = lay.copy()
    if "completed_year" not in done:
        done["completed_year"] = 0
    open_now = ~((done["completed_year"] >= 1) & (done["completed_year"] <= year))  # NULL = open
    counted = done[open_now].query(ind["filter"]) if ind.get("filter") else done[open_now]
    if str(parcel_id) not in set(counted["parcel_id"].astype(str)):
        return base | {
            "predicted": False,
            "reason": "parcel_not_counted",
            "detail": str(parcel_id),
            "value_before": row0["value"],
        }
    done.loc[mask, "completed_year"] = year
    row1 = _value_of(
        evaluate(dict(layers) | {lay_name: done}, catalogue, [ind], year=year, level=level), unit, ind["key"]
    )
    return base | {
        "predicted": True,
        "facility_type": None,
        "value_before": row0["value"],
        "value_after": row1["value"],
        "grade_before": row0["grade"],
        "grade_after": row1["grade"],
        "newly_served": 0.0,
        "newly_served_total": 0.0,
    }


def predict_links(
    links: pd.DataFrame, projects: pd.DataFrame, layers: dict, catalogue, indicators: list[dict]
) -> pd.DataFrame:
    """Predict the effect of every problem–project link (one row per link).

    Parameters
    ----------
    links : pandas.DataFrame
        ``problem_id, project_id``.
    projects : pandas.DataFrame
        The project library.
    layers, catalogue, indicators
        As for :func:`predict_effect`.

    Returns
    -------
    pandas.DataFrame
        The :func:`predict_effect` dicts as rows (links to missing projects or unknown indicators are left
        out).
    """
    lib = projects.set_index("project_id") if len(projects) else projects
    known = {d["key"] for d in indicators}
    rows = []
    for pid, prj in zip(links["problem_id"], links["project_id"]):
        if prj not in lib.index or pid.split("|")[-1] not in known:
            continue
        rows.append(
            predict_effect(pid, lib.loc[prj].to_dict() | {"project_id": prj}, layers, catalogue, indicators)
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ re-measure


def remeasure(
    problems_y0: pd.DataFrame, eval_y1: pd.DataFrame, links: pd.DataFrame, projects: pd.DataFrame
) -> pd.DataFrame:
    """Re-measure the problems of survey year Y0 with the evaluation of a later year Y1.

    Parameters
    ----------
    problems_y0 : pandas.DataFrame
        :func:`layers.healthcheck.problems` of year Y0 (``problem_id, level, unit, indicator, value,
        grade``).
    eval_y1 : pandas.DataFrame
        :func:`layers.healthcheck.evaluate` of year Y1 at the same level.
    links : pandas.DataFrame
        Problem–project links (``problem_id, project_id``).
    projects : pandas.DataFrame
        The project library (``project_id, status``).

    Returns
    -------
    pandas.DataFrame
        One row per Y0 problem: ``problem_id, unit, indicator, value_y0, grade_y0, value_y1, grade_y1,
        year_y1, projects`` (comma-separated linked ids), ``all_done`` (bool: ≥ 1 linked project and all
        完工) and ``status``: "propose_close" (Y1 grade green), "complete_but_failing" (still yellow/red
        while ``all_done``), "carried_over" (still failing otherwise) or "not_measured" (no Y1 value).
    """
    y1 = eval_y1.set_index(["unit", "indicator"])
    status_of = projects.set_index("project_id")["status"] if len(projects) else pd.Series(dtype=str)
    by_problem = (
        links.groupby("problem_id")["project_id"].apply(sorted) if len(links) else pd.Series(dtype=object)
    )
    year1 = int(eval_y1["year"].iloc[0]) if len(eval_y1) else None
    rows = []
    for r in problems_y0.itertuples(index=False):
        key = (r.unit, r.indicator)
        v1, g1 = (y1.loc[key, "value"], y1.loc[key, "grade"]) if key in y1.index else (np.nan, "none")
        linked = by_problem.get(r.problem_id, [])
        all_done = bool(linked) and all(status_of.get(p) == DONE for p in linked)
        if g1 == "green":
            status = "propose_close"
        elif g1 in ("yellow", "red"):
            status = "complete_but_failing" if all_done else "carried_over"
        else:
            status = "not_measured"
        rows.append(
            {
                "problem_id": r.problem_id,
                "unit": r.unit,
                "indicator": r.indicator,
                "value_y0": r.value,
                "grade_y0": r.grade,
                "value_y1": v1,
                "grade_y1": g1,
                "year_y1": year1,
                "projects": ", ".join(linked),
                "all_done": all_done,
                "status": status,
            }
        )
    cols = [
        "problem_id", "unit", "indicator", "value_y0", "grade_y0", "value_y1", "grade_y1", "year_y1",
        "projects", "all_done", "status",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
