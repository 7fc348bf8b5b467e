"""指标填报 tab (AppTest on the 城市体检 page): an editor saves and overrides a record; a viewer cannot."""

from streamlit.testing.v1 import AppTest

from geodata.stores import open_store

SCRIPT = "from dashboard.healthcheck_page import render_healthcheck\nrender_healthcheck()\n"
W = "2026_city_h_structure"  # widget-key stem: year, scope, indicator (+ version)


def _open(at, tab: str):
    """Open a tab of the page (only the open tab runs) and rerun."""
    at.session_state["_tab:hc_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _app(tmp_path, monkeypatch, role):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    app = AppTest.from_string(SCRIPT, default_timeout=180)
    app.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
    app.run()
    assert not app.exception, app.exception
    return app


def _store(demo_gpkg):
    from geodata.workspace import load_workspace

    return open_store(workspace=load_workspace(demo_gpkg))


def _metric(app, label):
    return int(next(m.value for m in app.metric if m.label == label).replace(",", ""))


def test_editor_saves_then_overrides_a_record(demo_gpkg, tmp_path, monkeypatch):
    at = _open(_app(tmp_path, monkeypatch, "editor"), "catalogue")
    assert any("本产品可计算 16 项" in m.value for m in at.markdown)  # the catalogue tab's count
    at = _open(at, "records")
    assert _metric(at, "指标数") == 68 and _metric(at, "红色预警") > 0
    at.button(key="rec_save").click().run()
    assert not at.exception and any("已保存" in s.value for s in at.success)
    rec = _store(demo_gpkg).record(2026, "h_structure", "city")
    assert rec["updated_by"] == "tester" and rec["manual"] is False and rec["value"] == 73  # C/D parcels open
    assert rec["grade"] == "较差" and rec["warning"] == "red" and rec["version"] == 1
    at.checkbox(key=f"rec_uc_{W}_1_zh").uncheck().run()
    at.number_input(key=f"rec_v_{W}_1_zh").set_value(0.0).run()
    at.button(key="rec_save").click().run()
    rec = _store(demo_gpkg).record(2026, "h_structure", "city")
    assert rec["manual"] is True and rec["value"] == 0 and rec["computed_value"] == 73
    assert rec["grade"] == "很好" and rec["warning"] == "none" and rec["version"] == 2
    hist = next(d.value for d in at.dataframe if "操作" in d.value.columns)  # the record's audit rows
    assert {"新建", "修改"} <= set(hist["操作"]) and "指标值" in set(hist["字段"])
    at.button(key="rec_status_已提交").click().run()
    assert _store(demo_gpkg).record(2026, "h_structure", "city")["status"] == "已提交"
    assert not [b for b in at.button if b.key == "rec_save"]  # submitted: locked until returned


def test_viewer_sees_no_save_button(tmp_path, monkeypatch):
    at = _open(_app(tmp_path, monkeypatch, "viewer"), "records")
    keys = {b.key for b in at.button}
    assert "rec_save" not in keys and not any(str(k).startswith("rec_status") for k in keys)
    assert any("只读" in i.value for i in at.info)


def test_workbook_round_trip_imports_every_row(tmp_path):
    import pandas as pd

    from dashboard.hc_records import catalogue, import_rows
    from geodata.stores import SQLiteProjectStore
    from layers.records import records_from_evaluation
    from reports.records_xlsx import read_records_xlsx, records_xlsx

    rows, _ = catalogue()
    ev = pd.DataFrame({"unit": ["city"], "indicator": ["dangerous_housing"], "value": [73.0]})
    recs = records_from_evaluation(rows, ev, year=2026, scopes=["city"])
    parsed, problems = read_records_xlsx(records_xlsx(recs, rows, city="示例", year=2026, scope="全市"), rows)
    assert problems == [] and len(parsed) == len(rows)
    parsed = [dict(p, value=5.0) if p["indicator"] == "h_gas" else p for p in parsed]  # a bureau fills one in
    fields = dict(import_rows(parsed, rows, recs))
    h = next(f for f in fields.values() if f["indicator"] == "h_structure")
    g = next(f for f in fields.values() if f["indicator"] == "h_gas")
    assert h["manual"] is False and h["value"] == 73 and h["grade"] == "较差"
    assert g["manual"] is True and g["value"] == 5 and g["warning"] == "red"
    store = SQLiteProjectStore(tmp_path / "p.sqlite")
    out = store.import_record_rows(2026, "city", list(fields.items()), editor="tester")
    assert out == {"saved": len(rows), "problems": []} and len(store.records(2026)) == len(rows)


def test_a_filled_in_warning_becomes_a_ledger_item_projects_can_address(demo_gpkg, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    store = _store(demo_gpkg)
    store.save_record(
        2026,
        "h_gas",
        "city",
        {"value": 5.0, "standard": 0.0, "manual": True, "source_level": "国家", "department": "住建局"},
        editor="tester",
    )
    at = _open(_app(tmp_path, monkeypatch, "editor"), "ledger")
    titles = [e.label for e in at.expander]
    assert "指标填报预警（1 条，部门填报的指标）" in titles
    table = next(d.value for d in at.dataframe if "范围" in d.value.columns)
    assert table[["范围", "预警"]].values.tolist() == [["全市", "红色"]]
    pid = "2026|record|city|h_gas"
    assert at.selectbox(key="rec_problem").value == pid
    project = store.list()["project_id"].iloc[0]
    at.multiselect(key=f"rec_links_{pid}").select(project).run()
    at.button(key="rec_save_links").click().run()
    assert not at.exception
    assert project in set(_store(demo_gpkg).problem_links().query("problem_id == @pid")["project_id"])
