"""The project library on PostgreSQL + PostGIS (bureau server mode), selected by ``RENEWAL_DB_URL``.

Same behaviour as the embedded store (the SQL is shared, :mod:`geodata.stores.sqlcore`): one transaction
per save, row-level version check under ``SELECT … FOR UPDATE`` (the second concurrent writer waits, then
sees the new version and is refused), audit rows, undo, problem links. Schema created and migrated by the
app (numbered migrations, one migrator at a time under an advisory lock); projects carry a PostGIS
geometry (EPSG:4326, generated from the WKT) with a GiST index.

Also the pushed-down analysis: residents-within-radius counts with ``ST_DWithin`` on indexed metric
geometries (:func:`count_within_postgis`), checked against the in-memory engine in the tests.
"""

from __future__ import annotations

import numpy as np

from geodata.stores.sqlcore import Dialect, SQLProjectStore

MIGRATIONS = (
    """
    CREATE EXTENSION IF NOT EXISTS postgis;
    CREATE TABLE projects (
        project_id TEXT PRIMARY KEY, parcel_id TEXT UNIQUE, name TEXT NOT NULL, category TEXT NOT NULL,
        status TEXT NOT NULL, decision TEXT NOT NULL, budget_wan DOUBLE PRECISION NOT NULL DEFAULT 0,
        start_year INTEGER, end_year INTEGER, owner_unit TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',
        district_adcode INTEGER, geometry_wkt TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,
        geom geometry(Geometry, 4326) GENERATED ALWAYS AS (ST_GeomFromText(geometry_wkt, 4326)) STORED);
    CREATE INDEX projects_geom ON projects USING gist (geom);
    CREATE TABLE audit (
        audit_id BIGSERIAL PRIMARY KEY, ts TEXT NOT NULL, editor TEXT NOT NULL,
        project_id TEXT NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT, new_value TEXT,
        version INTEGER NOT NULL, change_id BIGINT NOT NULL);
    CREATE INDEX audit_project ON audit(project_id, audit_id);
    CREATE SEQUENCE change_seq;
    """,
    """
    CREATE TABLE problem_links (
        problem_id TEXT NOT NULL, project_id TEXT NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
        linked_at TEXT NOT NULL, editor TEXT NOT NULL, PRIMARY KEY (problem_id, project_id));
    """,
    # undo rows name the change they revert, so each change is undone once
    "ALTER TABLE audit ADD COLUMN undoes BIGINT",
    # planner accounts (geodata.stores.accounts): password hashes only, and who changed which account
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY, role TEXT NOT NULL, pw_hash TEXT, active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
    CREATE TABLE account_log (
        ts TEXT NOT NULL, actor TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
    """,
    # 城市体检 indicator records (指标填报, geodata.stores.records) and their audit rows
    """
    CREATE TABLE IF NOT EXISTS hc_records (
        year INTEGER NOT NULL, indicator TEXT NOT NULL, scope TEXT NOT NULL, value DOUBLE PRECISION, manual INTEGER NOT NULL DEFAULT 0,
        computed_value DOUBLE PRECISION, standard DOUBLE PRECISION, grade TEXT, warning TEXT NOT NULL DEFAULT 'none', source_level TEXT NOT NULL,
        data_source TEXT NOT NULL DEFAULT '', department TEXT NOT NULL DEFAULT '', evidence TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL DEFAULT '草稿', note TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (year, indicator, scope));
    CREATE TABLE IF NOT EXISTS hc_record_audit (
        audit_id BIGSERIAL PRIMARY KEY, ts TEXT NOT NULL, editor TEXT NOT NULL, year INTEGER NOT NULL,
        indicator TEXT NOT NULL, scope TEXT NOT NULL, action TEXT NOT NULL, field TEXT, old_value TEXT,
        new_value TEXT, version INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS hc_record_audit_key ON hc_record_audit(year, indicator, scope, audit_id);
    """,
    # f17 scenarios (方案比选): named scenarios (change set as JSON) and who changed which scenario
    """
    CREATE TABLE IF NOT EXISTS scenarios (
        name TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT '', base_year INTEGER, spec TEXT NOT NULL,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1);
    CREATE TABLE IF NOT EXISTS scenario_log (
        ts TEXT NOT NULL, editor TEXT NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
    """,
    # 城市体检 销号 (closed loop, issue 17): append-only close / reopen log of ledger problems
    """
    CREATE TABLE IF NOT EXISTS problem_closures (
        closure_id BIGSERIAL PRIMARY KEY, problem_id TEXT NOT NULL, action TEXT NOT NULL,
        closed_in_year INTEGER, value_before DOUBLE PRECISION, value_after DOUBLE PRECISION, editor TEXT NOT NULL, ts TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '', override INTEGER NOT NULL DEFAULT 0);
    CREATE INDEX IF NOT EXISTS problem_closures_problem ON problem_closures(problem_id, closure_id);
    """,
)

POSTGIS = Dialect(
    name="postgresql",
    placeholder="%s",
    begin="BEGIN",
    lock_rows=" FOR UPDATE",  # the second writer waits here, then sees the new version
    next_change_id="SELECT nextval('change_seq')",
    migrations=MIGRATIONS,
    migration_lock=("SELECT pg_advisory_lock(7201)", "SELECT pg_advisory_unlock(7201)"),
    hidden_columns=("geom",),
    id_lock="SELECT pg_advisory_xact_lock(7202)",  # project numbers: one allocator at a time
)


class PostGISProjectStore(SQLProjectStore):
    """The project library in PostgreSQL + PostGIS (``RENEWAL_DB_URL=postgresql://…``).

    Parameters
    ----------
    url : str
        A libpq URL, e.g. ``postgresql://user@host:5432/renewal``. The schema is created and migrated
        on first use.
    """

    dialect = POSTGIS

    def __init__(self, url: str):
        self.url = url
        self.path = url
        self.migrate()

    def _connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        import psycopg

        return (psycopg.Error,)

    def _run_script(self, con, script: str) -> None:
        con.execute("BEGIN")
        try:
            con.execute(script)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def count_within_postgis(
    url: str, resident_xy: np.ndarray, facility_xy: np.ndarray, radius_m: float, *, srid: int = 32650
) -> np.ndarray:
    """Count the facilities within ``radius_m`` of each resident, computed in PostGIS with ``ST_DWithin``.

    The points go into temporary tables (GiST-indexed metric geometries, dropped at commit; nothing
    persists).

    Parameters
    ----------
    url : str
        A libpq URL of a PostgreSQL database where the ``postgis`` extension can be created.
    resident_xy : numpy.ndarray
        ``(n, 2)`` resident coordinates in metres, in the projected CRS ``EPSG:<srid>``.
    facility_xy : numpy.ndarray
        ``(m, 2)`` facility coordinates in metres, same CRS.
    radius_m : float
        Search radius in metres (a facility exactly at the radius counts).
    srid : int, default 32650
        EPSG code of the metric CRS of the coordinates (default UTM zone 50N).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` int64 counts, in resident order.
    """
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    with psycopg.connect(url) as con:
        with con.cursor() as cur:
            cur.execute(f"CREATE TEMP TABLE r (id int, geom geometry(Point, {srid})) ON COMMIT DROP")
            cur.execute(f"CREATE TEMP TABLE f (geom geometry(Point, {srid})) ON COMMIT DROP")
            with cur.copy("COPY r (id, geom) FROM STDIN") as cp:
                for i, (x, y) in enumerate(resident_xy):
                    cp.write_row((i, f"SRID={srid};POINT({x} {y})"))
            with cur.copy("COPY f (geom) FROM STDIN") as cp:
                for x, y in facility_xy:
                    cp.write_row((f"SRID={srid};POINT({x} {y})",))
            cur.execute("CREATE INDEX ON f USING gist (geom)")
            cur.execute("ANALYZE r")
            cur.execute("ANALYZE f")
            cur.execute(
                "SELECT r.id, count(f.geom) FROM r LEFT JOIN f ON ST_DWithin(r.geom, f.geom, %s) "
                "GROUP BY r.id ORDER BY r.id",
                (float(radius_m),),
            )
            counts = np.array([c for _, c in cur.fetchall()], dtype=np.int64)
    return counts
