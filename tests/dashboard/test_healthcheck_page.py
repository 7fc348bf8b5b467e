"""城市体检 page (AppTest): evaluation, linking a problem to a new project, review of two survey years."""

import pytest
from streamlit.testing.v1 import AppTest

from geodata.indicators import load_indicators
from geodata.stores import open_store

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
    app = AppTest.from_string(SCRIPT, default_timeout=180)
    app.session_state["auth"] = {"name": "张工", "role": "editor", "via": "password"}
    app.run()
    assert not app.exception, app.exception
    return app


def _metric(app, label):
    return int(next(m.value for m in app.metric if m.label == label).replace(",", ""))


def test_ledger_links_a_problem_to_a_new_project(at, demo_gpkg):
    from geodata.workspace import load_workspace

    at = _open(at, "ledger")
    linked, unlinked = _metric(at, "已对应项目"), _metric(at, "尚无项目")
    assert _metric(at, "问题数") == linked + unlinked and unlinked > 0
    assert linked == 18  # the demo's seeded library links 18 of its 2026 community problems
    at.button(key="hc_create").click().run()
    assert not at.exception
    assert any("已新建项目" in s.value for s in at.success)
    assert _metric(at, "已对应项目") == linked + 1 and _metric(at, "尚无项目") == unlinked - 1
    links = open_store(workspace=load_workspace(demo_gpkg)).problem_links()
    assert len(links) == 21 and links["problem_id"].str.startswith("2026|community|").all()


def test_levels_and_review(at):
    at.radio(key="hc_level@zh").set_value("district").run()
    n_ind = len(load_indicators())
    at = _open(at, "ledger")
    assert not at.exception and 0 < _metric(at, "问题数") <= n_ind * 6  # ≤ indicators × 6 districts
    at = _open(at, "review")
    review = [d.value for d in at.dataframe if "改善" in d.value.columns]
    assert review and review[0]["改善"].sum() > 0  # facilities opened in 2026 improve some districts
