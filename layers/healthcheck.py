"""城市体检 (city health check): indicators by level, evaluation, problem ledger, year-over-year review.

Levels: community (社区), sub-district (街道), district (城区). Indicators are defined in
``geodata/indicators.toml`` (definition, unit, direction, target, source of the target). A survey year Y
uses the facilities opened by Y (``opened_year`` ≤ Y; absent column or value = existed) and counts renewal
parcels as still open unless completed by Y (``completed_year`` in 1..Y).

Grades: green = meets the target; yellow = within 20 % of it; red = worse. Attainment per indicator is
min(value / target, 1) (higher is better) or min(target / value, 1) (lower is better; 1 / (1 + value) for a
target of 0); the composite health score is the equal-weight mean attainment × 100 (weights shown in the UI).
A problem is one indicator failing (yellow or red) at one unit.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.coverage import build_model, community_checklist, share_by
from layers.crs import ANALYSIS_CRS

LEVELS = {
    "community": "community_id",
    "subdistrict": "subdistrict_id",
    "district": "district_adcode",
    "city": "city",  # the whole workspace as one unit (unit key "city"), for the indicator records
}
#: a community counts as having a facility type when at least this share of its residents is within radius
LACKING_SHARE = 0.5
YELLOW_BAND = 0.2


def _keys_for(points: gpd.GeoDataFrame, communities: gpd.GeoDataFrame) -> pd.DataFrame:
    """Community / subdistrict / district keys of each point feature (spatial join on communities)."""
    j = gpd.sjoin(
        points[["geometry"]],
        communities[["community_id", "subdistrict_id", "district_adcode", "geometry"]],
        how="left",
        predicate="within",
    )
    j = j[~j.index.duplicated(keep="first")]
    out = j[["community_id", "subdistrict_id", "district_adcode"]].copy()
    out["city"] = np.where(out["community_id"].notna(), "city", None)
    return out


def attainment(value: float, target: float, direction: str) -> float:
    """Compute the 0…1 degree to which a value meets its target (see module docstring).

    Parameters
    ----------
    value : float
        Indicator value, in the indicator's unit (NaN gives NaN).
    target : float
        Target, in the same unit.
    direction : str
        "higher" (higher is better); any other value means lower is better.

    Returns
    -------
    float
        min(value / target, 1) when higher is better (1 for a target ≤ 0); min(target / value, 1) when
        lower is better (1 for a value ≤ 0, 1 / (1 + value) for a target ≤ 0); NaN for a NaN value.
    """
    if np.isnan(value):
        return np.nan
    if direction == "higher":
        return 1.0 if target <= 0 else float(min(value / target, 1.0))
    if target <= 0:
        return 1.0 / (1.0 + value)
    return 1.0 if value <= 0 else float(min(target / value, 1.0))


def grade(value: float, target: float, direction: str) -> str:
    """Grade a value against its target: green (meets it), yellow (within 20 %), red (worse).

    Parameters
    ----------
    value : float
        Indicator value, in the indicator's unit.
    target : float
        Target, in the same unit.
    direction : str
        "higher" (higher is better); any other value means lower is better.

    Returns
    -------
    str
        "green", "yellow", "red", or "none" when ``value`` is NaN. For lower-is-better with a target of 0,
        yellow means a value ≤ 1.
    """
    if np.isnan(value):
        return "none"
    if direction == "higher":
        if value >= target:
            return "green"
        return "yellow" if value >= target * (1 - YELLOW_BAND) else "red"
    if value <= target:
        return "green"
    limit = target * (1 + YELLOW_BAND) if target > 0 else 1.0
    return "yellow" if value <= limit else "red"


def evaluate(layers: dict, catalogue, indicators: list[dict], *, year: int, level: str) -> pd.DataFrame:
    """Evaluate every indicator at every unit of a level for a survey year.

    Analysis runs in ``ANALYSIS_CRS`` (EPSG:32650, metres); coverage uses straight-line distances and the
    catalogue radii.

    Parameters
    ----------
    layers : dict
        Workspace layers (any CRS): ``population_cells``, ``facilities``, ``communities`` and the layers
        named by ``ratio`` / ``count`` indicators (e.g. ``compounds``, ``parcels``).
    catalogue : geodata.catalogue.Catalogue
        Facility types with radii in metres and the 完整社区 requirements.
    indicators : list of dict
        Indicator definitions (``geodata/indicators.toml``): ``key``, ``kind`` (coverage, complete, ratio,
        count, places_per_100_elderly), ``unit``, ``direction``, ``target`` and kind-specific fields.
    year : int
        Survey year: facilities with ``opened_year`` > year are left out; parcels with ``completed_year``
        in 1..year are no longer counted.
    level : str
        "community", "subdistrict", "district" or "city" (the whole workspace, unit key ``"city"``).

    Kinds added for the national catalogue (``geodata/national_indicators.toml``): ``coverage_any``
    (share of residents within the radius of at least one of ``types``, each with its own catalogue
    radius: green space 300 m / park 500 m), ``circle`` (share of residents with every type of the life
    circle ``circle`` within radius), ``lacking`` (number of communities of the unit where fewer than
    :data:`LACKING_SHARE` of the residents are within radius of ``type``), ``gap_sum`` (Σ over the
    layer's features of max(0, ⌈``per`` × ``denominator``⌉ − ``numerator``), e.g. parking spaces missing
    at 0.6 per household) and ``completed_share`` (features matching ``filter`` completed by the year,
    ``completed_year`` in 1..year, as a share of all matching features).

    Returns
    -------
    pandas.DataFrame
        Long table, one row per unit and indicator: ``level, unit, indicator, value, target, direction,
        unit_of_measure, gap`` (value − target), ``grade``, ``attainment`` (0…1), ``population``
        (residents), ``affected`` (residents behind the failing value: unserved residents for coverage,
        the unit's residents otherwise), ``ledger`` (False for indicators whose failing units are not
        问题台账 items: ``ledger = false`` in the TOML) and ``year``.

    Raises
    ------
    ValueError
        If ``level`` or an indicator kind is unknown (or the coverage model cannot be built).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    key = LEVELS[level]
    comms = layers["communities"].to_crs(ANALYSIS_CRS)
    sub_of = comms.set_index("community_id")["subdistrict_id"]
    cells = layers["population_cells"].to_crs(ANALYSIS_CRS).copy()
    cells["subdistrict_id"] = cells["community_id"].map(sub_of)
    cells["city"] = "city"
    fac = layers["facilities"].to_crs(ANALYSIS_CRS)
    if "opened_year" in fac:
        fac = fac[~(fac["opened_year"] > year)]  # NULL = not stated (e.g. imported later): counted
    fac_keys = _keys_for(fac, comms)
    cov_types = sorted(
        {d["type"] for d in indicators if d["kind"] in ("coverage", "lacking")}
        | {t for d in indicators if d["kind"] == "coverage_any" for t in d["types"]}
        | {t for d in indicators if d["kind"] == "circle" for t in catalogue.circle_types(d["circle"])}
        | {t for req in catalogue.complete_community for t in req}
    )
    model = build_model(
        cells,
        fac.reset_index(drop=True),
        catalogue=catalogue,
        types=cov_types,
        group_columns=("community_id", "subdistrict_id", "district_adcode", "city"),
    )
    pop = cells.groupby(key)["population"].sum()
    elderly = cells.groupby(key)["elderly"].sum()
    rows = []
    for d in indicators:
        if d["kind"] == "coverage":
            s = share_by(model, d["type"], by=key)
            values, affected = s["served_share"], s["unserved_pop"]
        elif d["kind"] == "complete":
            cl = community_checklist(model, by=key)
            n_req = len(catalogue.complete_community)
            # an item that cannot be evaluated (no data) does not pass (完整居住社区建设标准（试行）, 2020)
            values = 1 - (cl["missing_count"] + cl["unevaluated_count"]) / n_req
            affected = pop.reindex(values.index).where(values < 1, 0.0)
        elif d["kind"] == "ratio":
            lay = layers[d["layer"]].to_crs(ANALYSIS_CRS)
            lay = lay.assign(**_layer_keys(lay, comms, sub_of))
            num = lay.query(d["numerator_filter"]) if d.get("numerator_filter") else lay
            n = num.groupby(key)[d["numerator"]].sum()
            den = lay.groupby(key)[d["denominator"]].sum()
            values = n.reindex(den.index, fill_value=0) / den.replace(0, np.nan)
            affected = pop.reindex(values.index)
        elif d["kind"] == "count":
            lay = layers[d["layer"]].to_crs(ANALYSIS_CRS)
            if "completed_year" in lay:
                lay = lay[~((lay["completed_year"] >= 1) & (lay["completed_year"] <= year))]  # NULL = open
            lay = lay.query(d["filter"]) if d.get("filter") else lay
            keys = _keys_for(
                gpd.GeoDataFrame(geometry=lay.geometry.representative_point(), crs=lay.crs), comms
            )
            values = keys.groupby(key).size().reindex(pop.index, fill_value=0).astype(float)
            affected = pop.reindex(values.index).where(values > 0, 0.0)
        elif d["kind"] in ("coverage_any", "circle"):
            if d["kind"] == "circle":
                served = model.circle_served(d["circle"])
            else:
                served = np.zeros(len(model.population), dtype=bool)
                for t in d["types"]:
                    served |= model.served(t)
            pop_arr = model.population
            g = pd.DataFrame(
                {"k": model.groups[key].to_numpy(), "p": pop_arr, "s": np.where(served, pop_arr, 0.0)}
            )
            agg = g.groupby("k")[["p", "s"]].sum()
            values = agg["s"] / agg["p"].replace(0, np.nan)
            affected = agg["p"] - agg["s"]
        elif d["kind"] == "lacking":
            per_comm = share_by(model, d["type"], by="community_id")
            lacking = per_comm["served_share"] < LACKING_SHARE
            first = cells.drop_duplicates("community_id").set_index("community_id", drop=False)
            unit_of = first[key]
            flags = pd.DataFrame(
                {
                    "k": unit_of.reindex(per_comm.index).to_numpy(),
                    "n": lacking.to_numpy(),
                    "p": per_comm["population"],
                }
            )
            values = flags.groupby("k")["n"].sum().astype(float)
            affected = flags[flags["n"]].groupby("k")["p"].sum().reindex(values.index, fill_value=0.0)
        elif d["kind"] == "gap_sum":
            lay = layers[d["layer"]].to_crs(ANALYSIS_CRS)
            lay = lay.assign(**_layer_keys(lay, comms, sub_of))
            need = np.ceil(lay[d["denominator"]].astype(float) * float(d["per"]))
            gap = (need - lay[d["numerator"]].astype(float)).clip(lower=0)
            values = gap.groupby(lay[key].to_numpy()).sum()
            affected = pop.reindex(values.index)
        elif d["kind"] == "completed_share":
            lay = layers[d["layer"]].to_crs(ANALYSIS_CRS)
            lay = lay.query(d["filter"]) if d.get("filter") else lay
            keys = _keys_for(
                gpd.GeoDataFrame(geometry=lay.geometry.representative_point(), crs=lay.crs), comms
            )
            done_year = lay["completed_year"] if "completed_year" in lay else pd.Series(0, index=lay.index)
            done = ((done_year >= 1) & (done_year <= year)).to_numpy()
            f = pd.DataFrame({"k": keys[key].to_numpy(), "done": done})
            values = f.groupby("k")["done"].mean().astype(float)
            affected = pop.reindex(values.index).where(values < 1, 0.0)
        elif d["kind"] == "places_per_100_elderly":
            f = fac[fac["type"].isin(d["types"])]
            places = f.assign(k=fac_keys.loc[f.index, key].to_numpy()).groupby("k")["capacity"].sum()
            values = places.reindex(elderly.index, fill_value=0) / elderly.replace(0, np.nan) * 100
            affected = elderly.reindex(values.index)
        else:
            raise ValueError(f"unknown indicator kind {d['kind']!r} ({d['key']})")
        values = values.reindex(pop.index)
        for unit, v in values.items():
            if unit in (None, "") or (isinstance(unit, float) and np.isnan(unit)):
                continue
            v = float(v) if pd.notna(v) else np.nan
            rows.append(
                {
                    "level": level,
                    "unit": unit,
                    "indicator": d["key"],
                    "value": v,
                    "target": float(d["target"]),
                    "direction": d["direction"],
                    "unit_of_measure": d["unit"],
                    "gap": (v - d["target"]) if not np.isnan(v) else np.nan,
                    "grade": grade(v, d["target"], d["direction"]),
                    "attainment": attainment(v, d["target"], d["direction"]),
                    "ledger": bool(d.get("ledger", True)),
                    "population": float(pop.get(unit, 0.0)),
                    "affected": float(affected.get(unit, 0.0))
                    if pd.notna(affected.get(unit, np.nan))
                    else 0.0,
                }
            )
    out = pd.DataFrame(rows)
    out["year"] = year
    return out


def _layer_keys(lay: gpd.GeoDataFrame, comms: gpd.GeoDataFrame, sub_of: pd.Series) -> dict:
    if "community_id" in lay:
        sub = lay["community_id"].map(sub_of)
        return {"subdistrict_id": sub.to_numpy(), "city": np.where(sub.notna(), "city", None)}
    keys = _keys_for(gpd.GeoDataFrame(geometry=lay.geometry.representative_point(), crs=lay.crs), comms)
    return {
        "community_id": keys["community_id"].to_numpy(),
        "subdistrict_id": keys["subdistrict_id"].to_numpy(),
        "city": keys["city"].to_numpy(),
    }


def composite(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Compute each unit's composite health score and number of failing indicators.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        Output of :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit, sorted by score (worst first): ``score`` (equal-weight mean attainment × 100,
        0–100), ``failing`` (yellow or red indicators) and ``population`` (residents).
    """
    g = evaluation.groupby("unit")
    return pd.DataFrame(
        {
            "score": g["attainment"].mean() * 100,
            "failing": evaluation["grade"]
            .isin(["yellow", "red"])
            .groupby(evaluation["unit"])
            .sum()
            .astype(int),
            "population": g["population"].first(),
        }
    ).sort_values("score")


def problems(evaluation: pd.DataFrame) -> pd.DataFrame:
    """List the problems (问题台账): one row per failing indicator per unit, worst first.

    Parameters
    ----------
    evaluation : pandas.DataFrame
        Output of :func:`evaluate`.

    Returns
    -------
    pandas.DataFrame
        The yellow and red rows of ``evaluation`` (of indicators with ``ledger`` True) with a leading
        ``problem_id`` ("year|level|unit|indicator") and ``severity`` (1 − attainment), red first, then by severity and affected residents (descending).
    """
    failing = evaluation["grade"].isin(["yellow", "red"])
    if "ledger" in evaluation:
        failing &= evaluation["ledger"].astype(bool)
    p = evaluation[failing].copy()
    p.insert(
        0,
        "problem_id",
        [f"{y}|{lv}|{u}|{i}" for y, lv, u, i in zip(p["year"], p["level"], p["unit"], p["indicator"])],
    )
    p["severity"] = 1 - p["attainment"]
    return p.sort_values(["grade", "severity", "affected"], ascending=[True, False, False]).reset_index(
        drop=True
    )


def compare_years(eval_y0: pd.DataFrame, eval_y1: pd.DataFrame, *, tolerance: float = 1e-6) -> pd.DataFrame:
    """Compare two evaluations per unit and indicator: improved, unchanged or worse (by attainment).

    Parameters
    ----------
    eval_y0, eval_y1 : pandas.DataFrame
        Outputs of :func:`evaluate` for the earlier and the later year.
    tolerance : float, default 1e-6
        Attainment changes within ±tolerance count as unchanged.

    Returns
    -------
    pandas.DataFrame
        One row per unit and indicator (outer join): ``unit, indicator, value_y0, attainment_y0, grade_y0,
        value_y1, attainment_y1, grade_y1, change`` ("improved", "worse" or "unchanged"; unchanged when a
        year is missing).
    """
    a = eval_y0.set_index(["unit", "indicator"])
    b = eval_y1.set_index(["unit", "indicator"])
    j = a[["value", "attainment", "grade"]].join(
        b[["value", "attainment", "grade"]], lsuffix="_y0", rsuffix="_y1", how="outer"
    )
    diff = j["attainment_y1"] - j["attainment_y0"]
    j["change"] = np.where(diff > tolerance, "improved", np.where(diff < -tolerance, "worse", "unchanged"))
    return j.reset_index()


def unit_names(layers: dict, level: str, lang: str = "zh") -> pd.Series:
    """Return the display names of the units of a level, indexed by unit key.

    Parameters
    ----------
    layers : dict
        Workspace layers with ``communities``, ``subdistricts`` or ``districts``.
    level : str
        "community", "subdistrict"; any other value means district.
    lang : str, default "zh"
        "en" for English district names, else Chinese (communities and subdistricts have one ``name``).

    Returns
    -------
    pandas.Series
        Names indexed by ``community_id``, ``subdistrict_id`` or district ``adcode``.
    """
    if level == "community":
        return layers["communities"].set_index("community_id")["name"]
    if level == "subdistrict":
        return layers["subdistricts"].set_index("subdistrict_id")["name"]
    return layers["districts"].set_index("adcode")["name_en" if lang == "en" else "name_zh"]


def ledger(problem_rows: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Attach the linked projects to each problem.

    Parameters
    ----------
    problem_rows : pandas.DataFrame
        Problems from :func:`problems` (with ``problem_id``).
    links : pandas.DataFrame
        Problem–project links with ``problem_id`` and ``project_id``.

    Returns
    -------
    pandas.DataFrame
        A copy of ``problem_rows`` with ``projects`` (sorted project ids, comma-separated; "" when none)
        and ``linked`` (bool).
    """
    linked = (
        links.groupby("problem_id")["project_id"].apply(lambda s: ", ".join(sorted(s)))
        if len(links)
        else pd.Series(dtype=str)
    )
    out = problem_rows.copy()
    out["projects"] = out["problem_id"].map(linked).fillna("")
    out["linked"] = out["projects"] != ""
    return out


def projects_without_problem(projects: pd.DataFrame, links: pd.DataFrame, problem_ids) -> pd.DataFrame:
    """Return the library projects that fix no recorded problem (no link to any current problem).

    Parameters
    ----------
    projects : pandas.DataFrame
        Project library with ``project_id``.
    links : pandas.DataFrame
        Problem–project links with ``problem_id`` and ``project_id``.
    problem_ids : iterable of str
        The current problem ids.

    Returns
    -------
    pandas.DataFrame
        The rows of ``projects`` not linked to any of ``problem_ids``.
    """
    current = links[links["problem_id"].isin(set(problem_ids))] if len(links) else links
    return projects[~projects["project_id"].isin(set(current["project_id"]) if len(current) else set())]


def completed_between(
    parcels: pd.DataFrame, projects: pd.DataFrame, links: pd.DataFrame, y0: int, y1: int
) -> pd.DataFrame:
    """List the renewal parcels and library projects completed between two survey years.

    Parameters
    ----------
    parcels : pandas.DataFrame
        Renewal parcels with ``parcel_id``, ``name`` and optionally ``completed_year``.
    projects : pandas.DataFrame
        Project library with ``project_id``, ``name``, ``status`` and ``end_year``.
    links : pandas.DataFrame
        Problem–project links (not used: every library project marked 完工 counts).
    y0, y1 : int
        The years; completions in (y0, y1] are listed.

    Returns
    -------
    pandas.DataFrame
        Columns ``source`` ("parcel" or "project"), ``id``, ``name`` and ``year``.
    """
    rows = []
    if "completed_year" in parcels:
        done = parcels[(parcels["completed_year"] > y0) & (parcels["completed_year"] <= y1)]
        rows += [
            {"source": "parcel", "id": r.parcel_id, "name": r.name, "year": int(r.completed_year)}
            for r in done.itertuples()
        ]
    if len(projects):
        end = pd.to_numeric(projects["end_year"], errors="coerce")
        done = projects[(projects["status"] == "完工") & (end > y0) & (end <= y1)]
        rows += [
            {"source": "project", "id": r.project_id, "name": r.name, "year": int(r.end_year)}
            for r in done.itertuples()
        ]
    return pd.DataFrame(rows, columns=["source", "id", "name", "year"])
