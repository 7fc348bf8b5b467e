"""The shell in a real browser: language and editor survive page changes; the PDF button downloads a PDF;
presenting in English stays English and → advances; every page in both languages at 1920×1080 without
raw field names; a what-if click changes the served figure by exactly what the engine computes."""

import re

import pytest

from i18n import t
from tests.browser.test_layout_browser import _click_lonlat

pytestmark = pytest.mark.browser

PAGES = ("overview", "layout", "coverage", "renewal", "siting", "health", "scenarios", "import", "present")
NAV = {p: f"nav.{p}" for p in PAGES}
#: words that must never show in the Chinese UI (field names, code values)
RAW_FIELDS = (
    "project_id",
    "parcel_id",
    "facility_id",
    "community_id",
    "district_adcode",
    "parcel_type",
    "budget_wan",
    "served_share",
    "category",
    "status",
    "indicator",
    "count",
    "None",
    "nan",
    "row",
    "field",
    "problem",
    "hint",
    "euclidean",
    "Choose options",
    "Browse files",
    "Upload",
    "Drag and drop",
)
#: Chinese code values that must be translated in the English UI
CHINESE_CODES = ("储备", "谋划", "立项", "完工", "民生优先", "安全优先", "示例数据", "直线距离", "生活圈")


def _goto(bpage, app_server, page: str, lang: str):
    bpage.page.get_by_role("link", name=t(NAV[page], lang)).first.click()
    bpage.page.wait_for_timeout(400)


def _settle(bpage, timeout_s: float = 150.0):
    """Wait until the page stops changing: the main area's text is the same for three checks in a row
    (Streamlit streams a run's elements one by one) and no map iframe is still loading."""
    import time

    deadline, last, same = time.time() + timeout_s, None, 0
    while time.time() < deadline and same < 3:
        bpage.page.wait_for_timeout(1000)
        text = bpage.page.locator("[data-testid='stMain']").inner_text()
        running = bpage.page.locator("[data-testid='stStatusWidget']").count()
        same = same + 1 if (text == last and not running) else 0
        last = text


def _switch_language(bpage, lang: str):
    label = "English" if lang == "en" else "中文"
    bpage.page.locator("section[data-testid='stSidebar']").get_by_text(label, exact=True).click()
    _settle(bpage)


def _main_text(bpage) -> str:
    return bpage.page.locator("[data-testid='stMain']").inner_text()


def test_language_and_planner_survive_page_changes(app_server, bpage):
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    _switch_language(bpage, "en")
    page.get_by_role("heading", name="Renewal Atlas").wait_for()
    sidebar = page.locator("[data-testid='stSidebar']")
    for target in ("coverage", "health", "layout"):
        _goto(bpage, app_server, target, "en")
        _settle(bpage)
        text = _main_text(bpage)
        assert not re.search(r"[储谋立完]备|民生优先|示例数据", text), f"Chinese code words on {target}"
        assert (
            "Single-planner mode on this machine: changes are recorded as 张工 (admin)"
            in sidebar.inner_text()
        )
        assert page.get_by_role("link", name=t("nav.overview", "en")).first.is_visible()
    assert t("layout.title", "en") in _main_text(bpage)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_screenshot_without_raw_words(app_server, bpage, lang):
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    if lang == "en":
        _switch_language(bpage, "en")
    problems = []
    for name in PAGES:
        _goto(bpage, app_server, name, lang)
        _settle(bpage)
        text = _main_text(bpage)
        if lang == "zh":
            found = [w for w in RAW_FIELDS if re.search(rf"(?<![A-Za-z_]){re.escape(w)}(?![A-Za-z_])", text)]
        else:
            found = [w for w in CHINESE_CODES if w in text]
        if found:
            problems.append(f"{name}: {found}")
        bpage.screenshot(f"page_{name}_{lang}")
    assert not problems, "untranslated words on screen: " + "; ".join(problems)


def test_pdf_button_downloads_a_pdf(app_server, bpage):
    page = bpage.page
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    _goto(bpage, app_server, "present", "zh")
    page.get_by_role("button", name=t("pres.pdf", "zh")).click()
    ready = page.get_by_role("button", name=re.compile("下载简报 PDF"))
    ready.wait_for(timeout=180_000)
    assert "Traceback" not in _main_text(bpage)
    with page.expect_download(timeout=60_000) as info:
        ready.click()
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"


def test_presenting_in_english_stays_english(app_server, bpage):
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    _switch_language(bpage, "en")
    _goto(bpage, app_server, "present", "en")
    page.get_by_role("button", name=t("pres.start", "en")).click()
    page.get_by_role("heading", name="One circle, two belts, four clusters: the provincial layout").wait_for(
        timeout=60_000
    )
    page.frame_locator("iframe").first.locator(".leaflet-container").wait_for(timeout=60_000)
    titles = [
        "Kindergartens within 300 m: coverage and service gaps",
        "Renewal parcels: keep, retrofit or rebuild",
        "City health check: elderly day care coverage (communities)",
    ]
    for i, title in enumerate(titles, start=2):
        page.mouse.click(10, 300)  # focus the page, outside the map
        page.keyboard.press("ArrowRight")
        page.get_by_role("heading", name=title).wait_for(timeout=60_000)
        _settle(bpage)
        text = _main_text(bpage)
        assert t("pres.page", "en", i=i, n=4) in text
        assert not re.search(r"第 \d+ / \d+ 页|下一页|上一页", text), "Chinese chrome on an English slide"
        bpage.screenshot(f"present_en_slide{i}")


def test_what_if_click_changes_served_by_the_engine_amount(app_server, bpage, demo_ws):
    import geopandas as gpd

    from geodata.catalogue import load_catalogue
    from layers.coverage import headline, scenario
    from layers.crs import ANALYSIS_CRS
    from layers.pipelines import coverage_model

    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    _goto(bpage, app_server, "coverage", "zh")
    frame = bpage.map_frame()
    frame.get_by_text("社区覆盖率（人口加权）").first.wait_for(timeout=60_000)
    _settle(bpage)
    served_label = t("cov.metric.served", "zh")
    before = page.locator("[data-testid='stMetric']", has_text=served_label).first.inner_text()
    bpage.set_layer(frame, "现有设施", checked=False)
    _click_lonlat(bpage, frame, 115.87, 28.66)
    page.get_by_text(t("cov.whatif.delta", "zh")).first.wait_for(timeout=60_000)
    _settle(bpage)
    # the site as the page stored it (the caption a person reads under the what-if panel)
    caption = page.get_by_text(re.compile("最近添加的选址")).first
    caption.wait_for(timeout=30_000)
    lon, lat = (float(v) for v in re.findall(r"\d+\.\d{6}", caption.inner_text())[:2])
    model = coverage_model(demo_ws, load_catalogue(), types=["kindergarten"])
    xy = gpd.GeoSeries(gpd.points_from_xy([lon], [lat]), crs="EPSG:4326").to_crs(ANALYSIS_CRS).iloc[0]
    result = scenario(model, add=[(xy.x, xy.y, "kindergarten")])
    expected = (
        headline(result.model, "kindergarten")["served_pop"] - headline(model, "kindergarten")["served_pop"]
    )
    metric = page.locator("[data-testid='stMetric']", has_text=served_label).first.inner_text()
    assert metric != before
    shown_delta = re.search(r"([+-][\d,]+)", metric.split("\n", 2)[-1])
    assert shown_delta, metric
    assert int(shown_delta.group(1).replace(",", "")) == round(expected)
    bpage.screenshot("coverage_whatif_engine_zh")
