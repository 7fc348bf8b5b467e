"""Parcel filters and summaries on a hand-made table."""

import pandas as pd
import pytest

from layers.parcels import ParcelFilter, filter_mask, summary


@pytest.fixture
def parcels():
    return pd.DataFrame(
        {
            "parcel_id": ["a", "b", "c", "d"],
            "parcel_type": ["老旧小区", "老旧小区", "城中村", "老旧小区"],
            "district_adcode": [360102, 360103, 360102, 360102],
            "build_year": [1985, 1995, 1970, 2003],
            "status": ["储备", "谋划", "储备", "实施"],
            "decision": ["改", "改", "拆", "改"],
            "area_m2": [10000.0, 20000.0, 50000.0, 5000.0],
            "budget_wan": [100.0, 200.0, 5000.0, 80.0],
        }
    )


def test_old_compounds_before_2000_in_one_district(parcels):
    flt = ParcelFilter(types=("老旧小区",), districts=(360102,), build_year=(1900, 1999))
    assert parcels[filter_mask(parcels, flt)]["parcel_id"].tolist() == ["a"]


def test_empty_filter_keeps_all(parcels):
    assert filter_mask(parcels, ParcelFilter()).all()


def test_score_range_needs_scores(parcels):
    with pytest.raises(ValueError, match="no scores"):
        filter_mask(parcels, ParcelFilter(score=(0, 50)))
    scores = pd.Series([10.0, 60.0, 40.0, 90.0], index=parcels.index)
    assert filter_mask(parcels, ParcelFilter(score=(40, 60)), scores=scores).tolist() == [
        False,
        True,
        True,
        False,
    ]


def test_summary_by_type_and_status(parcels):
    s = summary(parcels, by=["parcel_type", "status"])
    row = s[(s.parcel_type == "老旧小区") & (s.status == "储备")].iloc[0]
    assert row["count"] == 1 and row["area_ha"] == 1.0 and row["budget_wan"] == 100.0
    assert s["count"].sum() == 4 and s["budget_wan"].sum() == 5380.0


def test_summary_of_nothing(parcels):
    assert summary(parcels.iloc[0:0], by=["parcel_type"]).empty
