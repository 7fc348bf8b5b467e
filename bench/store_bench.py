"""Store benchmark: embedded file store vs PostgreSQL + PostGIS on the same data, in one run.

1. write 100k parcels (bulk: GeoPackage layer write vs COPY into PostGIS) and read them back;
2. a city-wide coverage query: facilities within 500 m of each of 160k resident cells, both stores loaded
   the same way from the same in-memory points — file store: GeoPackage write + read back + KD-tree in
   Python; PostGIS: COPY into GiST-indexed tables + ST_DWithin pushed down (the KD-tree alone is printed too);
3. load: 20 simulated users editing and reading the project library for --seconds (default 60):
   throughput, p95 latency, and the audit log accounting for every accepted edit.
Prints ratios (file_seconds / postgis_seconds). Needs a PostgreSQL URL (--url) or starts a local one.

    python bench/store_bench.py [--url postgresql://…] [--seconds 60] [--smoke]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import psycopg
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.stores import ConflictError, PostGISProjectStore, count_within_postgis  # noqa: E402
from layers.coverage import count_within  # noqa: E402


def parcels(n: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(1)
    x, y = rng.uniform(380_000, 420_000, n), rng.uniform(3_150_000, 3_190_000, n)
    return gpd.GeoDataFrame(
        {"parcel_id": [f"P{i:06d}" for i in range(n)], "budget_wan": rng.uniform(10, 900, n)},
        geometry=shapely.box(x, y, x + 80, y + 60),
        crs="EPSG:32650",
    )


def bench_io(url: str, n: int) -> dict:
    gdf = parcels(n)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        gdf.to_file(Path(tmp) / "p.gpkg", layer="parcels", driver="GPKG")
        back = gpd.read_file(Path(tmp) / "p.gpkg", layer="parcels")
        t_file = time.perf_counter() - t0
    t0 = time.perf_counter()
    with psycopg.connect(url) as con, con.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("DROP TABLE IF EXISTS bench_parcels")
        cur.execute(
            "CREATE TABLE bench_parcels (parcel_id text, budget_wan float8, geom geometry(Polygon, 32650))"
        )
        with cur.copy("COPY bench_parcels FROM STDIN") as cp:
            for pid, b, g in zip(gdf["parcel_id"], gdf["budget_wan"], gdf.geometry.to_wkt()):
                cp.write_row((pid, b, f"SRID=32650;{g}"))
        cur.execute("CREATE INDEX ON bench_parcels USING gist (geom)")
        con.commit()
        cur.execute("SELECT parcel_id, budget_wan, ST_AsBinary(geom) FROM bench_parcels")
        rows = cur.fetchall()
    t_pg = time.perf_counter() - t0
    assert len(back) == len(rows) == n
    print(f"write+read {n:,} parcels: file {t_file:.2f} s, postgis {t_pg:.2f} s, ratio={t_file / t_pg:.2f}")
    return {"io_file_s": t_file, "io_postgis_s": t_pg}


def bench_query(url: str, n_side: int = 400, n_fac: int = 10_000) -> dict:
    """Counts within 500 m, both stores loaded the same way: from in-memory points, into the store, out.

    File store: write residents and facilities as GeoPackage layers, read them back, count with the
    in-memory KD-tree. PostGIS: COPY both into (temporary, GiST-indexed) tables and count with ST_DWithin.
    The compute-only KD-tree time (data already in memory) is printed alongside.
    """
    rng = np.random.default_rng(2)
    size = n_side * 100.0
    xs = np.arange(50, size, 100.0)
    gx, gy = np.meshgrid(xs, xs)
    res = np.column_stack([gx.ravel(), gy.ravel()])
    fac = rng.uniform(0, size, (n_fac, 2))
    t0 = time.perf_counter()
    mem = count_within(res, fac, 500)
    t_mem = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "points.gpkg"
        t0 = time.perf_counter()
        gpd.GeoDataFrame(geometry=shapely.points(res), crs="EPSG:32650").to_file(path, layer="residents")
        gpd.GeoDataFrame(geometry=shapely.points(fac), crs="EPSG:32650").to_file(path, layer="facilities")
        r_back = shapely.get_coordinates(gpd.read_file(path, layer="residents").geometry.values)
        f_back = shapely.get_coordinates(gpd.read_file(path, layer="facilities").geometry.values)
        file_counts = count_within(r_back, f_back, 500)
        t_file = time.perf_counter() - t0
    t0 = time.perf_counter()
    pg = count_within_postgis(url, res, fac, 500)
    t_pg = time.perf_counter() - t0
    assert (mem == pg).all() and (file_counts == pg).all(), "PostGIS and the file store + KD-tree disagree"
    print(
        f"coverage count {len(res):,} x {n_fac:,} @500 m, load + count in each store: file store (GeoPackage "
        f"write + read + KD-tree) {t_file:.2f} s, postgis (COPY + GiST + ST_DWithin) {t_pg:.2f} s, identical "
        f"counts; KD-tree alone {t_mem:.2f} s, query_ratio={t_file / t_pg:.3f}"
    )
    return {"query_file_s": t_file, "query_postgis_s": t_pg, "query_kdtree_only_s": t_mem}


def bench_load(url: str, seconds: float, users: int = 20) -> dict:
    store = PostGISProjectStore(url)
    with psycopg.connect(url, autocommit=True) as con:
        con.execute("TRUNCATE projects, audit, problem_links CASCADE")
    pids = [store.create({"name": f"负载项目{i}"}, editor="init")["project_id"] for i in range(50)]
    lat, accepted, conflicts, lock = [], [], [], threading.Lock()
    stop = time.time() + seconds

    def user(k):
        s = PostGISProjectStore(url)
        r = np.random.default_rng(k)
        while time.time() < stop:
            pid = pids[int(r.integers(len(pids)))]
            t0 = time.perf_counter()
            cur = s.get(pid)
            try:
                if r.uniform() < 0.5:
                    s.update(
                        pid,
                        {"budget_wan": cur["budget_wan"] + 1},
                        expected_version=cur["version"],
                        editor=f"u{k}",
                    )
                    with lock:
                        accepted.append(pid)
                else:
                    s.history(pid)
            except ConflictError:
                with lock:
                    conflicts.append(pid)
            with lock:
                lat.append(time.perf_counter() - t0)

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    audit_edits = int((store.audit()["field"] == "budget_wan").sum())
    total = sum(store.get(p)["budget_wan"] for p in pids)
    print(
        f"load {users} users x {seconds:.0f} s: {len(lat) / seconds:.0f} ops/s, p95 {np.percentile(lat, 95) * 1000:.0f} ms, "
        f"accepted edits {len(accepted)}, conflicts refused {len(conflicts)}, audit rows {audit_edits}, "
        f"budget sum {total:.0f} (no lost update: {audit_edits == len(accepted) == total})"
    )
    assert audit_edits == len(accepted) == total, "lost update: audit rows, accepted edits and sum differ"
    return {
        "load_ops_per_s": len(lat) / seconds,
        "load_p95_ms": float(np.percentile(lat, 95) * 1000),
        "load_accepted_edits": len(accepted),
        "load_conflicts_refused": len(conflicts),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url")
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--smoke", action="store_true", help="tiny sizes (test suite)")
    args = ap.parse_args(argv)
    n_side, users = 400, 20
    if args.smoke:
        args.parcels, args.seconds, n_side, users = 500, 2.0, 40, 3
    server = None
    if not args.url:
        from tests import pg

        server = pg.LocalPostgres()
        args.url = server.url
    try:
        figures = bench_io(args.url, args.parcels)
        figures |= bench_query(args.url, n_side=n_side, n_fac=10_000 if not args.smoke else 200)
        figures |= bench_load(args.url, args.seconds, users)
    finally:
        if server:
            server.stop()
    figures["io_ratio"] = figures["io_file_s"] / figures["io_postgis_s"]
    figures["query_ratio"] = figures["query_file_s"] / figures["query_postgis_s"]
    for k, v in figures.items():
        print(f"{k}={v:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
