"""Folium layer builders shared by the city and province maps (boundaries, compounds, parcels, facilities).

Pure builders: they take GeoDataFrames in any CRS, simplify *for display only* in a metric CRS, and return
``folium.FeatureGroup`` objects. All text that reaches the map is HTML-escaped.
"""

from __future__ import annotations

import base64
import json

import folium
import geopandas as gpd
import numpy as np
from folium.plugins import FastMarkerCluster
from folium.template import Template

from cartography.colours import PARCEL_TYPE_COLOURS, STREET_STYLES, build_year_colour
from cartography.compact import (
    CompactGeoJson,
    budget_tolerance,
    grid_counts,
    prepare,
    raster_png,
    script_json,
)
from cartography.geojson import display_geojson, escape_text, street_lines, tooltip  # noqa: F401 - re-exported
from cartography.mapkit import MapLabels
from layers.crs import DISPLAY_CRS
from layers.memo import derived

#: coordinate budgets of the vector layers (the demo's layers fit them at the tolerance their maps ask for;
#: a larger city is generalised further, so what the browser receives does not grow with the city)
BOUNDARY_VERTICES = 30_000
AREA_VERTICES = 40_000
STREET_VERTICES = 40_000


def boundary_layer(
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    name_field: str,
    colour: str,
    weight: float,
    fill_opacity: float = 0.0,
    simplify_m: float = 200.0,
    dash: str | None = None,
    show: bool = True,
    tooltip_alias: str = "",
    interactive: bool = True,
    extra_fields: tuple[tuple[str, str], ...] = (),
    control: bool = True,
    max_vertices: int | None = BOUNDARY_VERTICES,
    reuse: bool = False,
) -> folium.FeatureGroup:
    """Outline (optionally lightly filled) polygons with a hover name.

    Parameters
    ----------
    gdf : GeoDataFrame
        Polygons in any CRS.
    name : str
        Layer name in the layer control.
    name_field : str
        Column shown first in the tooltip.
    colour, weight, fill_opacity, dash : style of the outline and fill.
    simplify_m : float
        Display simplification in metres.
    interactive : bool
        False: a pure outline that never takes the pointer, so hover reaches the layers under it
        (use it for context outlines such as the province).
    extra_fields : tuple of (column, alias)
        More tooltip rows after the name (escaped like the name).
    control : bool
        Listed in the layer control.
    max_vertices : int, optional
        Coordinate budget: a larger layer is generalised further (:func:`cartography.compact.budget_tolerance`).
    reuse : bool
        ``gdf`` is a loaded layer never changed in place: prepared once while it lives (see
        :class:`cartography.compact.CompactGeoJson`).
    """
    group = folium.FeatureGroup(name=name, show=show, control=control)
    columns = (name_field, *(f for f, _ in extra_fields)) if interactive else ()
    style = {"color": colour, "weight": weight, "fillColor": colour, "fillOpacity": fill_opacity}
    if dash:
        style["dashArray"] = dash
    if not interactive:
        style["fill"] = fill_opacity > 0
    CompactGeoJson(
        gdf,
        columns=columns,
        style=style,
        simplify_m=simplify_m,
        max_vertices=max_vertices,
        name=name,
        tooltip=tooltip(columns, (tooltip_alias, *(a for _, a in extra_fields))) if interactive else None,
        interactive=interactive,
        reuse=reuse,
    ).add_to(group)
    return group


def labels_layer(records: list[list], *, name: str, show: bool = True) -> folium.FeatureGroup:
    """Permanent labels (records from :func:`cartography.geojson.label_points` and friends) as one
    switchable layer; see :class:`cartography.mapkit.MapLabels` for zoom ranges and de-cluttering."""
    group = folium.FeatureGroup(name=name, show=show)
    MapLabels(records).add_to(group)
    return group


def streets_layer(
    streets: gpd.GeoDataFrame,
    *,
    name: str,
    show: bool = True,
    simplify_m: float = 3.0,
    max_vertices: int | None = STREET_VERTICES,
    reuse: bool = False,
) -> folium.FeatureGroup:
    """The street network as thin grey context lines, arterials thicker (``kind`` column, if any).

    Non-interactive: the pointer passes through to the thematic layers. Draw it before them. A network with
    more than ``max_vertices`` coordinates is generalised further than ``simplify_m`` metres. ``reuse``:
    ``streets`` is a loaded layer never changed in place, its lines are prepared once while it lives.
    """
    group = folium.FeatureGroup(name=name, show=show)
    if streets.empty:
        return group
    keys = sorted({k for style in STREET_STYLES.values() for k in style})

    def lines():
        data = street_lines(streets, simplify_m=budget_tolerance(streets, simplify_m, max_vertices))
        default = STREET_STYLES[""]
        for f in data["features"]:  # the class style travels with its one feature per class
            style = STREET_STYLES.get(f["properties"]["kind"], default)
            f["properties"] = {**f["properties"], **{k: style.get(k) for k in keys}}
        return prepare(data)

    # the same streets give the same lines: prepared once per loaded street layer (it never changes in place)
    CompactGeoJson(
        derived(streets, ("streets", simplify_m, max_vertices), lines) if reuse else lines(),
        style={"fill": False},
        style_props={k: k for k in keys},
        interactive=False,
        smooth_factor=1.5,
    ).add_to(group)
    return group


#: compound polygons sent one by one up to this many; a larger city's compounds are drawn as an image at
#: city scale with hover statistics per grid cell (:func:`compounds_layer`)
MAX_COMPOUNDS = 12_000
#: pixels along the longer side of that image
COMPOUND_IMAGE_PX = 3072
#: at most this many hover cells over that image (1 km, larger when needed)
MAX_COMPOUND_CELLS = 3_000


def compounds_layer(
    compounds: gpd.GeoDataFrame,
    *,
    name: str,
    aliases: tuple[str, str, str],
    show: bool = True,
    max_features: int = MAX_COMPOUNDS,
    cell_aliases: tuple[str, str] | None = None,
    class_labels: tuple[str, str, str] = ("< 2000", "2000–2009", "≥ 2010"),
    reuse: bool = False,
) -> folium.FeatureGroup:
    """Compound polygons coloured by build-year class; tooltip name / build year / population.

    ``reuse``: ``compounds`` is a loaded layer never changed in place, its polygons are prepared once while
    it lives (the image of a dense layer is drawn each time).

    Up to ``max_features`` compounds each polygon is sent with its tooltip. A denser layer (a large city) is
    drawn as one transparent PNG (:func:`cartography.compact.raster_png`, same colours, its size fixed by
    :data:`COMPOUND_IMAGE_PX`) under a grid of 1 km cells (larger when needed) whose tooltip gives the
    compounds in the cell, their population and the count per build-year class (``cell_aliases``: the
    labels of the first two rows, default the name and population aliases; ``class_labels``: the three
    classes of the legend, one row each).
    """

    def coloured():
        return compounds.assign(colour=[build_year_colour(int(y)) for y in compounds["build_year"]])

    group = folium.FeatureGroup(name=name, show=show)
    if len(compounds) > max_features:
        cell_aliases = cell_aliases or (aliases[0], aliases[2])
        return _compound_image(coloured(), group, cell_aliases, class_labels)
    columns = ("name", "build_year", "population", "colour")

    def polygons():
        return prepare(coloured(), columns, 5.0, AREA_VERTICES)

    CompactGeoJson(
        derived(compounds, ("compounds", columns), polygons) if reuse else polygons(),
        columns=columns,
        style={"weight": 0.6, "fillOpacity": 0.55},
        style_props={"color": "colour", "fillColor": "colour"},
        simplify_m=5.0,
        max_vertices=AREA_VERTICES,
        tooltip=tooltip(("name", "build_year", "population"), aliases),
    ).add_to(group)
    return group


def _compound_image(gdf, group, cell_aliases, class_labels) -> folium.FeatureGroup:
    png, bounds = raster_png(gdf, "colour", max_px=COMPOUND_IMAGE_PX, outline=True)
    folium.raster_layers.ImageOverlay(
        "data:image/png;base64," + base64.b64encode(png).decode(),
        bounds=bounds,
        opacity=0.7,
        interactive=False,
    ).add_to(group)
    years = gdf["build_year"].astype(int).to_numpy()
    cls = np.where(years < 2000, 0, np.where(years < 2010, 1, 2))
    cell = 1000.0
    cells = grid_counts(gdf.assign(_cls=cls), cell, by="_cls", sums=("population",), squares=True)
    while len(cells) > MAX_COMPOUND_CELLS:
        cell *= 2
        cells = grid_counts(gdf.assign(_cls=cls), cell, by="_cls", sums=("population",), squares=True)
    per_class = [f"n_{k}" for k in range(3)]
    for col in per_class:  # a class no compound falls in still has its row (0)
        if col not in cells.columns:
            cells[col] = 0
    cells = cells.assign(population=cells["population"].round(0).astype(int))
    # the per-class counts as numbers (one tooltip row each): they sum to the cell's count
    CompactGeoJson(
        cells[["count", "population", *per_class, "geometry"]],
        columns=("count", "population", *per_class),
        style={"stroke": False, "fillOpacity": 0.0, "fillColor": "#000000"},
        tooltip=tooltip(
            ("count", "population", *per_class), (cell_aliases[0], cell_aliases[1], *class_labels)
        ),
    ).add_to(group)
    return group


def parcels_layer(
    parcels: gpd.GeoDataFrame,
    *,
    name: str,
    aliases: tuple[str, str, str],
    type_labels: dict[str, str] | None = None,
    show: bool = True,
    status_labels: dict[str, str] | None = None,
) -> folium.FeatureGroup:
    """Renewal parcels coloured by parcel type; tooltip name / type / status (translated by the labels)."""
    type_labels = type_labels or {}
    status_labels = status_labels or {}
    gdf = parcels.assign(
        colour=parcels["parcel_type"].map(PARCEL_TYPE_COLOURS).fillna("#666666"),
        type_label=parcels["parcel_type"].map(lambda v: type_labels.get(v, v)),
        status_label=parcels["status"].map(lambda v: status_labels.get(v, v)),
    )
    group = folium.FeatureGroup(name=name, show=show)
    CompactGeoJson(
        gdf,
        columns=("name", "type_label", "status_label", "colour"),
        style={"weight": 1.5, "fillOpacity": 0.35},
        style_props={"color": "colour", "fillColor": "colour"},
        simplify_m=5.0,
        max_vertices=AREA_VERTICES,
        tooltip=tooltip(("name", "type_label", "status_label"), aliases),
    ).add_to(group)
    return group


def _facility_callback(labels: list[str], colours: list[str]) -> str:
    # rows are [lat·1e5, lon·1e5, escaped name, type index]; type label and colour are looked up once per type
    return (
        "function (row) {\n"
        f"    var T = {json.dumps(labels, ensure_ascii=False)}, C = {json.dumps(colours)};\n"
        "    var m = L.circleMarker(new L.LatLng(row[0] / 1e5, row[1] / 1e5),\n"
        "        {radius: 5, color: '#ffffff', weight: 1, fillColor: C[row[3]], fillOpacity: 0.9});\n"
        "    m.bindTooltip(T[row[3]] + ' · ' + row[2]);\n"
        "    return m;\n"
        "};\n"
    ).replace("</", "<\\/")


class _CompactMarkerCluster(FastMarkerCluster):
    """folium's FastMarkerCluster with its rows written as compact JSON (no spaces, CJK text as is), whose
    markers are made when the layer is first shown (a layer hidden by default costs the page nothing until
    the planner switches it on) and added to the cluster in one call."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function(){
                {{ this.callback }}
                var data = {{ this.data_json }};
                var cluster = L.markerClusterGroup({{ this.options|tojavascript }});
                var made = false;
                cluster.on("add", function () {
                    if (made) { return; }
                    made = true;
                    var markers = new Array(data.length);
                    for (var i = 0; i < data.length; i++) { markers[i] = callback(data[i]); }
                    cluster.addLayers(markers);
                });
                cluster.addTo({{ this._parent.get_name() }});
                return cluster;
            })();
        {% endmacro %}"""
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.data_json = script_json(data)


#: facility points sent one by one up to this many; a denser layer is drawn as counts per grid cell
MAX_FACILITY_POINTS = 12_000
#: at most this many grid cells in an aggregated facility layer (the cell grows until they fit)
MAX_FACILITY_CELLS = 1_000


def facility_cell_size(facilities: gpd.GeoDataFrame, max_cells: int = MAX_FACILITY_CELLS) -> float:
    """Grid cell side (metres: 250, 500, 1000 …) at which the facilities fall into at most ``max_cells`` cells."""
    cell = 250.0
    while len(grid_counts(facilities, cell)) > max_cells and cell < 64_000:
        cell *= 2
    return cell


def facilities_layer(
    facilities: gpd.GeoDataFrame,
    *,
    name: str,
    type_names: dict[str, str],
    type_colours: dict[str, str] | None = None,
    show: bool = True,
    max_points: int | None = None,
) -> folium.FeatureGroup:
    """Facility points as one fast marker cluster; tooltip "type · name" (escaped).

    Up to ``max_points`` (default :data:`MAX_FACILITY_POINTS`) facilities every point is sent (clustered at small scales, one marker each from zoom
    16). A denser layer (a large city) is drawn as counts per grid cell (see :func:`facility_cell_size`): a
    circle per cell sized by its count, the tooltip giving the count of each facility type, which sum to the
    cell's count; the page's payload then stays the same whatever the number of facilities.
    """
    type_colours = type_colours or {}
    group = folium.FeatureGroup(name=name, show=show)
    max_points = MAX_FACILITY_POINTS if max_points is None else max_points
    if len(facilities) > max_points:
        return _facility_cells(facilities, group, name, type_names, type_colours)
    pts = facilities.to_crs(DISPLAY_CRS)
    lat = np.round(pts.geometry.y.to_numpy() * 1e5).astype(np.int64)
    lon = np.round(pts.geometry.x.to_numpy() * 1e5).astype(np.int64)
    types = list(dict.fromkeys(str(v) for v in pts["type"]))
    index = {k: i for i, k in enumerate(types)}
    labels = [escape_text(type_names.get(k, k)) for k in types]
    colours = [type_colours.get(k, "#2b8cbe") for k in types]
    data = [
        [int(a), int(b), escape_text(n), index[str(k)]]
        for a, b, n, k in zip(lat, lon, pts["name"], pts["type"])
    ]
    _CompactMarkerCluster(
        data,
        callback=_facility_callback(labels, colours),
        options={"disableClusteringAtZoom": 16, "chunkedLoading": True},
    ).add_to(group)
    return group


def _facility_cells(facilities, group, name, type_names, type_colours) -> folium.FeatureGroup:
    cell = facility_cell_size(facilities)
    cells = grid_counts(facilities, cell, by="type")
    per_type = [c for c in cells.columns if c.startswith("n_")]
    summary = []
    for _, row in cells.iterrows():
        parts = [(type_names.get(c[2:], c[2:]), int(row[c])) for c in per_type if row[c] > 0]
        parts.sort(key=lambda p: -p[1])
        summary.append(" · ".join(f"{escape_text(n)} {k}" for n, k in parts))
    only = [type_colours[k] for k in type_colours]
    colour = only[0] if len(only) == 1 else "#2b8cbe"
    gdf = cells.assign(
        summary=summary,
        radius=np.clip(3.0 + 1.6 * np.sqrt(cells["count"].to_numpy()), 4.0, 16.0).round(1),
    )
    CompactGeoJson(
        gdf[["count", "summary", "radius", "geometry"]],
        columns=("count", "summary", "radius"),
        style={"color": "#ffffff", "weight": 1, "fillColor": colour, "fillOpacity": 0.85},
        style_props={"radius": "radius"},
        points=True,
        tooltip=tooltip(("count", "summary"), (f"{name} ({cell:g} m × {cell:g} m)", "")),
    ).add_to(group)
    return group
