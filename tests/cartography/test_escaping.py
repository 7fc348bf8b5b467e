"""Every map builder escapes hostile user text in tooltips, labels and markers (field names, aliases, values).

Each test renders the map (``m.get_root().render()``) and checks that the payload appears only escaped: not as
markup, not as JSON that decodes to markup (``\\u003cimg``), and not as a ``${...}`` template-literal
expression (folium puts marker tooltips in a JavaScript template literal).
"""

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from cartography.builders import (
    boundary_layer,
    compounds_layer,
    facilities_layer,
    labels_layer,
    parcels_layer,
)
from cartography.geojson import display_geojson, escape_text, label_points, text_tooltip, tooltip
from cartography.layout import city_seats_layer
from cartography.maps import parcel_map
from cartography.projects import projects_map, top_candidates_map
from cartography.whatif import catchment_layer

IMG = "<img src=x onerror=window.__xss=1>"
JS = "${window.__xss=1}`"
HOSTILE = IMG + JS
FORBIDDEN = ("<img src=x onerror=", "\\u003cimg src=x onerror=", "${window.__xss", "\\u003cimg")


def _render(*layers) -> str:
    m = folium.Map(tiles=None)
    for layer in layers:
        layer.add_to(m)
    return m.get_root().render()


def _assert_escaped(html: str) -> None:
    for raw in FORBIDDEN:
        assert raw not in html, f"unescaped payload {raw!r} in the map HTML"
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html.replace("\\u0026", "&")


def _polys(**cols):
    return gpd.GeoDataFrame(
        cols,
        geometry=[box(115.89, 28.68, 115.891, 28.681), box(115.9, 28.69, 115.901, 28.691)],
        crs="EPSG:4326",
    )


def test_escape_text_covers_html_and_template_literals():
    assert escape_text(HOSTILE) == (
        "&lt;img src=x onerror=window.__xss=1&gt;&#36;&#123;window.__xss=1&#125;&#96;"
    )
    assert escape_text("a\\b\x00") == "a&#92;b" and escape_text(None) == ""


#: Jinja in user text: branca compiles each rendered element's output again as a template, on the server
JINJA = "{{ 6*7 }}号院{% if 1 %}X{% endif %}{{ lipsum.__globals__.os.getpid() }}"


def test_jinja_in_user_text_is_neither_run_nor_an_error():
    import os

    gdf = _polys(name=[JINJA, "b"], build_year=[1990, 2015], population=[1, 2])
    records = label_points(gdf, "name", kind="community")
    html = _render(
        compounds_layer(gdf, name="小区", aliases=(JINJA, "年份", "人口")), labels_layer(records, name="标注")
    )
    assert "42号院" not in html and str(os.getpid()) not in html
    assert "&#123;&#123; 6*7 &#125;&#125;号院" in html  # shown as typed: the browser decodes the references


def test_tooltip_helper_escapes_field_names_as_aliases():
    gdf = _polys(**{HOSTILE: [HOSTILE, "ok"]})
    data = display_geojson(gdf, columns=(HOSTILE,))
    html = _render(folium.GeoJson(data, tooltip=tooltip([HOSTILE])))
    _assert_escaped(html)


def test_display_geojson_escapes_categories_and_objects():
    gdf = _polys(name=pd.Categorical([HOSTILE, "ok"]), n=[1, 2])
    props = display_geojson(gdf, columns=("name", "n"))["features"][0]["properties"]
    assert props["name"].startswith("&lt;img") and props["n"] == 1


def test_boundary_layer(tmp_path):
    gdf = _polys(name=[HOSTILE, "b"], extra=[HOSTILE, "x"])
    _assert_escaped(
        _render(
            boundary_layer(
                gdf,
                name="区",
                name_field="name",
                colour="#000",
                weight=1,
                tooltip_alias=HOSTILE,
                extra_fields=(("extra", HOSTILE),),
            )
        )
    )


def test_compounds_layer():
    gdf = _polys(name=[HOSTILE, "b"], build_year=[1990, 2015], population=[1, 2])
    _assert_escaped(_render(compounds_layer(gdf, name="小区", aliases=(HOSTILE, "年份", "人口"))))


def test_parcels_layer():
    gdf = _polys(name=[HOSTILE, "b"], parcel_type=[HOSTILE, "老旧小区"], status=[HOSTILE, "储备"])
    _assert_escaped(_render(parcels_layer(gdf, name="地块", aliases=(HOSTILE, "类型", "状态"))))


def test_facilities_layer():
    fac = gpd.GeoDataFrame(
        {"name": [HOSTILE], "type": [HOSTILE]}, geometry=[Point(115.9, 28.68)], crs="EPSG:4326"
    )
    _assert_escaped(_render(facilities_layer(fac, name="设施", type_names={HOSTILE: HOSTILE})))


def test_labels_layer():
    records = label_points(_polys(name=[HOSTILE, "b"]), "name", kind="community")
    _assert_escaped(_render(labels_layer(records, name="标注")))


def test_marker_text_tooltip():
    marker = folium.CircleMarker([28.68, 115.9], radius=3, tooltip=text_tooltip(HOSTILE))
    _assert_escaped(_render(marker))


def test_catchment_layer():
    layer = catchment_layer(
        np.array([[500000.0, 3170000.0]]),
        np.array([10.0]),
        np.array([0]),
        crs="EPSG:32650",
        site_labels=[HOSTILE],
        name="新增",
        aliases=(HOSTILE, "人口"),
    )
    _assert_escaped(_render(layer))


def test_city_seats_layer():
    from geodata.layout import load_layout

    layout = load_layout()
    adcode = next(iter(layout.cities))
    pref = pd.DataFrame({"adcode": [adcode], "name_zh": [HOSTILE], "name_en": [HOSTILE]})
    _assert_escaped(_render(city_seats_layer(layout, pref, name="城市", with_labels=True)))


@pytest.fixture(scope="module")
def hostile_parcels(demo_ws):
    parcels = demo_ws["parcels"].head(12).copy()
    parcels["name"] = HOSTILE
    return parcels


def test_parcel_map(demo_ws, hostile_parcels):
    scores = pd.Series(50.0, index=hostile_parcels["parcel_id"])
    _assert_escaped(parcel_map(demo_ws, hostile_parcels, scores, "status", "zh").get_root().render())


def test_top_candidates_map(demo_ws, hostile_parcels):
    top = hostile_parcels.head(3).assign(rank=[1, 2, 3], score=[90.0, 80.0, 70.0])
    _assert_escaped(top_candidates_map(top, demo_ws, "zh").get_root().render())


def test_projects_map(demo_ws, hostile_parcels):
    outlines = hostile_parcels.head(2)[["parcel_id", "geometry"]].assign(
        project_id=["XM-1", "XM-2"],
        name=[HOSTILE, HOSTILE],
        category=[HOSTILE, "停车设施"],
        status=[HOSTILE, "谋划"],
        budget_wan=[1.0, 2.0],
        start_year=[2025, None],
        end_year=[2026, None],
        district_adcode=[360102, None],
    )
    _assert_escaped(projects_map(outlines, demo_ws, "zh").get_root().render())
