"""``cli.py scenario new / list / compare``: the last-line contract, exit codes and the site-CSV round trip.

Runs on the bundled demo workspace with a throwaway SQLite store (``--db``). The round trip: the CSV that
``cli.py site`` writes, saved as a scenario and compared with ``base``, must newly serve exactly the
residents ``site`` reported (both run the same straight-line engine on the same points).
"""

import re

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from geodata.catalogue import load_catalogue
from layers.coverage import build_model
from layers.crs import ANALYSIS_CRS
from tests.test_cli_projects import last_line, run

LAST = re.compile(r"^a_served=(\d+) b_served=(\d+) delta=(-?\d+)$")


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'scen.sqlite'}"


def test_site_csv_round_trip_and_compare_contract(tmp_path, demo_gpkg, db):
    sites = tmp_path / "sites.csv"
    p = run("site", "--type", "kindergarten", "--k", "3", "--method", "greedy", "--out", str(sites))
    assert p.returncode == 0, p.stderr
    new_served = int(last_line(p).split("=")[1])
    p = run(
        "scenario",
        "new",
        "三处幼儿园",
        "--add-facilities",
        str(sites),
        "--type",
        "kindergarten",
        "--db",
        db,
        "--user",
        "王工",
    )
    assert p.returncode == 0, p.stderr
    assert last_line(p) == "scenario=三处幼儿园 added=3 removed=0 completed=0"
    out = tmp_path / "diff.xlsx"
    p = run(
        "scenario", "compare", "base", "三处幼儿园", "--type", "kindergarten", "--out", str(out), "--db", db
    )
    assert p.returncode == 0, p.stderr
    m = LAST.match(last_line(p))
    assert m, last_line(p)
    a, b, d = map(int, m.groups())
    assert d == b - a == new_served > 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "分区", "社区", "变化居民点"]
    districts = pd.read_excel(out, sheet_name="分区")
    assert districts.iloc[-1]["区"] == "合计" and districts.iloc[-1]["变化（B − A）"] == d
    assert districts.iloc[:-1]["B 新增覆盖"].sum() == pytest.approx(d, abs=len(districts))
    cells = pd.read_excel(out, sheet_name="变化居民点")
    assert (cells["变化"] == "B 新增覆盖").all() and cells["常住人口"].sum() == pytest.approx(
        d, abs=len(cells)
    )
    p = run("scenario", "list", "--db", db)
    assert p.returncode == 0 and last_line(p) == "scenarios=1" and "by=王工" in p.stdout


def test_two_survey_years_equal_two_separate_models(tmp_path, demo_gpkg, db):
    p = run(
        "scenario",
        "compare",
        "year:2025",
        "year:2026",
        "--type",
        "elderly_daycare",
        "--out",
        str(tmp_path / "y.xlsx"),
        "--db",
        db,
    )
    assert p.returncode == 0, p.stderr
    a, b, d = map(int, LAST.match(last_line(p)).groups())
    cells = gpd.read_file(demo_gpkg, layer="population_cells").to_crs(ANALYSIS_CRS)
    fac = gpd.read_file(demo_gpkg, layer="facilities").to_crs(ANALYSIS_CRS)
    cat = load_catalogue()
    served = []
    for year in (2025, 2026):
        model = build_model(cells, fac[fac["opened_year"] <= year], catalogue=cat, types=["elderly_daycare"])
        served.append(int(round(cells["population"].to_numpy()[model.served("elderly_daycare")].sum())))
    assert (a, b) == tuple(served) and d == b - a > 0


def test_life_circle_without_type_and_hostile_name(tmp_path, demo_gpkg, db):
    name = '=HYPERLINK("http://evil.example","x")'
    p = run("scenario", "new", name, "--remove-facilities", "F00001", "--db", db, "--user", "王工")
    assert p.returncode == 0, p.stderr
    out = tmp_path / "c.xlsx"
    p = run("scenario", "compare", "base", name, "--out", str(out), "--db", db)
    assert p.returncode == 0, p.stderr
    assert "selection=circle:15min" in p.stdout
    a, b, d = map(int, LAST.match(last_line(p)).groups())
    assert d == b - a <= 0  # removing a facility never adds residents
    summary = openpyxl.load_workbook(out)["汇总"]
    values = [c.value for c in summary["B"]]
    assert "'" + name in values and name not in values  # written as text, not a formula


@pytest.mark.parametrize(
    "args, message",
    [
        (("scenario", "compare", "nope", "base", "--out", "x.xlsx"), "unknown scenario 'nope'"),
        (
            ("scenario", "compare", "base", "base", "--type", "rocket", "--out", "x.xlsx"),
            "unknown facility type 'rocket'",
        ),
        (("scenario", "new", "X", "--type", "rocket"), "unknown facility type 'rocket'"),
        (
            ("scenario", "new", "X", "--remove-facilities", "F00001,ZZZ9"),
            "no such facilities in the workspace: ZZZ9",
        ),
        (
            ("scenario", "new", "X", "--complete-projects", "P1999-0001"),
            "no such project in the library: P1999-0001",
        ),
        (("scenario", "new", "a\tb", "--user", "王工"), "control character"),
    ],
)
def test_bad_input_exits_2(tmp_path, demo_gpkg, db, args, message):
    args = tuple(str(tmp_path / a) if a == "x.xlsx" else a for a in args)
    p = run(*args, "--db", db)
    assert p.returncode == 2 and message in p.stderr, p.stderr


def test_bad_csv_and_duplicate_name_exit_2(tmp_path, demo_gpkg, db):
    bad = tmp_path / "bad.csv"
    bad.write_text("名称,经度,纬度\n甲,115.9,28.6\n乙,abc,28.6\n丙,300,28.6\n", encoding="utf-8")
    p = run(
        "scenario", "new", "X", "--add-facilities", str(bad), "--type", "park", "--db", db, "--user", "王工"
    )
    assert p.returncode == 2 and "row 3" in p.stderr and "row 4" in p.stderr and "row 2" not in p.stderr
    no_type = tmp_path / "no_type.csv"
    no_type.write_text("lon,lat\n115.9,28.6\n", encoding="utf-8")
    p = run("scenario", "new", "X", "--add-facilities", str(no_type), "--db", db, "--user", "王工")
    assert p.returncode == 2 and "no facility type" in p.stderr
    good = tmp_path / "good.csv"
    good.write_text("name,type,lon,lat,capacity\n新园,kindergarten,115.9,28.68,120\n", encoding="utf-8")
    assert (
        run("scenario", "new", "X", "--add-facilities", str(good), "--db", db, "--user", "王工").returncode
        == 0
    )
    p = run("scenario", "new", "X", "--add-facilities", str(good), "--db", db, "--user", "王工")
    assert p.returncode == 2 and "already exists" in p.stderr
    assert last_line(run("scenario", "list", "--db", db)) == "scenarios=1"
