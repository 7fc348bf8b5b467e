"""Table exports: XLSX sheets with headers, CSV with BOM, layer export in XLSX (attributes + WKT)."""

import io

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from reports.tables import csv_bytes, layer_bytes, xlsx_bytes


def test_xlsx_sheets_and_notes():
    data = xlsx_bytes(
        {"覆盖": pd.DataFrame({"类型": ["幼儿园"], "覆盖率": [0.57]})}, notes={"mode": "euclidean"}
    )
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["覆盖", "notes"]
    assert sheets["覆盖"]["类型"].iloc[0] == "幼儿园" and sheets["notes"]["value"].iloc[0] == "euclidean"


def test_csv_has_bom_for_excel():
    data = csv_bytes(pd.DataFrame({"名称": ["甲"]}))
    assert data.startswith(b"\xef\xbb\xbf") and "名称" in data.decode("utf-8-sig")


def test_layer_xlsx_keeps_attributes_and_wkt(tmp_path):
    gdf = gpd.GeoDataFrame({"名称": ["青山湖幼儿园"], "n": [3]}, geometry=[Point(115.9, 28.68)], crs=4326)
    data, name, _ = layer_bytes(gdf, "xlsx", layer="fac")
    back = pd.read_excel(io.BytesIO(data))
    assert name == "fac.xlsx"
    assert back["名称"].iloc[0] == "青山湖幼儿园" and back["wkt"].iloc[0].startswith("POINT")


def test_layer_gis_formats_delegate_to_geodata():
    gdf = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(115.9, 28.68)], crs=4326)
    data, name, mime = layer_bytes(gdf, "geojson", layer="fac")
    assert name == "fac.geojson" and mime == "application/geo+json" and b"115.9" in data


def _all_cells(data: bytes):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


def test_xlsx_writes_formula_text_as_text():
    hostile = '=HYPERLINK("http://x","y")'
    data = xlsx_bytes(
        {"t": pd.DataFrame({hostile: [hostile, "-改造", "@SUM(A1)"], "n": [-5, 2, 3]})},
        notes={"=note": "+1"},
    )
    cells = _all_cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert by_value["'" + hostile].data_type == "s"
    assert by_value[-5].data_type == "n"  # negative numbers stay numbers
    assert "'-改造" in by_value and "'+1" in by_value and "'=note" in by_value


def test_layer_xlsx_is_formula_safe():
    gdf = gpd.GeoDataFrame({"名称": ["=1+1"], "n": [-3]}, geometry=[Point(115.9, 28.68)], crs=4326)
    cells = _all_cells(layer_bytes(gdf, "xlsx", layer="fac")[0])
    assert not [c for c in cells if c.data_type == "f"]
    assert "'=1+1" in [c.value for c in cells]


def test_csv_formula_cell_starts_with_quote():
    text = csv_bytes(pd.DataFrame({"名称": ['=HYPERLINK("http://x","y")'], "n": [-3]})).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("\"'=HYPERLINK(") and text.splitlines()[1].endswith(",-3")
