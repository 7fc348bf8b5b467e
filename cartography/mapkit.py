"""Offline map kit: a tile-less base map, local (vendored) assets, standalone HTML, legends.

Default maps make **zero external requests**: every Leaflet / plugin asset is served from
``static/vendor`` (Streamlit static serving at ``/app/static/vendor``) and the basemap is drawn from our
own boundary layers. Internet tiles (OSM, Tianditu with the user's key, AMap in GCJ-02) are options.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import re
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.map import FitBounds
from jinja2 import Template

from cartography.geojson import escape_text
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

#: the vendored scripts a map may load, in load order, kept together as one file (``static/vendor/`` +
#: :data:`SCRIPT_BUNDLE`): streamlit-folium loads a map's scripts one after another, one request each, so
#: every map shown on a page waited for six round trips; with the bundle it waits for one
BUNDLED_SCRIPTS = (
    "leaflet",
    "jquery",
    "bootstrap",
    "awesome_markers",
    "Control.Fullscreen.js",
    "markerclusterjs",
)
SCRIPT_BUNDLE = "bundle/maps.js"


def script_bundle() -> str:
    """The text of :data:`SCRIPT_BUNDLE`: the :data:`BUNDLED_SCRIPTS` files, each after a comment naming it
    (its licence is beside it in ``static/vendor``) and ended so the next one starts a new statement."""
    parts = []
    for name in BUNDLED_SCRIPTS:
        rel = LOCAL_ASSETS[name]
        text = (VENDOR_DIR / rel).read_text(encoding="utf-8")
        parts.append(f"/* static/vendor/{rel} (licence in its folder) */\n{text.rstrip()}\n;\n")
    return "".join(parts)


def bundled_scripts(js_links: list[str], base_url: str = DEFAULT_ASSET_BASE) -> list[str]:
    """``js_links`` of a map with the vendored scripts replaced by the one :data:`SCRIPT_BUNDLE` (first,
    as Leaflet comes first), when every vendored script among them is in it; otherwise as they are."""
    ours = {f"{base_url}/{LOCAL_ASSETS[n]}" for n in BUNDLED_SCRIPTS}
    vendored = [u for u in js_links if u.startswith(base_url + "/")]
    if not vendored or not set(vendored) <= ours:
        return list(js_links)
    return [f"{base_url}/{SCRIPT_BUNDLE}", *(u for u in js_links if u not in ours)]


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
        Element(
            f"<style>.leaflet-container {{ background: {OFFLINE_BACKGROUND} !important; }}"
            # metric scale only (Leaflet draws miles under the metres by default)
            ".leaflet-control-scale-line + .leaflet-control-scale-line { display: none; }"
            f".leaflet-container, .leaflet-tooltip, .leaflet-control-layers {{ font-family: {LABEL_FONT}; }}"
            ".leaflet-tooltip { font-size: 13px; }</style>"
        )
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


class _RefitWhenShown(MacroElement):
    """Re-fit a map drawn while hidden (a Streamlit tab not yet opened) when it becomes visible.

    Leaflet measures its container when the map is created; in a hidden tab that is 0 × 0, so the map
    opens zoomed out to the whole world. A ResizeObserver notices the container getting a size, tells
    Leaflet (``invalidateSize``) and repeats the map's last ``fitBounds`` (or its initial view).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map, fits) {
            if (typeof ResizeObserver === "undefined") { return; }
            var el = map.getContainer();
            var hidden = el.clientWidth === 0 || el.clientHeight === 0;
            var view = [map.getCenter(), map.getZoom()];
            new ResizeObserver(function () {
                if (el.clientWidth === 0 || el.clientHeight === 0) { hidden = true; return; }
                if (!hidden) { return; }
                hidden = false;
                map.invalidateSize();
                if (fits.length) {
                    var f = fits[fits.length - 1];
                    map.fitBounds(f[0], f[1]);
                } else {
                    map.setView(view[0], view[1]);
                }
            }).observe(el);
        })({{ this._parent.get_name() }}, {{ this.fits|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, fits: list):
        super().__init__()
        self._name = "RefitWhenShown"
        self.fits = fits


def finalize(m: folium.Map, base_url: str = DEFAULT_ASSET_BASE) -> folium.Map:
    """Point every element's JS/CSS links at the vendored copies (per instance, so streamlit-folium,
    which reads each element's ``default_js``/``default_css``, loads the local files too), and make the
    map re-fit itself when it is first shown (maps in Streamlit tabs are drawn while hidden)."""
    for el in _walk(m):
        for attr in ("default_js", "default_css"):
            links = getattr(el, attr, None)
            if links:
                setattr(el, attr, _localised(list(links), base_url))
    if isinstance(m, folium.Map) and not any(isinstance(c, _RefitWhenShown) for c in m._children.values()):
        fits = [[c.bounds, c.options] for c in m._children.values() if isinstance(c, FitBounds)]
        m.add_child(_RefitWhenShown(fits))
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
    """HTML-escape user text for popups, tooltips and legends (:func:`cartography.geojson.escape_text`)."""
    return escape_text(text)


#: legend swatch CSS per shape: box (solid), fill (translucent area with edge), outline (boundary),
#: line (solid stroke), dash (dashed stroke), dot (point symbol; ``dot:NN`` sets the diameter in px)
def _swatch(colour: str, shape: str) -> str:
    base = "display:inline-block;vertical-align:middle;margin-right:6px;box-sizing:border-box;"
    if shape == "line":
        return f'<span style="{base}width:22px;height:0;border-top:4px solid {colour}"></span>'
    if shape == "dash":
        return f'<span style="{base}width:22px;height:0;border-top:4px dashed {colour}"></span>'
    if shape == "outline":
        return f'<span style="{base}width:22px;height:14px;border:2px solid {colour}"></span>'
    if shape == "fill":
        return (
            f'<span style="{base}width:22px;height:14px;background:{colour};opacity:0.6;'
            f'border:1px solid {colour}"></span>'
        )
    if shape.startswith("dot"):
        size = int(shape.split(":", 1)[1]) if ":" in shape else 12
        pad = max(0, (22 - size) // 2)
        return (
            f'<span style="{base}width:{size}px;height:{size}px;margin-left:{pad}px;'
            f"margin-right:{pad + 6}px;background:{colour};border-radius:50%;"
            'border:2px solid #fff;box-shadow:0 0 0 1px #666"></span>'
        )
    return f'<span style="{base}width:22px;height:14px;background:{colour};opacity:0.85;border-radius:2px"></span>'


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

    def __init__(self, title: str, items: list[tuple], columns: int | None = None):
        super().__init__()
        self._name = "Legend"
        rows = []
        for item in items:
            colour, label = escape(item[0]), escape(item[1])
            shape = str(item[2]) if len(item) > 2 else "box"
            if shape == "heading":
                rows.append(
                    '<div style="font-weight:600;margin-top:4px;color:#444;break-after:avoid;'
                    f'break-inside:avoid">{label}</div>'
                )
                continue
            rows.append(
                f'<div style="white-space:nowrap;break-inside:avoid">{_swatch(colour, shape)}{label}</div>'
            )
        # a long legend goes into two columns so it stays clear of the layer control above it
        two = columns == 2 or (columns is None and len(rows) > 14)
        columns = "column-count:2;column-gap:18px;" if two else ""
        inner = (
            '<div style="background:rgba(255,255,255,0.93);padding:8px 12px;border-radius:6px;'
            "box-shadow:0 1px 4px rgba(0,0,0,0.3);font:13px/1.5 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
            'max-height:470px;overflow:auto">'
            f'<div style="font-weight:600;margin-bottom:4px">{escape(title)}</div>'
            f'<div style="{columns}">{"".join(rows)}</div></div>'
        )
        self.inner_json = json.dumps(inner, ensure_ascii=False).replace("</", "<\\/")


def legend_html(title: str, items: list[tuple], columns: int | None = None) -> MacroElement:
    """A fixed legend box: ``items`` are (colour, label[, shape]).

    ``shape`` is one of box (default), fill (translucent area), outline (boundary line), line, dash,
    dot (``dot:NN`` for an NN-px symbol) or heading (a sub-title; colour ignored). All text is
    HTML-escaped. ``columns`` 1 or 2 (default: two columns above 14 rows, so a long legend stays clear of
    the layer control). Add it with ``.add_to(map)``."""
    return _Legend(title, items, columns)


def for_basemap(gdf, basemap: str):
    """Shift WGS84 data to GCJ-02 when drawn over AMap tiles (display only)."""
    if not basemap_needs_gcj02(basemap):
        return gdf
    shifted = gdf.to_crs("EPSG:4326")
    return shifted.set_geometry(shift_geometries(shifted.geometry.values), crs="EPSG:4326")


#: font size (px) of each label class; the declutter pass uses it to size the label boxes
LABEL_SIZES = {
    "province": 20,
    "cluster": 16,
    "prefecture": 15,
    "seat": 15,
    "district": 15,
    "county": 12,
    "subdistrict": 12.5,
    "community": 11,
    "street": 11,
}
LABEL_FONT = "'Noto Sans CJK SC','Noto Sans SC','Source Han Sans SC','Microsoft YaHei',sans-serif"
LABEL_CSS = (
    ".ra-label-anchor{background:none;border:none}"
    f".ra-label{{position:absolute;left:0;top:0;white-space:nowrap;pointer-events:none;font-family:{LABEL_FONT};"
    "line-height:1.25;color:#222;text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff,0 0 4px #fff,0 0 5px #fff}"
    ".ra-label-province{font-size:20px;font-weight:600;letter-spacing:0.35em;color:#5a5a5a}"
    ".ra-label-cluster{font-size:16px;font-weight:700;letter-spacing:0.15em;color:#3b3b3b;font-style:italic}"
    ".ra-label-prefecture{font-size:15px;font-weight:700;color:#1a1a1a}"
    ".ra-label-seat{font-size:15px;font-weight:700;color:#111}"
    ".ra-label-district{font-size:15px;font-weight:700;color:#08306b;letter-spacing:0.1em}"
    ".ra-label-county{font-size:12px;color:#4a4a4a}"
    ".ra-label-subdistrict{font-size:12.5px;font-weight:600;color:#2f3e56}"
    ".ra-label-community{font-size:11px;color:#5b5b5b}"
    ".ra-label-street{font-size:11px;color:#6d5a3a;font-style:italic}"
)


class MapLabels(MacroElement):
    """Permanent map labels (place and street names) with zoom ranges and on-screen de-cluttering.

    Each record is ``[lat, lon, text, kind, min_zoom, max_zoom, priority, width_em, angle, anchor]`` as
    made by :func:`cartography.geojson.label_points` (text already escaped). After every zoom or pan the
    labels whose zoom range contains the map zoom are placed in priority order; a label whose box would
    overlap one already placed, or lies off screen, is left out. Labels are non-interactive (hover goes
    to the layer underneath). Add to a ``folium.FeatureGroup`` so the layer control can switch them.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent._parent.get_name() }};
            var group = {{ this._parent.get_name() }};
            window.raUnpackLabels = window.raUnpackLabels || function (c) {
                var la = 0, lo = 0;
                return c.r.map(function (r) {
                    la += r[0]; lo += r[1];
                    var s = c.s[r[2]], g = c.g[r[3]];
                    return [la / 1e5, lo / 1e5, s[0], g[0], g[1], g[2], g[3], s[1], r[4] || 0, g[4]];
                });
            };
            var data = window.raUnpackLabels({{ this.data_json }});
            var size = {{ this.sizes_json }};
            if (!document.getElementById("ra-label-css")) {
                var css = document.createElement("style");
                css.id = "ra-label-css";
                css.textContent = {{ this.css_json }};
                document.head.appendChild(css);
            }
            var order = data.map(function (d, i) { return i; });
            order.sort(function (a, b) { return data[a][6] - data[b][6] || a - b; });
            var markers = new Array(data.length);
            function marker(i) {
                if (!markers[i]) {
                    var d = data[i], t = "translate(-50%,-50%)";
                    if (d[9] === "r") { t = "translate(12px,-50%)"; }
                    else if (d[9] === "l") { t = "translate(calc(-100% - 12px),-50%)"; }
                    if (d[8]) { t += " rotate(" + d[8] + "deg)"; }
                    markers[i] = L.marker([d[0], d[1]], {
                        interactive: false, keyboard: false,
                        icon: L.divIcon({className: "ra-label-anchor", iconSize: [0, 0],
                            html: '<div class="ra-label ra-label-' + d[3] + '" style="transform:' + t + '">'
                                + d[2] + "</div>"})
                    });
                }
                return markers[i];
            }
            function update() {
                if (!map.hasLayer(group)) { return; }
                var z = map.getZoom(), s = map.getSize(), boxes = [];
                order.forEach(function (i) {
                    var d = data[i], show = z >= d[4] && z < d[5];
                    if (show) {
                        var p = map.latLngToContainerPoint([d[0], d[1]]), fs = size[d[3]] || 12;
                        var w = d[7] * fs + 6, h = fs * 1.25 + 4;
                        if (d[8]) {
                            var r = d[8] * Math.PI / 180, c = Math.abs(Math.cos(r)), n = Math.abs(Math.sin(r));
                            var w2 = w * c + h * n; h = w * n + h * c; w = w2;
                        }
                        var x0 = d[9] === "r" ? p.x + 12 : (d[9] === "l" ? p.x - 12 - w : p.x - w / 2);
                        var y0 = p.y - h / 2;
                        if (x0 + w < 0 || x0 > s.x || y0 + h < 0 || y0 > s.y) { show = false; }
                        for (var k = 0; show && k < boxes.length; k++) {
                            var b = boxes[k];
                            if (x0 < b[2] && x0 + w > b[0] && y0 < b[3] && y0 + h > b[1]) { show = false; }
                        }
                        if (show) { boxes.push([x0, y0, x0 + w, y0 + h]); }
                    }
                    var m = markers[i];
                    if (show) { if (!m || !group.hasLayer(m)) { group.addLayer(marker(i)); } }
                    else if (m && group.hasLayer(m)) { group.removeLayer(m); }
                });
            }
            map.on("zoomend moveend resize", update);
            group.on("add", function () { setTimeout(update, 0); });
            map.whenReady(update);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, records: list[list]):
        super().__init__()
        self._name = "MapLabels"
        self.records = records
        self.data_json = _script_json(pack_labels(records))
        self.sizes_json = _script_json(LABEL_SIZES)
        self.css_json = _script_json(LABEL_CSS)


def _whole(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def pack_labels(records: list[list]) -> dict:
    """Label records packed for the page: a third of their size, whatever the number of labels.

    Texts (with their width) and label classes (kind, zoom range, priority, anchor) are sent once each;
    a label is ``[Δlat, Δlon, text index, class index(, angle)]`` with the position in 10⁻⁵ degrees
    (about 1 m) as the difference from the label before. :func:`unpack_labels` (and the page's
    ``raUnpackLabels``) give the records back.
    """
    texts: dict[tuple, int] = {}
    groups: dict[tuple, int] = {}
    rows = []
    lat0 = lon0 = 0
    for r in records:
        lat, lon = int(round(float(r[0]) * 1e5)), int(round(float(r[1]) * 1e5))
        ti = texts.setdefault((r[2], _whole(r[7])), len(texts))
        gi = groups.setdefault((r[3], _whole(r[4]), _whole(r[5]), int(r[6]), r[9]), len(groups))
        row = [lat - lat0, lon - lon0, ti, gi]
        if r[8]:
            row.append(_whole(r[8]))
        rows.append(row)
        lat0, lon0 = lat, lon
    return {"s": [list(k) for k in texts], "g": [list(k) for k in groups], "r": rows}


def unpack_labels(packed: dict) -> list[list]:
    """The label records of :func:`pack_labels` (positions rounded to 10⁻⁵ degrees)."""
    out = []
    lat = lon = 0
    for r in packed["r"]:
        lat, lon = lat + r[0], lon + r[1]
        s, g = packed["s"][r[2]], packed["g"][r[3]]
        out.append(
            [lat / 1e5, lon / 1e5, s[0], g[0], g[1], g[2], g[3], s[1], r[4] if len(r) > 4 else 0, g[4]]
        )
    return out


def _script_json(value) -> str:
    """JSON for inlining in a <script>: ``</`` and ``<!--`` cannot end or comment out the script."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
    )


if __name__ == "__main__":
    # python -m cartography.mapkit: write the script bundle after updating static/vendor
    out = VENDOR_DIR / SCRIPT_BUNDLE
    out.parent.mkdir(exist_ok=True)
    out.write_text(script_bundle(), encoding="utf-8")
    print(out)
