"""The seeded demo-city generator (geodata/demo/generate.py): schema, magnitudes, geometry, determinism.

The city is generated once per module into a temporary folder (≈10 s); the determinism test builds a
second copy through the CLI and compares every layer and table. The coverage checks go through the same
path the app uses (layers.pipelines.coverage_model, straight-line distances); run this module directly to
print the per-type and per-circle served shares of the bundled demo:

    .venv/bin/python -m tests.geodata.test_demo_generate [path.gpkg]
"""

from __future__ import annotations

import ast

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from geodata.catalogue import load_catalogue
from geodata.demo import generate as gen
from geodata.indicators import load_indicators
from geodata.schema import DANGER_GRADES, DECISIONS, LAYERS, PARCEL_TYPES, PROJECT_STATUSES
from geodata.stores import CATEGORIES, COLUMNS, validate_fields
from geodata.workspace import load_workspace
from layers.coverage import circle_summary, type_summary
from layers.crs import ANALYSIS_CRS
from layers.healthcheck import completed_between, evaluate, problems
from layers.pipelines import coverage_model

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
    "supermarket",
    "delivery",
    "activity_ground",
}
DISTRICT_ADCODES = {360102, 360103, 360104, 360111, 360112, 360113}
DTYPES = {"int": "int64", "float": "float64", "bool": "bool"}
#: the old core (东湖区, 西湖区) and the fringe district (新建区) used for the coverage ranges
CORE = {360102, 360103}
FRINGE = {360112}
CIRCLE_ITEMS_5_10 = (
    "kindergarten",
    "nursery",
    "health_station",
    "elderly_daycare",
    "pocket_park",
    "convenience",
    "community_service",
    "primary_school",
    "park",
    "market",
)


def served_shares(path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-type and per-circle straight-line served shares (0…1) of a demo file: city, core and fringe.

    Returns
    -------
    (DataFrame, DataFrame)
        Index type (resp. circle), columns ``city``, ``core`` (东湖+西湖), ``fringe`` (新建).
    """
    ws = load_workspace(path)
    model = coverage_model(ws.layers, load_catalogue())
    adcode = model.groups["district_adcode"]
    model.groups["zone"] = np.where(
        adcode.isin(CORE), "core", np.where(adcode.isin(FRINGE), "fringe", "other")
    )
    out = []
    for summary, key in ((type_summary, "type"), (circle_summary, "circle")):
        by_zone = summary(model, by="zone").pivot(index=key, columns="zone", values="served_share")
        by_zone["city"] = summary(model).set_index(key)["served_share"]
        out.append(by_zone[["city", "core", "fringe"]])
    return out[0], out[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """(path, counts, layers) of one generation with the default seed."""
    path = tmp_path_factory.mktemp("demo") / "city.gpkg"
    counts = gen.generate(path)
    layers = {name: gpd.read_file(path, layer=name) for name in [*LAYERS, "water"]}
    return path, counts, layers


@pytest.fixture(scope="module")
def shares(demo):
    """(per-type, per-circle) served shares of the generated demo."""
    return served_shares(demo[0])


@pytest.fixture(scope="module")
def library(demo):
    """(projects, links) tables of the generated demo."""
    path = demo[0]
    read = lambda name: pyogrio.read_dataframe(path, layer=name, read_geometry=False)  # noqa: E731
    return read("demo_projects"), read("demo_problem_links")


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
    assert 25 <= len(layers["subdistricts"]) <= 45
    assert 200 <= len(layers["communities"]) <= 320
    assert 2800 <= len(layers["compounds"]) <= 4500
    assert 450 <= len(layers["parcels"]) <= 550
    # ≈5,400 life-circle and transport facilities + ≈2,800 完整社区 items (超市, 寄递, 活动场地)
    assert 7000 <= len(layers["facilities"]) <= 10_000
    assert 4000 <= len(layers["streets"]) <= 12_000
    assert counts["demo_projects"] == 60 and counts["demo_problem_links"] == 20


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
    assert (comp["build_year"] < 2000).mean() > 0.25  # many 老旧小区 (national definition: built before 2000)


def test_compounds_vary_in_size_and_follow_the_grid_of_their_bank(demo):
    comp = demo[2]["compounds"].to_crs(ANALYSIS_CRS)
    area = comp.area
    assert area.quantile(0.9) / area.quantile(0.1) > 4  # not a grid of identical squares
    assert area.median() < area[comp["district_adcode"] == 360113].median()  # new-town estates are larger

    def angle(g) -> float:
        xy = np.asarray(g.minimum_rotated_rectangle.exterior.coords)
        a = np.degrees(np.arctan2(*(xy[1] - xy[0])[::-1])) % 90
        return a if a < 45 else a - 90  # orientation of the compound's outline, −45…45°

    east = comp[comp["district_adcode"].isin([360102, 360103, 360104, 360111])].geometry.map(angle)
    west = comp[comp["district_adcode"].isin([360112, 360113])].geometry.map(angle)
    assert abs(east.median() - 3) < 6  # east bank: streets roughly north–south (3°)
    assert abs(west.median() + 25) < 6  # 红谷滩/新建: aligned with the river (−25°)


def test_density_falls_from_the_old_core_to_the_fringe(demo):
    layers = demo[2]
    comms = layers["communities"].to_crs(ANALYSIS_CRS)
    urban_km2 = (comms.area / 1e6).groupby(comms["district_adcode"]).sum()
    cells = layers["population_cells"]
    residents = cells[cells["community_id"] != ""].groupby("district_adcode")["population"].sum()
    per_km2 = residents / urban_km2  # residents per km² of the urban extent (communities)
    assert per_km2[[360102, 360103]].min() > 1.4 * per_km2[360112]
    assert per_km2[[360102, 360103]].min() > per_km2[[360104, 360111, 360113]].max()


def test_the_gan_river_is_a_no_build_band_crossed_by_named_bridges(demo):
    layers = demo[2]
    water = layers["water"].to_crs(ANALYSIS_CRS)
    assert {"赣江", "青山湖", "象湖"} <= set(water["name"])
    river = water.loc[water["name"] == "赣江"].geometry.iloc[0]
    assert river.area > 20e6  # ~0.85 km wide over the map window
    # the river runs between 红谷滩 and the old core: the bridge 八一大桥 crosses it
    for name in ("compounds", "parcels"):
        gdf = layers[name].to_crs(ANALYSIS_CRS)
        assert not gdf.intersects(river.buffer(-1)).any(), name
    for name in ("population_cells", "facilities"):
        assert not layers[name].to_crs(ANALYSIS_CRS).within(river).any(), name
    streets = layers["streets"].to_crs(ANALYSIS_CRS)
    bridges = streets[streets["bridge"]]
    assert set(bridges["name"]) == {"生米大桥", "朝阳大桥", "南昌大桥", "八一大桥", "英雄大桥"}
    assert bridges.crosses(river).all() or bridges.intersects(river).all()
    assert not streets.loc[~streets["bridge"]].intersects(river.buffer(-1)).any()


def test_street_network_is_connected_with_named_main_roads(demo):
    streets = demo[2]["streets"]
    assert set(streets["kind"]) == {"主干路", "次干路", "支路", "步行道"}
    assert streets["bridge"].dtype == bool and streets["name"].map(type).eq(str).all()
    arterial_names = set(streets.loc[streets["kind"] == "主干路", "name"])
    assert {"八一大道", "阳明路", "北京西路", "洪都大道", "红谷中大道"} <= arterial_names
    assert (streets.loc[streets["kind"] == "主干路", "name"] != "").all()
    assert (streets.loc[streets["kind"] == "支路", "name"] == "").all()
    ends = np.array([[g.coords[0], g.coords[-1]] for g in streets.geometry]).reshape(-1, 2)
    nodes, inverse = np.unique(ends, axis=0, return_inverse=True)  # exact equality, no rounding
    a, b = inverse.reshape(-1)[0::2], inverse.reshape(-1)[1::2]
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(graph, directed=False)
    assert np.bincount(labels).max() / len(nodes) > 0.95
    # not fully noded on purpose: some footpaths cross a street without a shared vertex (kept, not dropped)
    metric = streets.to_crs(ANALYSIS_CRS).geometry.values
    i, j = gpd.GeoSeries(metric).sindex.query(metric, predicate="crosses")
    kinds = streets["kind"].to_numpy()
    assert 20 <= len(i) // 2 <= 400
    involves_path_or_bridge = (
        (kinds[i] == "步行道") | (kinds[j] == "步行道") | streets["bridge"].to_numpy()[i]
    )
    assert involves_path_or_bridge.mean() > 0.95


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


def test_coverage_shares_are_plausible(shares):
    per_type, per_circle = shares
    core = per_type.loc[list(CIRCLE_ITEMS_5_10), "core"]
    assert core.between(0.40, 0.85).all(), core.to_dict()  # 5/10-minute items in the old core
    fringe = per_type.loc[list(CIRCLE_ITEMS_5_10), "fringe"]
    assert (fringe < core).all()  # lower at the fringe
    assert per_type.loc["middle_school", "core"] > per_type.loc["kindergarten", "core"]
    for zone in ("city", "core"):
        c = per_circle[zone]
        assert c["15min"] > c["10min"] > c["5min"] > 0.05, c.to_dict()
    assert 0.08 < per_circle.loc["5min", "city"] < 0.3
    assert 0.4 < per_circle.loc["15min", "city"] < 0.8


def test_project_library_is_seeded_with_store_fields(demo, library):
    projects, _ = library
    par = demo[2]["parcels"].set_index("parcel_id")
    assert len(projects) == 60
    assert set(projects.columns) <= set(COLUMNS) and {"name", "category", "status", "parcel_id"} <= set(
        projects
    )
    assert projects["project_id"].is_unique and projects["parcel_id"].is_unique
    assert projects["status"].nunique() >= 4 and set(projects["status"]) <= set(PROJECT_STATUSES)
    assert set(projects["category"]) <= set(CATEGORIES) and projects["category"].nunique() >= 6
    assert projects["start_year"].between(2021, 2026).all()
    assert (projects["end_year"] >= projects["start_year"]).all()
    assert (projects["budget_wan"] > 0).all()
    village = projects.loc[projects["category"] == "城中村改造", "budget_wan"]
    old = projects.loc[projects["category"] == "老旧小区改造", "budget_wan"]
    assert village.median() > 10 * old.median()  # an urban village costs far more than a compound retrofit
    for row in projects.to_dict("records"):
        fields = {k: v for k, v in row.items() if k != "project_id"}
        assert validate_fields(fields) == [], row["project_id"]
        parcel = par.loc[row["parcel_id"]]
        assert parcel["status"] == row["status"] and parcel["decision"] == row["decision"]
        outline = shapely.from_wkt(row["geometry_wkt"])
        assert outline.symmetric_difference(parcel.geometry).area < 0.01 * parcel.geometry.area
        assert int(parcel["district_adcode"]) == row["district_adcode"]
    done = projects[projects["status"] == "完工"]
    assert (par.loc[done["parcel_id"], "completed_year"].to_numpy() == done["end_year"].to_numpy()).all()


def test_some_projects_completed_between_the_two_surveys(demo, library):
    projects, links = library
    between = completed_between(demo[2]["parcels"], projects, links, 2025, 2026)
    assert (between["source"] == "project").sum() >= 3
    assert (between["year"] == 2026).all()


def test_links_point_at_problems_the_2026_survey_reports(demo, library):
    projects, links = library
    assert len(links) == 20 and not links.duplicated().any()
    assert links["project_id"].isin(projects["project_id"]).all()
    linked = projects.set_index("project_id").loc[links["project_id"]]
    assert (linked["status"] != "完工").all()
    ws = load_workspace(demo[0])
    catalogue = load_catalogue()
    ev = evaluate(ws.layers, catalogue, load_indicators(catalogue=catalogue), year=2026, level="community")
    reported = set(problems(ev)["problem_id"])
    missing = sorted(set(links["problem_id"]) - reported)
    assert not missing, missing
    assert links["problem_id"].str.startswith("2026|community|C").all()


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
    assert values["survey_years"] == "2025,2026"


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
    for name in [*LAYERS, "water", "metadata", "demo_projects", "demo_problem_links"]:
        pd.testing.assert_frame_equal(_layer_digest_frame(path, name), _layer_digest_frame(again, name))


def test_generator_imports_no_analysis_package():
    tree = ast.parse(open(gen.__file__, encoding="utf-8").read())
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    roots = {name.split(".")[0] for name in imported}
    assert not roots & {"layers", "cartography", "reports", "dashboard"}, roots


def test_another_seed_gives_another_city():
    def partition_ids(seed: int) -> pd.DataFrame:
        ctx = gen._Ctx(seed)
        subs, comms = gen.partitions(ctx, gen.urban_extent(ctx))
        return pd.DataFrame({"id": comms["community_id"], "wkb": comms.geometry.to_wkb()})

    assert not partition_ids(1).equals(partition_ids(2))


if __name__ == "__main__":  # print the served shares of a demo file (default: the bundled one)
    import sys

    from geodata.paths import DEMO_GPKG

    per_type, per_circle = served_shares(sys.argv[1] if len(sys.argv) > 1 else DEMO_GPKG)
    catalogue = load_catalogue()
    per_type.insert(0, "circle", [catalogue.types[t].circle or "-" for t in per_type.index])
    print(per_type.sort_values(["circle", "city"]).round(3).to_string())
    print(per_circle.round(3).to_string())
