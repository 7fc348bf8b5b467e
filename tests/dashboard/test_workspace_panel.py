"""The city-workspace panel (import page): the demo refuses imports, a new workspace is created and switched to,
the completeness table follows imports, the choice survives a page change, viewers get no create control."""

import geopandas as gpd
import pyogrio
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from geodata.importing import commit, conform

IMPORT = "from dashboard.import_page import render_import\nrender_import()\n"
COVERAGE = "from dashboard.coverage_page import render_coverage\nrender_coverage()\n"


def _at(script, role="editor", ws=None):
    at = AppTest.from_string(script, default_timeout=120)
    at.session_state["auth"] = {"name": "tester", "role": role, "via": "local"}
    if ws is not None:
        at.session_state["ws_path"] = str(ws)
    at.run()
    assert not at.exception, at.exception
    return at


def _needs(at) -> dict:
    table = next(d.value for d in at.dataframe if "还需要" in d.value.columns)
    return dict(zip(table["分析"], table["还需要"]))


def test_demo_workspace_takes_no_import(tmp_path, monkeypatch, demo_gpkg):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT)
    assert any("示例数据" in m.value for m in at.markdown)  # 当前：… （示例数据）
    assert any("不能导入真实数据" in w.value for w in at.warning)
    assert not at.get("file_uploader")  # no upload control on the demo
    assert _needs(at)["步行网络覆盖"] == ""  # the demo has everything


def test_create_switch_and_see_imports(tmp_path, monkeypatch, demo_gpkg):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT)
    at.selectbox(key="ws_new_place").set_value(360702).run()
    at.text_input(key="ws_new_name:adcode:360702").set_value("章贡<b>测试</b>").run()
    at.button(key="ws_new_create").click().run()
    assert not at.exception, at.exception
    created = tmp_path / "workspaces" / "章贡_b_测试_b.gpkg"
    assert at.session_state["ws_path"] == str(created) and created.exists()
    meta = dict(pyogrio.read_dataframe(created, layer="metadata", read_geometry=False).values)
    assert (
        meta["city"] == "章贡<b>测试</b>" and meta["created_by"] == "tester" and meta["synthetic"] == "false"
    )
    assert any("1 个区县" in s.value for s in at.success)
    assert any("本地数据" in m.value and "<b>" not in m.value for m in at.markdown)  # name escaped
    assert not any("不能导入真实数据" in w.value for w in at.warning)
    assert len(at.get("file_uploader")) == 1  # imports are open on the new workspace
    assert _needs(at)["直线距离覆盖"] == "人口（人口点或格网）、设施"
    # an import into the workspace in use (here as the page's commit does): the panel shows it on the next run
    fac = conform(
        gpd.GeoDataFrame({"n": ["甲"], "t": ["kindergarten"]}, geometry=[Point(114.935, 25.85)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360702},
    )
    commit(fac, "facilities", workspace=created)
    at.run()
    assert _needs(at)["直线距离覆盖"] == "人口（人口点或格网）"


def test_choice_survives_a_page_change_and_pages_say_what_is_missing(tmp_path, monkeypatch, demo_gpkg):
    from geodata.workspace_new import districts_for_adcode, new_workspace

    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    ws = new_workspace(tmp_path / "zg.gpkg", districts_for_adcode(360702)[0], name="章贡", source="t")
    at = _at(COVERAGE, ws=ws)
    assert any("需要人口（人口点或格网）、设施" in w.value for w in at.warning)
    assert not any("示例数据" in i.value for i in at.info)
    # population and a facility added: the coverage page computes figures on the new city
    cells = gpd.GeoDataFrame(
        {"cell_id": ["p1"], "population": [1000.0], "elderly": [0.0], "district_adcode": [360702]}
        | {"community_id": [""]},
        geometry=[Point(114.936, 25.851)],
        crs=4326,
    )
    pyogrio.write_dataframe(cells, ws, layer="population_cells", append=True)
    fac = conform(
        gpd.GeoDataFrame({"n": ["甲"], "t": ["kindergarten"]}, geometry=[Point(114.935, 25.85)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360702},
    )
    commit(fac, "facilities", workspace=ws)
    at.run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["居住人口"] == "1,000"
    # the map is fitted to the city's districts (no compounds yet), not to an empty layer's NaN bounds
    import json

    script = "".join(json.loads(el.proto.json_args).get("script", "") for el in at.get("component_instance"))
    assert "fitBounds" in script and "NaN" not in script


def test_sidebar_line_names_the_workspace(tmp_path, monkeypatch, demo_gpkg):
    from geodata.paths import REPO_ROOT
    from geodata.workspace_new import districts_for_adcode, new_workspace

    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    ws = new_workspace(tmp_path / "zg.gpkg", districts_for_adcode(360702)[0], name="赣州章贡", source="t")
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.run()
    assert any("示例数据" in c.value for c in at.sidebar.caption if "当前工作空间" in c.value)
    at.session_state["ws_path"] = str(ws)
    at.run()
    line = next(c.value for c in at.sidebar.caption if "当前工作空间" in c.value)
    assert "赣州章贡" in line and "本地数据" in line and "zg.gpkg" in line


def test_viewer_gets_no_create_control(tmp_path, monkeypatch, demo_gpkg):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    at = _at(IMPORT, role="viewer")
    assert not [b for b in at.button if b.key == "ws_new_create"]
    assert not [e for e in at.expander if "新建城市工作空间" in e.label]
