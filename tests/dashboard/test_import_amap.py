"""The import page's AMap panel: recognition message, type counts, unmapped codes, the typecode table editor
(viewers cannot save), in Chinese and English."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geodata.importing.amap import user_typecodes_path
from tests.amap_sample import COLS, sample_rows

ROWS = sample_rows()

SCRIPT = """
import streamlit as st
from dashboard import import_amap
from geodata.importing import apply_datum
poi = import_amap.read({path!r}, "poi.csv")
datum = {datum!r}
gdf = apply_datum(poi.result.gdf, datum)
import_amap.recognised(poi, datum, {L!r})
out = import_amap.typed(gdf, poi, {L!r})
st.session_state["types_out"] = out["type"].tolist()
"""


@pytest.fixture
def poi_csv(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "poi.csv"
    pd.DataFrame(ROWS, columns=COLS).to_csv(path, index=False)
    return path


def _at(path, L="zh", datum="gcj02", role="editor"):
    at = AppTest.from_string(SCRIPT.format(path=str(path), L=L, datum=datum), default_timeout=60)
    at.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
    at.run()
    assert not at.exception, at.exception
    return at


def test_recognised_typed_and_unmapped_listed_in_chinese(poi_csv):
    at = _at(poi_csv)
    assert at.success[0].value == "识别为高德 POI 导出（4 条），已由 GCJ-02 转为 WGS84。"
    assert at.session_state["types_out"] == ["kindergarten", "primary_school", None, None]
    assert any("2 条的分类编码未对应任何设施类型" in w.value for w in at.warning)
    mapped, unmapped, table = (d.value for d in at.dataframe)
    assert dict(zip(mapped["设施类型"], mapped["条数"], strict=True)) == {"幼儿园": 1, "小学": 1}
    assert unmapped.to_dict("records") == [
        {"分类编码": "141201", "高德分类": "科教文化服务;学校;高等院校", "条数": 2}
    ]
    # the editor lists this file's unmapped code at the end, with no type yet; no raw type keys in Chinese
    assert table.iloc[-1]["分类编码"] == "141201" and table.iloc[-1]["设施类型"] == "（不对应）"
    assert not table["设施类型"].isin(["kindergarten", "park"]).any()


def test_english_and_not_converted_warning(poi_csv):
    at = _at(poi_csv, L="en", datum="wgs84")
    assert "no GCJ-02 conversion" in at.warning[0].value
    assert any("2 rows have a typecode that maps to no facility type" in w.value for w in at.warning)
    assert "Facility type" in at.dataframe[0].value.columns


def test_editor_saves_the_users_copy_viewer_cannot(poi_csv):
    at = _at(poi_csv, role="viewer")
    assert not [b for b in at.button if b.key == "amap_save"]
    at = _at(poi_csv)
    at.button(key="amap_save").click().run()
    assert not at.exception, at.exception
    text = user_typecodes_path().read_text(encoding="utf-8")
    assert 'edited_by = "tester"' in text and 'code = "141201"' in text and 'code = "141204"' in text
    assert any("已保存编码表" in s.value for s in at.success)
