"""Point files as arrays and chunked formula-safe CSV (geodata.bulk), against the general reader/writer."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely
from shapely.geometry import Point, box

from geodata.bulk import read_points, wkb_points_xy, write_csv_chunks
from geodata.errors import DataValidationError
from geodata.importing import read_vector
from geodata.spreadsheet import write_csv

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def points(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"cell_id": [1, 2, 3], "population": [10.5, 0.0, 7.0], "name": ["a", "=HYPERLINK(1)", HOSTILE]},
        geometry=[Point(115.81, 28.61), Point(115.82, 28.62), Point(115.9, 28.7)],
        crs=4326,
    )
    gdf.to_file(tmp_path / "pts.gpkg")
    return gdf, tmp_path


def test_gpkg_points_equal_the_general_reader(points):
    gdf, tmp = points
    pts = read_points(tmp / "pts.gpkg")
    ref = read_vector(tmp / "pts.gpkg")
    xy = shapely.get_coordinates(ref.geometry.values)
    assert np.array_equal(pts.x, xy[:, 0]) and np.array_equal(pts.y, xy[:, 1])
    assert pts.crs == "EPSG:4326" and len(pts) == 3
    assert pts.attributes.column_names == ["cell_id", "population", "name"]
    assert pts.attributes.column("name").to_pylist() == ["a", "=HYPERLINK(1)", HOSTILE]


def test_only_the_columns_asked_for(points):
    _, tmp = points
    assert read_points(tmp / "pts.gpkg", columns=["population", "nope"]).attributes.column_names == [
        "population"
    ]
    assert read_points(tmp / "pts.gpkg", columns=[]).attributes.num_columns == 0


def test_csv_lonlat(tmp_path):
    (tmp_path / "c.csv").write_text(
        "id,lng,lat,population\n1,115.5,28.1,3\n2,116.0,29.0,4\n", encoding="utf-8"
    )
    pts = read_points(tmp_path / "c.csv")
    assert pts.x.tolist() == [115.5, 116.0] and pts.y.tolist() == [28.1, 29.0] and pts.crs == "EPSG:4326"
    assert pts.attributes.column_names == ["id", "lng", "lat", "population"]  # all columns, as pandas keeps


@pytest.mark.parametrize(
    "name, content",
    [
        (
            "gbk.csv",
            "名称,lng,lat\n甲,115.5,28.1\n".encode("gbk"),
        ),  # not UTF-8: the general reader decodes it
        ("blank.csv", b"lng,lat\n115.5,28.1\n,29\n"),  # a blank coordinate: the general reader reports it
        ("metres.csv", b"x,y\n500000,3000000\n"),  # not degrees: the general reader decides
        ("nocoords.csv", b"a,b\n1,2\n"),
    ],
)
def test_csv_not_plain_goes_to_the_general_reader(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    assert read_points(tmp_path / name) is None


def test_polygons_3d_and_renamed_files_go_to_the_general_reader(tmp_path):
    gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)], crs=4326).to_file(tmp_path / "poly.gpkg")
    gpd.GeoDataFrame(geometry=[Point(1, 2, 3)], crs=4326).to_file(tmp_path / "z.gpkg")
    gpd.GeoDataFrame(geometry=[Point(1, 2)], crs=4326).to_file(tmp_path / "real.gpkg")
    (tmp_path / "fake.geojson").write_bytes((tmp_path / "real.gpkg").read_bytes())  # a GPKG named .geojson
    for name in ("poly.gpkg", "z.gpkg", "fake.geojson"):
        assert read_points(tmp_path / name) is None, name
    assert read_points("/vsizip/x.zip/a.shp") is None


def test_csv_dates_stay_text(tmp_path):
    (tmp_path / "d.csv").write_bytes("\ufeffid,lng,lat,surveyed\n1,115.5,28.1,2024-01-01 10:00\n".encode())
    pts = read_points(tmp_path / "d.csv")  # a UTF-8 BOM is fine
    assert pts.attributes.column_names[0] == "id"
    assert pts.attributes.column("surveyed").to_pylist() == ["2024-01-01 10:00"]


def test_empty_layer_goes_to_the_general_reader(tmp_path):
    gpd.GeoDataFrame({"a": []}, geometry=[], crs=4326).to_file(tmp_path / "empty.gpkg")
    assert read_points(tmp_path / "empty.gpkg") is None


def test_missing_file(tmp_path):
    with pytest.raises(DataValidationError, match="file not found"):
        read_points(tmp_path / "nope.gpkg")


def test_wkb_decoding_by_hand():
    wkb = pa.chunked_array(
        [[shapely.to_wkb(Point(1.5, -2.0)), shapely.to_wkb(Point(3, 4))]], type=pa.binary()
    )
    x, y = wkb_points_xy(wkb)
    assert x.tolist() == [1.5, 3.0] and y.tolist() == [-2.0, 4.0]
    sliced = pa.chunked_array([wkb.chunk(0).slice(1)])  # an offset into the buffers
    assert wkb_points_xy(sliced)[0].tolist() == [3.0]
    empty = pa.chunked_array([[shapely.to_wkb(Point())]], type=pa.binary())
    assert wkb_points_xy(empty) is None


def test_chunked_csv_equals_write_csv(tmp_path):
    df = pd.DataFrame(
        {
            "name": ["a", "=1+1", f"{HOSTILE}\x00", "-改造", "@x", None],
            "population": [1.5, 2.0, 3.0, 4.0, 5.0, 6.0],
            "distance_m": [100.2, np.nan, 0.0, 3.5, 1e4, 7.0],
            "served": [True, False, True, False, True, False],
            "=bad header": [1, 2, 3, 4, 5, 6],
        }
    )
    write_csv(df, tmp_path / "ref.csv")
    table = pa.Table.from_pandas(df, preserve_index=False)
    write_csv_chunks(table, tmp_path / "ours.csv", chunk_rows=4)  # two chunks
    ours, ref = pd.read_csv(tmp_path / "ours.csv"), pd.read_csv(tmp_path / "ref.csv")
    pd.testing.assert_frame_equal(ours, ref)
    assert ours["name"].tolist()[1:5] == ["'=1+1", HOSTILE, "'-改造", "'@x"]
    assert list(ours.columns)[-1] == "'=bad header"
    text = (tmp_path / "ours.csv").read_text(encoding="utf-8")
    assert text.count("name,population") == 1 and "True" in text and "nan" not in text
    assert not list(tmp_path.glob("*.tmp*"))  # the atomic save left nothing behind
