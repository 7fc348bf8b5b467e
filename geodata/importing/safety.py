"""Safety checks on a user's file before anything parses it: size cap, zip traversal, zip bombs, drivers.

The upload cap is a setting (``RENEWAL_MAX_UPLOAD_MB``, default 200 MB) that applies to the web page's
uploads only: the page passes it as ``max_bytes``; the CLI reads local files the user names with no size
cap. Archives are judged by the bytes actually decompressed (:func:`extract_archive` streams every
member with a running byte count): at most :data:`MAX_UNZIPPED_FACTOR` times the upload cap on the page,
and :func:`cli_unzipped_limit` (generous) on the CLI. Every refusal is a :class:`DataValidationError`
naming the file, the problem and what to do.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
import zlib
from pathlib import Path

from geodata.errors import DataValidationError, Problem

#: default upload cap (bytes) — a setting: RENEWAL_MAX_UPLOAD_MB
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: refuse archives whose uncompressed size exceeds this many times the cap
MAX_UNZIPPED_FACTOR = 5
#: on the CLI (no upload cap) an archive may expand to this many times its own size …
CLI_UNZIPPED_FACTOR = 100
#: … and at least to this many bytes
CLI_UNZIPPED_FLOOR = 1024 * 1024 * 1024
#: bytes copied per read while extracting
_CHUNK = 1024 * 1024


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
        The cap in bytes (the web page passes :func:`max_upload_bytes`); None = no cap (CLI).
    name : str, optional
        The name shown in messages; default the file name.

    Returns
    -------
    int
        The file size in bytes (a folder, e.g. a File Geodatabase: the total of its files).

    Raises
    ------
    DataValidationError
        When the file is missing, empty or larger than the cap.
    """
    name = name or path.name
    if not path.exists():
        raise file_error(name, "file not found")
    if path.is_dir():
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    else:
        size = path.stat().st_size
    if size == 0:
        raise file_error(name, "the file is empty")
    if max_bytes is not None and size > max_bytes:
        raise file_error(
            name,
            f"the file is {size / 1e6:,.0f} MB, over the upload limit of {max_bytes / 1e6:,.0f} MB",
            "split it or raise RENEWAL_MAX_UPLOAD_MB",
        )
    return size


def check_archive(path: Path, *, max_bytes: int | None = None, name: str | None = None) -> zipfile.ZipFile:
    """Open a zip only if every entry is a plain relative path and the uncompressed total is bounded.

    Parameters
    ----------
    path : Path
        The archive.
    max_bytes : int, optional
        The upload cap in bytes (the page); the archive's declared size may reach
        :data:`MAX_UNZIPPED_FACTOR` times this. None (CLI): :func:`cli_unzipped_limit`.
    name : str, optional
        The name shown in messages; default the file name.

    Returns
    -------
    zipfile.ZipFile
        The open archive (the caller closes it).

    Raises
    ------
    DataValidationError
        When the archive is damaged, holds an absolute / drive / ``..`` path, or expands too far.
    """
    shown = name or path.name
    limit = unzipped_limit(path, max_bytes)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise file_error(shown, "the archive is damaged or not a zip file", "re-create the zip") from None
    total = 0
    for info in zf.infolist():
        member = info.filename.replace("\\", "/")
        if member.startswith("/") or re.match(r"^[A-Za-z]:", member) or ".." in member.split("/"):
            zf.close()
            raise file_error(
                shown,
                f"unsafe path inside the archive: {info.filename!r}",
                "the zip must contain plain relative file names",
            )
        total += info.file_size
    if total > limit:
        zf.close()
        raise _expands_error(shown, total, limit)
    return zf


def _expands_error(name: str, total: int, limit: int) -> DataValidationError:
    return file_error(
        name,
        f"the archive expands to {total / 1e6:,.0f} MB, over the limit of {limit / 1e6:,.0f} MB",
        "split the data or raise the limit",
    )


def cli_unzipped_limit(path: Path) -> int:
    """Return how far an archive read by the CLI may expand.

    Parameters
    ----------
    path : Path
        The archive.

    Returns
    -------
    int
        Bytes: :data:`CLI_UNZIPPED_FACTOR` times the archive's size, at least :data:`CLI_UNZIPPED_FLOOR`.
    """
    return max(CLI_UNZIPPED_FLOOR, CLI_UNZIPPED_FACTOR * path.stat().st_size)


def unzipped_limit(path: Path, max_bytes: int | None) -> int:
    """Return the decompressed-bytes limit of an archive.

    Parameters
    ----------
    path : Path
        The archive.
    max_bytes : int or None
        The upload cap in bytes (page), or None (CLI).

    Returns
    -------
    int
        ``max_bytes`` × :data:`MAX_UNZIPPED_FACTOR` on the page, :func:`cli_unzipped_limit` on the CLI.
    """
    return max_bytes * MAX_UNZIPPED_FACTOR if max_bytes is not None else cli_unzipped_limit(path)


def extract_archive(
    path: Path, dest: Path, *, max_bytes: int | None = None, name: str | None = None
) -> list[str]:
    """Extract a zip into ``dest``, counting the bytes actually decompressed (not the declared sizes).

    Every member is streamed in chunks with a running total; extraction stops as soon as the total
    passes the limit (:func:`unzipped_limit`), so a zip bomb whose headers lie is refused after at
    most the limit. A damaged member (CRC error, truncated data) is refused by name.

    Parameters
    ----------
    path : Path
        The archive (checked first by :func:`check_archive`: relative paths only).
    dest : Path
        An empty folder to extract into (the caller removes it).
    max_bytes : int, optional
        The upload cap in bytes (page); None on the CLI.
    name : str, optional
        The name shown in messages; default the file name.

    Returns
    -------
    list of str
        The member names extracted (folders left out), with ``/`` separators.

    Raises
    ------
    DataValidationError
        For unsafe paths, a damaged archive or member, or more decompressed bytes than the limit.
    """
    name = name or path.name
    limit = unzipped_limit(path, max_bytes)
    total = 0
    out: list[str] = []
    with check_archive(path, max_bytes=max_bytes, name=name) as zf:
        for info in zf.infolist():
            member = info.filename.replace("\\", "/")
            if member.endswith("/"):
                continue
            target = dest.joinpath(*[p for p in member.split("/") if p not in ("", ".")])
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    while chunk := src.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise _expands_error(name, total, limit)
                        dst.write(chunk)
            except DataValidationError:
                raise
            except (zipfile.BadZipFile, EOFError, zlib.error, OSError, NotImplementedError, RuntimeError):
                raise file_error(
                    name,
                    f"the archive member {info.filename!r} is damaged (CRC error or truncated)",
                    "re-create the zip",
                ) from None
            out.append(member)
    return out


def remove_tree(folder: Path) -> None:
    """Remove a temporary extraction folder (ignoring what is already gone).

    Parameters
    ----------
    folder : Path
        The folder.
    """
    shutil.rmtree(folder, ignore_errors=True)


#: the GDAL drivers a file of each suffix may be read with (anything else GDAL sniffs is refused)
ALLOWED_DRIVERS = {
    ".geojson": ("GeoJSON",),
    ".json": ("GeoJSON", "ESRIJSON", "TopoJSON"),
    ".shp": ("ESRI Shapefile",),
    ".gpkg": ("GPKG",),
    ".kml": ("KML", "LIBKML"),
    ".gdb": ("OpenFileGDB",),
    ".dxf": ("DXF",),
}
#: bytes examined at the start of a file to recognise its format
_HEAD = 64 * 1024


def refuse_vsi(text: str, name: str) -> None:
    """Refuse a path (or a layer name) that reaches into GDAL's virtual file systems (``/vsi…``).

    Parameters
    ----------
    text : str
        The path or name as given.
    name : str
        The file name shown in messages.

    Raises
    ------
    DataValidationError
        When ``text`` mentions ``/vsi`` (e.g. ``/vsizip/``, ``/vsicurl/``).
    """
    if "/vsi" in str(text).lower().replace("\\", "/"):
        raise file_error(name, "GDAL virtual paths (/vsi…) are not accepted", "give a plain file on disk")


def _content_matches(suffix: str, head: bytes) -> bool:
    body = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if suffix in (".geojson", ".json"):
        return body[:1] in (b"{", b"[")
    if suffix == ".gpkg":
        return head.startswith(b"SQLite format 3\x00")
    if suffix == ".shp":
        return head[:4] == b"\x00\x00\x27\x0a"
    if suffix == ".kml":
        return b"<kml" in head[:4096].lower()
    if suffix == ".dxf":
        if head.startswith(b"AutoCAD Binary DXF"):
            return True
        tokens = body.split(None, 4)
        return tokens[:2] == [b"0", b"SECTION"] or tokens[:1] == [b"999"]
    return False


def check_content(path: Path, suffix: str, name: str) -> None:
    """Refuse a file whose content is not the format its suffix claims, before GDAL opens it.

    GDAL picks a driver from the content, not the name: a VRT (XML) saved as ``.geojson`` would make
    it read any file on the server. So the first bytes must look like the suffix's format (``{`` for
    GeoJSON, the SQLite header for GeoPackage, ``<kml`` for KML, the shapefile magic number, a DXF
    ``SECTION``), text formats must not mention ``/vsi`` or a VRT data source, and a File Geodatabase
    must be a folder. :func:`check_driver` then checks the driver GDAL really chose.

    Parameters
    ----------
    path : Path
        The file (a folder for ``.gdb``).
    suffix : str
        The suffix it is read as (a key of :data:`ALLOWED_DRIVERS`).
    name : str
        The file name shown in messages.

    Raises
    ------
    DataValidationError
        When the suffix is not one we read with GDAL or the content does not match it.
    """
    if suffix not in ALLOWED_DRIVERS:
        raise file_error(
            name,
            f"files of type {suffix or '(none)'!r} cannot be imported",
            "use " + ", ".join(ALLOWED_DRIVERS),
        )
    if suffix == ".gdb":
        if not path.is_dir():
            raise file_error(
                name, "a .gdb File Geodatabase must be a folder (or a zipped folder)", "zip the .gdb folder"
            )
        return
    with open(path, "rb") as fh:
        head = fh.read(_HEAD)
    lowered = head.lower()
    if not _content_matches(suffix, head) or b"<ogrvrtdatasource" in lowered or b"/vsi" in lowered:
        raise file_error(
            name,
            f"the content is not a {suffix} file (another format under this name is refused)",
            "save the data again in the format its name says",
        )


def check_driver(driver: str, suffix: str, name: str) -> None:
    """Refuse a file GDAL opened with a driver not allowed for its suffix.

    Parameters
    ----------
    driver : str
        The driver GDAL chose (``pyogrio.read_info(...)["driver"]``).
    suffix : str
        The file's suffix.
    name : str
        The file name shown in messages.

    Raises
    ------
    DataValidationError
        When ``driver`` is not in :data:`ALLOWED_DRIVERS` for ``suffix``.
    """
    if driver not in ALLOWED_DRIVERS.get(suffix, ()):
        raise file_error(
            name,
            f"the content is read as {driver}, not as a {suffix} file (refused)",
            "save the data again in the format its name says",
        )
