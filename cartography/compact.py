"""Compact vector layers: the map payload grows with what a planner sees, not with the size of the city.

A GeoJSON layer inlined by folium costs about 20 bytes per vertex (``[115.90576, 28.66775]``) plus every
property name repeated per feature and a ``switch`` over every feature id for its style. Here a layer is sent as

- coordinates quantised to ``10**-precision`` degrees (5 decimals ≈ 1 m) and delta-encoded per ring (small
  integers: 2–4 characters per coordinate instead of 9);
- properties column by column, text that repeats (colours, class labels) as a dictionary plus indices;
- the style computed in the browser from a base style and the feature's own properties (no per-feature switch),

and decoded back into the same GeoJSON features in the browser before Leaflet draws them, so tooltips read the
same ``feature.properties`` as before. Lines and polygons are generalised to the display scale first
(:func:`cartography.geojson.display_geojson`, metres, topology kept): :func:`budget_tolerance` raises the
tolerance until the layer's vertex count fits a budget, never below the tolerance the map asks for.

Dense point layers go through :func:`grid_counts` (counts per grid cell, the per-class counts kept) when they
exceed what a browser should receive.
"""

from __future__ import annotations

import json
import math
from typing import NamedTuple

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template

from cartography.geojson import display_frame, display_geojson  # noqa: F401 - display_geojson: docs
from layers.crs import ANALYSIS_CRS, DISPLAY_CRS
from layers.memo import derived

#: geometry type codes of the compact encoding
_TYPES = {"Point": 0, "LineString": 1, "Polygon": 2, "MultiLineString": 3, "MultiPolygon": 4}

#: the browser side: compact payload → GeoJSON FeatureCollection (defined once per page)
DECODER_JS = """
window.raDecode = window.raDecode || function (c) {
    var q = c.q, n = c.g.length, cols = Object.keys(c.p), vals = {};
    cols.forEach(function (k) {
        var v = c.p[k];
        vals[k] = Array.isArray(v) ? v : v.i.map(function (i) { return v.d[i]; });
    });
    var x = 0, y = 0;
    function ring(r) {
        var out = new Array(r.length / 2);
        for (var i = 0; i < r.length; i += 2) { x += r[i]; y += r[i + 1]; out[i / 2] = [x / q, y / q]; }
        return out;
    }
    var kinds = ["Point", "LineString", "Polygon", "MultiLineString", "MultiPolygon"];
    var feats = new Array(n);
    for (var f = 0; f < n; f++) {
        var g = c.g[f], t = g[0], coords;
        if (t === 0) { coords = ring(g[1])[0]; }
        else if (t === 1) { coords = ring(g[1]); }
        else if (t === 2 || t === 3) { coords = g[1].map(ring); }
        else { coords = g[1].map(function (p) { return p.map(ring); }); }
        var props = {};
        for (var k = 0; k < cols.length; k++) { props[cols[k]] = vals[cols[k]][f]; }
        feats[f] = {type: "Feature", properties: props, geometry: {type: kinds[t], coordinates: coords}};
    }
    return {type: "FeatureCollection", features: feats};
};
"""


def _ring(coords: np.ndarray, scale: float, cursor: list[int]) -> list[int]:
    q = np.round(np.asarray(coords)[:, :2] * scale).astype(np.int64)
    if len(q) > 1:
        # drop repeated points left by rounding (the closing point of a ring stays: it differs from its neighbour)
        keep = np.ones(len(q), dtype=bool)
        keep[1:] = np.any(q[1:] != q[:-1], axis=1)
        q = q[keep]
    # differences from the previous point, the first from where the previous ring of the layer ended
    d = np.diff(q, axis=0, prepend=np.asarray([cursor], dtype=np.int64))
    cursor[:] = [int(q[-1, 0]), int(q[-1, 1])]
    return d.ravel().tolist()


def _polygon(poly, scale: float, cursor: list[int]) -> list[list[int]]:
    return [_ring(shapely.get_coordinates(poly.exterior), scale, cursor)] + [
        _ring(shapely.get_coordinates(r), scale, cursor) for r in poly.interiors
    ]


def encode_geometry(geom, precision: int = 5, cursor: list[int] | None = None) -> list | None:
    """One geometry (EPSG:4326) in the compact encoding: ``[type code, delta-encoded integer coordinates]``.

    Coordinates are integers (degrees × ``10**precision``), each the difference from the point before; the
    first point of a ring the difference from ``cursor`` (the last point encoded before it in the layer,
    updated here), so a layer of many small features has no long absolute numbers either.

    Parameters
    ----------
    geom : shapely geometry
        Point, LineString, Polygon, MultiLineString or MultiPolygon in degrees (others are not drawn).
    precision : int
        Decimals kept (5 ≈ 1.1 m at the equator, 6 ≈ 0.1 m).
    cursor : list of int, optional
        ``[x, y]`` of the previous point in the layer (default: the origin, an absolute first point).

    Returns
    -------
    list or None
        The encoded geometry; None for an empty or missing geometry.
    """
    if geom is None or geom.is_empty:
        return None
    cursor = [0, 0] if cursor is None else cursor
    scale = 10.0**precision
    kind = geom.geom_type
    if kind == "Point":
        return [0, _ring(np.array([[geom.x, geom.y]]), scale, cursor)]
    if kind == "LineString":
        return [1, _ring(shapely.get_coordinates(geom), scale, cursor)]
    if kind == "Polygon":
        return [2, _polygon(geom, scale, cursor)]
    if kind == "MultiLineString":
        return [3, [_ring(shapely.get_coordinates(p), scale, cursor) for p in geom.geoms]]
    if kind == "MultiPolygon":
        return [4, [_polygon(p, scale, cursor) for p in geom.geoms]]
    raise ValueError(f"cannot draw a {kind} in a compact layer")


def encode_geometries(geoms, precision: int = 5) -> list:
    """Many geometries (EPSG:4326) of one layer in the compact encoding, as :func:`encode_geometry` gives them
    one after another with one cursor (the first point absolute), with the rounding, the dropping of repeated
    points and the differences done once for the whole layer (numpy) instead of once per ring.

    Returns
    -------
    list
        Per geometry its encoding, or None for a missing or empty one.
    """
    geoms = np.asarray(geoms, dtype=object)
    out: list = [None] * len(geoms)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not ok.any():
        return out
    which = np.flatnonzero(ok)
    kinds = shapely.get_type_id(geoms[which])  # 0 point, 1 line, 3 polygon, 5 multi-line, 6 multi-polygon
    bad = ~np.isin(kinds, (0, 1, 3, 5, 6))
    if bad.any():
        raise ValueError(f"cannot draw a {geoms[which[bad][0]].geom_type} in a compact layer")
    parts, part_of = shapely.get_parts(geoms[which], return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    # the "rings" of every part in order: a polygon's exterior then its holes; a line or point is one
    if polygonal.all():
        rings, ring_of_part = shapely.get_rings(parts, return_index=True)
    else:
        pieces, owners = [], []
        for k, part in enumerate(parts):  # mixed layers (rare): one part at a time, in order
            if polygonal[k]:
                r = shapely.get_rings(part)
                pieces.extend(r)
                owners.extend([k] * len(r))
            else:
                pieces.append(part)
                owners.append(k)
        rings, ring_of_part = np.asarray(pieces, dtype=object), np.asarray(owners, dtype=np.int64)
    xy, ring_idx = shapely.get_coordinates(rings, return_index=True)
    q = np.round(xy * 10.0**precision).astype(np.int64)
    # drop points repeating the one before them in the same ring (left by rounding)
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = np.any(q[1:] != q[:-1], axis=1) | (ring_idx[1:] != ring_idx[:-1])
    q, ring_idx = q[keep], ring_idx[keep]
    flat = np.diff(q, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()
    ends = np.cumsum(np.bincount(ring_idx, minlength=len(rings))) * 2
    starts = np.concatenate(([0], ends[:-1]))
    ring_lists = [flat[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    # nest: rings → parts → geometries
    part_rings: list[list] = [[] for _ in range(len(parts))]
    for r, p in zip(ring_lists, ring_of_part.tolist()):
        part_rings[p].append(r)
    geom_parts: list[list] = [[] for _ in range(len(which))]
    for pr, g in zip(part_rings, part_of.tolist()):
        geom_parts[g].append(pr)
    for g, kind, ps in zip(which.tolist(), kinds.tolist(), geom_parts):
        if kind in (0, 1):
            out[g] = [kind, ps[0][0]]
        elif kind == 3:
            out[g] = [2, ps[0]]
        elif kind == 5:
            out[g] = [3, [p[0] for p in ps]]
        else:
            out[g] = [4, ps]
    return out


def _column(values: list):
    """A property column: plain list, or ``{"d": distinct values, "i": indices}`` when that is shorter."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) * 4 < len(values):
        index = {v: i for i, v in enumerate(distinct)}
        return {"d": distinct, "i": [index[v] for v in values]}
    return values


def _plain(v):
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def encode(features, precision: int = 5) -> dict:
    """Features in the compact encoding.

    Parameters
    ----------
    features : dict or GeoDataFrame
        A GeoJSON FeatureCollection (EPSG:4326, as made by :func:`display_geojson`), or a GeoDataFrame in
        EPSG:4326 whose columns are the properties (as made by :func:`display_frame`). Features without a
        geometry are left out; with a FeatureCollection the properties of the first feature name the columns
        (a feature lacking one gets ``None``).
    precision : int
        Decimals kept.

    Returns
    -------
    dict
        ``{"q": 10**precision, "g": [geometry per feature], "p": {column: values}}``.
    """
    if isinstance(features, gpd.GeoDataFrame):
        encoded = encode_geometries(features.geometry.to_numpy(), precision)
        keep = [i for i, g in enumerate(encoded) if g is not None]
        cols = [c for c in features.columns if c != features.geometry.name]
        props = {c: _column([_plain(v) for v in features[c].to_numpy()[keep]]) if keep else [] for c in cols}
        return {"q": int(10**precision), "g": [encoded[i] for i in keep], "p": props}
    feats = [f for f in features["features"] if f.get("geometry")]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in feats]) if feats else []
    kept = [(g, f) for g, f in zip(encode_geometries(geoms, precision), feats) if g is not None]
    cols = list(kept[0][1]["properties"]) if kept else []
    props = {c: _column([_plain(f["properties"].get(c)) for _, f in kept]) for c in cols}
    return {"q": int(10**precision), "g": [g for g, _ in kept], "p": props}


def decode(payload: dict) -> dict:
    """The compact encoding back to a GeoJSON FeatureCollection (what the browser's decoder does; for tests)."""
    q = payload["q"]
    cursor = np.zeros(2, dtype=np.int64)

    def ring(r):
        nonlocal cursor
        xy = np.cumsum(np.asarray(r, dtype=np.int64).reshape(-1, 2), axis=0) + cursor
        cursor = xy[-1].copy()
        return (xy / q).tolist()

    cols = {k: (v if isinstance(v, list) else [v["d"][i] for i in v["i"]]) for k, v in payload["p"].items()}
    kinds = {v: k for k, v in _TYPES.items()}
    feats = []
    for n, (t, c) in enumerate(payload["g"]):
        if t == 0:
            coords = ring(c)[0]
        elif t == 1:
            coords = ring(c)
        elif t in (2, 3):
            coords = [ring(r) for r in c]
        else:
            coords = [[ring(r) for r in p] for p in c]
        feats.append(
            {
                "type": "Feature",
                "properties": {k: v[n] for k, v in cols.items()},
                "geometry": {"type": kinds[t], "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def vertex_count(gdf: gpd.GeoDataFrame) -> int:
    """Number of coordinates of every geometry of a layer."""
    return int(shapely.get_num_coordinates(gdf.geometry.values).sum())


def budget_tolerance(gdf: gpd.GeoDataFrame, simplify_m: float, max_vertices: int | None) -> float:
    """The display tolerance (metres) that brings a layer under ``max_vertices`` coordinates.

    Starts at ``simplify_m`` (what the map asks for at the demo's size) and doubles, up to 64 ×, while the
    simplified layer has more coordinates than the budget. A layer already under budget keeps ``simplify_m``:
    the demo's maps look as they did.

    Parameters
    ----------
    gdf : GeoDataFrame
        Lines or polygons in any CRS.
    simplify_m : float
        Tolerance asked for, metres.
    max_vertices : int or None
        Coordinate budget of the layer; None = no budget.

    Returns
    -------
    float
        Tolerance in metres.
    """
    if not max_vertices or gdf.empty:
        return simplify_m
    tol = max(simplify_m, 0.0)
    metric = gdf.geometry.to_crs(ANALYSIS_CRS).to_numpy()
    if int(shapely.get_num_coordinates(metric).sum()) <= max_vertices:
        return tol  # under budget even unsimplified
    # a large layer is measured on an evenly spaced sample of 4,000 features (scaled up)
    step = max(1, len(metric) // 4000)
    sample, scale = metric[::step], len(metric) / len(metric[::step])

    def count(t: float) -> float:
        geoms = shapely.simplify(sample, t, preserve_topology=True) if t > 0 else sample
        return float(shapely.get_num_coordinates(geoms).sum()) * scale

    doublings = 0
    while count(tol) > max_vertices and doublings < 6:
        tol = tol * 2 if tol > 0 else 1.0
        doublings += 1
    return tol


class Prepared(NamedTuple):
    """A layer ready to draw (what :func:`prepare` gives): everything :class:`CompactGeoJson` sends."""

    tolerance_m: float
    payload_json: str
    first: tuple  # the first feature, decoded (what folium's tooltip checks the field names against)
    bounds: list


def prepare(
    gdf,
    columns: tuple[str, ...] = (),
    simplify_m: float = 0.0,
    max_vertices: int | None = None,
    precision: int = 5,
) -> Prepared:
    """``gdf`` (a GeoDataFrame in any CRS, or a FeatureCollection already prepared for display) generalised,
    encoded and serialised for :class:`CompactGeoJson`; see there for the parameters."""
    if isinstance(gdf, dict):  # a FeatureCollection already prepared for display (EPSG:4326, escaped)
        tolerance, fc = simplify_m, gdf
    else:
        tolerance = budget_tolerance(gdf, simplify_m, max_vertices)
        fc = display_frame(gdf, simplify_m=tolerance, precision=precision, columns=columns)
    payload = encode(fc, precision)
    first = decode({**payload, "g": payload["g"][:1]})["features"][:1] if payload["g"] else []
    return Prepared(tolerance, script_json(payload), tuple(first), _bounds(fc))


class CompactGeoJson(folium.GeoJson):
    """A folium GeoJson layer sent in the compact encoding, styled in the browser.

    Parameters
    ----------
    gdf : GeoDataFrame, dict or Prepared
        Features in any CRS, or a GeoJSON FeatureCollection already prepared for display (EPSG:4326,
        text escaped, e.g. by :func:`cartography.geojson.street_lines`), or what :func:`prepare` made of
        them.
    columns : tuple of str
        Properties sent (only what the tooltip and the style use); text escaped by :func:`display_geojson`.
    style : dict
        Leaflet path options common to every feature.
    style_props : dict of str to str, optional
        Style option → property holding its value per feature (e.g. ``{"fillColor": "colour"}``).
    simplify_m : float
        Display tolerance in metres (raised by ``max_vertices``, see :func:`budget_tolerance`).
    max_vertices : int, optional
        Coordinate budget of the layer.
    precision : int
        Decimals of the coordinates (5 ≈ 1 m).
    interactive : bool
        False: the layer never takes the pointer.
    points : bool
        Draw point features as circle markers (``radius`` may come from ``style_props``).
    name, show, control, tooltip, smooth_factor :
        As for :class:`folium.GeoJson`.
    reuse : bool
        ``gdf`` is an unchanging source (a loaded workspace or boundary layer, never changed in place):
        what is prepared from it is kept while it lives and reused by the next map (:mod:`layers.memo`).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.decoder }}
        var {{ this.get_name() }} = L.geoJson(null, {
            {%- if this.smooth_factor is not none %}
            smoothFactor: {{ this.smooth_factor|tojson }},
            {%- endif %}
            interactive: {{ this.interactive|tojson }},
            {%- if this.points %}
            pointToLayer: function (feature, latlng) { return L.circleMarker(latlng); },
            {%- endif %}
            style: (function (base, props) {
                return function (feature) {
                    var s = Object.assign({}, base);
                    for (var k in props) { s[k] = feature.properties[props[k]]; }
                    return s;
                };
            })({{ this.base_style_json }}, {{ this.style_props_json }})
        });
        {{ this.get_name() }}.addData(window.raDecode({{ this.payload_json }}));
        {% endmacro %}
        """
    )

    def __init__(
        self,
        gdf: gpd.GeoDataFrame,
        *,
        columns: tuple[str, ...] = (),
        style: dict | None = None,
        style_props: dict[str, str] | None = None,
        simplify_m: float = 0.0,
        max_vertices: int | None = None,
        precision: int = 5,
        interactive: bool = True,
        name: str | None = None,
        show: bool = True,
        control: bool = True,
        tooltip=None,
        smooth_factor: float | None = None,
        points: bool = False,
        reuse: bool = False,
    ):
        folium.map.Layer.__init__(self, name=name, overlay=True, control=control, show=show)
        self._name = "GeoJson"
        if isinstance(gdf, Prepared):
            prep = gdf
        elif reuse and not isinstance(gdf, dict):
            key = ("compact", tuple(columns), simplify_m, max_vertices, precision)
            prep = derived(gdf, key, lambda: prepare(gdf, columns, simplify_m, max_vertices, precision))
        else:
            prep = prepare(gdf, columns, simplify_m, max_vertices, precision)
        self.tolerance_m = prep.tolerance_m
        self.payload_json = prep.payload_json
        self.interactive = bool(interactive)
        self.smooth_factor = smooth_factor
        self.points = bool(points)
        self.decoder = DECODER_JS
        self.base_style_json = script_json(style or {})
        self.style_props_json = script_json(style_props or {})
        # what folium's tooltip checks (the field names of a feature) and the layer's extent
        self.data = {"type": "FeatureCollection", "features": list(prep.first)}
        self._bounds = prep.bounds
        self.style = False
        self.highlight = False
        self.embed = True
        self.marker = None
        self.on_each_feature = None
        self.zoom_on_click = False
        self.popup_keep_highlighted = False
        self.options = {}
        self.parent_map = None
        if tooltip is not None:
            self.add_child(tooltip)

    def render(self, **kwargs):
        # skip folium.GeoJson.render (its style mapper); render like any element
        folium.map.Layer.render(self, **kwargs)

    def _get_self_bounds(self):
        return self._bounds


def _bounds(fc) -> list:
    if isinstance(fc, gpd.GeoDataFrame):
        geoms = fc.geometry.to_numpy()
    else:
        geoms = np.array([shapely.geometry.shape(f["geometry"]) for f in fc["features"] if f.get("geometry")])
    xy = shapely.get_coordinates(geoms) if len(geoms) else np.empty((0, 2))
    if not len(xy):
        return [[None, None], [None, None]]
    return [[float(xy[:, 1].min()), float(xy[:, 0].min())], [float(xy[:, 1].max()), float(xy[:, 0].max())]]


def script_json(value) -> str:
    """Compact JSON for a <script>: no spaces, non-ASCII as is, ``</`` and ``<!--`` made harmless."""
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        .replace("</", "<\\/")
        .replace("<!--", "<\\!--")
    )


def grid_counts(
    points: gpd.GeoDataFrame,
    cell_m: float,
    *,
    by: str | None = None,
    sums: tuple[str, ...] = (),
    squares: bool = False,
) -> gpd.GeoDataFrame:
    """Points counted per square grid cell (metres, in the analysis CRS), with counts per class.

    Parameters
    ----------
    points : GeoDataFrame
        Points in any CRS.
    cell_m : float
        Cell side, metres.
    by : str, optional
        Class column: adds one ``n_<class>`` column per class (they sum to ``count``).
    sums : tuple of str
        Numeric columns summed per cell (same names in the result).
    squares : bool
        Geometry the cell square instead of the centroid of its points.

    Returns
    -------
    GeoDataFrame
        One row per non-empty cell: ``count`` (points in the cell), per-class counts, sums, geometry the
        centroid of the cell's points or the cell (EPSG:4326). Polygons count at their centroid.
    """
    if cell_m <= 0:
        raise ValueError("cell_m must be positive (metres)")
    metric = points.to_crs(ANALYSIS_CRS)
    if len(metric) and not (metric.geom_type == "Point").all():
        metric = metric.set_geometry(metric.geometry.centroid)
    x = metric.geometry.x.to_numpy()
    y = metric.geometry.y.to_numpy()
    frame = pd.DataFrame(
        {
            "ix": np.floor(x / cell_m).astype(np.int64),
            "iy": np.floor(y / cell_m).astype(np.int64),
            "x": x,
            "y": y,
        }
    )
    if by is not None:
        frame["cls"] = points[by].astype(str).to_numpy()
    for col in sums:
        frame[f"s_{col}"] = points[col].to_numpy()
    grouped = frame.groupby(["ix", "iy"], sort=True)
    out = grouped.agg(
        count=("x", "size"), x=("x", "mean"), y=("y", "mean"), **{c: (f"s_{c}", "sum") for c in sums}
    )
    if by is not None:
        per = frame.groupby(["ix", "iy", "cls"]).size().unstack("cls", fill_value=0)
        per.columns = [f"n_{c}" for c in per.columns]
        out = out.join(per)
    if squares:
        ix = out.index.get_level_values("ix").to_numpy()
        iy = out.index.get_level_values("iy").to_numpy()
        out = out.drop(columns=["x", "y"]).reset_index(drop=True)
        geom = shapely.box(ix * cell_m, iy * cell_m, (ix + 1) * cell_m, (iy + 1) * cell_m)
        return gpd.GeoDataFrame(out, geometry=geom, crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    out = out.reset_index(drop=True)
    geom = gpd.points_from_xy(out.pop("x"), out.pop("y"), crs=ANALYSIS_CRS)
    return gpd.GeoDataFrame(out, geometry=geom, crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)


def raster_png(
    gdf: gpd.GeoDataFrame, colour: str, *, max_px: int = 2048, outline: bool = False
) -> tuple[bytes, list[list[float]]]:
    """Polygons painted into a transparent PNG in Web Mercator (what Leaflet's image overlay expects).

    The image's size depends on ``max_px`` only, not on the number of polygons: the picture of a dense layer
    at city scale for a constant payload. Colours are ``#rrggbb`` per row (column ``colour``).

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in any CRS.
    colour : str
        Column with the fill colour of each polygon.
    max_px : int
        Pixels along the longer side of the layer's extent.
    outline : bool
        Also draw each polygon's edge (1 px), so small polygons stay visible.

    Returns
    -------
    (bytes, list)
        The PNG and its bounds ``[[south, west], [north, east]]`` in degrees.
    """
    from io import BytesIO

    from PIL import Image, ImageDraw

    merc = gdf.to_crs("EPSG:3857")
    minx, miny, maxx, maxy = merc.total_bounds
    span = max(maxx - minx, maxy - miny, 1.0)
    px = max_px / span
    w, h = max(1, int(math.ceil((maxx - minx) * px))), max(1, int(math.ceil((maxy - miny) * px)))
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    parts, owner = shapely.get_parts(merc.geometry.to_numpy(), return_index=True)
    polys = shapely.get_type_id(parts) == 3
    parts, owner = parts[polys], owner[polys]
    colours = merc[colour].astype(str).to_numpy()[owner]
    xy, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    px_x, px_y = (xy[:, 0] - minx) * px, (maxy - xy[:, 1]) * px
    starts = np.searchsorted(ring, np.arange(len(parts)))
    ends = np.append(starts[1:], len(ring))
    for i, (a, b) in enumerate(zip(starts, ends)):
        if b - a >= 3:
            pts = list(zip(px_x[a:b].tolist(), px_y[a:b].tolist()))
            draw.polygon(pts, fill=colours[i], outline=colours[i] if outline else None)
    buf = BytesIO()
    img.save(buf, format="PNG", optimize=True)
    corners = gpd.GeoSeries([shapely.Point(minx, miny), shapely.Point(maxx, maxy)], crs="EPSG:3857").to_crs(
        DISPLAY_CRS
    )
    (w_, s_), (e_, n_) = [(p.x, p.y) for p in corners]
    return buf.getvalue(), [[s_, w_], [n_, e_]]
