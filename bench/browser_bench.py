"""What a planner waits for in the browser: cold start, page switches, what-if clicks, reruns (demo workspace).

Starts ``streamlit run app.py`` itself (like tests/browser/conftest.py: a free localhost port, a throwaway data
directory, the local planner signed in) and drives Debian chromium with Playwright at 1920×1080 in Chinese.
The end of every server run is read from the app's websocket (Streamlit's ``script_finished`` message), what a
person sees from the page (texts, the Leaflet map drawn: its canvas or paths). Prints

    cold_start_s=<s>          ``python serve.py`` (what ``make run`` starts, after compiling the sources as it
    cold_start_max_s=<s>      does) process start → the overview page's first map drawn (the browser is
                              already open, as a planner's is, in a new tab); median and worst of
                              ``--cold-starts`` fresh server processes (the machine is shared)
    page_switch_p50_s=<s>     sidebar link click → the page's title shown, its server run finished and its
    page_switch_max_s=<s>     map drawn; pages visited once before (warm), over ``--rounds`` rounds
    whatif_p50_s=<s>          coverage page, N clicks on the map adding a what-if kindergarten: the mouse
    whatif_p95_s=<s>          press → the new figures shown (the page changes the caption naming the last
                              site) and the site drawn on the map (the first animation frame with it),
                              both read with the page's own clock
    whatif_observed_p50_s=<s> the same, noticed from here (the click sent → both seen by polling the page
                              every 10 ms: the upper bound, with Playwright's round trips)
    whatif_server_p50_s=<s>   of which: the click's rerun message leaving the browser → its run finished
    whatif_debounce_p50_s=<s> of which: the click → the rerun message
    rerun_<page>_s=<s>        one widget change per page (median of ``--changes``) → run finished and map
                              drawn: overview extent radio, coverage radius input, renewal screening weight
                              slider, health-check "only problems without a project" toggle
    loadavg_1min=<x>          the machine's 1-minute load average when the bench started (shared machine)

Goals (issue 19, goals 4, 5, 8): cold start < 5 s, page switches < 1 s, what-if < 0.3 s, each rerun < 1 s.

    python bench/browser_bench.py                     # this checkout
    python bench/browser_bench.py --app-dir /other    # another checkout of the app (same virtualenv)
    python bench/browser_bench.py --smoke             # 2 clicks, 1 change, 1 round (no timing goals)
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from i18n import t  # noqa: E402
from reports.render import FLAGS  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: a Leaflet map inside a visible st_folium frame, with its vector layers drawn
MAP_FRAME = "iframe[title*='st_folium'] >> visible=true"
DRAWN = ".leaflet-overlay-pane canvas, .leaflet-overlay-pane path"
#: what-if sites on the coverage map (red dots, drawn on canvas: counted through Leaflet)
PROPOSED = (
    "() => { let n = 0; if (!window.map) return -1; window.map.eachLayer(l => {"
    " if (l.options && l.options.fillColor === '#d7191c' && l.getRadius) n++; }); return n; }"
)
#: page → (nav label key, title key): the pages of the switch round, each with a map
PAGES = {
    "overview": ("nav.overview", "overview.title"),
    "coverage": ("nav.coverage", "cov.title"),
    "renewal": ("nav.renewal", "ren.title"),
    "health": ("nav.health", "hc.title"),
    "layout": ("nav.layout", "layout.title"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], q: float) -> float:
    """The ``q`` quantile (0…1) of ``xs`` by linear interpolation (numpy's default)."""
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


class Session:
    """One browser tab on the app, counting the server's finished runs from the websocket."""

    def __init__(self, page):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: TID251 (the app's websocket messages)

        self.page = page
        self.finished = 0  # runs finished successfully
        self.sent: list[float] = []  # perf_counter() of every message the browser sends
        self.finished_at: list[float] = []
        self.errors: list[str] = []

        def received(payload):
            if isinstance(payload, str):
                return
            try:
                msg = ForwardMsg.FromString(payload)
            except Exception:  # noqa: BLE001 (not a ForwardMsg: ignore)
                return
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished in (0, 3):
                self.finished += 1
                self.finished_at.append(time.perf_counter())

        def on_ws(ws):
            ws.on("framereceived", received)
            ws.on("framesent", lambda _p: self.sent.append(time.perf_counter()))

        page.on("websocket", on_ws)
        page.on("pageerror", lambda e: self.errors.append(str(e)[:300]))

    def wait_finished(self, count: int, timeout_s: float = 120) -> float:
        """Wait until ``count`` runs have finished; return when the last of them did."""
        deadline = time.perf_counter() + timeout_s
        while self.finished < count:
            if time.perf_counter() > deadline:
                raise SystemExit(f"no finished server run within {timeout_s} s ({self.errors[:3]})")
            self.page.wait_for_timeout(5)
        return self.finished_at[count - 1]

    def wait_quiet(self, ms: int = 400) -> None:
        """Wait until no run finishes for ``ms`` (follow-up reruns, e.g. st.rerun, are included)."""
        n = -1
        while n != self.finished:
            n = self.finished
            self.page.wait_for_timeout(ms)

    def map_drawn(self, timeout_ms: int = 60_000):
        self.page.locator(MAP_FRAME).first.wait_for(timeout=timeout_ms)
        frame = self.page.frame_locator(MAP_FRAME).first
        frame.locator(DRAWN).first.wait_for(timeout=timeout_ms)
        return frame


def start_app(app_dir: Path, data_dir: str, log) -> tuple[subprocess.Popen, str, float]:
    """``python serve.py`` (what ``make run`` starts: ``streamlit run app.py`` preparing the first view as it
    starts) in ``app_dir``; returns the process, its URL and its start time."""
    port = _free_port()
    # as make run does first: the sources' bytecode written (so the start measures the app, not compiling)
    sources = ["app.py", "serve.py", "geodata", "layers", "cartography", "reports", "dashboard", "i18n"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *sources], cwd=app_dir, capture_output=True)
    env = dict(os.environ, RENEWAL_DATA_DIR=data_dir, RENEWAL_LOCAL_USER="张工")
    cmd = [sys.executable, "serve.py", "--server.port", str(port)]  # as make run starts it
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited ({proc.returncode}); see {log.name}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, t0
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit(f"streamlit did not start; see {log.name}")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def go(s: Session, page: str) -> float:
    """Switch to ``page`` through the sidebar; seconds until its title, finished run and drawn map."""
    nav, title = PAGES[page]
    n, sent = s.finished, len(s.sent)
    t0 = time.perf_counter()
    s.page.get_by_role("link", name=t(nav, "zh")).first.click()
    s.page.get_by_text(t(title, "zh")).first.wait_for(timeout=120_000)
    finished = s.wait_finished(n + 1)
    s.map_drawn()
    done = time.perf_counter()
    first_sent = next((x for x in s.sent[sent:] if x >= t0), t0)
    s.last_split = (first_sent - t0, finished - first_sent, done - finished)
    return done - t0


#: in the page: the time (epoch ms, the page's clock) of the animation frame painting the first DOM change
#: that shows the caption of the last site with a text other than ``before`` (its figures come before it in
#: the same run)
WATCH_FIGURES = """([prefix, before]) => {
  window.__ra_figures = null;
  const xp = `//*[starts-with(normalize-space(.), '${prefix}')`
    + ` and not(*[starts-with(normalize-space(.), '${prefix}')])]`;
  const obs = new MutationObserver(() => {
    const el = document.evaluate(xp, document.body, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null)
      .singleNodeValue;
    if (el && el.textContent !== before) {
      obs.disconnect();
      // the frame that paints it (as the map's time below)
      requestAnimationFrame(() => { window.__ra_figures = performance.timeOrigin + performance.now(); });
    }
  });
  obs.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
#: in the map's frame: the time of the next mouse press (the click) and of the first animation frame
#: with ``want`` what-if sites on the map
WATCH_MAP = (
    """(_el, want) => {
  window.__ra_click = null; window.__ra_drawn = null;
  window.addEventListener("mousedown", e => { window.__ra_click = performance.timeOrigin + e.timeStamp; },
                          {once: true, capture: true});
  const count = """
    + PROPOSED
    + """;
  const tick = () => {
    if (count() === want) { window.__ra_drawn = performance.timeOrigin + performance.now(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""
)


def whatif(s: Session, clicks: int) -> dict[str, list[float]]:
    """Click the coverage map ``clicks`` times at distinct spots; per click: until the figures are new and the
    site is drawn (read with the page's own clock), the same as noticed from here, the server's share and
    the component's debounce."""
    frame = s.map_drawn()
    s.wait_quiet()
    # hide the clustered facilities so a click lands on the map, not on a cluster bubble
    frame.locator(".leaflet-control-layers").first.hover()
    frame.locator(".leaflet-control-layers-overlays label", has_text=t("cov.layer.facilities", "zh")).locator(
        "input"
    ).uncheck()
    s.page.mouse.move(5, 5)
    s.wait_quiet()
    box = s.page.locator(MAP_FRAME).first.bounding_box()
    cx, cy = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55
    spots = [(cx + dx, cy + dy) for dy in (-120, -40, 40, 120) for dx in (-240, -120, 0, 120, 240)]
    prefix = t("cov.whatif.last", "zh", lon="", lat="").split("：")[0]
    last = s.page.get_by_text(prefix)
    out: dict[str, list[float]] = {"total": [], "observed": [], "server": [], "debounce": []}
    for k in range(clicks):
        before = last.first.text_content() if last.count() else ""
        leaflet = s.page.frame_locator(MAP_FRAME).first.locator(".leaflet-container")
        s.page.evaluate(WATCH_FIGURES, [prefix, before])
        leaflet.evaluate(WATCH_MAP, k + 1)
        n, sent = s.finished, len(s.sent)
        t0 = time.perf_counter()
        s.page.mouse.click(*spots[k % len(spots)])
        # only two page variables are read while waiting (no DOM queries competing with the page)
        while not (s.page.evaluate("window.__ra_figures") and leaflet.evaluate("() => window.__ra_drawn")):
            if time.perf_counter() - t0 > 60:
                raise SystemExit(
                    f"what-if click {k + 1}: no new figures and {k + 1} sites within 60 s (or the map frame was"
                    " replaced: a click must update the map, not rebuild it)"
                )
            s.page.wait_for_timeout(10)
        observed = time.perf_counter()
        figures = s.page.evaluate("window.__ra_figures")
        click, drawn = leaflet.evaluate("() => [window.__ra_click, window.__ra_drawn]")
        first_sent = next(x for x in s.sent[sent:] if x >= t0)
        finished = s.wait_finished(n + 1)
        out["total"].append((max(figures, drawn) - click) / 1000)
        out["observed"].append(observed - t0)
        out["server"].append(finished - first_sent)
        out["debounce"].append(first_sent - t0)
        print(
            f"[whatif] click {k + 1}: figures {(figures - click) / 1000:.3f} s, site drawn"
            f" {(drawn - click) / 1000:.3f} s (noticed here {observed - t0:.3f}; debounce"
            f" {first_sent - t0:.3f}, server run {finished - first_sent:.3f})",
            flush=True,
        )
        s.wait_quiet(300)
    return out


def _change(s: Session, page: str, i: int) -> None:
    """One widget change on ``page`` (a different value each time)."""
    p = s.page
    if page == "overview":
        city = p.get_by_role("radio", name=t("extent.city", "zh")).first
        label = t("extent.province" if city.is_checked() else "extent.city", "zh")
        p.get_by_text(label, exact=True).first.click()
    elif page == "coverage":
        box = p.get_by_role("spinbutton", name=t("cov.radius", "zh")).first
        box.fill(f"{350 + 50 * (i % 6):.2f}")
        box.press("Enter")
    elif page == "renewal":
        slider = p.get_by_role("slider", name=t("crit.age_years", "zh")).first
        slider.focus()
        slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
    elif page == "health":
        p.get_by_text(t("hc.only_unlinked", "zh")).first.click()


def rerun(s: Session, page: str, changes: int) -> list[float]:
    """Seconds from a widget change to the run finished and the map drawn, ``changes`` times."""
    go(s, page)
    s.wait_quiet()
    if page == "renewal":
        s.page.get_by_role("tab", name=t("ren.tab.screen", "zh")).click()
    elif page == "health":
        s.page.get_by_role("tab", name=t("hc.tab.ledger", "zh")).click()
    times = []
    for i in range(changes):
        n = s.finished
        t0 = time.perf_counter()
        _change(s, page, i)
        s.wait_finished(n + 1)
        s.map_drawn()
        times.append(time.perf_counter() - t0)
        s.wait_quiet(300)
    print(f"[rerun] {page}: " + ", ".join(f"{x:.3f}" for x in times) + " s", flush=True)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--app-dir", type=Path, default=ROOT, help="checkout whose app.py is served")
    ap.add_argument("--clicks", type=int, default=10, help="what-if clicks (default 10)")
    ap.add_argument("--changes", type=int, default=3, help="widget changes per page (default 3)")
    ap.add_argument("--rounds", type=int, default=2, help="warm rounds of page switches (default 2)")
    ap.add_argument("--cold-starts", type=int, default=3, help="cold starts, the median printed (default 3)")
    ap.add_argument("--smoke", action="store_true", help="2 clicks, 1 change, 1 round, 1 cold start")
    args = ap.parse_args(argv)
    if args.smoke:
        args.clicks, args.changes, args.rounds, args.cold_starts = 2, 1, 1, 1
    if not Path(CHROMIUM).exists():
        raise SystemExit("Debian chromium is missing (make system-deps)")
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()[0]
    print(f"load average {os.getloadavg()}, {os.cpu_count()} cores; app: {args.app_dir}", flush=True)
    with (
        tempfile.TemporaryDirectory(prefix="browser_bench_") as tmp,
        open(Path(tmp) / "streamlit.log", "w") as log,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[a for a in FLAGS if a != "--headless"] + ["--disable-dev-shm-usage"],
        )
        colds, proc = [], None
        for _ in range(args.cold_starts):  # each a new server process and a new browser tab (no cache)
            if proc is not None:
                _stop(proc)
            page = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
            s = Session(page)
            proc, url, t0 = start_app(args.app_dir, tmp, log)
            ready = time.perf_counter() - t0
            page.goto(url, wait_until="domcontentloaded")
            loaded = time.perf_counter() - t0
            s.map_drawn(timeout_ms=120_000)
            colds.append(time.perf_counter() - t0)
            run_s = s.finished_at[0] - t0 if s.finished_at else float("nan")
            first = (s.sent[0] - t0) if s.sent else float("nan")
            print(
                f"[cold] process start → first map drawn {colds[-1]:.2f} s (server answering {ready:.2f}, page"
                f" loaded {loaded:.2f}, first message {first:.2f}, first run finished {run_s:.2f})",
                flush=True,
            )
        cold = statistics.median(colds)
        try:
            s.wait_quiet()
            order = ["coverage", "renewal", "health", "layout", "overview"]
            for p in order:  # first visits (cold caches): not counted
                print(f"[first visit] {p} {go(s, p):.2f} s", flush=True)
                s.wait_quiet()
            switches = []
            for _ in range(args.rounds):
                for p in order:
                    switches.append(go(s, p))
                    a, b, c = s.last_split
                    print(
                        f"[switch] → {p} {switches[-1]:.3f} s (click→sent {a:.3f}, server run {b:.3f}, "
                        f"run finished→map drawn {c:.3f})",
                        flush=True,
                    )
                    s.wait_quiet()
            go(s, "coverage")
            w = whatif(s, args.clicks)
            reruns = {p: rerun(s, p, args.changes) for p in ("overview", "coverage", "renewal", "health")}
        finally:
            if proc is not None:
                _stop(proc)
            browser.close()
        if s.errors:
            print(f"page errors: {s.errors[:5]}", flush=True)
    print(f"loadavg_1min={load:.2f}")
    print(f"cold_start_s={cold:.3f}")
    print(f"cold_start_max_s={max(colds):.3f}")
    print(f"page_switch_p50_s={statistics.median(switches):.3f}")
    print(f"page_switch_max_s={max(switches):.3f}")
    print(f"whatif_debounce_p50_s={statistics.median(w['debounce']):.3f}")
    print(f"whatif_server_p50_s={statistics.median(w['server']):.3f}")
    print(f"whatif_observed_p50_s={statistics.median(w['observed']):.3f}")
    for page_name, times in reruns.items():
        print(f"rerun_{page_name}_s={statistics.median(times):.3f}")
    print(f"whatif_p50_s={statistics.median(w['total']):.3f}")
    print(f"whatif_p95_s={pct(w['total'], 0.95):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
