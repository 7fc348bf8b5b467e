"""Storing an uploaded file's bytes for the import page: a content-hash name, never the user's name.

The browser's file name is untrusted (``../``, reserved names, NUL bytes, hostile text); only its
suffix is kept, from an allow-list. Same bytes → same file, so a re-upload is not stored twice. Stored
uploads older than :data:`UPLOAD_TTL_S` are removed whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path, PureWindowsPath

from geodata.atomic import atomic_write
from geodata.importing.safety import file_error, max_upload_bytes
from geodata.paths import data_dir

#: suffixes the import page accepts (the readers' formats)
UPLOAD_SUFFIXES = (".gpkg", ".zip", ".geojson", ".json", ".kml", ".dxf", ".csv", ".txt", ".xlsx", ".xls")
#: stored uploads older than this (seconds) are cleaned up
UPLOAD_TTL_S = 24 * 3600


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


def clean_uploads(keep: Path | None = None, *, max_age_s: float = UPLOAD_TTL_S) -> int:
    """Remove stored uploads older than ``max_age_s``.

    Parameters
    ----------
    keep : Path, optional
        A file never removed (the upload just stored).
    max_age_s : float, default :data:`UPLOAD_TTL_S`
        Age in seconds (by modification time).

    Returns
    -------
    int
        How many files were removed.
    """
    cutoff = time.time() - max_age_s
    removed = 0
    for f in uploads_dir().iterdir():
        if f.is_file() and f != keep and f.suffix != ".lock" and f.stat().st_mtime < cutoff:
            f.unlink(missing_ok=True)
            removed += 1
    return removed


def store_upload(
    name: str, raw: bytes, *, max_bytes: int | None = None, suffixes: tuple[str, ...] = UPLOAD_SUFFIXES
) -> Path:
    """Store an upload's bytes as ``<data dir>/uploads/<sha256><suffix>`` (atomically, once).

    Parameters
    ----------
    name : str
        The file name the browser sent; only its suffix is used (must be in :data:`UPLOAD_SUFFIXES`).
    raw : bytes
        The file content.
    max_bytes : int, optional
        The upload cap in bytes; default :func:`~geodata.importing.safety.max_upload_bytes` (this is
        the web page's path: the cap always applies here).
    suffixes : tuple of str, default UPLOAD_SUFFIXES
        The suffixes accepted (e.g. population rasters add ``.tif``).

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
    suffix = PureWindowsPath(str(name).replace("\0", "")).suffix.lower()  # splits on both / and \
    if suffix not in suffixes:
        raise file_error(
            str(name),
            f"files of type {suffix or '(none)'!r} cannot be imported",
            "use " + ", ".join(suffixes),
        )
    limit = max_bytes if max_bytes is not None else max_upload_bytes()
    if len(raw) > limit:
        raise file_error(
            str(name),
            f"the file is {len(raw) / 1e6:,.0f} MB, over the upload limit of {limit / 1e6:,.0f} MB",
            "split it or raise RENEWAL_MAX_UPLOAD_MB",
        )
    path = uploads_dir() / f"{hashlib.sha256(raw).hexdigest()}{suffix}"
    if not path.exists():
        atomic_write(path, raw)
    path.touch()  # a re-upload is fresh again
    clean_uploads(keep=path)
    return path
