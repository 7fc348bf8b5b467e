"""One atomic, locked write: concurrent saves never fail or interleave; a crash keeps the old file."""

import os
import threading

import pytest

from geodata import atomic
from geodata.atomic import atomic_path, atomic_write, locked, remove_file


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


def test_concurrent_saves_to_one_path(tmp_path):
    path = tmp_path / "shared.json"
    contents = {
        f"{k}-{i}": f'{{"writer": {k}, "save": {i}, "pad": "{"x" * (k * 97 + i)}"}}'
        for k in range(8)
        for i in range(150)
    }
    failures = []

    def writer(k):
        for i in range(150):
            try:
                atomic_write(path, contents[f"{k}-{i}"])
            except Exception as exc:  # noqa: BLE001 - the test counts every kind of failure
                failures.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []
    assert path.read_text(encoding="utf-8") in set(contents.values())
    assert _leftovers(tmp_path) == ["shared.json"]


def test_failure_mid_write_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = atomic_write(tmp_path / "a.txt", "old")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, "new " * 1000)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == "old"
    assert _leftovers(tmp_path) == ["a.txt"]


def test_failure_in_replace_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    path = atomic_write(tmp_path / "a.bin", b"\x00old")

    def boom(*_a, **_k):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="rename refused"):
        atomic_write(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"\x00old"
    assert _leftovers(tmp_path) == ["a.bin"]


def test_atomic_path_for_writers_that_need_a_name(tmp_path):
    target = tmp_path / "layer.gpkg"
    with atomic_path(target) as tmp:
        assert tmp.parent != tmp_path and tmp.name == "layer.gpkg" and not tmp.exists()
        tmp.write_bytes(b"v1")
        (tmp.parent / "layer.gpkg-journal").write_bytes(b"side file")
    assert target.read_bytes() == b"v1"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer crashed")
    assert target.read_bytes() == b"v1"
    assert _leftovers(tmp_path) == ["layer.gpkg"]


def test_text_is_encoded_and_folders_created(tmp_path):
    path = atomic_write(tmp_path / "new" / "t.txt", "名称", encoding="gb18030")
    assert path.read_bytes() == "名称".encode("gb18030")


def test_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(tmp_path):
    path = tmp_path / "counter.txt"
    atomic_write(path, "0")

    def bump():
        for _ in range(50):
            with locked(path):
                n = int(path.read_text())
                atomic_write(path, str(n + 1))  # re-enters the lock held above

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert path.read_text() == "200"  # no lost update


def test_remove_file(tmp_path):
    path = atomic_write(tmp_path / "x", "1")
    assert remove_file(path) is True and not path.exists()
    assert remove_file(path) is False
    assert atomic.lock_path(path) == tmp_path / "x.lock"
