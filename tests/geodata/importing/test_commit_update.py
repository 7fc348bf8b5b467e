"""Writing an import: dropping drops every bad row, appends keep every column, re-imports update."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from geodata.importing import commit_import, conform, repair, validation_report
from geodata.importing.commit import MATCH_TOLERANCE_M
from geodata.indicators import load_indicators
from geodata.validate import MAX_ROWS_LISTED
from geodata.workspace import load_workspace
from geodata.workspace_new import districts_for_adcode, new_workspace

# 青山湖区 (360111), Nanchang; 1 m ≈ 1/110 900 ° of latitude
X0, Y0 = 115.95, 28.68
DEG_PER_M = 1 / 110_900


@pytest.fixture
def tiny_ws(tmp_path, monkeypatch):
    """A new city workspace whose facilities layer holds two rows and extra columns of the planner's own."""
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path / "data"))
    districts, _ = districts_for_adcode(360111)
    ws = new_workspace(tmp_path / "ws.gpkg", districts, name="青山湖区", source="adcode:360111")
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["F1", "F2"],
            "type": ["kindergarten", "park"],
            "name": ["老幼儿园", "老公园"],
            "district_adcode": [360111, 360111],
            "capacity": [120, 0],
            "opened_year": [2019, 2024],
            "owner": ["教育局", "园林局"],
        },
        geometry=[Point(X0, Y0), Point(X0 + 0.01, Y0)],
        crs=4326,
    )
    pyogrio.write_dataframe(fac, ws, layer="facilities", driver="GPKG")
    return ws


def _layer(rows, ids=True):
    """Conformed facilities from (id, name, type, lng, lat) rows."""
    df = pd.DataFrame(rows, columns=["fid", "name", "type", "lng", "lat"])
    gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lng"], df["lat"]), crs=4326)
    columns = {"name": "name", "type": "type"} | ({"facility_id": "fid"} if ids else {})
    return conform(gdf, "facilities", columns, defaults={"capacity": 0, "district_adcode": 360111})


def _read(ws):
    return pyogrio.read_dataframe(ws, layer="facilities")


# ------------------------------------------------------------------------------------------ drop all


def test_drop_removes_every_problem_row_not_only_the_listed_ones():
    n_good, n_dup, n_bad = 100, 50, 30
    good = [(f"G{i}", f"设施{i}", "kindergarten", X0 + i * 1e-3, Y0) for i in range(n_good)]
    dups = [(f"D{i}", f"副本{i}", "kindergarten", X0 + i * 1e-3, Y0) for i in range(n_dup)]  # same points
    bad = [(f"B{i}", f"无类型{i}", None, X0, Y0 + (i + 1) * 1e-3) for i in range(n_bad)]  # no type
    layer = _layer(good + dups + bad)
    shown = validation_report(layer, "facilities")
    listed = [p for p in shown if p.row is not None]
    assert len(listed) == 2 * MAX_ROWS_LISTED  # the report shows 20 per kind …
    assert sum("more rows" in p.problem for p in shown) == 2  # … and says how many more
    full = validation_report(layer, "facilities", max_rows=None)
    assert len({p.row for p in full if p.row is not None}) == n_dup + n_bad
    kept = repair(layer, shown, "drop", target="facilities")
    assert len(kept) == n_good and validation_report(kept, "facilities") == []
    assert kept["name"].tolist() == [f"设施{i}" for i in range(n_good)]
    # without the target only the listed rows could go: the old, partial drop
    assert len(repair(layer, shown, "drop")) == n_good + n_dup + n_bad - 2 * MAX_ROWS_LISTED


# ------------------------------------------------------------------------------------------ keep columns


def test_append_keeps_every_existing_column(tiny_ws):
    res = commit_import(
        _layer([("amap:N1", "新小学", "primary_school", X0, Y0 + 0.01)]), "facilities", workspace=tiny_ws
    )
    assert (res.created, res.updated, res.unchanged) == (1, 0, 0)
    fac = _read(tiny_ws)
    assert fac["facility_id"].tolist() == ["F1", "F2", "amap:N1"]
    assert fac["opened_year"].iloc[:2].tolist() == [2019, 2024] and pd.isna(fac["opened_year"].iloc[2])
    assert fac["owner"].iloc[:2].tolist() == ["教育局", "园林局"] and pd.isna(fac["owner"].iloc[2])
    assert fac["capacity"].tolist() == [120, 0, 0]
    info = pyogrio.read_info(tiny_ws, layer="facilities")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["opened_year"].startswith("int")  # not REAL
    # a second import keeps them still (the column now holds a NULL)
    commit_import(_layer([("amap:N2", "新公园", "park", X0, Y0 + 0.02)]), "facilities", workspace=tiny_ws)
    fac = _read(tiny_ws)
    assert fac["opened_year"].iloc[:2].tolist() == [2019, 2024] and fac["opened_year"].iloc[2:].isna().all()
    info = pyogrio.read_info(tiny_ws, layer="facilities")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["opened_year"].startswith("int")
    assert len(load_workspace(tiny_ws).layers["facilities"]) == 4


def test_review_on_a_demo_copy_unchanged_by_unrelated_facilities(real_copy, monkeypatch, tmp_path):
    """Importing parking lots must change no 城市体检 result of 2025 or 2026 (it changed 226 before)."""
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path / "data"))
    cat = load_catalogue()
    ind = [i for i in load_indicators(catalogue=cat) if i["kind"] in ("coverage", "complete")]

    def review(path):
        layers = load_workspace(path).layers
        return {y: pd.DataFrame(_evaluate(layers, cat, ind, y)) for y in (2025, 2026)}

    before_fac = _read(real_copy)
    assert "opened_year" in before_fac
    before = review(real_copy)
    lots = [(f"amap:P{i}", f"停车场{i}", "parking", 115.85 + i * 0.003, 28.70) for i in range(5)]
    res = commit_import(_layer(lots), "facilities", workspace=real_copy)
    assert res.created == 5
    after_fac = _read(real_copy)
    pd.testing.assert_series_equal(
        after_fac["opened_year"].iloc[: len(before_fac)], before_fac["opened_year"], check_dtype=False
    )
    after = review(real_copy)
    for y in (2025, 2026):
        pd.testing.assert_frame_equal(before[y], after[y])


def _evaluate(layers, cat, ind, year):
    from layers.healthcheck import evaluate

    return evaluate(layers, cat, ind, year=year, level="community")


# ------------------------------------------------------------------------------------------ re-import


def test_same_file_twice_then_one_name_changed(tiny_ws):
    rows = [(f"amap:B{i}", f"幼儿园{i}", "kindergarten", X0 + 0.002 * i, Y0 + 0.005) for i in range(6)]
    first = commit_import(_layer(rows), "facilities", workspace=tiny_ws)
    assert (first.created, first.updated, first.unchanged) == (6, 0, 0)
    second = commit_import(_layer(rows), "facilities", workspace=tiny_ws)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 6)
    rows[2] = ("amap:B2", "改名幼儿园", *rows[2][2:])
    third = commit_import(_layer(rows), "facilities", workspace=tiny_ws)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 5)
    fac = _read(tiny_ws)
    assert len(fac) == 8 and fac.set_index("facility_id").loc["amap:B2", "name"] == "改名幼儿园"


def test_without_ids_name_and_type_within_tolerance(tiny_ws):
    assert MATCH_TOLERANCE_M == 10.0
    # the existing 老幼儿园 (F1, capacity 120, opened 2019) listed again without an id, 6 m north
    near = _layer([(None, "老幼儿园", "kindergarten", X0, Y0 + 6 * DEG_PER_M)], ids=False)
    res = commit_import(near, "facilities", workspace=tiny_ws)
    assert (res.created, res.updated, res.unchanged) == (0, 1, 0)  # moved 6 m: same facility, updated
    fac = _read(tiny_ws).set_index("facility_id")
    assert len(fac) == 2 and fac.loc["F1", "geometry"].y == pytest.approx(Y0 + 6 * DEG_PER_M)
    assert fac.loc["F1", "capacity"] == 120 and fac.loc["F1", "opened_year"] == 2019  # not stated: kept
    again = commit_import(near, "facilities", workspace=tiny_ws)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    far = _layer(
        [(None, "老幼儿园", "kindergarten", X0, Y0 + 30 * DEG_PER_M)], ids=False
    )  # 24 m away: another
    assert commit_import(far, "facilities", workspace=tiny_ws).created == 1
    other_type = _layer([(None, "老公园", "pocket_park", X0 + 0.01, Y0)], ids=False)  # same place, other type
    assert commit_import(other_type, "facilities", workspace=tiny_ws).created == 1
    assert len(_read(tiny_ws)) == 4


def test_matching_is_one_to_one(tiny_ws):
    # two incoming copies of 老公园 within 10 m: the nearer updates nothing (same place), the other is new
    rows = [(None, "老公园", "park", X0 + 0.01, Y0), (None, "老公园", "park", X0 + 0.01, Y0 + 4 * DEG_PER_M)]
    res = commit_import(_layer(rows, ids=False), "facilities", workspace=tiny_ws)
    assert (res.created, res.updated, res.unchanged) == (1, 0, 1)
    assert np.sort(_read(tiny_ws)["name"].to_numpy()).tolist() == ["老公园", "老公园", "老幼儿园"]


def test_imported_rows_without_a_year_count_in_the_review(tiny_ws):
    """New rows get NULL in ``opened_year``: not stated, so they count as open (not silently left out)."""
    from layers.scenarios import facilities_open_in

    commit_import(
        _layer([("amap:N1", "新小学", "primary_school", X0, Y0 + 0.01)]), "facilities", workspace=tiny_ws
    )
    fac = load_workspace(tiny_ws).layers["facilities"]
    assert pd.isna(fac.set_index("facility_id").loc["amap:N1", "opened_year"])
    assert facilities_open_in(fac, 2020)["facility_id"].tolist() == ["F1", "amap:N1"]  # F2 opens in 2024
    assert facilities_open_in(fac, 2025)["facility_id"].tolist() == ["F1", "F2", "amap:N1"]
