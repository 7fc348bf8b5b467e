"""The cached map rendering sends the browser exactly what st_folium would send for the same figure."""

import copy

import folium
import pytest
import streamlit_folium as sf

from dashboard import mapcache


def _sent(monkeypatch, call) -> dict:
    """The arguments a call hands to the streamlit-folium component (the component itself is replaced)."""
    got = {}
    monkeypatch.setattr(sf, "_component_func", lambda **kw: got.update(kw))
    call()
    got.pop("on_change")
    return got


def _small_map() -> folium.Map:
    m = folium.Map(location=[28.68, 115.86], zoom_start=12, tiles=None)
    fg = folium.FeatureGroup(name="<b>parcels</b>").add_to(m)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "<img src=x>"},
                    "geometry": {"type": "Point", "coordinates": [115.86, 28.68]},
                }
            ],
        },
        tooltip=folium.GeoJsonTooltip(["name"]),
    ).add_to(fg)
    folium.LayerControl().add_to(m)
    return m  # fmt: skip


@pytest.mark.parametrize("returned", [[], ["last_clicked"]])
def test_same_arguments_as_st_folium(monkeypatch, returned):
    m = _small_map()
    want = _sent(
        monkeypatch,
        lambda: sf.st_folium(copy.deepcopy(m), key="k", height=640, use_container_width=True, returned_objects=returned),
    )  # fmt: skip
    r = mapcache.rendered(m)
    got = _sent(monkeypatch, lambda: mapcache.show(r, key="k", height=640, returned_objects=returned))
    assert got == want
    assert "map_div" in got["script"] and got["key"] == want["key"]
    # rendered() leaves the figure alone: a second rendering is the same
    assert mapcache.rendered(m) == r


def test_the_overview_map_is_sent_unchanged(monkeypatch, demo_ws):
    from cartography import maps
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue

    m = maps.overview_map(
        load_boundaries(), demo_ws, load_catalogue(), lang="zh", extent="city", basemap="none"
    )
    want = _sent(monkeypatch, lambda: sf.st_folium(copy.deepcopy(m), key="o", height=640, use_container_width=True, returned_objects=[]))  # fmt: skip
    got = _sent(
        monkeypatch, lambda: mapcache.show(mapcache.rendered(m), key="o", height=640, returned_objects=[])
    )
    # the same, but for the vendored scripts: one bundle of them, loaded in one request
    assert got["js_links"] == ["/app/static/vendor/bundle/maps.js"]
    assert "/app/static/vendor/leaflet/leaflet.js" in want["js_links"]
    assert {**got, "js_links": None} == {**want, "js_links": None} and len(got["script"]) > 100_000


def test_fingerprint_sees_values_geometry_and_order():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    g = gpd.GeoDataFrame(
        {"id": ["a", "b"], "score": [1.0, 2.0]}, geometry=[Point(0, 0), Point(1, 1)], crs=3857
    )
    fp = mapcache.fingerprint
    assert fp(g, "zh") == fp(g.copy(), "zh")
    assert fp(g, "zh") != fp(g, "en")
    assert fp(g, "zh") != fp(g.assign(score=[1.0, 2.000001]), "zh")
    assert fp(g, "zh") != fp(g.set_geometry([Point(0, 0), Point(1, 2)]), "zh")
    assert fp(g, "zh") != fp(g.iloc[::-1], "zh")
    assert fp(pd.Series([1, 2], index=["a", "b"])) != fp(pd.Series([1, 2], index=["a", "c"]))
    assert fp(("a", "b")) != fp(("ab",))
    # columns pandas cannot hash as they are (lists, mixed values) are compared as text
    lists = pd.DataFrame({"evidence": [["a.pdf"], []], "mixed": ["x", 1.5]})
    assert fp(lists) == fp(lists.copy())
    assert fp(lists) != fp(lists.assign(evidence=[["a.pdf"], ["b.pdf"]]))
    assert fp(lists) != fp(lists.assign(mixed=["x", 2.5]))
    # a missing geometry is not the same as a point
    assert fp(g.set_geometry([Point(0, 0), None])) != fp(g)


def test_cached_builds_once_per_fingerprint():
    built = []

    def build(label):
        built.append(label)
        return _small_map()

    a = mapcache.cached(lambda: build("x"), "test_cached", 1)
    assert mapcache.cached(lambda: build("y"), "test_cached", 1) is a and built == ["x"]
    mapcache.cached(lambda: build("z"), "test_cached", 2)
    assert built == ["x", "z"]


def test_feature_groups_are_listed_in_the_maps_layer_control():
    r = mapcache.rendered(_small_map())
    assert mapcache.feature_groups(r, []) is None  # no groups: the browser removes the ones it added
    a = folium.FeatureGroup(name='sites "A"')
    folium.CircleMarker([28.68, 115.86], radius=5, fill_color="#d7191c").add_to(a)
    b = folium.FeatureGroup(name="catchments")
    js = mapcache.feature_groups(r, [a, b])
    # the groups as streamlit-folium builds them, added to the component's map variable
    assert "map_div.addLayer(feature_group_feature_group_0);" in js
    assert "map_div.addLayer(feature_group_feature_group_1);" in js
    assert "#d7191c" in js
    # listed in the base map's own layer control (the variable of the rendered script), names as JS strings
    control = mapcache._layer_control(r["script"])
    assert control and f"let {control} = L.control.layers(" in r["script"]
    assert f"var c = {control};" in js
    assert 'c.addOverlay(feature_group_feature_group_0, "sites \\"A\\"");' in js
    assert 'c.addOverlay(feature_group_feature_group_1, "catchments");' in js
    assert "fg.slice(-2)" in js  # only the current groups are kept for the next swap


def test_feature_groups_without_a_layer_control_only_add_the_layers():
    m = folium.Map(location=[28.68, 115.86], zoom_start=12, tiles=None)
    js = mapcache.feature_groups(mapcache.rendered(m), [folium.FeatureGroup(name="x")])
    assert "map_div.addLayer(feature_group_feature_group_0);" in js and "addOverlay" not in js


def test_show_passes_the_feature_groups_and_the_prompt_click(monkeypatch):
    r = mapcache.rendered(_small_map())
    js = mapcache.feature_groups(r, [folium.FeatureGroup(name="x")])
    got = _sent(monkeypatch, lambda: mapcache.show(r, key="k", height=600, returned_objects=["last_clicked"], feature_group=js, prompt_click=True))  # fmt: skip
    assert got["feature_group"] == js
    assert got["script"] == r["script"] + mapcache.PROMPT_CLICK and "setComponentValue" in got["script"]
    plain = _sent(
        monkeypatch, lambda: mapcache.show(r, key="k", height=600, returned_objects=["last_clicked"])
    )
    assert plain["script"] == r["script"] and plain["feature_group"] is None
    # the component key follows the script sent: the same on every rerun whatever the feature groups
    again = _sent(monkeypatch, lambda: mapcache.show(r, key="k", height=600, returned_objects=["last_clicked"], prompt_click=True))  # fmt: skip
    assert again["key"] == got["key"] != plain["key"]
    with pytest.raises(ValueError, match="last_clicked"):
        mapcache.show(r, key="k", height=600, returned_objects=["bounds"], prompt_click=True)


def test_show_passes_the_view_and_fit_view_fits_the_bounds(monkeypatch):
    r = mapcache.rendered(_small_map())
    view = mapcache.fit_view([[28.5, 115.7], [28.9, 116.1]])
    assert view == 'window.map.fitBounds([[28.5, 115.7], [28.9, 116.1]], {"animate": false});\n'
    got = _sent(monkeypatch, lambda: mapcache.show(r, key="k", height=600, view=view))
    plain = _sent(monkeypatch, lambda: mapcache.show(r, key="k", height=600))
    assert got["layer_control"] == view and plain["layer_control"] is None
    # the view does not change the map: same script, same component key
    assert got["script"] == plain["script"] and got["key"] == plain["key"]
    with pytest.raises(ValueError, match="feature_group"):
        mapcache.show(r, key="k", height=600, view=view, feature_group="x")
