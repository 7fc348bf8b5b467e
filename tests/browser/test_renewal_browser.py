"""Renewal page in a real browser: move a weight, promote the top parcel, see it in the library."""

import pytest

pytestmark = pytest.mark.browser


def test_screen_and_promote(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="更新地块与项目库").first.click()
    page.get_by_text("城市更新地块、候选筛选与项目库").first.wait_for()
    bpage.map_frame()
    page.wait_for_timeout(1000)
    bpage.screenshot("renewal_parcels_zh")
    page.get_by_label("编辑人（用于项目库修改记录）").fill("张工")
    page.get_by_label("编辑人（用于项目库修改记录）").press("Enter")
    page.get_by_role("tab", name="候选筛选").click()
    slider = page.get_by_role("slider", name="安全隐患（危房等级/预制板）").first
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_timeout(2000)
    page.get_by_text("为什么排在第 1 位").first.wait_for()
    page.get_by_role("button", name="纳入项目库").last.click()
    page.get_by_text("已纳入项目库").first.wait_for(timeout=30_000)
    bpage.screenshot("renewal_screening_zh")
    page.get_by_role("tab", name="项目库").click()
    page.get_by_text("项目库汇总（按状态 × 类别）").first.wait_for()
    page.wait_for_timeout(1000)
    bpage.screenshot("renewal_library_zh")
