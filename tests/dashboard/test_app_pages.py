"""AppTest smoke tests: every page renders on the bundled workspace, in Chinese and in English."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from geodata.paths import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def _map_html(at) -> str:
    """HTML of the st_folium component(s) on the page (AppTest shows them as unknown elements)."""
    parts = []
    for el in at.get("component_instance"):
        proto = getattr(el, "proto", None)
        parts.append(json.dumps(str(proto)))
    return "\n".join(parts)


@pytest.fixture
def app(demo_gpkg):
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def test_overview_in_chinese(app):
    assert app.title[0].value == "城市更新规划一张图"
    assert any("示例数据" in i.value for i in app.info), "demo data must be labelled"
    labels = [m.label for m in app.metric]
    assert "设区市" in labels and "县级行政区" in labels
    values = {m.label: m.value for m in app.metric}
    assert values["设区市"] == "11" and values["县级行政区"] == "100"
    html = _map_html(app)
    assert "leaflet" in html.lower()
    assert "cdn.jsdelivr" not in html and "cdnjs" not in html, "map must not reference a CDN"
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) == 6


def test_overview_switches_to_english(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    assert not app.exception
    assert app.title[0].value == "Renewal Atlas"
    assert any("Demo data" in i.value for i in app.info)
    assert "Prefectures" in [m.label for m in app.metric]


def test_overview_city_extent(app):
    app.radio(key="overview_extent").set_value("city").run()
    assert not app.exception
    assert "leaflet" in _map_html(app).lower()
