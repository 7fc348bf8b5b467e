"""Encodings: a GBK shapefile without .cpg is detected, a .cpg is honoured, GBK / UTF-8 tables decode."""

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geodata.errors import DataValidationError
from geodata.importing import read_any
from geodata.importing.encoding import cpg_encoding, decode_text, detect_dbf_encoding
from tests.geodata.importing.conftest import _zip


def test_gbk_shapefile_without_cpg_is_detected(gbk_shp_zip):
    r = read_any(gbk_shp_zip)
    assert r.encoding == "GB18030" and list(r.gdf["名称"]) == ["青山湖幼儿园", "八一小学"]
    assert "no .cpg" in r.notes[0]


def test_read_csv_from_bytes_roundtrip(tmp_path):
    buf = io.StringIO()
    pd.DataFrame({"x": [115.9], "y": [28.68], "名称": ["甲"]}).to_csv(buf, index=False)
    (tmp_path / "t.csv").write_bytes(buf.getvalue().encode("gb18030"))
    r = read_any(tmp_path / "t.csv")
    assert r.encoding == "gb18030" and r.gdf["名称"].iloc[0] == "甲"


def test_cpg_is_honoured(tmp_path):
    gdf = gpd.GeoDataFrame({"名称": ["八一小学"]}, geometry=[Point(115.89, 28.67)], crs=4326)
    d = tmp_path / "shp"
    d.mkdir()
    gdf.to_file(d / "fac.shp", encoding="GBK")
    (d / "fac.cpg").write_text("936", encoding="ascii")  # a Windows code page number, as ArcGIS writes
    r = read_any(_zip(tmp_path / "fac.zip", {p.name: p.read_bytes() for p in d.iterdir()}))
    assert (
        r.encoding == "GBK"
        and r.notes[0] == "encoding from .cpg: GBK"
        and r.gdf["名称"].iloc[0] == "八一小学"
    )


def test_cpg_names():
    assert cpg_encoding(b"UTF-8\r\n") == "UTF-8" and cpg_encoding(b"65001") == "UTF-8"
    assert cpg_encoding(b"") == "UTF-8" and cpg_encoding(b"GB2312") == "GB2312"


def test_dbf_detection_on_utf8_and_gbk(tmp_path):
    for enc, expected in (("UTF-8", "UTF-8"), ("GBK", "GB18030")):
        gdf = gpd.GeoDataFrame({"名称": ["青山湖幼儿园"]}, geometry=[Point(115.9, 28.68)], crs=4326)
        gdf.to_file(tmp_path / f"{enc}.shp", encoding=enc)
        assert detect_dbf_encoding((tmp_path / f"{enc}.dbf").read_bytes()) == expected


def test_text_neither_utf8_nor_gbk_is_refused():
    assert decode_text("名称\n甲\n".encode("utf-8-sig"), "t.csv") == ("名称\n甲\n", "utf-8-sig")
    with pytest.raises(DataValidationError, match="not UTF-8 or GBK"):
        decode_text(bytes(range(128, 256)), "t.csv")
