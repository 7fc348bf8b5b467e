"""指标填报 in a real browser: an override saved through the form shows as 人工填报 with its grade."""

import pytest

pytestmark = pytest.mark.browser


def test_record_override_and_catalogue(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="城市体检台账").first.click()
    page.get_by_text("城市体检：指标评价、问题台账与年度复查").first.wait_for()
    page.get_by_role("tab", name="指标填报").click()
    page.get_by_text("采用本产品计算值").first.wait_for(timeout=60_000)
    page.get_by_text("采用本产品计算值").first.click()
    value = page.get_by_label("指标值（栋）").first
    value.wait_for()
    value.fill("12")
    value.press("Enter")
    page.wait_for_timeout(800)
    page.get_by_role("button", name="保存记录").click()
    page.get_by_text("已保存。").first.wait_for(timeout=30_000)
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="存在结构安全隐患的住宅数量").first
    grid.get_by_text("人工填报（计算值 73）").first.wait_for(state="attached", timeout=30_000)  # canvas grid
    bpage.screenshot("records_override_zh")
    page.get_by_role("tab", name="国家指标目录").click()
    page.get_by_text("本产品可计算 16 项，缺数据 43 项").first.wait_for()
    bpage.screenshot("records_catalogue_browser_zh")
