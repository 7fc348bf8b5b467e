"""一老一小 tab and the Word-report button of the 城市体检 page (AppTest)."""

import pytest
from streamlit.testing.v1 import AppTest

from geodata.catalogue import load_catalogue
from layers.equity import AGE_FACILITY, workspace_equity

SCRIPT = "from dashboard.healthcheck_page import render_healthcheck\nrender_healthcheck()\n"


def _open(at, tab: str):
    """Open a tab of the page (only the open tab runs) and rerun."""
    at.session_state["_tab:hc_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def at(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    app = AppTest.from_string(SCRIPT, default_timeout=240)
    app.session_state["auth"] = {"name": "tester", "role": "editor", "via": "local"}
    app.run()
    assert not app.exception, app.exception
    return _open(app, "equity")


def test_tab_shows_the_engine_figures(at, demo_ws):
    cat = load_catalogue()
    eq = workspace_equity(demo_ws.layers, {f: cat.radius_m(f) for f in AGE_FACILITY.values()}, year=2026)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["0–3岁婴幼儿覆盖率"] == f"{eq.city.loc['children_0_3', 'share'] * 100:.1f}%"
    assert metrics["80岁及以上高龄老人覆盖率"] == f"{eq.city.loc['elderly_80', 'share'] * 100:.1f}%"
    fair = next(d.value for d in at.dataframe if "集中指数 E" in d.value.columns)
    assert fair["集中指数 E"].tolist() == eq.fairness["concentration_index"].round(3).tolist()
    subs = next(d.value for d in at.dataframe if "街道" in d.value.columns and "0–3岁" in d.value.columns)
    assert len(subs) == len(demo_ws["subdistricts"])
    # left behind: the selected group (first: 0–3) sorted by residents not served
    lb = next(
        d.value for d in at.dataframe if "未覆盖（人）" in d.value.columns and "小区" in d.value.columns
    )
    assert (
        lb["未覆盖（人）"].is_monotonic_decreasing
        and lb["小区编号"].iloc[0]
        == eq.left_behind[eq.left_behind["group"] == "children_0_3"]["compound_id"].iloc[0]
    )


def test_group_switch_and_english(at):
    at.radio(key="eq_group@zh").set_value("elderly_60").run()
    assert not at.exception
    assert any(s.value.startswith("被落下的小区：60岁及以上老人") for s in at.subheader)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any(m.label == "Children 0–3 served" for m in at.metric)


def test_word_report_button_builds_the_document(at):
    at.button(key="rep_build").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("已生成：7 章") and "4 幅图" in s.value for s in at.success)
