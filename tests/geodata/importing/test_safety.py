"""Safety: zip path traversal, zip bombs and oversized uploads are refused before parsing."""

import zipfile

import pytest

from geodata.errors import DataValidationError
from geodata.importing import check_archive, max_upload_bytes, read_any
from tests.geodata.importing.conftest import _zip


def test_zip_with_parent_paths_is_refused(tmp_path):
    bad = _zip(tmp_path / "evil.zip", {"../../etc/x.shp": b"x"})
    with pytest.raises(DataValidationError, match="unsafe path"):
        read_any(bad)


def test_oversized_upload_and_archive(tmp_path, monkeypatch):
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.dbf", b"\0" * 3_000_000)  # compresses to a few KB
    with pytest.raises(DataValidationError, match="expands to"):
        check_archive(path, max_bytes=100_000)
    monkeypatch.setenv("RENEWAL_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(DataValidationError, match="over the upload limit"):
        read_any(path, max_bytes=max_upload_bytes())  # the page passes its upload cap


@pytest.mark.parametrize("name", ["/etc/x.shp", "C:/x.shp", "a\\..\\..\\x.shp"])
def test_absolute_drive_and_backslash_paths_are_refused(tmp_path, name):
    with pytest.raises(DataValidationError, match="unsafe path"):
        check_archive(_zip(tmp_path / "evil.zip", {name: b"x"}))


def test_damaged_archive(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK not really")
    with pytest.raises(DataValidationError, match="damaged"):
        check_archive(tmp_path / "bad.zip")
    assert zipfile.is_zipfile(tmp_path / "bad.zip") is False
