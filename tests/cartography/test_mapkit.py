"""Offline map kit: no external URL in rendered maps, local assets exist, standalone HTML self-contained."""

import re

import folium
import geopandas as gpd
import pytest
from folium.plugins import FastMarkerCluster, MarkerCluster
from shapely.geometry import box

from cartography import mapkit

# an external asset *reference*: a script or stylesheet tag loading from another host
EXTERNAL = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*\shref)=["'](?:https?:)?//""")


def _map_with_layers(**kw):
    m = mapkit.base_map(**kw)
    gdf = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(115.8, 28.6, 115.9, 28.7)], crs=4326)
    folium.GeoJson(gdf.to_json(), tooltip=folium.GeoJsonTooltip(["name"])).add_to(m)
    cluster = MarkerCluster().add_to(m)
    folium.Marker([28.65, 115.85], icon=folium.Icon(icon="info-sign")).add_to(cluster)
    FastMarkerCluster([[28.6, 115.8]]).add_to(m)
    mapkit.legend_html("图例", [("#ff0000", "<script>x</script>")]).add_to(m)
    return mapkit.finalize(m)


def test_rendered_map_has_no_external_asset():
    page = _map_with_layers().get_root().render()
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert "/app/static/vendor/leaflet/leaflet.js" in page
    assert "/app/static/vendor/markercluster/leaflet.markercluster.js" in page


def test_every_element_link_is_local_and_exists():
    m = _map_with_layers()
    links = []
    for el in mapkit._walk(m):
        links += [u for _, u in getattr(el, "default_js", [])] + [
            u for _, u in getattr(el, "default_css", [])
        ]
    assert links, "expected asset links"
    for url in links:
        assert url.startswith(mapkit.DEFAULT_ASSET_BASE + "/"), url
        assert (mapkit.VENDOR_DIR / url.removeprefix(mapkit.DEFAULT_ASSET_BASE + "/")).is_file(), url


def test_unknown_cdn_asset_is_refused():
    m = mapkit.base_map()
    el = folium.Element("")
    el.default_js = [("mystery", "https://cdn.example/x.js")]
    m.add_child(el)
    with pytest.raises(ValueError, match="no vendored copy"):
        mapkit.finalize(m)


def test_standalone_html_is_self_contained():
    page = mapkit.standalone_html(_map_with_layers())
    assert not EXTERNAL.search(page)
    assert "/app/static" not in page
    assert "L.map(" in page or "L.map (" in page
    assert "data:font/woff2;base64," in page  # Font Awesome webfont inlined
    assert len(page) < 3_000_000


def test_legend_escapes_text():
    page = _map_with_layers().get_root().render()
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;<\\/script&gt;" in page or "&lt;script&gt;x&lt;/script&gt;" in page


def test_tianditu_needs_key_and_unknown_basemap():
    with pytest.raises(ValueError, match="needs a key"):
        mapkit.base_map(basemap="tianditu")
    with pytest.raises(ValueError, match="unknown basemap"):
        mapkit.base_map(basemap="google")


def test_internet_basemaps_are_opt_in():
    offline = mapkit.base_map().get_root().render()
    assert "tile.openstreetmap" not in offline and "autonavi" not in offline
    assert "tile.openstreetmap" in mapkit.base_map(basemap="osm").get_root().render()
    assert "tk=KEY" in mapkit.base_map(basemap="tianditu", tianditu_key="KEY").get_root().render()
    assert mapkit.basemap_needs_gcj02("amap") and not mapkit.basemap_needs_gcj02("tianditu")


def test_script_bundle_is_current_and_replaces_the_vendored_scripts():
    # the committed bundle is the vendored scripts as they are (regenerate: python -m cartography.mapkit)
    bundle = mapkit.VENDOR_DIR / mapkit.SCRIPT_BUNDLE
    assert bundle.read_text(encoding="utf-8") == mapkit.script_bundle()
    base = mapkit.DEFAULT_ASSET_BASE
    leaflet, cluster = f"{base}/leaflet/leaflet.js", f"{base}/markercluster/leaflet.markercluster.js"
    assert mapkit.bundled_scripts([leaflet, cluster, "/x/own.js"]) == [f"{base}/bundle/maps.js", "/x/own.js"]
    # a vendored script not in the bundle, or no vendored script at all: left as they are
    assert mapkit.bundled_scripts([leaflet, f"{base}/other/new.js"]) == [leaflet, f"{base}/other/new.js"]
    assert mapkit.bundled_scripts(["https://cdn.example/leaflet.js"]) == ["https://cdn.example/leaflet.js"]
    # Leaflet first, every plugin after it
    text = mapkit.script_bundle()
    assert text.index("leaflet/leaflet.js") < text.index("markercluster/leaflet.markercluster.js")
