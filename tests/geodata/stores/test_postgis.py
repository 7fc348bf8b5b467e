"""PostGIS specifics: ST_DWithin counts equal the in-memory engine; the setting selects the store;
a short many-user load keeps every accepted edit in the audit; the geometry column stays inside."""

import threading
import time

import numpy as np
import pytest

from geodata.stores import (
    ConflictError,
    PostGISProjectStore,
    StoreError,
    count_within_postgis,
    open_store,
)
from layers.coverage import count_within
from tests.geodata.stores.conftest import PARCEL, fresh_postgis


def test_st_dwithin_counts_match_the_engine(pg_url):
    rng = np.random.default_rng(5)
    res = rng.uniform(0, 5000, (3000, 2))
    fac = rng.uniform(0, 5000, (200, 2))
    res[0] = fac[0] + [300.0, 0.0]  # a resident exactly at the radius
    for r in (300.0, 1000.0):
        assert (count_within_postgis(pg_url, res, fac, r) == count_within(res, fac, r)).all()


def test_setting_selects_postgis(pg_url, monkeypatch):
    monkeypatch.setenv("RENEWAL_DB_URL", pg_url)
    assert isinstance(open_store(), PostGISProjectStore)
    monkeypatch.delenv("RENEWAL_DB_URL")
    assert not isinstance(open_store(), PostGISProjectStore)


def test_geometry_column_is_generated_and_not_shown(pg_url):
    import psycopg

    fresh_postgis(pg_url)
    store = PostGISProjectStore(pg_url)
    p = store.promote_parcel(PARCEL, editor="张工")
    assert "geom" not in p and "geom" not in store.list().columns
    with psycopg.connect(pg_url) as con:
        x, y, srid = con.execute("SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM projects").fetchone()
    assert (x, y, srid) == (pytest.approx(115.9), pytest.approx(28.68), 4326)


def test_short_load_audit_accounts_for_every_accepted_edit(pg_url):
    fresh_postgis(pg_url)
    store = PostGISProjectStore(pg_url)
    pids = [store.create({"name": f"项目{i}"}, editor="init")["project_id"] for i in range(5)]
    accepted, conflicts, stop = [], [], time.time() + 4

    def user(k):
        s = PostGISProjectStore(pg_url)
        rng = np.random.default_rng(k)
        while time.time() < stop:
            pid = pids[int(rng.integers(len(pids)))]
            cur = s.get(pid)
            try:
                s.update(
                    pid,
                    {"budget_wan": cur["budget_wan"] + 1},
                    expected_version=cur["version"],
                    editor=f"u{k}",
                )
                accepted.append(pid)
            except ConflictError:
                conflicts.append(pid)

    threads = [threading.Thread(target=user, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    aud = store.audit()
    assert (aud["field"] == "budget_wan").sum() == len(accepted) > 0
    assert sum(store.get(p)["budget_wan"] for p in pids) == len(accepted)  # no lost update


def test_unreachable_server_is_a_store_error_not_a_driver_traceback():
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="database refused"):
        PostGISProjectStore("postgresql://nobody@127.0.0.1:1/renewal?connect_timeout=2")
