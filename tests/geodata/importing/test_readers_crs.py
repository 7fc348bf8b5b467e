"""The CRS guess comes from the majority: single bad rows are flagged by row, GK zones, survey X/Y."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from geodata.importing import read_any
from geodata.importing.crsguess import guess_crs

# five facilities in Nanchang, degrees
LNG = [115.89, 115.90, 115.91, 115.92, 115.93]
LAT = [28.66, 28.67, 28.68, 28.69, 28.70]


def _table(tmp_path, lng, lat, name="t.csv"):
    path = tmp_path / name
    pd.DataFrame({"名称": [f"设施{i}" for i in range(len(lng))], "经度": lng, "纬度": lat}).to_csv(
        path, index=False
    )
    return path


def test_one_swapped_row_does_not_defeat_the_guess(tmp_path):
    r = read_any(_table(tmp_path, [*LNG, 28.71], [*LAT, 115.94]))
    assert r.crs_candidates == ["EPSG:4326", "EPSG:4490"] and r.bad_rows == {5: "swapped"}


def test_zero_zero_and_inf_rows_are_invalid_not_the_guess(tmp_path):
    r = read_any(_table(tmp_path, [*LNG, 0.0, np.inf], [*LAT, 0.0, 28.7]))
    assert r.crs_candidates[0] == "EPSG:4326" and r.bad_rows == {5: "invalid", 6: "invalid"}


def test_far_row_is_out_of_area(tmp_path):
    # row 5 is in Paris, row 6 in Beijing (in China but 11° from the others)
    r = read_any(_table(tmp_path, [*LNG, 2.35, 116.40], [*LAT, 48.85, 39.90]))
    assert r.crs_candidates[0] == "EPSG:4326" and r.bad_rows == {5: "out_of_area", 6: "out_of_area"}


def test_bad_rows_are_flagged_in_a_file_with_a_crs(tmp_path):
    gdf = gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in zip(LNG, LAT)] + [Point(28.7, 115.9)], crs=4326)
    gdf.to_file(tmp_path / "f.geojson")
    assert read_any(tmp_path / "f.geojson").bad_rows == {5: "swapped"}


def _gk(points, code):
    return gpd.GeoDataFrame(geometry=[Point(p) for p in points], crs=4490).to_crs(code).geometry


def test_gk_without_prefix_fitting_two_zones_is_ambiguous(tmp_path):
    # easting 600 km, northing 3,170 km: CM 114°E → ~115.0°E, CM 117°E → ~118.0°E — both inside Jiangxi
    pd.DataFrame({"x": [600_000.0, 600_100.0], "y": [3_170_000.0, 3_170_050.0]}).to_csv(
        tmp_path / "a.csv", index=False
    )
    r = read_any(tmp_path / "a.csv")
    assert r.crs_ambiguous and r.crs_candidates == ["EPSG:4547", "EPSG:4548"] and r.gdf.crs is None


def test_gk_without_prefix_fitting_one_zone_is_taken(tmp_path):
    g = _gk([(115.9, 28.68), (115.95, 28.70)], "EPSG:4548")  # Nanchang in CM 117°E: easting ~410 km
    pd.DataFrame({"x": g.x, "y": g.y}).to_csv(tmp_path / "b.csv", index=False)
    r = read_any(tmp_path / "b.csv")
    assert not r.crs_ambiguous and r.crs_candidates == ["EPSG:4548"] and r.gdf.crs == "EPSG:4548"


@pytest.mark.parametrize("code", ["EPSG:4548", "EPSG:4527"])  # 4xx,xxx and 39,4xx,xxx eastings
def test_survey_x_north_y_east_columns_are_swapped(tmp_path, code):
    g = _gk([(115.9, 28.68), (115.95, 28.70), (115.92, 28.66)], code)
    path = tmp_path / "survey.csv"
    pd.DataFrame({"点名": ["J1", "J2", "J3"], "X坐标(m)": g.y, "Y坐标(m)": g.x}).to_csv(path, index=False)
    r = read_any(path)
    assert r.gdf.crs == code and any("survey convention" in n for n in r.notes)
    back = r.gdf.to_crs(4326).geometry.iloc[0]
    assert back.x == pytest.approx(115.9, abs=1e-6) and back.y == pytest.approx(28.68, abs=1e-6)


def test_guess_counts_the_majority_not_the_bounds():
    pts = [Point(x, y) for x, y in zip(LNG, LAT)] + [Point(500_000, 3_100_000)]  # one metric row
    g = guess_crs(gpd.GeoDataFrame(geometry=pts))
    assert g.kind == "degrees" and g.bad_rows == {5: "out_of_area"}
