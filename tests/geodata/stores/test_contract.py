"""The project-store contract on both stores: transactions, audit, undo, conflict refusal, crash mid-save."""

import sqlite3
import threading
from pathlib import Path

import pytest

from geodata.stores import ConflictError, ProjectError, ProjectValidationError
from tests.geodata.stores.conftest import PARCEL


def test_promote_and_read(store):
    p = store.promote_parcel(PARCEL, editor="张工")
    assert p["status"] == "储备" and p["category"] == "老旧小区改造" and p["version"] == 1
    assert store.list()["project_id"].tolist() == [p["project_id"]]
    with pytest.raises(ProjectError, match="已入库"):
        store.promote_parcel(PARCEL, editor="张工")


def test_validation_lists_every_bad_field(store):
    with pytest.raises(ProjectValidationError) as err:
        store.create({"name": "x", "status": "在建", "decision": "修", "budget_wan": -1}, editor="a")
    assert len(err.value.problems) == 3
    with pytest.raises(ProjectValidationError, match="editor"):
        store.create({"name": "x"}, editor=" ")


def test_update_bumps_version_and_audits_each_field(store):
    p = store.promote_parcel(PARCEL, editor="张工")
    q = store.update(
        p["project_id"], {"status": "谋划", "budget_wan": 900.0}, expected_version=1, editor="李工"
    )
    assert q["version"] == 2 and q["status"] == "谋划" and q["updated_by"] == "李工"
    h = store.history(p["project_id"])
    upd = h[h["action"] == "update"].set_index("field")
    assert upd.loc["status", "old_value"] == "储备" and upd.loc["status", "new_value"] == "谋划"
    assert upd.loc["budget_wan", "old_value"] == "850" and upd.loc["budget_wan", "new_value"] == "900"
    assert set(upd["editor"]) == {"李工"}


def test_stale_edit_is_refused_not_overwritten(new_store):
    a, b = new_store(), new_store()  # two browser sessions on one store
    pid = a.promote_parcel(PARCEL, editor="张工")["project_id"]
    a.update(pid, {"status": "谋划"}, expected_version=1, editor="张工")
    with pytest.raises(ConflictError, match="张工") as err:
        b.update(pid, {"status": "立项"}, expected_version=1, editor="李工")
    assert "status" in str(err.value)
    assert a.get(pid)["status"] == "谋划"  # the first save survives


def test_undo_last_change(store):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    store.update(pid, {"status": "谋划", "budget_wan": 1000.0}, expected_version=1, editor="张工")
    back = store.undo_last(editor="张工")
    assert back["status"] == "储备" and back["budget_wan"] == 850.0 and back["version"] == 3
    assert len(store.history(pid)) == 1 + 2 + 2  # create + change + its undo, append-only


def test_crash_mid_save_keeps_previous_state(store, monkeypatch):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    before_audit = len(store.audit())

    def crash():
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "_before_commit", crash)
    with pytest.raises(RuntimeError):
        store.update(pid, {"status": "实施"}, expected_version=1, editor="张工")
    monkeypatch.undo()
    assert store.get(pid)["status"] == "储备" and store.get(pid)["version"] == 1
    assert len(store.audit()) == before_audit
    if isinstance(store.path, Path):
        con = sqlite3.connect(store.path)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()


def test_no_lost_update_under_concurrency(new_store):
    pid = new_store().create({"name": "计数", "budget_wan": 0}, editor="init")["project_id"]
    conflicts = []

    def worker(k):
        s = new_store()
        for _ in range(25):
            while True:
                cur = s.get(pid)
                try:
                    s.update(
                        pid,
                        {"budget_wan": cur["budget_wan"] + 1},
                        expected_version=cur["version"],
                        editor=f"user{k}",
                    )
                    break
                except ConflictError:
                    conflicts.append(k)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    s = new_store()
    assert s.get(pid)["budget_wan"] == 200
    aud = s.audit()
    assert (aud["field"] == "budget_wan").sum() == 200


def test_migrate_is_idempotent(store):
    assert store.migrate() == store.migrate() == 2


def test_problem_links(store):
    pid = store.promote_parcel(PARCEL, editor="张工")["project_id"]
    store.link_problem("2026|community|C0001|kindergarten_cov", pid, editor="张工")
    store.link_problem("2026|community|C0001|kindergarten_cov", pid, editor="张工")  # idempotent
    assert len(store.problem_links()) == 1
    assert (store.history(pid)["action"] == "link").sum() == 1
    store.unlink_problem("2026|community|C0001|kindergarten_cov", pid, editor="张工")
    assert store.problem_links().empty and (store.history(pid)["action"] == "unlink").sum() == 1
    with pytest.raises(ProjectError, match="不存在"):
        store.link_problem("x", "P0000-0000", editor="张工")
