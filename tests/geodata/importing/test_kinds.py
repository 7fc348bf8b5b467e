"""Streets (bridge kept, multi-lines exploded, ids generated) and 社区/街道 polygons (district by overlap)."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, box

from geodata.errors import DataValidationError
from geodata.importing.kinds import areas_from, commit_layer, relocate_cells, streets_from
from geodata.workspace import load_workspace
from geodata.workspace_new import new_workspace

DISTRICTS = gpd.GeoDataFrame(
    {"adcode": [1, 2], "name_zh": ["西区", "东区"], "name_en": ["West", "East"]},
    geometry=[box(115.0, 28.0, 115.1, 28.1), box(115.1, 28.0, 115.2, 28.1)],
    crs=4326,
)


def test_streets_bridge_kept_and_multilines_exploded():
    gdf = gpd.GeoDataFrame(
        {"道路等级": ["主干路", "支路"], "桥梁": ["是", ""], "层": [1, None]},
        geometry=[
            LineString([(115.01, 28.05), (115.09, 28.05)]),
            MultiLineString([[(115.05, 28.01), (115.05, 28.09)], [(115.06, 28.01), (115.06, 28.09)]]),
        ],
        crs=4326,
    )
    out, notes = streets_from(gdf)
    assert list(out["street_id"]) == ["s1", "s2", "s3"]
    assert list(out["kind"]) == ["主干路", "支路", "支路"]
    assert list(out["bridge"]) == [1, 0, 0]
    assert list(out["layer"]) == [1, 0, 0]
    assert set(out.geometry.geom_type) == {"LineString"}
    assert any("1 → 3" in n for n in notes) or any("exploded" in n for n in notes)


def test_streets_ids_from_file_made_unique_and_points_ignored():
    gdf = gpd.GeoDataFrame(
        {"osm_id": ["7", "7", "9"], "fclass": ["footway", None, "residential"]},
        geometry=[LineString([(0, 0), (1, 0)]), LineString([(0, 1), (1, 1)]), Point(0, 0)],
        crs=32650,
    )
    out, notes = streets_from(gdf)
    assert list(out["street_id"]) == ["7-1", "7-2"]
    assert list(out["kind"]) == ["footway", "unknown"]
    assert "bridge" not in out.columns
    assert any("1 features that are not lines" in n for n in notes)
    assert out.crs.to_epsg() == 4326


def test_streets_refusals():
    with pytest.raises(DataValidationError, match="no line features"):
        streets_from(gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326))
    with pytest.raises(DataValidationError, match="no CRS"):
        streets_from(gpd.GeoDataFrame({"a": [1]}, geometry=[LineString([(0, 0), (1, 1)])]))


def test_communities_district_by_largest_overlap():
    gdf = gpd.GeoDataFrame(
        # 70 % in the west district, 30 % in the east one; then one wholly east
        {"社区名称": ["八一社区", "和平社区"], "社区代码": [3601001, 3601002], "街道代码": ["S1", "S2"]},
        geometry=[box(115.03, 28.02, 115.13, 28.04), box(115.15, 28.05, 115.16, 28.06)],
        crs=4326,
    )
    out, _ = areas_from(gdf, "communities", DISTRICTS)
    assert list(out["community_id"]) == ["3601001", "3601002"]
    assert list(out["district_adcode"]) == [1, 2]
    assert list(out["subdistrict_id"]) == ["S1", "S2"]
    assert set(out.geometry.geom_type) == {"MultiPolygon"}


def test_subdistricts_and_community_street_by_overlay():
    subs_in = gpd.GeoDataFrame({"街道名称": ["八一街道"]}, geometry=[box(115.0, 28.0, 115.1, 28.1)], crs=4326)
    subs, notes = areas_from(subs_in, "subdistricts", DISTRICTS)
    assert list(subs["subdistrict_id"]) == ["S0001"]
    assert any("generated" in n for n in notes)
    comms, _ = areas_from(
        gpd.GeoDataFrame({"name": ["八一社区"]}, geometry=[box(115.01, 28.01, 115.02, 28.02)], crs=4326),
        "communities",
        DISTRICTS,
        subs,
    )
    assert list(comms["subdistrict_id"]) == ["S0001"]


def test_areas_refusals():
    lines = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[LineString([(115.01, 28.01), (115.02, 28.02)])], crs=4326
    )
    with pytest.raises(DataValidationError, match="not a polygon"):
        areas_from(lines, "communities", DISTRICTS)
    far = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(100, 40, 100.1, 40.1)], crs=4326)
    with pytest.raises(DataValidationError, match="outside every district"):
        areas_from(far, "communities", DISTRICTS)
    noname = gpd.GeoDataFrame({"x": ["a"]}, geometry=[box(115.01, 28.01, 115.02, 28.02)], crs=4326)
    with pytest.raises(DataValidationError, match="no name column"):
        areas_from(noname, "communities", DISTRICTS)


def test_commit_streets_keeps_bridge_and_relocates_cells(tmp_path):
    ws = new_workspace(tmp_path / "w.gpkg", DISTRICTS, name="t", source="t")
    gdf = gpd.GeoDataFrame(
        {"highway": ["primary"], "bridge": ["yes"]},
        geometry=[LineString([(115.01, 28.05), (115.09, 28.05)])],
        crs=4326,
    )
    streets, _ = streets_from(gdf)
    commit_layer(streets, "streets", workspace=ws)
    loaded = load_workspace(ws)["streets"]
    assert list(loaded["bridge"]) == [1]
    with pytest.raises(ValueError, match="--replace"):
        commit_layer(streets, "streets", workspace=ws)
    cells = gpd.GeoDataFrame(
        {
            "cell_id": ["a", "b"],
            "population": [10.0, 20.0],
            "elderly": [0.0, 0.0],
            "district_adcode": [1, 1],
            "community_id": ["", ""],
        },
        geometry=[Point(115.015, 28.015), Point(115.05, 28.08)],
        crs=4326,
    )
    comms, _ = areas_from(
        gpd.GeoDataFrame(
            {"name": ["八一社区"], "code": ["C9"]}, geometry=[box(115.01, 28.01, 115.02, 28.02)], crs=4326
        ),
        "communities",
        DISTRICTS,
    )
    moved = relocate_cells({"population_cells": cells}, comms)
    assert list(moved["community_id"]) == ["C9", ""]
    assert list(cells["community_id"]) == ["", ""]  # input untouched
