"""Archives: a damaged member is named, zip bombs are judged by bytes actually decompressed, caps per path."""

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.errors import DataValidationError
from geodata.importing import max_upload_bytes, read_any, safety, store_upload
from geodata.importing.safety import extract_archive


def _shp_zip(tmp_path, compression=zipfile.ZIP_DEFLATED):
    gdf = gpd.GeoDataFrame({"名称": ["八一小学"] * 50}, geometry=[Point(115.89, 28.67)] * 50, crs=4326)
    d = tmp_path / "shp"
    d.mkdir()
    gdf.to_file(d / "fac.shp", encoding="UTF-8")
    path = tmp_path / "fac.zip"
    with zipfile.ZipFile(path, "w", compression) as zf:
        for p in sorted(d.iterdir()):
            zf.write(p, p.name)
    return path


def _corrupt_member(path, member: str, offset: int = 40):
    """Flip a byte inside a member's compressed data (the CRC no longer matches)."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    raw = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + offset] ^= 0xFF
    path.write_bytes(bytes(raw))


def test_damaged_member_crc_error_is_named(tmp_path):
    path = _shp_zip(tmp_path, zipfile.ZIP_STORED)
    _corrupt_member(path, "fac.dbf", offset=200)
    with pytest.raises(DataValidationError, match="member 'fac.dbf' is damaged"):
        read_any(path)


def test_truncated_archive_is_refused(tmp_path):
    path = _shp_zip(tmp_path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(DataValidationError, match="damaged"):
        read_any(path)


def test_bomb_is_stopped_by_bytes_decompressed_not_declared(tmp_path, monkeypatch):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.dbf", b"\0" * 3_000_000)  # 3 MB of zeros → a few KB
    # as if the header lied: skip the declared-size check, so only the running count can stop it
    monkeypatch.setattr(safety, "check_archive", lambda path, **kw: zipfile.ZipFile(path))
    monkeypatch.setattr(safety, "unzipped_limit", lambda path, max_bytes: 1_000_000)
    with pytest.raises(DataValidationError, match="over the limit of 1 MB"):
        extract_archive(path, tmp_path / "out")
    written = sum(p.stat().st_size for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written <= 1_000_000  # stopped at the limit, not after the whole member


def test_cli_path_has_no_upload_cap_but_the_page_path_does(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RENEWAL_MAX_UPLOAD_MB", "0.0005")  # a 524-byte cap
    path = _shp_zip(tmp_path)
    assert path.stat().st_size > 524
    assert len(read_any(path).gdf) == 50  # CLI: local file, no cap (decompressed-bytes limit still applies)
    with pytest.raises(DataValidationError, match="over the upload limit"):
        read_any(path, max_bytes=max_upload_bytes())  # page: the cap it passes
    with pytest.raises(DataValidationError, match="over the upload limit"):
        store_upload("fac.zip", path.read_bytes())


def test_cli_archive_limit_is_generous_but_bounded(tmp_path):
    path = _shp_zip(tmp_path)
    assert safety.unzipped_limit(path, None) == max(safety.CLI_UNZIPPED_FLOOR, 100 * path.stat().st_size)
    assert safety.unzipped_limit(path, 1_000) == 5_000
