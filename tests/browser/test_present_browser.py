"""Presentation mode in a real browser: full screen, next slide by the → key, offline."""

import pytest

pytestmark = pytest.mark.browser


def test_present_with_keyboard(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="会议演示与导出").first.click()
    page.get_by_role("button", name="开始全屏演示").click()
    page.get_by_role("heading", name="一圈两带四群：全省格局").wait_for(timeout=60_000)
    page.locator("section[data-testid='stSidebar']").wait_for(state="hidden", timeout=20_000)
    page.frame_locator("iframe").first.locator(".leaflet-container").wait_for(timeout=60_000)
    page.wait_for_timeout(2500)
    bpage.screenshot("present_slide1_zh")
    page.mouse.click(10, 300)  # focus the page (outside the map iframe)
    page.keyboard.press("ArrowRight")
    page.get_by_role("heading", name="幼儿园300米覆盖与服务缺口").wait_for(timeout=60_000)
    page.wait_for_timeout(2500)
    bpage.screenshot("present_slide2_zh")
