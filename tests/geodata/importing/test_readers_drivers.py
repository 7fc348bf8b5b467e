"""Driver allow-list: content GDAL would read with another driver than the suffix claims, and /vsi paths."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.errors import DataValidationError
from geodata.importing import read_any
from geodata.importing.safety import check_driver

VRT = (
    '<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>{src}</SrcDataSource>'
    "<GeometryType>wkbPoint</GeometryType></OGRVRTLayer></OGRVRTDataSource>"
)


def test_vrt_inside_geojson_is_refused(tmp_path):
    path = tmp_path / "roads.geojson"
    path.write_text(VRT.format(src="/etc/passwd"), "utf-8")
    with pytest.raises(DataValidationError, match="content is not a .geojson file"):
        read_any(path)


def test_vrt_inside_kml_is_refused(tmp_path):
    path = tmp_path / "roads.kml"
    path.write_text('<?xml version="1.0"?>' + VRT.format(src="/etc/passwd"), "utf-8")
    with pytest.raises(DataValidationError, match="content is not a .kml file"):
        read_any(path)


def test_geojson_under_gpkg_name_is_refused(tmp_path):
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(115.9, 28.68)], crs=4326)
    gdf.to_file(tmp_path / "a.geojson")
    (tmp_path / "a.gpkg").write_bytes((tmp_path / "a.geojson").read_bytes())
    with pytest.raises(DataValidationError, match="content is not a .gpkg file"):
        read_any(tmp_path / "a.gpkg")


def test_vsi_path_and_vsi_content_are_refused(tmp_path):
    with pytest.raises(DataValidationError, match="/vsi"):
        read_any("/vsicurl/http://example.com/x.geojson")
    path = tmp_path / "a.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [], "x": "/vsizip//etc/a.zip"}', "utf-8")
    with pytest.raises(DataValidationError, match="content is not a .geojson file"):
        read_any(path)


def test_driver_gdal_chose_must_match_the_suffix():
    check_driver("GeoJSON", ".geojson", "a.geojson")  # allowed: no error
    with pytest.raises(DataValidationError, match="read as VRT"):
        check_driver("VRT", ".geojson", "a.geojson")


def test_plain_geojson_still_reads(tmp_path):
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(115.9, 28.68)], crs=4326)
    gdf.to_file(tmp_path / "ok.geojson")
    assert len(read_any(tmp_path / "ok.geojson").gdf) == 1
