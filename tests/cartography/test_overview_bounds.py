"""The overview map's extents: the province, or the city's compounds (its districts while it has none)."""

from types import SimpleNamespace

import geopandas as gpd
import pytest
from shapely.geometry import box

from cartography import maps


def _gdf(*boxes) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=[box(*b) for b in boxes], crs="EPSG:4326")


@pytest.fixture
def world():
    bnd = SimpleNamespace(province=_gdf((113.5, 24.5, 118.5, 30.0)))
    ws = {
        "compounds": _gdf((115.80, 28.60, 115.82, 28.62), (115.90, 28.70, 115.95, 28.75)),
        "districts": _gdf((115.70, 28.50, 116.00, 28.80)),
    }
    return bnd, ws


def test_province_and_city_extents_south_west_north_east(world):
    bnd, ws = world
    assert maps.overview_bounds(bnd, ws, extent="province", basemap="none") == [[24.5, 113.5], [30.0, 118.5]]
    assert maps.overview_bounds(bnd, ws, extent="city", basemap="none") == [[28.6, 115.8], [28.75, 115.95]]


def test_city_without_compounds_uses_its_districts(world):
    bnd, ws = world
    ws["compounds"] = ws["compounds"].iloc[:0]
    assert maps.overview_bounds(bnd, ws, extent="city", basemap="none") == [[28.5, 115.7], [28.8, 116.0]]


def test_amap_extent_is_shifted_to_gcj02_like_the_overlays(world):
    bnd, ws = world
    (s, w), (n, e) = maps.overview_bounds(bnd, ws, extent="city", basemap="amap")
    # GCJ-02 moves Nanchang a few hundred metres: east ≈ +0.005°, north ≈ −0.002…−0.003°
    assert 0.003 < w - 115.8 < 0.008 and 0.003 < e - 115.95 < 0.008
    assert -0.005 < s - 28.6 < 0 and -0.005 < n - 28.75 < 0
