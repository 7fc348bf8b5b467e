"""Data problems from geodata/ appear in Chinese: every sentence the validators produce has a pattern."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

from geodata.schema import LAYERS
from geodata.validate import validate_layer
from i18n.problems import known, problem_text


def test_examples_translate_with_values_kept():
    assert (
        problem_text("required column 'population' (float) is missing", "zh")
        == "缺少必填字段“population”（数值）"
    )
    assert problem_text("value out of range [0, 1]", "zh") == "数值超出范围 [0, 1]"
    assert problem_text("empty value (and 12 more rows)", "zh") == "值为空（另有 12 行）"
    assert problem_text("the file is 301 MB, over the upload limit of 200 MB", "zh").startswith(
        "文件大小 301 MB"
    )
    assert problem_text("no CRS in the file: inferred EPSG:4548 from the coordinate values", "zh").endswith(
        "EPSG:4548"
    )


def test_english_and_unknown_pass_through():
    assert problem_text("value is not a valid int", "en") == "value is not a valid int"
    assert problem_text("<img src=x onerror=alert(1)>", "zh") == "<img src=x onerror=alert(1)>"


def _bad_layer():
    poly = Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])  # bow-tie: invalid
    return gpd.GeoDataFrame(
        {
            "compound_id": ["a", "a", "b"],
            "name": ["x", None, "z"],
            "district_adcode": ["360102", "x", "360102"],
            "build_year": [1990, 3000, None],
        },
        geometry=[poly, None, Point(115.9, 28.7)],
        crs=4326,
    )


@pytest.mark.parametrize("layer", ["compounds", "parcels", "facilities"])
def test_every_validator_sentence_is_known(layer):
    problems = validate_layer(_bad_layer(), LAYERS[layer], layer)
    texts = {p.problem for p in problems} | {p.hint for p in problems if p.hint}
    assert texts and all(known(x) for x in texts), sorted(x for x in texts if not known(x))


def test_swapped_and_metre_coordinates_are_known():
    swapped = gpd.GeoDataFrame({"x": [1]}, geometry=[Point(28.7, 115.9)], crs=4326)
    metres = gpd.GeoDataFrame({"x": [1]}, geometry=[Point(450000, 3170000)], crs=4326)
    nocrs = gpd.GeoDataFrame(pd.DataFrame({"x": [1]}), geometry=[Point(1, 1)])
    for gdf in (swapped, metres, nocrs):
        problems = validate_layer(gdf, LAYERS["facilities"], "facilities")
        geo = [p for p in problems if p.field == "geometry"]
        assert geo and all(known(p.problem) and known(p.hint) for p in geo), [p.problem for p in geo]
