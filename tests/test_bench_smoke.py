"""The coverage benchmark runs (tiny size) and its naive/engine results agree."""

import subprocess
import sys
from pathlib import Path

import pytest

from geodata.paths import REPO_ROOT


def test_coverage_bench_smoke():
    p = subprocess.run(
        [sys.executable, "bench/coverage_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("ratio=") and float(last.split("=")[1]) > 0


def test_siting_bench_smoke():
    p = subprocess.run(
        [sys.executable, "bench/siting_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1].startswith("gap_pct=")


def test_network_bench_smoke():
    pytest.importorskip("networkx")
    p = subprocess.run(
        [sys.executable, "bench/network_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.strip().splitlines()
    assert all("answers equal" in ln for ln in lines[:-2])  # the run checks the three methods agree
    assert lines[-2].startswith("overhead_vs_scipy=") and float(lines[-2].split("=")[1]) > 0
    assert lines[-1].startswith("ratio_vs_networkx=") and float(lines[-1].split("=")[1]) > 0


@pytest.mark.browser
def test_load_bench_smoke():
    """Two sessions on the cluster (2 replicas + nginx) and on one replica: every map drawn (~50 s)."""
    from deploy.cluster import nginx_binary
    from tests import pg
    from tests.browser.conftest import CHROMIUM

    if not (nginx_binary() and Path(CHROMIUM).exists() and pg.available()):
        pytest.skip("needs nginx, Debian chromium and PostgreSQL + PostGIS (make system-deps)")
    p = subprocess.run(
        [sys.executable, "bench/load_bench.py", "--smoke", "--timeout", "120"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("summary: cluster 2+nginx: N=2") and "(2/2 maps)" in last, last
