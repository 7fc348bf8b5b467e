"""``cli.py workspace new`` / ``workspace --workspace W`` / ``import --workspace W`` / ``coverage --workspace W`` on a
new city: last lines, exit codes and messages, imports that accumulate, never into the demo, coverage per district."""

import os
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geodata.paths import REPO_ROOT


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def last(p) -> str:
    return p.stdout.strip().splitlines()[-1]


@pytest.fixture
def zg(tmp_path):
    out = tmp_path / "zg.gpkg"
    p = run("workspace", "new", "--adcode", "360702", "--out", str(out), "--name", "赣州章贡区")
    assert p.returncode == 0, p.stderr
    assert last(p) == f"workspace={out} districts=1"
    return out


def test_new_prefecture_workspace(tmp_path):
    out = tmp_path / "gz.gpkg"
    p = run("workspace", "new", "--adcode", "360700", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert last(p) == f"workspace={out} districts=18"
    assert "district: 360702 章贡区" in p.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--adcode", "999999"], "未知的行政区划代码 999999"),
        (["--adcode", "360702", "--out", "/proc/zg.gpkg"], "无写入权限"),
        (["--adcode", "360702", "--out", "/no/such/dir/zg.gpkg"], "目录不存在"),
        (["--out", "x.gpkg"], "--adcode 或 --boundary"),
    ],
)
def test_new_workspace_refusals(tmp_path, args, message):
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "w.gpkg")]
    p = run("workspace", "new", *args)
    assert p.returncode == 2 and message in p.stderr and "Traceback" not in p.stderr


def test_existing_output_needs_force(zg):
    before = zg.read_bytes()
    p = run("workspace", "new", "--adcode", "360702", "--out", str(zg))
    assert p.returncode == 2 and "已存在" in p.stderr and "exists" in p.stderr
    assert zg.read_bytes() == before
    p = run("workspace", "new", "--adcode", "360703", "--out", str(zg), "--force")
    assert p.returncode == 0 and last(p) == f"workspace={zg} districts=1"


def test_new_workspace_from_own_boundary_file(tmp_path):
    src = tmp_path / "my_districts.geojson"
    gpd.GeoDataFrame(
        {"名称": ["老城区", "新城区"]},
        geometry=[Point(114.93, 25.85).buffer(0.01), Point(114.96, 25.85).buffer(0.01)],
        crs=4326,
    ).to_file(src)
    out = tmp_path / "own.gpkg"
    p = run("workspace", "new", "--boundary", str(src), "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert last(p) == f"workspace={out} districts=2"
    names = pyogrio.read_dataframe(out, layer="districts", read_geometry=False)["name_zh"].tolist()
    assert names == ["老城区", "新城区"]


def test_completeness_lines(zg):
    p = run("workspace", "--workspace", str(zg))
    assert p.returncode == 0, p.stderr
    assert (
        "步行网络覆盖：需要人口（人口点或格网）、设施、道路 / walking-network coverage: needs population"
        in p.stdout
    )
    assert last(p) == "synthetic=false layers=8"


def _facility_csv(tmp_path, rows):
    path = tmp_path / f"fac{len(list(tmp_path.glob('fac*.csv')))}.csv"
    pd.DataFrame(rows, columns=["名称", "类别", "lng", "lat"]).to_csv(path, index=False)
    return path


def test_import_into_demo_is_refused(tmp_path, demo_gpkg):
    csv = _facility_csv(tmp_path, [["甲幼儿园", "幼儿园", 115.9, 28.68]])
    before = demo_gpkg.read_bytes()
    p = run("import", str(csv), "--as", "facilities", "--workspace", str(demo_gpkg))
    assert p.returncode == 2 and "示例" in p.stderr and "synthetic demo" in p.stderr
    assert demo_gpkg.read_bytes() == before
    # no workspace given and none in the data directory: the default is the demo, refused the same way
    p = run("import", str(csv), "--as", "facilities", env={"RENEWAL_DATA_DIR": str(tmp_path / "d")})
    assert p.returncode == 2 and "cli.py workspace new" in p.stderr
    assert not (tmp_path / "d" / "workspace.gpkg").exists()


def test_two_imports_into_renewal_workspace_both_survive(tmp_path, zg):
    env = {"RENEWAL_WORKSPACE": str(zg)}
    a = _facility_csv(tmp_path, [["章贡幼儿园", "幼儿园", 114.935, 25.850]])
    b = _facility_csv(tmp_path, [["红旗小学", "小学", 114.940, 25.855]])
    for csv in (a, b):
        p = run("import", str(csv), "--as", "facilities", env=env)
        assert p.returncode == 0, p.stderr
        assert last(p) == f"imported=1 layer=facilities workspace={zg} created=1 updated=0 unchanged=0"
    fac = pyogrio.read_dataframe(zg, layer="facilities", read_geometry=False)
    assert fac["name"].tolist() == ["章贡幼儿园", "红旗小学"]
    assert fac["district_adcode"].tolist() == [360702, 360702]  # placed in the district by location


def test_coverage_groups_by_district_on_a_new_city(tmp_path, zg):
    csv = _facility_csv(
        tmp_path, [["章贡幼儿园", "幼儿园", 114.935, 25.850], ["红旗小学", "小学", 114.940, 25.855]]
    )
    assert run("import", str(csv), "--as", "facilities", "--workspace", str(zg)).returncode == 0
    # three residents' points: p1 ≈ 150 m from the kindergarten (≤ 300 m: served), ≈ 600 m from the school
    # (> 500 m); p2 ≈ 2.7 km away; p3 ≈ 670 m from the kindergarten (> 300 m)
    cells = gpd.GeoDataFrame(
        {
            "cell_id": ["p1", "p2", "p3"],
            "population": [1000.0, 2000.0, 500.0],
            "elderly": [100.0, 200.0, 50.0],
            "district_adcode": [360702] * 3,
            "community_id": [""] * 3,
        },
        geometry=[Point(114.936, 25.851), Point(114.95, 25.87), Point(114.93, 25.846)],
        crs=4326,
    )
    pyogrio.write_dataframe(cells, zg, layer="population_cells", append=True)
    out = tmp_path / "cov.xlsx"
    p = run("coverage", "--workspace", str(zg), "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert last(p) == "districts=1 total_population=3500"
    by_type = pd.read_excel(out, sheet_name="by_type").set_index("type")
    assert by_type.loc["kindergarten", "served_pop"] == 1000
    assert by_type.loc["primary_school", "served_pop"] == 0
    gaps = pd.read_excel(out, sheet_name="gap_communities")
    assert gaps["district_adcode"].tolist() == [360702] and gaps["population"].tolist() == [3500]
