"""Coverage page in a real browser: click the map to add a kindergarten, residents newly served appear."""

import time

import pytest

from tests.browser.test_layout_browser import _click_lonlat

pytestmark = pytest.mark.browser

#: the proposed-site dots on the map (drawn on canvas, so counted through Leaflet)
PROPOSED = (
    "() => (window.feature_group || []).filter(g => window.map.hasLayer(g)).flatMap(g => g.getLayers())"
    ".filter(m => m.options && m.options.fillColor === '#d7191c').length"
)


def test_click_adds_what_if_site(app_server, bpage):
    bpage.page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    bpage.page.get_by_role("link", name="生活圈覆盖").first.click()
    bpage.page.get_by_text("15/10/5 分钟生活圈设施覆盖与服务缺口").first.wait_for()
    frame = bpage.map_frame()
    frame.get_by_text("社区覆盖率（人口加权）").first.wait_for(timeout=60_000)
    bpage.page.wait_for_timeout(1500)
    bpage.screenshot("coverage_zh")
    # hide the clustered markers so the click lands on the map, not on a cluster bubble
    bpage.set_layer(frame, "现有设施", checked=False)
    # a mark in the map's window: it survives only if the click does not rebuild or reload the map
    frame.locator(".leaflet-container").evaluate("() => { window.__kept = 42; }")
    t0 = time.perf_counter()
    _click_lonlat(bpage, frame, 115.87, 28.66)  # clear of the layer control
    bpage.page.get_by_text("情景新增覆盖人口").first.wait_for(timeout=30_000)
    elapsed = time.perf_counter() - t0
    print(f"what-if shown {elapsed:.2f} s after the click")
    frame = bpage.map_frame()
    frame.get_by_text("拟新增设施（情景）").first.wait_for(state="attached", timeout=60_000)
    # the proposed site is drawn (one red dot) on the same map object, listed in its layer control
    assert frame.locator(".leaflet-container").evaluate(PROPOSED) == 1
    assert frame.locator(".leaflet-container").evaluate("() => window.__kept") == 42
    names = frame.locator(".leaflet-control-layers-overlays").inner_text()
    assert names.count("拟新增设施（情景）") == 1 and "情景后覆盖率变化的社区" in names
    # a second click: still the same map, two sites, each layer listed once
    _click_lonlat(bpage, frame, 115.95, 28.70)
    deadline = time.perf_counter() + 30
    while frame.locator(".leaflet-container").evaluate(PROPOSED) != 2 and time.perf_counter() < deadline:
        bpage.page.wait_for_timeout(100)
    assert frame.locator(".leaflet-container").evaluate(PROPOSED) == 2
    assert frame.locator(".leaflet-container").evaluate("() => window.__kept") == 42
    assert frame.locator(".leaflet-control-layers-overlays").inner_text().count("拟新增设施（情景）") == 1
    bpage.page.wait_for_timeout(1500)
    bpage.screenshot("coverage_whatif_zh")
