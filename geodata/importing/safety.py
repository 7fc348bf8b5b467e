"""Safety checks on a user's file before anything parses it: size cap, zip traversal, zip bombs.

The upload cap is a setting (``RENEWAL_MAX_UPLOAD_MB``, default 200 MB); an archive may expand to at
most :data:`MAX_UNZIPPED_FACTOR` times the cap. Every refusal is a :class:`DataValidationError` naming
the file, the problem and what to do.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from geodata.errors import DataValidationError, Problem

#: default upload cap (bytes) — a setting: RENEWAL_MAX_UPLOAD_MB
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: refuse archives whose uncompressed size exceeds this many times the cap
MAX_UNZIPPED_FACTOR = 5


def max_upload_bytes() -> int:
    """Return the upload cap in bytes from ``RENEWAL_MAX_UPLOAD_MB`` (default 200 MB).

    Returns
    -------
    int
        The cap; :data:`DEFAULT_MAX_BYTES` when the setting is not a number.
    """
    try:
        return int(float(os.environ.get("RENEWAL_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MAX_BYTES


def file_error(name: str, problem: str, hint: str = "") -> DataValidationError:
    """Build the error for a file-level problem (no row, no field).

    Parameters
    ----------
    name : str
        The file name shown to the user.
    problem : str
        What is wrong.
    hint : str, optional
        What to do about it.

    Returns
    -------
    DataValidationError
        One problem, ``source`` = ``name`` (to be raised by the caller).
    """
    return DataValidationError([Problem(name, None, None, problem, hint)], source=name)


def check_size(path: Path, *, max_bytes: int | None = None, name: str | None = None) -> int:
    """Refuse a missing, empty or oversized file.

    Parameters
    ----------
    path : Path
        The file.
    max_bytes : int, optional
        The cap in bytes; default :func:`max_upload_bytes`.
    name : str, optional
        The name shown in messages; default the file name.

    Returns
    -------
    int
        The file size in bytes.

    Raises
    ------
    DataValidationError
        When the file is missing, empty or larger than the cap.
    """
    max_bytes = max_bytes or max_upload_bytes()
    name = name or path.name
    if not path.exists():
        raise file_error(name, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise file_error(name, "the file is empty")
    if size > max_bytes:
        raise file_error(
            name,
            f"the file is {size / 1e6:,.0f} MB, over the upload limit of {max_bytes / 1e6:,.0f} MB",
            "split it or raise RENEWAL_MAX_UPLOAD_MB",
        )
    return size


def check_archive(path: Path, *, max_bytes: int | None = None) -> zipfile.ZipFile:
    """Open a zip only if every entry is a plain relative path and the uncompressed total is bounded.

    Parameters
    ----------
    path : Path
        The archive.
    max_bytes : int, optional
        The upload cap in bytes (default :func:`max_upload_bytes`); the archive may expand to
        :data:`MAX_UNZIPPED_FACTOR` times this.

    Returns
    -------
    zipfile.ZipFile
        The open archive (the caller closes it).

    Raises
    ------
    DataValidationError
        When the archive is damaged, holds an absolute / drive / ``..`` path, or expands too far.
    """
    max_bytes = max_bytes or max_upload_bytes()
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise file_error(path.name, "the archive is damaged or not a zip file", "re-create the zip") from None
    total = 0
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            zf.close()
            raise file_error(
                path.name,
                f"unsafe path inside the archive: {info.filename!r}",
                "the zip must contain plain relative file names",
            )
        total += info.file_size
    if total > max_bytes * MAX_UNZIPPED_FACTOR:
        zf.close()
        raise file_error(
            path.name,
            f"the archive expands to {total / 1e6:,.0f} MB, over the limit of "
            f"{max_bytes * MAX_UNZIPPED_FACTOR / 1e6:,.0f} MB",
            "split the data or raise the limit",
        )
    return zf
