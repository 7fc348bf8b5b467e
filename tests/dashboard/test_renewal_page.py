"""Renewal page end to end (AppTest): filter, weights, why #1, promote, edit, reload, history, conflict."""

import pytest
from streamlit.testing.v1 import AppTest

from geodata.stores import open_store

SCRIPT = "from dashboard.renewal_page import render_renewal\nrender_renewal()\n"


@pytest.fixture
def fresh_library(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    return tmp_path


def _run(editor: str | None = "张工") -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=120)
    if editor:
        at.session_state["editor_name"] = editor
    at.run()
    assert not at.exception, at.exception
    return at


def test_filter_old_compounds_in_one_district(demo_gpkg, fresh_library):
    at = _run()
    at.multiselect(key="f_types").set_value(["老旧小区"])
    at.multiselect(key="f_districts").set_value([360102])
    at.slider(key="f_years").set_value((1900, 1999)).run()
    assert not at.exception
    n = int(next(m.value for m in at.metric if m.label == "地块数").replace(",", ""))
    from geodata.workspace import load_workspace

    p = load_workspace(demo_gpkg)["parcels"]
    expected = (
        (p["parcel_type"] == "老旧小区") & (p["district_adcode"] == 360102) & (p["build_year"] <= 1999)
    ).sum()
    assert n == expected > 0


def test_weights_change_the_ranking_and_explain_it(demo_gpkg, fresh_library):
    at = _run()
    assert any("为什么排在第 1 位" in m.value for m in at.markdown)  # the default pick is the top parcel
    ranking = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    top_default = ranking.iloc[0]["地块编号"]
    contrib = [c for c in ranking.columns if c not in ("排名", "地块编号", "名称", "类型", "得分")]
    assert (
        abs(ranking.iloc[0][contrib].sum() - ranking.iloc[0]["得分"]) < 0.6
    )  # contributions add up (rounding)
    at.selectbox(key="ren_preset").set_value("安全优先").run()
    ranking2 = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    assert ranking2.iloc[0]["地块编号"] != top_default or ranking2.iloc[0]["得分"] != ranking.iloc[0]["得分"]


def test_promote_edit_reload_history_and_conflict(demo_gpkg, fresh_library):
    at = _run()
    at.button(key="promote_from_screen").click().run()
    assert any("已纳入项目库" in s.value for s in at.success)
    store = open_store()
    proj = store.list().iloc[0]
    pid = proj["project_id"]
    # edit status and budget in the library tab form
    at = _run()
    at.selectbox(key="lib_pick").set_value(pid)
    form_boxes = [s for s in at.selectbox if s.label == "状态"]
    form_boxes[0].set_value("立项")
    next(n for n in at.number_input if n.label == "投资（万元）").set_value(1234.5)
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert not at.exception
    # "reload the app": a fresh session sees the change and its history
    again = open_store().get(pid)
    assert again["status"] == "立项" and again["budget_wan"] == 1234.5 and again["version"] == 2
    hist = open_store().history(pid)
    assert set(hist.loc[hist["action"] == "update", "field"]) == {"status", "budget_wan"}
    # another session's stale edit (based on version 1) is refused
    from geodata.stores import ConflictError

    with pytest.raises(ConflictError):
        open_store().update(pid, {"status": "实施"}, expected_version=1, editor="李工")
    assert open_store().get(pid)["status"] == "立项"


def test_library_needs_an_editor(demo_gpkg, fresh_library):
    at = _run(editor=None)
    at.button(key="promote_from_screen").click().run()
    assert any("编辑人" in e.value for e in at.error)
    assert open_store().list().empty


def test_two_sessions_on_postgis_no_lost_update(demo_gpkg, fresh_library, pg_url, monkeypatch):
    """Same page, server mode: only the setting changes; a stale second session is refused."""
    import psycopg

    from geodata.stores import PostGISProjectStore

    monkeypatch.setenv("RENEWAL_DB_URL", pg_url)
    PostGISProjectStore(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("TRUNCATE projects, audit, problem_links CASCADE")
    first = _run("张工")
    first.button(key="promote_from_screen").click().run()
    pid = open_store().list().iloc[0]["project_id"]
    a, b = _run("张工"), _run("李工")  # two sessions load version 1
    for app, status in ((a, "谋划"), (b, "实施")):
        app.selectbox(key="lib_pick").set_value(pid)
        next(s for s in app.selectbox if s.label == "状态").set_value(status)
        next(x for x in app.button if x.label == "保存修改").click().run()
    assert any("保存被拒绝" in e.value for e in b.error)  # the stale session is told, not overwritten
    final = open_store().get(pid)
    assert (
        final["status"] == "谋划" and final["version"] == 2 and isinstance(open_store(), PostGISProjectStore)
    )
