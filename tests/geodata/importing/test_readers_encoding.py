"""Encodings: .cpg code page numbers, a .cpg that lies, Big5 and UTF-16 tables."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.importing import read_any
from geodata.importing.encoding import cpg_encoding
from tests.geodata.importing.conftest import _zip


def _shp_zip(tmp_path, encoding, cpg: bytes | None):
    gdf = gpd.GeoDataFrame({"名称": ["八一小学"]}, geometry=[Point(115.89, 28.67)], crs=4326)
    d = tmp_path / "shp"
    d.mkdir()
    gdf.to_file(d / "fac.shp", encoding=encoding)
    (d / "fac.cpg").unlink(missing_ok=True)
    files = {p.name: p.read_bytes() for p in d.iterdir()}
    if cpg is not None:
        files["fac.cpg"] = cpg
    return _zip(tmp_path / "fac.zip", files)


@pytest.mark.parametrize(("cpg", "expected"), [(b"936", "GBK"), (b"CP936", "GBK"), (b"ANSI 936", "GBK")])
def test_cpg_code_page_numbers(tmp_path, cpg, expected):
    r = read_any(_shp_zip(tmp_path, "GBK", cpg))
    assert r.encoding == expected and r.gdf["名称"].iloc[0] == "八一小学"


def test_cpg_65001_is_utf8(tmp_path):
    assert cpg_encoding(b"65001") == cpg_encoding(b"cp65001") == "UTF-8"
    r = read_any(_shp_zip(tmp_path, "UTF-8", b"65001"))
    assert r.encoding == "UTF-8" and r.gdf["名称"].iloc[0] == "八一小学"


def test_cpg_saying_utf8_over_gbk_bytes_is_overridden(tmp_path):
    r = read_any(_shp_zip(tmp_path, "GBK", b"UTF-8"))
    assert r.encoding == "GB18030" and r.gdf["名称"].iloc[0] == "八一小学"
    assert r.notes[0] == "the .cpg says UTF-8 but the attributes are not UTF-8: read as GB18030"


def test_cpg_saying_gbk_over_utf8_bytes_is_overridden(tmp_path):
    r = read_any(_shp_zip(tmp_path, "UTF-8", b"GBK"))
    assert r.encoding == "UTF-8" and r.gdf["名称"].iloc[0] == "八一小学"


def test_big5_table(tmp_path):
    text = "名稱,經度,緯度\n南昌市立圖書館,115.89,28.67\n八一廣場,115.90,28.68\n"
    (tmp_path / "big5.csv").write_bytes(text.encode("big5"))
    r = read_any(tmp_path / "big5.csv")
    assert r.encoding == "big5" and list(r.gdf["名稱"]) == ["南昌市立圖書館", "八一廣場"]


def test_utf16_table_with_bom(tmp_path):
    text = "名称\t经度\t纬度\n八一小学\t115.89\t28.67\n"
    (tmp_path / "u16.txt").write_bytes(
        text.encode("utf-16")
    )  # BOM + little-endian, as Excel saves "Unicode text"
    r = read_any(tmp_path / "u16.txt")
    assert (
        r.encoding == "utf-16" and r.gdf["名称"].iloc[0] == "八一小学" and r.gdf.geometry.iloc[0].x == 115.89
    )


def test_gbk_after_a_long_ascii_start_is_still_detected(tmp_path):
    # the codec is guessed on the first 256 kB; GBK text only further down must still decode right
    rows = "".join(f"F{i},115.9,28.68\n" for i in range(30_000))  # ~480 kB of ASCII
    raw = ("name,lng,lat\n" + rows + "八一小学,115.89,28.67\n").encode("gb18030")
    (tmp_path / "late.csv").write_bytes(raw)
    r = read_any(tmp_path / "late.csv")
    assert r.encoding == "gb18030" and r.gdf["name"].iloc[-1] == "八一小学" and len(r.gdf) == 30_001
