"""Store fixtures: the same contract runs against the embedded SQLite file and a real local PostGIS."""

import pytest

from geodata.stores import PostGISProjectStore, SQLiteProjectStore

PARCEL = {
    "parcel_id": "P0001",
    "name": "桂苑小区（示例）",
    "parcel_type": "老旧小区",
    "decision": "改",
    "budget_wan": 850.0,
    "district_adcode": 360102,
    "geometry_wkt": "POINT (115.9 28.68)",
}


def fresh_postgis(url: str) -> None:
    """Migrate the test database and empty every table."""
    import psycopg

    PostGISProjectStore(url)  # migrate
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(
            "TRUNCATE projects, audit, problem_links, users, account_log, hc_records, hc_record_audit CASCADE"
        )


@pytest.fixture(params=["sqlite", "postgis"])
def new_store(request, tmp_path):
    """Factory of store objects on one shared backend (each call = another client / browser session).
    The same contract runs against the embedded file store and a real local PostgreSQL + PostGIS."""
    if request.param == "sqlite":
        return lambda: SQLiteProjectStore(tmp_path / "projects.sqlite")
    url = request.getfixturevalue("pg_url")
    fresh_postgis(url)
    return lambda: PostGISProjectStore(url)


@pytest.fixture
def store(new_store):
    return new_store()
