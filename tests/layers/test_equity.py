"""一老一小 equity on hand-made compounds: served flags, per-街道 coverage, the fairness figure, left-behind list."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from layers.equity import (
    city_coverage,
    concentration_index,
    coverage_by_subdistrict,
    fairness,
    left_behind,
    served_compounds,
    workspace_equity,
)

CRS = "EPSG:32650"
RADII = {
    "nursery": 300.0,
    "kindergarten": 300.0,
    "primary_school": 500.0,
    "elderly_daycare": 300.0,
    "elderly_home": 1000.0,
}


def _five():
    """Five compounds on a line (x = 0, 1000, …, 4000 m), one resident aged 60+ each, built 1980…2015.

    Three 日间照料 (elderly_daycare, radius 300 m) at x = 2100, 3250 and 4300: compound C (2000) is 100 m away,
    D (3000) 250 m, E (4000) exactly 300 m (inclusive), A and B are farther. So h = 0, 0, 1, 1, 1 for build
    years 1980, 1985, 1995, 2005, 2015. A kindergarten next to B opens only in 2030.
    """
    comp = gpd.GeoDataFrame(
        {
            "compound_id": ["A", "B", "C", "D", "E"],
            "name": ["甲", "乙", "丙", "丁", "<b>戊</b>"],
            "community_id": ["c1", "c1", "c2", "c2", "c2"],
            "build_year": [1980, 1985, 1995, 2005, 2015],
            "elderly_60": [1, 1, 1, 1, 1],
            "children_3_6": [0, 2, 0, 0, 0],
        },
        geometry=[Point(x, 0) for x in (0, 1000, 2000, 3000, 4000)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {"type": ["elderly_daycare"] * 3 + ["kindergarten"], "opened_year": [2020, 2020, 2020, 2030]},
        geometry=[Point(2100, 0), Point(3250, 0), Point(4300, 0), Point(1000, 10)],
        crs=CRS,
    )
    comms = pd.DataFrame({"community_id": ["c1", "c2"], "subdistrict_id": ["S1", "S2"]})
    return comp, fac, comms


def test_served_flags_distances_and_year():
    comp, fac, _ = _five()
    s = served_compounds(comp, fac, RADII, groups=["elderly_60", "children_3_6"], year=2026)
    eld = s[s["group"] == "elderly_60"]
    assert eld["served"].tolist() == [False, False, True, True, True]
    assert eld["distance_m"].round(6).tolist() == [2100.0, 1100.0, 100.0, 250.0, 300.0]
    # the kindergarten opens in 2030: in 2026 nobody aged 3–6 is served; in 2030 compound B (10 m) is
    kg = s[s["group"] == "children_3_6"]
    assert not kg["served"].any() and np.isinf(kg["distance_m"]).all()
    s30 = served_compounds(comp, fac, RADII, groups=["children_3_6"], year=2030)
    assert s30["served"].tolist() == [False, True, False, False, False]


def test_concentration_index_on_five_residents_by_hand():
    # Five residents (weight 1 each), ranked oldest compound first: r = 0.1, 0.3, 0.5, 0.7, 0.9.
    # h = 0, 0, 1, 1, 1 → μ = 0.6; Σ (h − μ)(r − ½) = (−0.6)(−0.4) + (−0.6)(−0.2) + 0.4·0 + 0.4·0.2 + 0.4·0.4
    # = 0.24 + 0.12 + 0 + 0.08 + 0.16 = 0.60; E = 8 / 5 · 0.60 = 0.96 (the newer compounds are served).
    comp, fac, _ = _five()
    s = served_compounds(comp, fac, RADII, groups=["elderly_60"])
    f = fairness(s, comp)
    assert f.loc["elderly_60", "concentration_index"] == pytest.approx(0.96)
    # coverage before 2000: 1 of 3 (C, built 1995); since 2000: 2 of 2
    assert f.loc["elderly_60", "share_old"] == pytest.approx(1 / 3)
    assert f.loc["elderly_60", "share_new"] == pytest.approx(1.0)
    # reversed outcome → −0.96; no relation (all served) → 0
    assert concentration_index(np.array([1, 1, 0, 0, 0]), np.ones(5), np.arange(5)) == pytest.approx(-0.96)
    assert concentration_index(np.ones(5), np.ones(5), np.arange(5)) == pytest.approx(0.0)


def test_concentration_index_weights_and_ties():
    # weights 2, 1, 1 (W = 4), ranks: (0 + 1)/4 = 0.25, (2 + 0.5)/4 = 0.625, (3 + 0.5)/4 = 0.875; h = 0, 1, 1
    # μ = 2/4 = 0.5; Σ w (h − μ)(r − ½) = 2(−0.5)(−0.25) + 1(0.5)(0.125) + 1(0.5)(0.375) = 0.25 + 0.0625
    # + 0.1875 = 0.5; E = 8/4 · 0.5 = 1.0
    assert concentration_index(
        np.array([0, 1, 1]), np.array([2, 1, 1]), np.array([1, 2, 3])
    ) == pytest.approx(1.0)
    # the same build year for all: every rank is ½, so E = 0 whatever the outcome
    assert concentration_index(
        np.array([0, 1, 1]), np.array([2, 1, 1]), np.array([5, 5, 5])
    ) == pytest.approx(0.0)
    assert np.isnan(concentration_index(np.array([0, 1]), np.zeros(2), np.array([1, 2])))


def test_concentration_index_refuses_bad_input():
    with pytest.raises(ValueError, match="non-negative"):
        concentration_index(np.array([0, 1]), np.array([1, -1]), np.array([1, 2]))
    with pytest.raises(ValueError, match="differ in length"):
        concentration_index(np.array([0, 1]), np.array([1]), np.array([1, 2]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        concentration_index(np.array([0, 2]), np.array([1, 1]), np.array([1, 2]))


def test_coverage_per_subdistrict_and_city():
    comp, fac, comms = _five()
    s = served_compounds(comp, fac, RADII, groups=["elderly_60"])
    sub = coverage_by_subdistrict(s, comp, comms).set_index("subdistrict_id")
    # 街道 S1 = A, B (none served); S2 = C, D, E (all served)
    assert sub.loc["S1", "residents"] == 2 and sub.loc["S1", "served"] == 0 and sub.loc["S1", "share"] == 0
    assert sub.loc["S2", "share"] == 1.0
    city = city_coverage(s)
    assert city.loc["elderly_60", "share"] == pytest.approx(0.6)
    assert city.loc["elderly_60", "unserved"] == 2 and city.loc["elderly_60", "radius_m"] == 300


def test_left_behind_sorted_by_unserved_residents():
    comp, fac, _ = _five()
    s = served_compounds(comp, fac, RADII, groups=["elderly_60", "children_3_6"], year=2026)
    lb = left_behind(s, comp)
    # 3–6: only B has children (2, unserved); 60+: A and B (1 each). Compounds without residents of a group
    # are not listed.
    assert lb[["compound_id", "group", "residents"]].values.tolist() == [
        ["B", "children_3_6", 2.0],
        ["A", "elderly_60", 1.0],
        ["B", "elderly_60", 1.0],
    ]
    assert left_behind(s, comp, group="elderly_60")["compound_id"].tolist() == ["A", "B"]


def test_bad_input_is_refused():
    comp, fac, _ = _five()
    with pytest.raises(ValueError, match="EPSG:4326"):
        served_compounds(comp.to_crs("EPSG:4326"), fac, RADII)
    with pytest.raises(ValueError, match="children_0_3"):
        served_compounds(comp, fac, RADII, groups=["children_0_3"])
    with pytest.raises(ValueError, match="unknown age group"):
        served_compounds(comp, fac, RADII, groups=["teenagers"])


def test_workspace_without_age_groups_gives_none_and_with_them_all_tables():
    comp, fac, comms = _five()
    comms_gdf = gpd.GeoDataFrame(comms, geometry=[Point(0, 0), Point(1, 1)], crs=CRS)
    ws = {
        "compounds": comp.drop(columns=["elderly_60", "children_3_6"]),
        "facilities": fac,
        "communities": comms_gdf,
    }
    assert workspace_equity(ws, RADII, year=2026) is None
    ws["compounds"] = comp  # (E sits exactly on the 300 m radius: a round trip through degrees would move it)
    eq = workspace_equity(ws, RADII, year=2026)
    assert eq.groups == ("children_3_6", "elderly_60")
    assert eq.fairness.loc["elderly_60", "concentration_index"] == pytest.approx(0.96, abs=1e-6)
    assert len(eq.left_behind) == 3
