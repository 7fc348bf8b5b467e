"""Scenario A/B on five residents and two facilities (radii from the catalogue: kindergarten 300 m).

Residents on a line (EPSG:32650, y = Y0) at x = X0 + 0, 200, 400, 600, 1500 with 10, 20, 30, 40, 50
residents, of whom 1, 2, 3, 4, 5 children aged 3–6. Kindergarten K1 at X0 (opened 2020) serves the first two
(0 and 200 m); a park P1 at X0 + 600. A new kindergarten at X0 + 600 is 200 m from the third resident and
0 m from the fourth: it newly serves 30 + 40 = 70 residents, 3 + 4 = 7 children. The fifth is 900 m away.
"""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from layers.coverage import build_model
from layers.scenarios import (
    BOTH,
    GAINED,
    LOST,
    NEITHER,
    apply_scenario,
    compare,
    facilities_open_in,
    infer_project_type,
    status_frame,
    target_weight,
    year_model,
)

CRS = "EPSG:32650"
X0, Y0 = 410000.0, 3170000.0
CAT = load_catalogue()


def lonlat(dx: float) -> tuple[float, float]:
    p = gpd.GeoSeries([Point(X0 + dx, Y0)], crs=CRS).to_crs("EPSG:4326").iloc[0]
    return p.x, p.y


@pytest.fixture
def residents():
    return gpd.GeoDataFrame(
        {
            "population": [10.0, 20.0, 30.0, 40.0, 50.0],
            "children_3_6": [1.0, 2.0, 3.0, 4.0, 5.0],
            "community_id": ["c1", "c1", "c2", "c2", "c3"],
            "district_adcode": [1, 1, 1, 2, 2],
        },
        geometry=[Point(X0 + dx, Y0) for dx in (0, 200, 400, 600, 1500)],
        crs=CRS,
    )


@pytest.fixture
def facilities():
    return gpd.GeoDataFrame(
        {
            "facility_id": ["K1", "P1", "K2"],
            "type": ["kindergarten", "park", "kindergarten"],
            "name": ["甲园", "公园", "乙园"],
            "opened_year": [2020, 2020, 2026],
        },
        geometry=[Point(X0, Y0), Point(X0 + 600, Y0), Point(X0 + 1500, Y0)],
        crs=CRS,
    )


def base_model(residents, facilities, year=2025):
    return year_model(residents, facilities, CAT, year=year, types=["kindergarten", "park"])


def test_adding_one_kindergarten_newly_serves_the_hand_computed_residents(residents, facilities):
    base = base_model(residents, facilities)
    lon, lat = lonlat(600)
    run = apply_scenario(base, {"added": [{"type": "kindergarten", "name": "新园", "lon": lon, "lat": lat}]})
    assert run.base.served("kindergarten").tolist() == [True, True, False, False, False]
    assert run.model.served("kindergarten").tolist() == [True, True, True, True, False]
    cmp = compare(base, run.model, "kindergarten", residents=residents)
    assert cmp.status.tolist() == [BOTH, BOTH, GAINED, GAINED, NEITHER]
    assert cmp.totals["newly_served"] == 70 and cmp.totals["newly_unserved"] == 0
    assert cmp.totals["a_served"] == 30 and cmp.totals["b_served"] == 100 and cmp.totals["delta"] == 70
    assert cmp.target_column == "children_3_6" and cmp.totals["target_delta"] == 7
    # per district: residents 3 (district 1) and 4 (district 2)
    assert cmp.by_district["newly_served"].to_dict() == {1: 30.0, 2: 40.0}
    assert cmp.by_district["target_delta"].to_dict() == {1: 3.0, 2: 4.0}
    assert cmp.by_community.loc["c2", "delta"] == 70 and cmp.by_community.loc["c3", "delta"] == 0


def test_scenario_difference_equals_two_separate_runs(residents, facilities):
    """A removes K1, B adds a kindergarten at X0 + 600; compared with two models built from scratch."""
    base = base_model(residents, facilities)
    lon, lat = lonlat(600)
    a = apply_scenario(base, {"removed": ["K1"]})
    b = apply_scenario(base, {"added": [{"type": "kindergarten", "name": "新园", "lon": lon, "lat": lat}]})
    cmp = compare(a.model, b.model, "kindergarten", residents=residents)
    open_now = facilities_open_in(facilities, 2025)
    new = gpd.GeoDataFrame(
        {"facility_id": ["N"], "type": ["kindergarten"], "name": ["新园"]},
        geometry=[Point(X0 + 600, Y0)],
        crs=CRS,
    )
    sep_a = build_model(
        residents, open_now[open_now["facility_id"] != "K1"], catalogue=CAT, types=["kindergarten"]
    )
    sep_b = build_model(
        residents, pd.concat([open_now, new], ignore_index=True), catalogue=CAT, types=["kindergarten"]
    )
    sa, sb = sep_a.served("kindergarten"), sep_b.served("kindergarten")
    pop = residents["population"].to_numpy()
    assert cmp.totals["a_served"] == pop[sa].sum() == 0
    assert cmp.totals["b_served"] == pop[sb].sum() == 100
    assert cmp.totals["newly_served"] == pop[sb & ~sa].sum()
    assert cmp.totals["newly_unserved"] == pop[sa & ~sb].sum() == 0
    assert (cmp.status == GAINED).tolist() == (sb & ~sa).tolist()


def test_removal_makes_residents_newly_unserved(residents, facilities):
    base = base_model(residents, facilities)
    run = apply_scenario(base, {"removed": ["K1", "K2"]})
    cmp = compare(base, run.model, "kindergarten")
    assert cmp.status.tolist() == [LOST, LOST, NEITHER, NEITHER, NEITHER]
    assert cmp.totals["newly_unserved"] == 30 and cmp.totals["delta"] == -30
    # K2 opens in 2026: not a facility of the 2025 base, so its removal is skipped and said so
    assert run.removed == ["K1"]
    assert run.skipped.values.tolist() == [["removed_not_open", "K2"]]
    assert cmp.target_column == "population"  # no residents table given → total population


def test_survey_years_compare_like_scenarios(residents, facilities):
    y0, y1 = base_model(residents, facilities, 2025), base_model(residents, facilities, 2026)
    cmp = compare(y0, y1, "kindergarten", residents=residents)
    assert cmp.status.tolist() == [BOTH, BOTH, NEITHER, NEITHER, GAINED]
    assert cmp.totals["newly_served"] == 50 and cmp.totals["target_delta"] == 5
    assert len(facilities_open_in(facilities, None)) == 3 and len(facilities_open_in(facilities, 2019)) == 0


def test_completed_project_becomes_a_facility_of_its_type(residents, facilities):
    lon, lat = lonlat(600)
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "name": ["新增幼儿园（选址 S1）", "桂苑小区改造", "新增幼儿园"],
            "geometry_wkt": [f"POINT ({lon} {lat})", "POINT (115.9 28.6)", None],
        }
    )
    base = base_model(residents, facilities)
    spec = {
        "completed": [{"project_id": "P1"}, {"project_id": "P2"}, {"project_id": "P3"}, {"project_id": "P9"}]
    }
    run = apply_scenario(base, spec, projects=projects)
    assert run.added[["source", "ref", "type"]].values.tolist() == [["project", "P1", "kindergarten"]]
    assert run.skipped.values.tolist() == [
        ["project_no_type", "P2"],
        ["project_no_geometry", "P3"],
        ["project_unknown", "P9"],
    ]
    assert compare(base, run.model, "kindergarten").totals["newly_served"] == 70


def test_life_circle_and_fallback_weight(residents, facilities):
    cat_types = CAT.circle_types("5min")
    base = year_model(residents, facilities, CAT, year=2025, types=cat_types)
    cmp = compare(base, base, "circle:5min", residents=residents)
    assert cmp.totals["delta"] == 0 and cmp.target_column == "population"
    w, col = target_weight(residents.drop(columns="children_3_6"), "kindergarten")
    assert w is None and col == "population"
    w, col = target_weight(residents.assign(elderly=[1, 1, 1, 1, 1]), "elderly_daycare")
    assert col == "elderly" and w.sum() == 5


def test_bad_input(residents, facilities):
    base = base_model(residents, facilities)
    with pytest.raises(ValueError, match="unknown facility type 'spaceport'"):
        apply_scenario(base, {"added": [{"type": "spaceport", "lon": 115.9, "lat": 28.6}]})
    other = build_model(residents.iloc[:3], facilities, catalogue=CAT, types=["kindergarten"])
    with pytest.raises(ValueError, match="same resident points"):
        compare(base, other, "kindergarten")


def test_status_frame_and_type_inference(residents, facilities):
    base = base_model(residents, facilities)
    run = apply_scenario(base, {"removed": ["K1"]})
    cmp = compare(base, run.model, "kindergarten")
    frame = status_frame(run.model, cmp)
    assert frame["status"].tolist() == ["lost", "lost"] and frame["population"].sum() == 30
    assert infer_project_type("新增口袋公园", CAT) == "pocket_park"
    assert infer_project_type("新增托育机构", CAT) == "nursery"
    assert infer_project_type("道路改造", CAT) is None
    assert not np.isin(cmp.status, [GAINED]).any()
