"""Slide content: key figures and a conclusion computed from the numbers (hand-checkable fixture)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geodata.catalogue import load_catalogue
from geodata.workspace import Workspace
from reports.slides import people, slide_content

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def tiny():
    """Five resident cells, one kindergarten at (0, 0), two districts (metres, EPSG:32650).

    Kindergarten radius 300 m: served are (0,100) 100 p, (0,250) 200 p and (100,100) 500 p (141 m) → 800 of
    1,500 residents (53.3 %); unserved (0,400) 300 p in 东城区 and (1000,0) 400 p in 西城区 → 700, 57.1 % of
    the gap in 西城区.
    """
    crs = 32650
    cells = gpd.GeoDataFrame(
        {
            "cell_id": list("abcde"),
            "population": [100.0, 200.0, 300.0, 400.0, 500.0],
            "elderly": [10.0, 20.0, 30.0, 40.0, 50.0],
            "community_id": ["c1", "c1", "c2", "c3", "c3"],
            "district_adcode": [1, 1, 1, 2, 2],
        },
        geometry=[Point(0, 100), Point(0, 250), Point(0, 400), Point(1000, 0), Point(100, 100)],
        crs=crs,
    )
    fac = gpd.GeoDataFrame(
        {"facility_id": ["k1"], "type": ["kindergarten"], "name": ["k"], "capacity": [100]},
        geometry=[Point(0, 0)],
        crs=crs,
    )
    districts = gpd.GeoDataFrame(
        {"adcode": [1, 2], "name_zh": ["东城区", "西城区"], "name_en": ["East District", "West District"]},
        geometry=[box(-500, -500, 500, 500), box(500, -500, 1500, 500)],
        crs=crs,
    )
    communities = gpd.GeoDataFrame(
        {
            "community_id": ["c1", "c2", "c3"],
            "name": ["甲社区", HOSTILE, "丙社区"],
            "subdistrict_id": ["s"] * 3,
            "district_adcode": [1, 1, 2],
        },
        geometry=[box(-100, 0, 100, 300), box(-100, 300, 100, 500), box(500, -100, 1100, 200)],
        crs=crs,
    )
    layers = {
        "population_cells": cells,
        "facilities": fac,
        "districts": districts,
        "communities": communities,
    }
    return Workspace(Path("tiny.gpkg"), layers, {"survey_years": "2025,2026", "synthetic": "true"})


def content(ws, view, lang, **kw):
    return slide_content(
        view,
        ws=ws,
        bnd=None,
        catalogue=load_catalogue(),
        indicators=kw.pop("indicators", []),
        lang=lang,
        **kw,
    )


COV = {"title": "幼儿园", "kind": "coverage", "params": {"selection": "kindergarten", "mode": "euclidean"}}


def test_coverage_slide_zh_is_computed(tiny):
    c = content(tiny, COV, "zh")
    assert c.title == "幼儿园 300 米服务覆盖 · 直线距离 · 2026 年现状"
    assert c.subtitle == "覆盖 53.3% 居民，700人未覆盖"
    assert [(f.label, f.value) for f in c.figures] == [
        ("居民覆盖率", "53.3%"),
        ("未覆盖人口", "700人"),
        ("缺口最大的区", "西城区（400人）"),
    ]
    assert (
        c.conclusion
        == "幼儿园直线300米覆盖53.3%的居民，仍有700人未覆盖，缺口集中在西城区（400人，占未覆盖人口的57.1%）。"
    )


def test_coverage_slide_en_has_no_chinese(tiny):
    c = content(tiny, COV, "en")
    assert c.title == "Kindergarten within 300 m · straight-line distance · 2026, current"
    assert c.conclusion == (
        "Kindergarten within 300 m (straight-line) serves 53.3% of residents; 700 residents are not served, "
        "most of them in West District (400 residents, 57.1% of the gap)."
    )
    text = c.title + c.subtitle + c.conclusion + "".join(f.label + f.value for f in c.figures)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_coverage_slide_follows_the_radius_and_scenario(tiny):
    """A wider radius changes the figures (not canned text): 500 m also reaches (0,400) → 1,100 of 1,500."""
    cat = load_catalogue().with_radii({"kindergarten": 500})
    view = {"title": "x", "kind": "coverage", "params": {**COV["params"], "scenario": "规划新增 2 处"}}
    c = slide_content(view, ws=tiny, bnd=None, catalogue=cat, indicators=[], lang="zh")
    assert c.title == "幼儿园 500 米服务覆盖 · 直线距离 · 2026 年规划新增 2 处"
    assert c.figures[0].value == "73.3%" and c.figures[2].value == "西城区（400人）"


def test_health_slide_counts_grades_from_the_evaluation(tiny):
    ev = pd.DataFrame(
        {
            "unit": ["c1", "c2", "c3"],
            "indicator": ["kindergarten_cov"] * 3,
            "value": [0.95, 0.10, 0.80],
            "grade": ["green", "red", "yellow"],
            "attainment": [1.0, 0.11, 0.89],
            "affected": [0.0, 300.0, 400.0],
        }
    )
    ind = [
        {
            "key": "kindergarten_cov",
            "name_zh": "幼儿园300米覆盖率",
            "name_en": "Kindergarten 300 m",
            "unit": "%",
            "target": 0.9,
            "direction": "higher",
        }
    ]
    view = {"title": "t", "kind": "health", "params": {"indicator": "kindergarten_cov", "level": "community"}}
    c = content(tiny, view, "zh", indicators=ind, evaluation=ev)
    assert c.title == "城市体检 2026：幼儿园300米覆盖率（按社区）"
    assert [f.value for f in c.figures] == ["1 / 3", "1 个未达标，1 个接近", "700人"]
    # the weakest unit is named as typed (escaping is the renderer's job) with value and target
    assert c.conclusion.endswith(f"最差为{HOSTILE}（10.0%，目标 90.0%）。")


def test_people_formats():
    assert people(1_077_003, "zh") == "107.7万人" and people(700, "zh") == "700人"
    assert (
        people(301_837, "en") == "301,837 residents" and people(1_077_003, "en") == "1.08 million residents"
    )


def test_unknown_kind_and_type_raise(tiny):
    with pytest.raises(ValueError, match="unknown view kind 'map'"):
        content(tiny, {"title": "x", "kind": "map", "params": {}}, "zh")
    with pytest.raises(ValueError, match="unknown facility type 'nope'"):
        content(tiny, {"title": "x", "kind": "coverage", "params": {"selection": "nope"}}, "zh")


def test_default_views_on_the_demo_have_figures_and_conclusions(demo_ws):
    from geodata.boundaries import load_boundaries
    from geodata.indicators import load_indicators
    from geodata.views import DEFAULT_VIEWS

    cat = load_catalogue()
    bnd = load_boundaries()
    for lang in ("zh", "en"):
        for view in DEFAULT_VIEWS:
            c = slide_content(
                view, ws=demo_ws, bnd=bnd, catalogue=cat, indicators=load_indicators(catalogue=cat), lang=lang
            )
            assert 2 <= len(c.figures) <= 3 and all(f.value for f in c.figures)
            assert c.conclusion.endswith("。" if lang == "zh" else ".")
            assert "{" not in c.title + c.conclusion  # every placeholder filled
