"""The compact map payload: coordinates kept to ~1 m, only the properties a tooltip or style uses, user text still
escaped, aggregated counts summing to the total, and the demo's maps showing the same figures."""

import json
import re

import folium
import geopandas as gpd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box

from cartography.builders import compounds_layer, facilities_layer
from cartography.compact import (
    CompactGeoJson,
    budget_tolerance,
    decode,
    encode,
    encode_geometry,
    grid_counts,
    vertex_count,
)
from cartography.geojson import display_geojson

HOSTILE = "<img src=x onerror=window.__xss=1>${x}`"


def _page(*layers) -> str:
    m = folium.Map(tiles=None)
    for layer in layers:
        layer.add_to(m)
    return m.get_root().render()


def _payloads(page: str) -> list[dict]:
    return [json.loads(p) for p in re.findall(r"window\.raDecode\((.*?)\)\);\n", page, flags=re.S)]


def test_encoding_round_trip_keeps_coordinates_to_the_precision():
    # a polygon with a hole and a two-part multipolygon, coordinates with 7 decimals
    outer = [
        (115.1234567, 28.1234567),
        (115.1334567, 28.1234567),
        (115.1334567, 28.1334567),
        (115.1234567, 28.1234567),
    ]
    hole = [(115.125, 28.125), (115.126, 28.125), (115.126, 28.126), (115.125, 28.125)]
    poly = Polygon(outer, [hole])
    multi = MultiPolygon([poly, box(115.2, 28.2, 115.21, 28.21)])
    for geom in (poly, multi, Point(115.1234567, 28.7654321)):
        back = decode({"q": 10**5, "g": [encode_geometry(geom, 5)], "p": {}})["features"][0]["geometry"]
        got = shapely.geometry.shape(back)
        assert got.geom_type == geom.geom_type
        a, b = shapely.get_coordinates(geom), shapely.get_coordinates(got)
        assert a.shape == b.shape
        assert abs(a - b).max() <= 0.5e-5 + 1e-12  # rounded to 5 decimals (about 1 m), never more
    # the first coordinate is absolute, the next ones are differences (small integers)
    assert encode_geometry(poly, 5)[1][0][:4] == [11512346, 2812346, 1000, 0]


def test_six_decimals_when_asked():
    g = encode_geometry(Point(115.1234567, 28.7654321), 6)
    assert g == [0, [115123457, 28765432]]


def test_only_the_columns_asked_for_are_sent_and_repeated_text_is_a_dictionary():
    gdf = gpd.GeoDataFrame(
        {
            "name": [f"小区{i}" for i in range(10)],
            "colour": ["#d7301f"] * 9 + ["#91bfdb"],
            "secret": ["内部备注"] * 10,
        },
        geometry=[box(115.9 + i * 0.01, 28.6, 115.905 + i * 0.01, 28.605) for i in range(10)],
        crs="EPSG:4326",
    )
    layer = CompactGeoJson(gdf, columns=("name", "colour"), style_props={"fillColor": "colour"})
    (payload,) = _payloads(_page(layer))
    assert set(payload["p"]) == {"name", "colour"}
    assert "内部备注" not in json.dumps(payload, ensure_ascii=False)
    assert payload["p"]["colour"] == {"d": ["#d7301f", "#91bfdb"], "i": [0] * 9 + [1]}
    fc = decode(payload)
    assert [f["properties"]["name"] for f in fc["features"]] == list(gdf["name"])
    assert len(fc["features"]) == 10


def test_user_text_is_still_escaped():
    gdf = gpd.GeoDataFrame(
        {"name": [HOSTILE], "build_year": [1985], "population": [1200]},
        geometry=[box(115.9, 28.6, 115.905, 28.605)],
        crs="EPSG:4326",
    )
    page = _page(compounds_layer(gdf, name="小区", aliases=("名称", "年份", "人口")))
    assert "<img" not in page and "${x}" not in page
    (payload,) = _payloads(page)
    name = decode(payload)["features"][0]["properties"]["name"]
    assert name.startswith("&lt;img src=x onerror=window.__xss=1&gt;&#36;&#123;x&#125;&#96;")


def test_script_cannot_be_closed_by_the_payload():
    gdf = gpd.GeoDataFrame(
        {"name": ["</script><script>alert(1)"]}, geometry=[Point(115.9, 28.6)], crs="EPSG:4326"
    )
    page = _page(CompactGeoJson(gdf, columns=("name",), points=True))
    assert "</script><script>alert(1)" not in page


def test_grid_counts_sum_to_the_total_by_hand():
    # three points in the cell [0, 500) × [0, 500) m, one in the next cell east; classes a/b
    from layers.crs import ANALYSIS_CRS

    pts = gpd.GeoDataFrame(
        {"type": ["a", "a", "b", "b"]},
        geometry=[
            Point(500_010, 3_100_010),
            Point(500_100, 3_100_400),
            Point(500_490, 3_100_200),
            Point(500_600, 3_100_100),
        ],
        crs=ANALYSIS_CRS,
    )
    cells = grid_counts(pts, 500, by="type").sort_values("count", ascending=False)
    assert cells["count"].tolist() == [3, 1]
    assert cells["n_a"].tolist() == [2, 0] and cells["n_b"].tolist() == [1, 1]
    assert int(cells["count"].sum()) == len(pts)
    with pytest.raises(ValueError, match="metres"):
        grid_counts(pts, 0)


def test_dense_facility_layer_is_aggregated_and_keeps_every_count():
    n = 60
    fac = gpd.GeoDataFrame(
        {"type": ["kindergarten", "park", "clinic"] * (n // 3), "name": [f"设施{i}" for i in range(n)]},
        geometry=[Point(115.85 + (i % 10) * 0.004, 28.6 + (i // 10) * 0.004) for i in range(n)],
        crs="EPSG:4326",
    )
    names = {"kindergarten": "幼儿园", "park": "公园", "clinic": "卫生站"}
    few = _page(facilities_layer(fac, name="设施", type_names=names))
    assert "L.markerClusterGroup" in few and "设施7" in few  # under the budget: every point, its name
    many = _page(facilities_layer(fac, name="设施", type_names=names, max_points=20))
    assert "L.markerClusterGroup" not in many and "设施7" not in many
    (payload,) = _payloads(many)
    props = [f["properties"] for f in decode(payload)["features"]]
    assert sum(p["count"] for p in props) == n
    for p in props:  # the per-type counts in each tooltip add up to the cell's count
        assert sum(int(part.rsplit(" ", 1)[1]) for part in p["summary"].split(" · ")) == p["count"]
    total_kg = sum(
        int(part.rsplit(" ", 1)[1])
        for p in props
        for part in p["summary"].split(" · ")
        if part.startswith("幼儿园")
    )
    assert total_kg == n // 3


def test_budget_generalises_only_a_layer_over_budget():
    # a 2 km circle with 1,000 vertices in a metric CRS
    from layers.crs import ANALYSIS_CRS

    ring = Point(500_000, 3_100_000).buffer(2000, quad_segs=250)
    gdf = gpd.GeoDataFrame(geometry=[ring], crs=ANALYSIS_CRS)
    assert budget_tolerance(gdf, 1.0, None) == 1.0
    assert budget_tolerance(gdf, 1.0, 10_000) == 1.0  # under budget: the map's own tolerance
    tol = budget_tolerance(gdf, 1.0, 100)
    assert tol > 1.0
    simplified = gdf.assign(geometry=gdf.simplify(tol, preserve_topology=True))
    assert vertex_count(simplified) <= 100 < vertex_count(gdf)
    # the area a planner sees changes by well under 1 %
    assert abs(simplified.area.iloc[0] - gdf.area.iloc[0]) / gdf.area.iloc[0] < 0.01


def test_demo_maps_show_the_same_figures(demo_ws):
    """On the demo every layer fits its budget: same tolerance as before, same features, same figures."""
    from cartography.builders import AREA_VERTICES, BOUNDARY_VERTICES
    from cartography.maps import coverage_map, grade_map
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from layers.coverage import share_by
    from layers.healthcheck import evaluate
    from layers.pipelines import coverage_model

    for name, tol, budget in (
        ("compounds", 5.0, AREA_VERTICES),
        ("parcels", 5.0, AREA_VERTICES),
        ("communities", 10.0, AREA_VERTICES),
        ("districts", 50.0, BOUNDARY_VERTICES),
    ):
        assert budget_tolerance(demo_ws[name], tol, budget) == tol, name

    cat = load_catalogue()
    model = coverage_model(demo_ws, cat, mode="euclidean")
    share = share_by(model, "kindergarten", by="community_id")
    page = coverage_map(demo_ws, model, "kindergarten", lang="zh", community_share=share).get_root().render()
    comms = [
        p
        for p in map(decode, _payloads(page))
        if p["features"] and "share_pct" in p["features"][0]["properties"]
    ]
    (fc,) = comms
    assert len(fc["features"]) == len(demo_ws["communities"])
    expected = (
        demo_ws["communities"]["community_id"]
        .map(share["served_share"])
        .fillna(0.0)
        .mul(100)
        .round(1)
        .tolist()
    )
    assert [f["properties"]["share_pct"] for f in fc["features"]] == expected
    old = display_geojson(demo_ws["communities"], simplify_m=10, columns=("name",))
    assert [f["properties"]["name"] for f in fc["features"]] == [
        f["properties"]["name"] for f in old["features"]
    ]
    # the geometry is the one the map drew before (same simplification, 5 decimals)
    a = shapely.get_coordinates(shapely.geometry.shape(old["features"][0]["geometry"]))
    b = shapely.get_coordinates(shapely.geometry.shape(fc["features"][0]["geometry"]))
    assert abs(a - b).max() < 1e-9 or len(a) >= len(b)  # identical, or only rounding repeats dropped

    ind = load_indicators(catalogue=cat)
    ev = evaluate(demo_ws.layers, cat, ind, year=2026, level="community")
    key = ind[0]["key"]
    page = grade_map(demo_ws, ev, "community", key, "zh").get_root().render()
    graded = [
        p for p in map(decode, _payloads(page)) if p["features"] and "label" in p["features"][0]["properties"]
    ]
    (fc,) = graded
    rows = ev[ev["indicator"] == key]
    from i18n import t

    counts = {}
    for f in fc["features"]:
        counts[f["properties"]["label"]] = counts.get(f["properties"]["label"], 0) + 1
    expected_counts = {}
    for g in demo_ws["communities"]["community_id"].map(rows.set_index("unit")["grade"]).fillna("none"):
        label = t(f"hc.grade.{g}", "zh")
        expected_counts[label] = expected_counts.get(label, 0) + 1
    assert counts == expected_counts


def test_compact_payload_is_smaller_than_folium_geojson(demo_ws):
    comps = demo_ws["compounds"].head(500)
    old = _page(
        folium.GeoJson(display_geojson(comps, simplify_m=5, columns=("name", "build_year", "population")))
    )
    new = _page(compounds_layer(comps, name="小区", aliases=("名称", "年份", "人口")))
    assert len(new.encode()) < 0.5 * len(old.encode())
    assert encode(display_geojson(comps.head(0), columns=("name",))) == {"q": 100000, "g": [], "p": {}}


def test_label_records_pack_and_unpack():
    from cartography.mapkit import pack_labels, unpack_labels

    recs = [
        [28.68123, 115.89001, "东湖区", "district", 10.0, 30.0, 10, 3.0, 0.0, "c"],
        [28.6271, 115.84487, "丁公路", "street", 15.0, 30.0, 61, 3.0, 86.8, "c"],
        [28.6366, 115.8443, "丁公路", "street", 15.0, 30.0, 61, 3.0, -84.7, "c"],
    ]
    packed = pack_labels(recs)
    assert packed["s"] == [["东湖区", 3], ["丁公路", 3]]  # each text once
    assert packed["g"] == [["district", 10, 30, 10, "c"], ["street", 15, 30, 61, "c"]]
    assert packed["r"][0] == [2868123, 11589001, 0, 0] and packed["r"][2] == [950, -57, 1, 1, -84.7]
    back = unpack_labels(packed)
    assert [r[2:] for r in back] == [r[2:] for r in recs]
    assert all(abs(a[0] - b[0]) < 1e-9 and abs(a[1] - b[1]) < 1e-9 for a, b in zip(back, recs))


def test_a_layer_of_many_features_round_trips_with_the_running_cursor():
    polys = [
        box(115.8 + 0.01 * i, 28.6 + 0.003 * (i % 3), 115.805 + 0.01 * i, 28.604 + 0.003 * (i % 3))
        for i in range(20)
    ]
    gdf = gpd.GeoDataFrame({"n": range(20)}, geometry=polys, crs="EPSG:4326")
    fc = display_geojson(gdf, columns=("n",))
    payload = encode(fc)
    # after the first feature no ring starts with an absolute (8-digit) coordinate
    assert all(abs(v) < 10_000 for g in payload["g"][1:] for ring in g[1] for v in ring)
    back = decode(payload)
    for a, b in zip(fc["features"], back["features"]):
        assert a["properties"] == b["properties"]
        pa = shapely.get_coordinates(shapely.geometry.shape(a["geometry"]))
        pb = shapely.get_coordinates(shapely.geometry.shape(b["geometry"]))
        assert abs(pa - pb).max() < 1e-9


def test_raster_png_paints_each_polygon_in_its_colour():
    from io import BytesIO

    from PIL import Image

    from cartography.compact import raster_png

    gdf = gpd.GeoDataFrame(
        {"colour": ["#ff0000", "#0000ff"]},
        geometry=[box(115.80, 28.60, 115.81, 28.61), box(115.83, 28.60, 115.84, 28.61)],
        crs="EPSG:4326",
    )
    png, bounds = raster_png(gdf, "colour", max_px=400)
    img = Image.open(BytesIO(png)).convert("RGBA")
    assert max(img.size) == 400
    (s, w), (n, e) = bounds
    assert (
        abs(s - 28.60) < 1e-6 and abs(w - 115.80) < 1e-6 and abs(n - 28.61) < 1e-6 and abs(e - 115.84) < 1e-6
    )
    width, height = img.size
    assert img.getpixel((int(width * 0.125), height // 2)) == (255, 0, 0, 255)  # middle of the red square
    assert img.getpixel((int(width * 0.875), height // 2)) == (0, 0, 255, 255)
    assert img.getpixel((width // 2, height // 2))[3] == 0  # between them: transparent


def test_many_compounds_become_an_image_with_cell_counts():
    years = [1985, 1995, 2005, 2015, 1990, 2012]
    gdf = gpd.GeoDataFrame(
        {
            "name": [f"小区{i}" for i in range(6)],
            "build_year": years,
            "population": [100, 200, 300, 400, 500, 600],
        },
        geometry=[box(115.85 + 0.002 * i, 28.60, 115.8515 + 0.002 * i, 28.6015) for i in range(6)],
        crs="EPSG:4326",
    )
    page = _page(compounds_layer(gdf, name="小区", aliases=("名称", "年份", "人口"), max_features=5))
    assert "L.imageOverlay" in page and "data:image/png;base64," in page
    assert "小区3" not in page  # no per-compound vectors above the budget
    (payload,) = _payloads(page)
    props = [f["properties"] for f in decode(payload)["features"]]
    assert sum(p["count"] for p in props) == 6
    assert sum(p["population"] for p in props) == 2100
    assert (
        sum(p["n_0"] for p in props) == 3
        and sum(p["n_1"] for p in props) == 1
        and sum(p["n_2"] for p in props) == 2
    )
    for p in props:
        assert p["n_0"] + p["n_1"] + p["n_2"] == p["count"]
    below = _page(compounds_layer(gdf, name="小区", aliases=("名称", "年份", "人口")))
    assert "L.imageOverlay" not in below and "小区3" in below


def test_overview_legend_names_the_facility_cells_of_a_dense_city(demo_ws, monkeypatch):
    from cartography import maps
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from i18n import t

    bnd, cat = load_boundaries(), load_catalogue()
    page = maps.overview_map(bnd, demo_ws, cat, lang="en", extent="city", basemap="none").get_root().render()
    assert t("legend.facility", "en") in page and t("payload.legend.facility_cells", "en") not in page
    monkeypatch.setattr(maps, "MAX_FACILITY_POINTS", 100)
    import cartography.builders as builders

    monkeypatch.setattr(builders, "MAX_FACILITY_POINTS", 100)
    page = maps.overview_map(bnd, demo_ws, cat, lang="en", extent="city", basemap="none").get_root().render()
    assert t("payload.legend.facility_cells", "en") in page and "L.markerClusterGroup" not in page


def test_encode_geometries_is_encode_geometry_one_after_another(demo_ws):
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon

    from cartography.compact import encode_geometries

    hole = [(115.1, 28.1), (115.2, 28.1), (115.2, 28.2)]
    mixed = [
        None,
        Point(115.1234567, 28.1),
        Polygon(),
        # the second point rounds onto the first and is dropped; the last repeats it across rings: kept
        LineString([(115.0, 28.0), (115.000001, 28.0), (115.1, 28.1)]),
        MultiPolygon(
            [Polygon([(115, 28), (116, 28), (116, 29)], [hole]), Polygon([(117, 28), (118, 28), (118, 29)])]
        ),
        MultiLineString([[(115.1, 28.1), (115.0, 28.0)], [(115.2, 28.2), (115.3, 28.3)]]),
        Polygon([(115.3, 28.3), (116, 28.5), (116, 29)]),
    ]
    layers = [
        mixed,
        demo_ws["compounds"].to_crs(4326).geometry.to_numpy(),
        demo_ws["streets"].to_crs(4326).geometry.to_numpy(),
    ]
    for geoms in layers:
        cursor = [0, 0]
        assert encode_geometries(geoms, 5) == [encode_geometry(g, 5, cursor) for g in geoms]
    with pytest.raises(ValueError, match="GeometryCollection"):
        encode_geometries([shapely.GeometryCollection([Point(0, 0)])])
