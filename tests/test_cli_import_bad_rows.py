"""cli.py import: a row whose coordinates do not fit the others is named, not blamed on the layer's CRS."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

ROOT = Path(__file__).resolve().parent.parent
CSV = "name,type,lng,lat\n幼儿园甲,幼儿园,114.93,25.85\n幼儿园乙,幼儿园,25.86,114.94\n幼儿园丙,幼儿园,114.935,25.855\n"


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, cwd=cwd
    )


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    d = tmp_path_factory.mktemp("city")
    p = _cli("workspace", "new", "--adcode", "360702", "--out", "ws.gpkg", cwd=d)
    assert p.returncode == 0, p.stderr
    (d / "f.csv").write_text(CSV, encoding="utf-8")
    return d


def test_a_swapped_row_is_named_and_nothing_is_imported(city):
    p = _cli("import", "f.csv", "--as", "facilities", "--workspace", "ws.gpkg", cwd=city)
    assert p.returncode == 1
    assert "幼儿园乙" in p.stderr and "第 1 行" in p.stderr and "经纬度颠倒" in p.stderr
    assert "look like metres" not in p.stderr  # the other two rows decide the CRS
    assert "district_adcode" not in p.stderr  # not reported twice (as outside every district)
    assert len(gpd.read_file(city / "ws.gpkg", layer="facilities")) == 0


def test_drop_removes_the_swapped_row_and_imports_the_others(city):
    p = _cli(
        "import", "f.csv", "--as", "facilities", "--workspace", "ws.gpkg", "--on-problems", "drop", cwd=city
    )
    assert p.returncode == 0, p.stderr
    assert "dropped=1 rows with problems" in p.stdout
    got = gpd.read_file(city / "ws.gpkg", layer="facilities")
    assert sorted(got["name"]) == ["幼儿园丙", "幼儿园甲"]
