"""城市体检 arithmetic on a hand-made two-community workspace and two survey years."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodata.catalogue import load_catalogue
from layers.healthcheck import (
    attainment,
    compare_years,
    completed_between,
    composite,
    evaluate,
    grade,
    problems,
)

CRS = "EPSG:32650"
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
            "opened_year": [2010, 2026],
        },
        geometry=[Point(0, 0), Point(1500, 600)],
        crs=CRS,
    )
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["P1"],
            "name": ["危房"],
            "danger_grade": ["D"],
            "precast_slab": [False],
            "completed_year": [2026],
        },
        geometry=[box(1400, 400, 1450, 450)],
        crs=CRS,
    )
    compounds = gpd.GeoDataFrame(
        {
            "community_id": ["C1", "C2"],
            "households": [100, 40],
            "parking_spaces": [30, 40],
            "build_year": [1990, 2010],
        },
        geometry=[box(50, 50, 150, 150), box(1450, 450, 1550, 550)],
        crs=CRS,
    )
    subs = gpd.GeoDataFrame(
        {"subdistrict_id": ["S1"], "name": ["街道"], "district_adcode": [360102]},
        geometry=[box(0, 0, 2000, 1000)],
        crs=CRS,
    )
    return {
        "communities": comms,
        "population_cells": cells,
        "facilities": fac,
        "parcels": parcels,
        "compounds": compounds,
        "subdistricts": subs,
    }


def _by(ev):
    return ev.set_index(["unit", "indicator"])


def test_indicator_arithmetic_2025(layers):
    ev = _by(evaluate(layers, load_catalogue(), IND, year=2025, level="community"))
    assert ev.loc[("C1", "kg"), "value"] == pytest.approx(0.5)  # one of two cells within 300 m of k1
    assert ev.loc[("C2", "kg"), "value"] == 0.0  # k2 did not exist yet
    assert ev.loc[("C1", "kg"), "affected"] == 100 and ev.loc[("C1", "kg"), "grade"] == "red"
    assert ev.loc[("C2", "danger"), "value"] == 1 and ev.loc[("C2", "danger"), "grade"] == "yellow"
    assert (
        ev.loc[("C1", "parking"), "value"] == pytest.approx(0.3) and ev.loc[("C2", "parking"), "value"] == 1.0
    )


def test_one_problem_row_per_failing_indicator_and_unit(layers):
    ev = evaluate(layers, load_catalogue(), IND, year=2025, level="community")
    p = problems(ev)
    assert sorted(zip(p["unit"], p["indicator"])) == [
        ("C1", "kg"),
        ("C1", "parking"),
        ("C2", "danger"),
        ("C2", "kg"),
    ]
    assert p["problem_id"].is_unique and p.iloc[0]["problem_id"].startswith("2025|community|")


def test_levels_aggregate(layers):
    ev = _by(evaluate(layers, load_catalogue(), IND, year=2025, level="subdistrict"))
    assert ev.loc[("S1", "kg"), "value"] == pytest.approx(100 / 250)
    assert ev.loc[("S1", "parking"), "value"] == pytest.approx(70 / 140)


def test_year_comparison(layers):
    e0 = evaluate(layers, load_catalogue(), IND, year=2025, level="community")
    e1 = evaluate(layers, load_catalogue(), IND, year=2026, level="community")
    c = compare_years(e0, e1).set_index(["unit", "indicator"])
    assert c.loc[("C2", "kg"), "change"] == "improved" and c.loc[("C2", "danger"), "change"] == "improved"
    assert c.loc[("C1", "kg"), "change"] == "unchanged"
    done = completed_between(
        layers["parcels"],
        pd.DataFrame(columns=["project_id", "name", "status", "end_year"]),
        pd.DataFrame(),
        2025,
        2026,
    )
    assert done["id"].tolist() == ["P1"]


def test_grades_attainment_and_composite(layers):
    assert grade(0.9, 0.9, "higher") == "green" and grade(0.75, 0.9, "higher") == "yellow"
    assert grade(0.5, 0.9, "higher") == "red" and grade(2, 0, "lower") == "red"
    assert attainment(0.45, 0.9, "higher") == 0.5 and attainment(0, 0, "lower") == 1.0
    ev = evaluate(layers, load_catalogue(), IND, year=2026, level="community")
    comp = composite(ev)
    assert comp.loc["C2", "score"] == pytest.approx(100.0) and comp.loc["C1", "failing"] == 2


def test_ledger_xlsx_round_trip(layers, tmp_path):
    from reports.tables import xlsx_bytes

    p = problems(evaluate(layers, load_catalogue(), IND, year=2025, level="community"))
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(xlsx_bytes({"ledger": p}))
    back = pd.read_excel(path, sheet_name="ledger")
    assert back["problem_id"].tolist() == p["problem_id"].tolist()
    assert back["value"].tolist() == pytest.approx(p["value"].tolist())
