"""cli.py site --method exact prints the solver's proof under --time-limit (issue 19, goal 9)."""

import subprocess
import sys

from geodata.paths import REPO_ROOT


def test_site_exact_prints_proven_gap(tmp_path, demo_gpkg):
    p = subprocess.run(
        [sys.executable, "cli.py", "site", "--type", "kindergarten", "--k", "3", "--method", "both"]
        + ["--time-limit", "30", "--out", str(tmp_path / "s.csv")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    line = next(x for x in p.stdout.splitlines() if x.startswith("exact_optimal="))
    fields = dict(kv.split("=", 1) for kv in line.split())
    assert fields["exact_optimal"] in ("True", "False") and 0 <= float(fields["proven_gap_pct"]) < 100
    assert p.stdout.strip().splitlines()[-1].startswith("new_served=")  # the CLI contract's last line
    bad = subprocess.run(
        [sys.executable, "cli.py", "site", "--type", "kindergarten", "--k", "3", "--time-limit", "x"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
