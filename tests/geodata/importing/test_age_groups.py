"""一老一小 age groups: optional columns recognised from 七普 headers, validated when present, never required."""

import geopandas as gpd
import pytest
from shapely.geometry import Point, box

from geodata.errors import DataValidationError
from geodata.importing import suggest_mapping
from geodata.importing.conform import conform
from geodata.schema import AGE_GROUPS, LAYERS
from geodata.validate import check_columns
from i18n.problems import known


def test_chinese_census_headers_map_onto_age_groups():
    cols = ["小区名称", "常住人口", "0-3岁", "3～6岁", "6-12岁", "60岁及以上", "80岁及以上"]
    m = suggest_mapping(cols, LAYERS["compounds"])
    assert [m[g] for g in AGE_GROUPS] == ["0-3岁", "3～6岁", "6-12岁", "60岁及以上", "80岁及以上"]
    assert m["name"] == "小区名称" and m["population"] == "常住人口"
    assert suggest_mapping(["名称"], LAYERS["compounds"])["children_0_3"] is None


def _compounds(**extra):
    base = {
        "compound_id": ["R1", "R2"],
        "name": ["甲", "乙"],
        "district_adcode": [360102, 360102],
        "community_id": ["C1", "C1"],
        "build_year": [1990, 2010],
        "households": [10, 20],
        "population": [30, 60],
        "elderly_share": [0.2, 0.1],
        "parking_spaces": [3, 5],
    }
    return gpd.GeoDataFrame(base | extra, geometry=[box(0, 0, 1, 1), box(2, 2, 3, 3)], crs="EPSG:4326")


def test_age_columns_are_optional_but_checked_when_present():
    schema = LAYERS["compounds"]
    assert check_columns(_compounds(), schema) == []  # absent: no problem
    bad = check_columns(_compounds(children_0_3=[2, -1], elderly_80=["x", 3]), schema)
    assert {(p.row, p.field) for p in bad} == {(1, "children_0_3"), (0, "elderly_80")}
    assert check_columns(_compounds(children_0_3=[2, 1]), schema) == []


def test_conform_copies_mapped_age_columns():
    user = gpd.GeoDataFrame(
        {"名称": ["甲"], "人口": [100], "60岁及以上": [25]},
        geometry=[Point(115.9, 28.68).buffer(0.001)],
        crs="EPSG:4326",
    )
    cols = suggest_mapping(user.columns, LAYERS["compounds"])
    out = conform(user, "neighbourhoods", cols)
    assert out["elderly_60"].tolist() == [25] and "children_0_3" not in out


def _census_compounds():
    from shapely.geometry import box as _box

    return gpd.GeoDataFrame(
        {
            "小区名称": ["新小区"],
            "常住人口": [300],
            "户数": [100],
            "建成年份": [2015],
            "0-3岁": [9],
            "3-6岁": [11],
            "6-12岁": [20],
            "60岁及以上": [45],
            "80岁及以上": [6],
        },
        geometry=[_box(115.9, 28.68, 115.901, 28.681)],
        crs="EPSG:4326",
    )


def test_commit_replace_keeps_age_columns_and_append_needs_them_on_both(
    tmp_path, monkeypatch, demo_gpkg, real_copy
):
    import pyogrio

    from geodata.importing import commit
    from geodata.importing.conform import attach_areas
    from geodata.workspace import load_workspace

    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    user = _census_compounds()
    cols = suggest_mapping(user.columns, LAYERS["compounds"])
    defaults = {"elderly_share": 0.15, "parking_spaces": 0}
    layers = load_workspace(demo_gpkg, layers=["districts", "communities"]).layers
    gdf = attach_areas(conform(user, "neighbourhoods", cols, defaults=defaults), "neighbourhoods", layers)
    dest = commit(gdf, "neighbourhoods", workspace=real_copy, mode="replace")
    comp = pyogrio.read_dataframe(dest, layer="compounds", read_geometry=False)
    assert len(comp) == 1 and comp.loc[0, list(AGE_GROUPS)].tolist() == [9, 11, 20, 45, 6]
    # appending rows without age columns to a layer that has them: refused, naming the columns; the layer's
    # own age groups are never dropped (nor kept half-empty)
    plain = gdf.drop(columns=list(AGE_GROUPS)).assign(compound_id="UR-second")
    before = dest.read_bytes()
    with pytest.raises(DataValidationError) as err:
        commit(plain, "neighbourhoods", workspace=dest, mode="append")
    assert {p.field for p in err.value.problems} == set(AGE_GROUPS) and dest.read_bytes() == before
    assert all(known(p.problem) and known(p.hint) for p in err.value.problems)  # shown in Chinese too
    comp = pyogrio.read_dataframe(dest, layer="compounds", read_geometry=False)
    assert len(comp) == 1 and comp.loc[0, list(AGE_GROUPS)].tolist() == [9, 11, 20, 45, 6]
