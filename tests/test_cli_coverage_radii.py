"""`cli.py coverage` with several radii in one run, on the array path, checked by hand and against the old path."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from layers.coverage import point_coverage
from tests.test_cli import run

# metres in EPSG:32650: three facilities, five residents (distances 500, 300, 250, 400, 2000 m)
FAC = [(500000, 3000000), (501000, 3000000), (500000, 3002000)]
RES = [(500300, 3000400), (500000, 3000300), (501000, 3000250), (500000, 3001600), (503000, 3000000)]
POP = [100, 200, 300, 400, 500]


@pytest.fixture
def files(tmp_path):
    fac = gpd.GeoDataFrame(
        {"type": ["kindergarten", "kindergarten", "park"]}, geometry=[Point(p) for p in FAC], crs=32650
    )
    res = gpd.GeoDataFrame(
        {"name": ["a", "=HYPERLINK(1)", "<b>c</b>", "d", "e"], "population": POP},
        geometry=[Point(p) for p in RES],
        crs=32650,
    )
    fac.to_file(tmp_path / "fac.gpkg")  # metres: kept as they are (exactly at the radius stays exact)
    fac.to_crs(4326).to_file(tmp_path / "fac_deg.gpkg")  # degrees: the command projects to UTM 50N itself
    res.to_file(tmp_path / "res.gpkg")
    ll = res.to_crs(4326)
    pd.DataFrame({"name": res["name"], "lng": ll.geometry.x, "lat": ll.geometry.y, "population": POP}).to_csv(
        tmp_path / "res.csv", index=False
    )
    return tmp_path


def _run(files, residents, radii, *extra, fac="fac.gpkg"):
    out = files / "out.csv"
    p = run(
        "coverage",
        "--facilities",
        str(files / fac),
        "--residents",
        str(files / residents),
        "--radius-m",
        radii,
        "--out",
        str(out),
        *extra,
    )
    assert p.returncode == 0, p.stderr
    return p.stdout.strip().splitlines(), pd.read_csv(out)


def test_two_radii_one_run(files):
    lines, table = _run(files, "res.gpkg", "500,300")
    assert lines[-1] == "served_population_300m=500 served_population_500m=1000 total_population=1500"
    assert list(table.columns) == ["name", "population", "distance_m", "served_300m", "served_500m"]
    assert table["distance_m"].tolist() == pytest.approx([500.0, 300.0, 250.0, 400.0, 2000.0], abs=0.05)
    assert table["served_300m"].tolist() == [False, True, True, False, False]
    assert table["served_500m"].tolist() == [True, True, True, True, False]
    assert table["name"].tolist()[1] == "'=HYPERLINK(1)"  # formula guard on the array path too
    assert "crs=EPSG:32650" in lines[-2] and "facilities=3 residents=5" in lines[-2]


def test_one_radius_keeps_the_old_contract(files):
    lines, table = _run(files, "res.gpkg", "300", "--type", "kindergarten")
    # without the park, resident d is 1600 m from the first kindergarten
    assert lines[-1] == "served_population=500 total_population=1500"
    assert list(table.columns) == ["name", "population", "distance_m", "served"]
    assert table["distance_m"].tolist()[3] == pytest.approx(1600.0, abs=0.05)


def test_csv_lonlat_residents_same_answers(files):
    lines, table = _run(files, "res.csv", "300,500", fac="fac_deg.gpkg")
    # the CSV is in degrees: 300 m exactly moves by ~1e-9 m through two projections, so only the 500 m
    # figures and the distances are compared exactly here
    assert lines[-1].endswith("served_population_500m=1000 total_population=1500")
    assert list(table.columns) == [
        "name",
        "lng",
        "lat",
        "population",
        "distance_m",
        "served_300m",
        "served_500m",
    ]
    assert table["distance_m"].tolist() == pytest.approx([500.0, 300.0, 250.0, 400.0, 2000.0], abs=0.05)


def test_array_path_equals_the_geodataframe_path(files):
    """Same served flags and distances as layers.coverage.point_coverage on GeoDataFrames (today's path)."""
    lines, table = _run(files, "res.csv", "250,1000", fac="fac_deg.gpkg")
    df = pd.read_csv(files / "res.csv")
    res = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lng"], df["lat"]), crs=4326)
    fac = gpd.read_file(files / "fac_deg.gpkg")
    for r in (250, 1000):
        ref = point_coverage(res.to_crs(32650), fac.to_crs(32650), radius_m=r)
        assert table[f"served_{r}m"].tolist() == ref["served"].tolist()
        assert table["distance_m"].tolist() == ref["distance_m"].tolist()


@pytest.mark.parametrize("radii", ["300,abc", "0", "-300", ","])
def test_bad_radius_list(files, radii):
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / "res.gpkg"),
        "--radius-m",
        radii,
        "--out",
        str(files / "x.csv"),
    )
    assert p.returncode == 2 and "--radius-m" in p.stderr and "positive metres" in p.stderr
    assert not (files / "x.csv").exists()


def test_non_numeric_population(files):
    (files / "bad.csv").write_text("lng,lat,population\n115.9,28.6,12\n115.9,28.7,很多\n", encoding="utf-8")
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / "bad.csv"),
        "--radius-m",
        "300",
        "--out",
        str(files / "x.csv"),
    )
    assert p.returncode == 2 and "'population' is empty or not a number in rows [1]" in p.stderr


def test_blank_coordinates_named(files):
    (files / "blank.csv").write_text("lng,lat,population\n115.9,28.6,12\n,,5\n", encoding="utf-8")
    p = run(
        "coverage",
        "--facilities",
        str(files / "fac.gpkg"),
        "--residents",
        str(files / "blank.csv"),
        "--radius-m",
        "300",
        "--out",
        str(files / "x.csv"),
    )
    assert p.returncode == 2 and "rows [1] have no geometry" in p.stderr
    assert not (files / "x.csv").exists()
