"""Real Jiangxi boundaries load and validate; broken copies list every problem."""

import shutil

import geopandas as gpd
import pytest
from shapely.geometry import Polygon

from geodata.boundaries import FILES, load_boundaries
from geodata.errors import DataValidationError
from layers.crs import area_km2


def test_bundled_boundaries():
    b = load_boundaries()
    assert (len(b.province), len(b.prefectures), len(b.counties)) == (1, 11, 100)
    assert area_km2(b.province).sum() == pytest.approx(166_927, rel=0.005)  # official ≈166,900 km²
    assert b.counties.groupby("prefecture_adcode").size()[360700] == 18  # 赣州 has 18 counties
    assert b.prefecture_name(360100) == "南昌市" and b.prefecture_name(360100, "en") == "Nanchang"


def test_broken_copy_lists_every_problem(tmp_path):
    src = load_boundaries().directory
    for f in FILES.values():
        shutil.copy(src / f, tmp_path / f)
    pref = gpd.read_file(tmp_path / FILES["prefectures"]).drop(columns=["name_en"])
    pref.loc[0, "geometry"] = Polygon([(115, 28), (116, 29), (116, 28), (115, 29)])  # bow-tie
    pref.to_file(tmp_path / FILES["prefectures"], driver="GeoJSON")
    (tmp_path / FILES["province"]).unlink()
    with pytest.raises(DataValidationError) as err:
        load_boundaries(tmp_path)
    text = str(err.value)
    assert "jiangxi_province.geojson: file not found" in text
    assert "name_en" in text and "invalid geometry" in text
    assert len(err.value.problems) == 3


def test_county_with_unknown_prefecture(tmp_path):
    src = load_boundaries().directory
    for f in FILES.values():
        shutil.copy(src / f, tmp_path / f)
    counties = gpd.read_file(tmp_path / FILES["counties"])
    counties.loc[5, "prefecture_adcode"] = 369900
    counties.to_file(tmp_path / FILES["counties"], driver="GeoJSON")
    with pytest.raises(DataValidationError, match="prefecture 369900 is not in"):
        load_boundaries(tmp_path)
