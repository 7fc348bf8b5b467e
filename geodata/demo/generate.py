"""Seeded generator of the SYNTHETIC demo city: central Nanchang (东湖、西湖、青云谱、青山湖、新建、红谷滩).

Real: the six district polygons (geodata/boundaries). Synthetic (plausible magnitudes, not statistics):
sub-districts, communities, residential compounds, 100 m population cells, facilities of every catalogue
type, a walkable street network and renewal parcels. Same seed → identical file.

    python -m geodata.demo.generate [--out PATH] [--seed 20261123]

Magnitudes: ≈2.6 million residents in the six districts (order of magnitude of the real central city);
metro ≈ 128.6 km of line (seed 003, DOMAIN.md §5) → ~80 stations at ~1.2 km; facility counts scaled from the seed
figures where they exist (e.g. Nanchang's 445 urban home-care centres, seed 003 → 430 daycare points here).
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.strtree import STRtree

from geodata.atomic import atomic_path
from geodata.crs import ANALYSIS_CRS, DISPLAY_CRS
from geodata.paths import BOUNDARIES_DIR, DEMO_GPKG

DEFAULT_SEED = 20261123
DISTRICTS = {
    360102: "东湖区",
    360103: "西湖区",
    360104: "青云谱区",
    360111: "青山湖区",
    360112: "新建区",
    360113: "红谷滩区",
}
#: urban centres (lon, lat, scale_km, weight): old core, Honggutan west bank, Xinjian seat, Yaohu east
CENTRES = [
    (115.895, 28.680, 5.5, 1.0),
    (115.850, 28.695, 4.0, 0.8),
    (115.800, 28.690, 3.0, 0.5),
    (115.960, 28.690, 3.5, 0.4),
]
URBAN_THRESHOLD = 0.24
#: target residents in compounds and in scattered villages
COMPOUND_POPULATION = 2_200_000
#: residents of low-rise / self-built housing scattered between compounds in the urban extent
URBAN_BACKGROUND_POPULATION = 300_000
VILLAGE_POPULATION = 180_000
N_COMPOUNDS = 2000
#: clip range of a compound's share of residents aged 60+ (older compounds have older residents)
ELDERLY_SHARE_RANGE = (0.08, 0.35)
CELL_M = 100.0
#: facility counts by catalogue type key (DOMAIN.md §2)
FACILITY_COUNTS = {
    "middle_school": 90,
    "primary_school": 190,
    "kindergarten": 600,
    "nursery": 260,
    "health_center": 45,
    "health_station": 420,
    "elderly_home": 50,
    "elderly_daycare": 430,
    "culture_center": 40,
    "sports_field": 35,
    "pocket_park": 520,
    "park": 80,
    "market": 260,
    "convenience": 1400,
    "community_service": 0,  # one per community, placed separately
    "bus_stop": 1800,
    "metro_station": 0,  # along lines, placed separately
    "parking": 160,
    "ev_charging": 220,
}
FACILITY_NAMES = {
    "middle_school": "中学",
    "primary_school": "小学",
    "kindergarten": "幼儿园",
    "nursery": "托育中心",
    "health_center": "社区卫生服务中心",
    "health_station": "社区卫生服务站",
    "elderly_home": "养老院",
    "elderly_daycare": "老年人日间照料中心",
    "culture_center": "文化活动中心",
    "sports_field": "全民健身中心",
    "pocket_park": "口袋公园",
    "park": "公园",
    "market": "菜市场",
    "convenience": "便利店",
    "community_service": "社区服务站",
    "bus_stop": "公交站",
    "metro_station": "地铁站",
    "parking": "公共停车场",
    "ev_charging": "充电站",
}
CAPACITY = {  # (low, high) places / beds / spaces; 0 when not meaningful
    "kindergarten": (180, 450),
    "nursery": (40, 120),
    "primary_school": (900, 2400),
    "middle_school": (1200, 3000),
    "elderly_home": (80, 400),
    "elderly_daycare": (20, 60),
    "parking": (60, 400),
    "ev_charging": (6, 40),
}
#: metro lines as (lon, lat) waypoints — synthetic lines through the real city's main axes
METRO_LINES = [
    [(115.77, 28.70), (115.83, 28.70), (115.87, 28.685), (115.91, 28.68), (115.96, 28.675), (116.00, 28.67)],
    [(115.82, 28.61), (115.86, 28.64), (115.88, 28.67), (115.90, 28.71), (115.93, 28.75)],
    [(115.89, 28.59), (115.895, 28.64), (115.90, 28.68), (115.915, 28.72), (115.93, 28.78)],
    [(115.83, 28.66), (115.86, 28.665), (115.92, 28.655), (115.96, 28.64), (115.99, 28.63)],
    [(115.80, 28.73), (115.84, 28.72), (115.88, 28.715), (115.93, 28.70), (115.97, 28.72)],
]
#: ~1.2 km between stations (central-city practice) → ~80 stations on the five synthetic lines
STATION_SPACING_M = 1200.0
SYLLABLES = list("桂兰梅竹松柏荷菊枫桃杏柳榕樟湖江滨洪昌豫章青云象山滕阁绳金塔八一胜利解放阳明孺子丁公井冈")
SUFFIXES = ["苑", "园", "里", "小区", "新村", "花园", "家园", "公寓"]


def _metric(lonlat: list[tuple[float, float]]) -> np.ndarray:
    """(lon, lat) pairs in degrees → (n, 2) array of x, y in metres (``ANALYSIS_CRS``)."""
    pts = gpd.GeoSeries([Point(x, y) for x, y in lonlat], crs=DISPLAY_CRS).to_crs(ANALYSIS_CRS)
    return np.column_stack([pts.x, pts.y])


class _Ctx:
    """Shared state of one generation run."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(np.random.PCG64(seed))
        self.seed = seed
        counties = gpd.read_file(BOUNDARIES_DIR / "jiangxi_counties.geojson")
        d = counties[counties["adcode"].isin(list(DISTRICTS))][["adcode", "name_zh", "name_en", "geometry"]]
        d = d.astype({"adcode": "int64"})  # the schema's int kind is stored as 64-bit everywhere
        self.districts = d.sort_values("adcode").reset_index(drop=True).to_crs(ANALYSIS_CRS)
        self.centres = _metric([(c[0], c[1]) for c in CENTRES])
        self.names_used: set[str] = set()

    def density(self, xy: np.ndarray) -> np.ndarray:
        """Relative urban density 0…1 at metric points (sum of exponential decays from the centres)."""
        total = np.zeros(len(xy))
        for (cx, cy), (_, _, scale_km, w) in zip(self.centres, CENTRES):
            r = np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) / 1000.0
            total = np.maximum(total, w * np.exp(-r / scale_km))
        return total

    def name(self, suffix: str) -> str:
        for _ in range(50):
            a, b = self.rng.choice(SYLLABLES, 2, replace=False)
            n = f"{a}{b}{suffix}（示例）"
            if n not in self.names_used:
                self.names_used.add(n)
                return n
        n = f"{suffix}{len(self.names_used)}（示例）"
        self.names_used.add(n)
        return n


def urban_extent(ctx: _Ctx) -> gpd.GeoDataFrame:
    """Per district, the part of its polygon whose density exceeds the urban threshold (metric CRS)."""
    minx, miny, maxx, maxy = ctx.districts.total_bounds
    xs = np.arange(minx, maxx, 250.0)
    ys = np.arange(miny, maxy, 250.0)
    gx, gy = np.meshgrid(xs, ys)
    xy = np.column_stack([gx.ravel(), gy.ravel()])
    keep = ctx.density(xy) > URBAN_THRESHOLD
    squares = shapely.box(xy[keep, 0] - 125, xy[keep, 1] - 125, xy[keep, 0] + 125, xy[keep, 1] + 125)
    blob = shapely.union_all(squares).buffer(300).buffer(-300)
    parts = []
    for _, row in ctx.districts.iterrows():
        part = row.geometry.intersection(blob)
        if not part.is_empty:
            parts.append({"adcode": row["adcode"], "geometry": part})
    return gpd.GeoDataFrame(parts, crs=ANALYSIS_CRS)


def _sample_in(ctx: _Ctx, geom, n: int, weighted: bool = True) -> np.ndarray:
    # n random points inside ``geom`` (rejection sampling, density-weighted when asked)
    minx, miny, maxx, maxy = geom.bounds
    out: list[np.ndarray] = []
    got = 0
    shapely.prepare(geom)
    prepared = geom
    while got < n:
        xy = np.column_stack(
            [ctx.rng.uniform(minx, maxx, 4 * n + 50), ctx.rng.uniform(miny, maxy, 4 * n + 50)]
        )
        inside = shapely.contains_xy(prepared, xy[:, 0], xy[:, 1])
        if weighted:
            inside &= ctx.rng.uniform(0, 1, len(xy)) < ctx.density(xy)
        xy = xy[inside]
        out.append(xy)
        got += len(xy)
    return np.vstack(out)[:n]


def _voronoi_cells(ctx: _Ctx, region, seeds: np.ndarray) -> list:
    """Voronoi cells of metric ``seeds`` clipped to ``region``, in seed order (polygonal parts only)."""
    if len(seeds) == 1:
        return [region]
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=region)
    out = []
    for seed in seeds:
        cell = next(c for c in cells.geoms if c.contains(Point(seed)))
        piece = cell.intersection(region)
        if piece.geom_type == "GeometryCollection":
            piece = shapely.union_all([g for g in piece.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
        out.append(piece)
    return out


def partitions(ctx: _Ctx, urban: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Synthetic sub-districts (街道) and communities (社区) as Voronoi partitions of the urban extent."""
    subs, comms = [], []
    for _, row in urban.iterrows():
        region = row.geometry
        n_sub = max(2, int(round(region.area / 5.0e6)))
        seeds = _sample_in(ctx, region, n_sub, weighted=False)
        for sub_geom in _voronoi_cells(ctx, region, seeds):
            if sub_geom.is_empty or sub_geom.area < 1e4:
                continue
            sid = f"S{len(subs) + 1:03d}"
            subs.append(
                {
                    "subdistrict_id": sid,
                    "name": ctx.name("街道"),
                    "district_adcode": int(row["adcode"]),
                    "geometry": sub_geom,
                }
            )
            n_comm = max(1, int(round(sub_geom.area / 0.65e6)))
            cseeds = _sample_in(ctx, sub_geom, n_comm, weighted=False)
            for cg in _voronoi_cells(ctx, sub_geom, cseeds):
                if cg.is_empty or cg.area < 1e3:
                    continue
                comms.append(
                    {
                        "community_id": f"C{len(comms) + 1:04d}",
                        "name": ctx.name("社区"),
                        "subdistrict_id": sid,
                        "district_adcode": int(row["adcode"]),
                        "geometry": cg,
                    }
                )
    return (gpd.GeoDataFrame(subs, crs=ANALYSIS_CRS), gpd.GeoDataFrame(comms, crs=ANALYSIS_CRS))


def _build_year(ctx: _Ctx, density: float, adcode: int) -> int:
    """Build year of a compound: 红谷滩 new (2003+), 新建 mixed (1985+), old core older the denser it is."""
    if adcode == 360113:  # Honggutan: new district, mostly after 2005
        return int(ctx.rng.integers(2003, 2024))
    if adcode == 360112:
        return int(ctx.rng.choice([ctx.rng.integers(1985, 2000), ctx.rng.integers(2000, 2024)], p=None))
    # older core: the denser, the older
    old_p = min(0.85, 0.25 + 0.7 * density)
    if ctx.rng.uniform() < old_p:
        return int(ctx.rng.integers(1972, 2000))
    return int(ctx.rng.integers(2000, 2024))


def compounds(ctx: _Ctx, urban: gpd.GeoDataFrame, comms: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """About 2,000 non-overlapping residential compounds (rotated rectangles 80–400 m)."""
    region = shapely.union_all(urban.geometry.values)
    shapely.prepare(region)
    district_of = STRtree(urban.geometry.values)
    placed: list[Polygon] = []
    tree_cells: dict[tuple[int, int], list[int]] = {}
    rows = []
    attempts = 0
    while len(rows) < N_COMPOUNDS and attempts < 60_000:
        attempts += 1
        x, y = _sample_in(ctx, region, 1)[0]
        dens = float(ctx.density(np.array([[x, y]]))[0])
        size = 110 + 330 * ctx.rng.uniform() * (1.15 - dens)
        w, h = size * ctx.rng.uniform(0.7, 1.3), size * ctx.rng.uniform(0.6, 1.2)
        poly = shapely.affinity.rotate(
            box(x - w / 2, y - h / 2, x + w / 2, y + h / 2), ctx.rng.uniform(-25, 25)
        )
        if not region.contains(poly):
            continue
        key = (int(x // 500), int(y // 500))
        near = [
            i
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
            for i in tree_cells.get((key[0] + dx, key[1] + dy), [])
        ]
        if any(placed[i].buffer(12).intersects(poly) for i in near):
            continue
        placed.append(poly)
        tree_cells.setdefault(key, []).append(len(placed) - 1)
        idx = district_of.query(Point(x, y), predicate="within")
        adcode = int(urban.iloc[int(idx[0])]["adcode"]) if len(idx) else int(urban.iloc[0]["adcode"])
        year = _build_year(ctx, dens, adcode)
        far = (1.3 if year < 1990 else 1.8 if year < 2000 else 2.4 if year < 2010 else 2.9) * ctx.rng.uniform(
            0.8, 1.2
        )
        households = max(40, int(poly.area * far / 95.0))
        old = year < 2000
        rows.append(
            {
                "compound_id": f"R{len(rows) + 1:04d}",
                "name": ctx.name(str(ctx.rng.choice(SUFFIXES))),
                "district_adcode": adcode,
                "build_year": year,
                "households": households,
                "elderly_share": float(
                    np.clip(ctx.rng.normal(0.26 if old else 0.13, 0.04), *ELDERLY_SHARE_RANGE)
                ),
                "parking_ratio": float(ctx.rng.uniform(0.1, 0.35) if old else ctx.rng.uniform(0.6, 1.2)),
                "geometry": poly,
            }
        )
    gdf = gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS)
    raw = gdf["households"] * ctx.rng.uniform(2.6, 3.0, len(gdf))
    gdf["population"] = np.round(raw * COMPOUND_POPULATION / raw.sum()).astype("int64")
    # household size 2.6–3.0 persons (older compounds: smaller, ageing households)
    size = np.where(gdf["build_year"] < 2000, 2.6, 2.75) + ctx.rng.uniform(0.0, 0.25, len(gdf))
    gdf["households"] = np.maximum(1, np.round(gdf["population"] / size)).astype("int64")
    gdf["parking_spaces"] = np.round(gdf["households"] * gdf.pop("parking_ratio")).astype("int64")
    gdf["community_id"] = _containing(gdf.geometry.centroid, comms, "community_id")
    return gdf


def _containing(points: gpd.GeoSeries, polys: gpd.GeoDataFrame, column: str, default: str = "") -> np.ndarray:
    """``polys[column]`` of the polygon containing each point (``default`` where none does)."""
    tree = STRtree(polys.geometry.values)
    pi, gi = tree.query(points.values, predicate="within")
    out = np.full(len(points), default, dtype=object)
    out[pi] = polys[column].to_numpy()[gi]
    return out


def population_cells(
    ctx: _Ctx, comp: gpd.GeoDataFrame, urban: gpd.GeoDataFrame, comms: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """100 m grid cell centres (points, metric CRS) with residents and residents aged 60+.

    Three sources add up per cell: compound residents spread evenly over the cells whose centre lies in
    the compound (``COMPOUND_POPULATION``), low-rise housing scattered over the urban extent
    (``URBAN_BACKGROUND_POPULATION``) and villages outside it (``VILLAGE_POPULATION``). Village cells have
    ``community_id == ""`` (no urban 社区; they belong to 村委会, not modelled).
    """
    pop: dict[tuple[int, int], float] = {}
    eld: dict[tuple[int, int], float] = {}
    _add_compound_residents(comp, pop, eld)
    _add_background_residents(ctx, urban, pop, eld)
    _add_village_residents(ctx, urban, pop, eld)
    return _cells_frame(ctx, comms, pop, eld)


def _add_compound_residents(comp: gpd.GeoDataFrame, pop: dict, eld: dict) -> None:
    """Spread each compound's residents evenly over the 100 m cells whose centre it contains (in place)."""
    for geom, p, share in zip(comp.geometry.values, comp["population"], comp["elderly_share"]):
        minx, miny, maxx, maxy = geom.bounds
        ix = np.arange(np.floor(minx / CELL_M), np.ceil(maxx / CELL_M))
        iy = np.arange(np.floor(miny / CELL_M), np.ceil(maxy / CELL_M))
        gx, gy = np.meshgrid(ix, iy)
        cx, cy = (gx.ravel() + 0.5) * CELL_M, (gy.ravel() + 0.5) * CELL_M
        inside = shapely.contains_xy(geom, cx, cy)
        if not inside.any():
            c = geom.centroid
            keys = [(int(np.floor(c.x / CELL_M)), int(np.floor(c.y / CELL_M)))]
        else:
            keys = list(zip(gx.ravel()[inside].astype(int), gy.ravel()[inside].astype(int)))
        for k in keys:
            pop[k] = pop.get(k, 0.0) + p / len(keys)
            eld[k] = eld.get(k, 0.0) + p * share / len(keys)


def _add_background_residents(ctx: _Ctx, urban: gpd.GeoDataFrame, pop: dict, eld: dict) -> None:
    """Scattered urban housing between compounds: a density-weighted random share of urban cells."""
    region = shapely.union_all(urban.geometry.values)
    minx, miny, maxx, maxy = region.bounds
    gx, gy = np.meshgrid(
        np.arange(np.floor(minx / CELL_M), np.ceil(maxx / CELL_M)),
        np.arange(np.floor(miny / CELL_M), np.ceil(maxy / CELL_M)),
    )
    cx, cy = (gx.ravel() + 0.5) * CELL_M, (gy.ravel() + 0.5) * CELL_M
    inside = shapely.contains_xy(region, cx, cy)
    dens = ctx.density(np.column_stack([cx, cy]))
    chosen = inside & (ctx.rng.uniform(0, 1, len(cx)) < 0.75 * dens)
    weights = dens[chosen] * ctx.rng.uniform(0.3, 1.7, int(chosen.sum()))
    weights = weights / weights.sum() * URBAN_BACKGROUND_POPULATION
    for kx, ky, p in zip(gx.ravel()[chosen].astype(int), gy.ravel()[chosen].astype(int), weights):
        k = (kx, ky)
        pop[k] = pop.get(k, 0.0) + p
        eld[k] = eld.get(k, 0.0) + 0.2 * p


def _add_village_residents(ctx: _Ctx, urban: gpd.GeoDataFrame, pop: dict, eld: dict) -> None:
    """Villages: clusters of up to nine cells in the non-urban part of the districts (in place)."""
    rural = shapely.difference(
        shapely.union_all(ctx.districts.geometry.values), shapely.union_all(urban.geometry.values)
    )
    n_villages = 450
    seeds = _sample_in(ctx, rural, n_villages, weighted=False)
    per_village = VILLAGE_POPULATION / n_villages
    for vx, vy in seeds:
        k0 = (int(vx // CELL_M), int(vy // CELL_M))
        cells = [
            (k0[0] + dx, k0[1] + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1) if ctx.rng.uniform() < 0.6
        ] or [k0]
        for k in cells:
            pop[k] = pop.get(k, 0.0) + per_village / len(cells)
            eld[k] = eld.get(k, 0.0) + 0.22 * per_village / len(cells)


def _cells_frame(ctx: _Ctx, comms: gpd.GeoDataFrame, pop: dict, eld: dict) -> gpd.GeoDataFrame:
    """Cell-index dictionaries → GeoDataFrame of cell centres inside the districts, with ids."""
    keys = sorted(pop)
    xy = (np.array(keys, dtype=float) + 0.5) * CELL_M
    pts = gpd.GeoSeries(shapely.points(xy), crs=ANALYSIS_CRS)
    cells = gpd.GeoDataFrame(
        {
            "cell_id": [f"G{i:06d}" for i in range(len(keys))],
            "population": np.round([pop[k] for k in keys], 2),
            "elderly": np.round([eld[k] for k in keys], 2),
        },
        geometry=pts,
        crs=ANALYSIS_CRS,
    )
    cells["district_adcode"] = _containing(
        cells.geometry, ctx.districts.assign(a=ctx.districts["adcode"].astype(object)), "a", default=None
    )
    cells = cells[cells["district_adcode"].notna()].reset_index(drop=True)
    cells["district_adcode"] = cells["district_adcode"].astype("int64")
    cells["community_id"] = _containing(cells.geometry, comms, "community_id")
    cells["cell_id"] = [f"G{i:06d}" for i in range(len(cells))]
    return cells


#: facilities of one type keep at least this share of their service radius apart (planned spread)
SPACING_SHARE = 0.6
#: service radii (m) of the catalogue defaults (DOMAIN.md §2), used only to space the synthetic sites
RADII_M = {
    "middle_school": 1000,
    "primary_school": 500,
    "kindergarten": 300,
    "nursery": 300,
    "health_center": 1000,
    "health_station": 300,
    "elderly_home": 1000,
    "elderly_daycare": 300,
    "culture_center": 1000,
    "sports_field": 1000,
    "pocket_park": 300,
    "park": 500,
    "market": 500,
    "convenience": 300,
    "community_service": 300,
    "bus_stop": 500,
    "metro_station": 800,
    "parking": 300,
    "ev_charging": 1000,
}


def _spread_sites(ctx: _Ctx, xy: np.ndarray, weights: np.ndarray, n: int, spacing_m: float):
    # up to n sites drawn from the weighted cells, each at least ``spacing_m`` from the others
    # (dart throwing on a grid hash); yields (x, y, cell index)
    placed: dict[tuple[int, int], list[tuple[float, float]]] = {}
    p = weights / weights.sum()
    got, rounds = 0, 0
    while got < n and rounds < 30:
        rounds += 1
        for ci in ctx.rng.choice(len(xy), size=4 * n, p=p):
            x, y = xy[ci] + ctx.rng.uniform(-50, 50, 2)
            kx, ky = int(x // spacing_m), int(y // spacing_m)
            near = (q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in placed.get((kx + dx, ky + dy), ()))
            if any((x - qx) ** 2 + (y - qy) ** 2 < spacing_m**2 for qx, qy in near):
                continue
            placed.setdefault((kx, ky), []).append((x, y))
            got += 1
            yield float(x), float(y), int(ci)
            if got >= n:
                return


def _gap_factor(ctx: _Ctx, xy: np.ndarray) -> np.ndarray:
    """Deliberately under-served fringe: facility probability falls off outside the denser city."""
    d = ctx.density(xy)
    return np.where(d < 0.25, 0.15, np.where(d < 0.3, 0.6, 1.0))


def facilities(
    ctx: _Ctx, cells: gpd.GeoDataFrame, comms: gpd.GeoDataFrame, urban: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Place facilities of every catalogue type where people live (points, metric CRS EPSG:32650).

    Sampled over the populated cells (without replacement, so they spread like real neighbourhood
    services), fewer in the deliberately under-served fringe; elderly services follow the elderly
    population. Weight: population^0.85.
    """
    cxy_cells = shapely.get_coordinates(cells.geometry.values)
    urban_cells = ctx.density(cxy_cells) >= URBAN_THRESHOLD  # villages get no neighbourhood services
    base_w = cells["population"].to_numpy(float) ** 0.85 * _gap_factor(ctx, cxy_cells) * urban_cells
    elderly_ratio = cells["elderly"].to_numpy(float) / np.maximum(cells["population"].to_numpy(float), 1)
    adcodes = cells["district_adcode"].to_numpy()
    rows = []
    region = shapely.union_all(ctx.districts.geometry.values)
    shapely.prepare(region)
    for ftype, n in FACILITY_COUNTS.items():
        if n == 0:
            continue
        w = base_w.copy()
        if ftype in ("elderly_daycare", "elderly_home", "health_station"):
            w *= elderly_ratio * 4  # ageing neighbourhoods attract elderly services
        spacing = SPACING_SHARE * RADII_M[ftype]
        for x, y, ci in _spread_sites(ctx, cxy_cells, w, n, spacing):
            rows.append((ftype, x, y, int(adcodes[ci])))
    # one community service station per community, except a share of fringe communities (the gap)
    cc = comms.geometry.representative_point()
    cxy = np.column_stack([cc.x, cc.y])
    keep = ctx.rng.uniform(0, 1, len(comms)) < np.where(ctx.density(cxy) < 0.4, 0.45, 0.92)
    for (x, y), adc in zip(cxy[keep], comms["district_adcode"].to_numpy()[keep]):
        rows.append(("community_service", x, y, int(adc)))
    for x, y in metro_stations(ctx):
        if shapely.contains_xy(region, x, y):
            rows.append(("metro_station", x, y, 0))
    df = pd.DataFrame(rows, columns=["type", "x", "y", "district_adcode"])
    gdf = gpd.GeoDataFrame(df, geometry=shapely.points(df[["x", "y"]].to_numpy()), crs=ANALYSIS_CRS)
    gdf = gdf[shapely.contains_xy(region, df["x"].to_numpy(), df["y"].to_numpy())].reset_index(drop=True)
    missing = gdf["district_adcode"] == 0
    gdf.loc[missing, "district_adcode"] = _containing(
        gdf.geometry[missing],
        ctx.districts.assign(a=ctx.districts["adcode"].astype(object)),
        "a",
        default=360102,
    ).astype("int64")
    counter: dict[str, int] = {}
    names, caps = [], []
    for t in gdf["type"]:
        counter[t] = counter.get(t, 0) + 1
        names.append(f"示例{FACILITY_NAMES[t]} {counter[t]:03d}")
        lo_hi = CAPACITY.get(t)
        caps.append(int(ctx.rng.integers(*lo_hi)) if lo_hi else 0)
    gdf["name"] = names
    gdf["capacity"] = np.array(caps, dtype="int64")
    gdf["district_adcode"] = gdf["district_adcode"].astype("int64")
    gdf["facility_id"] = [f"F{i + 1:05d}" for i in range(len(gdf))]
    # survey history: a share of neighbourhood facilities opened in the latest survey year (体检 复查 demo)
    hist = np.random.default_rng([ctx.seed, 11])
    opened = hist.integers(1985, SURVEY_YEARS[0] + 1, len(gdf))
    new_site = np.isin(gdf["type"], NEW_FACILITY_TYPES) & (hist.uniform(0, 1, len(gdf)) < NEW_FACILITY_SHARE)
    gdf["opened_year"] = np.where(new_site, SURVEY_YEARS[1], opened).astype("int64")
    return gdf[["facility_id", "type", "name", "district_adcode", "capacity", "opened_year", "geometry"]]


def metro_stations(ctx: _Ctx) -> list[tuple[float, float]]:
    """Metric (x, y) of stations every ``STATION_SPACING_M`` along the synthetic metro lines."""
    out = []
    for line in METRO_LINES:
        ls = LineString(_metric(line))
        for d in np.arange(0, ls.length + 1, STATION_SPACING_M):
            p = ls.interpolate(d)
            out.append((p.x, p.y))
    return out


def streets(ctx: _Ctx, urban: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Draw a jittered street grid over the urban extent (lines, metric CRS EPSG:32650).

    200 m blocks in the core, sparser at the fringe. Segments meet at shared, exactly equal endpoints
    (a noded network).
    """
    region = shapely.union_all(urban.geometry.values).buffer(200)
    minx, miny, maxx, maxy = region.bounds
    spacing = 150.0
    nx, ny = int((maxx - minx) / spacing) + 2, int((maxy - miny) / spacing) + 2
    gx, gy = np.meshgrid(np.arange(nx) * spacing + minx, np.arange(ny) * spacing + miny)
    jx = gx + ctx.rng.uniform(-45, 45, gx.shape)
    jy = gy + ctx.rng.uniform(-45, 45, gy.shape)
    jx, jy = np.round(jx, 2), np.round(jy, 2)
    dens = ctx.density(np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    lines, kinds = [], []
    for di, dj in ((0, 1), (1, 0)):
        for i in range(ny - di):
            for j in range(nx - dj):
                a = (jx[i, j], jy[i, j])
                b = (jx[i + di, j + dj], jy[i + di, j + dj])
                d = (dens[i, j] + dens[i + di, j + dj]) / 2
                if d < URBAN_THRESHOLD * 0.9:
                    continue
                line_index = j if di else i
                kind = "主干路" if line_index % 6 == 0 else "次干路" if line_index % 3 == 0 else "支路"
                if kind == "支路" and d < 0.4 and ctx.rng.uniform() < 0.45:
                    continue  # sparser fringe
                lines.append(LineString([a, b]))
                kinds.append(kind)
    # footpaths (步行道) cutting diagonally through some blocks, as paths through compounds do
    for i in range(ny - 1):
        for j in range(nx - 1):
            if dens[i, j] < URBAN_THRESHOLD or ctx.rng.uniform() > 0.4:
                continue
            if ctx.rng.uniform() < 0.5:
                a, b = (jx[i, j], jy[i, j]), (jx[i + 1, j + 1], jy[i + 1, j + 1])
            else:
                a, b = (jx[i, j + 1], jy[i, j + 1]), (jx[i + 1, j], jy[i + 1, j])
            lines.append(LineString([a, b]))
            kinds.append("步行道")
    gdf = gpd.GeoDataFrame({"kind": kinds}, geometry=lines, crs=ANALYSIS_CRS)
    mids = gdf.geometry.interpolate(0.5, normalized=True)
    gdf = gdf[shapely.contains_xy(region, mids.x.to_numpy(), mids.y.to_numpy())]
    city = shapely.union_all(ctx.districts.geometry.values)
    gdf = gdf[shapely.within(gdf.geometry.values, city)]  # nothing outside the six districts
    gdf = _drop_crossing_footpaths(gdf).reset_index(drop=True)
    gdf.insert(0, "street_id", [f"E{i + 1:06d}" for i in range(len(gdf))])
    return gdf


def _drop_crossing_footpaths(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drop the rare diagonal footpath that crosses another segment away from a node.

    The jittered grid itself never self-crosses, but a diagonal can clip a strongly jittered grid edge;
    removing it keeps the network planar (segments meet only at shared endpoints).
    """
    geoms = gdf.geometry.values
    i, j = STRtree(geoms).query(geoms, predicate="crosses")
    kinds = gdf["kind"].to_numpy()
    bad = np.unique(np.concatenate([i[kinds[i] == "步行道"], j[kinds[j] == "步行道"]]))
    return gdf.drop(index=gdf.index[bad])


#: the two 城市体检 survey years shipped with the demo (复查 compares them)
SURVEY_YEARS = (2025, 2026)
#: neighbourhood facility types of which a share opened in the later survey year
NEW_FACILITY_TYPES = (
    "kindergarten",
    "nursery",
    "elderly_daycare",
    "health_station",
    "community_service",
    "pocket_park",
    "convenience",
)
NEW_FACILITY_SHARE = 0.08

PARCEL_MIX = {"老旧小区": 260, "城中村": 60, "老旧厂区": 50, "危旧房": 45, "预制板房屋": 40, "低效用地": 45}
STATUS_P = {"储备": 0.45, "谋划": 0.25, "立项": 0.14, "实施": 0.10, "完工": 0.06}


def parcels(ctx: _Ctx, comp: gpd.GeoDataFrame, urban: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """About 500 renewal parcels of the six DOMAIN.md §3 types (metric CRS).

    老旧小区 and 预制板房屋 are drawn from pre-2000 compounds (same polygon, households and parking); the other
    types are new polygons placed away from compounds (危旧房 in the old core, 城中村/低效用地 at the fringe).
    Attributes (danger grade, decision, status, budget) follow :func:`_parcel_attributes`.
    """
    rows = _compound_parcels(ctx, comp)
    rows += _free_parcels(ctx, comp, urban, taken=[r["geometry"] for r in rows])
    gdf = _parcel_attributes(ctx, gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS))
    return gdf


def _compound_parcels(ctx: _Ctx, comp: gpd.GeoDataFrame) -> list[dict]:
    """老旧小区 / 预制板房屋 parcel rows taken from randomly chosen pre-2000 compounds.

    ``parking_shortage`` = 0.6 spaces per household (assumed demand) minus existing spaces, ≥ 0.
    """
    rows = []
    old = comp[comp["build_year"] < 2000].reset_index(drop=True)
    pick = ctx.rng.choice(
        len(old), size=min(PARCEL_MIX["老旧小区"] + PARCEL_MIX["预制板房屋"], len(old)), replace=False
    )
    for n, i in enumerate(pick):
        r = old.iloc[i]
        ptype = "老旧小区" if n < PARCEL_MIX["老旧小区"] else "预制板房屋"
        rows.append(
            {
                "parcel_type": ptype,
                "geometry": r.geometry,
                "district_adcode": int(r["district_adcode"]),
                "build_year": int(r["build_year"]),
                "households": int(r["households"]),
                "parking_shortage": int(max(0, round(r["households"] * 0.6 - r["parking_spaces"]))),
            }
        )
    return rows


def _free_parcels(
    ctx: _Ctx, comp: gpd.GeoDataFrame, urban: gpd.GeoDataFrame, *, taken: list[Polygon]
) -> list[dict]:
    # 城中村, 老旧厂区, 危旧房 and 低效用地 parcel rows: new polygons sized per type (m), overlapping neither
    # compounds (except 危旧房, which sit inside old blocks) nor any parcel already ``taken``
    rows: list[dict] = []
    taken = list(taken)
    comp_tree = STRtree(comp.geometry.values)
    region = shapely.union_all(urban.geometry.values)
    dtree = STRtree(urban.geometry.values)
    for ptype, size_range, year_range in (
        ("城中村", (250, 550), (1980, 2005)),
        ("老旧厂区", (200, 600), (1958, 1995)),
        ("危旧房", (50, 110), (1960, 1990)),
        ("低效用地", (150, 450), (1990, 2012)),
    ):
        made, tries = 0, 0
        while made < PARCEL_MIX[ptype] and tries < 20_000:
            tries += 1
            x, y = _sample_in(ctx, region, 1, weighted=ptype in ("危旧房",))[0]
            dens = float(ctx.density(np.array([[x, y]]))[0])
            if ptype in ("城中村", "低效用地") and dens > 0.55:
                continue  # urban villages and low-efficiency land sit towards the fringe
            if ptype == "危旧房" and dens < 0.6:
                continue  # dangerous housing in the old core
            s = ctx.rng.uniform(*size_range)
            if ptype == "城中村":
                ang = np.sort(ctx.rng.uniform(0, 2 * np.pi, 9))
                rad = s / 2 * ctx.rng.uniform(0.6, 1.0, 9)
                poly = Polygon(np.column_stack([x + rad * np.cos(ang), y + rad * np.sin(ang)]))
            else:
                poly = shapely.affinity.rotate(
                    box(x - s / 2, y - s * 0.35, x + s / 2, y + s * 0.35), ctx.rng.uniform(-20, 20)
                )
            if not poly.is_valid or not region.contains(poly):
                continue
            if ptype != "危旧房" and len(comp_tree.query(poly, predicate="intersects")):
                continue
            if shapely.intersects(np.asarray(taken, dtype=object), poly).any():
                continue
            taken.append(poly)
            di = dtree.query(Point(x, y), predicate="within")
            households = int(poly.area / (60 if ptype == "城中村" else 45 if ptype == "危旧房" else 10_000))
            rows.append(
                {
                    "parcel_type": ptype,
                    "geometry": poly,
                    "district_adcode": int(urban.iloc[int(di[0])]["adcode"]) if len(di) else 360111,
                    "build_year": int(ctx.rng.integers(*year_range)),
                    "households": households,
                    "parking_shortage": int(households * ctx.rng.uniform(0.2, 0.5)) if households else 0,
                }
            )
            made += 1
    return rows


def _parcel_attributes(ctx: _Ctx, gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Add area, danger grade, precast flag, heritage, 留改拆 decision, status, budget (万元), id and name.

    Heritage: a few old compounds / factories within 1.8 km of the 东湖 core (115.90E 28.68N) → always 留.
    Grade D → 拆. Budgets: per household for housing types, per m² of land for the others.
    """
    core = _metric([(115.900, 28.680)])[0]
    n = len(gdf)
    gdf["area_m2"] = gdf.geometry.area.round(1)
    cent = np.column_stack([gdf.geometry.centroid.x, gdf.geometry.centroid.y])
    near_core = np.hypot(cent[:, 0] - core[0], cent[:, 1] - core[1]) < 1800
    heritage = (
        near_core
        & (ctx.rng.uniform(0, 1, n) < 0.3)
        & gdf["parcel_type"].isin(["老旧小区", "老旧厂区"]).to_numpy()
    )
    grade = []
    precast = []
    for t in gdf["parcel_type"]:
        if t == "危旧房":
            grade.append(str(ctx.rng.choice(["C", "D"], p=[0.55, 0.45])))
        elif t == "预制板房屋":
            grade.append(str(ctx.rng.choice(["B", "C"], p=[0.6, 0.4])))
        elif t == "老旧小区":
            grade.append(str(ctx.rng.choice(["", "A", "B", "C"], p=[0.45, 0.3, 0.2, 0.05])))
        else:
            grade.append("")
        precast.append(t == "预制板房屋" or (t == "老旧小区" and ctx.rng.uniform() < 0.12))
    gdf["danger_grade"] = grade
    gdf["precast_slab"] = precast
    gdf["heritage"] = heritage
    decisions = []
    for t, g, h in zip(gdf["parcel_type"], grade, heritage):
        if h:
            decisions.append("留")
        elif g == "D" or t == "城中村" and ctx.rng.uniform() < 0.7:
            decisions.append("拆")
        elif t in ("老旧厂区", "低效用地"):
            decisions.append(str(ctx.rng.choice(["改", "拆"], p=[0.55, 0.45])))
        else:
            decisions.append(str(ctx.rng.choice(["改", "留"], p=[0.9, 0.1])) if t == "老旧小区" else "改")
    gdf["decision"] = decisions
    gdf["status"] = ctx.rng.choice(list(STATUS_P), size=n, p=list(STATUS_P.values()))
    per = {
        "老旧小区": ("hh", 1.5, 3.0),
        "预制板房屋": ("hh", 6, 10),
        "危旧房": ("hh", 12, 20),
        "城中村": ("m2", 0.12, 0.25),
        "老旧厂区": ("m2", 0.03, 0.08),
        "低效用地": ("m2", 0.02, 0.05),
    }
    budgets = []
    for t, hh, a in zip(gdf["parcel_type"], gdf["households"], gdf["area_m2"]):
        basis, lo, hi = per[t]
        budgets.append(round((hh if basis == "hh" else a) * ctx.rng.uniform(lo, hi), 1))
    gdf["budget_wan"] = budgets
    gdf["parcel_id"] = [f"P{i + 1:04d}" for i in range(n)]
    type_word = {
        "老旧小区": "老旧小区改造",
        "预制板房屋": "预制板房屋治理",
        "危旧房": "危旧房改造",
        "城中村": "城中村改造",
        "老旧厂区": "老旧厂区更新",
        "低效用地": "低效用地再开发",
    }
    gdf["name"] = [ctx.name(type_word[t]) for t in gdf["parcel_type"]]
    cols = [
        "parcel_id",
        "name",
        "parcel_type",
        "district_adcode",
        "build_year",
        "area_m2",
        "danger_grade",
        "precast_slab",
        "heritage",
        "households",
        "parking_shortage",
        "status",
        "decision",
        "budget_wan",
        "completed_year",
        "geometry",
    ]
    hist = np.random.default_rng([ctx.seed, 12])
    done = gdf["status"].to_numpy() == "完工"
    gdf["completed_year"] = np.where(done, hist.choice(SURVEY_YEARS, n), 0).astype("int64")
    return gdf[cols]


def _write(gpkg: Path, layers: dict[str, gpd.GeoDataFrame], metadata: dict[str, str]) -> None:
    """Write the layers (reprojected to EPSG:4326) and the key/value ``metadata`` attribute table."""
    for name, gdf in layers.items():
        gdf.to_crs(DISPLAY_CRS).to_file(gpkg, layer=name, driver="GPKG")
    with sqlite3.connect(gpkg) as con:
        con.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        con.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(metadata.items()))
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('metadata', 'attributes', 'metadata')"
        )


def generate(out_path: str | Path = DEMO_GPKG, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Build the demo workspace GeoPackage at ``out_path`` (atomically) and return feature counts.

    Parameters
    ----------
    out_path : str or Path
        Target ``.gpkg``; written to a temporary file in the same folder, then ``os.replace``-d
        (:func:`geodata.atomic.atomic_path`).
    seed : int
        Seed of the ``numpy`` PCG64 generator; the same seed gives identical layers.

    Returns
    -------
    dict
        Feature count per layer, plus ``population`` (total residents in the 100 m cells).
    """
    out_path = Path(out_path)
    ctx = _Ctx(seed)
    urban = urban_extent(ctx)
    subs, comms = partitions(ctx, urban)
    comp = compounds(ctx, urban, comms)
    cells = population_cells(ctx, comp, urban, comms)
    fac = facilities(ctx, cells, comms, urban)
    st = streets(ctx, urban)
    par = parcels(ctx, comp, urban)
    layers = {
        "districts": ctx.districts[["adcode", "name_zh", "name_en", "geometry"]],
        "subdistricts": subs,
        "communities": comms,
        "compounds": comp[
            [
                "compound_id",
                "name",
                "district_adcode",
                "community_id",
                "build_year",
                "households",
                "population",
                "elderly_share",
                "parking_spaces",
                "geometry",
            ]
        ],
        "population_cells": cells[
            ["cell_id", "population", "elderly", "district_adcode", "community_id", "geometry"]
        ],
        "facilities": fac,
        "streets": st,
        "parcels": par,
    }
    metadata = {
        "synthetic": "true",
        "seed": str(seed),
        "generator": "geodata/demo/generate.py",
        "cell_size_m": str(int(CELL_M)),
        "city": "南昌市中心城区",
        "survey_years": ",".join(str(y) for y in SURVEY_YEARS),
        "description_zh": "示例数据（合成）：南昌市中心城区，由种子脚本生成，非真实统计；区界为真实行政区划。",
        "description_en": "Synthetic demo data for central Nanchang generated by a seeded script; not statistics. "
        "District boundaries are real.",
    }
    with atomic_path(out_path) as tmp:
        _write(tmp, layers, metadata)
    return {name: len(gdf) for name, gdf in layers.items()} | {"population": int(cells["population"].sum())}


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line (``python -m geodata.demo.generate``).

    Parameters
    ----------
    argv : list of str, optional
        Arguments (``--out PATH``, ``--seed N``); default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status 0.
    """
    parser = argparse.ArgumentParser(description="Generate the synthetic Nanchang demo workspace")
    parser.add_argument("--out", default=str(DEMO_GPKG))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, args.seed)
    print(", ".join(f"{k}={v:,}" for k, v in counts.items()))
    print(f"wrote {args.out} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
