"""Browser-test harness: a live ``streamlit run`` on a free port + Playwright driving Debian chromium.

Every test fails on a console error or on any request to a host other than localhost (offline-first).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geodata.paths import REPO_ROOT
from reports.render import FLAGS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
CHROMIUM_ARGS = [a for a in FLAGS if a != "--headless"] + ["--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _require_chromium():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("Debian chromium not installed (make test installs it)")


def start_app(data_dir, log_path, **env_extra):
    """Start ``python serve.py`` (``streamlit run app.py``, as ``make run``) on a free 127.0.0.1 port; return ``(process, base URL, log file)``."""
    port = _free_port()
    env = dict(os.environ, RENEWAL_DATA_DIR=str(data_dir), **env_extra)
    log = open(log_path, "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "serve.py",  # what make run starts: streamlit run app.py, the first view prepared as it starts
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url, log
        except OSError:
            time.sleep(0.5)
    proc.kill()
    pytest.fail(f"streamlit did not start; see {log.name}")


def stop_app(proc, log) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def app_server(demo_gpkg, tmp_path_factory):
    """Base URL of ``streamlit run app.py`` on a free localhost port (stopped at the end): the single-planner
    mode of ``make run``, changes recorded as the local planner 张工."""
    proc, url, log = start_app(
        tmp_path_factory.mktemp("browser-data"),
        tmp_path_factory.mktemp("server") / "streamlit.log",
        RENEWAL_LOCAL_USER="张工",
    )
    yield url
    stop_app(proc, log)


@pytest.fixture(scope="session")
def real_server(demo_gpkg, tmp_path_factory):
    """Like :func:`app_server`, on a copy of the demo city marked as the planner's own data
    (``RENEWAL_WORKSPACE``): imports refuse the synthetic demo, so upload tests run here."""
    import shutil

    import pandas as pd
    import pyogrio

    from geodata.workspace import read_metadata

    path = tmp_path_factory.mktemp("real-city") / "real_city.gpkg"
    shutil.copyfile(demo_gpkg, path)
    meta = read_metadata(path) | {"synthetic": "false"}
    table = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
    pyogrio.write_dataframe(table, path, layer="metadata", driver="GPKG")
    proc, url, log = start_app(
        tmp_path_factory.mktemp("browser-real-data"),
        tmp_path_factory.mktemp("server-real") / "streamlit.log",
        RENEWAL_LOCAL_USER="张工",
        RENEWAL_WORKSPACE=str(path),
    )
    yield url
    stop_app(proc, log)


class BrowserPage:
    """A Playwright page that records requests and console errors."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.external: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e} {getattr(e, 'stack', '')}"[:600]))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        page.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        self.requests.append(url)
        parsed = urlparse(url)
        if parsed.scheme in ("http", "https", "ws", "wss") and parsed.hostname not in LOCAL_HOSTS:
            self.external.append(url)
            route.abort()
        else:
            route.continue_()

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_offline(self):
        assert not self.external, f"requests outside localhost: {self.external[:10]}"

    def assert_no_console_errors(self):
        assert not self.errors, f"console errors: {self.errors[:10]}"

    def set_layer(self, frame, name: str, checked: bool) -> None:
        """Tick or untick a layer in the (folded) layer control, as a person does: hover, then click."""
        frame.locator(".leaflet-control-layers").first.hover()
        box = frame.locator(".leaflet-control-layers-overlays label", has_text=name).locator("input")
        box.check() if checked else box.uncheck()
        self.page.mouse.move(5, 5)

    def map_frame(self, timeout_ms: int = 60_000):
        """The Leaflet map inside the first st_folium iframe, once its vector layers are drawn."""
        selector = "iframe[title*='st_folium'] >> visible=true"
        self.page.locator(selector).first.wait_for(timeout=timeout_ms)
        frame = self.page.frame_locator(selector).first
        frame.locator(".leaflet-container").wait_for(timeout=timeout_ms)
        frame.locator(".leaflet-overlay-pane canvas, .leaflet-overlay-pane path").first.wait_for(
            timeout=timeout_ms
        )
        return frame


def launch_browser():
    """One headless Debian chromium for the whole session (the ``browser`` fixture of tests/conftest.py:
    Playwright's sync API allows one running instance per process, so every test directory shares it)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def bpage(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    bp = BrowserPage(page)
    yield bp
    context.close()
    bp.assert_offline()
    bp.assert_no_console_errors()
