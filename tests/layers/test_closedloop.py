"""Closed loop on a hand-made two-community workspace: size, predicted effect == engine what-if, re-measure."""

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodata.catalogue import load_catalogue
from layers.closedloop import (
    parse_problem_id,
    predict_effect,
    predict_links,
    problem_size,
    project_facility_types,
    project_site_xy,
    remeasure,
    survey_model,
)
from layers.coverage import scenario, share_by
from layers.healthcheck import evaluate, problems

CRS = "EPSG:32650"
CAT = load_catalogue()
IND = [
    {
        "key": "kg",
        "kind": "coverage",
        "type": "kindergarten",
        "unit": "%",
        "direction": "higher",
        "target": 0.9,
    },
    {
        "key": "danger",
        "kind": "count",
        "layer": "parcels",
        "filter": "danger_grade in ['C', 'D']",
        "unit": "处",
        "direction": "lower",
        "target": 0,
    },
    {
        "key": "parking",
        "kind": "ratio",
        "layer": "compounds",
        "numerator": "parking_spaces",
        "denominator": "households",
        "unit": "个/户",
        "direction": "higher",
        "target": 0.6,
    },
]


@pytest.fixture
def layers():
    comms = gpd.GeoDataFrame(
        {
            "community_id": ["C1", "C2"],
            "name": ["甲社区", "乙社区"],
            "subdistrict_id": ["S1", "S1"],
            "district_adcode": [360102, 360102],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=CRS,
    )
    cells = gpd.GeoDataFrame(
        {
            "population": [100.0, 100.0, 50.0],
            "elderly": [10.0, 10.0, 5.0],
            "community_id": ["C1", "C1", "C2"],
            "district_adcode": [360102] * 3,
        },
        geometry=[Point(100, 100), Point(900, 900), Point(1500, 500)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["k1", "k2"],
            "type": ["kindergarten", "kindergarten"],
            "name": ["a", "b"],
            "district_adcode": [360102] * 2,
            "capacity": [0, 0],
            "opened_year": [2010, 2026],  # k2 opens in 2026 next to C2's residents
        },
        geometry=[Point(0, 0), Point(1500, 600)],
        crs=CRS,
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["P1", "P2"],
            "name": ["危房", "新房"],
            "danger_grade": ["D", "A"],
            "precast_slab": [False, False],
            "households": [12, 5],
            "completed_year": [0, 0],
        },
        geometry=[box(1400, 400, 1450, 450), box(1600, 400, 1650, 450)],
        crs=CRS,
    )
    compounds = gpd.GeoDataFrame(
        {
            "community_id": ["C1", "C1", "C2"],
            "households": [100, 60, 40],
            "parking_spaces": [30, 18, 40],
            "build_year": [1990, 1995, 2010],
        },
        # compound 1 is 141 m from k1 (served), compound 2 is 1273 m away (not served)
        geometry=[box(50, 50, 150, 150), box(850, 850, 950, 950), box(1450, 450, 1550, 550)],
        crs=CRS,
    )
    return {
        "communities": comms,
        "population_cells": cells,
        "facilities": fac,
        "parcels": parcels,
        "compounds": compounds,
    }


def _wkt_at(x, y):
    return gpd.GeoSeries([Point(x, y)], crs=CRS).to_crs(4326).iloc[0].wkt


def _project(**kw):
    base = {
        "project_id": "P2026-0001",
        "name": "新增幼儿园（选址 S1）",
        "category": "完整社区配套",
        "status": "储备",
        "geometry_wkt": _wkt_at(900, 800),
        "parcel_id": None,
    }
    return base | kw


def test_parse_problem_id():
    assert parse_problem_id("2025|community|C1|kg") == {
        "year": 2025,
        "level": "community",
        "unit": "C1",
        "indicator": "kg",
    }
    with pytest.raises(ValueError, match="not a problem id"):
        parse_problem_id("C1|kg")


def test_problem_size_by_hand(layers):
    ev = evaluate(layers, CAT, IND, year=2025, level="community")
    p = problems(ev).set_index("problem_id")
    kg = problem_size(p.loc["2025|community|C1|kg"], layers, CAT, IND[0])
    assert kg["residents"] == 100  # the cell at (900, 900) is 1273 m from k1
    assert kg["households"] == 60  # only the far compound is beyond 300 m
    # C1 (1 km²) minus the quarter of k1's 300 m circle inside it (polygonal buffer: within 0.5 %)
    assert kg["area_m2"] == pytest.approx(1e6 - math.pi * 300**2 / 4, rel=5e-3)
    assert kg["area_kind"] == "unserved" and kg["unit_area_m2"] == pytest.approx(1e6)
    danger = problem_size(p.loc["2025|community|C2|danger"], layers, CAT, IND[1])
    assert danger["area_kind"] == "parcels" and danger["area_m2"] == pytest.approx(50 * 50)
    assert danger["households"] == 12  # the grade-D parcel only
    assert danger["unit_geometry"].bounds[0] < danger["problem_geometry"].bounds[0]  # lon/lat, parcel inside


def test_project_facility_types():
    assert project_facility_types({"name": "新增幼儿园（选址 S1）", "category": "完整社区配套"}, CAT) == (
        "kindergarten",
    )
    generic = project_facility_types({"name": "一老一小服务设施补短板", "category": "完整社区配套"}, CAT)
    assert "kindergarten" in generic and "elderly_daycare" in generic and "parking" not in generic
    assert project_facility_types({"name": "立体停车场建设", "category": "停车设施"}, CAT) == ("parking",)
    assert project_facility_types({"name": "老旧小区改造", "category": "老旧小区改造"}, CAT) == ()
    assert project_site_xy({"geometry_wkt": None}) is None
    assert project_site_xy({"geometry_wkt": "POINT EMPTY"}) is None
    assert project_site_xy({"geometry_wkt": "not wkt"}) is None
    x, y = project_site_xy({"geometry_wkt": _wkt_at(900, 800)})
    assert x == pytest.approx(900, abs=0.01) and y == pytest.approx(800, abs=0.01)


def test_predicted_effect_equals_engine_what_if(layers):
    prj = _project()
    eff = predict_effect("2025|community|C1|kg", prj, layers, CAT, IND)
    # by hand: the new kindergarten at (900, 800) is 100 m from the unserved cell (100 residents)
    assert eff["predicted"] and eff["facility_type"] == "kindergarten"
    assert eff["value_before"] == pytest.approx(0.5) and eff["value_after"] == pytest.approx(1.0)
    assert eff["grade_before"] == "red" and eff["grade_after"] == "green"
    assert eff["newly_served"] == 100 and eff["newly_served_total"] == 100
    # the engine's what-if for the same site gives the same numbers
    xy = project_site_xy(prj)
    model = survey_model(layers, CAT, year=2025, types=["kindergarten"])
    res = scenario(model, add=[(xy[0], xy[1], "kindergarten")])
    assert res.delta.iloc[0]["newly_served"] == eff["newly_served_total"]
    assert (
        share_by(res.model, "kindergarten", by="community_id").loc["C1", "served_share"] == eff["value_after"]
    )


def test_predicted_effect_counts_only_the_unit(layers):
    # a site 100 m from C2's resident (no k2 yet in 2025) and 640 m from C1's unserved one: the problem is
    # C1's, so it newly serves nobody there (C1 stays at 50 %) while the city-wide total is C2's 50
    eff = predict_effect("2025|community|C1|kg", _project(geometry_wkt=_wkt_at(1400, 500)), layers, CAT, IND)
    assert eff["newly_served"] == 0 and eff["newly_served_total"] == 50
    assert eff["value_after"] == pytest.approx(0.5) and eff["grade_after"] == "red"


def test_cannot_predict_says_why(layers):
    pid = "2025|community|C1|kg"
    assert predict_effect(pid, _project(geometry_wkt=None), layers, CAT, IND)["reason"] == "no_geometry"
    wrong = predict_effect(pid, _project(name="新增社区卫生服务站"), layers, CAT, IND)
    assert (
        not wrong["predicted"] and wrong["reason"] == "wrong_facility" and wrong["detail"] == "health_station"
    )
    other = predict_effect(pid, _project(name="改造", category="老旧小区改造"), layers, CAT, IND)
    assert other["reason"] == "no_facility"
    ratio = predict_effect("2025|community|C1|parking", _project(), layers, CAT, IND)
    assert ratio["reason"] == "not_modelled" and "value_after" not in ratio


def test_parcel_project_on_a_count_indicator(layers):
    pid = "2025|community|C2|danger"
    eff = predict_effect(pid, _project(category="危旧房改造", parcel_id="P1"), layers, CAT, IND)
    assert eff["predicted"] and eff["value_before"] == 1 and eff["value_after"] == 0
    assert eff["grade_after"] == "green"
    assert predict_effect(pid, _project(parcel_id="P2"), layers, CAT, IND)["reason"] == "parcel_not_counted"
    assert predict_effect(pid, _project(parcel_id=None), layers, CAT, IND)["reason"] == "no_parcel"


def test_predict_links_skips_unknown(layers):
    lib = pd.DataFrame([_project()])
    links = pd.DataFrame(
        {"problem_id": ["2025|community|C1|kg", "2025|community|C1|kg"], "project_id": ["P2026-0001", "GONE"]}
    )
    out = predict_links(links, lib, layers, CAT, IND)
    assert len(out) == 1 and out.iloc[0]["newly_served"] == 100


def test_remeasure_two_years(layers):
    p25 = problems(evaluate(layers, CAT, IND, year=2025, level="community"))
    ev26 = evaluate(layers, CAT, IND, year=2026, level="community")
    lib = pd.DataFrame({"project_id": ["A", "B", "C"], "status": ["完工", "完工", "实施"]})
    links = pd.DataFrame(
        {
            "problem_id": ["2025|community|C1|kg", "2025|community|C1|parking", "2025|community|C1|parking"],
            "project_id": ["A", "B", "C"],
        }
    )
    rm = remeasure(p25, ev26, links, lib).set_index("problem_id")
    # C2: k2 opened in 2026 → 100 % → propose 销号
    assert rm.loc["2025|community|C2|kg", "status"] == "propose_close"
    assert (
        rm.loc["2025|community|C2|kg", "value_y1"] == 1.0
        and rm.loc["2025|community|C2|kg", "year_y1"] == 2026
    )
    # C1: its only project is 完工 but coverage is still 50 % → flagged
    assert rm.loc["2025|community|C1|kg", "status"] == "complete_but_failing"
    assert rm.loc["2025|community|C1|kg", "all_done"]
    # C1 parking: one of two projects still under way → carried over
    assert rm.loc["2025|community|C1|parking", "status"] == "carried_over"
    # the grade-D parcel is still open: no link → carried over
    assert rm.loc["2025|community|C2|danger", "status"] == "carried_over"
    assert set(rm["status"]) <= {"propose_close", "complete_but_failing", "carried_over", "not_measured"}
