"""layers.memo: derived once per live source and key, forgotten with the source."""

import gc

import geopandas as gpd
from shapely.geometry import Point

from layers import memo


def _frame():
    return gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(115.9, 28.7)], crs=4326)


def test_derived_once_per_source_and_key():
    calls = []

    def build(tag):
        calls.append(tag)
        return [tag]

    src, other = _frame(), _frame()  # equal contents, different objects: remembered apart
    first = memo.derived(src, ("k", 1), lambda: build("a"))
    assert memo.derived(src, ("k", 1), lambda: build("b")) is first and calls == ["a"]
    memo.derived(src, ("k", 2), lambda: build("c"))
    memo.derived(other, ("k", 1), lambda: build("d"))
    assert calls == ["a", "c", "d"]


def test_forgotten_with_the_source():
    src = _frame()
    memo.derived(src, "k", lambda: "v")
    i = id(src)
    assert i in memo._DERIVED
    del src
    gc.collect()
    assert i not in memo._DERIVED


def test_a_source_without_weak_references_is_built_every_time():
    calls = []
    for _ in range(2):
        memo.derived((1, 2), "k", lambda: calls.append(1))
    assert calls == [1, 1]


def test_reused_layers_draw_the_same_as_fresh_ones(demo_ws):
    import re

    import folium

    from cartography import maps

    def page(reuse):
        m = folium.Map(tiles=None)
        maps.streets_layer(demo_ws["streets"], name="s", reuse=reuse).add_to(m)
        return re.sub(r"_[0-9a-f]{32}", "_", m.get_root().render())  # element ids differ

    fresh = page(False)
    page(True)
    assert page(True) == fresh and "raDecode" in fresh
    labels = maps.city_labels(demo_ws, "zh")
    labels.append(["changed"])  # a caller changing its list does not change the next caller's
    assert maps.city_labels(demo_ws, "zh")[-1] != ["changed"]
