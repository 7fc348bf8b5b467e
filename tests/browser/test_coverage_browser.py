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


def _metric(page, label: str) -> int:
    """The number a metric labelled ``label`` shows (thousands separators dropped)."""
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return int(box.locator('[data-testid="stMetricValue"]').inner_text().replace(",", "").strip())


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
    served_before = _metric(bpage.page, "已覆盖人口")
    t0 = time.perf_counter()
    # where about 8,000 residents have no kindergarten within 300 m (clear of the layer control)
    _click_lonlat(bpage, frame, 115.8768, 28.6728)
    bpage.page.get_by_text("情景新增覆盖人口").first.wait_for(timeout=30_000)
    elapsed = time.perf_counter() - t0
    print(f"what-if shown {elapsed:.2f} s after the click")
    # the headline moved by what the panel says the site newly serves (an addition loses no one)
    newly = _metric(bpage.page, "情景新增覆盖人口")
    assert newly > 0 and _metric(bpage.page, "情景失去覆盖人口") == 0
    assert _metric(bpage.page, "已覆盖人口") == served_before + newly
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
    deadline = time.perf_counter() + 30
    while _metric(bpage.page, "已覆盖人口") == served_before + newly and time.perf_counter() < deadline:
        bpage.page.wait_for_timeout(100)
    # a second kindergarten serves at least the first's residents again; the headline follows the panel
    newly2 = _metric(bpage.page, "情景新增覆盖人口")
    assert newly2 > newly and _metric(bpage.page, "已覆盖人口") == served_before + newly2
    assert frame.locator(".leaflet-container").evaluate("() => window.__kept") == 42
    assert frame.locator(".leaflet-control-layers-overlays").inner_text().count("拟新增设施（情景）") == 1
    bpage.page.wait_for_timeout(1500)
    bpage.screenshot("coverage_whatif_zh")
