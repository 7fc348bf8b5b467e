"""Uploads are stored under a content hash with an allowed suffix; hostile names never reach the disk."""

import hashlib

import pytest

from geodata.errors import DataValidationError
from geodata.importing import store_upload


def test_upload_is_stored_by_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    raw = b"lng,lat\n115.9,28.68\n"
    path = store_upload("../../<img src=x onerror=alert(1)>.CSV", raw)
    assert path == tmp_path / "uploads" / f"{hashlib.sha256(raw).hexdigest()}.csv"
    assert path.read_bytes() == raw
    assert store_upload("again.csv", raw) == path  # same bytes, same file
    assert [p.name for p in (tmp_path / "uploads").iterdir() if not p.name.endswith(".lock")] == [path.name]


@pytest.mark.parametrize("name", ["evil.exe", "noext", "x.csv\0.exe", "..\\..\\a.py"])
def test_disallowed_suffix_is_refused(tmp_path, monkeypatch, name):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    with pytest.raises(DataValidationError, match="cannot be imported"):
        store_upload(name, b"x")


def test_oversized_upload_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RENEWAL_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(DataValidationError, match="over the upload limit"):
        store_upload("big.csv", b"x" * 2000)


@pytest.mark.parametrize(
    ("name", "suffix"), [("../../x.geojson", ".geojson"), ("..\\..\\红线.DXF", ".dxf"), ("a\0b.csv", ".csv")]
)
def test_hostile_names_cannot_escape_the_uploads_folder(tmp_path, monkeypatch, name, suffix):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    path = store_upload(name, b"{}")
    assert path.parent == tmp_path / "uploads" and path.suffix == suffix and "\0" not in str(path)
    assert path.stem == hashlib.sha256(b"{}").hexdigest()


def test_double_suffix_keeps_only_the_last(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    with pytest.raises(DataValidationError, match="cannot be imported"):
        store_upload("a.geojson.exe", b"{}")


def test_old_uploads_are_cleaned_up(tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    old = store_upload("old.csv", b"lng,lat\n1,2\n")
    long_ago = time.time() - 3 * 24 * 3600
    os.utime(old, (long_ago, long_ago))
    new = store_upload("new.csv", b"lng,lat\n3,4\n")
    assert new.exists() and not old.exists()
