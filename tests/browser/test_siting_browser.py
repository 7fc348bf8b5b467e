"""Siting page in a real browser: ten elderly day-care sites, coverage curve, sent to the library."""

import pytest

pytestmark = pytest.mark.browser


def test_siting_elderly_daycare(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="设施选址优化").first.click()
    page.get_by_text("设施选址优化：新增 k 处设施").first.wait_for()
    frame = bpage.map_frame()
    frame.get_by_text("推荐选址及服务范围").first.wait_for(state="attached", timeout=60_000)
    page.get_by_text("边际收益表（按加入顺序）").first.wait_for()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="作为拟建项目加入项目库").click()
    page.get_by_text("已加入项目库").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    bpage.screenshot("siting_zh")
