"""The import page's reading side: layers offered with counts, sheets, bad rows listed in the planner's language."""

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from dashboard.import_read import choose_layer_or_sheet, show_bad_rows
from geodata.importing import read_any
path = st.session_state["path"]
L = st.session_state.get("lang", "zh")
r = read_any(path)
r = choose_layer_or_sheet(r, lambda layer, sheet: read_any(path, layer=layer, sheet=sheet), L)
st.write(f"rows={len(r.gdf)}")
show_bad_rows(r, L)
"""


def _at(path, lang="zh"):
    at = AppTest.from_string(SCRIPT, default_timeout=60)
    at.session_state["auth"] = {"name": "tester", "role": "editor", "via": "local"}
    at.session_state["path"] = str(path)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_layers_are_offered_with_feature_counts(tmp_path):
    path = tmp_path / "two.gpkg"
    gpd.GeoDataFrame({"名称": ["甲", "乙"]}, geometry=[Point(115.9, 28.68)] * 2, crs=4326).to_file(
        path, layer="学校"
    )
    gpd.GeoDataFrame({"名称": ["丙"]}, geometry=[Point(115.9, 28.69)], crs=4326).to_file(path, layer="诊所")
    at = _at(path)
    box = at.selectbox(key="imp_layer@zh")
    assert box.label == "图层（文件共 2 个图层，请选择）" and box.options == [
        "学校（2 个要素）",
        "诊所（1 个要素）",
    ]
    box.set_value("诊所").run()
    assert "rows=1" in at.markdown[0].value


def test_sheet_with_coordinates_is_preselected(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as xw:
        pd.DataFrame({"说明": ["封面"]}).to_excel(xw, sheet_name="封面", index=False)
        pd.DataFrame({"名称": ["甲"], "经度": [115.9], "纬度": [28.68]}).to_excel(
            xw, sheet_name="设施", index=False
        )
    at = _at(path)
    assert at.selectbox(key="imp_sheet").value == "设施" and "rows=1" in at.markdown[0].value


def test_bad_rows_are_listed_by_row_and_name(tmp_path):
    path = tmp_path / "f.csv"
    pd.DataFrame(
        {
            "名称": ["甲", "乙", "丙", "<b>丁</b>"],
            "经度": [115.9, 115.91, 115.92, 28.7],
            "纬度": [28.68, 28.69, 28.7, 115.9],
        }
    ).to_csv(path, index=False)
    zh = _at(path).warning[0].value
    assert zh.startswith("1 行的坐标与其余各行不符") and "第 3 行" in zh and "经纬度颠倒" in zh
    assert "<b>" not in zh  # the user's name is escaped
    en = _at(path, "en").warning[0].value
    assert "row 3" in en and "longitude and latitude swapped" in en and "经纬度" not in en
