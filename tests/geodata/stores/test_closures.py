"""城市体检 销号 in both stores: close after a passing re-measure, admin override with a note, reopen, audit."""

import pytest

from geodata.stores import PostGISProjectStore, ProjectError, ProjectValidationError

PID = "2025|community|C0001|kindergarten_cov"


@pytest.fixture
def cstore(new_store):
    s = new_store()
    if isinstance(s, PostGISProjectStore):  # the session's database is shared: start from no closures
        import psycopg

        with psycopg.connect(s.url, autocommit=True) as con:
            con.execute("TRUNCATE problem_closures")
    return s


def test_close_after_passing_remeasure(cstore):
    row = cstore.close_problem(
        PID, closed_in_year=2026, value_before=0.5, value_after=0.95, remeasure_passed=True, editor=" 李工 "
    )
    assert row["editor"] == "李工" and row["override"] == 0
    c = cstore.closures()
    assert c["problem_id"].tolist() == [PID]
    assert c.iloc[0]["closed_in_year"] == 2026 and c.iloc[0]["value_after"] == pytest.approx(0.95)
    assert c.iloc[0]["editor"] == "李工" and c.iloc[0]["ts"]
    with pytest.raises(ProjectError, match="already closed"):
        cstore.close_problem(
            PID, closed_in_year=2026, value_before=0.5, value_after=0.95, remeasure_passed=True, editor="王工"
        )


def test_failing_remeasure_needs_an_admin_with_a_note(cstore):
    kw = {"closed_in_year": 2026, "value_before": 0.5, "value_after": 0.6, "remeasure_passed": False}
    with pytest.raises(ProjectError, match="still fails"):
        cstore.close_problem(PID, editor="李工", **kw)
    with pytest.raises(ProjectError, match="still fails"):
        cstore.close_problem(PID, editor="admin", admin=True, note="  ", **kw)
    assert cstore.closures().empty
    row = cstore.close_problem(PID, editor="admin", admin=True, note="已纳入2027年计划，经领导同意销号", **kw)
    assert row["override"] == 1
    assert cstore.closures().iloc[0]["note"] == "已纳入2027年计划，经领导同意销号"


def test_reopen_keeps_the_log(cstore):
    with pytest.raises(ProjectError, match="not closed"):
        cstore.reopen_problem(PID, editor="李工")
    cstore.close_problem(
        PID,
        closed_in_year=2026,
        value_before=float("nan"),
        value_after=1.0,
        remeasure_passed=True,
        editor="李工",
    )
    cstore.reopen_problem(PID, editor="王工", note="复核发现数据错误")
    assert cstore.closures().empty
    log = cstore.closure_log()
    assert log["action"].tolist() == ["close", "reopen"] and log["editor"].tolist() == ["李工", "王工"]
    assert log.iloc[0]["value_before"] is None or log.iloc[0]["value_before"] != log.iloc[0]["value_before"]
    # closed again in a later year: the newest action decides
    cstore.close_problem(
        PID, closed_in_year=2027, value_before=0.5, value_after=1.0, remeasure_passed=True, editor="李工"
    )
    assert cstore.closures().iloc[0]["closed_in_year"] == 2027 and len(cstore.closure_log()) == 3


def test_closing_needs_an_editor_and_clean_text(cstore):
    kw = {"closed_in_year": 2026, "value_before": 0.5, "value_after": 1.0, "remeasure_passed": True}
    with pytest.raises(ProjectValidationError, match="editor"):
        cstore.close_problem(PID, editor="", **kw)
    with pytest.raises(ProjectValidationError, match="NUL"):
        cstore.close_problem(PID, editor="李工", note="a\x00b", **kw)
    hostile = "<img src=x onerror=alert(1)>"
    cstore.close_problem(PID, editor="李工", note=hostile, **kw)
    assert cstore.closures().iloc[0]["note"] == hostile  # stored as typed; escaped where shown
