"""Layout analysis: circle area = sum of members, belts through seats in order, clusters, click handler."""

import pytest

from geodata.boundaries import load_boundaries
from geodata.layout import LAYOUT_TOML, load_layout
from layers.crs import area_km2
from layers.layout import (
    belt_bands,
    belt_lines,
    circle_outline,
    city_at,
    city_from_click,
    city_membership,
    cluster_areas,
    layout_summary,
)


@pytest.fixture(scope="module")
def bnd():
    return load_boundaries()


@pytest.fixture(scope="module")
def layout(bnd):
    return load_layout(LAYOUT_TOML, boundaries=bnd)


def test_circle_area_is_sum_of_member_counties(bnd, layout):
    members = bnd.counties[bnd.counties["adcode"].isin(layout.circle.members)]
    outline = circle_outline(bnd.counties, layout)
    assert outline.iloc[0]["area_km2"] == pytest.approx(area_km2(members).sum(), rel=1e-6)
    assert outline.iloc[0]["county_count"] == 32


def test_belts_pass_through_their_seats_in_order(bnd, layout):
    lines = belt_lines(layout, bnd.counties)
    jingjiu = lines[lines["key"] == "jingjiu"].iloc[0].geometry
    expected = [layout.cities[a].seat for a in (360400, 360100, 360800, 360700)]
    assert [tuple(c) for c in jingjiu.coords] == expected
    hukun = lines[lines["key"] == "hukun"].iloc[0].geometry
    coords = list(hukun.coords)
    assert (
        len(coords) == 6
        and coords[0] == layout.cities[361100].seat
        and coords[-1] == layout.cities[360300].seat
    )
    jinxian = bnd.counties[bnd.counties["adcode"] == 360124].geometry.iloc[0]
    assert jinxian.contains(__import__("shapely").geometry.Point(coords[2]))  # 南昌 stop via 进贤县


def test_band_width_changes_band_area(bnd, layout):
    a30 = belt_bands(layout, bnd.counties).iloc[1]["area_km2"]
    a60 = belt_bands(layout.with_band_km("jingjiu", 60), bnd.counties).iloc[1]["area_km2"]
    assert a60 > 1.9 * a30


def test_every_prefecture_in_exactly_one_cluster_or_the_circle(bnd, layout):
    in_clusters = [p for k in layout.clusters for p in k.prefectures]
    assert len(in_clusters) == len(set(in_clusters))
    wholly_in_circle = {
        a
        for a in bnd.prefectures["adcode"]
        if set(bnd.counties[bnd.counties["prefecture_adcode"] == a]["adcode"]) <= set(layout.circle.members)
    }
    assert wholly_in_circle == {360100, 360400}
    assert set(in_clusters) | wholly_in_circle == set(bnd.prefectures["adcode"])
    assert not set(in_clusters) & wholly_in_circle


def test_cluster_areas_exclude_circle_counties(bnd, layout):
    areas = cluster_areas(bnd.prefectures, bnd.counties, layout).set_index("key")
    yichun = bnd.counties[bnd.counties["prefecture_adcode"] == 360900]
    assert areas.loc["ganxi", "county_count"] == 5 + 2 + (
        len(yichun) - 5
    )  # 萍乡 5, 新余 2, 宜春 minus 5 in circle
    total = areas["area_km2"].sum() + circle_outline(bnd.counties, layout).iloc[0]["area_km2"]
    assert total == pytest.approx(
        area_km2(bnd.province).sum(), rel=1e-4
    )  # circle + clusters tile the province


def test_click_handler_finds_each_prefecture(bnd, layout):
    for row in bnd.prefectures.itertuples():
        p = row.geometry.representative_point()
        assert city_at(p.x, p.y, bnd.prefectures) == row.adcode
    assert city_at(121.47, 31.23, bnd.prefectures) is None  # Shanghai
    assert city_from_click({"last_clicked": {"lat": 28.68, "lng": 115.86}}, bnd.prefectures) == 360100
    assert city_from_click(None, bnd.prefectures) is None
    assert city_from_click({"last_clicked": None}, bnd.prefectures) is None


def test_membership_panel_content(bnd, layout):
    nc = city_membership(360100, layout, bnd.prefectures, bnd.counties)
    assert nc["circle"] == "all" and set(nc["belts"]) == {"hukun", "jingjiu"} and nc["cluster"] is None
    sr = city_membership(361100, layout, bnd.prefectures, bnd.counties)
    assert sr["circle"] == "partial" and set(sr["circle_counties_zh"]) == {"鄱阳县", "余干县", "万年县"}
    assert sr["cluster"] == "gandongbei" and sr["tier"] == "区域中心" and sr["county_count"] == 12


def test_summary_table(bnd, layout):
    s = layout_summary(bnd.prefectures, bnd.counties, layout)
    assert list(s["kind"]) == ["circle", "belt", "belt", "cluster", "cluster", "cluster", "cluster"]
    assert s.iloc[0]["county_count"] == 32
