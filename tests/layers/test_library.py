"""Project-library analysis on a five-project library you can check by hand."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from layers.library import (
    budget_by_district,
    budget_by_year,
    filter_projects,
    formula_safe,
    local_time,
    pivot_summary,
    project_outlines,
    timeline,
    unscheduled,
    why_rank,
    year_span,
)
from layers.screening import score

STATUSES = ("储备", "谋划", "立项", "实施", "完工")


@pytest.fixture
def lib():
    return pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3", "P4", "P5"],
            "parcel_id": ["A", None, "C", None, None],
            "name": [
                "东湖老旧小区",
                "西湖管网",
                "青山湖城中村",
                "红谷滩停车",
                "<img src=x onerror=alert(1)>",
            ],
            "category": ["老旧小区改造", "地下管网", "城中村改造", "停车设施", "其他"],
            "status": ["实施", "储备", "实施", "完工", "谋划"],
            "budget_wan": [300.0, 100.0, 50.0, 1000.0, 0.0],
            "start_year": [2024, 2025, 2026, 2023, None],
            "end_year": [2026, None, 2026, 2024, None],
            "district_adcode": [360102, 360103, 360111, None, 360102],
            "owner_unit": ["东湖区住建局", "", "", "", ""],
            "notes": ["", "", "", "", ""],
            "geometry_wkt": [None, "POLYGON ((115 28, 115.01 28, 115.01 28.01, 115 28))", None, None, ""],
        }
    )


def test_filters_combine_and_empty_means_all(lib):
    assert len(filter_projects(lib)) == 5
    assert filter_projects(lib, statuses=("实施",))["project_id"].tolist() == ["P1", "P3"]
    assert filter_projects(lib, statuses=("实施",), districts=(360111,))["project_id"].tolist() == ["P3"]
    assert filter_projects(lib, categories=("停车设施", "其他"))["project_id"].tolist() == ["P4", "P5"]
    assert filter_projects(lib, text="东湖")["project_id"].tolist() == ["P1"]  # name and owner unit
    assert filter_projects(lib, text="p4")["project_id"].tolist() == ["P4"]  # case-insensitive id


def test_year_filter_is_span_overlap(lib):
    # P1 2024–26, P2 2025, P3 2026, P4 2023–24, P5 unscheduled
    assert filter_projects(lib, years=(2025, 2025))["project_id"].tolist() == ["P1", "P2"]
    assert filter_projects(lib, years=(2020, 2023))["project_id"].tolist() == ["P4"]
    with pytest.raises(ValueError, match="starts after it ends"):
        filter_projects(lib, years=(2026, 2024))


def test_year_span_and_unscheduled(lib):
    assert year_span(lib) == (2023, 2026)
    assert unscheduled(lib)["project_id"].tolist() == ["P5"]
    assert year_span(lib.iloc[[4]]) is None


def test_budget_by_year_spreads_evenly(lib):
    by = budget_by_year(lib).set_index(["year", "status"])["budget_wan"]
    # P1 300 over 2024–2026 = 100 a year; P3 50 in 2026; P4 1000 over 2023–24 = 500; P2 100 in 2025
    assert by[(2024, "实施")] == 100.0 and by[(2026, "实施")] == 150.0
    assert by[(2023, "完工")] == 500.0 and by[(2024, "完工")] == 500.0
    assert by[(2025, "储备")] == 100.0
    assert by.sum() == 1450.0  # P5 (no year) is left out


def test_budget_by_district_and_pivot(lib):
    by = budget_by_district(lib)
    assert by.loc[by["district_adcode"] == -1, "budget_wan"].tolist() == [1000.0]  # no district
    table = pivot_summary(by, "district_adcode", STATUSES)
    assert table.columns.tolist() == [*STATUSES, "total"]
    assert table.loc[360102, "实施"] == 300.0 and table.loc[360102, "total"] == 300.0
    assert table["total"].sum() == 1450.0
    assert pivot_summary(budget_by_year(lib.iloc[[4]]), "year", STATUSES).empty


def test_timeline_bars(lib):
    tl = timeline(lib)
    assert tl["project_id"].tolist() == ["P4", "P1", "P2", "P3"]
    p2 = tl.set_index("project_id").loc["P2"]
    assert (p2["start"], p2["end"], p2["end_excl"]) == (2025, 2025, 2026)  # no end year → one year


def test_local_time_is_shanghai():
    assert local_time("2025-03-01T16:30:00+00:00") == "2025-03-02 00:30"
    assert local_time("2025-03-01T16:30:00") == "2025-03-02 00:30"  # naive = UTC
    assert local_time(None) == "—" and local_time("not a time") == "—"


def test_project_outlines_own_geometry_else_parcel(lib):
    parcels = gpd.GeoDataFrame(
        {"parcel_id": ["A", "C"]},
        geometry=[box(115.1, 28.1, 115.2, 28.2), box(115.3, 28.3, 115.4, 28.4)],
        crs=4326,
    )
    out = project_outlines(lib, parcels)
    assert out["project_id"].tolist() == ["P1", "P2", "P3"]  # P4, P5: no outline, no parcel
    assert out.crs.to_epsg() == 4326
    assert out.set_index("project_id").geometry["P1"].bounds == (115.1, 28.1, 115.2, 28.2)


def test_why_rank_sorted_with_median_and_top1():
    crit = pd.DataFrame(
        {
            "age_years": [40.0, 20.0, 10.0],
            "residents_500m": [100.0, 900.0, 500.0],
            "area_m2": [1.0, 2.0, 3.0],
        },
        index=pd.Index(["a", "b", "c"], name="parcel_id"),
    )
    weights = {"age_years": 1.0, "residents_500m": 3.0, "area_m2": 0.0}
    scored = score(crit, weights)
    assert scored.loc["b", "rank"] == 1
    why = why_rank(crit, scored, "a", weights)
    assert why["criterion"].tolist() == ["age_years", "residents_500m", "area_m2"]  # 25, 0, 0 (weight 0 last)
    assert why["contribution"].tolist() == [25.0, 0.0, 0.0]
    row = why.set_index("criterion").loc["residents_500m"]
    assert (row["value"], row["median"], row["top1"], row["weight"]) == (100.0, 500.0, 900.0, 3.0)
    assert np.isclose(why["contribution"].sum(), scored.loc["a", "score"])
    with pytest.raises(ValueError, match="not in the scored table"):
        why_rank(crit, scored, "zz", weights)


def test_formula_safe_keeps_text_as_text():
    df = pd.DataFrame(
        {
            "=cmd": ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "ok\x00", "正常"],
            "n": [-1, 2, 3, 4, 5, 6],
        }
    )
    out = formula_safe(df)
    assert out.columns.tolist() == ["'=cmd", "n"]
    assert out["'=cmd"].tolist() == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "ok", "正常"]
    assert out["n"].tolist() == [-1, 2, 3, 4, 5, 6]  # numbers stay numbers
    assert df.columns.tolist() == ["=cmd", "n"]  # input untouched
