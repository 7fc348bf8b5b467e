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


def test_bad_rows_are_named_and_left_out_of_the_other_checks():
    import geopandas as gpd
    from shapely.geometry import Point

    from geodata.importing import bad_row_problems, repair, validation_report

    gdf = gpd.GeoDataFrame(
        {
            "facility_id": ["a", "b", "c"],
            "type": ["kindergarten"] * 3,
            "name": ["甲", "乙", "丙"],
            "district_adcode": [360702, None, 360702],
            "capacity": [0, 0, 0],
        },
        geometry=[Point(114.93, 25.85), Point(25.86, 114.94), Point(114.935, 25.855)],
        crs="EPSG:4326",
    )
    assert {p.field for p in validation_report(gdf, "facilities")} >= {"geometry", "district_adcode"}
    problems = validation_report(gdf, "facilities", bad_rows={1: "swapped"})
    assert [(p.layer, p.row, p.problem.split(" (")[0]) for p in problems] == [
        ("facilities (乙)", 1, "longitude and latitude swapped")
    ]
    assert len(repair(gdf, problems, "drop", target="facilities", bad_rows={1: "swapped"})) == 2
    assert len(repair(gdf, problems, "repair", target="facilities", bad_rows={1: "swapped"})) == 3
    many = bad_row_problems(gdf, {0: "invalid", 1: "invalid", 2: "invalid"}, "f", max_rows=2)
    assert [p.row for p in many] == [0, 1, None] and "(and 1 more rows)" in many[-1].problem
