"""Layout page in a real browser: click a city on the map and read its role; English labels."""

import pytest

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
    bpage.page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    bpage.page.get_by_role("link", name=nav_label).first.click()


def test_click_city_shows_role(app_server, bpage):
    _open_layout_page(app_server, bpage)
    bpage.page.get_by_text("一圈两带四群：江西省城镇开发格局").first.wait_for()
    frame = bpage.map_frame()
    frame.get_by_text("南昌都市圈").first.wait_for()
    bpage.page.wait_for_timeout(1000)
    _click_lonlat(bpage, frame, 114.95, 25.3)  # inside 赣州市
    bpage.page.get_by_text("对接服务粤港澳大湾区桥头堡").first.wait_for(timeout=30_000)
    bpage.page.get_by_role("heading", name="赣州市").wait_for()
    bpage.page.wait_for_timeout(1000)
    bpage.screenshot("layout_zh_ganzhou")


def test_layout_in_english(app_server, bpage):
    _open_layout_page(app_server, bpage)
    bpage.page.get_by_text("一圈两带四群：江西省城镇开发格局").first.wait_for()
    bpage.page.get_by_text("English").first.click()
    bpage.page.get_by_text("One circle, two belts, four clusters").first.wait_for()
    frame = bpage.map_frame()
    frame.get_by_text("Nanchang metropolitan circle").first.wait_for(timeout=60_000)
    bpage.page.wait_for_timeout(1500)
    bpage.screenshot("layout_en")
