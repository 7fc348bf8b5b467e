"""Importer on fixtures the tests make themselves: GBK shapefile, GCJ-02 CSV, swapped, GK, bad files."""

import io
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Point, box

from geodata.catalogue import load_catalogue
from geodata.chinacoords import wgs84_to_gcj02
from geodata.errors import DataValidationError
from geodata.importer import (
    apply_datum,
    check_archive,
    commit,
    conform,
    infer_crs,
    map_categories,
    read_any,
    repair,
    table_to_gdf,
    validation_report,
)
from geodata.validate import check_crs

GEOD = Geod(ellps="WGS84")


def _zip(path, files: dict):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def gbk_shp_zip(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"名称": ["青山湖幼儿园", "八一小学"], "类别": ["幼儿园", "小学"]},
        geometry=[Point(115.92, 28.68), Point(115.89, 28.67)],
        crs=4326,
    )
    d = tmp_path / "shp"
    d.mkdir()
    gdf.to_file(d / "fac.shp", encoding="GBK")
    (d / "fac.cpg").unlink(missing_ok=True)  # as delivered by many GIS shops: no .cpg
    return _zip(tmp_path / "fac.zip", {p.name: p.read_bytes() for p in d.iterdir()})


def test_gbk_shapefile_without_cpg_is_detected(gbk_shp_zip):
    r = read_any(gbk_shp_zip)
    assert r.encoding == "GB18030" and list(r.gdf["名称"]) == ["青山湖幼儿园", "八一小学"]
    assert "no .cpg" in r.notes[0]


def test_gcj02_csv_converted_to_wgs84(tmp_path):
    wgs = [(115.89, 28.68), (115.93, 28.70)]
    gx, gy = wgs84_to_gcj02([p[0] for p in wgs], [p[1] for p in wgs])
    path = tmp_path / "amap_export.csv"
    pd.DataFrame({"名称": ["a", "b"], "经度": gx, "纬度": gy}).to_csv(path, index=False)
    r = read_any(path)
    assert r.datum_hint == "gcj02" and r.crs_candidates[0] == "EPSG:4326"
    back = apply_datum(r.gdf, "gcj02")
    err = GEOD.inv(back.geometry.x, back.geometry.y, [p[0] for p in wgs], [p[1] for p in wgs])[2]
    assert np.max(np.abs(err)) < 1.0


def test_swapped_lon_lat_is_explained():
    gdf = table_to_gdf(pd.DataFrame({"lng": [28.68], "lat": [115.9]}))
    gdf = gdf.set_crs(infer_crs(gdf)[0])
    assert "swapped" in check_crs(gdf, "x")[0].problem


def test_gauss_kruger_with_and_without_zone_prefix():
    pt = gpd.GeoDataFrame(geometry=[Point(115.9, 28.68)], crs=4326)
    with_prefix = gpd.GeoDataFrame(geometry=pt.to_crs("EPSG:4527").geometry.values, crs=None)
    assert infer_crs(with_prefix) == ["EPSG:4527"]  # 39xxxxxx → zone 39, CM 117°E
    without = gpd.GeoDataFrame(geometry=pt.to_crs("EPSG:4548").geometry.values, crs=None)
    assert infer_crs(without)[:2] == ["EPSG:4547", "EPSG:4548"]


def test_empty_truncated_and_non_geographic_files(tmp_path):
    (tmp_path / "empty.geojson").write_bytes(b"")
    with pytest.raises(DataValidationError, match="empty"):
        read_any(tmp_path / "empty.geojson")
    (tmp_path / "trunc.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Fea', "utf-8"
    )
    with pytest.raises(DataValidationError, match="cannot be read"):
        read_any(tmp_path / "trunc.geojson")
    (tmp_path / "plain.csv").write_text("a,b\n1,2\n", "utf-8")
    with pytest.raises(DataValidationError, match="no coordinate columns"):
        read_any(tmp_path / "plain.csv")


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
        read_any(path)


def test_script_in_names_is_kept_as_text():
    gdf = table_to_gdf(pd.DataFrame({"名称": ["<script>alert(1)</script>"], "lng": [115.9], "lat": [28.68]}))
    assert gdf["名称"].iloc[0] == "<script>alert(1)</script>"  # stored verbatim; every renderer escapes it


def test_category_mapping():
    m = map_categories(
        ["幼儿园", "社区卫生服务站", "XX街道养老服务站", "kindergarten", "未知"], load_catalogue()
    )
    assert m == {
        "幼儿园": "kindergarten",
        "社区卫生服务站": "health_station",
        "XX街道养老服务站": "elderly_daycare",
        "kindergarten": "kindergarten",
        "未知": None,
    }


def test_conform_validate_repair_drop():
    line = box(115.90, 28.60, 115.91, 28.61).exterior  # a line, not a point → wrong geometry type
    gdf = gpd.GeoDataFrame(
        {"名称": ["a", "a", "c"], "类别": ["幼儿园", "幼儿园", "幼儿园"]},
        geometry=[Point(115.9, 28.68), Point(115.9, 28.68), line],
        crs=4326,
    )
    out = conform(
        gdf,
        "facilities",
        {"name": "名称", "type": "类别"},
        categories={"幼儿园": "kindergarten"},
        defaults={"capacity": 0, "district_adcode": 360102},
    )
    problems = validation_report(out, "facilities")
    assert sorted((p.row, p.problem.split(" ")[0]) for p in problems) == [(1, "duplicate"), (2, "geometry")]
    assert len(repair(out, problems, "drop")) == 1


def test_commit_is_atomic(tmp_path, monkeypatch, demo_gpkg):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    good = conform(
        gpd.GeoDataFrame({"n": ["x"], "t": ["kindergarten"]}, geometry=[Point(115.9, 28.68)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360102},
    )
    dest = commit(good, "facilities", workspace=demo_gpkg)
    n = len(gpd.read_file(dest, layer="facilities"))
    before = dest.read_bytes()
    with pytest.raises(DataValidationError):
        commit(good.assign(type=None), "facilities", workspace=dest)  # invalid: refused, nothing written
    assert dest.read_bytes() == before and len(gpd.read_file(dest, layer="facilities")) == n


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_csv_reader_raises_only_our_error(tmp_path, data):
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data or b"x")
    try:
        read_any(path)
    except DataValidationError:
        pass


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(max_size=8), st.one_of(st.floats(allow_nan=True), st.text(max_size=5))),
        min_size=1,
        max_size=6,
    )
)
def test_table_parser_raises_only_our_error(rows):
    df = pd.DataFrame(
        {"lng": [r[1] for r in rows], "lat": [r[1] for r in rows], "name": [r[0] for r in rows]}
    )
    try:
        table_to_gdf(df)
    except DataValidationError:
        pass


def test_read_csv_from_bytes_roundtrip(tmp_path):
    buf = io.StringIO()
    pd.DataFrame({"x": [115.9], "y": [28.68], "名称": ["甲"]}).to_csv(buf, index=False)
    (tmp_path / "t.csv").write_bytes(buf.getvalue().encode("gb18030"))
    r = read_any(tmp_path / "t.csv")
    assert r.encoding == "gb18030" and r.gdf["名称"].iloc[0] == "甲"


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp", "xlsx"])
def test_export_round_trip(tmp_path, fmt):
    from geodata.export import geodata_bytes

    gdf = gpd.GeoDataFrame({"名称": ["青山湖幼儿园"], "n": [3]}, geometry=[Point(115.9, 28.68)], crs=4326)
    data, name, _ = geodata_bytes(gdf, fmt, layer="fac")
    path = tmp_path / name
    path.write_bytes(data)
    if fmt == "xlsx":
        back = pd.read_excel(path)
        assert back["名称"].iloc[0] == "青山湖幼儿园" and back["wkt"].iloc[0].startswith("POINT")
        return
    if fmt == "shp":
        with zipfile.ZipFile(path) as zf:
            assert "fac.cpg" in zf.namelist()
    back = read_any(path).gdf
    assert back["名称"].iloc[0] == "青山湖幼儿园" and back.geometry.iloc[0].x == pytest.approx(115.9)
