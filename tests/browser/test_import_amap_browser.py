"""Import page in a real browser: an AMap POI export recognised (GCJ-02 → WGS84 said), unmapped codes listed,
problem rows dropped, imported; the same file again changes nothing (created 0, unchanged N)."""

import pandas as pd
import pytest

pytestmark = pytest.mark.browser

COLS = ["id", "name", "type", "typecode", "address", "location", "pname", "cityname", "adname"]


def _upload_and_import(bpage, url, csv):
    page = bpage.page
    page.goto(url, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="数据导入").first.click()
    page.get_by_text("数据导入：设施、小区与更新地块").first.wait_for()
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_text("识别为高德 POI 导出（4 条），已由 GCJ-02 转为 WGS84。").first.wait_for(timeout=60_000)
    page.get_by_text("1 条的分类编码未对应任何设施类型").first.wait_for(timeout=60_000)
    page.get_by_role("heading", name="校验报告").first.wait_for()
    page.get_by_role("radiogroup").last.get_by_text("删除有问题的行后导入").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="确认导入").click()


def test_amap_export_imported_then_reimported(real_server, bpage, tmp_path):
    csv = tmp_path / "高德POI.csv"
    rows = [
        [
            "BRT01",
            "浏览器幼儿园",
            "科教文化服务;学校;幼儿园",
            "141204",
            "",
            "115.9121,28.6843",
            "江西省",
            "南昌市",
            "",
        ],
        [
            "BRT02",
            "浏览器小学",
            "科教文化服务;学校;小学",
            "141203",
            "",
            "115.9021,28.6803",
            "江西省",
            "南昌市",
            "",
        ],
        [
            "BRT03",
            "浏览器社区卫生服务中心",
            "医疗保健服务;综合医院;综合医院",
            "090100",
            "",
            "115.9221,28.6903",
            "江西省",
            "南昌市",
            "",
        ],
        [
            "BRT04",
            '=HYPERLINK("http://x")<img src=x onerror=alert(1)>大学',
            "<img src=x onerror=alert(2)>;学校",
            "141201",
            "",
            "115.9321,28.6953",
            "",
            "",
            "",
        ],
    ]
    pd.DataFrame(rows, columns=COLS).to_csv(csv, index=False)
    dialogs = []
    bpage.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _upload_and_import(bpage, real_server, csv)
    bpage.page.get_by_text("新增 3 条，更新 0 条，未变 0 条").first.wait_for(timeout=60_000)
    assert not dialogs  # the hostile AMap category / name shown in the tables ran no script
    bpage.screenshot("import_amap_done_zh")
    _upload_and_import(bpage, real_server, csv)
    bpage.page.get_by_text("新增 0 条，更新 0 条，未变 3 条").first.wait_for(timeout=60_000)
    bpage.assert_no_console_errors()
