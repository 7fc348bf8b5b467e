"""The one escaped GeoJSON/tooltip/label helper for every map: EPSG:4326, simplified for drawing, text escaped.

Everything a user can type (a district, community, compound, street, parcel or project name, an imported
column name) reaches a map through this module: :func:`escape_text` for single strings, :func:`display_geojson`
for feature properties, :func:`tooltip` for GeoJSON hover tables (aliases escaped here), :func:`text_tooltip`
for marker tooltips and :func:`label_points` / :func:`street_label_points` for permanent map labels.

folium puts a marker tooltip's text inside a JavaScript template literal (`` `...` ``) and GeoJSON tooltips
build their table with ``innerHTML``: escaped text therefore has no ``< > & " '`` and no backtick, dollar or backslash either.
"""

from __future__ import annotations

import html
import json
import math

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from layers.crs import ANALYSIS_CRS, DISPLAY_CRS

#: characters html.escape leaves alone that still matter inside a JavaScript template literal, and the braces:
#: branca compiles every rendered element's output again as a Jinja template (``Element(script(...))``), so
#: ``{{ … }}`` in user text would run on the server (``{{ lipsum.__globals__.os… }}``) or break the map
_JS_TEMPLATE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def escape_text(value) -> str:
    """User text made safe for HTML and for folium's template-literal tooltips.

    NUL bytes are dropped, ``& < > " '`` escaped as by :func:`html.escape` and `` ` $ \\ { } `` as numeric
    character references (so ``${...}`` cannot run inside a template literal, nor ``{{ ... }}`` in the Jinja
    pass branca makes over rendered map elements); the text reads the same.

    Parameters
    ----------
    value : object
        Any value; ``None`` becomes ``""``.

    Returns
    -------
    str
        Text that can be put into ``innerHTML`` without markup taking effect.
    """
    if value is None:
        return ""
    return html.escape(str(value).replace("\x00", ""), quote=True).translate(_JS_TEMPLATE)


def display_geojson(
    gdf: gpd.GeoDataFrame, *, simplify_m: float = 0.0, precision: int = 5, columns: tuple[str, ...] = ()
) -> dict:
    """GeoJSON dict in EPSG:4326 for display: simplified in metres, coordinates rounded, text escaped.

    Simplification is topology-naive and for drawing only; never feed the result to an analysis. Every
    ``columns`` value that is not a number or a boolean (text, categories, mixed objects) is escaped with
    :func:`escape_text`; missing values become ``""``. Property names are escaped too (an imported column
    can be called ``<img src=x onerror=...>``): :func:`tooltip` escapes its ``fields`` the same way.
    """
    return json.loads(
        display_frame(gdf, simplify_m=simplify_m, precision=precision, columns=columns).to_json(drop_id=True)
    )


def display_frame(
    gdf: gpd.GeoDataFrame, *, simplify_m: float = 0.0, precision: int = 5, columns: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """What :func:`display_geojson` writes, as a GeoDataFrame (EPSG:4326, simplified, rounded, escaped)."""
    if gdf.crs is None:
        raise ValueError("layer has no CRS; cannot prepare it for display")
    geom = gdf.geometry
    if simplify_m > 0:
        geom = geom.to_crs(ANALYSIS_CRS).simplify(simplify_m, preserve_topology=True)
    geom = geom.to_crs(DISPLAY_CRS)
    geom = shapely.set_precision(geom.to_numpy(), 10.0**-precision, mode="pointwise")
    props = gdf[list(columns)].copy()
    for col in columns:
        values = props[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        props[col] = values.astype(object).map(lambda v: "" if _missing(v) else escape_text(v))
    props.columns = [escape_text(c) for c in props.columns]  # property names: escaped like the values
    return gpd.GeoDataFrame(props, geometry=geom, crs=DISPLAY_CRS)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


class _Tooltip(folium.GeoJsonTooltip):
    """folium's hover table, skipped on an empty layer (folium would assert that the fields exist in a
    feature, and a new city workspace has empty layers)."""

    def render(self, **kwargs):
        if isinstance(self._parent, folium.GeoJson) and not self._parent.data.get("features"):
            return
        super().render(**kwargs)


def tooltip(fields, aliases=None) -> folium.GeoJsonTooltip:
    """Hover table over GeoJSON properties made by :func:`display_geojson` (the values are escaped there).

    Parameters
    ----------
    fields : sequence of str
        Column names given to :func:`display_geojson` (escaped here as there, so they match).
    aliases : sequence, optional
        The row labels (default: the field names); escaped here, because folium writes them with
        ``innerHTML`` — an imported column name can be ``<img src=x onerror=...>``.

    Returns
    -------
    folium.GeoJsonTooltip
        A sticky tooltip.
    """
    aliases = list(fields if aliases is None else aliases)
    return _Tooltip(
        fields=[escape_text(f) for f in fields], aliases=[escape_text(a) for a in aliases], sticky=True
    )


def text_tooltip(text) -> folium.Tooltip:
    """A marker's hover text (escaped: folium puts it in a JavaScript template literal as HTML)."""
    return folium.Tooltip(escape_text(text))


def text_width_em(text: str) -> float:
    """Approximate rendered width of ``text`` in em (CJK glyphs 1 em, Latin about 0.58 em)."""
    return round(sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in str(text)), 1)


def _label_record(lat, lon, text, kind, min_zoom, max_zoom, priority, angle=0.0, anchor="c") -> list:
    # [lat, lon, escaped text, kind, min zoom, max zoom, priority, width in em, angle in degrees, anchor]
    return [
        round(float(lat), 5),
        round(float(lon), 5),
        escape_text(text),
        kind,
        float(min_zoom),
        float(max_zoom),
        int(priority),
        text_width_em(text),
        round(float(angle), 1),
        anchor,
    ]


def label_points(
    gdf: gpd.GeoDataFrame,
    text_field: str,
    *,
    kind: str,
    min_zoom: float = 0,
    max_zoom: float = 30,
    priority: int = 50,
) -> list[list]:
    """Permanent-label records at a point well inside each polygon (pole of inaccessibility, in metres).

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons (or points) in any CRS with a text column.
    text_field : str
        Column holding the label text (escaped here).
    kind : str
        Label class (``province``, ``prefecture``, ``county``, ``district``, ``subdistrict``,
        ``community``, ``street``, ``cluster``, ``seat``); selects the CSS style.
    min_zoom, max_zoom : float
        The label shows at ``min_zoom ≤ zoom < max_zoom``.
    priority : int
        Lower wins when two labels would overlap on screen.

    Returns
    -------
    list of list
        ``[lat, lon, text, kind, min_zoom, max_zoom, priority, width_em, angle_deg, anchor]`` per label
        with a non-empty text, ready for :class:`cartography.mapkit.MapLabels`.
    """
    if gdf.crs is None:
        raise ValueError("layer has no CRS; cannot place labels")
    if gdf.empty:
        return []
    metric = gdf.to_crs(ANALYSIS_CRS)
    points = []
    for geom in metric.geometry:
        if geom is None or geom.is_empty:
            points.append(None)
        elif geom.geom_type in ("Polygon", "MultiPolygon"):
            # the largest part, then the point farthest from its edges (a label that sits inside)
            part = max(shapely.get_parts(geom), key=lambda p: p.area)
            tol = max(math.sqrt(part.area) / 50.0, 1.0)
            points.append(shapely.ops.polylabel(part, tolerance=tol))
        else:
            points.append(geom.representative_point())
    valid = [i for i, p in enumerate(points) if p is not None]
    pts = gpd.GeoSeries([points[i] for i in valid], crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    texts = gdf[text_field].iloc[valid]
    return [
        _label_record(p.y, p.x, text, kind, min_zoom, max_zoom, priority)
        for p, text in zip(pts, texts)
        if escape_text(text).strip()
    ]


def _upright(angle: float) -> float:
    """Screen rotation (degrees, clockwise) of a line at ``angle`` (counter-clockwise from east), kept
    readable (never upside down)."""
    deg = -angle
    while deg > 90:
        deg -= 180
    while deg < -90:
        deg += 180
    return deg


def street_label_points(
    streets: gpd.GeoDataFrame,
    name_field: str = "name",
    *,
    spacing_m: float = 1000.0,
    min_length_m: float = 120.0,
    min_zoom: dict[str, float] | None = None,
    kind_field: str = "kind",
) -> list[list]:
    """Street-name label records along named streets: at most one label per name per ``spacing_m``.

    Segments sharing a name are merged, then labelled at points every ``spacing_m`` metres along each
    merged line (the middle of a line shorter than that), rotated along the street and kept upright.

    Parameters
    ----------
    streets : GeoDataFrame
        Lines in any CRS; rows with an empty name are skipped.
    name_field : str
        Column with the street name (escaped here). Missing column → no labels.
    spacing_m : float
        Distance between repeated labels of one street, metres.
    min_length_m : float
        Merged lines shorter than this get no label (too short to carry the text).
    min_zoom : dict of str to float, optional
        Minimum zoom per street kind (default: arterials 14, secondary 15, others 16).
    kind_field : str
        Column with the street class (``主干路`` …); optional.

    Returns
    -------
    list of list
        Label records as for :func:`label_points`, ``kind="street"``.
    """
    if name_field not in streets.columns or streets.empty:
        return []
    zooms = {"主干路": 14.0, "次干路": 15.0, "支路": 16.0, "步行道": 17.0}
    zooms.update(min_zoom or {})
    rank = {"主干路": 0, "次干路": 1, "支路": 2, "步行道": 3}
    metric = streets.to_crs(ANALYSIS_CRS)
    names = metric[name_field].astype("string").fillna("").str.replace("\x00", "", regex=False).str.strip()
    metric = metric.assign(_name=names)[names != ""]
    out: list[list] = []
    for name, group in metric.groupby("_name", sort=True):
        kinds = group[kind_field].astype(str) if kind_field in group.columns else None
        kind = min(kinds, key=lambda k: rank.get(k, 9)) if kinds is not None else ""
        merged = shapely.line_merge(shapely.union_all(group.geometry.values))
        for line in shapely.get_parts(merged):
            length = line.length
            if length < min_length_m:
                continue
            n = max(1, int(length // spacing_m))
            for i in range(n):
                d = length * (i + 0.5) / n
                p = line.interpolate(d)
                a = line.interpolate(max(d - 20.0, 0.0))
                b = line.interpolate(min(d + 20.0, length))
                angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
                out.append((p, name, kind, _upright(angle)))
    if not out:
        return []
    pts = gpd.GeoSeries([o[0] for o in out], crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    return [
        _label_record(
            p.y, p.x, name, "street", zooms.get(kind, 16.0), 30, 60 + rank.get(kind, 9), angle=angle
        )
        for p, (_, name, kind, angle) in zip(pts, out)
    ]


def _snake_order(parts: list, row_m: float = 300.0) -> list:
    """Lines ordered row by row (``row_m`` metres), alternately west→east and east→west, each drawn in the
    direction of its row: one line then starts close to where the one before ended (a compact encoding
    writes that step, not a position). The drawing is the same."""
    if len(parts) < 2:
        return parts
    keyed = []
    for p in parts:
        xy = shapely.get_coordinates(p)
        row = int(np.floor((xy[0, 1] + xy[-1, 1]) / 2.0 / row_m))
        east = row % 2 == 0
        if (xy[0, 0] > xy[-1, 0]) == east:
            p = shapely.reverse(p)
            xy = xy[::-1]
        keyed.append(((row, xy[0, 0] if east else -xy[0, 0]), p))
    keyed.sort(key=lambda kp: kp[0])
    return [p for _, p in keyed]


def street_lines(streets: gpd.GeoDataFrame, *, kind_field: str = "kind", simplify_m: float = 3.0) -> dict:
    """The street network as one compact GeoJSON MultiLineString per street class (display only).

    Segments of a class are merged where they meet end to end, simplified by ``simplify_m`` metres and
    rounded to 5 decimals (about 1 m): the demo's 20,000 segments draw from about 0.6 MB.

    Parameters
    ----------
    streets : GeoDataFrame
        Lines in any CRS; ``kind_field`` optional (all lines one class when absent).
    kind_field : str
        Column with the street class.
    simplify_m : float
        Douglas–Peucker tolerance in metres.

    Returns
    -------
    dict
        GeoJSON FeatureCollection with one feature per class, property ``kind`` (escaped).
    """
    if streets.crs is None:
        raise ValueError("layer has no CRS; cannot prepare it for display")
    metric = streets.to_crs(ANALYSIS_CRS)
    kinds = metric[kind_field].astype(str) if kind_field in metric.columns else None
    groups = metric.groupby(kinds, sort=True) if kinds is not None else [("", metric)]
    features = []
    for kind, group in groups:
        merged = shapely.line_merge(shapely.union_all(group.geometry.values))
        parts = [p for p in shapely.get_parts(merged) if not p.is_empty]
        if simplify_m > 0:
            parts = list(shapely.simplify(np.array(parts, dtype=object), simplify_m))
        parts = _snake_order(parts)
        display = gpd.GeoSeries(parts, crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
        coords = [np.round(shapely.get_coordinates(p), 5).tolist() for p in display if not p.is_empty]
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": escape_text(kind)},
                "geometry": {"type": "MultiLineString", "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": features}
