"""What-if layers swapped onto the coverage map: the proposed sites and the communities whose share changes."""

import folium
import geopandas as gpd
import pandas as pd
import shapely

from cartography.colours import share_colour
from cartography.whatif import changed_share_layer, proposed_layer

HOSTILE = "<img src=x onerror=alert(1)>"


def _html(group: folium.FeatureGroup) -> str:
    m = folium.Map(location=[28.68, 115.86], zoom_start=12, tiles=None)
    group.add_to(m)
    return m.get_root().render()


def test_proposed_layer_one_dot_per_site_escaped():
    sites = pd.DataFrame({"lon": [115.87, 115.95], "lat": [28.66, 28.70], "type_label": ["幼儿园", HOSTILE]})
    group = proposed_layer(sites, name="拟新增设施（情景）")
    assert group.layer_name == "拟新增设施（情景）"
    html = _html(group)
    assert html.count('"fillColor": "#d7191c"') == 2
    assert "幼儿园 (115.87000, 28.66000)" in html
    assert HOSTILE not in html and "&lt;img" in html


def _communities() -> gpd.GeoDataFrame:
    # three 1 km squares in UTM 50N (metres)
    squares = [shapely.box(x, 3_170_000, x + 1000, 3_171_000) for x in (400_000, 402_000, 404_000)]
    return gpd.GeoDataFrame(
        {"community_id": ["A", "B", "C"], "name": ["甲社区", HOSTILE, "丙社区"]}, geometry=squares, crs=32650
    )


def test_changed_share_layer_draws_only_the_changed_communities_in_their_new_colour():
    before = pd.DataFrame(
        {"served_share": [0.2, 0.5, 0.9], "population": [1000, 2000, 500]}, index=["A", "B", "C"]
    )
    after = before.assign(served_share=[0.2, 0.75, 0.9])  # only B gains
    group = changed_share_layer(
        _communities(), before, after, name="变化", aliases=("社区", "覆盖率 %（现状 → 情景）", "人口")
    )
    (layer,) = group._children.values()
    (feature,) = layer.data["features"]  # B only
    props = feature["properties"]
    assert props["change"] == "50.0 → 75.0" and props["pop"] == "2,000"
    assert props["colour"] == share_colour(0.75) != share_colour(0.5)
    assert props["name"] == "&lt;img src=x onerror=alert(1)&gt;"  # the community name is escaped
    assert HOSTILE not in _html(group)


def test_changed_share_layer_empty_when_nothing_changes():
    before = pd.DataFrame(
        {"served_share": [0.2, 0.5, 0.9], "population": [1000, 2000, 500]}, index=["A", "B", "C"]
    )
    group = changed_share_layer(_communities(), before, before.copy(), name="变化", aliases=("a", "b", "c"))
    assert '"type": "Feature"' not in _html(group)


def test_changed_share_layer_outlines_are_display_geojson_prepared_once():
    """The changed communities are drawn with the outlines display_geojson writes (simplified, EPSG:4326,
    rounded, name escaped), prepared once per communities layer and picked per click."""
    from cartography.geojson import display_geojson
    from cartography.whatif import community_outlines

    comms = _communities()
    before = pd.DataFrame(
        {"served_share": [0.2, 0.5, 0.9], "population": [1000, 2000, 500]}, index=["A", "B", "C"]
    )
    after = before.assign(served_share=[0.4, 0.5, 0.95])  # A and C change
    group = changed_share_layer(comms, before, after, name="变化", aliases=("a", "b", "c"))
    (layer,) = group._children.values()
    expected = display_geojson(comms.iloc[[0, 2]], simplify_m=10, columns=("name",))["features"]
    got = layer.data["features"]
    assert [f["geometry"] for f in got] == [f["geometry"] for f in expected]
    assert [f["properties"]["name"] for f in got] == ["甲社区", "丙社区"]
    assert [f["properties"]["change"] for f in got] == ["20.0 → 40.0", "90.0 → 95.0"]
    assert community_outlines(comms) is community_outlines(comms)
