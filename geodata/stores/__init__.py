"""The renewal project library: one contract, two sibling stores (SQLite embedded, PostGIS server).

:func:`open_store` picks the store from ``RENEWAL_DB_URL``. The public names of the contract, the stores
and the ledger exchange are re-exported here.
"""

from __future__ import annotations

import os
from pathlib import Path

from geodata.atomic import locked
from geodata.paths import data_dir
from geodata.stores.accounts import ROLES, AccountError
from geodata.stores.contract import (
    CATEGORIES,
    CATEGORY_BY_PARCEL_TYPE,
    COLUMNS,
    EDITABLE,
    YEAR_RANGE,
    ConflictError,
    ProjectError,
    ProjectStore,
    ProjectValidationError,
    StoreError,
    validate_fields,
)
from geodata.stores.ledger import LEDGER_HEADERS, import_ledger, ledger_table
from geodata.stores.postgis import PostGISProjectStore, count_within_postgis
from geodata.stores.sqlite import SQLiteProjectStore

__all__ = [
    "ROLES",
    "AccountError",
    "CATEGORIES",
    "CATEGORY_BY_PARCEL_TYPE",
    "COLUMNS",
    "EDITABLE",
    "LEDGER_HEADERS",
    "ConflictError",
    "PostGISProjectStore",
    "ProjectError",
    "ProjectStore",
    "ProjectValidationError",
    "SQLiteProjectStore",
    "StoreError",
    "YEAR_RANGE",
    "count_within_postgis",
    "import_ledger",
    "ledger_table",
    "demo_store_path",
    "open_store",
    "open_accounts",
    "seed_demo_library",
    "validate_fields",
]

#: the editor recorded for the seeded demo projects and links
DEMO_EDITOR = "示例数据"


def demo_store_path() -> Path:
    """Return the embedded store of the demo workspace (kept apart from a planner's own library).

    Returns
    -------
    Path
        ``<data dir>/demo_projects.sqlite``.
    """
    return data_dir() / "demo_projects.sqlite"


def seed_demo_library(store: ProjectStore, workspace_path: str | Path) -> int:
    """Fill an empty store with the demo workspace's seeded projects and their problem links.

    The demo GeoPackage carries the tables ``demo_projects`` (the store's fields, WKT in EPSG:4326) and
    ``demo_problem_links`` (problem_id, project_id). Nothing happens when the store already has projects
    or the workspace has no such table.

    Parameters
    ----------
    store : ProjectStore
        The (demo) store.
    workspace_path : str or Path
        The demo workspace GeoPackage.

    Returns
    -------
    int
        Number of projects created.
    """
    import pyogrio

    if len(store.list()):
        return 0
    layers = {str(name) for name, _ in pyogrio.list_layers(workspace_path)}
    if "demo_projects" not in layers:
        return 0
    projects = pyogrio.read_dataframe(workspace_path, layer="demo_projects")
    fields = [c for c in ("parcel_id", *EDITABLE, "district_adcode", "geometry_wkt") if c in projects]
    ids: dict[str, str] = {}
    for row in projects.to_dict("records"):
        made = store.create({k: row[k] for k in fields if row[k] is not None}, editor=DEMO_EDITOR)
        ids[str(row["project_id"])] = made["project_id"]
    if "demo_problem_links" in layers:
        links = pyogrio.read_dataframe(workspace_path, layer="demo_problem_links")
        for problem_id, project_id in zip(links["problem_id"], links["project_id"]):
            if str(project_id) in ids:
                store.link_problem(str(problem_id), ids[str(project_id)], editor=DEMO_EDITOR)
    return len(ids)


def open_store(url: str | None = None, *, workspace=None) -> ProjectStore:
    """Open the configured project store.

    Parameters
    ----------
    url : str, optional
        ``sqlite:///path`` or ``postgresql://…`` / ``postgres://…``; default ``RENEWAL_DB_URL``, and
        when that is unset the SQLite file in the data directory.
    workspace : geodata.workspace.Workspace, optional
        The workspace in use. Without a URL, the synthetic demo workspace gets its own embedded library
        (:func:`demo_store_path`, seeded from the demo on first use), so demo projects never mix with a
        planner's own.

    Returns
    -------
    ProjectStore
        A :class:`SQLiteProjectStore` or :class:`PostGISProjectStore` (migrated).

    Raises
    ------
    ValueError
        When the URL names another kind of database.
    """
    url = url if url is not None else os.environ.get("RENEWAL_DB_URL", "")
    if not url and workspace is not None and getattr(workspace, "synthetic", False):
        with locked(demo_store_path()):
            store = SQLiteProjectStore(demo_store_path())
            seed_demo_library(store, workspace.path)
        return store
    if not url:
        return SQLiteProjectStore()
    if url.startswith("sqlite:///"):
        return SQLiteProjectStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        return PostGISProjectStore(url)
    raise ValueError(f"unsupported RENEWAL_DB_URL {url!r}")


def open_accounts(url: str | None = None) -> ProjectStore:
    """Open the store that holds the planners' accounts.

    Accounts live with the planner's own library (``RENEWAL_DB_URL``, or the SQLite file in the data
    directory) — never in the synthetic demo library, so the demo can be reset without losing logins.

    Parameters
    ----------
    url : str, optional
        As for :func:`open_store`.

    Returns
    -------
    ProjectStore
        The store; its ``users``/``add_user``/``authenticate``… methods manage accounts.
    """
    return open_store(url)
