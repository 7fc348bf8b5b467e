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
