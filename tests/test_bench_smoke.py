"""The coverage benchmark runs (tiny size) and its naive/engine results agree."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.results import parse_figures, readme, run
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
    figures = parse_figures(p.stdout)  # the fair baselines ran and agreed (the script asserts equality)
    for key in ("ratio_vs_sjoin_nearest", "ratio_vs_strtree", "overhead_vs_ckdtree", "model_memory_ratio"):
        assert figures[key] > 0, key
    assert "identical for all four methods" in p.stdout


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
    figures = parse_figures(p.stdout)
    assert (
        figures["dense_exact_s"] > 0
        and 0 <= figures["dense_gap_pct"] <= figures["dense_greedy_gap_bound_pct"]
    )
    assert "[dense]" in p.stdout and "candidates per cell" in p.stdout


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


def test_store_bench_smoke():
    """Both stores loaded the same way, identical counts, no lost update (tiny sizes, throwaway PostGIS)."""
    from tests import pg

    if not pg.available():
        pytest.skip("needs PostgreSQL + PostGIS (make system-deps)")
    p = subprocess.run(
        [sys.executable, "bench/store_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    figures = parse_figures(p.stdout)
    assert figures["query_file_s"] > 0 and figures["query_postgis_s"] > 0 and figures["io_ratio"] > 0
    assert "identical counts" in p.stdout and "no lost update: True" in p.stdout


def test_results_records_a_bench_and_regenerates_the_readme_table(tmp_path):
    script = tmp_path / "fake_bench.py"
    script.write_text(
        "print('r=300 m: naive 1 s')\nprint('ratio=12.5')\nprint('overhead=1.07')\nprint('ratio=13')\n"
    )
    results = tmp_path / "results.json"
    assert run(str(script), [], results) == 0
    assert run(str(script), ["--x"], results) == 0  # rerun replaces the entry
    (tmp_path / "bad_bench.py").write_text(
        "print('gap_pct=1.5')\nprint('summary: a | b')\nraise SystemExit(3)\n"
    )
    assert run(str(tmp_path / "bad_bench.py"), [], results) == 3
    data = json.loads(results.read_text(encoding="utf-8"))
    fake = data["benches"]["fake_bench"]
    assert fake["figures"] == {"ratio": 13.0, "overhead": 1.07}  # only whole key=value lines; later wins
    assert fake["command"].endswith("fake_bench.py --x") and fake["returncode"] == 0
    assert fake["machine"]["cores"] >= 1 and fake["date"].endswith("UTC")
    assert data["benches"]["bad_bench"]["returncode"] == 3
    md = tmp_path / "README.md"
    md.write_text("# x\n<!-- bench:begin -->\nold row\n<!-- bench:end -->\ntail\n", encoding="utf-8")
    readme(md, results)
    text = md.read_text(encoding="utf-8")
    assert "old row" not in text and text.endswith("<!-- bench:end -->\ntail\n")
    assert "`ratio=13`" in text and "`overhead=1.07`" in text and "**failed (exit 3)**" in text
    bad_row = next(ln for ln in text.splitlines() if "bad_bench" in ln)
    assert "a \\| b" in bad_row and bad_row.count(" | ") == 3  # the summary's pipe cannot split the row
    no_markers = tmp_path / "plain.md"
    no_markers.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        readme(no_markers, results)


def test_rerun_bench_smoke():
    """Every page runs in AppTest on the demo and one widget change reruns it (one change each, no timing asserts)."""
    p = subprocess.run(
        [sys.executable, "bench/rerun_bench.py", "--smoke", "--pages", "overview,renewal"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    figures = parse_figures(p.stdout)
    assert figures["rerun_s_overview"] > 0 and figures["rerun_s_renewal"] > 0
    assert "[renewal] first run" in p.stdout and "before_rerun_s_" not in p.stdout


def test_province_bench_smoke():
    p = subprocess.run(
        [sys.executable, "bench/province_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    # the run compares the CLI and the sjoin_nearest script cell by cell and stops on any difference
    assert "answers equal: served flags identical for all" in p.stdout
    figures = parse_figures(p.stdout)
    for key in ("ratio_vs_sjoin_script_province", "memory_ratio_province", "province_model_peak_mb"):
        assert figures[key] > 0, key
    assert figures["cells"] > 10_000 and figures["facilities"] == 300


def test_payload_bench_smoke():
    """Demo and a 2× tiled city: every page's map bytes printed, the tiled city's larger than the demo's."""
    p = subprocess.run(
        [sys.executable, "bench/payload_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    figures = parse_figures(p.stdout)
    for page in ("overview", "coverage", "renewal", "healthcheck"):
        assert 0 < figures[f"map_bytes_{page}_demo"] < figures[f"map_bytes_{page}_2x"], page
        assert figures[f"build_s_{page}_2x"] > 0
    assert figures["map_bytes_2x"] == max(
        figures[f"map_bytes_{p}_2x"] for p in ("overview", "coverage", "renewal", "healthcheck")
    )


def test_own_city_bench_smoke():
    """workspace new → facilities → population raster → coverage on a coarse raster: every step timed, totals agree."""
    p = subprocess.run(
        [sys.executable, "bench/own_city_bench.py", "--cell-deg", "0.01", "--facilities", "5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stdout + p.stderr
    figures = parse_figures(p.stdout)
    assert figures["own_city_seconds"] > 0 and figures["cells"] > 0 and figures["total_population"] > 0


def test_browser_bench_smoke():
    """Cold start, one round of page switches, two what-if clicks (each drawn on the map) and one widget change
    per page, in Debian chromium (no timing asserts)."""
    from tests.browser.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian chromium (make system-deps)")
    p = subprocess.run(
        [sys.executable, "bench/browser_bench.py", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    figures = parse_figures(p.stdout)
    for key in ("cold_start_s", "page_switch_p50_s", "page_switch_max_s", "whatif_p50_s", "whatif_p95_s"):
        assert figures[key] > 0, key
    for page in ("overview", "coverage", "renewal", "health"):
        assert figures[f"rerun_{page}_s"] > 0, page
    assert p.stdout.count("[whatif] click") == 2 and "page errors" not in p.stdout
    assert p.stdout.strip().splitlines()[-1].startswith("whatif_p95_s=")
