"""Layout page in a real browser: click a city on the map and read its role; hover a county and read its
prefecture and layout role; English labels; screenshots at 1920×1080."""

import pytest

from tests.browser.test_overview_browser import hover_tooltip, show_map

pytestmark = pytest.mark.browser


def _click_lonlat(bpage, frame, lon: float, lat: float):
    """Click the map at a WGS84 position (uses the page's Leaflet map to find the pixel)."""
    box = bpage.page.locator("iframe[title*='st_folium'] >> visible=true").first.bounding_box()
    xy = frame.locator(".leaflet-container").evaluate(
        "(el, ll) => { const m = window.map; const p = m.latLngToContainerPoint([ll[1], ll[0]]);"
        " const r = el.getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }",
        [lon, lat],
    )
    bpage.page.mouse.click(box["x"] + xy[0], box["y"] + xy[1])


def _open_layout_page(app_server, bpage, nav_label: str = "省域格局"):
    # via the sidebar navigation: deep links make Streamlit probe <page>/_stcore/* (404s by design)
    bpage.page.set_viewport_size({"width": 1920, "height": 1080})
    bpage.page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    bpage.page.get_by_role("link", name=nav_label).first.click()


def test_click_city_shows_role(app_server, bpage):
    _open_layout_page(app_server, bpage)
    bpage.page.get_by_text("一圈两带四群：江西省城镇开发格局").first.wait_for()
    frame = bpage.map_frame()
    frame.locator(".ra-legend").get_by_text("南昌都市圈").first.wait_for()
    # every prefecture seat is labelled
    frame.locator(".ra-label-seat").first.wait_for(timeout=20_000)
    seats = set(frame.locator(".ra-label-seat").all_inner_texts())
    assert {"南昌市", "赣州市", "吉安市", "景德镇市"} <= seats, seats
    bpage.page.wait_for_timeout(1000)
    # hover inside 进贤县: county, its prefecture and its layout role (not a cluster or the province)
    text = hover_tooltip(bpage, frame, 116.27, 28.38)
    assert "进贤县" in text and "南昌市" in text and "南昌都市圈" in text, text
    bpage.screenshot("layout_zh_hover_county")
    _click_lonlat(bpage, frame, 114.95, 25.3)  # inside 赣州市
    bpage.page.get_by_text("对接服务粤港澳大湾区桥头堡").first.wait_for(timeout=30_000)
    bpage.page.get_by_role("heading", name="赣州市").wait_for()
    bpage.page.wait_for_timeout(1500)
    show_map(bpage)
    bpage.screenshot("layout_zh_ganzhou")


def test_layout_in_english(app_server, bpage):
    _open_layout_page(app_server, bpage)
    bpage.page.get_by_text("一圈两带四群：江西省城镇开发格局").first.wait_for()
    bpage.page.get_by_text("English").first.click()
    bpage.page.get_by_text("One circle, two belts, four clusters").first.wait_for()
    frame = bpage.map_frame()
    frame.locator(".ra-legend").get_by_text("Nanchang metropolitan circle").first.wait_for(timeout=60_000)
    frame.locator(".ra-label-seat").first.wait_for(timeout=20_000)
    seats = set(frame.locator(".ra-label-seat").all_inner_texts())
    assert "Ganzhou" in " ".join(seats) and not any("市" in s for s in seats), seats
    text = hover_tooltip(bpage, frame, 114.234, 25.657)  # 崇义县 (south-west, clear of the legend)
    assert "Chongyi" in text and "Ganzhou" in text and "Southern Jiangxi cluster" in text, text
    bpage.screenshot("layout_en_hover_county")
    bpage.page.mouse.move(5, 5)
    bpage.page.wait_for_timeout(1500)
    bpage.screenshot("layout_en")
