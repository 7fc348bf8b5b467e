"""GCJ-02 / BD-09 conversions against published point pairs and round trips."""

import numpy as np
import pytest
from pyproj import Geod

from geodata.chinacoords import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

GEOD = Geod(ellps="WGS84")


def _metres(lon1, lat1, lon2, lat2):
    return np.abs(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def test_published_pairs_beijing():
    # Published pairs of the widely used coordtransform library (README example at 116.404, 39.915).
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)
    lon, lat = gcj02_to_bd09(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    lon, lat = wgs84_to_bd09(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.41662724378733, 39.922699552216216), abs=1e-9)
    lon, lat = gcj02_to_wgs84(116.41024449916938, 39.91640428150164)
    assert _metres(116.404, 39.915, lon, lat) < 0.01
    lon, lat = bd09_to_gcj02(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-9)


def test_offset_in_nanchang_is_hundreds_of_metres():
    glon, glat = wgs84_to_gcj02(115.89, 28.68)
    shift = _metres(115.89, 28.68, glon, glat)
    assert 300 < float(shift) < 700  # DOMAIN.md §6: ≈300–600 m in Jiangxi


def test_inverse_error_below_one_metre_over_jiangxi():
    rng = np.random.default_rng(1)
    lon = rng.uniform(113.5, 118.5, 2000)
    lat = rng.uniform(24.5, 30.1, 2000)
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert _metres(lon, lat, *back).max() < 0.01
    # BD-09's inverse formula is itself approximate (≈0.1 m); the product promises < 1 m.
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert _metres(lon, lat, *back).max() < 1.0


def test_outside_china_unchanged():
    lon, lat = wgs84_to_gcj02(2.35, 48.85)
    assert (float(lon), float(lat)) == (2.35, 48.85)
