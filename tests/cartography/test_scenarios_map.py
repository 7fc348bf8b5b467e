"""The scenario difference map: one dot per changed cell in the status colour, title with both (escaped)
names, legend, facility markers; the side map shows served cells only."""

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from cartography.scenarios import ADDED_COLOUR, STATUS_COLOURS, difference_map, outcome_map
from geodata.workspace import load_workspace

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def ws(demo_gpkg):
    return load_workspace(demo_gpkg)


def cells():
    # three cells near the demo centre: one gained, one lost, two served in both
    pts = [Point(115.90, 28.68), Point(115.91, 28.68), Point(115.92, 28.68), Point(115.93, 28.68)]
    return gpd.GeoDataFrame(
        {"status": ["gained", "lost", "both", "both"], "population": [120.4, 80.0, 10.0, 5.0]},
        geometry=pts,
        crs="EPSG:4326",
    )


def features(html: str, colour: str) -> int:
    return len(re.findall(rf'"colour": "{colour}"', html))


def test_difference_map_layers_title_and_legend(ws):
    added = pd.DataFrame({"lon": [115.905], "lat": [28.685], "ref": ["P0093"], "type_label": ["幼儿园"]})
    m = difference_map(
        ws, cells(), a_name=HOSTILE, b_name="=HYPERLINK(1)", what="幼儿园", lang="zh", added=added
    )
    html = m.get_root().render()
    assert features(html, STATUS_COLOURS["gained"]) == 1
    assert features(html, STATUS_COLOURS["lost"]) == 1
    assert features(html, STATUS_COLOURS["both"]) == 2
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    title = json.loads(
        re.search(r'div.innerHTML = ("[^\n]*ra-map-title|"<div[^\n]*覆盖差异[^\n]*");', html).group(1)
    )
    assert "覆盖差异" in title and "=HYPERLINK(1)" in title and "幼儿园" in title
    for label in ("B 新增覆盖", "B 失去覆盖", "两方案均覆盖", "新增设施 / 完工项目", "居民点（100 米格网）"):
        assert label in html
    assert ADDED_COLOUR in html and "P0093" in html


def test_outcome_map_in_english(ws):
    served = cells().assign(status="served")
    html = outcome_map(ws, served, name=HOSTILE, what="Kindergarten", lang="en").get_root().render()
    assert features(html, STATUS_COLOURS["served"]) == 4
    assert "<img src=x" not in html and "Kindergarten coverage" in html and "Served" in html
