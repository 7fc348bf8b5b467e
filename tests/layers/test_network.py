"""Walking network: noding at crossings, grade separation, snapping onto segments, shortest access walk.

Every expected distance is worked out on paper from the coordinates in the comments (metres, EPSG:32650).
"""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point

from geodata.catalogue import load_catalogue
from layers.coverage import build_model, point_coverage, scenario
from layers.network import _grade, build_network, network_nearest_distance_m

CRS = "EPSG:32650"
CAT = load_catalogue()  # kindergarten 300 m


def _streets(lines, **cols):
    return gpd.GeoDataFrame(cols, geometry=[LineString(c) for c in lines], crs=CRS)


def _dist(net, res, fac, **kw):
    d, idx = network_nearest_distance_m(net, np.array(res, dtype=float), np.array(fac, dtype=float), **kw)
    assert (idx == -1).all()
    return d.tolist()


# ------------------------------------------------------------------------------------------- noding


def test_x_crossing_without_shared_vertex_is_noded():
    # A: (0,0)→(200,0); B: (100,-100)→(100,100); they cross at (100,0), where neither has a vertex
    net = build_network(_streets([[(0, 0), (200, 0)], [(100, -100), (100, 100)]]))
    assert net.noded_crossings == 1
    assert net.n_nodes == 5 and net.n_edges == 4
    # resident on A at (20,0), facility on B at (100,80): 80 along A to the crossing + 80 up B
    assert _dist(net, [(20, 0)], [(100, 80)]) == pytest.approx([160.0])


def test_t_junction_without_vertex_is_joined():
    # B starts at (100,0), in the middle of A's only segment (0,0)→(200,0)
    net = build_network(_streets([[(0, 0), (200, 0)], [(100, 0), (100, 100)]]))
    assert net.n_nodes == 4
    assert _dist(net, [(0, 0)], [(100, 100)]) == pytest.approx([200.0])


def test_resident_beside_a_street_walks_perpendicular_then_along():
    # L: (0,0)→(400,0) then (400,0)→(400,300); resident 30 m beside the first street at (100,30)
    net = build_network(_streets([[(0, 0), (400, 0)], [(400, 0), (400, 300)]]))
    snap = net.snap(np.array([[100.0, 30.0]]))
    assert snap.access_m.tolist() == pytest.approx([30.0])
    assert sorted([snap.to_a_m[0], snap.to_b_m[0]]) == pytest.approx([130.0, 330.0])
    # facility on the other street at (400,200): 30 access + 300 along to the corner + 200 up
    assert _dist(net, [(100, 30)], [(400, 200)]) == pytest.approx([530.0])
    # facility 20 m beside the same segment at (250,-20): 30 + 150 between the feet + 20, not via a node
    assert _dist(net, [(100, 30)], [(250, -20)]) == pytest.approx([200.0])


def test_limit_stops_the_search():
    net = build_network(_streets([[(0, 0), (400, 0)], [(400, 0), (400, 300)]]))
    # facility at (400,200): 30 + 300 + 200 = 530 m and 30 + 200 = 230 m walks; a 400 m limit cuts the first
    assert _dist(net, [(100, 30), (400, -30)], [(400, 200)], limit_m=400) == [np.inf, pytest.approx(230.0)]
    assert _dist(net, [(100, 30), (400, -30)], [(400, 200)]) == pytest.approx([530.0, 230.0])


# ------------------------------------------------------------------------------------- grade separation


def _bridge_case(**cols):
    # ground street S (0,0)→(400,0); bridge (200,-150)→(200,150) over it at (200,0);
    # ground connector C (200,150)→(400,150)→(400,0) joins the bridge's north end to S's east end
    return _streets(
        [[(0, 0), (400, 0)], [(200, -150), (200, 150)], [(200, 150), (400, 150), (400, 0)]], **cols
    )


@pytest.mark.parametrize(
    "cols",
    [
        {"bridge": [False, True, False]},
        {"桥梁": ["否", "是", ""]},
        {"Bridge": ["0", "Y", None]},
        {"layer": [0, 1, 0]},
        {"z_level": [0.0, -1.0, np.nan]},
        {"tunnel": [0, 1, 0]},
    ],
)
def test_bridge_does_not_connect_to_the_street_below(cols):
    net = build_network(_bridge_case(**cols))
    assert net.noded_crossings == 0 and net.separated_crossings == 1
    # resident on S right under the bridge (200,0); facility (205,160) 10 m beside C, 5 m from its west end.
    # Via the bridge it would be 150 + 5 + 10 = 165; without it: 200 along S + 150 up C + 195 + 10 = 555.
    assert _dist(net, [(200, 0)], [(205, 160)]) == pytest.approx([555.0])


def test_same_geometry_without_grade_flags_is_noded():
    net = build_network(_bridge_case(bridge=[False, False, False]))
    assert net.noded_crossings == 1
    assert _dist(net, [(200, 0)], [(205, 160)]) == pytest.approx([165.0])


def test_bridge_ends_join_the_street_network():
    # the bridge's north end (200,150) is C's first vertex: a resident on C reaches a facility on the bridge's
    # far-end street D (200,-150)→(0,-150): 10 along C + 300 over the bridge + 50 along D (no access walks)
    lines = [
        [(0, 0), (400, 0)],
        [(200, -150), (200, 150)],
        [(200, 150), (400, 150)],
        [(200, -150), (0, -150)],
    ]
    net = build_network(_streets(lines, bridge=[False, True, False, False]))
    assert _dist(net, [(210, 150)], [(150, -150)]) == pytest.approx([10 + 300 + 50.0])


def test_grade_columns_are_read_case_insensitively_with_chinese_flags():
    st = _streets([[(0, 0), (1, 0)]] * 4, 隧道=["是", "否", None, "1"], Layer=["2", None, "x", -1])
    layer, bridge, tunnel = _grade(st)
    assert layer.tolist() == [2, 0, 0, -1]
    assert bridge.tolist() == [False] * 4
    assert tunnel.tolist() == [True, False, False, True]


# ------------------------------------------------------------------------------ facilities at one node


def _two_facilities_one_segment():
    # L-shape: A (0,0)→(100,0), B (100,0)→(100,100). Two facilities stand beside B, so both reach B's two
    # end nodes: f1 (110,50) walks 10 + 50 = 60 to (100,0) and 60 to (100,100); f2 (95,80) walks 5 + 80 = 85
    # to (100,0) and 5 + 20 = 25 to (100,100).
    net = build_network(_streets([[(0, 0), (100, 0)], [(100, 0), (100, 100)]]))
    return net, [(110, 50), (95, 80)]


def test_two_facilities_at_one_node_take_the_shorter_walk_not_the_sum():
    net, fac = _two_facilities_one_segment()
    # resident at (0,0): 100 along A + the shorter walk from (100,0), 60 → 160 (summing gave 100 + 145 = 245)
    assert _dist(net, [(0, 0)], fac) == pytest.approx([160.0])
    assert _dist(net, [(0, 0)], fac[::-1]) == pytest.approx([160.0])


def test_served_flag_with_two_facilities_at_one_node():
    net, fac = _two_facilities_one_segment()
    res = gpd.GeoDataFrame({"population": [100]}, geometry=[Point(0, 0)], crs=CRS)
    t = point_coverage(
        res,
        gpd.GeoDataFrame(geometry=[Point(*f) for f in fac], crs=CRS),
        radius_m=200,
        mode="network",
        network=net,
    )
    assert t["distance_m"].tolist() == [160.0] and t["served"].tolist() == [True]


def test_two_facilities_on_the_residents_segment_walk_along_it():
    # street (0,0)→(100,0)→(200,0): both facilities project onto (100,0), 40 m and 10 m away; the resident at
    # (0,0) walks 100 + 10 = 110
    net = build_network(_streets([[(0, 0), (100, 0)], [(100, 0), (200, 0)]]))
    assert _dist(net, [(0, 0)], [(100, 40), (100, 10)]) == pytest.approx([110.0])


# ------------------------------------------------------------------------------------------ the model


def _model_fixture():
    net = build_network(_streets([[(0, 0), (1000, 0)]]))
    res = gpd.GeoDataFrame(
        {"population": [10, 20], "community_id": ["A", "A"], "district_adcode": [360102, 360102]},
        geometry=[Point(0, 10), Point(500, 10)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {"type": ["kindergarten"], "facility_id": ["k1"], "name": ["k"]}, geometry=[Point(900, 0)], crs=CRS
    )
    return res, fac, net


def test_model_snaps_residents_once_and_stops_at_the_radius():
    res, fac, net = _model_fixture()
    m = build_model(res, fac, catalogue=CAT, types=["kindergarten", "park"], mode="network", network=net)
    assert len(m.resident_snap) == 2
    assert m.limit_m == {"kindergarten": 300.0, "park": 500.0}
    # (500,10): 10 + 400 = 410 m > 300 m limit → inf; (0,10) 910 m → inf
    assert np.isinf(m.distance_m["kindergarten"]).all()
    assert np.isinf(m.distance_m["park"]).all()  # no park at all


def test_with_catalogue_recomputes_a_radius_grown_past_the_limit():
    res, fac, net = _model_fixture()
    m = build_model(res, fac, catalogue=CAT, types=["kindergarten"], mode="network", network=net)
    m2 = m.with_catalogue(CAT.with_radii({"kindergarten": 450}))
    assert m2.distance_m["kindergarten"].tolist() == [np.inf, pytest.approx(410.0)]
    assert m2.served("kindergarten").tolist() == [False, True]
    assert np.isinf(m.distance_m["kindergarten"]).all()  # the input model is unchanged
    m3 = m2.with_catalogue(CAT.with_radii({"kindergarten": 200}))  # shrinking needs no recomputation
    assert m3.distance_m["kindergarten"] is m2.distance_m["kindergarten"]
    assert m3.served("kindergarten").tolist() == [False, False]


def test_scenario_in_network_mode_uses_the_snapped_residents():
    res, fac, net = _model_fixture()
    m = build_model(res, fac, catalogue=CAT, types=["kindergarten"], mode="network", network=net)
    r = scenario(m, add=[(300, -50, "kindergarten")])
    # new site 50 m beside the street at x=300: (0,10) 10+300+50 = 360 > 300; (500,10) 10+200+50 = 260
    assert r.model.distance_m["kindergarten"].tolist() == [np.inf, pytest.approx(260.0)]
    assert r.delta.iloc[0]["newly_served"] == 20


def test_refuses_degrees_and_empty_layers():
    with pytest.raises(ValueError, match="metric|degree|EPSG:4326"):
        build_network(_streets([[(115.9, 28.6), (115.91, 28.6)]]).set_crs(4326, allow_override=True))
    empty = gpd.GeoDataFrame(geometry=[Point(0, 0)], crs=CRS)
    with pytest.raises(ValueError, match="no line geometries"):
        build_network(empty)


def test_noding_matches_shapely_node_on_random_streets():
    # 40 random straight streets in a 1 km square: the noded segments are those of shapely.node, and the
    # total length is kept (noding splits, never adds or drops street)
    rng = np.random.default_rng(5)
    ends = rng.uniform(0, 1000, (40, 2, 2))
    st = _streets([[tuple(a), tuple(b)] for a, b in ends])
    net = build_network(st)
    reference = shapely.get_parts(shapely.node(shapely.MultiLineString([list(map(tuple, e)) for e in ends])))
    assert net.n_edges == len(reference)
    assert net.edge_length_m.sum() == pytest.approx(st.length.sum())
    assert net.noded_crossings > 50 and net.n_edges == 40 + 2 * net.noded_crossings  # each X adds 2 pieces
