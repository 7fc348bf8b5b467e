"""Named scenarios (方案) in both stores: create, read, replace with a version check, delete, log, refusals."""

import pytest

from geodata.stores import ConflictError, PostGISProjectStore, ProjectError, ProjectValidationError
from geodata.stores.scenarios import check_scenario

BASE = {
    "name": "A 新增幼儿园",
    "description": "选址页推荐的 2 处幼儿园",
    "base_year": 2026,
    "added": [
        {"type": "kindergarten", "name": "新园 1", "lon": 115.9, "lat": 28.68, "capacity": 180},
        {"type": "kindergarten", "name": "新园 2", "lon": 115.91, "lat": 28.69},
    ],
    "removed": ["F00001", "F00001", "F00002"],
    "completed": [{"project_id": "P2026-0001", "type": "kindergarten"}, "P2026-0002"],
}


@pytest.fixture
def scen_store(store):
    if isinstance(store, PostGISProjectStore):
        import psycopg

        with psycopg.connect(store.url, autocommit=True) as con:
            con.execute("TRUNCATE scenarios, scenario_log")
    return store


def test_create_read_and_log(scen_store):
    saved = scen_store.save_scenario(BASE, editor="王工")
    assert saved["name"] == "A 新增幼儿园" and saved["version"] == 1 and saved["base_year"] == 2026
    assert [f["name"] for f in saved["added"]] == ["新园 1", "新园 2"]
    assert saved["added"][0]["capacity"] == 180 and saved["added"][1]["capacity"] is None
    assert saved["removed"] == ["F00001", "F00002"]  # duplicates dropped
    assert saved["completed"] == [
        {"project_id": "P2026-0001", "type": "kindergarten"},
        {"project_id": "P2026-0002", "type": None},
    ]
    assert saved["updated_by"] == "王工"
    table = scen_store.scenarios()
    assert table["name"].tolist() == ["A 新增幼儿园"]
    log = scen_store.scenario_log()
    assert log[["editor", "name", "action"]].values.tolist() == [["王工", "A 新增幼儿园", "create"]]
    assert log["detail"].iloc[0] == "added=2 removed=2 completed=2"


def test_names_are_unique(scen_store):
    scen_store.save_scenario(BASE, editor="王工")
    with pytest.raises(ProjectError, match="already exists"):
        scen_store.save_scenario(BASE | {"description": "again"}, editor="李工")
    assert scen_store.scenario("A 新增幼儿园")["description"] == BASE["description"]


def test_replace_checks_the_version(new_store):
    a, b = new_store(), new_store()
    if isinstance(a, PostGISProjectStore):
        import psycopg

        with psycopg.connect(a.url, autocommit=True) as con:
            con.execute("TRUNCATE scenarios, scenario_log")
    a.save_scenario(BASE, editor="王工")
    changed = a.save_scenario(BASE | {"removed": []}, editor="王工", expected_version=1)
    assert changed["version"] == 2 and changed["removed"] == []
    with pytest.raises(ConflictError, match="someone else"):
        b.save_scenario(BASE | {"description": "stale"}, editor="李工", expected_version=1)
    assert b.scenario("A 新增幼儿园")["description"] == BASE["description"]
    assert a.scenario_log()["action"].tolist() == ["create", "update"]


def test_delete_is_logged(scen_store):
    scen_store.save_scenario(BASE, editor="王工")
    scen_store.delete_scenario("A 新增幼儿园", editor="李工")
    assert scen_store.scenarios().empty
    with pytest.raises(ProjectError, match="does not exist"):
        scen_store.scenario("A 新增幼儿园")
    with pytest.raises(ProjectError, match="does not exist"):
        scen_store.delete_scenario("A 新增幼儿园", editor="李工")
    assert scen_store.scenario_log()[["editor", "action"]].values.tolist() == [
        ["王工", "create"],
        ["李工", "delete"],
    ]


def test_hostile_names_are_kept_as_text_and_nul_refused(scen_store):
    for name in ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","x")'):
        saved = scen_store.save_scenario(BASE | {"name": name, "completed": []}, editor="王工")
        assert saved["name"] == name  # stored as typed; escaped where shown
    with pytest.raises(ProjectValidationError, match="NUL"):
        scen_store.save_scenario(BASE | {"name": "a\x00b"}, editor="王工")
    assert sorted(scen_store.scenarios()["name"]) == sorted(
        ["<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","x")']
    )


def test_every_problem_listed_and_nothing_written(scen_store):
    bad = {
        "name": " ",
        "base_year": 1800,
        "added": [{"type": "kindergarten", "lon": 200, "lat": 28}, {"type": "", "lon": 115, "lat": 28}],
    }
    with pytest.raises(ProjectValidationError) as err:
        scen_store.save_scenario(bad, editor="王工")
    text = str(err.value)
    assert "name:" in text and "base_year:" in text and "added[1]" in text and "added[2].type" in text
    with pytest.raises(ProjectValidationError, match="editor"):
        scen_store.save_scenario(BASE, editor=" ")
    assert scen_store.scenarios().empty and scen_store.scenario_log().empty


def test_check_scenario_capacity_and_year_text():
    clean, problems = check_scenario(
        {"name": "x", "base_year": "2025", "added": [{"type": "park", "lon": 115, "lat": 28, "capacity": -1}]}
    )
    assert clean["base_year"] == 2025
    assert problems == ["added[1].capacity: -1 须为不小于 0 的数 / must be a number ≥ 0"]
