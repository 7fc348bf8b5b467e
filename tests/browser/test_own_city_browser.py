"""A planner's own city in a real browser: create 章贡区 from the import page, import a kindergarten CSV and a
population raster (made here), open 生活圈覆盖 and see the coverage figure computed by hand."""

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import start_app, stop_app

pytestmark = pytest.mark.browser

UTM = "EPSG:32650"
CELL_M = 200.0
#: 4×4 cells of 200 m; one nodata (-1) and one zero cell
GRID = np.array(
    [
        [100, 200, 10, 20],
        [300, 400, -1, 30],
        [40, 0, 50, 60],
        [70, 80, 90, 1000],
    ],
    dtype="float32",
)
#: a kindergarten at the centre of cell (0, 0) reaches, within 300 m, the cells (0,0) 0 m, (0,1) and (1,0) 200 m,
#: (1,1) 283 m; the next ones are 400 m away
SERVED = 100 + 200 + 300 + 400
TOTAL = float(GRID[GRID > 0].sum())  # 2,450 persons; nodata and zero cells dropped


@pytest.fixture(scope="module")
def city_server(demo_gpkg, tmp_path_factory):
    """The app on an empty data folder (on the demo until the planner creates a city)."""
    proc, url, log = start_app(
        tmp_path_factory.mktemp("own-city-data"),
        tmp_path_factory.mktemp("own-city-server") / "streamlit.log",
        RENEWAL_LOCAL_USER="张工",
    )
    yield url
    stop_app(proc, log)


def _inputs(tmp_path):
    """The raster (UTM, north-up) inside 章贡区 and a CSV with one kindergarten at the centre of cell (0, 0)."""
    import geopandas as gpd
    import rasterio
    from affine import Affine
    from shapely.geometry import Point

    from geodata.workspace_new import districts_for_adcode

    district, _ = districts_for_adcode(360702)
    centre = district.to_crs(UTM).geometry.iloc[0].representative_point()
    x0, y0 = round(centre.x, -2), round(centre.y, -2)
    tif = tmp_path / "worldpop_zhanggong.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        height=4,
        width=4,
        count=1,
        dtype="float32",
        crs=UTM,
        transform=Affine(CELL_M, 0, x0, 0, -CELL_M, y0),
        nodata=-1,
    ) as dst:
        dst.write(GRID, 1)
    kg = gpd.GeoSeries([Point(x0 + CELL_M / 2, y0 - CELL_M / 2)], crs=UTM).to_crs(4326).iloc[0]
    far = gpd.GeoSeries([Point(x0 + 1800, y0 - 400)], crs=UTM).to_crs(4326).iloc[0]
    csv = tmp_path / "kindergartens.csv"
    pd.DataFrame(
        {
            "名称": ["章贡<b>幼儿园</b>", "远处幼儿园"],
            "类别": ["幼儿园", "幼儿园"],
            "lng": [round(kg.x, 7), round(far.x, 7)],
            "lat": [round(kg.y, 7), round(far.y, 7)],
        }
    ).to_csv(csv, index=False)
    return csv, tif


def _value(metric_text: str) -> str:
    """The figure of an st.metric as shown (the line after its label)."""
    return [line.strip() for line in metric_text.split("\n") if line.strip()][1]


def test_new_city_to_coverage(city_server, bpage, tmp_path):
    csv, tif = _inputs(tmp_path)
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(city_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="数据导入").first.click()
    # 新建城市工作空间: 章贡区 from the bundled boundaries
    page.get_by_text("新建城市工作空间").first.wait_for()
    place = page.get_by_role("combobox", name="地级市或区县")
    place.click()
    page.keyboard.type("360702")
    page.get_by_role("option", name="360702 章贡区").first.click()
    expect(page.get_by_role("textbox", name="工作空间名称")).to_have_value("章贡区", timeout=30_000)
    page.get_by_role("button", name="新建并切换").click()
    page.get_by_text("1 个区县").first.wait_for(timeout=60_000)
    # the facility CSV through the page's own flow
    page.locator("input[type=file]").first.set_input_files(str(csv))
    page.get_by_text("校验报告").first.wait_for(timeout=60_000)
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入 2 条到 公共服务设施").first.wait_for(timeout=60_000)
    # the population raster
    page.get_by_text("人口", exact=True).first.click()
    page.get_by_text("人口栅格 GeoTIFF").first.wait_for()
    page.locator("input[type=file]").first.set_input_files(str(tif))
    page.get_by_text("导入前核对").first.wait_for(timeout=60_000)
    total = page.locator("[data-testid='stMetric']", has_text="总人口（人）").first.inner_text()
    assert f"{TOTAL:,.0f}" in total
    bpage.screenshot("own_city_population_check_zh")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text(f"已导入 14 个人口点，总人口 {TOTAL:,.0f} 人").first.wait_for(timeout=60_000)
    # 生活圈覆盖: kindergartens, 300 m, straight line — the figure a person sees
    page.get_by_role("link", name="生活圈覆盖").first.click()
    served = page.locator("[data-testid='stMetric']", has_text="已覆盖人口").first
    served.wait_for(timeout=90_000)
    frame = bpage.map_frame()
    # no 社区 in a new city: the map is coloured by district and its legend says so
    frame.get_by_text("区县覆盖率（人口加权）").first.wait_for(timeout=30_000)
    assert frame.get_by_text("社区覆盖率").count() == 0
    assert _value(served.inner_text()) == f"{SERVED:,}"
    share = page.locator("[data-testid='stMetric']", has_text="覆盖率").first.inner_text()
    assert _value(share) == f"{SERVED / TOTAL * 100:.1f}%"  # 40.8%
    residents = page.locator("[data-testid='stMetric']", has_text="居住人口").first.inner_text()
    assert _value(residents) == f"{TOTAL:,.0f}"
    bpage.screenshot("own_city_coverage_zh")
