"""Loader validation on hand-made bad layers: each failure mode listed, all problems at once."""

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from geodata.errors import DataValidationError
from geodata.schema import LAYERS
from geodata.validate import validate_layer
from geodata.workspace import load_workspace

SQUARE = Polygon([(115.9, 28.6), (115.901, 28.6), (115.901, 28.601), (115.9, 28.601)])
BOWTIE = Polygon([(115.9, 28.6), (115.901, 28.601), (115.901, 28.6), (115.9, 28.601)])


def _district(**over):
    data = {"adcode": [360102, 360103], "name_zh": ["东湖区", "西湖区"], "name_en": ["Donghu", "Xihu"]}
    data.update(over)
    return gpd.GeoDataFrame(data, geometry=[SQUARE, SQUARE], crs="EPSG:4326")


def test_clean_layer_has_no_problems():
    assert validate_layer(_district(), LAYERS["districts"]) == []


def test_missing_column_is_named():
    gdf = _district().drop(columns=["name_en"])
    problems = validate_layer(gdf, LAYERS["districts"])
    assert [(p.field, p.row) for p in problems] == [("name_en", None)]
    assert "missing" in problems[0].problem


def test_invalid_geometry_reports_row_and_hint():
    gdf = _district()
    gdf.loc[1, "geometry"] = BOWTIE
    problems = validate_layer(gdf, LAYERS["districts"])
    assert len(problems) == 1
    assert problems[0].row == 1 and "invalid" in problems[0].problem and "make_valid" in problems[0].hint


def test_no_crs():
    gdf = _district().set_crs(None, allow_override=True)
    problems = validate_layer(gdf, LAYERS["districts"])
    assert len(problems) == 1 and "no coordinate reference system" in problems[0].problem


def test_metres_labelled_as_degrees():
    metric = _district().to_crs("EPSG:32650")
    wrong = metric.set_crs("EPSG:4326", allow_override=True)
    problems = validate_layer(wrong, LAYERS["districts"])
    assert len(problems) == 1 and "look like metres" in problems[0].problem


def test_swapped_lon_lat():
    swapped = gpd.GeoDataFrame(
        {
            "facility_id": ["f1"],
            "type": ["kindergarten"],
            "name": ["x"],
            "district_adcode": [360102],
            "capacity": [0],
        },
        geometry=[Point(28.68, 115.89)],
        crs="EPSG:4326",
    )
    problems = validate_layer(swapped, LAYERS["facilities"])
    assert len(problems) == 1 and "swapped" in problems[0].problem


def test_projected_layer_in_metres_is_fine():
    assert validate_layer(_district().to_crs("EPSG:4548"), LAYERS["districts"]) == []


def test_all_problems_are_collected_not_just_the_first():
    gdf = _district(adcode=[360102, 360102], name_zh=["东湖区", None]).drop(columns=["name_en"])
    gdf.loc[0, "geometry"] = BOWTIE
    problems = validate_layer(gdf, LAYERS["districts"])
    kinds = sorted((p.field, p.row) for p in problems)
    assert kinds == [("adcode", 1), ("geometry", 0), ("name_en", None), ("name_zh", 1)]


def test_values_type_choices_and_ranges():
    parcels = gpd.GeoDataFrame(
        {
            "parcel_id": ["p1", "p2"],
            "name": ["a", "b"],
            "parcel_type": ["老旧小区", "别墅"],
            "district_adcode": [360102, 360102],
            "build_year": [1985, 3000],
            "area_m2": [100.0, "大"],
            "danger_grade": ["", "C"],
            "precast_slab": [True, False],
            "heritage": [False, False],
            "households": [10, 20],
            "parking_shortage": [0, 1],
            "status": ["储备", "储备"],
            "decision": ["改", "改"],
            "budget_wan": [1.0, 2.0],
        },
        geometry=[SQUARE, SQUARE],
        crs="EPSG:4326",
    )
    problems = validate_layer(parcels, LAYERS["parcels"])
    found = sorted((p.field, p.row) for p in problems)
    assert found == [("area_m2", 1), ("build_year", 1), ("parcel_type", 1)]


def test_rows_listed_are_capped_with_a_summary():
    n = 30
    gdf = gpd.GeoDataFrame(
        {"adcode": range(n), "name_zh": [None] * n, "name_en": ["x"] * n}, geometry=[SQUARE] * n, crs=4326
    )
    problems = validate_layer(gdf, LAYERS["districts"])
    assert len(problems) == 21 and "10 more rows" in problems[-1].problem


def test_load_workspace_collects_problems_of_every_layer(tmp_path):
    path = tmp_path / "bad.gpkg"
    bad = _district().drop(columns=["name_en"])
    bad.to_file(path, layer="districts", driver="GPKG")
    with pytest.raises(DataValidationError) as err:
        load_workspace(path, layers=["districts", "facilities"])
    text = str(err.value)
    assert "name_en" in text and "facilities: layer is missing" in text
    assert len(err.value.problems) == 2


def test_load_workspace_missing_file_is_explained(tmp_path):
    with pytest.raises(DataValidationError, match="workspace file not found"):
        load_workspace(tmp_path / "nope.gpkg")


def test_load_workspace_truncated_file(tmp_path):
    path = tmp_path / "trunc.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(DataValidationError, match="cannot read"):
        load_workspace(path)
