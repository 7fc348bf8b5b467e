"""The renewal project library: one contract, two sibling stores (SQLite embedded, PostGIS server).

:func:`open_store` picks the store from ``RENEWAL_DB_URL``. The public names of the contract, the stores
and the ledger exchange are re-exported here.
"""

from __future__ import annotations

import os

from geodata.stores.contract import (
    CATEGORIES,
    CATEGORY_BY_PARCEL_TYPE,
    COLUMNS,
    EDITABLE,
    ConflictError,
    ProjectError,
    ProjectStore,
    ProjectValidationError,
    validate_fields,
)
from geodata.stores.ledger import LEDGER_HEADERS, import_ledger, ledger_table
from geodata.stores.postgis import PostGISProjectStore, count_within_postgis
from geodata.stores.sqlite import SQLiteProjectStore

__all__ = [
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
    "count_within_postgis",
    "import_ledger",
    "ledger_table",
    "open_store",
    "validate_fields",
]


def open_store(url: str | None = None) -> ProjectStore:
    """Open the configured project store.

    Parameters
    ----------
    url : str, optional
        ``sqlite:///path`` or ``postgresql://…`` / ``postgres://…``; default ``RENEWAL_DB_URL``, and
        when that is unset the SQLite file in the data directory.

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
    if not url:
        return SQLiteProjectStore()
    if url.startswith("sqlite:///"):
        return SQLiteProjectStore(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://")):
        return PostGISProjectStore(url)
    raise ValueError(f"unsupported RENEWAL_DB_URL {url!r}")
