"""Readers: bad files raise our error only, hostile names stay text, export formats read back, batch CRS rule."""

import zipfile

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geodata.errors import DataValidationError
from geodata.importing import read_any, read_vector, table_to_gdf


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


def test_script_in_names_is_kept_as_text():
    gdf = table_to_gdf(pd.DataFrame({"名称": ["<script>alert(1)</script>"], "lng": [115.9], "lat": [28.68]}))
    assert gdf["名称"].iloc[0] == "<script>alert(1)</script>"  # stored verbatim; every renderer escapes it


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


@pytest.mark.parametrize("fmt", ["gpkg", "geojson", "shp"])
def test_export_round_trip(tmp_path, fmt):
    from geodata.export import geodata_bytes

    gdf = gpd.GeoDataFrame({"名称": ["青山湖幼儿园"], "n": [3]}, geometry=[Point(115.9, 28.68)], crs=4326)
    data, name, _ = geodata_bytes(gdf, fmt, layer="fac")
    path = tmp_path / name
    path.write_bytes(data)
    if fmt == "shp":
        with zipfile.ZipFile(path) as zf:
            assert "fac.cpg" in zf.namelist()
    back = read_any(path).gdf
    assert back["名称"].iloc[0] == "青山湖幼儿园" and back.geometry.iloc[0].x == pytest.approx(115.9)


def test_source_name_is_shown_and_hints_the_datum(tmp_path):
    path = tmp_path / "0123abcd.csv"  # an upload stored under its hash
    pd.DataFrame({"lng": [115.9], "lat": [28.68]}).to_csv(path, index=False)
    r = read_any(path, source="高德导出.csv")
    assert r.source == "高德导出.csv" and r.datum_hint == "gcj02"
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(DataValidationError, match="amap.csv: 1 problem"):
        read_any(tmp_path / "e.csv", source="amap.csv")


def test_read_vector_keeps_degrees_of_tables_only(tmp_path):
    pd.DataFrame({"lng": [115.9], "lat": [28.68]}).to_csv(tmp_path / "deg.csv", index=False)
    assert read_vector(tmp_path / "deg.csv").crs == "EPSG:4326"
    pd.DataFrame({"x": [400_000.0], "y": [3_170_000.0]}).to_csv(tmp_path / "m.csv", index=False)
    assert read_vector(tmp_path / "m.csv").crs is None  # metres: never guessed for batch commands
