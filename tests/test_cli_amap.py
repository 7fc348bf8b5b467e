"""``cli.py import amap.csv --as facilities --workspace W``: no --datum needed, datum and type counts and unmapped
codes in the output, created/updated/unchanged on the last line, a second run updates instead of duplicating."""

import os
import subprocess
import sys

import pandas as pd
import pyogrio
import pytest

from geodata.chinacoords import gcj02_to_wgs84
from geodata.paths import REPO_ROOT
from tests.amap_sample import COLS, poi, sample_rows


def run(*args, env):
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300, env=env
    )


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "RENEWAL_DATA_DIR": str(tmp_path / "data")}


def _export(path, rows):
    pd.DataFrame(rows, columns=COLS).to_csv(path, index=False, encoding="utf-8-sig")
    return path


ROWS = [*sample_rows(), poi("B05", "某酒店", "住宿服务;宾馆酒店;宾馆酒店", "100100", "115.9561,28.6883")]


def test_amap_export_import_twice_then_rename(tmp_path, env):
    ws = tmp_path / "qsh.gpkg"
    p = run("workspace", "new", "--adcode", "360111", "--out", str(ws), env=env)
    assert p.returncode == 0, p.stderr
    csv = _export(tmp_path / "poi_export.csv", ROWS)
    args = ("import", str(csv), "--as", "facilities", "--workspace", str(ws))
    # unmapped codes are problems: with the default --on-problems cancel nothing is imported, all listed
    p = run(*args, env=env)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert "recognised: AMap (高德) POI export, 5 rows" in p.stdout
    assert "datum: converted GCJ02 → WGS84 (the provider's datum)" in p.stdout
    assert "types: kindergarten=1 primary_school=1" in p.stdout
    assert "unmapped code 141201 科教文化服务;学校;高等院校 ×2" in p.stdout
    assert "unmapped code 100100 住宿服务;宾馆酒店;宾馆酒店 ×1" in p.stdout
    p = run(*args, "--on-problems", "drop", env=env)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert "dropped=3 rows with problems" in lines
    assert lines[-1] == f"imported=2 layer=facilities workspace={ws} created=2 updated=0 unchanged=0"
    fac = pyogrio.read_dataframe(ws, layer="facilities")
    assert fac["facility_id"].tolist() == ["amap:B01", "amap:B02"]
    x, y = gcj02_to_wgs84(115.9521, 28.6843)
    assert fac.geometry.iloc[0].x == pytest.approx(float(x), abs=1e-9)
    assert fac.geometry.iloc[0].y == pytest.approx(float(y), abs=1e-9)
    p = run(*args, "--on-problems", "drop", env=env)
    assert p.stdout.strip().splitlines()[-1].endswith("created=0 updated=0 unchanged=2")
    ROWS[1][1] = "八一路小学"
    _export(csv, ROWS)
    p = run(*args, "--on-problems", "drop", env=env)
    assert p.stdout.strip().splitlines()[-1].endswith("created=0 updated=1 unchanged=1")
    fac = pyogrio.read_dataframe(ws, layer="facilities")
    assert fac["name"].tolist() == ["青山湖幼儿园", "八一路小学"]
    # --datum still wins when given: no conversion
    p = run(*args, "--on-problems", "drop", "--datum", "wgs84", env=env)
    assert "datum: WGS84 as given by --datum wgs84 (no conversion)" in p.stdout
