"""Coverage what-if: a map click adds its site in the same run, the map is kept (same component, same script)
and only the what-if layers change (st_folium feature groups)."""

import json

from streamlit.testing.v1 import AppTest

from dashboard.coverage_page import new_click
from dashboard.state import SCENARIO_KEY
from i18n import t

MAP_KEY = "cov_map_zh_none_0"  # language, basemap, map generation


def test_new_click_is_a_click_not_handled_yet():
    click = {"last_clicked": {"lat": 28.66, "lng": 115.87}}
    assert new_click(click, None) == (115.87, 28.66)
    assert new_click(click, (115.87, 28.66)) is None  # the same value on a later rerun: handled already
    assert new_click(click, [115.87, 28.661]) == (115.87, 28.66)
    assert new_click({"last_clicked": None}, None) is None
    assert new_click(None, None) is None and new_click({}, (1.0, 2.0)) is None
    assert new_click({"last_clicked": {"lat": None, "lng": 115.0}}, None) is None


def _sites(at) -> list:
    try:
        return list(at.session_state[SCENARIO_KEY])
    except KeyError:
        return []


def _map_args(at) -> dict:
    (el,) = list(at.get("component_instance"))
    return json.loads(el.proto.json_args)


def _page() -> AppTest:
    at = AppTest.from_string(
        "from dashboard.coverage_page import render_coverage\nrender_coverage()\n", default_timeout=120
    )
    at.session_state["auth"] = {"name": "tester", "role": "editor", "via": "local"}
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_click_adds_one_site_and_keeps_the_map(demo_gpkg):
    at = _page()
    before = _map_args(at)
    assert before["feature_group"] is None and before["returned_objects"] == ["last_clicked"]
    assert "setComponentValue" in before["script"]  # the click is sent at once
    # what the map component returns after a click (its on_change copies it under the page's key)
    at.session_state[MAP_KEY] = {"last_clicked": {"lat": 28.66, "lng": 115.87}}
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[SCENARIO_KEY] == [(115.87, 28.66, "kindergarten")]
    labels = [m.label for m in at.metric]
    assert "情景新增覆盖人口" in labels  # the figures of this very run include the site
    after = _map_args(at)
    # the same map: same script and component key; the site, its catchment and the changed communities are
    # feature groups listed in the map's layer control
    assert after["script"] == before["script"] and after["key"] == before["key"]
    fg = after["feature_group"]
    for name in ("拟新增设施（情景）", "各选址新增覆盖的居民（按选址着色）", "情景后覆盖率变化的社区"):
        assert f'"{name}"' not in fg  # JSON-escaped by json.dumps (ASCII)
        assert json.dumps(name) in fg
    assert fg.count("#d7191c") == 1 and "115.87000, 28.66000" in fg
    # later reruns (the component still returns the same click) add nothing
    at.run()
    assert at.session_state[SCENARIO_KEY] == [(115.87, 28.66, "kindergarten")]
    # a second click: two sites, the map still the same
    at.session_state[MAP_KEY] = {"last_clicked": {"lat": 28.70, "lng": 115.95}}
    at.run()
    assert len(at.session_state[SCENARIO_KEY]) == 2
    again = _map_args(at)
    assert again["key"] == before["key"] and again["feature_group"].count("#d7191c") == 2


def test_clicks_are_ignored_when_click_to_add_is_off(demo_gpkg):
    at = _page()
    at.toggle(key="cov_click_add").set_value(False).run()
    at.session_state[MAP_KEY] = {"last_clicked": {"lat": 28.66, "lng": 115.87}}
    at.run()
    assert _sites(at) == [] and _map_args(at)["feature_group"] is None
    # switching it back on does not add the click made while it was off
    at.toggle(key="cov_click_add").set_value(True).run()
    assert _sites(at) == []
    at.session_state[MAP_KEY] = {"last_clicked": {"lat": 28.70, "lng": 115.95}}
    at.run()
    assert _sites(at) == [(115.95, 28.7, "kindergarten")]


def test_a_removal_counts_in_the_run_it_is_made(demo_gpkg):
    at = _page()
    served = float(next(m for m in at.metric if m.label == "已覆盖人口").value.replace(",", ""))
    ms = at.multiselect(key="cov_remove_kindergarten")
    ms.set_value(ms.options[:2]).run()
    assert not at.exception, at.exception
    values = {m.label: m.value for m in at.metric}
    lost = float(values["情景失去覆盖人口"].replace(",", ""))
    assert lost > 0 and float(values["已覆盖人口"].replace(",", "")) == served - lost


def test_an_error_in_the_what_if_part_is_explained_not_shown(demo_gpkg, monkeypatch):
    """The what-if part is a fragment (a click reruns it alone) inside the same error boundary as a page: an
    unexpected error there is a message with a reference, the rest of the page still drawn."""
    import dashboard.coverage_page as page

    def broken(*_a, **_k):
        raise RuntimeError("boom <img src=x onerror=alert(1)>")

    at = _page()
    monkeypatch.setattr(page, "_gap_table", broken)
    at.session_state[MAP_KEY] = {"last_clicked": {"lat": 28.66, "lng": 115.87}}
    at.run()
    assert not at.exception, at.exception
    (err,) = at.error
    assert "参考编号" in err.value
    assert "boom" not in err.value and "Traceback" not in err.value
    # the method panel after the fragment is still there
    assert [e.label for e in at.expander] == [t("cov.method", "zh")]


FRAGMENT_APP = """
import streamlit as st
from dashboard import common

@common.fragment
def part():
    st.write("residents by community")

part()
"""


def test_a_fragment_draws_nothing_for_a_signed_out_session(monkeypatch):
    """A part rerun alone skips the shell's sign-in gate: it checks the session itself."""
    monkeypatch.setenv("RENEWAL_LOGIN", "required")
    at = AppTest.from_string(FRAGMENT_APP, default_timeout=30)
    at.run()
    assert not at.exception and not [m.value for m in at.markdown]  # nobody signed in: nothing drawn
    at.session_state["auth"] = {"name": "tester", "role": "viewer", "via": "password"}
    at.run()
    assert [m.value for m in at.markdown] == ["residents by community"]
    del at.session_state["auth"]  # signed out
    at.run()
    assert not [m.value for m in at.markdown]
