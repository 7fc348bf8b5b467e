"""AppTest smoke tests: every page renders on the bundled workspace, in Chinese and in English."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from geodata.paths import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def _map_html(at) -> str:
    """HTML of the st_folium component(s) on the page (AppTest shows them as unknown elements)."""
    parts = []
    for el in at.get("component_instance"):
        args = json.loads(el.proto.json_args)
        parts += [args.get("script", ""), args.get("header", ""), args.get("html", "")]
        parts += args.get("js_links", []) + args.get("css_links", [])
    return "\n".join(parts)


@pytest.fixture
def app(demo_gpkg):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_in_chinese(app):
    assert app.title[0].value == "城市更新规划一张图"
    assert any("示例数据" in i.value for i in app.info), "demo data must be labelled"
    labels = [m.label for m in app.metric]
    assert "设区市" in labels and "县级行政区" in labels
    values = {m.label: m.value for m in app.metric}
    assert values["设区市"] == "11" and values["县级行政区"] == "100"
    html = _map_html(app)
    assert "leaflet" in html.lower()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html, "map must not reference a CDN"
    assert "/app/static/vendor/bundle/maps.js" in html  # Leaflet and its plugins: vendored, one file
    # the six districts in a static table, each with its compounds and residents
    (table,) = app.table
    assert len(table.value) == 6 and (table.value["小区数"] > 0).all() and (table.value["人口"] > 0).all()


def test_overview_district_names_are_inert_in_the_table(demo_gpkg, monkeypatch):
    """The district table is drawn as markdown cells: an imported name cannot pull an image or make a link."""
    import dashboard.overview_page as page

    real = page.district_table

    def hostile(ws, lang):
        table = real(ws, lang)
        table.iloc[0, 0] = "![x](http://evil.example/x.png) <img src=x onerror=alert(1)>"
        return table

    monkeypatch.setattr(page, "district_table", hostile)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    (table,) = at.table
    cell = table.value.iloc[0, 0]
    assert cell.startswith("\\!\\[x\\]") and "\\<img" in cell


def test_overview_switches_to_english(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Renewal Atlas"
    assert any("Demo data" in i.value for i in app.info)
    assert "Prefectures" in [m.label for m in app.metric]


def test_overview_city_extent(app):
    before = json.loads(app.get("component_instance")[0].proto.json_args)
    app.radio(key="overview_extent@zh").set_value("city").run()
    assert not app.exception
    assert "leaflet" in _map_html(app).lower()
    # the same map (same script, same component) fitted to the city in the browser: nothing rebuilt or reloaded
    after = json.loads(app.get("component_instance")[0].proto.json_args)
    assert after["script"] == before["script"] and after["key"] == before["key"]
    assert after["layer_control"] != before["layer_control"]
    fit = lambda args: json.loads(args["layer_control"].split("fitBounds(")[1].split(", {")[0])  # noqa: E731
    (s0, w0), (n0, e0) = fit(before)
    (s1, w1), (n1, e1) = fit(after)
    assert s0 < 25 and n0 > 29.5 and w0 < 114 and e0 > 118  # Jiangxi
    assert 28 < s1 < n1 < 29.2 and 115.5 < w1 < e1 < 116.3  # central Nanchang


def _page(render: str) -> AppTest:
    module, func = render.rsplit(".", 1)
    at = AppTest.from_string(f"from {module} import {func}\n{func}()\n", default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_layout_page(demo_gpkg):
    at = _page("dashboard.layout_page.render_layout")
    assert "一圈两带四群" in at.title[0].value
    html = _map_html(at)
    assert "南昌都市圈" in html and "/app/static/vendor/bundle/maps.js" in html
    assert at.subheader[0].value == "南昌市"  # default city panel
    assert any("省会" in m.value for m in at.markdown)
    summary = at.dataframe[-1].value
    assert len(summary) == 7 and summary.iloc[0]["县级单元数"] == 32


def test_layout_page_pick_city_and_edit_circle(demo_gpkg):
    at = _page("dashboard.layout_page.render_layout")
    at.selectbox(key="layout_city@zh").set_value(360200).run()
    assert at.subheader[0].value == "景德镇市"
    assert any("陶瓷" in m.value for m in at.markdown)
    members = at.multiselect(key="layout_members@zh")
    members.set_value([*members.value, 360902]).run()  # add 袁州区 (宜春) to the circle
    at.button(key="layout_save").click().run()
    assert not at.exception
    at2 = _page("dashboard.layout_page.render_layout")
    assert at2.dataframe[-1].value.iloc[0]["县级单元数"] == 33
    at2.button(key="layout_reset").click().run()  # reset to the bundled layout
    assert _page("dashboard.layout_page.render_layout").dataframe[-1].value.iloc[0]["县级单元数"] == 32


def test_coverage_page_and_what_if(demo_gpkg):
    at = _page("dashboard.coverage_page.render_coverage")
    assert "生活圈" in at.title[0].value
    values = {m.label: m.value for m in at.metric}
    total = float(values["居住人口"].replace(",", ""))
    served = float(values["已覆盖人口"].replace(",", ""))
    assert 2.0e6 < total < 3.5e6 and 0 < served < total
    assert any("直线距离" in c.value for c in at.caption)  # the distance mode is always stated
    gap_tables = [d.value for d in at.dataframe if "缺口排名" in d.value.columns]
    assert len(gap_tables) == 1 and len(gap_tables[0]) == 50
    assert gap_tables[0]["缺口排名"].tolist()[:3] == [1, 2, 3]
    # add a proposed kindergarten by coordinates: residents newly served appear
    at.number_input(key="cov_lon").set_value(115.95)
    at.number_input(key="cov_lat").set_value(28.74)
    next(b for b in at.button if b.label == "添加").click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "情景新增覆盖人口" in labels


def test_coverage_page_network_and_circle(demo_gpkg):
    at = _page("dashboard.coverage_page.render_coverage")
    at.radio(key="cov_mode@zh").set_value("network").run()
    assert not at.exception and any("步行路网" in c.value for c in at.caption)
    at.radio(key="cov_target@zh").set_value("circle").run()
    assert not at.exception
    assert any("情景模拟需选择单类设施" in c.value for c in at.caption)


def test_siting_page(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _page("dashboard.siting_page.render_siting")
    values = {m.label: m.value for m in at.metric}
    assert float(values["新增覆盖"].replace(",", "")) > 0 and "贪心与最优差距" in values
    assert any(k.startswith("精确解 · ") for k in values)
    at.session_state["auth"] = {"name": "张工", "role": "editor", "via": "password"}
    at.button(key="site_to_library").click().run()
    assert any("已加入项目库" in s.value for s in at.success)
    from geodata.stores import open_store
    from geodata.workspace import load_workspace

    assert len(open_store(workspace=load_workspace(demo_gpkg)).list()) == 60 + 10  # the demo library + 10
    at.button(key="site_to_whatif").click().run()
    assert len(at.session_state["cov_scenario_sites"]) == 10
    at.radio(key="site_goal@zh").set_value("target").run()
    assert not at.exception and "选址数" in [m.label for m in at.metric]
    at.toggle(key="site_capacity_on").set_value(True).run()
    at.number_input(key="site_places").set_value(20).run()
    assert not at.exception and any("每处最多服务 20 人" in c.value for c in at.caption)
    table = next(d.value for d in at.dataframe if "累计新增" in d.value.columns)
    assert (table["新增覆盖人口"] <= 20 + 1e-6).all()  # no site serves more than its capacity


def test_import_page_without_file(demo_gpkg):
    at = _page("dashboard.import_page.render_import")
    assert at.title[0].value == "数据导入：设施、小区与更新地块"
    at.selectbox(key="exp_layer@zh").set_value("parcels")
    at.radio(key="exp_fmt").set_value("shp").run()
    assert not at.exception


def test_present_page_steps_through_views(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _page("dashboard.present_page.render_present")
    assert at.title[0].value.startswith("会议演示")
    at.button(key="pres_start").click().run()
    titles = [at.title[0].value]
    for _ in range(3):
        at.button(key="pres_next").click().run()
        assert not at.exception
        titles.append(at.title[0].value)
    assert titles == [
        "一圈两带四群：全省格局",
        "幼儿园300米覆盖与服务缺口",
        "更新地块：留改拆",
        "城市体检：养老日间照料覆盖（社区）",
    ]
    assert at.button(key="pres_next").disabled
    at.button(key="pres_prev").click().run()
    assert at.title[0].value == "更新地块：留改拆"
    at.button(key="pres_stop").click().run()
    assert at.title[0].value.startswith("会议演示")


def test_views_are_saved_and_validated(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    from geodata.views import load_views, save_views

    views = load_views()
    save_views([*views[:2], {"title": "新视图", "kind": "coverage", "params": {"selection": "park"}}])
    assert [v["title"] for v in load_views()][-1] == "新视图"
    with pytest.raises(ValueError, match="view 1"):
        save_views([{"title": "", "kind": "layout"}])


def test_coverage_controls_survive_toggles_and_language(demo_gpkg):
    at = _page("dashboard.coverage_page.render_coverage")
    at.radio(key="cov_target@zh").set_value("circle").run()
    at.selectbox(key="cov_circle@zh").set_value("15min").run()
    at.radio(key="cov_target@zh").set_value("type").run()
    at.radio(key="cov_target@zh").set_value("circle").run()
    assert at.selectbox(key="cov_circle@zh").value == "15min", "the circle must not fall back to 5 minutes"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert (
        at.radio(key="cov_target@en").value == "circle" and at.selectbox(key="cov_circle@en").value == "15min"
    )


def test_siting_sends_sites_once_and_keeps_k(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _page("dashboard.siting_page.render_siting")
    at.number_input(key="site_k").set_value(5).run()
    at.radio(key="site_goal@zh").set_value("target").run()
    at.radio(key="site_goal@zh").set_value("k").run()
    assert at.number_input(key="site_k").value == 5, "k must not fall back to 10"
    at.button(key="site_to_whatif").click().run()
    at.button(key="site_to_whatif").click().run()
    assert len(at.session_state["cov_scenario_sites"]) == 5, "sending the same sites twice adds nothing"
    assert any("未重复添加" in i.value for i in at.info)
