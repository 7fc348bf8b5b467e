"""Layout map layers: cluster colours present, city names escaped."""

import folium
import pytest

from cartography.layout import city_seats_layer, clusters_layer
from geodata.boundaries import load_boundaries
from geodata.layout import LAYOUT_TOML, load_layout


@pytest.fixture(scope="module")
def bnd():
    return load_boundaries()


@pytest.fixture(scope="module")
def layout(bnd):
    return load_layout(LAYOUT_TOML, boundaries=bnd)


def test_layers_render_colours_and_escape(bnd, layout):
    m = folium.Map(tiles=None)
    clusters_layer(bnd.prefectures, bnd.counties, layout, name="四群").add_to(m)
    city_seats_layer(
        layout,
        bnd.prefectures.assign(name_zh=bnd.prefectures["name_zh"].replace({"南昌市": "<b>南昌</b>"})),
        name="城市",
    ).add_to(m)
    page = m.get_root().render()
    for k in layout.clusters:
        assert k.colour in page
    assert "<b>南昌</b>" not in page and "&lt;b&gt;南昌&lt;/b&gt;" in page
