"""Two Streamlit replicas behind nginx on one throwaway PostGIS, driven by two chromium browsers.

Proves: each browser is pinned to one replica (X-Renewal-Replica header on the page, and nginx's access
log: every request carrying a route cookie — page, assets, the streamlit-folium component, the
/_stcore/stream websocket — went to that replica); the two browsers landed on different replicas; maps
render through nginx without console errors or requests leaving localhost; an edit made through each
replica is in the shared store and exactly once in the audit log.

Login: this topology requires it (``RENEWAL_LOGIN=required`` on every replica). Accounts are made with
``python cli.py users add NAME --role editor --db URL`` (password on stdin); each browser signs in through the
用户名 / 密码 form and every edit is recorded under that account.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect

from deploy.cluster import REPLICA_HEADER, Cluster, route
from geodata.paths import DEMO_GPKG, REPO_ROOT
from geodata.stores import PostGISProjectStore, seed_demo_library
from tests.browser.conftest import BrowserPage, _require_chromium
from tests.geodata.stores.conftest import fresh_postgis
from tests.server.conftest import require_nginx

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

USERS = {"zhang_gong": "Ra-test-pw-1!", "li_gong": "Ra-test-pw-2!"}
# a note a planner might paste: markup, a spreadsheet formula, CJK
HOSTILE = '<img src=x onerror="alert(1)"> =HYPERLINK("http://evil") 备注'


def add_user(db_url: str, name: str, password: str) -> None:
    """Create an editor account through the CLI (password on stdin)."""
    p = subprocess.run(
        [sys.executable, "cli.py", "users", "add", name, "--role", "editor", "--db", db_url],
        input=password + "\n",
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr


def log_in(page, name: str, password: str) -> None:
    """Sign in as a person does."""
    page.get_by_role("textbox", name="用户名", exact=True).fill(name)
    page.get_by_role("textbox", name="密码", exact=True).fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_test_id("stSidebar").get_by_text(name).first.wait_for(timeout=60_000)


def pick(page, label: str, text: str) -> None:
    """Choose the option containing ``text`` in the select box labelled ``label``."""
    page.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
    page.keyboard.type(text)
    page.get_by_role("option").filter(has_text=text).first.click()


@pytest.fixture
def cluster(pg_url, tmp_path):
    require_nginx()
    _require_chromium()
    fresh_postgis(pg_url)  # the session's PostGIS: other tests leave projects and accounts behind
    for name, password in USERS.items():
        add_user(pg_url, name, password)
    store = PostGISProjectStore(pg_url)
    seed_demo_library(store, DEMO_GPKG)
    env = {"RENEWAL_LOGIN": "required", "RENEWAL_DATA_DIR": str(tmp_path / "data")}
    with Cluster(pg_url, replicas=2, run_dir=tmp_path / "run", env=env) as c:
        yield c, store


def _browsers_on_two_replicas(browser, url: str):
    """Open browser contexts until two landed on different replicas (nginx draws one per new browser)."""
    chosen: dict[str, BrowserPage] = {}
    for _ in range(16):  # P(all 16 on one replica) = 2**-15
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        bp = BrowserPage(context.new_page())
        dialogs = []
        bp.page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
        bp.dialogs = dialogs
        response = bp.page.goto(url, wait_until="domcontentloaded")
        replica = response.headers[REPLICA_HEADER.lower()]
        cookie = {c["name"]: c["value"] for c in context.cookies()}.get("ra_route")
        assert cookie == replica, (cookie, replica)
        if replica in chosen:
            context.close()
            continue
        chosen[replica] = bp
        if len(chosen) == 2:
            return chosen
    pytest.fail(f"every browser landed on {list(chosen)}")


def _open_library(bp: BrowserPage) -> None:
    page = bp.page
    page.get_by_role("link", name="更新地块与项目库").first.click()
    page.get_by_text("城市更新地块、候选筛选与项目库").first.wait_for(timeout=60_000)
    page.get_by_role("tab", name="项目库").click()
    page.get_by_text("显示 60 / 60 个项目").first.wait_for(timeout=60_000)


def _access_log(cluster, offset: int = 0) -> list[dict]:
    pattern = re.compile(r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) route_cookie=(?P<cookie>\S+) '
                         r"route=(?P<route>\S+) upstream=(?P<upstream>.+?) rt=")  # fmt: skip
    with open(cluster.run_dir / "logs" / "access.log", encoding="utf-8") as f:
        f.seek(offset)
        text = f.read()
    return [m.groupdict() for m in pattern.finditer(text)]


def test_two_replicas_behind_nginx_share_one_store(cluster, browser):
    c, store = cluster
    projects = store.list()["project_id"].tolist()
    targets = {route(0): projects[0], route(1): projects[-1]}
    notes = {r: f"{HOSTILE} {r}-{time.time_ns()}" for r in targets}
    log_start = (c.run_dir / "logs" / "access.log").stat().st_size  # after the start-up health checks
    sessions = _browsers_on_two_replicas(browser, c.url)
    names = dict(zip(sorted(sessions), USERS))
    try:
        # both sessions open side by side: log in, see the overview map, load their project
        for r, bp in sorted(sessions.items()):
            log_in(bp.page, names[r], USERS[names[r]])
            bp.map_frame(timeout_ms=120_000)
            _open_library(bp)
            bp.map_frame(timeout_ms=120_000)  # the project map (streamlit-folium through nginx)
            pick(bp.page, "选择项目", targets[r])
            # the form is redrawn for the picked project (the old one gone) before anything is typed into it
            name_box = bp.page.locator("input[aria-label='名称']:visible")
            expect(name_box).to_have_count(1, timeout=60_000)
            expect(name_box).to_have_value(store.get(targets[r])["name"], timeout=60_000)
            bp.page.locator("textarea[aria-label='备注']:visible").fill(notes[r])
        # then each saves through its own replica
        for r, bp in sorted(sessions.items()):
            bp.page.get_by_role("button", name="保存修改").click()
            bp.page.get_by_text("已保存（版本 2）").first.wait_for(timeout=60_000)
            bp.screenshot(f"cluster_{r}_saved")
        for bp in sessions.values():
            assert "ra_route" not in bp.page.evaluate("() => document.cookie")  # the route cookie is HttpOnly
            bp.assert_offline()
            bp.assert_no_console_errors()
            assert not bp.dialogs, bp.dialogs
    except Exception:
        for r, bp in sessions.items():
            bp.screenshot(f"cluster_{r}_failure")
        raise
    finally:
        for bp in sessions.values():
            bp.page.context.close()

    # every edit is in the shared store, and exactly once in the audit log, by the person who made it
    audit = store.audit()
    for r, pid in targets.items():
        assert store.get(pid)["notes"] == notes[r]
        assert store.get(pid)["version"] == 2
        rows = audit[(audit["new_value"] == notes[r])]
        assert len(rows) == 1, rows
        row = rows.iloc[0]
        assert (row["project_id"], row["field"], row["action"], row["editor"]) == (
            pid,
            "notes",
            "update",
            names[r],
        )
    assert len(audit[audit["editor"].isin(list(USERS))]) == 2  # nothing else was written by the two

    # stickiness, from nginx's own log: a request with a route cookie went to that replica, every time —
    # the websocket included (logged when it closes, so wait for it)
    ports = {route(i): f"127.0.0.1:{p}" for i, p in enumerate(c.ports)}
    deadline = time.time() + 30
    while True:
        log = _access_log(c, log_start)
        streams = {e["cookie"] for e in log if e["uri"].startswith("/_stcore/stream")}
        if streams >= set(ports) or time.time() > deadline:
            break
        time.sleep(0.5)
    assert streams >= set(ports), f"websocket of each replica not logged: {streams}"
    for r, addr in ports.items():
        mine = [e for e in log if e["cookie"] == r]
        assert {e["upstream"] for e in mine} == {addr}, [e for e in mine if e["upstream"] != addr][:5]
        uris = " ".join(e["uri"] for e in mine)
        assert "/component/streamlit_folium" in uris  # the map component's assets came from the same replica
