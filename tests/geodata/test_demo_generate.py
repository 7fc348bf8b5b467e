"""The seeded demo-city generator (geodata/demo/generate.py): schema, magnitudes, geometry, determinism.

The city is generated once per module into a temporary folder (≈10–15 s); the determinism test builds a
second copy through the CLI and compares every layer.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geodata.demo import generate as gen
from geodata.schema import DANGER_GRADES, DECISIONS, LAYERS, PARCEL_TYPES, PROJECT_STATUSES
from layers.crs import ANALYSIS_CRS

#: facility type keys of DOMAIN.md §2 (the service-circle catalogue)
CATALOGUE_TYPES = {
    "middle_school",
    "primary_school",
    "kindergarten",
    "nursery",
    "health_center",
    "health_station",
    "elderly_home",
    "elderly_daycare",
    "culture_center",
    "sports_field",
    "pocket_park",
    "park",
    "market",
    "convenience",
    "community_service",
    "bus_stop",
    "metro_station",
    "parking",
    "ev_charging",
}
DISTRICT_ADCODES = {360102, 360103, 360104, 360111, 360112, 360113}
DTYPES = {"int": "int64", "float": "float64", "bool": "bool"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(path, counts, layers) of one generation with the default seed."""
    path = tmp_path_factory.mktemp("demo") / "city.gpkg"
    counts = gen.generate(path)
    layers = {name: gpd.read_file(path, layer=name) for name in LAYERS}
    return path, counts, layers


def _layer_digest_frame(path, name: str) -> pd.DataFrame:
    """A layer as a plain DataFrame, geometry as WKB bytes (so equality is exact)."""
    df = pyogrio.read_dataframe(path, layer=name)
    if isinstance(df, gpd.GeoDataFrame):
        wkb = df.geometry.to_wkb()
        df = pd.DataFrame(df.drop(columns=df.geometry.name)).assign(wkb=wkb)
    return df


def test_every_schema_layer_with_columns_kinds_and_geometry(demo):
    path, _, layers = demo
    assert set(LAYERS) | {"metadata"} <= {name for name, _ in pyogrio.list_layers(path)}
    for name, schema in LAYERS.items():
        gdf = layers[name]
        assert gdf.crs.to_epsg() == 4326, name
        assert set(gdf.geom_type) <= set(schema.geometry), name
        for column, kind in schema.columns.items():
            assert column in gdf.columns, f"{name}.{column} missing"
            values = gdf[column]
            if kind == "str":
                assert values.map(type).eq(str).all(), f"{name}.{column} must be str without nulls"
            else:
                assert str(values.dtype) == DTYPES[kind], f"{name}.{column} is {values.dtype}, not {kind}"
        if schema.key:
            assert gdf[schema.key].is_unique, name


def test_counts_returned_match_the_file_and_the_brief(demo):
    _, counts, layers = demo
    for name, gdf in layers.items():
        assert counts[name] == len(gdf), name
    assert set(layers["districts"]["adcode"]) == DISTRICT_ADCODES
    assert 40 <= len(layers["subdistricts"]) <= 60
    assert 300 <= len(layers["communities"]) <= 450
    assert 1800 <= len(layers["compounds"]) <= 2200
    assert 450 <= len(layers["parcels"]) <= 550
    assert 3000 <= len(layers["facilities"]) <= 9000
    assert 10_000 <= len(layers["streets"]) <= 60_000


def test_total_population_is_central_nanchang_scale(demo):
    _, counts, layers = demo
    total = layers["population_cells"]["population"].sum()
    assert 2.0e6 < total < 3.5e6
    assert abs(counts["population"] - total) < 1
    cells = layers["population_cells"]
    assert (cells["elderly"] <= cells["population"] + 1e-6).all()
    assert (cells["population"] > 0).all()


def test_cells_are_100m_centres(demo):
    cells = demo[2]["population_cells"].to_crs(ANALYSIS_CRS)
    xy = np.column_stack([cells.geometry.x, cells.geometry.y])
    assert np.allclose(np.mod(xy, 100.0), 50.0, atol=0.01)


def test_every_catalogue_type_present_and_named_as_demo(demo):
    fac = demo[2]["facilities"]
    assert set(fac["type"]) == CATALOGUE_TYPES
    assert fac["name"].str.startswith("示例").all()
    assert 60 <= (fac["type"] == "metro_station").sum() <= 100
    assert (fac.loc[fac["type"] == "kindergarten", "capacity"] > 0).all()
    assert (fac.loc[fac["type"] == "bus_stop", "capacity"] == 0).all()


def test_synthetic_names_say_so(demo):
    layers = demo[2]
    for name in ("subdistricts", "communities", "compounds", "parcels"):
        assert layers[name]["name"].str.contains("示例").all(), name


def test_geometries_valid_and_inside_the_districts(demo):
    layers = demo[2]
    city = layers["districts"].to_crs(ANALYSIS_CRS).union_all().buffer(1.0)
    for name in LAYERS:
        gdf = layers[name].to_crs(ANALYSIS_CRS)
        assert gdf.geometry.is_valid.all(), name
        assert gdf.geometry.within(city).all(), name


def test_hierarchy_ids_refer_to_existing_features(demo):
    layers = demo[2]
    subs = layers["subdistricts"].set_index("subdistrict_id")["district_adcode"]
    comms = layers["communities"]
    assert comms["subdistrict_id"].isin(subs.index).all()
    assert (comms["subdistrict_id"].map(subs) == comms["district_adcode"]).all()
    ids = set(comms["community_id"])
    assert layers["compounds"]["community_id"].isin(ids).all()
    # village cells outside the urban extent carry "" (no urban community)
    assert layers["population_cells"]["community_id"].isin(ids | {""}).all()


def test_compound_attributes_are_plausible(demo):
    comp = demo[2]["compounds"]
    persons = comp["population"] / comp["households"]
    assert persons.between(2.55, 3.05).all()
    assert comp["elderly_share"].between(0.08, 0.35).all()
    old = comp["build_year"] < 2000
    assert comp.loc[old, "elderly_share"].mean() > comp.loc[~old, "elderly_share"].mean() + 0.05
    parking_per_hh = comp["parking_spaces"] / comp["households"]
    assert parking_per_hh[old].mean() < 0.5 * parking_per_hh[~old].mean()
    median_year = comp.groupby("district_adcode")["build_year"].median()
    assert median_year[360113] >= 2005  # 红谷滩: new district
    assert median_year[[360102, 360103]].max() < 2000  # 东湖、西湖: old core


def test_street_network_is_noded_and_connected(demo):
    streets = demo[2]["streets"]
    assert set(streets["kind"]) <= {"主干路", "次干路", "支路", "步行道"}
    ends = np.array([[g.coords[0], g.coords[-1]] for g in streets.geometry]).reshape(-1, 2)
    nodes, inverse = np.unique(ends, axis=0, return_inverse=True)  # exact equality, no rounding
    a, b = inverse.reshape(-1)[0::2], inverse.reshape(-1)[1::2]
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    assert np.bincount(labels).max() / len(nodes) > 0.95
    metric = streets.to_crs(ANALYSIS_CRS).geometry.values
    i, j = gpd.GeoSeries(metric).sindex.query(metric, predicate="crosses")
    assert len(i) == 0, "segments may meet only at shared endpoints"


def test_parcel_attributes_are_consistent(demo):
    par = demo[2]["parcels"]
    assert set(par["parcel_type"]) == set(PARCEL_TYPES)
    assert par["parcel_type"].value_counts().idxmax() == "老旧小区"
    assert par["status"].isin(PROJECT_STATUSES).all()
    assert par["decision"].isin(DECISIONS).all()
    assert par["danger_grade"].isin(DANGER_GRADES).all()
    assert (par.loc[par["heritage"], "decision"] == "留").all()
    assert 1 <= par["heritage"].sum() <= 40
    grade_d = par[(par["danger_grade"] == "D") & ~par["heritage"]]
    assert len(grade_d) and (grade_d["decision"] == "拆").mean() > 0.8
    assert par["status"].isin(["储备", "谋划"]).mean() > 0.5
    metric_area = par.to_crs(ANALYSIS_CRS).area
    assert np.allclose(par["area_m2"], metric_area, rtol=0.01)
    assert (par["budget_wan"] > 0).mean() > 0.95


def test_metadata_flags_synthetic(demo):
    path = demo[0]
    meta = gpd.read_file(path, layer="metadata")
    values = dict(zip(meta["key"], meta["value"]))
    assert values["synthetic"] == "true"
    assert values["seed"] == str(gen.DEFAULT_SEED)
    assert values["generator"] == "geodata/demo/generate.py"
    assert values["cell_size_m"] == "100"
    assert values["description_zh"].startswith("示例数据（合成）：南昌市中心城区，由种子脚本生成，非真实统计")
    assert values["description_en"]


def test_written_atomically_without_leftovers(demo):
    path = demo[0]
    # no temp file or folder left (the save lock <name>.lock may stay: deleting it would race other writers)
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.endswith(".lock")) == [path.name]


def test_same_seed_same_data_via_cli(demo, tmp_path, capsys):
    path = demo[0]
    again = tmp_path / "again.gpkg"
    assert gen.main(["--out", str(again), "--seed", str(gen.DEFAULT_SEED)]) == 0
    out = capsys.readouterr().out
    assert "compounds=" in out and " s" in out  # counts and timing are printed
    for name in [*LAYERS, "metadata"]:
        pd.testing.assert_frame_equal(_layer_digest_frame(path, name), _layer_digest_frame(again, name))


def test_another_seed_gives_another_city():
    def partition_ids(seed: int) -> pd.DataFrame:
        ctx = gen._Ctx(seed)
        subs, comms = gen.partitions(ctx, gen.urban_extent(ctx))
        return pd.DataFrame({"id": comms["community_id"], "wkb": comms.geometry.to_wkb()})

    assert not partition_ids(1).equals(partition_ids(2))
