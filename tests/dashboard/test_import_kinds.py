"""The import page's new kinds: the kind selector (zh/en), its uploader, the check table with unmatched names and
the blocked confirm, and no controls for viewers."""

import geopandas as gpd
from shapely.geometry import box
from streamlit.testing.v1 import AppTest

from geodata.workspace_new import new_workspace

IMPORT = "from dashboard.import_page import render_import\nrender_import()\n"
CHECK = """
import geopandas as gpd
import streamlit as st
from shapely.geometry import Point
from dashboard.import_kinds import _population_check
from geodata.importing.population import PopulationImport

cells = gpd.GeoDataFrame(
    {"cell_id": ["t_C1"], "population": [1200.0], "elderly": [0.0], "district_adcode": [1], "community_id": ["C1"]},
    geometry=[Point(115.9, 28.6)], crs=4326,
)
res = PopulationImport(cells, "table", 1200.0, {"unmatched": 1, "ambiguous": 0}, ["<img src=x onerror=alert(1)>"])
st.session_state["ok"] = _population_check(res, st.session_state.get("L", "zh"))
"""


def _ws(tmp_path):
    d = gpd.GeoDataFrame(
        {"adcode": [360702], "name_zh": ["章贡区"], "name_en": ["Zhanggong"]},
        geometry=[box(114.9, 25.8, 115.0, 25.9)],
        crs=4326,
    )
    return new_workspace(tmp_path / "w.gpkg", d, name="章贡", source="t")


def _at(script, ws=None, role="editor", lang="zh"):
    at = AppTest.from_string(script, default_timeout=120)
    at.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
    at.session_state["lang"] = lang
    if ws is not None:
        at.session_state["ws_path"] = str(ws)
    at.run()
    assert not at.exception, at.exception
    return at


def test_kind_selector_offers_population(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT, _ws(tmp_path))
    radio = at.radio(key="ik_kind@zh")
    assert radio.options == ["设施、小区或更新地块", "人口", "道路中心线", "社区边界", "街道边界"]
    radio.set_value("population").run()
    assert not at.exception, at.exception
    assert any("人口栅格 GeoTIFF" in c.value for c in at.caption)
    assert len(at.get("file_uploader")) == 1


def test_kind_selector_in_english(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT, _ws(tmp_path), lang="en")
    assert at.radio(key="ik_kind@en").options[1:3] == ["Population", "Street centre lines"]


def test_viewer_gets_no_kind_controls(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT, _ws(tmp_path), role="viewer")
    assert not at.get("radio") or not any(str(r.key).startswith("ik_kind") for r in at.radio)
    assert not at.get("file_uploader")


def test_check_table_lists_unmatched_and_blocks():
    at = _at(CHECK)
    assert at.session_state["ok"] is False  # unmatched rows block the import until the user opts in
    names = [d.value for d in at.dataframe if "名称（或代码）" in d.value.columns][0]
    assert list(names["名称（或代码）"]) == ["<img src=x onerror=alert(1)>"]  # shown as text in a table
    assert any("1 行未能唯一匹配" in w.value for w in at.warning)
    assert [m.value for m in at.metric][1:] == ["1", "1,200"]
    at.checkbox(key="ik_drop_unmatched").check().run()
    assert at.session_state["ok"] is True
