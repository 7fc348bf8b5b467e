"""Tables: delimiters, headers with units, sheets, title rows, DMS strings, empty values kept."""

import pandas as pd
import pytest

from geodata.errors import DataValidationError
from geodata.importing import read_any
from geodata.importing.readers import coordinate_columns, parse_coordinates


@pytest.mark.parametrize(("sep", "label"), [(";", "semicolon"), ("\t", "tab")])
def test_semicolon_and_tab_delimiters(tmp_path, sep, label):
    (tmp_path / "t.csv").write_text(
        f"名称{sep}lng{sep}lat\n甲{sep}115.9{sep}28.68\n乙{sep}115.91{sep}28.69\n", "utf-8"
    )
    r = read_any(tmp_path / "t.csv")
    assert (
        len(r.gdf) == 2 and r.gdf.geometry.iloc[1].x == 115.91 and f"columns separated by {label}" in r.notes
    )


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["名称", "经度(°)", "纬度（度）"], ("经度(°)", "纬度（度）")),
        (["X坐标(m)", "Y坐标(m)"], ("X坐标(m)", "Y坐标(m)")),
        (["lng (deg)", "lat (deg)"], ("lng (deg)", "lat (deg)")),
        (["Longitude [°]", "Latitude [°]"], ("Longitude [°]", "Latitude [°]")),
        (["名称", "地址"], None),
    ],
)
def test_headers_with_units(header, expected):
    assert coordinate_columns(header) == expected


def test_data_below_merged_title_rows(tmp_path):
    text = "南昌市东湖区公共服务设施清单,,\n（2025年12月）,,\n名称,经度(°),纬度(°)\n八一小学,115.89,28.67\n"
    (tmp_path / "t.csv").write_text(text, "utf-8")
    r = read_any(tmp_path / "t.csv")
    assert list(r.gdf["名称"]) == ["八一小学"] and "2 title row(s) above the header skipped" in r.notes


def test_xlsx_title_rows_and_sheets(tmp_path):
    path = tmp_path / "t.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"说明": ["本表由某局提供"]}).to_excel(xw, sheet_name="说明", index=False)
        pd.DataFrame(
            [["设施清单", None, None], ["名称", "经度", "纬度"], ["八一小学", 115.89, 28.67]]
        ).to_excel(xw, sheet_name="设施", index=False, header=False)
    r = read_any(path)
    assert r.sheets == ["说明", "设施"] and r.sheet_defaulted and r.gdf["名称"].iloc[0] == "八一小学"
    assert any("not on the first sheet" in n for n in r.notes)
    r = read_any(path, sheet="设施")
    assert not r.sheet_defaulted and r.gdf.geometry.iloc[0].y == 28.67
    with pytest.raises(DataValidationError, match="no sheet named '其他'; the sheets are: 说明, 设施"):
        read_any(path, sheet="其他")


@pytest.mark.parametrize(
    ("text", "degrees"),
    [
        ("115°52'30\"E", 115.875),
        ("28°40′N", 28 + 40 / 60),
        ("115.875°", 115.875),
        ("N28°40′30″", 28 + 40 / 60 + 30 / 3600),
        ("115度52分30秒", 115.875),
        ("46°30'S", -46.5),
        ("115.9", 115.9),
    ],
)
def test_dms_and_degree_strings(text, degrees):
    values, _ = parse_coordinates(pd.Series([text, None, ""]))
    assert values.iloc[0] == pytest.approx(degrees, abs=1e-9) and values.iloc[1:].isna().all()


def test_dms_table_reads_as_points(tmp_path):
    (tmp_path / "dms.csv").write_text('名称,经度,纬度\n甲,"115°52\'30""E",28°40′N\n', "utf-8")
    r = read_any(tmp_path / "dms.csv")
    pt = r.gdf.geometry.iloc[0]
    assert pt.x == pytest.approx(115.875) and pt.y == pytest.approx(28 + 40 / 60) and r.gdf.crs == "EPSG:4326"


def test_empty_danger_grade_is_kept_as_a_value(tmp_path):
    (tmp_path / "c.csv").write_text("名称,危房等级,lng,lat\n甲,,115.9,28.68\n乙,C,115.91,28.69\n", "utf-8")
    r = read_any(tmp_path / "c.csv")
    assert len(r.gdf) == 2 and pd.isna(r.gdf["危房等级"].iloc[0]) and r.bad_rows == {}


def test_blank_coordinates_give_no_geometry_but_keep_the_row(tmp_path):
    (tmp_path / "b.csv").write_text("名称,lng,lat\n甲,115.9,28.68\n乙,,\n丙,115.91,28.69\n", "utf-8")
    g = read_any(tmp_path / "b.csv").gdf
    assert len(g) == 3 and g.geometry.iloc[1] is None and g.geometry.iloc[2].x == 115.91
