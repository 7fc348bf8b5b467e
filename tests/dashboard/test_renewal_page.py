"""Renewal page end to end (AppTest): filter, weights, why #N, promote, edit, reload, history, conflict,
the project ledger (filters, translated values, local times), the empty state and lazy exports."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geodata.stores import open_store

SCRIPT = "from dashboard.renewal_page import render_renewal\nrender_renewal()\n"


@pytest.fixture
def fresh_library(tmp_path, monkeypatch):
    """An empty library of the tests' own (the demo workspace otherwise opens its seeded demo library)."""
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RENEWAL_DB_URL", f"sqlite:///{tmp_path / 'library.sqlite'}")
    return tmp_path


def test_demo_starts_with_its_seeded_library(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RENEWAL_DB_URL", raising=False)
    at = _run(tab="library")
    values = {m.label: m.value for m in at.metric}
    assert values["项目数"] == "60"
    from geodata.workspace import load_workspace

    assert len(open_store().list()) == 0, "the demo library must not leak into the planner's own store"
    assert len(open_store(workspace=load_workspace(demo_gpkg)).list()) == 60


def _run(
    editor: str | None = "张工", lang: str = "zh", role: str = "editor", tab: str = "parcels"
) -> AppTest:
    """The page as a planner opens it, on ``tab`` (parcels, screen or library: only the open tab runs)."""
    at = AppTest.from_string(SCRIPT, default_timeout=120)
    if editor:
        at.session_state["auth"] = {"name": editor, "role": role, "via": "password"}
    at.session_state["lang"] = lang
    at.session_state["_tab:ren_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def test_filter_old_compounds_in_one_district(demo_gpkg, fresh_library):
    at = _run()
    at.multiselect(key="f_types@zh").set_value(["老旧小区"])
    at.multiselect(key="f_districts@zh").set_value([360102])
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
    at = _run(tab="screen")
    assert any("为什么排在第 1 位" in m.value for m in at.markdown)  # the default pick is the top parcel
    ranking = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    top_default = ranking.iloc[0]["地块编号"]
    contrib = [c for c in ranking.columns if c not in ("排名", "地块编号", "名称", "类型", "得分")]
    assert len(contrib) == 9
    assert (
        abs(ranking.iloc[0][contrib].sum() - ranking.iloc[0]["得分"]) < 0.6
    )  # contributions add up (rounding)
    at.selectbox(key="ren_preset@zh").set_value("安全优先").run()
    ranking2 = next(d.value for d in at.dataframe if "排名" in d.value.columns)
    assert ranking2.iloc[0]["地块编号"] != top_default or ranking2.iloc[0]["得分"] != ranking.iloc[0]["得分"]


def test_promote_edit_reload_history_and_conflict(demo_gpkg, fresh_library):
    at = _run(tab="screen")
    at.button(key="promote_from_screen").click().run()
    assert any("已纳入项目库" in s.value for s in at.success)
    store = open_store()
    proj = store.list().iloc[0]
    pid = proj["project_id"]
    # edit status and budget in the library tab form
    at = _run(tab="library")
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


def test_local_mode_records_the_machines_planner(demo_gpkg, fresh_library, monkeypatch):
    # make run on 127.0.0.1: no sign-in, changes are recorded under the local planner's name
    monkeypatch.setenv("RENEWAL_LOCAL_USER", "王工")
    at = _run(editor=None, tab="screen")
    at.button(key="promote_from_screen").click().run()
    pid = open_store().list().iloc[0]["project_id"]
    assert open_store().history(pid)["editor"].tolist() == ["王工"]


def test_viewer_sees_no_control_that_writes(demo_gpkg, fresh_library):
    store = open_store()
    store.create({"name": "甲项目", "parcel_id": "P0001"}, editor="张工")
    screen = _run(editor="赵工", role="viewer", tab="screen")
    assert not {"promote_from_screen", "ren_save_preset"} & {b.key for b in screen.button}
    at = _run(editor="赵工", role="viewer", tab="library")
    assert "lib_undo" not in {b.key for b in at.button}
    assert not [b for b in at.button if str(b.form_id).startswith("edit_")]
    assert any("只读" in i.value for i in at.info)
    assert len(at.get("file_uploader")) == 0, "viewers get no ledger import"
    assert len(open_store().history(store.list().iloc[0]["project_id"])) == 1
    # the same page for an editor has all of them
    assert "promote_from_screen" in {b.key for b in _run(editor="张工", role="editor", tab="screen").button}
    editor = _run(editor="张工", role="editor", tab="library")
    assert "lib_undo" in {b.key for b in editor.button}
    assert [b for b in editor.button if str(b.form_id).startswith("edit_")]
    assert len(editor.get("file_uploader")) == 1


def test_two_sessions_on_postgis_no_lost_update(demo_gpkg, fresh_library, pg_url, monkeypatch):
    """Same page, server mode: only the setting changes; a stale second session is refused."""
    import psycopg

    from geodata.stores import PostGISProjectStore

    monkeypatch.setenv("RENEWAL_DB_URL", pg_url)
    PostGISProjectStore(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("TRUNCATE projects, audit, problem_links CASCADE")
    first = _run("张工", tab="screen")
    first.button(key="promote_from_screen").click().run()
    pid = open_store().list().iloc[0]["project_id"]
    a, b = _run("张工", tab="library"), _run("李工", tab="library")  # two sessions load version 1
    for app, status in ((a, "谋划"), (b, "实施")):
        app.selectbox(key="lib_pick").set_value(pid)
        next(s for s in app.selectbox if s.label == "状态").set_value(status)
        next(x for x in app.button if x.label == "保存修改").click().run()
    assert any("保存被拒绝" in e.value for e in b.error)  # the stale session is told, not overwritten
    final = open_store().get(pid)
    assert (
        final["status"] == "谋划" and final["version"] == 2 and isinstance(open_store(), PostGISProjectStore)
    )


# ------------------------------------------------------------------------------------------ why #N
def _table(at, first_column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def test_why_n_is_sorted_complete_and_against_median_and_first(demo_gpkg, fresh_library):
    at = _run(tab="screen")
    ranking = _table(at, "排名")
    third = ranking.iloc[2]["地块编号"]
    at.selectbox(key="ren_why").set_value(third).run()
    assert any("为什么排在第 3 位" in m.value for m in at.markdown)
    why = _table(at, "指标")
    assert why.columns.tolist() == ["指标", "贡献（分）", "本地块", "全部地块中位数", "第 1 名", "权重"]
    assert len(why) == 9  # every criterion, none cut off
    contributions = why["贡献（分）"].tolist()
    assert contributions == sorted(contributions, reverse=True)
    assert abs(sum(contributions) - ranking.iloc[2]["得分"]) < 0.6
    ages = why.set_index("指标").loc["建成年限"]
    assert ages["本地块"].endswith(" 年") and ages["第 1 名"].endswith(" 年")
    # the #1 column is the value of the top parcel: explaining #1 shows the same numbers in both columns
    at.selectbox(key="ren_why").set_value(ranking.iloc[0]["地块编号"]).run()
    first = _table(at, "指标")
    assert (first["本地块"] == first["第 1 名"]).all()


def test_top_n_slider_keeps_the_pick_among_candidates(demo_gpkg, fresh_library):
    at = _run(tab="screen")
    at.slider(key="ren_top_n").set_value(5).run()
    assert not at.exception
    assert any("得分最高的 5 个候选地块" in s.value for s in at.subheader)


def test_exports_are_not_built_on_every_rerun(demo_gpkg, fresh_library, monkeypatch):
    calls = []
    import dashboard.renewal_page as page

    monkeypatch.setattr(page, "xlsx_bytes", lambda *a, **k: calls.append("xlsx") or b"")
    monkeypatch.setattr(page, "csv_bytes", lambda *a, **k: calls.append("csv") or b"")
    monkeypatch.setattr(page, "geodata_bytes", lambda *a, **k: calls.append("gpkg") or (b"", "", ""))
    at = _run(tab="screen")
    at.slider(key="ren_top_n").set_value(8).run()
    assert not at.exception
    assert calls == []


# ------------------------------------------------------------------------------------------ project ledger
HOSTILE = '=HYPERLINK("http://x")<img src=x onerror=alert(1)>'


@pytest.fixture
def library(demo_gpkg, fresh_library, demo_ws):
    """Six projects: five promoted parcels (one per status, 2024–2026) and one hostile-named, unplaced one."""
    store = open_store()
    parcels = demo_ws["parcels"]
    statuses = ["储备", "谋划", "立项", "实施", "完工"]
    for i, status in enumerate(statuses):
        r = parcels.iloc[i]
        p = store.promote_parcel(
            r.drop(labels="geometry").to_dict() | {"geometry_wkt": r.geometry.wkt}, editor="种子"
        )
        store.update(
            p["project_id"],
            {
                "status": status,
                "start_year": 2024 + i % 3,
                "end_year": 2025 + i % 3,
                "budget_wan": 1000.0 * (i + 1),
            },
            expected_version=1,
            editor="种子",
        )
    store.create(
        {"name": HOSTILE, "category": "地下管网", "status": "实施", "budget_wan": 2500}, editor="种子"
    )
    return store


def test_ledger_filters_count_rows(library):
    at = _run(tab="library")
    ledger = _table(at, "项目编号")
    assert len(ledger) == 6
    at.multiselect(key="lib_f_status@zh").set_value(["实施"]).run()
    ledger = _table(at, "项目编号")
    assert len(ledger) == 2 and set(ledger["状态"]) == {"实施"}
    at.text_input(key="lib_f_text").set_value("HYPERLINK").run()
    ledger = _table(at, "项目编号")
    assert ledger["名称"].tolist() == [HOSTILE]  # shown as text, not as a formula or markup
    assert any("显示 1 / 6 个项目" in c.value for c in at.caption)


def test_ledger_in_english_translates_values_and_headers(library):
    at = _run(lang="en", tab="library")
    ledger = _table(at, "Project")
    assert set(ledger["Status"]) == {"Candidate", "Planned", "Approved", "Under way", "Completed"}
    assert "Underground pipe networks" in set(ledger["Category"])
    for col in ("project_id", "category", "budget_wan", "status"):
        assert col not in ledger.columns
    shown = ledger.astype(str).to_numpy().ravel().tolist()
    assert not any(v in ("None", "nan", "储备", "实施", "改") for v in shown)
    # times in Beijing time, not UTC ISO
    updated = ledger["Last changed (Beijing time)"].iloc[0]
    assert "T" not in updated and "+00:00" not in updated and len(updated) == 16
    store_ts = open_store().list()["updated_at"].iloc[0]
    assert updated == pd.Timestamp(store_ts).tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")


def test_budget_summary_by_year(library):
    at = _run(tab="library")
    by_year = next(d.value for d in at.dataframe if d.value.index.name == "年度")
    # project i (budget 1000·(i+1)) runs 2024+i%3 … 2025+i%3, half a year each: 2024 = 500 + 2000
    assert by_year.loc["2024", "合计"] == "2,500.0"
    assert by_year.columns.tolist() == ["储备", "谋划", "立项", "实施", "完工", "合计"]
    assert any("另有 1 个项目未填写开始年份" in c.value for c in at.caption)


def test_history_in_english_is_translated(library):
    approved = open_store().list().set_index("status").loc["立项", "project_id"]
    at = _run(lang="en", tab="library")
    at.selectbox(key="lib_pick").set_value(approved).run()
    hist = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert set(hist["Action"]) <= {"Created", "Changed"}
    assert "Status" in set(hist["Field"]) and "status" not in set(hist["Field"])
    row = hist.set_index("Field").loc["Status"]
    assert (row["Old"], row["New"]) == ("Candidate", "Approved")
    assert all(len(v) == 16 and "T" not in v for v in hist["Time"])  # Beijing time, not UTC ISO


def test_empty_library_explains_what_to_do(demo_gpkg, fresh_library):
    at = _run(tab="library")
    assert any("项目库还没有项目" in i.value for i in at.info)
    assert not any(d.value.columns[0] == "项目编号" for d in at.dataframe)


def test_a_legacy_1995_project_opens_and_saves(demo_gpkg, fresh_library):
    # a project stored before the year range (e.g. imported by an older version) must not break the form
    import sqlite3

    store = open_store()
    pid = store.create({"name": "老项目", "start_year": 2001}, editor="张工")["project_id"]
    with sqlite3.connect(fresh_library / "library.sqlite") as con:
        con.execute("UPDATE projects SET start_year = 1995 WHERE project_id = ?", (pid,))
    at = _run(tab="library")
    assert any("1995" in w.value for w in at.warning)
    next(s for s in at.selectbox if s.label == "状态").set_value("谋划")
    next(b for b in at.button if str(b.form_id).startswith("edit_")).click().run()
    assert not at.exception and any("1995" in e.value and "2000" in e.value for e in at.error)
    assert open_store().get(pid)["version"] == 1, "nothing saved while the stored year is invalid"
    next(n for n in at.number_input if n.label == "开始年份").set_value(2003)
    next(b for b in at.button if str(b.form_id).startswith("edit_")).click().run()
    assert not at.exception and not at.error
    after = open_store().get(pid)
    assert after["status"] == "谋划" and after["start_year"] == 2003 and after["version"] == 2


def test_only_the_open_tab_runs_and_its_settings_survive_the_others(demo_gpkg, fresh_library):
    at = _run(tab="screen")
    at.slider(key="ren_top_n").set_value(5).run()
    at.slider(key="w_民生优先_age_years").set_value(4.5).run()
    assert not any("项目库还没有项目" in i.value for i in at.info), "the library tab's code does not run"
    at.session_state["_tab:ren_tab"] = "library"
    at.run()
    assert any("项目库还没有项目" in i.value for i in at.info)
    assert not any(s.key == "ren_top_n" for s in at.slider)
    at.session_state["_tab:ren_tab"] = "screen"
    at.run()
    assert at.slider(key="ren_top_n").value == 5 and at.slider(key="w_民生优先_age_years").value == 4.5
    assert any("得分最高的 5 个候选地块" in s.value for s in at.subheader)
    at.session_state["lang"] = "en"  # the open tab and the settings survive a language switch too
    at.run()
    assert not at.exception and at.slider(key="ren_top_n").value == 5
    assert any("Top 5" in s.value or " 5 " in s.value for s in at.subheader)
