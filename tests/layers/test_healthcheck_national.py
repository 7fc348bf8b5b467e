"""The kinds added for the national catalogue, on the hand-made two-community workspace of test_healthcheck.

Cells: (100,100) 100 residents and (900,900) 100 residents in C1; (1500,500) 50 residents in C2. Kindergartens
k1 (0,0) since 2010 and k2 (1500,600) since 2026; radius 300 m. One D-grade parcel in C2, completed 2026.
"""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from layers.healthcheck import evaluate
from tests.layers.test_healthcheck import CRS, layers  # noqa: F401  (fixture)


def _ind(**kw):
    return {"key": "x", "unit": "个", "direction": "lower", "target": 0, **kw}


def _value(lay, ind, year, level, unit):
    ev = evaluate(lay, load_catalogue(), [ind], year=year, level=level)
    return ev.set_index("unit").loc[unit]


def test_lacking_counts_communities_under_half_served(layers):  # noqa: F811
    ind = _ind(kind="lacking", type="kindergarten")
    r = _value(layers, ind, 2025, "district", 360102)
    assert r["value"] == 1 and r["affected"] == 50  # C1 has 50 % (not lacking), C2 has none
    assert _value(layers, ind, 2026, "district", 360102)["value"] == 0  # k2 opened in 2026
    assert _value(layers, ind, 2025, "community", "C2")["value"] == 1
    assert _value(layers, ind, 2025, "community", "C1")["value"] == 0


def test_city_level_is_the_whole_workspace(layers):  # noqa: F811
    ind = {
        "key": "kg",
        "kind": "coverage",
        "type": "kindergarten",
        "unit": "%",
        "direction": "higher",
        "target": 0.9,
    }
    assert _value(layers, ind, 2026, "city", "city")["value"] == pytest.approx(150 / 250)


def test_gap_sum_parking(layers):  # noqa: F811
    ind = _ind(
        kind="gap_sum", layer="compounds", numerator="parking_spaces", denominator="households", per=0.6
    )
    # C1: ceil(0.6 × 100) − 30 = 30; C2: 24 − 40 → 0
    assert _value(layers, ind, 2026, "city", "city")["value"] == 30
    assert _value(layers, ind, 2026, "community", "C2")["value"] == 0


def test_completed_share_by_year(layers):  # noqa: F811
    ind = _ind(
        kind="completed_share", layer="parcels", filter="danger_grade == 'D'", unit="%", direction="higher"
    )
    assert _value(layers, ind, 2025, "city", "city")["value"] == 0.0
    assert _value(layers, ind, 2026, "city", "city")["value"] == 1.0


def test_coverage_any_takes_each_types_radius(layers):  # noqa: F811
    park = gpd.GeoDataFrame(
        {
            "facility_id": ["g1"],
            "type": ["pocket_park"],
            "name": ["园"],
            "district_adcode": [360102],
            "capacity": [0],
            "opened_year": [2000],
        },
        geometry=[Point(900, 1150)],  # 250 m from the (900,900) cell: within the 300 m pocket-park radius
        crs=CRS,
    )
    lay = dict(layers, facilities=pd.concat([layers["facilities"], park], ignore_index=True))
    ind = {
        "key": "g",
        "kind": "coverage_any",
        "types": ["kindergarten", "pocket_park"],
        "unit": "%",
        "direction": "higher",
        "target": 0.9,
    }
    assert _value(lay, ind, 2025, "city", "city")["value"] == pytest.approx(200 / 250)
