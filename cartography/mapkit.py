"""Offline map kit: a tile-less base map, local (vendored) assets, standalone HTML, legends.

Default maps make **zero external requests**: every Leaflet / plugin asset is served from
``static/vendor`` (Streamlit static serving at ``/app/static/vendor``) and the basemap is drawn from our
own boundary layers. Internet tiles (OSM, Tianditu with the user's key, AMap in GCJ-02) are options.
"""

from __future__ import annotations

import base64
import html
import json
import mimetypes
import re
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from geodata.chinacoords import shift_geometries
from geodata.paths import STATIC_DIR

VENDOR_DIR = STATIC_DIR / "vendor"
#: URL path under which Streamlit serves ``static/vendor`` (absolute: relative paths break in iframes)
DEFAULT_ASSET_BASE = "/app/static/vendor"
#: background of the tile-less basemap (light grey-blue "paper")
OFFLINE_BACKGROUND = "#eef2f5"
MIN_ZOOM, MAX_ZOOM = 5, 19

#: folium / plugin asset name → vendored file (relative to static/vendor); None = drop (not needed)
LOCAL_ASSETS: dict[str, str | None] = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": "bootstrap/bootstrap.bundle.min.js",
    "awesome_markers": "awesome-markers/leaflet.awesome-markers.js",
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/bootstrap.min.css",
    "glyphicons_css": None,
    "awesome_markers_font_css": "fontawesome/css/all.min.css",
    "awesome_markers_css": "awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": "folium/leaflet.awesome.rotate.css",
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    "Control.Fullscreen.js": "fullscreen/Control.FullScreen.js",
    "Control.FullScreen.css": "fullscreen/Control.FullScreen.css",
}

BASEMAPS = ("none", "osm", "tianditu", "amap")
_TIANDITU = "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"


def basemap_needs_gcj02(basemap: str) -> bool:
    """True when the basemap's tiles are in GCJ-02 (AMap): WGS84 overlays must be shifted to match."""
    return basemap == "amap"


def base_map(
    *,
    center: tuple[float, float] = (27.6, 115.7),
    zoom: int = 7,
    basemap: str = "none",
    tianditu_key: str | None = None,
    fullscreen: bool = True,
) -> folium.Map:
    """A folium map with the offline (tile-less) basemap or an optional internet basemap.

    Call :func:`finalize` after adding layers so every asset reference points at the vendored files.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; choose one of {', '.join(BASEMAPS)}")
    m = folium.Map(location=list(center), zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=True)
    # a tile-less map has no zoom range; marker clustering needs one ("Map has no maxZoom specified")
    m.options["maxZoom"] = MAX_ZOOM
    m.options["minZoom"] = MIN_ZOOM
    m.options["zoomSnap"] = 0.25  # fit_bounds fills the frame instead of jumping a whole zoom level
    m.get_root().header.add_child(
        Element(f"<style>.leaflet-container {{ background: {OFFLINE_BACKGROUND} !important; }}</style>")
    )
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    elif basemap == "tianditu":
        if not tianditu_key:
            raise ValueError("the Tianditu basemap needs a key (tianditu_key / RENEWAL_TIANDITU_KEY)")
        for layer in ("vec", "cva"):
            folium.TileLayer(
                tiles=_TIANDITU.format(s="{s}", layer=layer, key=tianditu_key),
                attr="天地图 Tianditu",
                subdomains="01234567",
                name=f"天地图 {layer}",
                control=False,
                overlay=layer == "cva",
            ).add_to(m)
    elif basemap == "amap":
        folium.TileLayer(
            tiles="https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
            attr="高德地图 AMap (GCJ-02)",
            subdomains="1234",
            name="高德地图",
            control=False,
        ).add_to(m)
    if fullscreen:
        from folium.plugins import Fullscreen

        Fullscreen(position="topleft").add_to(m)
    return m


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def _localised(links: list[tuple[str, str]], base_url: str) -> list[tuple[str, str]]:
    out = []
    for name, url in links:
        if name not in LOCAL_ASSETS:
            if url.startswith(("http://", "https://", "//")):
                raise ValueError(
                    f"asset {name!r} ({url}) has no vendored copy; add it to static/vendor and LOCAL_ASSETS"
                )
            out.append((name, url))
            continue
        local = LOCAL_ASSETS[name]
        if local is not None:
            out.append((name, f"{base_url}/{local}"))
    return out


def finalize(m: folium.Map, base_url: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """Point every element's JS/CSS links at the vendored copies (per instance, so streamlit-folium,
    which reads each element's ``default_js``/``default_css``, loads the local files too)."""
    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if links:
                setattr(el, attr, _localised(list(links), base_url))
    return m


_CSS_URL = re.compile(r"url\((['\"]?)(?!data:|#)([^'\")]+)\1\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or (
        "font/woff2" if path.suffix == ".woff2" else "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"


def _inline_css(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    # drop font fallbacks we do not ship (ttf); keep woff2
    text = re.sub(r",\s*url\([^)]*\.ttf\)\s*format\([\"']truetype[\"']\)", "", text)

    def repl(match: re.Match) -> str:
        target = (path.parent / match.group(2).split("?")[0].split("#")[0]).resolve()
        if not target.exists():
            return match.group(0)
        return f"url({_data_uri(target)})"

    return _CSS_URL.sub(repl, text)


def standalone_html(m: folium.Map) -> str:
    """The map as one self-contained HTML document: all JS/CSS inlined (fonts/images as data URIs).

    Opens from a USB stick with no network and no server.
    """
    marker = "__RENEWAL_ATLAS_ASSET__"
    finalize(m, base_url=marker)
    page = m.get_root().render()

    def script(match: re.Match) -> str:
        rel = match.group(1)
        js = (VENDOR_DIR / rel).read_text(encoding="utf-8").replace("</script", "<\\/script")
        return f"<script>{js}</script>"

    def style(match: re.Match) -> str:
        return f"<style>{_inline_css(VENDOR_DIR / match.group(1))}</style>"

    page = re.sub(rf'<script src="{marker}/([^"]+)"></script>', script, page)
    page = re.sub(rf'<link rel="stylesheet" href="{marker}/([^"]+)"\s*/>', style, page)
    if marker in page:
        raise ValueError("an asset reference could not be inlined")
    return page


def escape(text) -> str:
    """HTML-escape user text for popups, tooltips and legends."""
    return html.escape(str(text), quote=True)


class _Legend(MacroElement):
    """Legend as a Leaflet control (script section), so streamlit-folium shows it too."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "ra-legend");
                div.innerHTML = {{ this.inner_json }};
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, items: list[tuple]):
        super().__init__()
        self._name = "Legend"
        rows = []
        for item in items:
            colour, label = escape(item[0]), escape(item[1])
            shape = item[2] if len(item) > 2 else "box"
            height = "4px" if shape == "line" else "14px"
            radius = "50%" if shape == "dot" else "2px"
            rows.append(
                f'<div><span style="display:inline-block;width:14px;height:{height};vertical-align:middle;'
                f'margin-right:6px;background:{colour};border-radius:{radius};opacity:0.85"></span>{label}</div>'
            )
        inner = (
            '<div style="background:rgba(255,255,255,0.93);padding:8px 12px;border-radius:6px;'
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:13px/1.45 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
            'max-height:420px;overflow:auto">'
            f'<div style="font-weight:600;margin-bottom:4px">{escape(title)}</div>{"".join(rows)}</div>'
        )
        self.inner_json = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")


def legend_html(title: str, items: list[tuple]) -> MacroElement:
    """A fixed legend box: ``items`` are (colour, label[, shape]) with shape box | dot | line.
    All text is HTML-escaped. Add it with ``.add_to(map)``."""
    return _Legend(title, items)


def for_basemap(gdf, basemap: str):
    """Shift WGS84 data to GCJ-02 when drawn over AMap tiles (display only)."""
    if not basemap_needs_gcj02(basemap):
        return gdf
    shifted = gdf.to_crs("EPSG:4326")
    return shifted.set_geometry(shift_geometries(shifted.geometry.values), crs="EPSG:4326")
