"""Coverage engine on hand-checkable fixtures (3-4-5 triangles, a resident exactly on the radius)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geodata.catalogue import load_catalogue
from layers.coverage import (
    build_model,
    circle_summary,
    community_checklist,
    count_within,
    coverage_area,
    gap_ranking,
    nearest_distance_m,
    scenario,
    type_summary,
)
from layers.network import build_network, network_nearest_distance_m, overstatement

CRS = "EPSG:32650"
CAT = load_catalogue()  # kindergarten 300 m, primary_school 500 m, park 500 m, market 500 m


def _res(rows):
    """rows: (x, y, population, community)"""
    return gpd.GeoDataFrame(
        {
            "population": [r[2] for r in rows],
            "community_id": [r[3] for r in rows],
            "district_adcode": [360102] * len(rows),
        },
        geometry=[Point(r[0], r[1]) for r in rows],
        crs=CRS,
    )


def _fac(rows):
    """rows: (id, type, x, y)"""
    return gpd.GeoDataFrame(
        {"facility_id": [r[0] for r in rows], "type": [r[1] for r in rows], "name": [r[0] for r in rows]},
        geometry=[Point(r[2], r[3]) for r in rows],
        crs=CRS,
    )


# three kindergartens; five residents at distances checkable on paper
FAC = _fac([("k1", "kindergarten", 0, 0), ("k2", "kindergarten", 1000, 0), ("p1", "primary_school", 0, 0)])
RES = _res(
    [
        (300, 400, 100, "A"),  # 500 m from k1 (3-4-5) → not within 300 m; within 500 m of p1
        (0, 300, 200, "A"),  # exactly 300 m from k1 → served (≤)
        (1000, 200, 300, "B"),  # 200 m from k2
        (600, 0, 400, "B"),  # 400 m from k2, 600 m from k1
        (5000, 5000, 1000, "C"),  # far from everything
    ]
)


def test_nearest_and_count_by_hand():
    d, i = nearest_distance_m(
        np.array([[300.0, 400.0], [1000.0, 200.0]]), np.array([[0.0, 0.0], [1000.0, 0.0]])
    )
    assert d.tolist() == [500.0, 200.0] and i.tolist() == [0, 1]
    assert count_within(np.array([[500.0, 0.0]]), np.array([[0.0, 0.0], [1000.0, 0.0]]), 500).tolist() == [2]
    assert count_within(np.array([[500.0, 0.0]]), np.array([[0.0, 0.0], [1000.0, 0.0]]), 499.9).tolist() == [
        0
    ]


def test_served_population_by_hand():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten", "primary_school"])
    assert m.distance_m["kindergarten"].tolist()[:4] == [500.0, 300.0, 200.0, 400.0]
    s = type_summary(m).set_index("type")
    assert s.loc["kindergarten", "served_pop"] == 200 + 300  # residents 2 and 3
    assert s.loc["kindergarten", "unserved_pop"] == 100 + 400 + 1000
    assert s.loc["primary_school", "served_pop"] == 100 + 200  # within 500 m of (0, 0)
    assert s.loc["kindergarten", "served_share"] == pytest.approx(500 / 2000)
    assert set(s["mode"]) == {"euclidean"}


def test_radius_change_needs_no_recompute():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten"])
    m2 = m.with_catalogue(CAT.with_radii({"kindergarten": 400}))
    assert m2.distance_m["kindergarten"] is m.distance_m["kindergarten"]
    assert type_summary(m2).iloc[0]["served_pop"] == 200 + 300 + 400


def test_no_facilities_nobody_served():
    m = build_model(RES, FAC.iloc[0:0], catalogue=CAT, types=["kindergarten"])
    assert np.isinf(m.distance_m["kindergarten"]).all()
    assert type_summary(m).iloc[0]["served_pop"] == 0


def test_residents_outside_every_district_are_kept():
    res = RES.copy()
    res.loc[4, "community_id"] = None
    res.loc[4, "district_adcode"] = None
    m = build_model(res, FAC, catalogue=CAT, types=["kindergarten"])
    by = type_summary(m, by="community_id")
    assert by["population"].sum() == 2000  # the resident without a community is still counted


def test_degrees_rejected():
    with pytest.raises(ValueError, match="geographic"):
        build_model(RES.to_crs(4326), FAC.to_crs(4326), catalogue=CAT)


def test_circle_needs_all_types():
    m = build_model(RES, FAC, catalogue=CAT, types=["primary_school", "park", "market"])
    # 10-min circle = primary school + park + market; no park or market → nobody served
    s = circle_summary(m).set_index("circle")
    assert s.loc["10min", "served_pop"] == 0
    fac = pd.concat([FAC, _fac([("pk", "park", 0, 0), ("mk", "market", 0, 0)])], ignore_index=True)
    m2 = build_model(
        RES, gpd.GeoDataFrame(fac, crs=CRS), catalogue=CAT, types=["primary_school", "park", "market"]
    )
    assert circle_summary(m2).set_index("circle").loc["10min", "served_pop"] == 300


def test_checklist_and_gap_ranking():
    # a nursery far from everyone makes the nursery item evaluable (and missing everywhere)
    fac = gpd.GeoDataFrame(
        pd.concat([FAC, _fac([("n1", "nursery", -5000, -5000)])], ignore_index=True), crs=CRS
    )
    m = build_model(RES, fac, catalogue=CAT)
    cl = community_checklist(m)
    # community A: 2/3 of residents within 300 m of a kindergarten → present
    assert cl.loc["A", "share_kindergarten"] == pytest.approx(200 / 300)
    assert cl.loc["A", "missing"] == ["nursery"]
    assert cl.loc["C", "missing"] == ["kindergarten", "nursery"] and cl.loc["C", "missing_count"] == 2
    # 9 items (完整居住社区建设标准（试行）, 2020); the 7 with no facility in the data cannot be evaluated
    assert cl.loc["A", "unevaluated_count"] == 7 and "delivery" in cl.loc["A", "unevaluated"]
    assert np.isnan(cl.loc["A", "share_supermarket"])
    assert cl.loc["A", "passed_count"] == 1
    g = gap_ranking(m)
    # unserved = residents lacking an evaluable item: C 1000 × 2, B 700 × 2 (kindergarten 300/700 < 50 %), A 300 × 1
    assert list(g.index) == ["C", "B", "A"]
    assert g["gap_score"].tolist() == [2000, 1400, 300]
    assert list(g["gap_rank"]) == [1, 2, 3]


def test_convenience_store_is_not_a_supermarket():
    near = _fac([("c1", "convenience", 0, 0), ("k1", "kindergarten", 0, 0)])
    cl = community_checklist(build_model(RES, near, catalogue=CAT))
    assert "supermarket" in cl.loc["A", "unevaluated"]  # no supermarket in the data: needs data, not passed
    assert cl.loc["A", "passed_count"] == 1  # only the kindergarten
    shop = _fac([("c1", "convenience", 0, 0), ("s1", "supermarket", 5000, 5000)])
    cl2 = community_checklist(build_model(RES, shop, catalogue=CAT))
    assert cl2.loc["A", "missing"] == ["supermarket"]  # a convenience store next door does not satisfy it
    assert cl2.loc["C", "missing"] == [] and cl2.loc["C", "passed_count"] == 1


def test_what_if_add_matches_full_recompute():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten"])
    r = scenario(m, add=[(5000, 4800, "kindergarten")])
    assert r.delta.set_index("type").loc["kindergarten", "newly_served"] == 1000
    full = build_model(RES, r.model.facilities, catalogue=CAT, types=["kindergarten"])
    assert np.allclose(full.distance_m["kindergarten"], r.model.distance_m["kindergarten"])


def test_what_if_remove_matches_full_recompute():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten"])
    r = scenario(m, remove=["k2"], add=[(600, 100, "kindergarten")])
    full = build_model(RES, r.model.facilities, catalogue=CAT, types=["kindergarten"])
    assert np.allclose(full.distance_m["kindergarten"], r.model.distance_m["kindergarten"])
    d = r.delta.set_index("type").loc["kindergarten"]
    # residents 3 (200 m from k2) loses its kindergarten: new one at (600,100) is 412 m away
    assert d["newly_unserved"] == 300 and d["newly_served"] == 400
    with pytest.raises(ValueError, match="unknown facility ids"):
        scenario(m, remove=["nope"])


def test_what_if_is_fast_on_city_size():
    rng = np.random.default_rng(0)
    res = gpd.GeoDataFrame(
        {"population": rng.uniform(1, 500, 35_000), "community_id": "x", "district_adcode": 1},
        geometry=gpd.points_from_xy(*rng.uniform(0, 20_000, (2, 35_000))),
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {"facility_id": [f"f{i}" for i in range(5000)], "type": "kindergarten", "name": "x"},
        geometry=gpd.points_from_xy(*rng.uniform(0, 20_000, (2, 5000))),
        crs=CRS,
    )
    m = build_model(res, fac, catalogue=CAT, types=["kindergarten"])
    import time

    t0 = time.perf_counter()
    scenario(m, add=[(10_000, 10_000, "kindergarten")], remove=["f1", "f2", "f3"])
    assert time.perf_counter() - t0 < 1.0


def test_coverage_area_display():
    exact = coverage_area(FAC[FAC["type"] == "kindergarten"], 300, simplify_m=0)
    assert len(exact) == 1 and exact.geometry.iloc[0].area == pytest.approx(2 * np.pi * 300**2, rel=0.01)
    shown = coverage_area(FAC[FAC["type"] == "kindergarten"], 300)  # simplified 20 m for the map only
    assert shown.geometry.iloc[0].area == pytest.approx(2 * np.pi * 300**2, rel=0.05)


# ------------------------------------------------------------------------------------------- network


def _l_street():
    # an L-shaped street: (0,0) → (400,0) → (400,300)
    return gpd.GeoDataFrame(
        {"street_id": ["a", "b"], "kind": ["支路", "支路"]},
        geometry=[LineString([(0, 0), (400, 0)]), LineString([(400, 0), (400, 300)])],
        crs=CRS,
    )


def test_network_distance_on_l_shaped_street():
    net = build_network(_l_street())
    assert net.n_nodes == 3
    d, _ = network_nearest_distance_m(net, np.array([[400.0, 300.0], [10.0, 0.0]]), np.array([[0.0, 0.0]]))
    assert d.tolist() == pytest.approx([700.0, 10.0])  # 400 + 300 along the street vs 500 straight


def test_network_mode_and_overstatement():
    res = _res([(400, 300, 100, "A"), (100, 0, 50, "A")])
    fac = _fac([("k", "primary_school", 0, 0)])
    net = build_network(_l_street())
    e = build_model(res, fac, catalogue=CAT, types=["primary_school"])
    n = build_model(res, fac, catalogue=CAT, types=["primary_school"], mode="network", network=net)
    assert e.served("primary_school").tolist() == [True, True]  # 500 m straight ≤ 500
    assert n.served("primary_school").tolist() == [False, True]  # 700 m walking
    o = overstatement(e, n).iloc[0]
    assert o["overstatement_pts"] == pytest.approx(100 * 100 / 150)
    assert type_summary(n).iloc[0]["mode"] == "network"
    r = scenario(n, add=[(400, 250, "primary_school")])
    assert r.delta.iloc[0]["newly_served"] == 100


def test_network_mode_requires_network():
    with pytest.raises(ValueError, match="street network"):
        build_model(RES, FAC, catalogue=CAT, mode="network")


def test_group_sums_match_a_group_by_with_missing_and_mixed_keys():
    """_agg's per-group sums (weighted counts over group positions derived once) are a pandas group-by's:
    sorted groups, None and NaN one missing group last, empty text its own group."""
    from layers.coverage import _agg, _group_codes

    keys = np.array(["b", "a", None, "c", "a", np.nan, ""], dtype=object)
    groups = pd.DataFrame({"k": keys})
    pop = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0])
    served = np.array([True, False, True, True, True, False, False])
    out = _agg(pop, served, groups, "k")
    assert list(out.index[:-1]) == ["", "a", "b", "c"] and pd.isna(out.index[-1]) and out.index.name == "k"
    # by hand: "" 70 (0 served), a 20+50 (50), b 10 (10), c 40 (40), missing 30+60 (30)
    assert out["population"].tolist() == [70.0, 70.0, 10.0, 40.0, 90.0]
    assert out["served_pop"].tolist() == [0.0, 50.0, 10.0, 40.0, 30.0]
    assert out["served_share"].tolist() == pytest.approx([0.0, 50 / 70, 1.0, 1.0, 30 / 90])
    expected = (
        pd.DataFrame({"population": pop, "served_pop": np.where(served, pop, 0.0)})
        .groupby(keys, dropna=False)
        .sum()
    )
    assert out[["population", "served_pop"]].to_numpy().tolist() == expected.to_numpy().tolist()
    # derived once per groups table; renaming a result's index does not touch the next one
    assert _group_codes(groups, "k")[0] is _group_codes(groups, "k")[0]
    out.index.name = "renamed"
    assert _agg(pop, served, groups, "k").index.name == "k"
    total = _agg(pop, served, None, None)
    assert total["population"].tolist() == [280.0] and total["served_pop"].tolist() == [130.0]
