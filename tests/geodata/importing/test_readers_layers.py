"""Multi-layer sources list their layers with counts and take a layer name; File Geodatabase and DXF."""

import os
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString, Point

from geodata.errors import DataValidationError
from geodata.importing import read_any

SCHOOLS = gpd.GeoDataFrame(
    {"名称": ["八一小学", "青山湖小学"]}, geometry=[Point(115.89, 28.67), Point(115.92, 28.68)], crs=4326
)
CLINICS = gpd.GeoDataFrame({"名称": ["东湖卫生服务中心"]}, geometry=[Point(115.90, 28.69)], crs=4326)


def _two_layers(path, driver):
    SCHOOLS.to_file(path, layer="schools", driver=driver)
    CLINICS.to_file(path, layer="clinics", driver=driver)
    return path


def test_gpkg_lists_layers_with_counts_and_says_none_was_chosen(tmp_path):
    r = read_any(_two_layers(tmp_path / "two.gpkg", "GPKG"))
    assert r.layers == ["schools", "clinics"] and r.layer_counts == {"schools": 2, "clinics": 1}
    assert r.layer_defaulted is True
    r = read_any(tmp_path / "two.gpkg", layer="clinics")
    assert r.layer_defaulted is False and list(r.gdf["名称"]) == ["东湖卫生服务中心"]


def test_unknown_layer_lists_the_layers(tmp_path):
    with pytest.raises(DataValidationError, match="no layer named 'parks'; the layers are: schools, clinics"):
        read_any(_two_layers(tmp_path / "two.gpkg", "GPKG"), layer="parks")


def test_kml_folders_are_layers(tmp_path):
    def placemark(name, x, y):
        return f"<Placemark><name>{name}</name><Point><coordinates>{x},{y}</coordinates></Point></Placemark>"

    kml = (
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
        f"<Folder><name>schools</name>{placemark('a', 115.89, 28.67)}{placemark('b', 115.92, 28.68)}</Folder>"
        f"<Folder><name>clinics</name>{placemark('c', 115.90, 28.69)}</Folder></Document></kml>"
    )
    (tmp_path / "two.kml").write_text(kml, "utf-8")
    r = read_any(tmp_path / "two.kml")
    assert r.layers == ["schools", "clinics"] and r.layer_counts == {"schools": 2, "clinics": 1}
    assert r.layer_defaulted and len(read_any(tmp_path / "two.kml", layer="clinics").gdf) == 1


@pytest.mark.skipif(
    "w" not in pyogrio.list_drivers().get("OpenFileGDB", ""), reason="GDAL cannot write FileGDB"
)
def test_file_geodatabase_folder_and_zip(tmp_path):
    gdb = _two_layers(tmp_path / "bureau.gdb", "OpenFileGDB")
    r = read_any(gdb, layer="schools")
    assert r.layers == ["schools", "clinics"] and len(r.gdf) == 2 and r.gdf.crs == "EPSG:4326"
    assert r.gdf["名称"].iloc[0] == "八一小学"
    with zipfile.ZipFile(tmp_path / "bureau.gdb.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for root, _, files in os.walk(gdb):
            for f in files:
                full = os.path.join(root, f)
                zf.write(full, os.path.relpath(full, tmp_path))
    r = read_any(tmp_path / "bureau.gdb.zip", layer="clinics")
    assert r.layers == ["schools", "clinics"] and list(r.gdf["名称"]) == ["东湖卫生服务中心"]


def test_a_gdb_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "x.gdb").write_bytes(b"not a folder")
    with pytest.raises(DataValidationError, match="must be a folder"):
        read_any(tmp_path / "x.gdb")


def _red_lines(path):
    # CAD red lines in CGCS2000 GK CM 117°E metres (no prefix), no CRS — as a design institute delivers them
    gdf = gpd.GeoDataFrame(
        {"Layer": ["道路红线", "道路红线", "用地红线"]},
        geometry=[
            LineString([(410_000, 3_173_000), (410_300, 3_173_000)]),
            LineString([(410_300, 3_173_000), (410_300, 3_173_200)]),
            LineString([(410_500, 3_173_500), (410_600, 3_173_600)]),
        ],
    )
    pyogrio.write_dataframe(gdf, path, driver="DXF")
    return path


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_dxf_red_lines_get_an_inferred_crs_and_layer_names_as_categories(tmp_path):
    r = read_any(_red_lines(tmp_path / "红线.dxf"))
    assert r.crs_source == "inferred" and r.crs_candidates == ["EPSG:4548"] and r.gdf.crs == "EPSG:4548"
    assert sorted(set(r.gdf["Layer"])) == ["用地红线", "道路红线"]  # CAD layers, text decoded
    assert any("field Layer" in n for n in r.notes)
    # 90 km west of the 117°E meridian at 28.7°N: 117 − 90 / (111.3 × cos 28.7°) ≈ 116.08°E
    assert r.gdf.to_crs(4326).total_bounds[0] == pytest.approx(116.08, abs=0.01)


@pytest.mark.skipif(
    "w" not in pyogrio.list_drivers().get("OpenFileGDB", ""), reason="GDAL cannot write FileGDB"
)
def test_zipped_gdb_contents_without_the_folder(tmp_path):
    gdb = _two_layers(tmp_path / "bureau.gdb", "OpenFileGDB")
    with zipfile.ZipFile(tmp_path / "contents.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for f in gdb.iterdir():
            zf.write(f, f.name)  # the files, not the folder
    r = read_any(tmp_path / "contents.zip", layer="schools")
    assert r.layers == ["schools", "clinics"] and len(r.gdf) == 2


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_dxf_cad_layers_are_listed_and_one_can_be_taken(tmp_path):
    path = _red_lines(tmp_path / "红线.dxf")
    r = read_any(path)
    assert r.layer_counts == {"道路红线": 2, "用地红线": 1} and not r.layer_defaulted and len(r.gdf) == 3
    r = read_any(path, layer="用地红线")
    assert len(r.gdf) == 1 and set(r.gdf["Layer"]) == {"用地红线"}
    with pytest.raises(
        DataValidationError, match="no layer named '绿线'; the layers are: 道路红线, 用地红线"
    ):
        read_any(path, layer="绿线")
