"""CRS choice and reprojection on coordinate arrays equal the GeoDataFrame path (layers.crs)."""

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import CRS

from layers.crs import transform_xy, utm_crs_for, utm_crs_for_points


def _grid(lon0, lat0):
    lon, lat = np.meshgrid(np.linspace(lon0, lon0 + 0.5, 7), np.linspace(lat0, lat0 + 0.3, 5))
    return lon.ravel(), lat.ravel()


@pytest.mark.parametrize("lon0, zone", [(115.9, 50), (113.6, 49), (117.2, 50)])
def test_zone_from_the_points_centroid_equals_the_union_centroid(lon0, zone):
    x, y = _grid(lon0, 28.0)
    gdf = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=4326)
    assert utm_crs_for_points(x, y, "EPSG:4326") == utm_crs_for(gdf) == f"EPSG:{32600 + zone}"


def test_metric_crs_is_kept():
    assert utm_crs_for_points(np.array([1.0]), np.array([2.0]), "EPSG:32650") == CRS.from_epsg(32650)


def test_no_crs_or_no_points_refused():
    with pytest.raises(ValueError, match="no CRS"):
        utm_crs_for_points(np.array([1.0]), np.array([2.0]), None)
    with pytest.raises(ValueError, match="no points"):
        utm_crs_for_points(np.zeros(0), np.zeros(0), "EPSG:4326")


@pytest.mark.parametrize("src", ["EPSG:4326", "EPSG:4490"])
def test_transform_equals_to_crs(src):
    x, y = _grid(115.8, 28.6)
    gx, gy = x.copy(), y.copy()
    tx, ty = transform_xy(x, y, src, "EPSG:32650")
    ref = shapely.get_coordinates(
        gpd.GeoSeries(gpd.points_from_xy(gx, gy), crs=src).to_crs("EPSG:32650").values
    )
    assert np.array_equal(tx, ref[:, 0]) and np.array_equal(ty, ref[:, 1])
    assert np.array_equal(x, gx) and np.array_equal(y, gy)  # inputs untouched
    # the grid step 0.5°/6 east at 28.6°N is ≈ 111.32 km × cos 28.6° / 12 ≈ 8.15 km: metres, not degrees
    assert 8100 < tx[1] - tx[0] < 8200
