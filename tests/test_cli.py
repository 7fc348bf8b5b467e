"""CLI contracts: exact last lines, exit codes, no tracebacks on bad input."""

import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geodata.paths import REPO_ROOT


def run(*args):
    proc = subprocess.run(
        [sys.executable, "cli.py", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture
def files(tmp_path):
    fac = gpd.GeoDataFrame(
        {"type": ["kindergarten", "kindergarten", "park"]},
        geometry=[Point(0, 0), Point(1000, 0), Point(0, 0)],
        crs=32650,
    )
    res = gpd.GeoDataFrame(
        {"name": ["a", "b", "c"], "population": [100, 200, 300]},
        geometry=[Point(300, 400), Point(0, 300), box(4900, -100, 5100, 100)],
        crs=32650,
    )
    fac.to_crs(4490).to_file(tmp_path / "fac.gpkg")  # CGCS2000 degrees: the command picks metres itself
    res.to_file(tmp_path / "res.gpkg")
    res.drop(columns="population").to_file(tmp_path / "nopop.gpkg")
    with pytest.warns(UserWarning, match="crs"):
        res.iloc[:2].set_crs(None, allow_override=True).to_file(tmp_path / "nocrs.shp")
    gpd.GeoDataFrame(
        {"street_id": ["s"], "kind": ["支路"]},
        geometry=[LineString([(0, 0), (0, 300), (300, 300), (300, 400)])],
        crs=32650,
    ).to_file(tmp_path / "roads.gpkg")
    return tmp_path


def test_coverage_contract(files):
    out = files / "out.csv"
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / "res.gpkg"),
        "--radius-m",
        "300",
        "--type",
        "kindergarten",
        "--out",
        str(out),
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "served_population=200 total_population=600"
    table = pd.read_csv(out)
    assert list(table.columns) == ["name", "population", "distance_m", "served"]
    assert table["name"].tolist() == ["a", "b", "c"]  # input order
    assert table["distance_m"].tolist() == pytest.approx(
        [500.0, 300.0, 4000.0], abs=0.2
    )  # polygon → its representative point
    assert table["served"].tolist() == [False, True, False]  # exactly at the radius counts as served


def test_coverage_network_mode(files):
    out = files / "net.csv"
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / "res.gpkg"),
        "--radius-m",
        "500",
        "--type",
        "kindergarten",
        "--mode",
        "network",
        "--network",
        str(files / "roads.gpkg"),
        "--out",
        str(out),
    )
    assert p.returncode == 0, p.stderr
    # resident a walks 300 + 300 + 100 = 700 m along the street; b is 300 m up the first leg
    assert pd.read_csv(out)["distance_m"].tolist()[:2] == pytest.approx([700.0, 300.0], abs=0.2)
    assert p.stdout.strip().splitlines()[-1] == "served_population=200 total_population=600"


@pytest.mark.parametrize(
    "bad, message",
    [
        ("nopop.gpkg", "no 'population' column"),
        ("nocrs.shp", "has no CRS"),
        ("missing.gpkg", "file not found"),
    ],
)
def test_coverage_bad_input(files, bad, message):
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / bad),
        "--radius-m",
        "300",
        "--out",
        str(files / "x.csv"),
    )
    assert p.returncode != 0 and message in p.stderr
    assert not (files / "x.csv").exists()


def test_coverage_workspace_xlsx(tmp_path, demo_gpkg):
    out = tmp_path / "gaps.xlsx"
    p = run("coverage", "--workspace", "--out", str(out))
    assert p.returncode == 0, p.stderr
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"by_type", "gap_communities", "notes"} <= set(sheets)
    assert len(sheets["by_type"]) == 22 and set(sheets["by_type"]["mode"]) == {"euclidean"}
    # the demo has supermarkets, delivery points and activity grounds: every 完整社区 item is evaluated
    gaps = sheets["gap_communities"]
    assert gaps["unevaluated"].isna().all() and (gaps["unevaluated_count"] == 0).all()
    assert gaps["share_supermarket"].between(0, 1).all()


def test_layout_map_html(tmp_path):
    out = tmp_path / "layout.html"
    p = run("layout-map", "--out", str(out))
    assert p.returncode == 0, p.stderr
    html = out.read_text(encoding="utf-8")
    assert "南昌都市圈" in html and '<script src="http' not in html and "/app/static" not in html


def test_workspace_command(demo_gpkg):
    p = run("workspace")
    assert p.returncode == 0 and p.stdout.strip().splitlines()[-1] == "synthetic=true layers=8"


def test_screen_contract(tmp_path, demo_gpkg):
    out = tmp_path / "ranking.csv"
    p = run("screen", "--out", str(out))
    assert p.returncode == 0, p.stderr
    ranking = pd.read_csv(out)
    assert len(ranking) == 500 and list(ranking.columns[:3]) == ["parcel_id", "score", "rank"]
    assert all(c.startswith("contrib_") for c in ranking.columns[3:])
    assert p.stdout.strip().splitlines()[-1] == f"parcels=500 top={ranking.iloc[0]['parcel_id']}"
    assert (ranking.filter(like="contrib_").sum(axis=1) - ranking["score"]).abs().max() < 1e-3


def test_screen_weights_file_and_errors(tmp_path, demo_gpkg):
    (tmp_path / "w.toml").write_text("safety = 1\n", encoding="utf-8")
    p = run("screen", "--weights", str(tmp_path / "w.toml"), "--out", str(tmp_path / "r.csv"))
    assert p.returncode == 0 and list(pd.read_csv(tmp_path / "r.csv").columns) == [
        "parcel_id",
        "score",
        "rank",
        "contrib_safety",
    ]
    (tmp_path / "bad.json").write_text('{"nope": 2}', encoding="utf-8")
    p = run("screen", "--weights", str(tmp_path / "bad.json"), "--out", str(tmp_path / "r2.csv"))
    assert p.returncode != 0 and "unknown criteria" in p.stderr


def test_site_contract(tmp_path, demo_gpkg):
    out = tmp_path / "sites.csv"
    p = run("site", "--type", "elderly_daycare", "--k", "10", "--weight", "elderly", "--out", str(out))
    assert p.returncode == 0, p.stderr
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("new_served=") and int(last.split("=")[1]) > 0
    sites = pd.read_csv(out)
    assert len(sites) == 10 and sites["site"].str.startswith("P").all()
    # per-site values are written rounded to 0.1 residents: their sum may differ from the total by < 1
    assert abs(sites["newly_served"].sum() - int(last.split("=")[1])) <= 1
    bad = run("site", "--type", "nope", "--k", "3", "--out", str(tmp_path / "x.csv"))
    assert bad.returncode != 0 and "unknown facility type" in bad.stderr


def test_site_exact_is_not_printed_as_greedy(tmp_path, demo_gpkg):
    p = run(
        "site", "--type", "kindergarten", "--k", "3", "--method", "exact", "--out", str(tmp_path / "e.csv")
    )
    assert p.returncode == 0, p.stderr
    line = next(x for x in p.stdout.splitlines() if x.startswith("method="))
    fields = dict(kv.split("=", 1) for kv in line.split())
    assert fields["method"] == "exact" and fields["greedy"] == "-" and fields["gap_pct"] == "-"
    assert int(fields["exact"]) == int(p.stdout.strip().splitlines()[-1].split("=")[1])


def test_ledger_contract(tmp_path, demo_gpkg):
    out = tmp_path / "ledger.xlsx"
    env_dir = tmp_path / "data"
    proc = subprocess.run(
        [sys.executable, "cli.py", "ledger", "--compare", "2025", "--out", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "RENEWAL_DATA_DIR": str(env_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    last = proc.stdout.strip().splitlines()[-1]
    nums = dict(kv.split("=") for kv in last.split())
    assert set(nums) == {"problems", "linked", "unlinked"}
    assert int(nums["problems"]) == int(nums["linked"]) + int(nums["unlinked"]) > 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert {"ledger_community", "compare_district", "indicators"} <= set(sheets)


def test_check_exit_codes(tmp_path):
    good = tmp_path / "good.geojson"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(115.9, 28.68)], crs=4326).to_file(good)
    p = run("check", str(good))
    assert p.returncode == 0 and p.stdout.strip().splitlines()[-1] == "usable as is: yes"
    swapped = tmp_path / "swapped.csv"
    pd.DataFrame({"lng": [28.68], "lat": [115.9]}).to_csv(swapped, index=False)
    p = run("check", str(swapped))
    assert p.returncode == 1 and "swapped" in p.stdout
    (tmp_path / "trunc.gpkg").write_bytes(b"SQLite format 3\0" + b"\0" * 100)
    p = run("check", str(tmp_path / "trunc.gpkg"))
    assert p.returncode == 2 and "cannot read" in p.stderr
    gk = tmp_path / "gk.csv"
    pt = gpd.GeoDataFrame(geometry=[Point(115.9, 28.68)], crs=4326).to_crs("EPSG:4527").geometry.iloc[0]
    pd.DataFrame({"x": [pt.x], "y": [pt.y]}).to_csv(gk, index=False)
    p = run("check", str(gk), "--crs", "EPSG:4527")
    assert p.returncode == 0 and "EPSG:4527 (user)" in p.stdout


def test_import_contract(tmp_path, demo_gpkg):
    import os

    csv = tmp_path / "amap_facilities.csv"
    pd.DataFrame(
        {
            "名称": ["甲幼儿园", "乙站"],
            "类别": ["幼儿园", "社区卫生服务站"],
            "lng": [115.9, 115.91],
            "lat": [28.68, 28.69],
        }
    ).to_csv(csv, index=False)
    env = {**os.environ, "RENEWAL_DATA_DIR": str(tmp_path / "data")}
    (tmp_path / "data").mkdir()
    ws_new = run("workspace", "new", "--adcode", "360100", "--out", str(tmp_path / "data" / "workspace.gpkg"))
    assert ws_new.returncode == 0, ws_new.stderr
    p = subprocess.run(
        [sys.executable, "cli.py", "import", str(csv), "--as", "facilities", "--datum", "gcj02"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1].startswith("imported=2 layer=facilities")
    ws = gpd.read_file(tmp_path / "data" / "workspace.gpkg", layer="facilities")
    assert set(ws.tail(2)["type"]) == {"kindergarten", "health_station"}
    assert ws.tail(2).geometry.x.iloc[0] == pytest.approx(115.9 - 0.0049, abs=0.0005)  # GCJ-02 → WGS84
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"名称": ["x"], "类别": ["?"], "lng": [115.9], "lat": [28.68]}).to_csv(bad, index=False)
    before = (tmp_path / "data" / "workspace.gpkg").read_bytes()
    p = subprocess.run(
        [sys.executable, "cli.py", "import", str(bad), "--as", "neighbourhoods"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 1 and "nothing was changed" in p.stderr and "Traceback" not in p.stderr
    assert (tmp_path / "data" / "workspace.gpkg").read_bytes() == before


def test_report_and_png_contracts(tmp_path, demo_gpkg):
    import os
    import shutil

    if not shutil.which("chromium"):
        pytest.skip("chromium not installed") if not os.environ.get("CI") else pytest.fail("chromium missing")
    pdf = tmp_path / "briefing.pdf"
    p = subprocess.run(
        [sys.executable, "cli.py", "report", "--out", str(pdf)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "RENEWAL_DATA_DIR": str(tmp_path / "d")},
    )
    assert p.returncode == 0, p.stderr
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("pages=") and int(last.split("=")[1]) >= 4
    assert pdf.read_bytes()[:5] == b"%PDF-"
    png = tmp_path / "layout.png"
    p = run("layout-map", "--format", "png", "--out", str(png))
    assert p.returncode == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000


def run_env(*args, **env):
    import os

    proc = subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_rehearse_demo_renders_and_checks_every_export(tmp_path, demo_gpkg):
    import os
    import shutil

    if not shutil.which("chromium"):
        pytest.skip("chromium not installed") if not os.environ.get("CI") else pytest.fail("chromium missing")
    out = tmp_path / "meeting"
    p = run_env("rehearse", "--out", str(out), RENEWAL_DATA_DIR=str(tmp_path / "d"), RENEWAL_LANG="zh")
    assert p.returncode == 0, p.stdout + p.stderr
    lines = p.stdout.strip().splitlines()
    assert lines[-1] == "views=4 exports=5 failures=0"  # the four default views + the briefing
    assert [ln.split()[0] for ln in lines[:-1]] == ["ok"] * 5
    assert "幼儿园 300 米服务覆盖 · 直线距离" in p.stdout  # the descriptive slide title, in Chinese
    pngs = sorted(out.glob("view-*.png"))
    assert [f.name for f in pngs] == [
        "view-01-layout.png",
        "view-02-coverage.png",
        "view-03-renewal.png",
        "view-04-health.png",
    ]
    from reports.checks import edge_density, png_size

    assert all(png_size(f) == (1920, 1080) and edge_density(f) > 0.01 for f in pngs)
    assert (out / "briefing.pdf").read_bytes()[:5] == b"%PDF-"


def test_rehearse_counts_a_failing_chromium(tmp_path, demo_gpkg):
    p = run_env(
        "rehearse",
        "--out",
        str(tmp_path / "m"),
        RENEWAL_DATA_DIR=str(tmp_path / "d"),
        RENEWAL_CHROMIUM=str(tmp_path / "no-such-chromium"),
    )
    assert p.returncode == 1
    lines = p.stdout.strip().splitlines()
    assert lines[-1] == "views=4 exports=5 failures=5"
    assert all(ln.startswith("FAIL ") and "chromium not found" in ln for ln in lines[:-1])


def test_rehearse_bad_input_exits_2(tmp_path, demo_gpkg):
    p = run_env("rehearse", "--workspace", str(tmp_path / "missing.gpkg"), "--out", str(tmp_path / "m"))
    assert p.returncode == 2 and "workspace file not found" in p.stderr and p.stdout == ""
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    p = run_env("rehearse", "--out", str(tmp_path / "file.txt"))
    assert p.returncode == 2 and "not a folder" in p.stderr
