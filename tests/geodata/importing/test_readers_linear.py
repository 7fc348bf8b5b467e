"""Reading is linear in rows: blank coordinates once made it quadratic (a set rebuilt per row)."""

import time

import numpy as np
import pandas as pd

from geodata.importing import read_any


def test_half_blank_coordinates_read_in_linear_time(tmp_path):
    n = 100_000
    lng = np.where(np.arange(n) % 2 == 0, 115.9, np.nan)  # every other row blank: 50,000 blanks
    pd.DataFrame({"名称": np.arange(n), "lng": lng, "lat": np.where(np.isnan(lng), np.nan, 28.68)}).to_csv(
        tmp_path / "half.csv", index=False
    )
    t0 = time.perf_counter()
    r = read_any(tmp_path / "half.csv")
    seconds = time.perf_counter() - t0
    # quadratic reading did ~n × blanks = 5e9 set insertions here (minutes); linear reading takes ~1 s
    assert seconds < 20, seconds
    assert r.gdf.geometry.isna().sum() == n // 2 and r.gdf.geometry.iloc[0].x == 115.9
