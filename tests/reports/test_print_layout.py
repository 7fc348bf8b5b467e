"""Print layouts: no interactive controls, a title band with the key figure, paper sizes, escaped text."""

import folium
import pytest

from cartography.mapkit import base_map, standalone_html
from cartography.printing import PAPERS, export_map, numbered_markers, paper_size

HOSTILE = "<img src=x onerror=alert(1)>"


def _map():
    m = base_map()
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def test_controls_are_removed():
    m = export_map(_map(), title="幼儿园 300 米服务覆盖", subtitle="覆盖 57.1% 居民", lang="zh")
    html = standalone_html(m)
    assert "L.control.layers" not in html and "Fullscreen" not in html.split("<script>")[-1]
    assert '"zoomControl": false' in html and '"attributionControl": false' in html
    assert ".leaflet-control-zoom, .leaflet-control-layers, .leaflet-control-attribution" in html
    assert "L.control.scale" in html  # the scale bar stays


def test_title_band_footer_and_demo_mark():
    html = standalone_html(
        export_map(_map(), title="幼儿园 300 米", subtitle="覆盖 57.1% 居民", synthetic=True)
    )
    assert 'class="ra-band ra-print-title"' in html and "幼儿园 300 米" in html and "覆盖 57.1% 居民" in html
    assert html.count("示例数据") >= 2  # badge in the title band and the footer
    assert "制图日期" in html and "数据来源" in html
    en = standalone_html(export_map(_map(), title="Kindergarten", lang="en", synthetic=True))
    assert "DEMO DATA" in en and "Map date" in en and "示例数据" not in en


def test_no_title_band_for_the_briefing():
    html = standalone_html(export_map(_map(), title=None, paper=(1200, 900)))
    assert "ra-print-title" not in html and "width: 1200px; height: 900px" in html


def test_hostile_title_is_escaped():
    html = standalone_html(export_map(_map(), title=HOSTILE, subtitle=HOSTILE))
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_paper_sizes():
    assert paper_size("a4") == (1754, 1240) and paper_size("A3") == (2480, 1754)
    assert paper_size("screen") == PAPERS["screen"] == (1920, 1080)
    with pytest.raises(ValueError, match="unknown paper 'a5'"):
        paper_size("a5")


def test_numbered_markers_escape_labels():
    fg = numbered_markers([(28.68, 115.9), (28.7, 115.91)], ["1", HOSTILE], name="top")
    m = base_map()
    fg.add_to(m)
    html = m.get_root().render()
    assert "\\u003e1\\u003c/div\\u003e" in html  # the number, inside the marker's div
    assert "onerror=alert(1)" not in html.replace("\\u0026lt;img src=x onerror=alert(1)\\u0026gt;", "")
