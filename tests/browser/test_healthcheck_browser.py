"""城市体检 page in a real browser: grade map, ledger, review."""

import pytest

pytestmark = pytest.mark.browser


def test_healthcheck_page(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="城市体检台账").first.click()
    page.get_by_text("城市体检：指标评价、问题台账与年度复查").first.wait_for()
    frame = bpage.map_frame()
    frame.get_by_text("未达标").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    bpage.screenshot("healthcheck_eval_zh")
    page.get_by_role("tab", name="问题台账").click()
    page.get_by_text("尚无项目").first.wait_for()
    page.get_by_role("tab", name="年度复查").click()
    page.get_by_text("两次体检之间完成的更新项目/地块").first.wait_for()
    page.wait_for_timeout(800)
    bpage.screenshot("healthcheck_review_zh")
