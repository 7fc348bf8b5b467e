"""Import reading benchmark: `cli.py check` on a large facility CSV with some blank coordinates.

Generates a CSV of --rows rows (default 1,000,000; --smoke 20,000) in a temporary folder — 名称, 类别,
经度, 纬度, 危房等级, with 5 % of the rows' coordinates blank (they once made reading quadratic: 400k
rows 51 s, 1 M rows > 7 min) and one row in twenty thousand with swapped coordinates — runs
``cli.py check`` on it as a subprocess and prints its wall-clock seconds and peak resident memory
(the child's ``ru_maxrss``). The goal: 1 M rows in < 30 s and < 1 GB.

    python bench/import_bench.py [--rows N] [--smoke]

Prints one figure per line (``rows=``, ``seconds=``, ``peak_mb=``, ``exit_code=``), then the summary
line ``rows=<n> seconds=<s> peak_mb=<m>``.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def make_csv(path: Path, rows: int, seed: int = 1) -> int:
    """Write the benchmark CSV; return the number of rows with blank coordinates."""
    rng = np.random.default_rng(seed)
    lng = np.round(rng.uniform(115.75, 116.05, rows), 6).astype(object)
    lat = np.round(rng.uniform(28.55, 28.80, rows), 6).astype(object)
    blank = rng.random(rows) < 0.05
    lng[blank] = None
    lat[blank] = None
    swapped = np.flatnonzero(~blank)[::20_000]
    lng[swapped], lat[swapped] = lat[swapped], lng[swapped]
    kinds = np.array(["幼儿园", "小学", "社区卫生服务站", "菜市场", "养老服务站"])
    pd.DataFrame(
        {
            "名称": [f"设施{i}" for i in range(rows)],
            "类别": kinds[rng.integers(0, len(kinds), rows)],
            "经度": lng,
            "纬度": lat,
            "危房等级": np.where(rng.random(rows) < 0.5, "", "C"),
        }
    ).to_csv(path, index=False)
    return int(blank.sum())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--smoke", action="store_true", help="20,000 rows")
    args = ap.parse_args()
    rows = 20_000 if args.smoke else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facilities.csv"
        blanks = make_csv(path, rows)
        print(f"csv_mb={path.stat().st_size / 1e6:.1f}", flush=True)
        print(f"blank_rows={blanks}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "cli.py", "check", str(path)], cwd=ROOT, capture_output=True, text=True
        )
        seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    if proc.returncode not in (0, 1):
        print(proc.stderr, file=sys.stderr)
        return 1
    problems = next((ln for ln in proc.stdout.splitlines() if ln.startswith("问题")), "")
    print(f"check said: {problems or 'usable'}", flush=True)
    print(f"rows={rows}")
    print(f"seconds={seconds:.2f}")
    print(f"peak_mb={peak_mb:.0f}")
    print(f"exit_code={proc.returncode}")
    print(f"rows={rows} seconds={seconds:.2f} peak_mb={peak_mb:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
