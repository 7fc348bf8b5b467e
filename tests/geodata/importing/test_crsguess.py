"""CRS inference from coordinate ranges: degrees, swapped degrees, Gauss-Krüger with and without prefix."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geodata.importing import infer_crs, table_to_gdf
from geodata.validate import check_crs


def test_swapped_lon_lat_is_explained():
    gdf = table_to_gdf(pd.DataFrame({"lng": [28.68], "lat": [115.9]}))
    gdf = gdf.set_crs(infer_crs(gdf)[0])
    assert "swapped" in check_crs(gdf, "x")[0].problem


def test_gauss_kruger_with_and_without_zone_prefix():
    pt = gpd.GeoDataFrame(geometry=[Point(115.9, 28.68)], crs=4326)
    with_prefix = gpd.GeoDataFrame(geometry=pt.to_crs("EPSG:4527").geometry.values, crs=None)
    assert infer_crs(with_prefix) == ["EPSG:4527"]  # 39xxxxxx → zone 39, CM 117°E
    without = gpd.GeoDataFrame(geometry=pt.to_crs("EPSG:4548").geometry.values, crs=None)
    # 410 km easting: CM 114°E would put it at 113.0°E, outside Jiangxi; only CM 117°E fits
    assert infer_crs(without) == ["EPSG:4548"]


def test_degrees_in_china_and_nothing_outside():
    deg = gpd.GeoDataFrame(geometry=[Point(115.9, 28.68)], crs=None)
    assert infer_crs(deg) == ["EPSG:4326", "EPSG:4490"]
    assert infer_crs(gpd.GeoDataFrame(geometry=[Point(2.35, 48.85)], crs=None)) == []  # Paris
