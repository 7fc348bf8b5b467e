"""Page rerun after one widget change, on the demo workspace (Streamlit AppTest, server side).

For each page: a first run (cold caches), then ``--changes`` changes of one widget (a value not seen before where the
widget has more than two), each rerun timed. Prints per page

    rerun_s_<page>=<median seconds of the reruns after a widget change>
    max_rerun_s_<page>=<the slowest of them>

and, unless ``--before ''``, the same pages measured in one run on an earlier commit of this repository
(exported with ``git archive`` into a temporary directory, same virtualenv and demo workspace):

    before_rerun_s_<page>=<s>   speedup_<page>=<before / after>

Goal (issue 19, goal 8): every ``rerun_s_<page>`` < 1 s on the demo. AppTest runs the page script in this
process: what it times is the server's work for a rerun (the browser's drawing of the map is not included;
downloads built on click are not run). The library store is a fresh one in a temporary data directory.

    python bench/rerun_bench.py                 # this checkout vs the branch start commit
    python bench/rerun_bench.py --before ''     # this checkout only
    python bench/rerun_bench.py --smoke         # one page change each, no comparison
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the commit this bench's "before" numbers come from (the start of the rerun work)
BEFORE_COMMIT = "dd268f2"

#: page → (module, render function, widget kind, widget key, the values set one after the other, cycling; for a
#: select box option positions). A new value each time where the widget has more than two (nothing cached for it). renewal: a screening weight (every score, both renewal maps and the stability check
#: change); renewal_pick: the parcel picked in the parcels tab (nothing but its detail changes)
PAGES = {
    "overview": ("dashboard.overview_page", "render_overview", "radio", "overview_extent@zh", ("city", "province")),
    "coverage": ("dashboard.coverage_page", "render_coverage", "number_input", "cov_radius_kindergarten", (350.0, 400.0, 450.0, 500.0)),
    "renewal": ("dashboard.renewal_page", "render_renewal", "slider", "w_民生优先_age_years", (1.5, 2.0, 2.5, 3.0)),
    "renewal_pick": ("dashboard.renewal_page", "render_renewal", "selectbox", "ren_parcel", (1, 2, 3, 4)),
    "healthcheck": ("dashboard.healthcheck_page", "render_healthcheck", "toggle", "hc_only_unlinked", (True, False)),
}  # fmt: skip


#: page → the tab each widget is on (pages with tabs run only the open one: common.open_tab)
TABS = {
    "renewal": {"ren_tab": "screen"},
    "renewal_pick": {"ren_tab": "parcels"},
    "healthcheck": {"hc_tab": "ledger"},
}


def measure(pages: list[str], changes: int) -> dict[str, dict[str, float]]:
    """Time the first run and each rerun after a widget change of every page (seconds)."""
    from streamlit.testing.v1 import AppTest  # noqa: TID251 (the bench drives the pages like tests/dashboard)

    out = {}
    for page in pages:
        module, func, kind, key, values = PAGES[page]
        at = AppTest.from_string(f"from {module} import {func}\n{func}()\n", default_timeout=600)
        at.session_state["auth"] = {"name": "bench", "role": "editor", "via": "local"}
        at.session_state["lang"] = "zh"
        for tabs, tab in TABS.get(page, {}).items():  # the tab holding the widget (only the open tab runs)
            at.session_state[f"_tab:{tabs}"] = tab
        t0 = time.perf_counter()
        at.run()
        first = time.perf_counter() - t0
        if at.exception:
            raise SystemExit(f"{page}: {at.exception}")
        times = []
        for i in range(changes):
            widget = getattr(at, kind)(key=key)
            if kind == "selectbox":
                widget.select_index(values[i % len(values)])
            else:
                widget.set_value(values[i % len(values)])
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
            if at.exception:
                raise SystemExit(f"{page}: {at.exception}")
        out[page] = {"first": first, "rerun": statistics.median(times), "max": max(times)}
        print(
            f"[{page}] first run {first:.2f} s; reruns after changing {key}: "
            + ", ".join(f"{x:.2f}" for x in times)
            + " s",
            flush=True,
        )
    return out


def before(commit: str, pages: list[str], changes: int) -> dict[str, float]:
    """Run this bench (``--before ''``) on ``commit`` exported into a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="rerun_before_") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        demo = "geodata/demo/nanchang_demo.gpkg"
        os.symlink(ROOT / demo, Path(tmp) / demo)
        os.makedirs(Path(tmp) / "bench", exist_ok=True)
        script = Path(tmp) / "bench" / "rerun_bench.py"
        script.write_text(Path(__file__).read_text(encoding="utf-8"), encoding="utf-8")
        p = subprocess.run(
            [
                sys.executable,
                str(script),
                "--before",
                "",
                "--changes",
                str(changes),
                "--pages",
                ",".join(pages),
            ],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
        if p.returncode:
            raise SystemExit(f"the bench on {commit} failed:\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
        figures = {}
        for line in p.stdout.splitlines():
            if line.startswith("rerun_s_"):
                k, v = line.split("=")
                figures[k.removeprefix("rerun_s_")] = float(v)
            elif line.startswith("["):
                print(f"before ({commit}) {line}", flush=True)
        return figures


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="one change per page, no comparison")
    ap.add_argument("--changes", type=int, default=4, help="widget changes per page (default 4)")
    ap.add_argument("--before", default=BEFORE_COMMIT, help="commit to compare with ('' for none)")
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages")
    args = ap.parse_args(argv)
    pages = [p for p in args.pages.split(",") if p]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        ap.error(f"unknown pages: {', '.join(unknown)} (known: {', '.join(PAGES)})")
    changes, commit = (1, "") if args.smoke else (args.changes, args.before)
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's "missing ScriptRunContext" noise
    os.environ.setdefault("RENEWAL_DATA_DIR", tempfile.mkdtemp(prefix="rerun_bench_"))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    old = before(commit, pages, changes) if commit else {}
    now = measure(pages, changes)
    for page in pages:
        if page in old:
            print(f"before_rerun_s_{page}={old[page]:.3f}")
            print(f"speedup_{page}={old[page] / now[page]['rerun']:.2f}")
    for page in pages:  # the slowest rerun is usually the first change (a cache filled for the new value)
        print(f"max_rerun_s_{page}={now[page]['max']:.3f}")
    for page in pages:
        print(f"rerun_s_{page}={now[page]['rerun']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
