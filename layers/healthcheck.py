"""城市体检 (city health check): indicators by level, evaluation, problem ledger, year-over-year review.

Levels: community (社区), sub-district (街道), district (城区). Indicators are defined in
``geodata/indicators.toml`` (definition, unit, direction, target, source of the target). A survey year Y
uses the facilities opened by Y (``opened_year`` ≤ Y; absent column = all existed) and counts renewal
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

LEVELS = {"community": "community_id", "subdistrict": "subdistrict_id", "district": "district_adcode"}
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
    return j[["community_id", "subdistrict_id", "district_adcode"]]


def attainment(value: float, target: float, direction: str) -> float:
    """0…1 degree to which ``value`` meets ``target`` (see module docstring)."""
    if np.isnan(value):
        return np.nan
    if direction == "higher":
        return 1.0 if target <= 0 else float(min(value / target, 1.0))
    if target <= 0:
        return 1.0 / (1.0 + value)
    return 1.0 if value <= 0 else float(min(target / value, 1.0))


def grade(value: float, target: float, direction: str) -> str:
    """Green (meets target), yellow (within 20 %), red (worse)."""
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
    """Every indicator at every unit of ``level`` for survey ``year``.

    ``layers``: workspace layers (any CRS) — population_cells, facilities, communities, compounds, parcels.
    Returns a long table: unit, indicator, value, target, direction, gap, grade, attainment, population,
    affected (residents behind the failing value: unserved residents for coverage, the unit's residents
    otherwise).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    key = LEVELS[level]
    comms = layers["communities"].to_crs(ANALYSIS_CRS)
    sub_of = comms.set_index("community_id")["subdistrict_id"]
    cells = layers["population_cells"].to_crs(ANALYSIS_CRS).copy()
    cells["subdistrict_id"] = cells["community_id"].map(sub_of)
    fac = layers["facilities"].to_crs(ANALYSIS_CRS)
    if "opened_year" in fac:
        fac = fac[fac["opened_year"] <= year]
    fac_keys = _keys_for(fac, comms)
    cov_types = sorted(
        {d["type"] for d in indicators if d["kind"] == "coverage"}
        | {t for req in catalogue.complete_community for t in req}
    )
    model = build_model(
        cells,
        fac.reset_index(drop=True),
        catalogue=catalogue,
        types=cov_types,
        group_columns=("community_id", "subdistrict_id", "district_adcode"),
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
            values = 1 - cl["missing_count"] / n_req
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
                lay = lay[(lay["completed_year"] <= 0) | (lay["completed_year"] > year)]
            lay = lay.query(d["filter"]) if d.get("filter") else lay
            keys = _keys_for(
                gpd.GeoDataFrame(geometry=lay.geometry.representative_point(), crs=lay.crs), comms
            )
            values = keys.groupby(key).size().reindex(pop.index, fill_value=0).astype(float)
            affected = pop.reindex(values.index).where(values > 0, 0.0)
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
        return {"subdistrict_id": lay["community_id"].map(sub_of).to_numpy()}
    keys = _keys_for(gpd.GeoDataFrame(geometry=lay.geometry.representative_point(), crs=lay.crs), comms)
    return {
        "community_id": keys["community_id"].to_numpy(),
        "subdistrict_id": keys["subdistrict_id"].to_numpy(),
    }


def composite(evaluation: pd.DataFrame) -> pd.DataFrame:
    """Per unit: composite health score (equal-weight mean attainment × 100) and failing count."""
    g = evaluation.groupby("unit")
    return pd.DataFrame(
        {
            "score": g["attainment"].mean() * 100,
            "failing": g["grade"].apply(lambda s: int(s.isin(["yellow", "red"]).sum())),
            "population": g["population"].first(),
        }
    ).sort_values("score")


def problems(evaluation: pd.DataFrame) -> pd.DataFrame:
    """The 问题台账: one row per failing indicator per unit, worst first."""
    p = evaluation[evaluation["grade"].isin(["yellow", "red"])].copy()
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
    """Per unit and indicator: values in both years and improved / unchanged / worse (by attainment)."""
    a = eval_y0.set_index(["unit", "indicator"])
    b = eval_y1.set_index(["unit", "indicator"])
    j = a[["value", "attainment", "grade"]].join(
        b[["value", "attainment", "grade"]], lsuffix="_y0", rsuffix="_y1", how="outer"
    )
    diff = j["attainment_y1"] - j["attainment_y0"]
    j["change"] = np.where(diff > tolerance, "improved", np.where(diff < -tolerance, "worse", "unchanged"))
    return j.reset_index()


def unit_names(layers: dict, level: str, lang: str = "zh") -> pd.Series:
    """Display names of the units of a level, indexed by unit key."""
    if level == "community":
        return layers["communities"].set_index("community_id")["name"]
    if level == "subdistrict":
        return layers["subdistricts"].set_index("subdistrict_id")["name"]
    return layers["districts"].set_index("adcode")["name_en" if lang == "en" else "name_zh"]


def ledger(problem_rows: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Problems with the projects linked to them (comma-separated) and a linked flag."""
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
    """Projects of the library that fix no recorded problem (no link to any current problem)."""
    current = links[links["problem_id"].isin(set(problem_ids))] if len(links) else links
    return projects[~projects["project_id"].isin(set(current["project_id"]) if len(current) else set())]


def completed_between(
    parcels: pd.DataFrame, projects: pd.DataFrame, links: pd.DataFrame, y0: int, y1: int
) -> pd.DataFrame:
    """Renewal parcels completed in (y0, y1] and linked library projects marked 完工 with end_year in (y0, y1]."""
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
