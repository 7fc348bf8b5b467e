"""方案比选 in a real browser, Chinese then English: the per-district figure a planner reads in the table."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from geodata.stores import SQLiteProjectStore
from geodata.workspace import load_workspace
from layers.coverage import build_model
from layers.pipelines import metric
from tests.browser.conftest import start_app, stop_app

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="alert(1)">'
SITES = [(115.876314, 28.671075), (115.912668, 28.672488)]  # two kindergartens the siting page proposes


@pytest.fixture(scope="module")
def scen_server(demo_gpkg, tmp_path_factory):
    data = tmp_path_factory.mktemp("scen-data")
    added = [
        {"type": "kindergarten", "name": f"新园 {i}", "lon": x, "lat": y} for i, (x, y) in enumerate(SITES, 1)
    ]
    added[0]["name"] = HOSTILE  # shown in the map tooltip of the added site
    store = SQLiteProjectStore(data / "demo_projects.sqlite")
    store.save_scenario({"name": "两处新幼儿园", "added": added}, editor="王工")
    # listed in the saved-scenarios table and the A/B pickers (bpage fails on any request it would make)
    store.save_scenario(
        {"name": "乙" + HOSTILE, "description": HOSTILE, "removed": ["F00001"]}, editor="王工"
    )
    proc, url, log = start_app(
        data, tmp_path_factory.mktemp("scen-log") / "streamlit.log", RENEWAL_LOCAL_USER="张工"
    )
    yield url
    stop_app(proc, log)


def expected_by_district(demo_gpkg) -> pd.Series:
    ws = load_workspace(demo_gpkg)
    cells, fac = metric(ws, "population_cells"), metric(ws, "facilities")
    new = gpd.GeoDataFrame(
        {"facility_id": ["N1", "N2"], "type": ["kindergarten"] * 2},
        geometry=[Point(p) for p in SITES],
        crs=4326,
    ).to_crs(fac.crs)
    cat, pop = load_catalogue(), cells["population"].to_numpy()
    before = build_model(cells, fac, catalogue=cat, types=["kindergarten"]).served("kindergarten")
    after = build_model(cells, pd.concat([fac, new]), catalogue=cat, types=["kindergarten"]).served(
        "kindergarten"
    )
    gained = pd.Series(pop * (after & ~before)).groupby(cells["district_adcode"].to_numpy()).sum()
    names = ws["districts"].set_index("adcode")
    return pd.DataFrame(
        {"zh": names["name_zh"], "en": names["name_en"], "gained": gained.round().astype(int)}
    )


def _settle(page, seconds=120):
    import time

    deadline, last, same = time.time() + seconds, None, 0
    while time.time() < deadline and same < 3:
        page.wait_for_timeout(1000)
        text = page.locator("[data-testid='stMain']").inner_text()
        running = page.locator("[data-testid='stStatusWidget']").count()
        same = same + 1 if (text == last and not running) else 0
        last = text


def _row(page, district: str) -> str:
    return page.locator("[data-testid='stTable'] tr", has_text=district).first.inner_text()


def test_scenarios_page_district_figure_zh_and_en(scen_server, bpage, demo_gpkg):
    expected = expected_by_district(demo_gpkg)
    best = expected.sort_values("gained").iloc[-1]
    assert best["gained"] > 0
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(scen_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="方案比选").first.click()
    page.get_by_text("分区对比").first.wait_for(timeout=120_000)
    _settle(page)
    assert f"{best['gained']:,}" in _row(page, best["zh"])
    assert "两处新幼儿园 比 现状（全部设施） 多覆盖" in page.locator("[data-testid='stMain']").inner_text()
    saved = page.locator("[data-testid='stTable']", has_text="最后修改人").first
    saved.wait_for(timeout=120_000)
    assert '乙<img src=x onerror="alert(1)">' in saved.inner_text()  # shown as text, no markup
    bpage.screenshot("scenarios_browser_zh")
    page.locator("section[data-testid='stSidebar']").get_by_text("English", exact=True).click()
    page.get_by_text("By district").first.wait_for(timeout=120_000)
    _settle(page)
    row = _row(page, best["en"])
    assert f"{best['gained']:,}" in row
    main = page.locator("[data-testid='stMain']").inner_text()
    assert "Today (all facilities)" in main and "现状" not in main
    bpage.screenshot("scenarios_browser_en")
