"""Datums: GCJ-02 coordinates become WGS84 within 1 m; names suggest the datum; unknown datums refused."""

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod

from geodata.chinacoords import wgs84_to_gcj02
from geodata.importing import apply_datum, datum_hint, read_any

GEOD = Geod(ellps="WGS84")


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


def test_datum_hints_and_unknown_datum(tmp_path):
    assert datum_hint(["百度坐标.csv", "lng"]) == "bd09" and datum_hint(["plain.csv"]) is None
    path = tmp_path / "t.csv"
    pd.DataFrame({"lng": [115.9], "lat": [28.68]}).to_csv(path, index=False)
    gdf = read_any(path).gdf
    assert apply_datum(gdf, "wgs84") is gdf
    with pytest.raises(ValueError, match="unknown datum 'wgs72'"):
        apply_datum(gdf, "wgs72")
