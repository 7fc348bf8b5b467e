"""Import page in a real browser: an AMap-exported CSV, GCJ-02 confirmed, categories mapped, imported."""

import pandas as pd
import pytest

pytestmark = pytest.mark.browser


def test_import_amap_csv(real_server, bpage, tmp_path):
    csv = tmp_path / "amap_facilities.csv"
    pd.DataFrame(
        {
            "名称": ["<script>alert(1)</script>", "乙卫生服务站", "丙幼儿园"],
            "类别": ["幼儿园", "社区卫生服务站", "幼儿园"],
            "lng": [115.9, 115.91, 115.92],
            "lat": [28.68, 28.69, 28.695],
        }
    ).to_csv(csv, index=False)
    page = bpage.page
    page.goto(real_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="数据导入").first.click()
    page.get_by_text("数据导入：设施、小区与更新地块").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_text("文件名或字段名提示为 GCJ02 坐标").first.wait_for(timeout=60_000)
    bpage.map_frame()
    page.get_by_text("校验报告").first.wait_for()
    page.wait_for_timeout(1000)
    bpage.screenshot("import_report_zh")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入 3 条到 公共服务设施").first.wait_for(timeout=60_000)
    bpage.screenshot("import_done_zh")
