"""Conform, validation report by row, repair and drop."""

import geopandas as gpd
from shapely.geometry import Point, box

from geodata.importing import conform, repair, validation_report


def test_conform_validate_repair_drop():
    line = box(115.90, 28.60, 115.91, 28.61).exterior  # a line, not a point → wrong geometry type
    gdf = gpd.GeoDataFrame(
        {"名称": ["a", "a", "c"], "类别": ["幼儿园", "幼儿园", "幼儿园"]},
        geometry=[Point(115.9, 28.68), Point(115.9, 28.68), line],
        crs=4326,
    )
    out = conform(
        gdf,
        "facilities",
        {"name": "名称", "type": "类别"},
        categories={"幼儿园": "kindergarten"},
        defaults={"capacity": 0, "district_adcode": 360102},
    )
    problems = validation_report(out, "facilities")
    assert sorted((p.row, p.problem.split(" ")[0]) for p in problems) == [(1, "duplicate"), (2, "geometry")]
    assert len(repair(out, problems, "drop")) == 1
