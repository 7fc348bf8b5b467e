"""Hostile text in a real browser: column names and values of an uploaded file, project names in the library,
a linked project in the 城市体检 ledger and saved-view titles in the meeting mode.

Every page that shows user data gets payloads that would run script (``<img src=x onerror=...>``, a
``${...}`` template-literal expression), load an outside image (``<img src=http://evil.invalid/...>``,
markdown ``![x](http://evil.invalid/...)``) or open a dialog. Tooltips are opened (mouse over a feature, and
every tooltip of every map through Leaflet) so the hover text is really rendered. A test fails on any dialog,
on ``window.__xss`` set in the page or any frame, and on any attempted request outside localhost (the
``bpage`` harness aborts and records those).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.browser.conftest import start_app, stop_app

pytestmark = pytest.mark.browser

XSS = "<img src=x onerror=window.__xss=1>"
REQ = "<img src=http://evil.invalid/h.png>"
MD = "![m](http://evil.invalid/m.png)"
TPL = "${window.__xss=2}"
ALERT = "<svg/onload=alert(1)>"
#: folium/branca compile rendered map output as Jinja: evaluated on the server this would print zqzqzq
JINJA = "{{ 'zq' * 3 }}{% if 1 %}"
HOSTILE = f"{XSS}{REQ}{MD}{TPL}{ALERT}{JINJA}"

#: open every tooltip of every Leaflet map in this frame (runs each tooltip's content function)
OPEN_TOOLTIPS = """() => {
  if (!window.L) { return 0; }
  let n = 0;
  for (const k of Object.keys(window)) {
    const m = window[k];
    if (!(m instanceof window.L.Map)) { continue; }
    m.eachLayer((l) => {
      if (!(l.getTooltip && l.getTooltip())) { return; }
      try {
        if (l.eachLayer) {
          let i = 0;
          l.eachLayer((c) => {
            if (i++ >= 80) { return; }
            const ll = c.getLatLng ? c.getLatLng() : c.getBounds().getCenter();
            c.fire("mouseover", {latlng: ll}, true);  // what a hover does: propagates to the group's tooltip
            n++;
          });
        } else { l.openTooltip(); n++; }
      } catch (e) { /* a layer not on the map */ }
    });
  }
  return n;
}"""

#: container point of the first feature that has a tooltip (for a real mouse hover)
FIRST_FEATURE = """() => {
  for (const k of Object.keys(window)) {
    const m = window[k];
    if (!(window.L && m instanceof window.L.Map)) { continue; }
    let found = null;
    m.eachLayer((l) => {
      if (found || !(l.getTooltip && l.getTooltip() && l.eachLayer)) { return; }
      l.eachLayer((c) => {
        if (found) { return; }
        const ll = c.getLatLng ? c.getLatLng() : c.getBounds().getCenter();
        found = m.latLngToContainerPoint(ll);
      });
    });
    if (found) { return [found.x, found.y]; }
  }
  return null;
}"""


@pytest.fixture(scope="module")
def hostile_server(demo_gpkg, tmp_path_factory):
    """The app on the demo workspace with its own data folder: every library project and both saved views
    carry hostile names (kept apart from the shared ``app_server``, whose library other tests count)."""
    from geodata.stores import SQLiteProjectStore, seed_demo_library

    data = tmp_path_factory.mktemp("xss-data")
    store = SQLiteProjectStore(data / "demo_projects.sqlite")
    seed_demo_library(store, demo_gpkg)
    for row in store.list().itertuples():
        store.update(row.project_id, {"name": HOSTILE}, expected_version=int(row.version), editor="张工")
    assert len(store.problem_links()) > 0  # the health-check ledger shows linked (hostile) projects
    (data / "views.json").write_text(
        json.dumps(
            [
                {"title": HOSTILE, "kind": "layout", "params": {}},
                {"title": MD + XSS, "kind": "renewal", "params": {"colour_by": "score"}},
            ],
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    proc, url, log = start_app(
        data, tmp_path_factory.mktemp("xss-server") / "streamlit.log", RENEWAL_LOCAL_USER=HOSTILE[:64]
    )
    yield url
    stop_app(proc, log)


@pytest.fixture
def guarded(bpage):
    """The harness page plus a dialog recorder (a dialog is dismissed and fails the test)."""
    dialogs: list[str] = []

    def on_dialog(d):
        dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    bpage.page.on("dialog", on_dialog)
    bpage.dialogs = dialogs
    return bpage


def _open_all_tooltips(page) -> int:
    n = 0
    for frame in page.frames:
        try:
            n += frame.evaluate(OPEN_TOOLTIPS)
        except Exception:  # a frame without maps that went away while we looked
            continue
    return n


def _hover_first_feature(page) -> bool:
    """Move the mouse over the first feature of the visible st_folium map, as a person does."""
    iframe = page.locator("iframe[title*='st_folium'] >> visible=true").first
    iframe.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    frame = iframe.element_handle().content_frame()
    point = frame.evaluate(FIRST_FEATURE) if frame else None
    box = iframe.bounding_box()
    if not point or not box:
        return False
    page.mouse.move(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_timeout(400)
    page.mouse.move(box["x"] + point[0] + 1, box["y"] + point[1] + 1)
    page.wait_for_timeout(600)
    return True


def _assert_clean(bp, where: str) -> None:
    page = bp.page
    page.wait_for_timeout(1500)  # let onerror handlers and image requests happen
    flags = []
    for frame in page.frames:
        try:
            flags.append(frame.evaluate("() => window.__xss === undefined ? null : String(window.__xss)"))
        except Exception:
            continue
    assert not [f for f in flags if f is not None], f"{where}: script ran (window.__xss = {flags})"
    for frame in page.frames:
        try:
            html = frame.content()
        except Exception:  # a frame that went away while we looked
            continue
        assert "zqzqzq" not in html, f"{where}: a name was evaluated as a Jinja template on the server"
    assert not bp.dialogs, f"{where}: dialogs opened: {bp.dialogs}"
    assert not bp.external, f"{where}: requests outside localhost: {bp.external[:5]}"
    bp.screenshot(f"xss_{where}")


def _go(page, bp, url: str, link: str, heading: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    bp.map_frame()
    page.get_by_role("link", name=link).first.click()
    page.get_by_text(heading).first.wait_for(timeout=60_000)


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_import_preview_with_hostile_columns_and_values(real_server, guarded, tmp_path, fmt):
    frame = pd.DataFrame(
        {
            HOSTILE: [HOSTILE, "乙卫生服务站"],
            XSS: ["幼儿园", HOSTILE],
            "lng": [115.90, 115.93],
            "lat": [28.68, 28.70],
        }
    )
    path = tmp_path / f"sites.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    else:
        features = [
            {
                "type": "Feature",
                "properties": {HOSTILE: r[HOSTILE], XSS: r[XSS]},
                "geometry": {"type": "Point", "coordinates": [r["lng"], r["lat"]]},
            }
            for _, r in frame.iterrows()
        ]
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    page = guarded.page
    _go(page, guarded, real_server, "数据导入", "数据导入：设施、小区与更新地块")
    page.locator("input[type=file]").set_input_files(str(path))
    guarded.map_frame()
    page.get_by_text("校验报告").first.wait_for(timeout=60_000)
    assert _hover_first_feature(page), "no feature with a tooltip to hover in the import preview"
    tip = page.frame_locator("iframe[title*='st_folium'] >> visible=true").first.locator(".leaflet-tooltip")
    tip.first.wait_for(timeout=10_000)
    assert XSS in tip.first.inner_text()  # the hostile column name is shown as text
    assert _open_all_tooltips(page) >= 2
    _assert_clean(guarded, f"import_{fmt}")


def test_renewal_library_with_hostile_project_names(hostile_server, guarded):
    page = guarded.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    _go(page, guarded, hostile_server, "更新地块与项目库", "城市更新地块、候选筛选与项目库")
    page.get_by_role("tab", name="项目库").click()
    page.get_by_text("显示 60 / 60 个项目").first.wait_for(timeout=60_000)
    page.wait_for_timeout(2500)
    assert _open_all_tooltips(page) > 0
    _assert_clean(guarded, "renewal_library")


def test_healthcheck_ledger_with_hostile_linked_projects(hostile_server, guarded):
    page = guarded.page
    _go(page, guarded, hostile_server, "城市体检台账", "城市体检：指标评价、问题台账与年度复查")
    page.get_by_role("tab", name="问题台账").click()
    page.wait_for_timeout(3000)
    _open_all_tooltips(page)
    _assert_clean(guarded, "healthcheck_ledger")


def test_present_with_hostile_view_titles(hostile_server, guarded):
    page = guarded.page
    _go(page, guarded, hostile_server, "会议演示与导出", "会议演示：预设视图")
    page.wait_for_timeout(2000)
    _assert_clean(guarded, "present_list")
    page.get_by_role("button", name="开始全屏演示").click()
    page.frame_locator("iframe").first.locator(".leaflet-container").wait_for(timeout=60_000)
    page.locator("[data-testid='stMain']").get_by_text(XSS).first.wait_for(timeout=30_000)  # shown as text
    page.wait_for_timeout(2000)
    _open_all_tooltips(page)
    _assert_clean(guarded, "present_slide1")
    page.mouse.click(10, 300)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(4000)
    _open_all_tooltips(page)
    _assert_clean(guarded, "present_slide2")
