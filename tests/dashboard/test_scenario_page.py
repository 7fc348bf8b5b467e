"""方案比选 page (AppTest): figures of a saved scenario against today, survey years, editing, viewers."""

import pytest
from streamlit.testing.v1 import AppTest

from geodata.stores import open_store
from geodata.workspace import load_workspace
from layers.pipelines import metric

SCRIPT = "from dashboard.scenario_page import render_scenarios\nrender_scenarios()\n"
SITE = {"type": "kindergarten", "name": "新园 P0093", "lon": 115.876314, "lat": 28.671075}
HOSTILE = "<img src=x onerror=alert(1)>"


def _store(demo_gpkg):
    return open_store(workspace=load_workspace(demo_gpkg))


@pytest.fixture
def app(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    _store(demo_gpkg).save_scenario({"name": HOSTILE, "added": [SITE]}, editor="王工")

    def make(role="editor"):
        at = AppTest.from_string(SCRIPT, default_timeout=180)
        at.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
        at.run()
        assert not at.exception, at.exception
        return at

    return make


def _metric(at, label):
    m = next(m for m in at.metric if m.label == label)
    return int(m.value.replace(",", "")), m.delta


def test_scenario_against_today_matches_the_engine(app, demo_gpkg):
    from geodata.catalogue import load_catalogue
    from layers.coverage import build_model

    ws = load_workspace(demo_gpkg)
    cells, fac = metric(ws, "population_cells"), metric(ws, "facilities")
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    new = gpd.GeoDataFrame(
        {"facility_id": ["N"], "type": ["kindergarten"]}, geometry=[Point(SITE["lon"], SITE["lat"])], crs=4326
    ).to_crs(fac.crs)
    cat, pop = load_catalogue(), cells["population"].to_numpy()
    before = build_model(cells, fac, catalogue=cat, types=["kindergarten"]).served("kindergarten")
    after = build_model(cells, pd.concat([fac, new]), catalogue=cat, types=["kindergarten"]).served(
        "kindergarten"
    )
    gained = int(round(pop[after & ~before].sum()))
    at = app()
    a, _ = _metric(at, "A 覆盖居民")
    b, delta = _metric(at, "B 覆盖居民")
    assert a == int(round(pop[before].sum())) and b - a == gained > 0 and delta == f"+{gained:,}"
    assert _metric(at, "B 新增覆盖")[0] == gained and _metric(at, "B 失去覆盖")[0] == 0
    table = at.table[0].value
    delta_col = table["变化（B − A）"].str.replace(",", "").astype(int)
    assert table.index[-1] == "合计" and delta_col.iloc[-1] == gained
    assert delta_col.iloc[:-1].sum() == pytest.approx(gained, abs=6)
    # the headline counts the matching age group: children aged 3–6 (the demo has the column)
    kids = cells["children_3_6"].to_numpy()
    kids_gained = int(round(kids[after & ~before].sum()))
    headline = [m.value for m in at.markdown if "多覆盖" in m.value]
    assert headline and "\\<img" in headline[0]  # escaped name
    assert f"多覆盖 {kids_gained:,} 名3–6 岁儿童" in headline[0] and 0 < kids_gained < gained


def test_two_survey_years_and_the_life_circle(app):
    at = app()
    at.radio(key="scen_mode@zh").set_value("years").run()
    assert not at.exception
    at.radio(key="scen_what@zh").set_value("circle").run()
    assert not at.exception
    a, _ = _metric(at, "A 覆盖居民")
    b, _ = _metric(at, "B 覆盖居民")
    assert 0 < a <= b  # facilities only open between 2025 and 2026
    at.button(key="scen_build").click().run()
    assert not at.exception and at.get("download_button")


def test_editor_creates_and_deletes_a_scenario(app, demo_gpkg):
    at = app()
    at.text_input(key="scen_edit___new__@zh_name").input("B 撤除一处").run()
    at.multiselect(key="scen_edit___new__@zh_removed").set_value(["F00001"]).run()
    at.button(key="scen_edit___new__@zh_save").click().run()
    assert not at.exception
    assert any("已保存方案 B 撤除一处" in s.value for s in at.success)
    saved = _store(demo_gpkg).scenario("B 撤除一处")
    assert saved["removed"] == ["F00001"] and saved["updated_by"] == "tester"
    at.selectbox(key="scen_edit_pick@zh").set_value("B 撤除一处").run()
    at.checkbox(key="scen_edit_B 撤除一处@zh_sure").check().run()
    at.button(key="scen_edit_B 撤除一处@zh_delete").click().run()
    assert not at.exception and any("已删除方案" in s.value for s in at.success)
    log = _store(demo_gpkg).scenario_log()
    assert log[log["name"] == "B 撤除一处"][["editor", "action"]].values.tolist() == [
        ["tester", "create"],
        ["tester", "delete"],
    ]


def test_empty_name_is_refused_with_a_message(app):
    at = app()
    at.button(key="scen_edit___new__@zh_save").click().run()
    assert not at.exception and any("方案名称不能为空" in e.value for e in at.error)


def test_viewer_gets_no_write_controls(app):
    at = app(role="viewer")
    assert not [b for b in at.button if b.key and b.key.endswith("_save")]
    assert any("只读账户" in c.value for c in at.caption)
    assert _metric(at, "B 覆盖居民")[0] > 0


def test_someone_elses_save_in_between_is_a_conflict(app, demo_gpkg):
    at = app()
    at.selectbox(key="scen_edit_pick@zh").set_value(HOSTILE).run()
    key = f"scen_edit_{HOSTILE}@zh"
    at.text_area(key=f"{key}_desc").input("我的修改").run()
    _store(demo_gpkg).save_scenario(  # another planner saves first
        {"name": HOSTILE, "description": "别人的修改", "added": [SITE]}, editor="李工", expected_version=1
    )
    at.button(key=f"{key}_save").click().run()
    assert not at.exception and any("已被他人修改" in e.value for e in at.error)
    assert _store(demo_gpkg).scenario(HOSTILE)["description"] == "别人的修改"
