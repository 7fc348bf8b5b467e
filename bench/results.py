"""Collect benchmark figures into bench/results.json and regenerate README.md's measured table from it.

    python bench/results.py run bench/coverage_bench.py [-- extra args]   # run one bench, record its entry
    python bench/results.py readme                                        # rewrite the README table

``run`` starts the bench as a subprocess (its output is shown as it comes), then records one entry under
the bench's name: every line of the output of the form ``key=value`` with a numeric value (the figures the
bench prints), the command, wall-clock seconds, the exit code, the date (UTC), the load average before
and after, and the machine (CPU model and cores from /proc/cpuinfo, RAM from /proc/meminfo). Entries of
other benches are kept, so ``make bench`` can run the benches one line each. A bench that fails is
recorded with its exit code and makes ``run`` fail too.

``readme`` replaces what lies between ``<!-- bench:begin -->`` and ``<!-- bench:end -->`` in README.md
with one table row per recorded bench (its figures as printed) and a line naming the machine and dates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
FIGURE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)$")

#: what each bench measures, for the README table (benches not listed get their file name only)
WHAT = {
    "coverage_bench": (
        "coverage engine: vs naive buffer→union→join (160k cells × 10k facilities, 3 radii); vs fair "
        "baselines computed once (1.6 M cells × 10k × 3 radii, same served sets checked); all-types model "
        "memory (2.7 M cells × 22 types, tracemalloc peak)"
    ),
    "province_bench": (
        "batch cli.py coverage vs a plain geopandas sjoin_nearest script (1.6 M cells × 20 k facilities × 3 radii "
        "in one run, GeoPackages in EPSG:4326; --full: 16.7 M × 100 k), served flags checked cell by cell; "
        "province_model_peak_mb: process peak building the all-types model for 2.7 M cells"
    ),
    "siting_bench": (
        "siting greedy vs exact (HiGHS under the time limit, 60 s): sparse 2,000 candidates × 160k cells "
        "k = 20 r = 500 m (≈ 1 candidate per cell); dense_: 2,000 candidates × 10k cells k = 20 r = 800 m "
        "(≈ 37 per cell). gap_pct: greedy short of the best found; greedy_gap_bound_pct: at most this far "
        "from optimal (least of HiGHS's proof — loose after a time-out — the k largest catchments and all "
        "reachable weight)"
    ),
    "store_bench": (
        "file store vs PostGIS: 100k parcels write+read; 160k × 10k counts within 500 m, both stores loaded "
        "the same way; 20 users × 60 s editing the project library"
    ),
    "load_bench": "N browser sessions on the coverage page, cluster vs one replica",
    "network_bench": "walking network: ours vs bare scipy Dijkstra and networkx",
    "import_bench": (
        "`cli.py check` on a 1 M-row facility CSV (5 % blank coordinates, a few swapped rows): wall-clock "
        "seconds and peak RSS of the check process (goal < 30 s, < 1 GB)"
    ),
    "own_city_bench": (
        "a planner's first hour through the CLI on 章贡区: workspace new → import a kindergarten CSV → import a "
        "WorldPop-style GeoTIFF (≈100 m cells) → coverage; seconds per step and in all"
    ),
    "payload_bench": "map HTML per page (overview, coverage, renewal, 城市体检) on the demo and a 10× tiled demo; settle in chromium",
    "browser_bench": (
        "in the browser (Playwright + chromium, 1920×1080, demo): cold start → first map, warm page switches, "
        "what-if map click → new figures and site drawn (10 clicks; whatif_p50/p95 read with the page's own "
        "clock from the mouse press, whatif_observed as polled from the bench), rerun after one widget change "
        "per page"
    ),
    "rerun_bench": (
        "page rerun after one widget change on the demo (AppTest, server side; median and slowest of 4 changes), "
        "before_: the same on the branch start commit"
    ),
}


def machine() -> dict:
    """CPU model, logical cores and RAM of this machine (from /proc)."""
    out = {"cores": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                out["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                out["ram_gb"] = round(int(line.split()[1]) / 2**20, 1)
                break
    except OSError:
        pass
    return out


def loadavg() -> list[float] | None:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def parse_figures(text: str) -> dict[str, float]:
    """Return the ``key=value`` lines of a bench's output (numbers only; a later line wins)."""
    figures = {}
    for line in text.splitlines():
        m = FIGURE.match(line.strip())
        if m:
            figures[m.group(1)] = float(m.group(2))
    return figures


def load(path: Path = RESULTS) -> dict:
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"benches": {}}


def run(script: str, extra: list[str], path: Path = RESULTS) -> int:
    """Run one bench script, stream its output, record its entry in ``path``; return its exit code."""
    name = Path(script).stem
    cmd = [sys.executable, script, *extra]
    before, t0 = loadavg(), time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1)
    lines = []
    for line in proc.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        lines.append(line)
    rc = proc.wait()
    out = "".join(lines)
    data = load(path)
    data["benches"][name] = {
        "name": name,
        "command": " ".join(["python", script, *extra]),
        "figures": parse_figures(out),
        "summary": next((ln[len("summary: ") :].strip() for ln in lines if ln.startswith("summary: ")), None),
        "returncode": rc,
        "seconds": round(time.perf_counter() - t0, 1),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "loadavg_before": before,
        "loadavg_after": loadavg(),
        "machine": machine(),
    }
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)  # atomic
    return rc


def _fmt(v: float) -> str:
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e9:
        return f"{int(v):,}"
    return f"{v:.3g}" if abs(v) < 1 else f"{v:,.2f}"


def table(data: dict) -> str:
    """The README block (without the markers): one row per bench, then the machine and dates."""
    rows = ["| bench | what | figures (as printed) | run |", "|---|---|---|---|"]
    machines = set()
    for name, e in sorted(data.get("benches", {}).items()):
        parts = [f"`{k}={_fmt(v)}`" for k, v in e["figures"].items()]
        if e.get("summary"):
            parts.append(e["summary"].replace("|", "\\|"))  # a pipe would end the table cell
        figs = " · ".join(parts) or "—"
        if e.get("returncode"):
            figs = f"**failed (exit {e['returncode']})** " + figs
        la = e.get("loadavg_before")
        run_ = (
            f"{e['date']}, {e['seconds']:.0f} s, load {la[0]:.1f}"
            if la
            else f"{e['date']}, {e['seconds']:.0f} s"
        )
        rows.append(f"| `bench/{name}.py` | {WHAT.get(name, '')} | {figs} | {run_} |")
        m = e.get("machine", {})
        machines.add(f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('ram_gb', '?')} GB RAM")
    rows.append("")
    rows.append(
        f"Machine: {'; '.join(sorted(machines)) or '—'} (shared; load = 1-min load average when the bench "
        "started). Generated from `bench/results.json` by `python bench/results.py readme`."
    )
    return "\n".join(rows)


def readme(path: Path = README, results: Path = RESULTS) -> None:
    """Replace the block between the bench markers of ``path`` with the table from ``results``."""
    text = path.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path} has no {BEGIN} … {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{table(load(results))}\n{END}{tail}", encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="run one bench script and record it")
    r.add_argument("script")
    r.add_argument("extra", nargs=argparse.REMAINDER)
    r.add_argument("--results", type=Path, default=RESULTS)
    w = sub.add_parser("readme", help="regenerate README.md's measured table")
    w.add_argument("--readme", type=Path, default=README)
    w.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    if args.cmd == "run":
        extra = [a for a in args.extra if a != "--"]
        return run(args.script, extra, args.results)
    readme(args.readme, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
