"""A folium map rendered once and shown on every rerun from the cached rendering (no deep copy, no re-render).

``st_folium`` renders a figure to HTML/JS on every call (folium's templates, the GeoJSON of every layer)
and renames element ids in the figure as it goes, so a cached figure has to be deep-copied each time.
For a map that does not change between reruns, :func:`rendered` does that work once and keeps what
``st_folium`` would send to the browser; :func:`show` sends it. The arguments are the ones of
streamlit-folium's ``st_folium`` (0.22–0.27, the requirements' range) (same component, same key hashing), so the browser receives the
same map as before (test: tests/dashboard/test_mapcache.py compares them).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable, Iterable

import branca
import folium
import numpy as np
import pandas as pd
import shapely
import streamlit as st
import streamlit_folium as sf

from cartography import mapkit


def fingerprint(*parts) -> str:
    """A digest of everything a map is drawn from: strings, numbers, tuples, arrays and (Geo)DataFrames.

    Two calls give the same digest exactly when the parts are equal (values, index, column names and,
    for a GeoDataFrame, every geometry's WKB); used as the cache key of :func:`cached`.
    """
    h = hashlib.sha1()
    for part in parts:
        if isinstance(part, pd.DataFrame | pd.Series):
            frame = part.to_frame() if isinstance(part, pd.Series) else part
            geo = [c for c in frame.columns if str(frame[c].dtype) == "geometry"]
            plain = frame.drop(columns=geo)
            h.update(repr((list(frame.columns), list(plain.dtypes.astype(str)), frame.shape)).encode())
            h.update(pd.util.hash_pandas_object(frame.index.astype(str)).to_numpy().tobytes())
            for c in plain.columns:
                h.update(_column_digest(plain[c]))
            for c in geo:
                wkb = shapely.to_wkb(np.asarray(frame[c].array, dtype=object))
                h.update(b"".join(w if w is not None else b"-" for w in wkb))
        elif isinstance(part, np.ndarray):
            h.update(repr((part.dtype.str, part.shape)).encode() + part.tobytes())
        else:
            h.update(repr(part).encode())
        h.update(b"\x00")
    return h.hexdigest()


def _column_digest(col: pd.Series) -> bytes:
    """The row hashes of one column: its values as they are, or as text where they cannot be hashed so
    (lists, dicts: pandas hashes numbers, strings and missing values only)."""
    try:
        return pd.util.hash_pandas_object(col, index=False).to_numpy().tobytes()
    except TypeError:
        return pd.util.hash_pandas_object(col.astype(str), index=False).to_numpy().tobytes()


def cached(build: Callable[[], folium.Map], *parts) -> dict:
    """The rendering of ``build()``, built once per :func:`fingerprint` of ``parts`` (which must name every
    input of ``build``: data, language, selection)."""
    return _cached(build, fingerprint(*parts))


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached(_build: Callable[[], folium.Map], key: str) -> dict:
    return rendered(_build(), fresh=True)


def rendered(fmap: folium.Map, *, fresh: bool = False) -> dict:
    """What ``st_folium`` sends to the component for ``fmap``.

    ``st_folium`` renames ids inside the figure it renders, so a copy is rendered unless ``fresh`` says the
    figure was built for this call alone.

    Returns
    -------
    dict
        ``script``, ``header``, ``html``, ``id``, ``bounds``, ``zoom``, ``css_links`` and ``js_links`` (the
        vendored scripts as one file: :func:`cartography.mapkit.bundled_scripts`).
    """
    fig = fmap if fresh else copy.deepcopy(fmap)
    fig.get_root().render()
    fig.render()
    html = sf._get_html(fig)
    header = sf._get_header(fig)
    script = sf._get_map_string(fig)
    m_id = sf.get_full_id(fig)
    bounds = fig.get_bounds()
    css_links: list[str] = []
    js_links: list[str] = []
    for elem in _walk(fig):
        if isinstance(elem, branca.colormap.ColorMap):
            js_links.insert(0, "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js")
            js_links.insert(0, "https://d3js.org/d3.v4.min.js")
        css_links.extend(href for _, href in getattr(elem, "default_css", []))
        js_links.extend(src for _, src in getattr(elem, "default_js", []))
    return {
        "script": script,
        "header": header,
        "html": html,
        "id": m_id,
        "bounds": {
            "_southWest": {"lat": bounds[0][0], "lng": bounds[0][1]},
            "_northEast": {"lat": bounds[1][0], "lng": bounds[1][1]},
        },
        "zoom": fig.options.get("zoom"),
        "css_links": list(dict.fromkeys(css_links)),
        "js_links": mapkit.bundled_scripts(list(dict.fromkeys(js_links))),
    }


def _walk(fig):
    if isinstance(fig, branca.colormap.ColorMap | folium.elements.JSCSSMixin):
        yield fig
    for child in getattr(fig, "_children", {}).values():
        yield from _walk(child)


#: streamlit-folium (0.22–0.27) reports a click 250 ms after it (a debounce shared with pan and zoom). For a
#: map returning ``last_clicked`` only, this handler sends the same value at once, the way the component does
#: (``Streamlit.setComponentValue`` of ``{last_clicked: latlng}``, remembered as its ``previous_data``), so
#: the debounced report that follows finds nothing new and sends nothing.
PROMPT_CLICK = """
map_div.on("click", function (e) {
    var g = window.__GLOBAL_DATA__;
    if (!g || !window.Streamlit) { return; }
    var data = {last_clicked: {lat: e.latlng.lat, lng: e.latlng.lng}};
    if (JSON.stringify(g.previous_data) === JSON.stringify(data)) { return; }
    g.lat_lng_clicked = e.latlng;
    g.previous_data = data;
    window.Streamlit.setComponentValue(data);
});
"""


def show(
    r: dict,
    *,
    key: str,
    height: int,
    returned_objects: Iterable[str] = (),
    use_container_width: bool = True,
    width: int = 500,
    feature_group: str | None = None,
    prompt_click: bool = False,
    view: str | None = None,
):
    """Show a map rendered by :func:`rendered` as ``st_folium(fig, key=..., ...)`` would (returns its value).

    ``feature_group`` (from :func:`feature_groups`) is drawn on top of the map; when only it changes between
    reruns the browser swaps those layers and keeps the map (same component key: no rebuild, no reload).
    ``prompt_click`` (with ``returned_objects=["last_clicked"]`` only) sends a click at once instead of
    after the component's fixed 250 ms debounce (:data:`PROMPT_CLICK`).
    ``view`` (from :func:`fit_view`) is run in the browser after the map is first drawn and whenever it
    changes between reruns: one map serves several views (same key: no rebuild, no reload). It travels as
    the component's ``layer_control`` script, which the component runs exactly then (with ``feature_group``
    it would run again on every change of the groups, so the two do not go together).
    """
    returned_objects = list(returned_objects)
    if prompt_click and returned_objects != ["last_clicked"]:
        raise ValueError("prompt_click needs returned_objects=['last_clicked']")
    if view is not None and feature_group is not None:
        raise ValueError("view and feature_group do not go together")
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": r["bounds"],
        "zoom": r["zoom"],
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
    hash_key = sf.generate_js_hash(r["script"] + PROMPT_CLICK if prompt_click else r["script"], key, False)

    def _on_change():
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(
        script=r["script"] + PROMPT_CLICK if prompt_click else r["script"],
        header=r["header"],
        html=r["html"],
        id=r["id"],
        key=hash_key,
        height=height,
        width=None if use_container_width else width,
        returned_objects=returned_objects,
        default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=None,
        center=None,
        feature_group=feature_group,
        return_on_hover=False,
        layer_control=view,
        pixelated=False,
        css_links=r["css_links"],
        js_links=r["js_links"],
        on_change=_on_change,
        wrap_longitude=False,
    )


def fit_view(bounds) -> str:
    """The script of :func:`show`'s ``view`` fitting the map to ``bounds`` (``[[south, west], [north, east]]``,
    degrees) at once, as folium's ``fit_bounds`` without padding does when the map is built."""
    (s, w), (n, e) = bounds
    box = json.dumps([[float(s), float(w)], [float(n), float(e)]])
    return f'window.map.fitBounds({box}, {{"animate": false}});\n'


# ---------------------------------------------------------------------------------- dynamic layers

_CONTROL = re.compile(r"\blet (layer_control_\w+) = $")


def _layer_control(script: str) -> str | None:
    """The variable of the map's layer control in a rendered script (``let <name> = L.control.layers(``)."""
    at = script.rfind(" = L.control.layers(")  # a plain search: the script is hundreds of kB
    if at < 0:
        return None
    m = _CONTROL.search(script[max(0, at - 200) : at + 3])
    return m.group(1) if m else None


def feature_groups(r: dict, groups: list[folium.FeatureGroup]) -> str | None:
    """The script of ``groups`` for :func:`show`'s ``feature_group``: layers added to the map of ``r`` (a
    :func:`rendered` map) in the browser without rebuilding it, as ``st_folium(feature_group_to_add=...)``
    builds them, and listed by name in that map's layer control (the previous ones taken out of it).

    Returns ``None`` for no groups (the browser then removes the layers it had added).
    """
    if not groups:
        return None
    host = folium.Map(tiles=None)  # any map: its id is replaced by the component's map variable
    parts = [sf._get_feature_group_string(g, map=host, idx=i) for i, g in enumerate(groups)]
    control = _layer_control(r["script"])
    if control:
        names = [f"feature_group_feature_group_{i}" for i in range(len(groups))]
        adds = "".join(
            f"c.addOverlay({v}, {json.dumps(g.layer_name)});" for v, g in zip(names, groups, strict=True)
        )
        parts.append(
            f"(function() {{ var c = {control}; var fg = window.feature_group || [];"
            " fg.forEach(function(l) { c.removeLayer(l); });"
            f" {adds} window.feature_group = fg.slice(-{len(groups)}); }})();\n"
        )
    return "".join(parts)
