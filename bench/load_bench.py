"""Load figures: N concurrent browser sessions on the coverage page, cluster vs one replica, in one run.

For each N (default 10 and 20) and each topology —
  * cluster: R Streamlit replicas (default 2) behind nginx (deploy/cluster.py), sharing one PostGIS;
  * baseline: one Streamlit process, no nginx (the "fair baseline": same app, same machine) —
a fresh topology is started, each replica is warmed up by one session (workspace and coverage caches
loaded, then closed), the replicas' RSS is read from /proc, N headless chromium contexts of one browser
open ``/coverage`` concurrently (logging in first when login is on) and the time from navigation to the
first drawn map (Leaflet vectors visible in the st_folium iframe) is recorded per session; with all N
sessions still open the RSS is read again: (after - before) / N = server memory per session.

Prints a table, the cluster/baseline ratios and a final ``summary:`` line. 127.0.0.1 only; needs nginx
and Debian chromium; starts a throwaway PostgreSQL + PostGIS unless ``--db-url`` is given.

    python bench/load_bench.py [--sessions 10 20] [--replicas 2] [--db-url postgresql://…]
    python bench/load_bench.py --attach http://127.0.0.1:8500 --ports 8601 8602   # a running cluster
    python bench/load_bench.py --smoke        # N=2, for the test suite

Login: required (a user is created with ``cli.py users add`` and every session signs in; the timing
includes the sign-in form).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.cluster import ROUTE_COOKIE, Cluster, nginx_binary, route  # noqa: E402
from reports.render import FLAGS  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [a for a in FLAGS if a != "--headless"] + ["--disable-dev-shm-usage"]  # as the browser tests
USER, PASSWORD = "bench_planner", "Bench-pw-2026!"
MAP = "iframe[title*='st_folium'] >> visible=true"
LOCAL = ("127.0.0.1", "localhost")


# ---- server memory, from /proc
def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return kids


def rss_mb(pids) -> float:
    """Resident memory (VmRSS) of the processes and their descendants, in MB."""
    total_kb, todo, seen = 0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total_kb += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
        )
        todo += _children(pid)
    return total_kb / 1024


def pids_listening_on(ports) -> list[int]:
    """PIDs of the ``streamlit run`` processes started with ``--server.port`` in ``ports``."""
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            args = (d / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        text = [a.decode(errors="replace") for a in args]
        if "streamlit" in " ".join(text) and "--server.port" in text:
            port = text[text.index("--server.port") + 1]
            if port.isdigit() and int(port) in ports:
                found.append(int(d.name))
    return found


# ---- one browser session
async def _log_in(page) -> None:
    """Same contract as tests/server/test_cluster.py log_in (the login form of the app)."""
    await page.get_by_role("textbox", name="用户名", exact=True).fill(USER)
    await page.get_by_role("textbox", name="密码", exact=True).fill(PASSWORD)
    await page.get_by_role("button", name="登录", exact=True).click()


async def session(browser, url: str, login: bool, timeout_s: float, cookie: str | None = None) -> dict:
    """Open ``url``/coverage in a new context; seconds until the first map is drawn (None: timed out)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    if cookie:
        await context.add_cookies([{"name": ROUTE_COOKIE, "value": cookie, "url": url}])
    errors: list[str] = []

    async def offline(r):
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if r.request.url.startswith(("http", "ws")) and host not in LOCAL:
            errors.append(f"external {r.request.url}")
            await r.abort()
        else:
            await r.continue_()

    await context.route("**/*", offline)
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)[:200]))
    t0 = time.perf_counter()
    replica = None
    try:
        response = await page.goto(f"{url}/coverage", wait_until="domcontentloaded", timeout=timeout_s * 1000)
        replica = response.headers.get("x-renewal-replica") if response else None
        if login:
            await _log_in(page)
        await page.locator(MAP).first.wait_for(timeout=timeout_s * 1000)
        frame = page.frame_locator(MAP).first
        await frame.locator(".leaflet-container").wait_for(timeout=timeout_s * 1000)
        await frame.locator(".leaflet-overlay-pane canvas, .leaflet-overlay-pane path").first.wait_for(
            timeout=timeout_s * 1000
        )
        seconds = time.perf_counter() - t0
    except Exception as err:  # a timed-out session is a result, not a crash
        errors.append(f"{type(err).__name__}: {str(err).splitlines()[0][:120]}")
        seconds = None
    return {"context": context, "seconds": seconds, "replica": replica, "errors": errors}


async def run_sessions(url, n, replica_pids, login, timeout_s, warm_routes) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for cookie in warm_routes:  # one session per replica loads its caches; then closed
            warm = await session(browser, url, login, timeout_s, cookie=cookie)
            await warm["context"].close()
        await asyncio.sleep(2)
        before = rss_mb(replica_pids)
        results = await asyncio.gather(*(session(browser, url, login, timeout_s) for _ in range(n)))
        await asyncio.sleep(3)
        after = rss_mb(replica_pids)  # all N sessions still open
        for r in results:
            await r["context"].close()
        await browser.close()
    times = [r["seconds"] for r in results if r["seconds"] is not None]
    replicas = sorted({r["replica"] or "-" for r in results})
    spread = {x: sum((r["replica"] or "-") == x for r in results) for x in replicas}
    return {
        "n": n,
        "ok": len(times),
        "p50": float(np.percentile(times, 50)) if times else float("nan"),
        "p95": float(np.percentile(times, 95)) if times else float("nan"),
        "max": max(times) if times else float("nan"),
        "before_mb": before,
        "after_mb": after,
        "mb_per_session": (after - before) / n,
        "spread": spread,
        "errors": [e for r in results for e in r["errors"]],
    }


# ---- topologies
def login_mode() -> str:
    """The cluster always requires sign-in (a PostGIS store); every measured session signs in."""
    return "required"


def add_user(db_url: str) -> None:
    subprocess.run(
        [sys.executable, "cli.py", "users", "add", USER, "--role", "editor", "--db", db_url],
        input=PASSWORD + "\n",
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )


def measure(db_url, n, replicas, use_nginx, login, timeout_s, data_dir) -> dict:
    env = {"RENEWAL_LOGIN": login, "RENEWAL_DATA_DIR": data_dir}
    with Cluster(db_url, replicas=replicas, nginx=use_nginx, env=env) as c:
        warm = [route(i) for i in range(replicas)] if use_nginx else [None]
        return asyncio.run(run_sessions(c.url, n, c.replica_pids, login == "required", timeout_s, warm))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, nargs="+", default=[10, 20])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--db-url", default="")
    ap.add_argument(
        "--attach", default="", help="URL of a running cluster (127.0.0.1) instead of starting one"
    )
    ap.add_argument("--ports", type=int, nargs="*", default=[], help="with --attach: the replicas' ports")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a session may take to show its map")
    ap.add_argument("--smoke", action="store_true", help="N=2 only (test suite)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sessions = [2]
    if args.attach and not args.attach.startswith(("http://127.0.0.1", "http://localhost")):
        ap.error("the load bench drives 127.0.0.1 only")
    if not nginx_binary() or not Path(CHROMIUM).exists():
        print("needs nginx and Debian chromium (make system-deps)", file=sys.stderr)
        return 2
    server = None
    if not args.db_url:
        from tests import pg

        server = pg.LocalPostgres()
        args.db_url = server.url
    login = login_mode()
    if login == "required":
        add_user(args.db_url)
    data_dir = tempfile.mkdtemp(prefix="renewal-bench-data-")
    rows = []
    try:
        for n in args.sessions:
            if args.attach:
                pids = pids_listening_on(set(args.ports))
                warm = [route(i) for i in range(len(args.ports))]
                res = asyncio.run(run_sessions(args.attach, n, pids, login == "required", args.timeout, warm))
                rows.append((f"attached ({len(pids)} replicas)", res))
            else:
                res = measure(args.db_url, n, args.replicas, True, login, args.timeout, data_dir)
                rows.append((f"cluster {args.replicas}+nginx", res))
            base = measure(args.db_url, n, 1, False, login, args.timeout, data_dir)
            rows.append(("baseline 1, no nginx", base))
    finally:
        if server:
            server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)

    print(f"\nlogin: {login};  {os.cpu_count()} cores;  time to first map on /coverage, seconds")
    head = f"{'topology':<22}{'N':>4}{'ok':>4}{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
    print(head + f"{'RSS before':>12}{'RSS after':>11}{'MB/session':>12}  sessions per replica")
    for name, r in rows:
        print(
            f"{name:<22}{r['n']:>4}{r['ok']:>4}{r['p50']:>8.1f}{r['p95']:>8.1f}{r['max']:>8.1f}"
            f"{r['before_mb']:>10.0f}MB{r['after_mb']:>9.0f}MB{r['mb_per_session']:>12.1f}  {r['spread']}"
        )
    for name, r in rows:
        for e in sorted(set(r["errors"]))[:5]:
            print(f"  {name}, N={r['n']}: {r['errors'].count(e)} × {e}")
    parts, ratios = [], []
    for (_, c), (_, b) in zip(rows[::2], rows[1::2]):
        rp50, rp95, rmem = c["p50"] / b["p50"], c["p95"] / b["p95"], c["mb_per_session"] / b["mb_per_session"]
        print(f"N={c['n']}: cluster/baseline  p50 {rp50:.2f}  p95 {rp95:.2f}  MB/session {rmem:.2f}")
        parts.append(
            f"N={c['n']} p50 {c['p50']:.1f}s p95 {c['p95']:.1f}s {c['mb_per_session']:.0f} MB/session "
            f"({c['ok']}/{c['n']} maps)"
        )
        ratios.append(f"N={c['n']} p95 {rp95:.2f} MB {rmem:.2f}")
    print(f"summary: {rows[0][0]}: " + "; ".join(parts) + " | ratio vs baseline: " + "; ".join(ratios))
    return 0 if all(r["ok"] == r["n"] for _, r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
