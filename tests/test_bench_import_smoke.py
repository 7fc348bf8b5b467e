"""The import reading benchmark runs (20,000 rows) and prints its figures."""

import subprocess
import sys

from bench.results import parse_figures
from geodata.paths import REPO_ROOT


def test_import_bench_smoke():
    p = subprocess.run(
        [sys.executable, "bench/import_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    last = p.stdout.strip().splitlines()[-1]
    assert last.startswith("rows=20000 seconds=") and "peak_mb=" in last
    figures = parse_figures(p.stdout)
    assert figures["rows"] == 20_000 and figures["seconds"] > 0 and figures["peak_mb"] > 0
    assert figures["exit_code"] == 1  # the bench's swapped row and blank coordinates are reported
