"""Storing an uploaded file's bytes for the import page: a content-hash name, never the user's name.

The browser's file name is untrusted (``../``, reserved names, hostile text); only its suffix is kept,
from an allow-list. Same bytes → same file, so a re-upload is not stored twice.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PureWindowsPath

from geodata.atomic import atomic_write
from geodata.importing.safety import file_error, max_upload_bytes
from geodata.paths import data_dir

#: suffixes the import page accepts (the readers' formats)
UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".kml", ".csv", ".txt", ".xlsx", ".xls")


def uploads_dir() -> Path:
    """Return the folder holding stored uploads.

    Returns
    -------
    Path
        ``<data dir>/uploads`` (created when missing).
    """
    folder = data_dir() / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_upload(name: str, raw: bytes) -> Path:
    """Store an upload's bytes as ``<data dir>/uploads/<sha256><suffix>`` (atomically, once).

    Parameters
    ----------
    name : str
        The file name the browser sent; only its suffix is used (must be in :data:`UPLOAD_SUFFIXES`).
    raw : bytes
        The file content.

    Returns
    -------
    Path
        The stored file. Pass ``source=name`` to :func:`~geodata.importing.readers.read_any` so
        messages and the datum hint use the original name.

    Raises
    ------
    DataValidationError
        When the suffix is not allowed or the content exceeds the upload cap.
    """
    suffix = PureWindowsPath(str(name)).suffix.lower()  # splits on both / and \
    if suffix not in UPLOAD_SUFFIXES:
        raise file_error(
            str(name),
            f"files of type {suffix or '(none)'!r} cannot be imported",
            "use " + ", ".join(UPLOAD_SUFFIXES),
        )
    limit = max_upload_bytes()
    if len(raw) > limit:
        raise file_error(
            str(name),
            f"the file is {len(raw) / 1e6:,.0f} MB, over the upload limit of {limit / 1e6:,.0f} MB",
            "split it or raise RENEWAL_MAX_UPLOAD_MB",
        )
    path = uploads_dir() / f"{hashlib.sha256(raw).hexdigest()}{suffix}"
    if not path.exists():
        atomic_write(path, raw)
    return path
