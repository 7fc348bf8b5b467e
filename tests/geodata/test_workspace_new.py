"""A new city workspace: districts from the bundled boundaries or the planner's polygons, an empty, loadable,
non-synthetic GeoPackage; completeness per analysis; imports go into the chosen workspace, never the demo."""

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point, box

from geodata.importing import commit, conform
from geodata.workspace import load_workspace
from geodata.workspace_new import (
    completeness,
    districts_for_adcode,
    districts_from_polygons,
    new_workspace,
)


def test_prefecture_gives_its_county_level_units():
    from geodata.boundaries import load_boundaries

    b = load_boundaries()
    districts, place = districts_for_adcode(360700)
    expected = sorted(b.counties.loc[b.counties["prefecture_adcode"] == 360700, "adcode"])
    assert place == "赣州市" and districts["adcode"].tolist() == expected
    assert 360702 in expected and len(expected) > 10
    assert set(districts.geometry.geom_type) == {"MultiPolygon"}


def test_county_gives_itself():
    districts, place = districts_for_adcode("360702")
    assert place == "章贡区" and districts["adcode"].tolist() == [360702]
    assert districts.iloc[0]["name_en"] == "Zhanggong District"


@pytest.mark.parametrize("code", [999999, 360000, "abc"])
def test_unknown_adcode_is_refused_in_both_languages(code):
    with pytest.raises(ValueError, match="未知的行政区划代码.*unknown adcode"):
        districts_for_adcode(code)


def test_new_workspace_is_empty_loadable_and_real(tmp_path):
    districts, place = districts_for_adcode(360702)
    out = new_workspace(
        tmp_path / "zg.gpkg", districts, name="赣州章贡区", source="adcode:360702", created_by="王工"
    )
    ws = load_workspace(out)
    assert ws.synthetic is False and ws.metadata["city"] == "赣州章贡区"
    assert ws.metadata["created_by"] == "王工" and ws.metadata["districts_source"] == "adcode:360702"
    assert len(ws["districts"]) == 1
    assert {n: len(g) for n, g in ws.layers.items() if n != "districts"} == dict.fromkeys(
        ["subdistricts", "communities", "compounds", "population_cells", "facilities", "streets", "parcels"],
        0,
    )


def test_existing_output_refused_unless_force(tmp_path):
    districts, _ = districts_for_adcode(360702)
    out = new_workspace(tmp_path / "zg.gpkg", districts, name="a", source="s")
    before = out.read_bytes()
    with pytest.raises(ValueError, match="已存在.*exists"):
        new_workspace(out, districts, name="b", source="s")
    assert out.read_bytes() == before
    new_workspace(out, districts, name="b", source="s", force=True)
    assert load_workspace(out).metadata["city"] == "b"


def test_bad_output_paths(tmp_path):
    districts, _ = districts_for_adcode(360702)
    with pytest.raises(ValueError, match=r"\.gpkg"):
        new_workspace(tmp_path / "zg.shp", districts, name="a", source="s")
    with pytest.raises(ValueError, match="目录不存在.*does not exist"):
        new_workspace(tmp_path / "nope" / "zg.gpkg", districts, name="a", source="s")
    with pytest.raises(ValueError, match="无写入权限.*cannot write"):
        new_workspace("/proc/zg.gpkg", districts, name="a", source="s")


def _squares(**cols):
    # two 1 km squares in CGCS2000 / 3-degree GK CM 114E (EPSG:4547), side by side
    geoms = [box(500000, 2860000, 501000, 2861000), box(501000, 2860000, 502000, 2861000)]
    return gpd.GeoDataFrame(cols, geometry=geoms, crs="EPSG:4547")


def test_own_boundary_file_numbers_districts_or_takes_codes():
    d = districts_from_polygons(_squares(区名=["东区", "西区"]), "区名")
    assert d["adcode"].tolist() == [1, 2] and d["name_zh"].tolist() == ["东区", "西区"]
    assert d.crs.to_epsg() == 4326 and set(d.geometry.geom_type) == {"MultiPolygon"}
    # 1 km square at 25.85°N: about 0.0100 degrees wide
    assert d.geometry.iloc[0].bounds[2] - d.geometry.iloc[0].bounds[0] == pytest.approx(0.0100, abs=0.0003)
    d = districts_from_polygons(_squares(n=["a", "b"], code=["360791", "360792"]), "n", "code")
    assert d["adcode"].tolist() == [360791, 360792]


@pytest.mark.parametrize(
    ("gdf", "name", "code", "match"),
    [
        (_squares(n=["a", "b"]).set_crs(None, allow_override=True), "n", None, "no CRS"),
        (_squares(n=["a", "b"]), "名称", None, "no name column"),
        (_squares(n=["a", " "]), "n", None, "empty district names"),
        (_squares(n=["a", "b"], c=[1, 1]), "n", "c", "repeated district codes"),
        (_squares(n=["a", "b"], c=["x", 2]), "n", "c", "must hold integers"),
    ],
)
def test_own_boundary_file_problems(gdf, name, code, match):
    with pytest.raises(ValueError, match=match):
        districts_from_polygons(gdf, name, code)


def test_own_boundary_file_must_be_polygons():
    pts = gpd.GeoDataFrame({"n": ["a"]}, geometry=[Point(114.9, 25.8)], crs=4326)
    with pytest.raises(ValueError, match="polygons only"):
        districts_from_polygons(pts, "n")


def test_completeness_lists_what_each_analysis_needs():
    empty = gpd.GeoDataFrame(geometry=[], crs=4326)
    one = gpd.GeoDataFrame({"population": [5.0]}, geometry=[Point(0, 0)], crs=4326)
    layers = {"population_cells": one, "facilities": one, "streets": empty}
    got = {r.analysis: r.missing for r in completeness(layers)}
    assert got["coverage"] == ()
    assert got["network"] == ("streets",)
    assert got["complete_community"] == ("communities",)
    assert got["screening"] == ("parcels",)
    assert got["age_groups"] == ("age_groups",)
    layers["population_cells"] = one.assign(elderly_60=1.0)
    assert {r.analysis: r.ready for r in completeness(layers)}["age_groups"] is True


def _facility(name, lon, lat):
    return conform(
        gpd.GeoDataFrame({"n": [name], "t": ["kindergarten"]}, geometry=[Point(lon, lat)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360702},
    )


def test_real_rows_never_go_into_the_synthetic_demo(tmp_path, monkeypatch, demo_gpkg):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    before = demo_gpkg.read_bytes()
    with pytest.raises(ValueError, match="示例.*synthetic demo"):
        commit(_facility("甲", 115.9, 28.68), "facilities", workspace=demo_gpkg)
    assert demo_gpkg.read_bytes() == before
    assert not (tmp_path / "workspace.gpkg").exists()  # and no mixed copy elsewhere


def test_two_successive_imports_both_survive(tmp_path, monkeypatch):
    districts, _ = districts_for_adcode(360702)
    ws = new_workspace(tmp_path / "zg.gpkg", districts, name="章贡", source="adcode:360702")
    monkeypatch.setenv("RENEWAL_WORKSPACE", str(ws))
    from geodata.workspace import workspace_path

    assert commit(_facility("甲", 114.935, 25.85), "facilities", workspace=workspace_path()) == ws
    assert commit(_facility("乙", 114.94, 25.855), "facilities", workspace=workspace_path()) == ws
    fac = pyogrio.read_dataframe(ws, layer="facilities", read_geometry=False)
    assert fac["name"].tolist() == ["甲", "乙"]
    assert load_workspace(ws).synthetic is False
    assert pd.Series(fac["facility_id"]).is_unique
