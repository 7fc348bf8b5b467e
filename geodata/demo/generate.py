"""Seeded generator of the SYNTHETIC demo city: central Nanchang (东湖、西湖、青云谱、青山湖、新建、红谷滩).

Real: the six district polygons (geodata/boundaries); the Gan River (赣江) follows the real district
boundaries that run mid-river (红谷滩 | 西湖/东湖, 新建 | 东湖). Synthetic (plausible magnitudes, not
statistics): lakes, sub-districts, communities, a street network on two grids (east bank roughly north–south,
红谷滩/新建 aligned with the river) joined by named bridges, blocks and the residential compounds subdivided
from them, 100 m population cells, facilities grouped in 5/10/15-minute neighbourhood centres, renewal
parcels and a seeded project library linked to 城市体检 problems. Same seed → identical file.

    python -m geodata.demo.generate [--out PATH] [--seed 20261123]

Magnitudes: ≈2.7 million residents in the six districts (order of magnitude of the real central city);
metro ≈ 128.6 km of line (seed 003, DOMAIN.md §5) → ~80 stations at ~1.2 km.
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import nearest_points, substring
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
#: 南昌县 (not part of the demo): its boundary with 红谷滩/新建 is the river south and north of the city
NANCHANG_COUNTY = 360121
#: half-width (m) of the Gan River band around the district boundary that runs mid-river (~0.85 km wide)
RIVER_HALF_WIDTH_M = 420.0
#: the river is taken from the district boundaries inside this lon/lat window
RIVER_WINDOW = (115.76, 28.50, 116.02, 28.86)
#: lakes (name, lon, lat, semi-axis x m, semi-axis y m, rotation °) — approximate, synthetic outlines
LAKES = [
    ("青山湖", 115.937, 28.690, 650, 480, 20),
    ("象湖", 115.879, 28.628, 720, 330, -35),
    ("艾溪湖", 115.968, 28.690, 420, 1500, 8),
    ("瑶湖", 116.028, 28.702, 1300, 900, 15),
    ("东湖", 115.898, 28.684, 230, 150, 0),
]
#: urban centres: (name, lon, lat, scale_km, weight, era). Density = max over centres of
#: weight · exp(−distance / scale), times a smooth ±15 % noise field.
CENTRES = [
    ("老城", 115.895, 28.680, 3.6, 1.00, "old"),
    ("西湖南", 115.890, 28.645, 2.8, 0.88, "old"),
    ("朝阳新城", 115.858, 28.638, 1.8, 0.72, "new"),
    ("青云谱", 115.915, 28.615, 2.6, 0.75, "industrial"),
    ("青山湖", 115.945, 28.672, 3.0, 0.78, "mixed"),
    ("红谷滩", 115.853, 28.690, 3.2, 0.85, "new"),
    ("九龙湖", 115.825, 28.635, 2.6, 0.65, "newest"),
    ("长堎", 115.805, 28.695, 2.4, 0.62, "mixed"),
    ("高新", 115.990, 28.680, 2.8, 0.62, "new"),
    ("昌北", 115.925, 28.735, 2.0, 0.52, "mixed"),
]
#: per era: (share built before 2000 at the centre, decline of that share per scale length, earliest year)
ERAS = {
    "old": (0.90, 0.28, 1962),
    "industrial": (0.80, 0.30, 1958),
    "mixed": (0.50, 0.25, 1975),
    "new": (0.04, 0.02, 1995),
    "newest": (0.0, 0.0, 2008),
}
URBAN_THRESHOLD = 0.28
#: target residents in compounds and in scattered villages
COMPOUND_POPULATION = 2_250_000
#: residents of low-rise / self-built housing scattered between compounds in the urban extent
URBAN_BACKGROUND_POPULATION = 300_000
VILLAGE_POPULATION = 180_000
#: clip range of a compound's share of residents aged 60+ (older compounds have older residents)
ELDERLY_SHARE_RANGE = (0.08, 0.35)
CELL_M = 100.0
#: residents by age group (一老一小), drawn from their own seeded stream ([seed, 20]) so that every other
#: column stays as it was. Shares of all residents for compounds built since 2000 and, scaled by the
#: second value, for older ones (ageing compounds have fewer young families). City-wide this gives 0–12 ≈
#: 14 % and so 0–14 ≈ 17 % (南昌七普: 0–14 ≈ 17–18 %). 0–3 = 0, 1, 2 years; 3–6 = 3–5; 6–12 = 6–11.
CHILD_SHARES = {"children_0_3": 0.032, "children_3_6": 0.038, "children_6_12": 0.078}
CHILD_SHARE_OLD_FACTOR = 0.8
#: share of residents aged 80+ among those aged 60+ (older compounds: older elderly), 七普 ≈ 13–15 %
ELDERLY_80_OF_60 = {"old": 0.155, "new": 0.12}
#: age-group columns of compounds and population cells (ints on compounds, floats on cells)
AGE_COLUMNS = ("children_0_3", "children_3_6", "children_6_12", "elderly_60", "elderly_80")
#: the two street grids: east bank (old core, roughly north–south) and west bank (红谷滩/新建, along the river)
GRIDS = [
    {
        "key": "east",
        "adcodes": (360102, 360103, 360104, 360111),
        "origin": (115.895, 28.680),
        "angle_deg": 3.0,
        "gap_m": (150.0, 290.0),
        "jitter_m": 28.0,
    },
    {
        "key": "west",
        "adcodes": (360113, 360112),
        "origin": (115.853, 28.690),
        "angle_deg": -25.0,
        "gap_m": (210.0, 380.0),
        "jitter_m": 9.0,
    },
]
#: spacing (m) of arterial (主干路) and secondary (次干路) lines within a grid
ARTERIAL_SPACING_M = 1000.0
SECONDARY_SPACING_M = 480.0
#: arterial names per grid and direction: "u" lines run "north–south" (ordered west→east or, on the west
#: bank, river→inland reversed), "v" lines "east–west" (ordered south→north). Plausible Nanchang-style
#: names; the demo is synthetic and the names are placed schematically.
ARTERIAL_NAMES = {
    ("east", "u"): [
        "沿江中大道",
        "象山路",
        "八一大道",
        "青山路",
        "洪都大道",
        "上海路",
        "京东大道",
        "艾溪湖西路",
        "紫阳大道",
        "天祥大道",
        "高新大道",
    ],
    ("east", "v"): [
        "南莲路",
        "迎宾大道",
        "昌南大道",
        "抚生路",
        "解放西路",
        "孺子路",
        "中山路",
        "阳明路",
        "北京西路",
        "北京东路",
        "青山湖大道",
        "昌东大道",
        "贤士路",
        "昌北大道",
    ],
    ("west", "u"): [
        "赣江中大道",
        "丰和中大道",
        "庐山南大道",
        "凤凰中大道",
        "九龙大道",
        "学府大道",
        "长堎大道",
        "新建大道",
        "望城大道",
    ],
    ("west", "v"): [
        "生米大街",
        "九龙湖大道",
        "赣江南大道",
        "红谷南大道",
        "红谷中大道",
        "红谷北大道",
        "碟子湖大道",
        "长征路",
        "前湖大道",
        "新祺周大道",
    ],
}
SECONDARY_NAMES = [
    "民德路",
    "叙东路",
    "永叔路",
    "渊明路",
    "子固路",
    "船山路",
    "系马桩路",
    "章江路",
    "站前路",
    "广场南路",
    "福州路",
    "苏州路",
    "榕门路",
    "墩子塘路",
    "湖滨路",
    "三经路",
    "二七路",
    "洪城路",
    "施尧路",
    "顺化门路",
    "桃花路",
    "朝阳路",
    "丁公路",
    "洛阳路",
    "徐家坊路",
    "贤湖路",
    "金融大街",
    "世贸路",
    "会展路",
    "绿茵路",
    "怡园路",
    "春晖路",
    "璜溪大道",
    "明珠路",
    "沿河路",
    "团结路",
    "佛塔路",
    "灌婴路",
    "进贤路",
    "羊子巷",
    "百花洲路",
    "坛子口路",
    "井头路",
    "蓼洲路",
    "观洲路",
    "翠苑路",
    "学院路",
    "航空路",
    "云飞路",
    "冶金大道",
    "抚河北路",
    "抚河中路",
    "抚河南路",
    "象湖路",
    "金沙大道",
    "富山大道",
    "龙王庙路",
    "湖坊路",
    "顺外路",
    "尤口路",
]
#: bridges over the Gan River: (name, approximate lon, lat of the crossing)
BRIDGES = [
    ("生米大桥", 115.826, 28.618),
    ("朝阳大桥", 115.852, 28.647),
    ("南昌大桥", 115.861, 28.662),
    ("八一大桥", 115.867, 28.684),
    ("英雄大桥", 115.879, 28.722),
]
SYLLABLES = list("桂兰梅竹松柏荷菊枫桃杏柳榕樟湖江滨洪昌豫章青云象山滕阁绳金塔八一胜利解放阳明孺子丁公井冈")
SUFFIXES = ["苑", "园", "里", "小区", "新村", "花园", "家园", "公寓"]


def _metric(lonlat: list[tuple[float, float]]) -> np.ndarray:
    """(lon, lat) pairs in degrees → (n, 2) array of x, y in metres (``ANALYSIS_CRS``)."""
    pts = gpd.GeoSeries([Point(x, y) for x, y in lonlat], crs=DISPLAY_CRS).to_crs(ANALYSIS_CRS)
    return np.column_stack([pts.x, pts.y])


def _clean(poly) -> Polygon | None:
    """A tidy polygon: tiny spikes and slivers (< 1 m) removed, largest part kept; None if nothing is left."""
    if poly is None:
        return None
    poly = shapely.simplify(poly, 0.5).buffer(-0.5, join_style="mitre").buffer(0.5, join_style="mitre")
    return _polygons_only(shapely.set_precision(poly, 0.01))


def _valid_in_degrees(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Mask of geometries still valid once stored in EPSG:4326 (rounding may fold a near-degenerate ring)."""
    return gdf.geometry.to_crs(DISPLAY_CRS).is_valid.to_numpy()


def _polygons_only(geom) -> Polygon | None:
    """The largest polygon of a (possibly mixed) geometry, or None when it has no polygonal part."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return None
    return max(parts, key=lambda p: p.area)


class _Ctx:
    """Shared state of one generation run."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(np.random.PCG64(seed))
        self.seed = seed
        counties = gpd.read_file(BOUNDARIES_DIR / "jiangxi_counties.geojson")
        counties = counties.astype(
            {"adcode": "int64"}
        )  # the schema's int kind is stored as 64-bit everywhere
        d = counties[counties["adcode"].isin(list(DISTRICTS))][["adcode", "name_zh", "name_en", "geometry"]]
        self.districts = d.sort_values("adcode").reset_index(drop=True).to_crs(ANALYSIS_CRS)
        self.county = (
            counties[counties["adcode"] == NANCHANG_COUNTY].to_crs(ANALYSIS_CRS).geometry.union_all()
        )
        self.city = shapely.union_all(self.districts.geometry.values)
        shapely.prepare(self.city)
        self.centres = _metric([(c[1], c[2]) for c in CENTRES])
        self.names_used: set[str] = set()
        # smooth noise: a few random plane waves with 3–9 km wavelengths
        nrng = np.random.default_rng([seed, 1])
        self._waves = [
            (nrng.uniform(0, 2 * np.pi), 2 * np.pi / nrng.uniform(3000, 9000), nrng.uniform(0, 2 * np.pi))
            for _ in range(6)
        ]
        self.water = water(self)
        self.water_union = shapely.union_all(self.water.geometry.values)
        shapely.prepare(self.water_union)

    def _noise(self, xy: np.ndarray) -> np.ndarray:
        total = np.zeros(len(xy))
        for direction, k, phase in self._waves:
            total += np.cos(k * (xy[:, 0] * np.cos(direction) + xy[:, 1] * np.sin(direction)) + phase)
        return total / len(self._waves)

    def _decays(self, xy: np.ndarray) -> np.ndarray:
        """(n, n_centres) weight · exp(−r / scale) of every centre at every point."""
        out = np.empty((len(xy), len(CENTRES)))
        for k, ((cx, cy), c) in enumerate(zip(self.centres, CENTRES)):
            r = np.hypot(xy[:, 0] - cx, xy[:, 1] - cy) / 1000.0
            out[:, k] = c[4] * np.exp(-r / c[3])
        return out

    def density(self, xy: np.ndarray) -> np.ndarray:
        """Relative urban density 0…1 at metric points (strongest centre, with ±15 % smooth noise)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        return self._decays(xy).max(axis=1) * (1.0 + 0.15 * self._noise(xy))

    def centre_of(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Index of the dominant centre and distance to it in scale lengths, per metric point."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        k = self._decays(xy).argmax(axis=1)
        cxy = self.centres[k]
        r = np.hypot(xy[:, 0] - cxy[:, 0], xy[:, 1] - cxy[:, 1]) / 1000.0
        return k, r / np.array([CENTRES[i][3] for i in k])

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


def _river_centreline(ctx: _Ctx):
    """The Gan River's course: the district boundaries that run mid-river, inside ``RIVER_WINDOW``."""
    by = dict(zip(ctx.districts["adcode"], ctx.districts.geometry))
    window = box(*_metric([RIVER_WINDOW[:2], RIVER_WINDOW[2:]]).ravel())
    east = shapely.union_all([by[360102], by[360103], ctx.county]).buffer(60)
    west_bank = by[360113].boundary.intersection(east)
    north = by[360112].boundary.intersection(shapely.union_all([by[360102], ctx.county]).buffer(60))
    line = shapely.union_all([west_bank, north]).intersection(window)
    return shapely.line_merge(line)


def water(ctx: _Ctx) -> gpd.GeoDataFrame:
    """Water (metric CRS): the Gan River band along its real course and five lakes (synthetic outlines)."""
    river = _river_centreline(ctx).buffer(RIVER_HALF_WIDTH_M, quad_segs=4).simplify(20)
    river = river.intersection(ctx.city)
    rows = [{"name": "赣江", "kind": "river", "geometry": river}]
    lrng = np.random.default_rng([ctx.seed, 2])
    for name, lon, lat, ax, ay, rot in LAKES:
        (cx, cy) = _metric([(lon, lat)])[0]
        ang = np.linspace(0, 2 * np.pi, 25)[:-1]
        wobble = 1 + 0.12 * lrng.uniform(-1, 1, len(ang))
        ring = np.column_stack([ax * wobble * np.cos(ang), ay * wobble * np.sin(ang)])
        poly = affinity.rotate(Polygon(ring), rot, origin=(0, 0))
        poly = affinity.translate(poly, cx, cy).buffer(0).intersection(ctx.city)
        rows.append({"name": name, "kind": "lake", "geometry": poly})
    gdf = gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS)
    gdf["geometry"] = gdf.geometry.make_valid()
    return gdf[~gdf.geometry.is_empty].reset_index(drop=True)


def urban_extent(ctx: _Ctx) -> gpd.GeoDataFrame:
    """Per district, the part of its polygon whose density exceeds the urban threshold, minus water."""
    minx, miny, maxx, maxy = ctx.districts.total_bounds
    xs = np.arange(minx, maxx, 250.0)
    ys = np.arange(miny, maxy, 250.0)
    gx, gy = np.meshgrid(xs, ys)
    xy = np.column_stack([gx.ravel(), gy.ravel()])
    keep = ctx.density(xy) > URBAN_THRESHOLD
    squares = shapely.box(xy[keep, 0] - 125, xy[keep, 1] - 125, xy[keep, 0] + 125, xy[keep, 1] + 125)
    blob = shapely.union_all(squares).buffer(300).buffer(-300).difference(ctx.water_union)
    parts = []
    for _, row in ctx.districts.iterrows():
        part = row.geometry.intersection(blob)
        part = shapely.union_all(
            [p for p in shapely.get_parts(part) if p.geom_type == "Polygon" and p.area > 2e5]
        )
        if not part.is_empty:
            parts.append({"adcode": row["adcode"], "geometry": part})
    return gpd.GeoDataFrame(parts, crs=ANALYSIS_CRS)


# ------------------------------------------------------------------------------------------ streets, blocks


def _axis_positions(rng: np.random.Generator, lo: float, hi: float, gap: tuple[float, float]) -> np.ndarray:
    """Grid-line offsets (m) covering [lo, hi] with random gaps, one line through 0 (the grid origin)."""
    up, down = [0.0], [0.0]
    while up[-1] < hi + gap[1]:
        up.append(up[-1] + rng.uniform(*gap))
    while down[-1] > lo - gap[1]:
        down.append(down[-1] - rng.uniform(*gap))
    return np.array(sorted(set(down) | set(up)))


def _line_classes(pos: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """0 = arterial, 1 = secondary, 2 = local per grid line: arterials ~1 km apart (one through the origin),
    secondaries ~0.5 km, measured outward from the origin."""
    cls = np.full(len(pos), 2)
    o = int(np.argmin(np.abs(pos)))
    cls[o] = 0
    for step in (1, -1):
        last_a = last_s = pos[o]
        want_a = ARTERIAL_SPACING_M * rng.uniform(0.85, 1.2)
        i = o + step
        while 0 <= i < len(pos):
            d_a, d_s = abs(pos[i] - last_a), abs(pos[i] - last_s)
            if d_a >= want_a:
                cls[i], last_a, last_s = 0, pos[i], pos[i]
                want_a = ARTERIAL_SPACING_M * rng.uniform(0.85, 1.2)
            elif d_s >= SECONDARY_SPACING_M and d_a <= want_a - 250:
                cls[i], last_s = 1, pos[i]
            i += step
    return cls


KIND_OF_CLASS = {0: "主干路", 1: "次干路", 2: "支路"}
#: densify street lines to a vertex at least every this many metres (network access points)
STREET_VERTEX_SPACING_M = 50.0
#: jitter of a grid node across a line of this class, as a share of the grid's jitter (arterials stay straight)
JITTER_OF_CLASS = {0: 0.12, 1: 0.45, 2: 1.0}


def _grid(ctx: _Ctx, grid: dict, zone, urban_union) -> dict:
    """One street grid clipped to its zone: kept segments (metric), their class, line keys and the blocks."""
    rng = np.random.default_rng([ctx.seed, 3, GRIDS.index(grid)])
    ox, oy = _metric([grid["origin"]])[0]
    th = math.radians(grid["angle_deg"])
    c, s = math.cos(th), math.sin(th)
    zxy = shapely.get_coordinates(zone)
    fu = (zxy[:, 0] - ox) * c + (zxy[:, 1] - oy) * s
    fv = -(zxy[:, 0] - ox) * s + (zxy[:, 1] - oy) * c
    upos = _axis_positions(rng, fu.min(), fu.max(), grid["gap_m"])
    vpos = _axis_positions(rng, fv.min(), fv.max(), grid["gap_m"])
    ucls, vcls = _line_classes(upos, rng), _line_classes(vpos, rng)
    uu, vv = np.meshgrid(upos, vpos)  # shape (nv, nu)
    x0 = ox + uu * c - vv * s
    y0 = oy + uu * s + vv * c
    dens = ctx.density(np.column_stack([x0.ravel(), y0.ravel()])).reshape(uu.shape)
    amp = grid["jitter_m"] * (0.6 + np.clip(dens, 0, 1))
    ju = rng.uniform(-1, 1, uu.shape) * amp * np.vectorize(JITTER_OF_CLASS.get)(ucls)[None, :]
    jv = rng.uniform(-1, 1, uu.shape) * amp * np.vectorize(JITTER_OF_CLASS.get)(vcls)[:, None]
    x = np.round(ox + (uu + ju) * c - (vv + jv) * s, 2)
    y = np.round(oy + (uu + ju) * s + (vv + jv) * c, 2)
    shapely.prepare(zone)
    in_zone = shapely.contains_xy(zone, x, y)
    segs = []  # (i0, j0, i1, j1, class, line key)
    nv, nu = uu.shape
    for i in range(nv):
        for j in range(nu - 1):
            segs.append((i, j, i, j + 1, vcls[i], ("v", i)))
    for i in range(nv - 1):
        for j in range(nu):
            segs.append((i, j, i + 1, j, ucls[j], ("u", j)))
    a = np.array([(sg[0], sg[1]) for sg in segs])
    b = np.array([(sg[2], sg[3]) for sg in segs])
    cls = np.array([sg[4] for sg in segs])
    ok = in_zone[a[:, 0], a[:, 1]] & in_zone[b[:, 0], b[:, 1]]
    mid = np.column_stack(
        [(x[a[:, 0], a[:, 1]] + x[b[:, 0], b[:, 1]]) / 2, (y[a[:, 0], a[:, 1]] + y[b[:, 0], b[:, 1]]) / 2]
    )
    dmid = ctx.density(mid)
    need = np.where(cls == 0, 0.8, np.where(cls == 1, 0.9, 1.0)) * URBAN_THRESHOLD
    ok &= dmid >= need
    p_keep = np.where(dmid > 0.6, 0.97, np.where(dmid > 0.45, 0.85, 0.6))
    ok &= (cls < 2) | (rng.uniform(0, 1, len(cls)) < p_keep)
    idx = np.flatnonzero(ok)
    lines = shapely.linestrings(
        np.stack(
            [
                np.column_stack([x[a[idx, 0], a[idx, 1]], y[a[idx, 0], a[idx, 1]]]),
                np.column_stack([x[b[idx, 0], b[idx, 1]], y[b[idx, 0], b[idx, 1]]]),
            ],
            axis=1,
        )
    )
    good = ~shapely.intersects(lines, ctx.water_union) & shapely.within(lines, ctx.city)
    idx, lines = idx[good], lines[good]
    # footpaths: diagonals through a share of the blocks, and a few longer through-paths that cross a
    # street without a junction (the network is not fully noded; see the streets layer docstring)
    used = np.zeros(uu.shape, dtype=bool)
    used[a[idx, 0], a[idx, 1]] = True
    used[b[idx, 0], b[idx, 1]] = True
    foot = []
    for i in range(nv - 2):
        for j in range(nu - 2):
            if not used[i, j] or dens[i, j] < 0.4:
                continue
            r = rng.uniform()
            if r < 0.22:
                di, dj = (1, 1) if rng.uniform() < 0.5 else (1, -1)
            elif r < 0.26:
                di, dj = (2, 1)
            else:
                continue
            if not (0 <= j + dj < nu) or not used[i + di, j + dj]:
                continue
            foot.append(LineString([(x[i, j], y[i, j]), (x[i + di, j + dj], y[i + di, j + dj])]))
    foot = np.array(foot, dtype=object)
    if len(foot):
        foot = foot[~shapely.intersects(foot, ctx.water_union) & shapely.within(foot, zone)]
    faces = shapely.get_parts(shapely.polygonize(lines))
    return {
        "lines": lines,
        "cls": cls[idx],
        "keys": [segs[k][5] for k in idx],
        "foot": list(foot),
        "faces": faces,
        "key": grid["key"],
        "frame": (ox, oy, c, s),
    }


def _numeral(n: int) -> str:
    """Chinese numeral for 1…99 (经十四路, 纬二十一路)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _line_names(ctx: _Ctx, g: dict) -> dict:
    """Name of every arterial and secondary line of one grid (line key → name)."""
    counts: dict[tuple, int] = {}
    for k, cl in zip(g["keys"], g["cls"]):
        if cl < 2:
            counts[(k, int(cl))] = counts.get((k, int(cl)), 0) + 1
    names: dict[tuple, str] = {}
    for direction in ("u", "v"):
        arts = sorted(k for (k, cl), n in counts.items() if cl == 0 and k[0] == direction and n >= 2)
        if g["key"] == "west" and direction == "u":
            arts = arts[::-1]  # u grows towards the river on the west bank: name from the river inland
        pool = ARTERIAL_NAMES[(g["key"], direction)]
        for n, k in enumerate(arts):
            names[k] = (
                pool[n] if n < len(pool) else f"{'经' if direction == 'u' else '纬'}{_numeral(n + 1)}路"
            )
    secondary = sorted({k for (k, cl) in counts if cl == 1} - set(names))
    return names | {k: "" for k in secondary}


def streets_and_blocks(ctx: _Ctx, urban: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[tuple]]:
    """The street network (metric CRS) and the city blocks it encloses.

    Streets: two jittered grids of random spacing (east bank: 150–290 m, roughly north–south; west bank:
    210–380 m, aligned with the river), arterials (主干路) ~1 km and secondaries (次干路) ~0.5 km apart,
    local streets (支路) thinning out towards the fringe, footpaths (步行道) through a share of the blocks,
    a riverside walk on both banks and five named bridges (``bridge`` = True) over the Gan River. Grid
    segments meet at shared endpoints; footpath through-paths and the riverside walk cross streets *without*
    a shared vertex in places (as real data often does: noding is the analysis's job, not the generator's).

    Returns
    -------
    (GeoDataFrame, list)
        Streets with ``street_id, kind, name, bridge``; blocks as (polygon, grid key) in metric metres.
    """
    urban_union = shapely.union_all(urban.geometry.values)
    by = dict(zip(ctx.districts["adcode"], ctx.districts.geometry))
    rows, blocks = [], []
    nodes = {}
    pool = list(SECONDARY_NAMES)
    np.random.default_rng([ctx.seed, 5]).shuffle(pool)
    for grid in GRIDS:
        zone = shapely.union_all([by[a] for a in grid["adcodes"]]).difference(ctx.water_union)
        g = _grid(ctx, grid, zone, urban_union)
        names = _line_names(ctx, g)
        for k in sorted(k for k, v in names.items() if v == ""):
            names[k] = pool.pop(0) if pool else ""
        for line, cl, k in zip(g["lines"], g["cls"], g["keys"]):
            rows.append(
                {"kind": KIND_OF_CLASS[int(cl)], "name": names.get(k, ""), "bridge": False, "geometry": line}
            )
        rows += [{"kind": "步行道", "name": "", "bridge": False, "geometry": f} for f in g["foot"]]
        main = [ln for ln, cl in zip(g["lines"], g["cls"]) if cl < 2]
        nodes[grid["key"]] = np.unique(shapely.get_coordinates(np.array(main, dtype=object)), axis=0)
        for face in g["faces"]:
            piece = face.intersection(urban_union).difference(ctx.water_union)
            for p in shapely.get_parts(piece):
                if p.geom_type == "Polygon" and 6000 < p.area < 1.2e6:
                    blocks.append((p, grid["key"]))
    river = _river_centreline(ctx)
    for name, lon, lat in BRIDGES:
        # across the river: from the main-street node nearest a point 600 m inland on the west bank to the
        # one nearest the mirror point on the east bank (normal of the river's local direction)
        here = nearest_points(river, Point(_metric([(lon, lat)])[0]))[0]
        s0 = river.project(here)
        a, b = river.interpolate(max(s0 - 300, 0)), river.interpolate(s0 + 300)
        tx, ty = b.x - a.x, b.y - a.y
        nx, ny = ty, -tx  # right-hand normal
        norm = math.hypot(nx, ny)
        nx, ny = (nx / norm, ny / norm) if nx >= 0 else (-nx / norm, -ny / norm)  # pointing east
        ends = []
        for key, sign in (("west", -1), ("east", 1)):
            tx_, ty_ = here.x + sign * 600 * nx, here.y + sign * 600 * ny
            d = np.hypot(nodes[key][:, 0] - tx_, nodes[key][:, 1] - ty_)
            ends.append(tuple(nodes[key][int(np.argmin(d))]))
        rows.append({"kind": "主干路", "name": name, "bridge": True, "geometry": LineString(ends)})
    # riverside walk (沿江步道) 40 m back from the water on both banks, in pieces of ≤ 250 m
    bank = ctx.water.loc[ctx.water["kind"] == "river"].geometry.buffer(40).union_all().boundary
    bank = bank.intersection(urban_union)
    for part in shapely.get_parts(shapely.line_merge(bank)):
        if part.geom_type != "LineString" or part.length < 100:
            continue
        n = max(1, int(math.ceil(part.length / 250.0)))
        for q in range(n):
            piece = substring(part, q * part.length / n, (q + 1) * part.length / n)
            if piece.geom_type == "LineString" and ctx.city.contains(piece):
                rows.append({"kind": "步行道", "name": "沿江步道", "bridge": False, "geometry": piece})
    gdf = gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS)
    # a vertex every ≤ 50 m (endpoints unchanged): walkers join a street between junctions, not only at them
    gdf["geometry"] = shapely.segmentize(gdf.geometry.values, STREET_VERTEX_SPACING_M)
    gdf.insert(0, "street_id", [f"E{i + 1:06d}" for i in range(len(gdf))])
    return gdf, blocks


# ------------------------------------------------------------------------------------------ compounds


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


def _sample_in(ctx: _Ctx, geom, n: int, weighted: bool = True) -> np.ndarray:
    """n random points inside ``geom`` (rejection sampling, density-weighted when asked)."""
    minx, miny, maxx, maxy = geom.bounds
    out: list[np.ndarray] = []
    got = 0
    shapely.prepare(geom)
    while got < n:
        xy = np.column_stack(
            [ctx.rng.uniform(minx, maxx, 4 * n + 50), ctx.rng.uniform(miny, maxy, 4 * n + 50)]
        )
        inside = shapely.contains_xy(geom, xy[:, 0], xy[:, 1])
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


def _build_year(rng: np.random.Generator, era: str, r_scale: float) -> int:
    """Build year of a compound from the era of its dominant centre and its distance from it (scale
    lengths): the old core is mostly pre-2000 (老旧小区) and gets younger outwards; new towns are 2000+."""
    share, decline, earliest = ERAS[era]
    p_old = float(np.clip(share - decline * r_scale, 0.0, 0.95))
    if rng.uniform() < p_old:
        return int(rng.integers(max(earliest, 1958), 2000))
    lo = (
        2000 if era in ("old", "industrial", "mixed") else max(earliest, 2000) + (6 if era == "newest" else 2)
    )
    # younger the further out
    return int(np.clip(rng.normal(lo + 6 + 5 * r_scale, 5), lo, 2024))


def _split(poly: Polygon, n: int, rng: np.random.Generator, gap_m: float) -> list[Polygon]:
    """Split a block polygon into about ``n`` parts by cuts across its longer axis (random positions),
    leaving ``gap_m`` between parts (internal lanes)."""
    if n <= 1 or poly.area < 2 * 2500:
        return [poly]
    rect = shapely.oriented_envelope(poly)
    xy = np.asarray(rect.exterior.coords)[:4]
    e1, e2 = xy[1] - xy[0], xy[2] - xy[1]
    long_e = e1 if np.hypot(*e1) >= np.hypot(*e2) else e2
    short_e = e2 if long_e is e1 else e1
    f = rng.uniform(0.3, 0.7)
    n1 = max(1, min(n - 1, int(round(n * f))))
    cut_at = xy.mean(axis=0) + long_e * (f - 0.5)
    half = short_e / np.hypot(*short_e) * (np.hypot(*short_e) + 50)
    cut = LineString([cut_at - half, cut_at + half]).buffer(gap_m / 2, cap_style="flat")
    pieces = [p for p in shapely.get_parts(poly.difference(cut)) if p.geom_type == "Polygon" and p.area > 50]
    if len(pieces) < 2:
        return [poly]
    pieces.sort(key=lambda p: np.dot(np.asarray(p.centroid.coords[0]) - cut_at, long_e))
    first = shapely.union_all(
        [p for p in pieces if np.dot(np.asarray(p.centroid.coords[0]) - cut_at, long_e) < 0]
    )
    second = shapely.union_all(
        [p for p in pieces if np.dot(np.asarray(p.centroid.coords[0]) - cut_at, long_e) >= 0]
    )
    out = []
    for part, k in ((first, n1), (second, n - n1)):
        part = _polygons_only(part)
        if part is not None:
            out += _split(part, k, rng, gap_m)
    return out


def compounds(ctx: _Ctx, blocks: list[tuple], comms: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list]:
    """Residential compounds subdivided from the street blocks, and the non-residential blocks left over.

    A block becomes residential with probability 0.55–0.8 (higher in the dense core); it is set back 10 m
    from the streets and split into parts of a target size that depends on the era (old core: 0.8–2.8 ha
    单位大院 and 老旧小区; new towns: 3–10 ha gated estates), so compounds differ in size, shape and
    orientation (they follow the grid of their bank). About one in five loses a corner (L-shaped).

    Returns
    -------
    (GeoDataFrame, list)
        Compounds (metric CRS) with their attributes; non-residential blocks as (polygon, density).
    """
    rng = np.random.default_rng([ctx.seed, 6])
    cent = np.array([[p.centroid.x, p.centroid.y] for p, _ in blocks])
    dens = ctx.density(cent)
    centre_k, r_scale = ctx.centre_of(cent)
    rows, other = [], []
    for (block, _key), d, k, rs in zip(blocks, dens, centre_k, r_scale):
        era = CENTRES[k][5]
        if rng.uniform() > 0.55 + 0.25 * min(d, 1.0):
            other.append((block, float(d)))
            continue
        inset = _polygons_only(block.buffer(-10, join_style="mitre"))
        if inset is None or inset.area < 2500:
            continue
        old_core = era in ("old", "industrial")
        target = (
            rng.uniform(0.8e4, 2.8e4)
            if old_core
            else rng.uniform(1.6e4, 5.5e4)
            if era == "mixed"
            else rng.uniform(3.0e4, 10e4)
        )
        n = int(np.clip(round(inset.area / target), 1, 10))
        for part in _split(inset, n, rng, gap_m=rng.uniform(8, 16)):
            if rng.uniform() < 0.2 and part.area > 1.2e4:
                ring = np.asarray(shapely.oriented_envelope(part).exterior.coords)[:4]
                q = int(rng.integers(0, 4))
                corner, nxt, prv = ring[q], ring[(q + 1) % 4], ring[(q - 1) % 4]
                f = rng.uniform(0.35, 0.5)
                notch = Polygon(
                    [
                        corner,
                        corner + f * (nxt - corner),
                        corner + f * (nxt - corner) + f * (prv - corner),
                        corner + f * (prv - corner),
                    ]
                )
                cut = _polygons_only(part.difference(notch.buffer(0)))
                if cut is not None and cut.area > 0.6 * part.area:
                    part = cut
            part = _clean(part)
            if part is None or part.area < 2500 or not part.is_valid:
                continue
            rows.append({"geometry": part, "density": float(d), "era": era, "r_scale": float(rs)})
    gdf = gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS)
    gdf = gdf[_valid_in_degrees(gdf)].reset_index(drop=True)
    years, elderly, ratio, far = [], [], [], []
    for era, rs in zip(gdf["era"], gdf["r_scale"]):
        y = _build_year(rng, era, rs)
        years.append(y)
        old = y < 2000
        elderly.append(float(np.clip(rng.normal(0.26 if old else 0.13, 0.04), *ELDERLY_SHARE_RANGE)))
        ratio.append(float(rng.uniform(0.1, 0.35) if old else rng.uniform(0.6, 1.2)))
        far.append(
            (1.5 if y < 1990 else 1.9 if y < 2000 else 2.3 if y < 2010 else 2.5) * rng.uniform(0.8, 1.2)
        )
    gdf["build_year"] = np.array(years, dtype="int64")
    gdf["elderly_share"] = elderly
    households = np.maximum(40, (gdf.geometry.area * np.array(far) / 95.0).astype(int))
    # residents decline from the old core to the fringe: occupancy × (0.3 + 1.1 · density) × centrality,
    # centrality = 0.25 + 0.75 · exp(−distance from the old core / 4 km)
    cxy = np.column_stack([gdf.geometry.centroid.x, gdf.geometry.centroid.y])
    r_core = np.hypot(cxy[:, 0] - ctx.centres[0][0], cxy[:, 1] - ctx.centres[0][1]) / 1000.0
    centrality = 0.25 + 0.75 * np.exp(-r_core / 4.0)
    raw = (
        households
        * rng.uniform(2.6, 3.0, len(gdf))
        * (0.3 + 1.1 * np.clip(gdf["density"], 0, 1))
        * centrality
    )
    gdf["population"] = np.maximum(120, np.round(raw * COMPOUND_POPULATION / raw.sum())).astype("int64")
    # household size 2.6–3.0 persons (older compounds: smaller, ageing households)
    size = np.where(gdf["build_year"] < 2000, 2.6, 2.75) + rng.uniform(0.0, 0.25, len(gdf))
    gdf["households"] = np.maximum(1, np.round(gdf["population"] / size)).astype("int64")
    gdf["parking_spaces"] = np.round(gdf["households"] * np.array(ratio)).astype("int64")
    gdf["district_adcode"] = _containing(
        gdf.geometry.representative_point(),
        ctx.districts.assign(a=ctx.districts["adcode"].astype(object)),
        "a",
        default=360102,
    ).astype("int64")
    gdf["community_id"] = _containing(gdf.geometry.representative_point(), comms, "community_id")
    gdf = gdf[gdf["community_id"] != ""].reset_index(drop=True)
    gdf["compound_id"] = [f"R{i + 1:04d}" for i in range(len(gdf))]
    gdf["name"] = [ctx.name(str(ctx.rng.choice(SUFFIXES))) for _ in range(len(gdf))]
    return gdf, other


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
    shapely.prepare(region)
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
    rural = ctx.city.difference(shapely.union_all(urban.geometry.values)).difference(
        ctx.water_union.buffer(100)
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


def age_groups(
    seed: int, comp: gpd.GeoDataFrame, cells: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Add residents by age group (:data:`AGE_COLUMNS`) to compounds and population cells (copies).

    Drawn from a separate generator (``[seed, 20]``) after everything else, so no other column changes.
    Compounds: each child group = population × :data:`CHILD_SHARES` × (0.8 before 2000) × U(0.8, 1.2),
    ``elderly_60`` = round(population × elderly_share), ``elderly_80`` = elderly_60 ×
    :data:`ELDERLY_80_OF_60` × U(0.85, 1.15). Cells: the compound counts spread over the same cells as
    the compound's residents, plus the cell's other residents (background and villages) × the city shares
    × U(0.8, 1.2); a cell's ``elderly_60`` is its ``elderly``.
    """
    rng = np.random.default_rng([seed, 20])
    comp, cells = comp.copy(), cells.copy()
    n = len(comp)
    old = (comp["build_year"] < 2000).to_numpy()
    pop = comp["population"].to_numpy(float)
    for col, share in CHILD_SHARES.items():
        f = np.where(old, CHILD_SHARE_OLD_FACTOR, 1.0) * rng.uniform(0.8, 1.2, n)
        comp[col] = np.round(pop * share * f).astype("int64")
    comp["elderly_60"] = np.round(pop * comp["elderly_share"].to_numpy(float)).astype("int64")
    r80 = np.where(old, ELDERLY_80_OF_60["old"], ELDERLY_80_OF_60["new"]) * rng.uniform(0.85, 1.15, n)
    comp["elderly_80"] = np.minimum(np.round(comp["elderly_60"] * r80), comp["elderly_60"]).astype("int64")
    # compound residents per cell, as _add_compound_residents spreads them
    acc: dict[str, dict[tuple[int, int], float]] = {c: {} for c in ("population", *AGE_COLUMNS)}
    for i, geom in enumerate(comp.geometry.values):
        keys = _compound_cells(geom)
        for c in acc:
            v = float(comp[c].iat[i]) / len(keys)
            for k in keys:
                acc[c][k] = acc[c].get(k, 0.0) + v
    xy = shapely.get_coordinates(cells.geometry.values)
    keys = list(zip(np.floor(xy[:, 0] / CELL_M).astype(int), np.floor(xy[:, 1] / CELL_M).astype(int)))
    in_comp = {c: np.array([acc[c].get(k, 0.0) for k in keys]) for c in acc}
    rest = np.maximum(cells["population"].to_numpy(float) - in_comp["population"], 0.0)
    for col, share in CHILD_SHARES.items():
        cells[col] = np.round(in_comp[col] + rest * share * rng.uniform(0.8, 1.2, len(cells)), 2)
    cells["elderly_60"] = cells["elderly"].to_numpy(float)
    rest60 = np.maximum(cells["elderly"].to_numpy(float) - in_comp["elderly_60"], 0.0)
    cells["elderly_80"] = np.round(
        np.minimum(
            in_comp["elderly_80"] + rest60 * 0.14 * rng.uniform(0.85, 1.15, len(cells)), cells["elderly"]
        ),
        2,
    )
    return comp, cells


def _compound_cells(geom) -> list[tuple[int, int]]:
    """The 100 m cell indices a compound's residents are spread over (as in _add_compound_residents)."""
    minx, miny, maxx, maxy = geom.bounds
    ix = np.arange(np.floor(minx / CELL_M), np.ceil(maxx / CELL_M))
    iy = np.arange(np.floor(miny / CELL_M), np.ceil(maxy / CELL_M))
    gx, gy = np.meshgrid(ix, iy)
    cx, cy = (gx.ravel() + 0.5) * CELL_M, (gy.ravel() + 0.5) * CELL_M
    inside = shapely.contains_xy(geom, cx, cy)
    if not inside.any():
        c = geom.centroid
        return [(int(np.floor(c.x / CELL_M)), int(np.floor(c.y / CELL_M)))]
    return list(zip(gx.ravel()[inside].astype(int), gy.ravel()[inside].astype(int)))


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
    xy = shapely.get_coordinates(cells.geometry.values)
    dry = ~shapely.contains_xy(
        ctx.water_union, xy[:, 0], xy[:, 1]
    )  # a riverside cell centre may fall in water
    cells = cells[cells["district_adcode"].notna() & dry].reset_index(drop=True)
    cells["district_adcode"] = cells["district_adcode"].astype("int64")
    cells["community_id"] = _containing(cells.geometry, comms, "community_id")
    cells["cell_id"] = [f"G{i:06d}" for i in range(len(cells))]
    return cells


# ------------------------------------------------------------------------------------------ facilities

#: neighbourhood centres per life circle: (spacing between centres m, scatter of a facility around its
#: centre m, the catalogue types a centre may hold). Facilities of one circle cluster in its centres, as
#: planned 社区服务中心 / 邻里中心 do, so the circle items are reached together (GB 50180 life circles).
CENTRE_TIERS = {
    "5min": (
        430.0,
        60.0,
        (
            "community_service",
            "kindergarten",
            "nursery",
            "health_station",
            "elderly_daycare",
            "pocket_park",
            "convenience",
        ),
    ),
    "10min": (700.0, 120.0, ("primary_school", "park", "market")),
    "15min": (
        1050.0,
        200.0,
        ("middle_school", "health_center", "elderly_home", "culture_center", "sports_field"),
    ),
}
#: probability that a centre holds the type: (dense core, fringe); linear in density between 0.70 and 0.30
P_AT_CENTRE = {
    "community_service": (0.96, 0.60),
    "kindergarten": (0.93, 0.45),
    "nursery": (0.90, 0.35),
    "health_station": (0.92, 0.40),
    "elderly_daycare": (0.92, 0.35),
    "pocket_park": (0.90, 0.40),
    "convenience": (0.85, 0.60),
    "primary_school": (0.90, 0.60),
    "park": (0.90, 0.50),
    "market": (0.88, 0.55),
    "middle_school": (0.98, 0.80),
    "health_center": (0.98, 0.80),
    "elderly_home": (0.97, 0.75),
    "culture_center": (0.97, 0.75),
    "sports_field": (0.96, 0.72),
}
#: facilities placed independently of the centres (count per type), spread over the populated cells
SCATTERED = {
    "convenience": 250,
    "kindergarten": 100,
    "pocket_park": 150,
    "market": 30,
    "bus_stop": 1800,
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
#: service radii (m) of the catalogue defaults (DOMAIN.md §2), used only to space the scattered sites
RADII_M = {
    "convenience": 300,
    "kindergarten": 300,
    "pocket_park": 300,
    "market": 500,
    "bus_stop": 500,
    "parking": 300,
    "ev_charging": 1000,
}
#: scattered facilities of one type keep at least this share of their service radius apart
SPACING_SHARE = 0.6
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


def _poisson_disk(
    rng: np.random.Generator, xy: np.ndarray, weights: np.ndarray, spacing_m: float
) -> list[int]:
    """Indices of candidate points accepted in weighted random order while keeping ``spacing_m`` apart
    (a saturated Poisson-disk pick: every candidate ends within ``spacing_m`` of an accepted one)."""
    keys = rng.exponential(size=len(xy)) / np.maximum(weights, 1e-9)
    placed: dict[tuple[int, int], list[tuple[float, float]]] = {}
    out = []
    s2 = spacing_m**2
    for ci in np.argsort(keys, kind="stable"):
        x, y = xy[ci]
        kx, ky = int(x // spacing_m), int(y // spacing_m)
        near = (q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in placed.get((kx + dx, ky + dy), ()))
        if any((x - qx) ** 2 + (y - qy) ** 2 < s2 for qx, qy in near):
            continue
        placed.setdefault((kx, ky), []).append((x, y))
        out.append(int(ci))
    return out


def _spread_sites(rng: np.random.Generator, xy: np.ndarray, weights: np.ndarray, n: int, spacing_m: float):
    """Up to n sites drawn from the weighted cells, each at least ``spacing_m`` from the others
    (dart throwing on a grid hash); yields (x, y)."""
    placed: dict[tuple[int, int], list[tuple[float, float]]] = {}
    p = weights / weights.sum()
    got, rounds = 0, 0
    while got < n and rounds < 30:
        rounds += 1
        for ci in rng.choice(len(xy), size=4 * n, p=p):
            x, y = xy[ci] + rng.uniform(-50, 50, 2)
            kx, ky = int(x // spacing_m), int(y // spacing_m)
            near = (q for dx in (-1, 0, 1) for dy in (-1, 0, 1) for q in placed.get((kx + dx, ky + dy), ()))
            if any((x - qx) ** 2 + (y - qy) ** 2 < spacing_m**2 for qx, qy in near):
                continue
            placed.setdefault((kx, ky), []).append((x, y))
            got += 1
            yield float(x), float(y)
            if got >= n:
                return


def facilities(ctx: _Ctx, cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Facilities of every catalogue type (metric CRS).

    Life-circle items sit in neighbourhood centres (:data:`CENTRE_TIERS`): a saturated Poisson-disk set of
    centres over the populated urban cells per circle, each holding a type with the probability of
    :data:`P_AT_CENTRE` (high in the dense core, lower at the fringe), scattered a little around the centre.
    Convenience stores, some kindergartens, pocket parks and markets, bus stops, car parks and chargers are
    also spread independently (:data:`SCATTERED`); metro stations lie every 1.2 km along five lines.
    """
    rng = np.random.default_rng([ctx.seed, 7])
    xy = shapely.get_coordinates(cells.geometry.values)
    pop = cells["population"].to_numpy(float)
    dens = ctx.density(xy)
    eligible = (dens >= URBAN_THRESHOLD) & (cells["community_id"].to_numpy() != "") & (pop >= 15)
    rows = []

    def put(ftype: str, x: float, y: float) -> None:
        if shapely.contains_xy(ctx.city, x, y) and not shapely.contains_xy(ctx.water_union, x, y):
            rows.append((ftype, x, y))

    for spacing, scatter, types in CENTRE_TIERS.values():
        idx = np.flatnonzero(eligible)
        for ci in _poisson_disk(rng, xy[idx], pop[idx], spacing):
            cx, cy = xy[idx[ci]]
            t = float(np.clip((dens[idx[ci]] - 0.30) / 0.40, 0, 1))
            for ftype in types:
                core, fringe = P_AT_CENTRE[ftype]
                if rng.uniform() < fringe + t * (core - fringe):
                    r, a = scatter * math.sqrt(rng.uniform()), rng.uniform(0, 2 * math.pi)
                    put(ftype, cx + r * math.cos(a), cy + r * math.sin(a))
    w = np.where(eligible, pop**0.85 * np.where(dens < 0.4, 0.4, 1.0), 0.0)
    for ftype, n in SCATTERED.items():
        for x, y in _spread_sites(rng, xy, w, n, SPACING_SHARE * RADII_M[ftype]):
            put(ftype, x, y)
    for x, y in metro_stations(ctx):
        put("metro_station", x, y)
    df = pd.DataFrame(rows, columns=["type", "x", "y"])
    gdf = gpd.GeoDataFrame(df, geometry=shapely.points(df[["x", "y"]].to_numpy()), crs=ANALYSIS_CRS)
    gdf["district_adcode"] = _containing(
        gdf.geometry, ctx.districts.assign(a=ctx.districts["adcode"].astype(object)), "a", default=360102
    ).astype("int64")
    counter: dict[str, int] = {}
    names, caps = [], []
    for t in gdf["type"]:
        counter[t] = counter.get(t, 0) + 1
        names.append(f"示例{FACILITY_NAMES[t]} {counter[t]:03d}")
        lo_hi = CAPACITY.get(t)
        caps.append(int(rng.integers(*lo_hi)) if lo_hi else 0)
    gdf["name"] = names
    gdf["capacity"] = np.array(caps, dtype="int64")
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


# ------------------------------------------------------------------------------------------ 完整社区 items

#: the three 完整社区 items the neighbourhood centres above do not hold (完整居住社区建设标准（试行）,
#: 建科规〔2020〕7号): 综合超市, 邮件和快件寄递服务设施, 公共活动场地 ≥ 150 m². They come from their own seeded
#: stream ([seed, COMPLETE_STREAM]) and are appended after the other facilities (ids continue the
#: sequence), so every other row, column and number of the demo stays as it was.
COMPLETE_STREAM = 21
#: supermarkets (大型综合超市 / 生鲜超市 chains): a saturated Poisson-disk set of candidate sites this far
#: apart over the populated urban cells, each kept with probability (dense core, fringe), linear in density
SUPERMARKET_SPACING_M = 550.0
P_SUPERMARKET = (0.95, 0.30)
#: delivery points (快递驿站 at a compound gate, 智能快件箱, 邮政快递服务站): probability that a compound has
#: one (dense core, fringe); compounds built before 1990 (no property management) have fewer
P_DELIVERY = (0.80, 0.45)
DELIVERY_PRE_1990_FACTOR = 0.6
#: two delivery points keep at least this far apart (neighbouring small compounds share one)
DELIVERY_SPACING_M = 110.0
#: villages outside the urban 社区 (no community): 村级寄递物流服务站, sparse
VILLAGE_DELIVERY_SPACING_M = 1200.0
P_VILLAGE_DELIVERY = 0.5
#: public activity grounds: probability that a compound has one (built since 2000, before 2000 — old
#: compounds have little open space) and that a community has a square of its own
P_GROUND_COMPOUND = {"new": 0.5, "old": 0.12}
P_COMMUNITY_SQUARE = 0.4
GROUND_SPACING_M = 90.0
#: kinds of activity ground: (name, area range m², share among compound grounds); community squares are
#: 社区广场. Areas are at least the standard's 150 m² (only grounds of that size are recorded).
GROUND_KINDS = (
    ("健身广场", (150.0, 900.0), 0.45),
    ("篮球场", (420.0, 650.0), 0.25),
    ("门球场", (300.0, 600.0), 0.15),
    ("儿童活动场地", (150.0, 400.0), 0.15),
)
SQUARE_AREA_M2 = (600.0, 4000.0)
#: display names per kind (the facility name is "示例<kind> 001", numbered per kind)
SUPERMARKET_KINDS = (("综合超市", 0.65), ("生鲜超市", 0.35))
DELIVERY_KINDS = (("快递驿站", 0.6), ("智能快件箱", 0.25), ("邮政快递服务站", 0.15))
#: earliest opening year per type (modern chains from the late 1990s, parcel lockers and 驿站 from 2014)
#: and the share of each type that opened in the later survey year (the 2025 → 2026 复查 shows them)
OPENED_FROM = {"supermarket": 1998, "delivery": 2014, "activity_ground": 1990}
NEW_SHARE = {"supermarket": 0.08, "delivery": 0.12, "activity_ground": 0.08}
#: old compounds (before 2000) whose activity ground is new: 老旧小区改造 adds them, so a higher share
NEW_SHARE_OLD_GROUND = 0.2


def _density_t(dens: np.ndarray) -> np.ndarray:
    """0 (fringe) … 1 (dense core): density scaled linearly between 0.30 and 0.70, as in facilities()."""
    return np.clip((np.asarray(dens, dtype=float) - 0.30) / 0.40, 0, 1)


def _pick(rng: np.random.Generator, kinds) -> int:
    """Index of a kind drawn with the shares given as the last element of each entry."""
    p = np.array([k[-1] for k in kinds], dtype=float)
    return int(rng.choice(len(kinds), p=p / p.sum()))


def _thin(rng: np.random.Generator, xy: np.ndarray, spacing_m: float) -> list[int]:
    """Indices of points kept, in random order, so that no two are closer than ``spacing_m``."""
    return sorted(_poisson_disk(rng, xy, np.ones(len(xy)), spacing_m))


def complete_community_facilities(
    seed: int, ctx: _Ctx, fac: gpd.GeoDataFrame, comp: gpd.GeoDataFrame, cells: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """Append 综合超市, 寄递服务设施 and 公共活动场地 (≥ 150 m²) to the facilities (a copy, metric CRS).

    Drawn from a separate generator (``[seed, COMPLETE_STREAM]``) after everything else; the new rows
    follow the existing ones (``facility_id`` continues the sequence) and the existing rows are unchanged.
    A column ``area_m2`` (m², float) is added: the ground's area for ``activity_ground``, empty otherwise.

    - ``supermarket``: Poisson-disk sites :data:`SUPERMARKET_SPACING_M` apart over the populated urban
      cells (heavier where more people live), kept with probability :data:`P_SUPERMARKET` (core → fringe):
      about one per one to two communities in the dense core, fewer at the fringe.
    - ``delivery``: one at the edge (gate) of a compound with probability :data:`P_DELIVERY` (× 0.6 before
      1990), thinned to :data:`DELIVERY_SPACING_M`; sparse 村级寄递物流服务站 in the villages.
    - ``activity_ground``: inside a compound with probability :data:`P_GROUND_COMPOUND` (new / old), plus a
      社区广场 in a populated cell of a community with probability :data:`P_COMMUNITY_SQUARE`.

    ``opened_year``: uniform from :data:`OPENED_FROM` (and not before the compound's build year) to the
    first survey year; a share :data:`NEW_SHARE` opened in the second survey year.
    """
    rng = np.random.default_rng([seed, COMPLETE_STREAM])
    rows = []  # (type, label, x, y, area_m2, earliest opening year, share opened in the later survey)

    def put(ftype, label, x, y, area, earliest, new_share) -> None:
        if shapely.contains_xy(ctx.city, x, y) and not shapely.contains_xy(ctx.water_union, x, y):
            rows.append((ftype, label, float(x), float(y), area, earliest, new_share))

    xy = shapely.get_coordinates(cells.geometry.values)
    pop = cells["population"].to_numpy(float)
    dens = ctx.density(xy)
    community = cells["community_id"].to_numpy()
    eligible = (dens >= URBAN_THRESHOLD) & (community != "") & (pop >= 15)
    # 综合超市
    idx = np.flatnonzero(eligible)
    for ci in sorted(_poisson_disk(rng, xy[idx], pop[idx], SUPERMARKET_SPACING_M)):
        core, fringe = P_SUPERMARKET
        if rng.uniform() < fringe + _density_t(dens[idx[ci]]) * (core - fringe):
            x, y = xy[idx[ci]] + rng.uniform(-50, 50, 2)
            label = SUPERMARKET_KINDS[_pick(rng, SUPERMARKET_KINDS)][0]
            put("supermarket", label, x, y, np.nan, OPENED_FROM["supermarket"], NEW_SHARE["supermarket"])
    # 寄递服务设施: at a compound's edge (its gate), thinned; sparse in the villages
    cxy = np.column_stack([comp.geometry.centroid.x, comp.geometry.centroid.y])
    t_comp = _density_t(ctx.density(cxy))
    build = comp["build_year"].to_numpy()
    p = (P_DELIVERY[1] + t_comp * (P_DELIVERY[0] - P_DELIVERY[1])) * np.where(
        build < 1990, DELIVERY_PRE_1990_FACTOR, 1.0
    )
    has = rng.uniform(0, 1, len(comp)) < p
    gates = []
    for geom, yes in zip(comp.geometry.values, has):
        u = rng.uniform()
        if not yes:
            continue
        edge = geom.exterior.interpolate(u, normalized=True)
        c = geom.centroid
        d = math.hypot(edge.x - c.x, edge.y - c.y) or 1.0
        gates.append((edge.x + 6.0 * (edge.x - c.x) / d, edge.y + 6.0 * (edge.y - c.y) / d))
    gates_xy = np.array(gates, dtype=float).reshape(-1, 2)
    for k in _thin(rng, gates_xy, DELIVERY_SPACING_M):
        label = DELIVERY_KINDS[_pick(rng, DELIVERY_KINDS)][0]
        put("delivery", label, *gates_xy[k], np.nan, OPENED_FROM["delivery"], NEW_SHARE["delivery"])
    village = np.flatnonzero((community == "") & (pop >= 15))
    for ci in sorted(_poisson_disk(rng, xy[village], pop[village], VILLAGE_DELIVERY_SPACING_M)):
        if rng.uniform() < P_VILLAGE_DELIVERY:
            x, y = xy[village[ci]] + rng.uniform(-40, 40, 2)
            put("delivery", "村级寄递物流服务站", x, y, np.nan, 2016, NEW_SHARE["delivery"])
    # 公共活动场地 ≥ 150 m²: in compounds (fewer in old ones) and a 社区广场 per community
    grounds = []  # (x, y, label, area, earliest, new share)
    for geom, year in zip(comp.geometry.values, build):
        old = year < 2000
        if rng.uniform() >= P_GROUND_COMPOUND["old" if old else "new"]:
            continue
        name, (lo, hi), _ = GROUND_KINDS[_pick(rng, GROUND_KINDS)]
        pt = geom.representative_point()
        area = round(float(rng.uniform(lo, hi)), -1)
        grounds.append(
            (
                pt.x,
                pt.y,
                name,
                area,
                max(OPENED_FROM["activity_ground"], int(year)),
                NEW_SHARE_OLD_GROUND if old else NEW_SHARE["activity_ground"],
            )
        )
    for cid in pd.unique(community[eligible]):
        if rng.uniform() >= P_COMMUNITY_SQUARE:
            continue
        members = np.flatnonzero(eligible & (community == cid))
        ci = members[int(rng.choice(len(members), p=pop[members] / pop[members].sum()))]
        x, y = xy[ci] + rng.uniform(-40, 40, 2)
        area = round(float(rng.uniform(*SQUARE_AREA_M2)), -1)
        grounds.append((x, y, "社区广场", area, OPENED_FROM["activity_ground"], NEW_SHARE["activity_ground"]))
    g_xy = np.array([g[:2] for g in grounds], dtype=float).reshape(-1, 2)
    for k in _thin(rng, g_xy, GROUND_SPACING_M):
        x, y, name, area, earliest, share = grounds[k]
        put("activity_ground", name, x, y, area, earliest, share)
    new = pd.DataFrame(rows, columns=["type", "label", "x", "y", "area_m2", "earliest", "new_share"])
    gdf = gpd.GeoDataFrame(new, geometry=shapely.points(new[["x", "y"]].to_numpy()), crs=ANALYSIS_CRS)
    gdf["district_adcode"] = _containing(
        gdf.geometry, ctx.districts.assign(a=ctx.districts["adcode"].astype(object)), "a", default=360102
    ).astype("int64")
    counter: dict[str, int] = {}
    names = []
    for label in gdf["label"]:
        counter[label] = counter.get(label, 0) + 1
        names.append(f"示例{label} {counter[label]:03d}")
    gdf["name"] = names
    gdf["capacity"] = np.zeros(len(gdf), dtype="int64")
    first = len(fac) + 1
    gdf["facility_id"] = [f"F{first + i:05d}" for i in range(len(gdf))]
    earliest = gdf["earliest"].to_numpy(int)
    opened = np.array([int(rng.integers(e, SURVEY_YEARS[0] + 1)) for e in earliest])
    later = rng.uniform(0, 1, len(gdf)) < gdf["new_share"].to_numpy(float)
    gdf["opened_year"] = np.where(later, SURVEY_YEARS[1], opened).astype("int64")
    gdf["area_m2"] = gdf["area_m2"].astype(float)
    cols = [
        "facility_id",
        "type",
        "name",
        "district_adcode",
        "capacity",
        "opened_year",
        "area_m2",
        "geometry",
    ]
    out = pd.concat([fac.assign(area_m2=np.nan), gdf[cols]], ignore_index=True)
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=fac.crs)


# ------------------------------------------------------------------------------------------ parcels

PARCEL_MIX = {"老旧小区": 260, "城中村": 60, "老旧厂区": 50, "危旧房": 45, "预制板房屋": 40, "低效用地": 45}
STATUS_P = {"储备": 0.45, "谋划": 0.25, "立项": 0.14, "实施": 0.10, "完工": 0.06}


def parcels(ctx: _Ctx, comp: gpd.GeoDataFrame, other: list[tuple]) -> gpd.GeoDataFrame:
    """About 500 renewal parcels of the six DOMAIN.md §3 types (metric CRS).

    老旧小区 and 预制板房屋 are drawn from pre-2000 compounds (same polygon, households and parking); the other
    types lie on non-residential blocks (危旧房: inside old-core compounds; 城中村/低效用地 at the fringe).
    Attributes (danger grade, decision, status, budget) follow :func:`_parcel_attributes`.
    """
    rows = _compound_parcels(ctx, comp)
    rows += _free_parcels(ctx, comp, other, taken=[r["geometry"] for r in rows])
    gdf = gpd.GeoDataFrame(rows, crs=ANALYSIS_CRS)
    gdf = _parcel_attributes(ctx, gdf[_valid_in_degrees(gdf)].reset_index(drop=True))
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
    ctx: _Ctx, comp: gpd.GeoDataFrame, other: list[tuple], *, taken: list[Polygon]
) -> list[dict]:
    """城中村, 老旧厂区, 低效用地 parcel rows on non-residential blocks, and 危旧房 inside old compounds.

    城中村 (irregular outlines) and 低效用地 lie towards the fringe (density < 0.55), 老旧厂区 anywhere but most
    often in the old industrial south (青云谱); 危旧房 are small buildings (50–110 m) in old-core compounds
    that are not renewal parcels themselves. Sizes in metres; nothing overlaps an earlier parcel.
    """
    rng = np.random.default_rng([ctx.seed, 8])
    rows: list[dict] = []
    dtree = ctx.districts
    free = list(range(len(other)))
    order = rng.permutation(len(free))
    cent = np.array([[b.centroid.x, b.centroid.y] for b, _ in other]) if other else np.zeros((0, 2))
    centre_k, _ = ctx.centre_of(cent) if len(cent) else (np.array([], int), None)
    used: set[int] = set()

    def district(geom) -> int:
        hit = _containing(
            gpd.GeoSeries([geom.representative_point()]),
            dtree.assign(a=dtree["adcode"].astype(object)),
            "a",
            default=360102,
        )
        return int(hit[0])

    for ptype, year_range in (
        ("城中村", (1980, 2005)),
        ("老旧厂区", (1958, 1995)),
        ("低效用地", (1990, 2012)),
    ):
        made = 0
        for k in order:
            if made >= PARCEL_MIX[ptype]:
                break
            if k in used:
                continue
            block, d = other[k]
            era = CENTRES[centre_k[k]][5]
            if ptype in ("城中村", "低效用地") and d > 0.55:
                continue
            if ptype == "老旧厂区" and era not in ("industrial", "old", "mixed"):
                continue
            inset = _polygons_only(block.buffer(-12, join_style="mitre"))
            if inset is None or inset.area < 8000:
                continue
            if ptype == "城中村":
                c = inset.centroid
                ang = np.sort(rng.uniform(0, 2 * np.pi, 11))
                rad = math.sqrt(inset.area) * rng.uniform(0.45, 0.75, 11)
                blob = Polygon(np.column_stack([c.x + rad * np.cos(ang), c.y + rad * np.sin(ang)])).buffer(0)
                poly = _polygons_only(inset.intersection(blob))
            elif ptype == "低效用地" and inset.area > 6e4:
                poly = _split(inset, 2, rng, gap_m=10)[0]
            else:
                poly = inset
            poly = _clean(poly)
            if poly is None or poly.area < 5000 or not poly.is_valid:
                continue
            if any(poly.intersects(t) for t in taken[-200:]):
                continue
            used.add(k)
            taken.append(poly)
            households = int(poly.area / (60 if ptype == "城中村" else 10_000))
            rows.append(
                {
                    "parcel_type": ptype,
                    "geometry": poly,
                    "district_adcode": district(poly),
                    "build_year": int(rng.integers(*year_range)),
                    "households": households,
                    "parking_shortage": int(households * rng.uniform(0.2, 0.5)) if households else 0,
                }
            )
            made += 1
    taken_tree = STRtree(taken)
    old = comp[(comp["build_year"] < 1995) & (comp["density"] > 0.55)]
    old = old[[len(taken_tree.query(g, predicate="intersects")) == 0 for g in old.geometry]]
    made = 0
    for i in rng.permutation(len(old)):
        if made >= PARCEL_MIX["危旧房"]:
            break
        host = old.geometry.iloc[i]
        s = rng.uniform(50, 110)
        p = _sample_in(ctx, host, 1, weighted=False)[0]
        ring = np.asarray(shapely.oriented_envelope(host).exterior.coords)
        angle = math.degrees(math.atan2(ring[1][1] - ring[0][1], ring[1][0] - ring[0][0]))
        poly = affinity.rotate(box(p[0] - s / 2, p[1] - s * 0.3, p[0] + s / 2, p[1] + s * 0.3), angle)
        if not host.contains(poly):
            continue
        rows.append(
            {
                "parcel_type": "危旧房",
                "geometry": poly,
                "district_adcode": district(poly),
                "build_year": int(rng.integers(1960, 1990)),
                "households": int(poly.area / 45),
                "parking_shortage": int(poly.area / 45 * rng.uniform(0.2, 0.5)),
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


# ------------------------------------------------------------------------------------------ project library

#: the seeded project library: projects per category (geodata.stores.CATEGORIES) and the parcel type each
#: is tied to (one project per parcel, as the store requires)
PROJECT_MIX = {
    "老旧小区改造": ("老旧小区", 18),
    "危旧房改造": ("危旧房", 7),
    "预制板治理": ("预制板房屋", 6),
    "城中村改造": ("城中村", 5),
    "老旧厂区改造": ("老旧厂区", 5),
    "低效用地再开发": ("低效用地", 5),
    "停车设施": ("低效用地", 5),
    "地下管网": ("老旧小区", 4),
    "完整社区配套": ("老旧小区", 5),
}
PROJECT_STATUS_MIX = {"储备": 8, "谋划": 12, "立项": 12, "实施": 16, "完工": 12}
#: end years of the 完工 projects: four finished between the 2025 and the 2026 survey (复查 shows them)
COMPLETED_END_YEARS = (2023, 2023, 2024, 2024, 2024, 2025, 2025, 2025, 2026, 2026, 2026, 2026)
#: 城市体检 indicators (geodata/indicators.toml keys) a project of the category addresses, in preference order
PROBLEM_INDICATORS = {
    "老旧小区改造": ("old_housing_share", "parking_per_household"),
    "危旧房改造": ("dangerous_housing",),
    "预制板治理": ("precast_slab",),
    "停车设施": ("parking_per_household",),
    "完整社区配套": ("kindergarten_cov", "elderly_daycare_cov"),
}
N_PROBLEM_LINKS = 20
OWNER_DEPARTMENT = {"停车设施": "城市管理局", "地下管网": "水务局", "完整社区配套": "民政局"}
#: names of projects whose category is not a parcel type (the parcel is where the works happen)
WORKS_NAME = {
    "停车设施": "立体停车场建设",
    "地下管网": "片区雨污分流改造",
    "完整社区配套": "一老一小服务设施补短板",
}
#: the store's fields (geodata.stores COLUMNS accepted by create()); project_id is the demo's own key
PROJECT_COLUMNS = (
    "project_id",
    "parcel_id",
    "name",
    "category",
    "status",
    "decision",
    "budget_wan",
    "start_year",
    "end_year",
    "owner_unit",
    "notes",
    "district_adcode",
    "geometry_wkt",
)


def _project_years(rng: np.random.Generator, status: str, end_done: int | None) -> tuple[int, int]:
    """(start_year, end_year) of a project by status: 完工 ends in ``end_done``; 实施 began 2023–2026 and ends
    2026 or later; 立项 starts 2025–2026; 谋划 and 储备 are planned from 2026."""
    if status == "完工":
        return max(2021, end_done - int(rng.integers(1, 4))), end_done
    if status == "实施":
        start = int(rng.integers(2023, 2027))
        return start, max(2026, start + int(rng.integers(1, 4)))
    if status == "立项":
        start = int(rng.integers(2025, 2027))
        return start, start + int(rng.integers(1, 4))
    return 2026, 2026 + int(rng.integers(1, 5) if status == "谋划" else rng.integers(2, 5))


def _project_budget(rng: np.random.Generator, category: str, parcel: pd.Series) -> float:
    """Budget (万元): the parcel's estimate for the parcel-type categories; per works otherwise."""
    if category == "停车设施":
        return round(float(rng.uniform(800, 4500)), 1)
    if category == "地下管网":
        return round(float(parcel["households"] * rng.uniform(0.6, 1.2) + rng.uniform(200, 800)), 1)
    if category == "完整社区配套":
        return round(float(rng.uniform(300, 1500)), 1)
    return round(float(parcel["budget_wan"]), 1)


def projects(ctx: _Ctx, par: gpd.GeoDataFrame) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
    """About 60 seeded library projects, one per renewal parcel, and the parcels updated to match.

    Each project takes its parcel's id, outline (WKT, EPSG:4326), district and 留改拆 decision; the parcel's
    status becomes the project's, and a 完工 project's parcel gets ``completed_year`` = its end year.

    Returns
    -------
    (DataFrame, GeoDataFrame)
        Projects with :data:`PROJECT_COLUMNS` (ids ``P2026-0001`` …, the order the store would number them
        when seeded into an empty library in 2026), and the parcels.
    """
    rng = np.random.default_rng([ctx.seed, 9])
    par = par.copy()
    statuses = [s for s, n in PROJECT_STATUS_MIX.items() for _ in range(n)]
    statuses = list(rng.permutation(statuses))
    done_years = list(COMPLETED_END_YEARS)
    wkt = shapely.to_wkt(par.to_crs(DISPLAY_CRS).geometry.values, rounding_precision=6)
    used: set[int] = set()
    rows = []
    for category, (ptype, n) in PROJECT_MIX.items():
        pool = [i for i in np.flatnonzero(par["parcel_type"].to_numpy() == ptype) if i not in used]
        pool = sorted(pool, key=lambda i: -float(par["households"].iloc[i]))[: 3 * n]
        for i in rng.choice(pool, size=min(n, len(pool)), replace=False):
            i = int(i)
            used.add(i)
            p = par.iloc[i]
            status = statuses.pop() if statuses else "储备"
            start, end = _project_years(rng, status, done_years.pop() if status == "完工" else None)
            adcode = int(p["district_adcode"])
            name = p["name"] if category not in WORKS_NAME else ctx.name(WORKS_NAME[category])
            rows.append(
                {
                    "parcel_id": p["parcel_id"],
                    "name": name,
                    "category": category,
                    "status": status,
                    "decision": p["decision"],
                    "budget_wan": _project_budget(rng, category, p),
                    "start_year": start,
                    "end_year": end,
                    "owner_unit": f"{DISTRICTS.get(adcode, '')}{OWNER_DEPARTMENT.get(category, '住房和城乡建设局')}（示例）",
                    "notes": "示例数据（合成）：由种子脚本生成，非真实项目",
                    "district_adcode": adcode,
                    "geometry_wkt": str(wkt[i]),
                    "_row": i,
                }
            )
    df = pd.DataFrame(rows).sort_values(["start_year", "parcel_id"], kind="stable").reset_index(drop=True)
    df.insert(0, "project_id", [f"P2026-{k + 1:04d}" for k in range(len(df))])
    status = par["status"].to_numpy(dtype=object)
    completed = par["completed_year"].to_numpy().copy()
    for i, st, end in zip(df["_row"], df["status"], df["end_year"]):
        status[i] = st
        completed[i] = end if st == "完工" else 0
    par["status"] = status
    par["completed_year"] = completed.astype("int64")
    return df.drop(columns="_row")[list(PROJECT_COLUMNS)], par


def problem_links(
    ctx: _Ctx,
    proj: pd.DataFrame,
    par: gpd.GeoDataFrame,
    comp: gpd.GeoDataFrame,
    cells: gpd.GeoDataFrame,
    fac: gpd.GeoDataFrame,
    comms: gpd.GeoDataFrame,
    *,
    year: int = SURVEY_YEARS[1],
) -> pd.DataFrame:
    """Links (problem_id, project_id) from open projects to 城市体检 problems the ``year`` survey reports.

    The failing indicators are recomputed here from the generated layers, the way layers/healthcheck.py
    evaluates them at community level (geodata/ may not import layers/): 2000-before households share
    > 0.30, parking < 0.6 per household, grade C/D or precast-slab parcels not completed by ``year``, and
    300 m kindergarten / day-care coverage < 90 %. Only clear failures are linked (share ≥ 0.33, parking
    ≤ 0.55, coverage ≤ 0.8) so rounding in a reader cannot turn a link into a link to nothing. Problem ids
    follow layers.healthcheck.problems(): ``"<year>|community|<community_id>|<indicator>"``.
    """
    hh = comp.groupby("community_id")["households"].sum()
    old_share = (
        comp[comp["build_year"] < 2000]
        .groupby("community_id")["households"]
        .sum()
        .reindex(hh.index, fill_value=0)
        / hh
    )
    parking = comp.groupby("community_id")["parking_spaces"].sum() / hh
    open_par = par[(par["completed_year"] <= 0) | (par["completed_year"] > year)]
    par_comm = pd.Series(
        _containing(par.geometry.representative_point(), comms, "community_id"), index=par.index
    )
    dangerous = set(par_comm[open_par.index[open_par["danger_grade"].isin(["C", "D"])]]) - {""}
    precast = set(par_comm[open_par.index[open_par["precast_slab"].astype(bool)]]) - {""}
    cxy = shapely.get_coordinates(cells.geometry.values)
    pop = cells["population"].to_numpy(float)
    coverage = {}
    for ftype in ("kindergarten", "elderly_daycare"):
        f = fac[(fac["type"] == ftype) & (fac["opened_year"] <= year)]
        d, _ = cKDTree(shapely.get_coordinates(f.geometry.values)).query(cxy)
        served = pd.Series(np.where(d <= 300.0, pop, 0.0)).groupby(cells["community_id"].to_numpy()).sum()
        coverage[f"{ftype}_cov"] = served / pd.Series(pop).groupby(cells["community_id"].to_numpy()).sum()

    def failing(indicator: str, community: str) -> bool:
        if indicator == "old_housing_share":
            return float(old_share.get(community, 0.0)) >= 0.33
        if indicator == "parking_per_household":
            return float(parking.get(community, 1.0)) <= 0.55
        if indicator == "dangerous_housing":
            return community in dangerous
        if indicator == "precast_slab":
            return community in precast
        return float(coverage[indicator].get(community, 1.0)) <= 0.8

    by_parcel = par_comm.set_axis(par["parcel_id"].to_numpy())
    links = []
    for r in proj.itertuples():
        if r.status == "完工" or len(links) >= N_PROBLEM_LINKS:
            continue
        community = by_parcel.get(r.parcel_id, "")
        for indicator in PROBLEM_INDICATORS.get(r.category, ()):
            if community and failing(indicator, community):
                links.append(
                    {"problem_id": f"{year}|community|{community}|{indicator}", "project_id": r.project_id}
                )
                break
    return pd.DataFrame(links, columns=["problem_id", "project_id"])


# ------------------------------------------------------------------------------------------ writing


def _write(
    gpkg: Path,
    layers: dict[str, gpd.GeoDataFrame],
    tables: dict[str, pd.DataFrame],
    metadata: dict[str, str],
) -> None:
    """Write the spatial layers (reprojected to EPSG:4326), the attribute ``tables`` (no geometry) and the
    key/value ``metadata`` table; attribute tables are registered in gpkg_contents so GDAL lists them."""
    for name, gdf in layers.items():
        gdf.to_crs(DISPLAY_CRS).to_file(gpkg, layer=name, driver="GPKG")
    sql_type = {"i": "INTEGER", "u": "INTEGER", "f": "REAL", "b": "INTEGER"}
    with sqlite3.connect(gpkg) as con:
        tables = {"metadata": pd.DataFrame(sorted(metadata.items()), columns=["key", "value"])} | tables
        for name, df in tables.items():
            cols = ", ".join(f'"{c}" {sql_type.get(df[c].dtype.kind, "TEXT")}' for c in df.columns)
            pk = " PRIMARY KEY" if name == "metadata" else ""
            con.execute(f'CREATE TABLE "{name}" ({cols.replace("TEXT", "TEXT" + pk, 1) if pk else cols})')
            marks = ", ".join("?" * len(df.columns))
            values = [
                tuple(v.item() if hasattr(v, "item") else v for v in row)
                for row in df.itertuples(index=False)
            ]
            con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', values)
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (?, 'attributes', ?)",
                (name, name),
            )


def generate(out_path: str | Path = DEMO_GPKG, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Build the demo workspace GeoPackage at ``out_path`` (atomically) and return feature counts.

    Parameters
    ----------
    out_path : str or Path
        Target ``.gpkg``; written atomically (:func:`geodata.atomic.atomic_path`).
    seed : int
        Seed of the ``numpy`` PCG64 generators; the same seed gives identical layers.

    Returns
    -------
    dict
        Feature count per layer and table, plus ``population`` (total residents in the 100 m cells).

    Notes
    -----
    Besides the schema layers (geodata/schema.py) the file holds ``water`` (赣江 and lakes, polygons),
    ``demo_projects`` (the seeded project library, the fields ``ProjectStore.create`` accepts plus the demo's
    ``project_id``) and ``demo_problem_links`` (problem_id, project_id) — the workspace loader ignores them.
    """
    out_path = Path(out_path)
    ctx = _Ctx(seed)
    urban = urban_extent(ctx)
    subs, comms = partitions(ctx, urban)
    st, blocks = streets_and_blocks(ctx, urban)
    comp, other = compounds(ctx, blocks, comms)
    cells = population_cells(ctx, comp, urban, comms)
    fac = facilities(ctx, cells)
    par = parcels(ctx, comp, other)
    proj, par = projects(ctx, par)
    links = problem_links(ctx, proj, par, comp, cells, fac, comms)
    comp, cells = age_groups(seed, comp, cells)
    fac = complete_community_facilities(seed, ctx, fac, comp, cells)
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
                *AGE_COLUMNS,
                "geometry",
            ]
        ],
        "population_cells": cells[
            ["cell_id", "population", "elderly", "district_adcode", "community_id", *AGE_COLUMNS, "geometry"]
        ],
        "facilities": fac,
        "streets": st,
        "parcels": par,
        "water": ctx.water,
    }
    tables = {"demo_projects": proj, "demo_problem_links": links}
    metadata = {
        "synthetic": "true",
        "seed": str(seed),
        "generator": "geodata/demo/generate.py",
        "cell_size_m": str(int(CELL_M)),
        "city": "南昌市中心城区",
        "survey_years": ",".join(str(y) for y in SURVEY_YEARS),
        "extra_layers": "water,demo_projects,demo_problem_links",
        "description_zh": "示例数据（合成）：南昌市中心城区，由种子脚本生成，非真实统计；区界为真实行政区划，"
        "赣江沿真实区界走向，湖泊、路网、小区、设施与项目均为示意。",
        "description_en": "Synthetic demo data for central Nanchang generated by a seeded script; not statistics. "
        "District boundaries are real and the Gan River follows them; lakes, streets, compounds, facilities "
        "and projects are schematic.",
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_path) as tmp:
        _write(Path(tmp), layers, tables, metadata)
    counts = {name: len(gdf) for name, gdf in layers.items()} | {name: len(df) for name, df in tables.items()}
    return counts | {"population": int(cells["population"].sum())}


def main(argv: list[str] | None = None) -> int:
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
