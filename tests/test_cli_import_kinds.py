"""``cli.py import --as population|streets|communities|subdistricts``: exit codes, messages and last lines."""

import os
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from geodata.paths import REPO_ROOT
from geodata.workspace import load_workspace
from geodata.workspace_new import new_workspace

X0, Y0 = 500_000.0, 3_160_000.0
UTM = "EPSG:32650"


def run(*args):
    return subprocess.run(
        [sys.executable, "cli.py", *map(str, args)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )


def last(p) -> str:
    return p.stdout.strip().splitlines()[-1]


@pytest.fixture
def ws(tmp_path):
    districts = gpd.GeoDataFrame(
        {"adcode": [360702], "name_zh": ["章贡区"], "name_en": ["Zhanggong"]},
        geometry=[box(X0, Y0 - 400, X0 + 290, Y0)],
        crs=UTM,
    ).to_crs(4326)
    return new_workspace(tmp_path / "w.gpkg", districts, name="测试城市", source="test")


@pytest.fixture
def raster(tmp_path):
    import rasterio
    from affine import Affine

    grid = np.array([[1, 2, 3, 100], [4, -1, 0, 200], [5, 6, 7, 300], [8, 9, 10, 400]], dtype="float32")
    path = tmp_path / "pop.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=4,
        width=4,
        count=1,
        dtype="float32",
        crs=UTM,
        transform=Affine(100, 0, X0, 0, -100, Y0),
        nodata=-1,
    ) as dst:
        dst.write(grid, 1)
    return path


def test_population_raster_then_replace(ws, raster):
    p = run("import", raster, "--as", "population", "--workspace", ws)
    assert p.returncode == 0, p.stderr
    assert last(p) == f"imported=10 layer=population_cells total_population=55 workspace={ws}"
    assert (
        "dropped: nodata=1" in p.stdout and "dropped: zero=1" in p.stdout and "dropped: outside=4" in p.stdout
    )
    assert "elderly set to 0" in p.stdout
    p = run("import", raster, "--as", "population", "--workspace", ws, "--elderly-share", "0.2")
    assert p.returncode == 2 and "--replace" in p.stderr and "Traceback" not in p.stderr
    p = run("import", raster, "--as", "population", "--workspace", ws, "--elderly-share", "0.2", "--replace")
    assert p.returncode == 0, p.stderr
    cells = load_workspace(ws)["population_cells"]
    assert len(cells) == 10 and cells["elderly"].sum() == pytest.approx(11.0)
    w = run("workspace", "--workspace", ws)
    assert "straight-line coverage: needs facilities\n" in w.stdout  # population is there now


def test_population_table_unmatched_exit_1_then_drop(ws, tmp_path):
    comms = gpd.GeoDataFrame(
        {"社区名称": ["八一社区"], "社区代码": ["C1"]},
        geometry=[box(X0 + 10, Y0 - 390, X0 + 280, Y0 - 10)],
        crs=UTM,
    )
    comms.to_file(tmp_path / "c.gpkg")
    p = run("import", tmp_path / "c.gpkg", "--as", "communities", "--workspace", ws)
    assert p.returncode == 0, p.stderr
    assert last(p) == f"imported=1 layer=communities workspace={ws}"
    table = tmp_path / "七普.csv"
    pd.DataFrame({"社区": ["八一社区", "无名社区"], "常住人口": [1200, 300]}).to_csv(table, index=False)
    p = run("import", table, "--as", "population", "--workspace", ws)
    assert p.returncode == 1
    assert "unmatched: 无名社区" in p.stdout and "nothing was changed" in p.stderr
    assert load_workspace(ws)["population_cells"].empty
    p = run("import", table, "--as", "population", "--workspace", ws, "--drop-unmatched")
    assert p.returncode == 0, p.stderr
    assert last(p) == f"imported=1 layer=population_cells total_population=1200 workspace={ws}"
    assert list(load_workspace(ws)["population_cells"]["community_id"]) == ["C1"]


def test_footprints_need_household_size(ws, tmp_path):
    b = gpd.GeoDataFrame({"层数": [6]}, geometry=[box(X0 + 100, Y0 - 200, X0 + 120, Y0 - 170)], crs=UTM)
    b.to_file(tmp_path / "b.gpkg")
    p = run("import", tmp_path / "b.gpkg", "--as", "population", "--workspace", ws)
    assert p.returncode == 2 and "--household-size" in p.stderr and "Traceback" not in p.stderr
    p = run(
        "import",
        tmp_path / "b.gpkg",
        "--as",
        "population",
        "--workspace",
        ws,
        "--household-size",
        "2.5",
        "--dwelling-area-m2",
        "100",
        "--dwelling-share",
        "0.8",
    )
    assert p.returncode == 0, p.stderr
    assert last(p) == f"imported=1 layer=population_cells total_population=72 workspace={ws}"


def test_streets_and_bad_inputs(ws, tmp_path):
    s = gpd.GeoDataFrame(
        {"道路等级": ["支路"], "桥梁": [1]},
        geometry=[LineString([(X0 + 10, Y0 - 50), (X0 + 280, Y0 - 50)])],
        crs=UTM,
    )
    s.to_file(tmp_path / "s.gpkg")
    p = run("import", tmp_path / "s.gpkg", "--as", "streets", "--workspace", ws)
    assert p.returncode == 0, p.stderr
    assert last(p) == f"imported=1 layer=streets workspace={ws}"
    w = run("workspace", "--workspace", ws)
    assert "walking-network coverage: needs population (points or cells), facilities\n" in w.stdout
    assert "桥梁 → bridge" in p.stdout
    (tmp_path / "junk.tif").write_bytes(b"junk")
    p = run("import", tmp_path / "junk.tif", "--as", "population", "--workspace", ws)
    assert p.returncode == 1 and "cannot be read as a raster" in p.stderr and "Traceback" not in p.stderr
    p = run("import", tmp_path / "s.gpkg", "--as", "communities", "--workspace", ws)
    assert p.returncode == 1 and "not a polygon" in p.stderr
