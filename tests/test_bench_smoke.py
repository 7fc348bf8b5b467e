"""The coverage benchmark runs (tiny size) and its naive/engine results agree."""

import subprocess
import sys

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
