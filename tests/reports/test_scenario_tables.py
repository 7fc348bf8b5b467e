"""The scenario difference workbook: per-district totals, the age group's headers, formula-safe names."""

import io

import geopandas as gpd
import openpyxl
import pandas as pd
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from layers.scenarios import apply_scenario, compare, year_model
from reports.scenario_tables import difference_xlsx, district_table

CRS = "EPSG:32650"
X0, Y0 = 410000.0, 3170000.0


def comparison(with_children: bool):
    res = gpd.GeoDataFrame(
        {
            "cell_id": ["a", "b", "c", "d", "e"],
            "population": [10.0, 20.0, 30.0, 40.0, 50.0],
            "community_id": ["c1", "c1", "c2", "c2", "c3"],
            "district_adcode": [1, 1, 1, 2, 2],
        },
        geometry=[Point(X0 + dx, Y0) for dx in (0, 200, 400, 600, 1500)],
        crs=CRS,
    )
    if with_children:
        res["children_3_6"] = [1.0, 2.0, 3.0, 4.0, 5.0]
    fac = gpd.GeoDataFrame(
        {"facility_id": ["K1"], "type": ["kindergarten"], "name": ["甲"]}, geometry=[Point(X0, Y0)], crs=CRS
    )
    base = year_model(res, fac, load_catalogue(), year=None, types=["kindergarten"])
    p = gpd.GeoSeries([Point(X0 + 600, Y0)], crs=CRS).to_crs(4326).iloc[0]
    run = apply_scenario(base, {"added": [{"type": "kindergarten", "name": "新园", "lon": p.x, "lat": p.y}]})
    return compare(base, run.model, "kindergarten", residents=res), res


def test_district_table_with_the_age_group():
    cmp, _ = comparison(True)
    table = district_table(cmp, pd.Series({1: "东湖区", 2: "西湖区"}), "zh")
    assert table["区"].tolist() == ["东湖区", "西湖区", "合计"]
    assert table["变化（B − A）"].tolist() == [30, 40, 70]
    assert table["3–6 岁儿童变化（B − A）"].tolist() == [3, 4, 7]


def test_workbook_sheets_fallback_and_formula_guard():
    cmp, res = comparison(False)
    data = difference_xlsx(
        cmp, a_name="=HYPERLINK(\"http://x\")", b_name="B", what="Kindergarten",
        district_names=pd.Series({1: "Donghu", 2: "Xihu"}), community_names=pd.Series({"c2": "<b>c2</b>"}),
        cells=res, L="en",
    )  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Summary", "Districts", "Communities", "Changed cells"]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Scenario A"] == '\'=HYPERLINK("http://x")'
    assert summary["Change (B − A)"] == "70" and summary["Residents counted"] == "residents (population)"
    cells = list(wb["Changed cells"].iter_rows(min_row=2, values_only=True))
    assert [(c[0], c[3], c[4]) for c in cells] == [
        ("c", "Newly served in B", 30),
        ("d", "Newly served in B", 40),
    ]
    communities = [r[0] for r in wb["Communities"].iter_rows(min_row=2, values_only=True)]
    assert communities[0] == "<b>c2</b>"  # text, the largest change first
