"""The one way geodata saves a file: atomically, under a file lock.

Every save writes a uniquely named temporary file in the target's folder, flushes and ``fsync``-s it,
then ``os.replace``-s it over the target while holding ``<target>.lock`` (:mod:`filelock`). Readers see
either the old or the new file, never a half-written one; concurrent writers (threads, processes,
browser sessions) serialise on the lock instead of colliding on a shared temporary name; a failure
mid-write leaves the old file and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock

#: seconds a writer waits for another writer's lock before giving up (``filelock.Timeout``)
LOCK_TIMEOUT_S = 120.0

_LOCKS: dict[str, FileLock] = {}
_LOCKS_GUARD = threading.Lock()


def lock_path(path: str | Path) -> Path:
    """Return the lock file guarding saves of ``path``.

    Parameters
    ----------
    path : str or Path
        The file being saved.

    Returns
    -------
    Path
        ``<path>.lock`` in the same folder.
    """
    return Path(str(path) + ".lock")


def _lock_for(path: Path) -> FileLock:
    # One FileLock object per lock file: re-entrant within a thread (a read-modify-write may call
    # atomic_write while holding the lock), exclusive across threads (thread-local state) and processes.
    key = str(lock_path(path).absolute())
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = FileLock(key, timeout=LOCK_TIMEOUT_S, thread_local=True)
        return lock


@contextlib.contextmanager
def locked(path: str | Path) -> Iterator[Path]:
    """Hold the save lock of ``path`` (for a read-modify-write that must not lose another save).

    Re-entrant within a thread, so :func:`atomic_write` and :func:`atomic_path` may be called inside.

    Parameters
    ----------
    path : str or Path
        The file whose saves are serialised; its folder is created when missing.

    Yields
    ------
    Path
        ``path`` as a :class:`~pathlib.Path`.

    Raises
    ------
    filelock.Timeout
        When another writer holds the lock for longer than :data:`LOCK_TIMEOUT_S` seconds.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock_for(path):
        yield path


def _fsync_dir(folder: Path) -> None:
    """Persist the rename itself (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | Path, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically: unique temporary file, ``fsync``, ``os.replace``, under the lock.

    Parameters
    ----------
    path : str or Path
        Target file; its folder is created when missing.
    data : bytes or str
        The complete new content (``str`` is encoded with ``encoding``).
    encoding : str, default "utf-8"
        Text encoding used when ``data`` is a ``str``.

    Returns
    -------
    Path
        The written ``path``.

    Raises
    ------
    OSError
        When the temporary file cannot be written or renamed; the old file is then unchanged and the
        temporary file removed.
    filelock.Timeout
        When another writer holds the lock for longer than :data:`LOCK_TIMEOUT_S` seconds.
    """
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with locked(path) as target:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return target


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary path to write, then move it over ``path`` atomically, under the lock.

    For writers that need a file name rather than bytes (pyogrio / GDAL GeoPackage, SQLite). The
    yielded path lies in a uniquely named temporary folder beside ``path``, has the same file name and
    does not exist yet. When the block ends without an exception the file is ``fsync``-ed and
    ``os.replace``-d over ``path``; in every case the temporary folder (with any side files such as a
    GeoPackage journal) is removed.

    Parameters
    ----------
    path : str or Path
        Target file; its folder is created when missing.

    Yields
    ------
    Path
        Where to write the new content.

    Raises
    ------
    FileNotFoundError
        When the block did not create the yielded file.
    filelock.Timeout
        When another writer holds the lock for longer than :data:`LOCK_TIMEOUT_S` seconds.
    """
    with locked(path) as target:
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        try:
            tmp = folder / target.name
            yield tmp
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, target)
            _fsync_dir(target.parent)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def remove_file(path: str | Path) -> bool:
    """Delete ``path`` under its save lock (so a concurrent save is not half-undone).

    Parameters
    ----------
    path : str or Path
        The file to delete.

    Returns
    -------
    bool
        True when a file was removed, False when there was none.
    """
    with locked(path) as target:
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        _fsync_dir(target.parent)
        return True
