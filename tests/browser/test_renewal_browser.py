"""Renewal page in a real browser at 1920×1080: move a weight, see the top-N map and "why #N", promote the
top parcel, see it in the project ledger (table + map), in Chinese and in English; screenshots of each."""

import pytest

pytestmark = pytest.mark.browser


def _open(page, bpage, app_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(app_server, wait_until="domcontentloaded")
    bpage.map_frame()
    page.get_by_role("link", name="更新地块与项目库").first.click()
    page.get_by_text("城市更新地块、候选筛选与项目库").first.wait_for()
    bpage.map_frame()


def _visible_map_frames(page) -> int:
    return page.locator("iframe[title*='st_folium'] >> visible=true").count()


def test_screen_and_promote(app_server, bpage):
    page = bpage.page
    _open(page, bpage, app_server)
    page.wait_for_timeout(1000)
    bpage.screenshot("renewal_parcels_zh")
    page.get_by_role("tab", name="候选筛选").click()
    slider = page.get_by_role("slider", name="安全隐患（危房等级/预制板）").first
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_timeout(2000)
    page.get_by_text("为什么排在第 1 位").first.wait_for()
    # the top-N map numbers the candidates 1…10
    frame = bpage.map_frame()
    markers = frame.locator(".leaflet-marker-pane .leaflet-marker-icon")
    markers.first.wait_for(timeout=30_000)
    numbers = sorted(int(x) for x in markers.all_inner_texts())
    assert numbers == list(range(1, 11))
    page.get_by_role("button", name="纳入项目库").last.click()
    page.get_by_text("已纳入项目库").first.wait_for(timeout=30_000)
    page.get_by_text("得分最高的 10 个候选地块").first.scroll_into_view_if_needed()
    page.mouse.wheel(0, -80)
    page.wait_for_timeout(1000)
    bpage.screenshot("renewal_screening_zh")
    page.get_by_role("tab", name="项目库").click()
    # the demo's seeded library (60 projects) plus the one just promoted
    page.get_by_text("显示 61 / 61 个项目").first.wait_for(timeout=30_000)
    # the ledger table shows the promoted project with a translated status; the project map is drawn
    grid = page.locator("[data-testid='stDataFrame']").filter(has_text="项目编号").first
    grid.wait_for()
    assert page.get_by_text("项目台账").first.is_visible()
    page.wait_for_timeout(2000)
    assert _visible_map_frames(page) >= 1
    project_map = page.frame_locator("iframe[title*='st_folium'] >> visible=true").first
    project_map.locator(".leaflet-overlay-pane path, .leaflet-overlay-pane canvas").first.wait_for()
    project_map.get_by_text("储备").first.wait_for()  # status legend
    # schedule it in the edit form: the timeline and the yearly budget appear
    page.get_by_label("开始年份").fill("2025")
    page.get_by_label("结束年份").fill("2027")
    page.get_by_role("button", name="保存修改").click()
    page.get_by_text("已保存（版本 2）").first.wait_for(timeout=30_000)
    page.get_by_text("实施时间轴").first.wait_for()
    page.get_by_text("按年度投资（万元）").first.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    bpage.screenshot("renewal_library_zh")

    # English: the same ledger with English statuses and headers
    page.get_by_text("English").first.click()
    page.get_by_text("Renewal parcels, candidate screening and project library").first.wait_for(
        timeout=30_000
    )
    page.get_by_role("tab", name="Project library").click()
    page.get_by_text("61 of 61 projects shown").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2000)
    project_map = page.frame_locator("iframe[title*='st_folium'] >> visible=true").first
    project_map.get_by_text("Candidate").first.wait_for()
    assert page.get_by_text("Budget by year (10k CNY)").first.is_visible()
    bpage.screenshot("renewal_library_en")
    page.get_by_role("tab", name="Candidate screening").click()
    page.get_by_text("Why is it #1?").first.wait_for(timeout=30_000)
    preset = page.locator("[data-testid='stSelectbox']").filter(has_text="Weight preset").first
    shown = preset.inner_text() + " ".join(
        preset.locator("input").evaluate_all("els => els.map(e => e.value)")
    )
    assert "People's needs first" in shown, shown  # preset name in English
    page.get_by_text("The 10 highest-scoring candidate parcels").first.scroll_into_view_if_needed()
    frame = bpage.map_frame()
    frame.locator(".leaflet-marker-pane .leaflet-marker-icon").first.wait_for(timeout=30_000)
    frame.get_by_text("Screening score").first.wait_for()  # the legend in English
    page.wait_for_timeout(1500)
    bpage.screenshot("renewal_screening_en")
