"""The project library on PostgreSQL + PostGIS (bureau server mode), selected by ``RENEWAL_DB_URL``.

Same behaviour as the embedded store (it reuses its logic): one transaction per save, row-level version
check under ``SELECT … FOR UPDATE`` (the second concurrent writer waits, then sees the new version and is
refused), audit rows, undo, problem links. Schema created and migrated by the app (numbered migrations);
projects carry a PostGIS geometry (EPSG:4326, generated from the WKT) with a GiST index.

Also the pushed-down analysis: residents-within-radius counts with ``ST_DWithin`` on indexed metric
geometries (:func:`count_within_postgis`), checked against the in-memory engine in the tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from geodata.projects import SQLiteProjectStore

PG_MIGRATIONS = [
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
]


class _Row(dict):
    """A row usable both as a mapping and by position (like sqlite3.Row)."""

    def __init__(self, names, values):
        super().__init__(zip(names, values))
        self._values = tuple(values)

    def __getitem__(self, key):
        return self._values[key] if isinstance(key, int) else super().__getitem__(key)

    def __iter__(self):
        return iter(self._values)


def _row_factory(cursor):
    names = [c.name for c in cursor.description] if cursor.description else []
    return lambda values: _Row(names, values)


class _PgConnection:
    """sqlite3-like facade over a psycopg connection: ``?`` placeholders, ``execute`` returning a cursor."""

    def __init__(self, url: str):
        import psycopg

        self._con = psycopg.connect(url, autocommit=True, row_factory=_row_factory)
        self.in_transaction = False

    def execute(self, sql: str, params=()):
        statement = sql.strip().upper()
        if statement.startswith("BEGIN"):
            self.in_transaction = True
        elif statement in ("COMMIT", "ROLLBACK"):
            self.in_transaction = False
        return self._con.execute(sql.replace("?", "%s"), tuple(params) if params else None)

    def executemany(self, sql: str, rows):
        with self._con.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), list(rows))

    def close(self):
        self._con.close()


class PostGISProjectStore(SQLiteProjectStore):
    """The project library in PostgreSQL + PostGIS (``RENEWAL_DB_URL=postgresql://…``)."""

    BEGIN = "BEGIN"
    LOCK = " FOR UPDATE"
    MIGRATIONS = PG_MIGRATIONS

    def __init__(self, url: str):
        self.url = url
        self.path = url
        self.migrate()

    def _connect(self):
        return _PgConnection(self.url)

    @staticmethod
    def _run_script(con, script: str) -> None:
        con.execute("BEGIN")
        try:
            con._con.execute(script)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def migrate(self) -> int:
        con = self._connect()
        try:
            con.execute("SELECT pg_advisory_lock(7201)")  # one migrator at a time
            try:
                return super().migrate()
            finally:
                con.execute("SELECT pg_advisory_unlock(7201)")
        finally:
            con.close()

    def _change_id(self, con) -> int:
        return int(con.execute("SELECT nextval('change_seq')").fetchone()[0])

    @staticmethod
    def _df(con, sql: str, params: tuple = ()) -> pd.DataFrame:
        cur = con.execute(sql, params)
        rows = cur.fetchall()
        cols = [c.name for c in cur.description]
        return pd.DataFrame([tuple(r) for r in rows], columns=cols).drop(columns=["geom"], errors="ignore")


def count_within_postgis(
    url: str, resident_xy: np.ndarray, facility_xy: np.ndarray, radius_m: float, *, srid: int = 32650
) -> np.ndarray:
    """Facilities within ``radius_m`` of each resident, computed in PostGIS with ``ST_DWithin`` on GiST-indexed
    metric points (temporary tables; nothing persists)."""
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
