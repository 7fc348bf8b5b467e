"""Permanent labels, street context, hover order and the highlight: asserted on the produced HTML."""

import json
import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from cartography import maps
from cartography.builders import boundary_layer, labels_layer, streets_layer
from cartography.geojson import escape_text, label_points, street_label_points
from geodata.boundaries import load_boundaries
from geodata.layout import LAYOUT_TOML, load_layout

HOSTILE = "<img src=x onerror=alert(1)>"


def _render(*groups) -> str:
    m = folium.Map(tiles=None)
    for g in groups:
        g.add_to(m)
    return m.get_root().render()


def _labels(page: str) -> list[list]:
    """Label records of every MapLabels element in a rendered page."""
    out = []
    from cartography.mapkit import unpack_labels

    for blob in re.findall(r"var data = window\.raUnpackLabels\((\{.*?\})\);\n", page):
        out += unpack_labels(json.loads(blob))
    return out


def _compact_layers(page: str) -> list[tuple[str, dict]]:
    """(options, decoded FeatureCollection) of every compact GeoJSON layer in a rendered page."""
    from cartography.compact import decode

    found = re.findall(
        r"var (geo_json_\w+) = L\.geoJson\(null, \{(.*?)\n\s*\}\);\s*\1\.addData\(window\.raDecode\((.*?)\)\);\n",
        page,
        flags=re.S,
    )
    return [(options, decode(json.loads(payload))) for _, options, payload in found]


def _enc(text: str) -> str:
    """``text`` as folium writes it into the page (JSON with non-ASCII escaped)."""
    return json.dumps(text)[1:-1]


class _WS(dict):
    """A workspace stand-in: layers by name (like ``Workspace.__getitem__``) plus ``.layers``."""

    @property
    def layers(self):
        return self


@pytest.fixture(scope="module")
def bnd():
    return load_boundaries()


@pytest.fixture(scope="module")
def layout(bnd):
    return load_layout(LAYOUT_TOML, boundaries=bnd)


@pytest.fixture
def hostile_city():
    """Two districts, two sub-districts, two communities, two named streets; one of each named hostile."""
    crs = "EPSG:4326"
    d = gpd.GeoDataFrame(
        {"adcode": [360102, 360103], "name_zh": [HOSTILE, "西湖区"], "name_en": [HOSTILE, "Xihu District"]},
        geometry=[box(115.88, 28.66, 115.92, 28.70), box(115.84, 28.66, 115.88, 28.70)],
        crs=crs,
    )
    s = gpd.GeoDataFrame(
        {"subdistrict_id": ["S1", "S2"], "name": [HOSTILE, "八一街道（示例）"], "district_adcode": [1, 2]},
        geometry=[box(115.88, 28.66, 115.92, 28.70), box(115.84, 28.66, 115.88, 28.70)],
        crs=crs,
    )
    c = gpd.GeoDataFrame(
        {"community_id": ["C1", "C2"], "name": [HOSTILE, "松滨社区"], "subdistrict_id": ["S1", "S2"]},
        geometry=[box(115.89, 28.67, 115.91, 28.69), box(115.85, 28.67, 115.87, 28.69)],
        crs=crs,
    )
    st = gpd.GeoDataFrame(
        {
            "street_id": ["E1", "E2", "E3"],
            "kind": ["主干路", "主干路", "支路"],
            "name": [HOSTILE, HOSTILE, "八一大道"],
        },
        geometry=[
            LineString([(115.84, 28.68), (115.88, 28.68)]),
            LineString([(115.88, 28.68), (115.92, 28.68)]),
            LineString([(115.86, 28.66), (115.86, 28.70)]),
        ],
        crs=crs,
    )
    return _WS(districts=d, subdistricts=s, communities=c, streets=st, compounds=c)


def test_escape_text_drops_nul_and_escapes_markup():
    assert escape_text("a\x00<b>") == "a&lt;b&gt;"
    assert escape_text(None) == ""


def test_label_points_sit_inside_their_polygon_with_zoom_range():
    gdf = gpd.GeoDataFrame({"n": ["甲"]}, geometry=[box(115.0, 28.0, 115.1, 28.1)], crs="EPSG:4326")
    [rec] = label_points(gdf, "n", kind="county", min_zoom=8, max_zoom=10, priority=40)
    lat, lon, text, kind, zmin, zmax, prio = rec[:7]
    assert 28.0 < lat < 28.1 and 115.0 < lon < 115.1
    assert (text, kind, zmin, zmax, prio) == ("甲", "county", 8.0, 10.0, 40)


def test_street_labels_one_per_name_per_km(hostile_city):
    recs = street_label_points(hostile_city["streets"], "name", spacing_m=1000)
    by_name = {}
    for r in recs:
        by_name.setdefault(r[2], []).append(r)
    # the hostile street: two 3.9 km segments merged into one 7.8 km line → 7 labels, escaped
    assert len(by_name[escape_text(HOSTILE)]) == 7
    assert len(by_name["八一大道"]) == 4  # 4.4 km north–south
    assert abs(by_name["八一大道"][0][8]) > 88  # rotated along a north–south street (grid convergence)
    assert by_name[escape_text(HOSTILE)][0][4] == 14.0  # arterials from zoom 14
    assert by_name["八一大道"][0][4] == 16.0  # local streets from zoom 16


def test_street_labels_need_a_name_column(hostile_city):
    assert street_label_points(hostile_city["streets"].drop(columns="name")) == []


def test_city_labels_names_and_zooms(hostile_city):
    recs = maps.city_labels(hostile_city, "zh")
    kinds = {(r[3], r[2]) for r in recs}
    assert ("district", "西湖区") in kinds
    assert ("subdistrict", "八一街道") in kinds  # the demo marker is dropped from map labels
    assert ("community", "松滨社区") in kinds
    assert ("street", "八一大道") in kinds
    zoom = {r[3]: r[4] for r in recs}
    assert zoom["district"] < zoom["subdistrict"] < zoom["community"]


def test_hostile_names_only_escaped_in_labels_and_streets(hostile_city):
    page = _render(
        labels_layer(maps.city_labels(hostile_city, "zh"), name="地名"),
        streets_layer(hostile_city["streets"], name="道路"),
        maps.districts_layer(hostile_city, "zh"),
    )
    assert HOSTILE not in page
    assert "onerror=alert(1)>" not in page
    escaped = {r[3] for r in _labels(page) if "&lt;img src=x onerror=alert(1)&gt;" in r[2]}
    assert {"district", "subdistrict", "community", "street"} <= escaped  # each label text sent once, escaped


def test_streets_layer_is_non_interactive_context_by_kind(hostile_city):
    page = _render(streets_layer(hostile_city["streets"], name="道路"))
    ((options, data),) = _compact_layers(page)
    assert "interactive: false" in options
    colours = {f["properties"]["color"] for f in data["features"]}
    assert {"#8c8c8c", "#b4b4b4"} <= colours  # arterial and local street styles
    assert {f["geometry"]["type"] for f in data["features"]} == {"MultiLineString"}


def test_outline_layer_non_interactive_has_no_tooltip(bnd):
    page = _render(
        boundary_layer(
            bnd.province, name="省界", name_field="name_zh", colour="#252525", weight=3, interactive=False
        )
    )
    assert "interactive: false" in page
    assert "bindTooltip" not in page


def test_overview_province_and_prefectures_never_take_the_pointer(bnd, demo_ws):
    from geodata.catalogue import load_catalogue

    m = maps.overview_map(bnd, demo_ws, load_catalogue(), lang="zh", extent="province", basemap="none")
    page = m.get_root().render()
    # every GeoJSON layer: (options, data); only interactive layers carry the names their tooltip shows
    layers = _compact_layers(page)
    names = [{v for f in d["features"] for v in f["properties"].values()} for _, d in layers]
    counties = [o for (o, _), n in zip(layers, names) if "瑞金市" in n]
    assert counties and all("interactive: true" in o for o in counties)
    # the province and prefecture outlines: non-interactive, no tooltip, no names sent
    outlines = [o for (o, d), n in zip(layers, names) if not n and len(d["features"]) in (1, 11)]
    assert len(outlines) >= 2 and all("interactive: false" in o for o in outlines)
    assert not any("江西省" in n or ("赣州市" in n and "瑞金市" not in n) for n in names)
    assert _enc("所属设区市") in page  # the county tooltip names its prefecture
    recs = _labels(page)
    names = {(r[3], r[2]) for r in recs}
    assert ("prefecture", "赣州市") in names and ("province", "江西省") in names
    assert ("county", "瑞金市") in names and ("district", "东湖区") in names
    assert len(page) < 3_000_000


def test_layout_map_selected_city_highlight_and_labels(bnd, layout):
    page = maps.layout_map(bnd, layout, lang="zh", selected_adcode=360700).get_root().render()
    assert "#ffe600" in page and "选中城市" in page
    recs = _labels(page)
    seats = {r[2] for r in recs if r[3] == "seat"}
    assert seats == set(bnd.prefectures["name_zh"])  # every prefecture named
    assert {r[4] for r in recs if r[3] == "county"} == {8.0}
    plain = maps.layout_map(bnd, layout, lang="zh").get_root().render()
    assert "#ffe600" not in plain


def test_layout_hover_names_county_prefecture_and_role(bnd, layout):
    roles = maps._county_roles(bnd, layout, "zh").set_index("name_zh")
    assert roles.loc["进贤县", "prefecture_name"] == "南昌市"
    assert "南昌都市圈" in roles.loc["进贤县", "roles"]
    assert "赣南城镇群" in roles.loc["瑞金市", "roles"]


def test_coverage_map_html_under_3_mb_with_streets_and_labels(demo_ws):
    from geodata.catalogue import load_catalogue
    from layers.coverage import share_by
    from layers.pipelines import coverage_model

    model = coverage_model(demo_ws, load_catalogue(), types=["kindergarten"])
    m = maps.coverage_map(
        demo_ws,
        model,
        "kindergarten",
        lang="en",
        community_share=share_by(model, "kindergarten", by="community_id"),
    )
    page = m.get_root().render()
    assert len(page) < 3_000_000
    assert "Street network" in page and "Place names" in page
    kinds = {r[3] for r in _labels(page)}
    assert {"district", "subdistrict", "community"} <= kinds
