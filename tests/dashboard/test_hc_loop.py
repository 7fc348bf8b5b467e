"""城市体检 closed loop on the page (AppTest): problem size and predicted effects, 销号 by an editor, viewers."""

import pytest
from streamlit.testing.v1 import AppTest

from geodata.stores import open_store

SCRIPT = "from dashboard.healthcheck_page import render_healthcheck\nrender_healthcheck()\n"


def _open(at, tab: str):
    """Open a tab of the page (only the open tab runs) and rerun."""
    at.session_state["_tab:hc_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _app(role, tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    app = AppTest.from_string(SCRIPT, default_timeout=240)
    app.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
    app.run()
    assert not app.exception, app.exception
    return app


def _metric(app, label):
    return int(next(m.value for m in app.metric if m.label == label).replace(",", ""))


@pytest.fixture
def editor_app(demo_gpkg, tmp_path, monkeypatch):
    return _app("editor", tmp_path, monkeypatch)


def test_ledger_shows_size_and_predicted_effect(editor_app):
    at = _open(editor_app, "ledger")
    assert _metric(at, "受影响居民（人）") > 0 and _metric(at, "涉及户数（户）") >= 0
    # a demo problem linked to a 完整社区配套 project: kindergarten coverage of C0063
    pid = "2026|community|C0063|kindergarten_cov"
    at.selectbox(key="hc_problem@zh").set_value(pid).run()
    assert not at.exception, at.exception
    effects = next(d.value for d in at.dataframe if "本单元新增覆盖居民（人）" in d.value.columns)
    row = effects.iloc[0]
    assert row["按设施测算"] == "幼儿园" and int(row["本单元新增覆盖居民（人）"].replace(",", "")) > 0
    assert row["现状值"] != row["实施后"]
    # a 老旧小区改造 project on the pre-2000 households share: no number, the reason instead
    at.selectbox(key="hc_problem@zh").set_value("2026|community|C0046|old_housing_share").run()
    effects = next(d.value for d in at.dataframe if "本单元新增覆盖居民（人）" in d.value.columns)
    assert effects["说明"].str.startswith("无法测算").all() and (effects["实施后"] == "—").all()


def test_editor_confirms_a_closing(editor_app, demo_gpkg):
    from geodata.workspace import load_workspace

    at = _open(editor_app, "review")
    proposals = _metric(at, "建议销号")
    assert proposals > 0 and _metric(at, "已销号") == 0
    at.text_input(key="loop_note").input("复查达标").run()
    at.button(key="loop_confirm").click().run()
    assert not at.exception, at.exception
    assert any("已销号 1 项" in s.value for s in at.success)
    assert _metric(at, "建议销号") == proposals - 1 and _metric(at, "已销号") == 1
    closed = open_store(workspace=load_workspace(demo_gpkg)).closures()
    assert len(closed) == 1 and closed.iloc[0]["editor"] == "tester" and closed.iloc[0]["note"] == "复查达标"
    assert (
        closed.iloc[0]["problem_id"].startswith("2025|community|")
        and closed.iloc[0]["closed_in_year"] == 2026
    )
    assert closed.iloc[0]["override"] == 0


def test_viewer_sees_no_closing_button(demo_gpkg, tmp_path, monkeypatch):
    at = _open(_app("viewer", tmp_path, monkeypatch), "review")
    assert _metric(at, "建议销号") > 0
    keys = {b.key for b in at.button}
    assert "loop_confirm" not in keys and "loop_confirm_all" not in keys and "loop_reopen_btn" not in keys
    assert any("只读账号" in c.value for c in at.caption)


def test_admin_override_needs_a_note(demo_gpkg, tmp_path, monkeypatch):
    from geodata.workspace import load_workspace

    at = _open(_app("admin", tmp_path, monkeypatch), "review")
    at.button(key="loop_override").click().run()  # no note: refused with a message, nothing stored
    assert not at.exception and any("复查未达标" in e.value for e in at.error)
    store = open_store(workspace=load_workspace(demo_gpkg))
    assert store.closures().empty
    at.text_input(key="loop_ov_note").input("纳入下年度计划，经批准销号").run()
    at.button(key="loop_override").click().run()
    assert not at.exception, at.exception
    closed = store.closures()
    assert len(closed) == 1 and closed.iloc[0]["override"] == 1
    assert closed.iloc[0]["note"] == "纳入下年度计划，经批准销号"
