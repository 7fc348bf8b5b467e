"""Indicator records (指标填报) on both stores: create, version check, audit, submit/return, bad input."""

import pytest

from geodata.stores import ConflictError, ProjectError, ProjectValidationError

KEY = (2026, "b_middle_school", "city")
EVID = [{"item": "统计台账", "done": True}, {"item": '=HYPERLINK("x")', "done": False}]


def _new(store, **kw):
    fields = {
        "value": 0.88,
        "standard": 0.9,
        "grade": "一般",
        "warning": "yellow",
        "source_level": "国家",
        "department": "教育局",
        "evidence": EVID,
    } | kw
    return store.save_record(*KEY, fields, editor="张工")


def test_create_read_and_list(store):
    r = _new(store)
    assert r["version"] == 1 and r["status"] == "草稿" and r["updated_by"] == "张工" and r["manual"] is False
    assert r["value"] == 0.88 and r["evidence"] == EVID
    df = store.records(2026)
    assert df[["indicator", "scope"]].values.tolist() == [["b_middle_school", "city"]]
    assert store.records(2025).empty and store.record(2025, "b_middle_school", "city") is None


def test_override_is_kept_as_manual_and_audited(store):
    _new(store)
    r = store.save_record(
        *KEY,
        {"value": 0.5, "manual": True, "grade": "较差", "warning": "red"},
        editor="李工",
        expected_version=1,
    )
    assert r["version"] == 2 and r["manual"] is True and r["value"] == 0.5 and r["updated_by"] == "李工"
    h = store.record_history(*KEY)
    upd = h[h["action"] == "update"].set_index("field")
    assert upd.loc["value", "old_value"] == "0.88" and upd.loc["value", "new_value"] == "0.5"
    assert set(upd.index) == {"value", "manual", "grade", "warning"} and set(upd["editor"]) == {"李工"}


def test_stale_save_is_refused(new_store):
    a, b = new_store(), new_store()
    _new(a)
    a.save_record(*KEY, {"note": "a"}, editor="张工", expected_version=1)
    with pytest.raises(ConflictError, match="张工"):
        b.save_record(*KEY, {"note": "b"}, editor="李工", expected_version=1)
    with pytest.raises(ConflictError):
        _new(b)  # creating a record someone else created meanwhile
    assert a.record(*KEY)["note"] == "a"


def test_submit_locks_and_return_unlocks(store):
    _new(store)
    r = store.set_record_status(*KEY, "已提交", editor="张工", expected_version=1)
    assert r["status"] == "已提交" and r["version"] == 2
    with pytest.raises(ProjectError, match="已提交"):
        store.save_record(*KEY, {"note": "x"}, editor="张工", expected_version=2)
    with pytest.raises(ProjectError, match="不能"):
        store.set_record_status(*KEY, "草稿", editor="张工", expected_version=2)
    r = store.set_record_status(*KEY, "已退回", editor="审核人", expected_version=2)
    assert r["status"] == "已退回"
    assert store.save_record(*KEY, {"note": "改"}, editor="张工", expected_version=3)["note"] == "改"
    statuses = store.record_history(*KEY).query("field == 'status'")["new_value"].tolist()
    assert statuses == ["已退回", "已提交"]


def test_bad_records_list_every_problem(store):
    with pytest.raises(ProjectValidationError) as err:
        store.save_record(
            1999,
            "x\x00",
            "36010",
            {
                "value": float("inf"),
                "grade": "优",
                "warning": "orange",
                "source_level": "县",
                "evidence": "all",
                "version": 9,
            },
            editor="张工",
        )
    fields = sorted(p.split(":")[0] for p in err.value.problems)
    assert fields == [
        "evidence",
        "grade",
        "indicator",
        "scope",
        "source_level",
        "value",
        "version",
        "warning",
        "year",
    ]
    with pytest.raises(ProjectValidationError, match="editor"):
        _new_editorless(store)
    with pytest.raises(ProjectValidationError, match="source_level"):
        store.save_record(*KEY, {"value": 1.0}, editor="张工")
    assert store.records().empty


def _new_editorless(store):
    return store.save_record(*KEY, {"source_level": "国家"}, editor=" ")


def test_status_of_unsaved_record(store):
    with pytest.raises(ProjectError, match="尚未保存"):
        store.set_record_status(*KEY, "已提交", editor="张工", expected_version=0)


def test_import_is_all_or_nothing(store):
    _new(store)
    store.set_record_status(*KEY, "已提交", editor="张工", expected_version=1)
    rows = [
        (
            "街区 第 3 行",
            {"indicator": "b_old_factory", "value": 42.0, "source_level": "国家", "manual": True},
        ),
        ("街区 第 4 行", {"indicator": "b_middle_school", "value": 0.5, "source_level": "国家"}),  # submitted
    ]
    out = store.import_record_rows(2026, "city", rows, editor="李工")
    assert out["saved"] == 0 and len(out["problems"]) == 1 and out["problems"][0].startswith("街区 第 4 行")
    assert store.record(2026, "b_old_factory", "city") is None  # the good row was not written either
    bad = store.import_record_rows(
        2026, "city", [("r1", {"indicator": "x", "grade": "优", "source_level": "国家"})], editor="李工"
    )
    assert bad["saved"] == 0 and "grade" in bad["problems"][0]
    ok = store.import_record_rows(2026, "city", rows[:1], editor="李工")
    assert ok == {"saved": 1, "problems": []}
    assert store.record(2026, "b_old_factory", "city")["updated_by"] == "李工"
