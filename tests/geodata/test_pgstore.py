"""PostGIS specifics: ST_DWithin counts equal the in-memory engine; the setting selects the store;
a short many-user load keeps every accepted edit in the audit."""

import threading
import time

import numpy as np
import psycopg

from geodata.pgstore import PostGISProjectStore, count_within_postgis
from geodata.projects import ConflictError, open_store
from layers.coverage import count_within


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


def test_short_load_audit_accounts_for_every_accepted_edit(pg_url):
    PostGISProjectStore(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("TRUNCATE projects, audit, problem_links CASCADE")
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
