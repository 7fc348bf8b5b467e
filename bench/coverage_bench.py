"""Coverage benchmark: naive buffer → union → spatial join vs the engine (KD-tree, distance once).

Synthetic city 40 × 40 km in a metric CRS, 10,000 facilities, 160,000 population cells (100 m grid),
radii 300 / 500 / 1000 m; both methods run on the same data in one run. The naive served set must equal
the engine's up to the buffer approximation: shapely buffers (quad_segs=8) are inscribed polygons that
fall short of the true circle by at most r·(1 − cos(π/32)) ≈ 0.48 % of r (4.8 m at 1 km), so residents
whose exact distance lies in (r − that, r] may be missed by the naive method; nothing else may differ.

    python bench/coverage_bench.py            # full run, last line: ratio=<naive_seconds/engine_seconds>
    python bench/coverage_bench.py --large    # also engine time and peak memory at 1.6 M cells
    python bench/coverage_bench.py --smoke    # tiny run for the test suite
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from layers.coverage import nearest_distance_m  # noqa: E402

CRS = "EPSG:32650"
RADII = (300.0, 500.0, 1000.0)
QUAD_SEGS = 8


def synthetic_city(size_m: float, cell_m: float, n_facilities: int, seed: int = 1):
    rng = np.random.default_rng(seed)
    xs = np.arange(cell_m / 2, size_m, cell_m)
    gx, gy = np.meshgrid(xs, xs)
    res_xy = np.column_stack([gx.ravel(), gy.ravel()])
    # population: denser towards the centre, some empty cells
    r = np.hypot(res_xy[:, 0] - size_m / 2, res_xy[:, 1] - size_m / 2)
    pop = np.round(rng.gamma(2.0, 60.0, len(res_xy)) * np.exp(-r / (size_m / 3)))
    fac_xy = rng.uniform(0, size_m, (n_facilities, 2))
    return res_xy, pop, fac_xy


def naive_served(res_xy, pop, fac_xy, radius_m):
    residents = gpd.GeoDataFrame({"population": pop}, geometry=shapely.points(res_xy), crs=CRS)
    union = shapely.union_all(shapely.buffer(shapely.points(fac_xy), radius_m, quad_segs=QUAD_SEGS))
    area = gpd.GeoDataFrame(geometry=[union], crs=CRS)
    joined = gpd.sjoin(residents, area, predicate="within", how="inner")
    mask = np.zeros(len(res_xy), dtype=bool)
    mask[joined.index.to_numpy()] = True
    return mask


def run(size_m, cell_m, n_fac, radii=RADII):
    res_xy, pop, fac_xy = synthetic_city(size_m, cell_m, n_fac)
    print(f"residents={len(res_xy):,} facilities={n_fac:,} area={size_m / 1000:.0f}x{size_m / 1000:.0f} km")
    t0 = time.perf_counter()
    dist, _ = nearest_distance_m(res_xy, fac_xy)  # once: radius changes are comparisons
    engine = {r: dist <= r for r in radii}
    t_engine = time.perf_counter() - t0
    t_naive = 0.0
    for r in radii:
        t1 = time.perf_counter()
        naive = naive_served(res_xy, pop, fac_xy, r)
        dt = time.perf_counter() - t1
        t_naive += dt
        tol = r * (1 - math.cos(math.pi / (4 * QUAD_SEGS)))
        extra = engine[r] & ~naive
        assert not (naive & ~engine[r]).any(), "naive found residents beyond the radius"
        assert (dist[extra] > r - tol - 1e-6).all(), "difference beyond the buffer approximation"
        print(
            f"r={r:.0f} m: naive {dt:.2f} s, served naive={pop[naive].sum():,.0f} engine={pop[engine[r]].sum():,.0f}"
            f" (diff {pop[extra].sum():,.0f} people in cells within {tol:.1f} m inside the radius)"
        )
    print(f"engine (all radii) {t_engine:.3f} s, naive (all radii) {t_naive:.2f} s")
    return t_naive, t_engine


def large(n=1_600_000, n_fac=10_000):
    rng = np.random.default_rng(2)
    res_xy = rng.uniform(0, 126_000, (n, 2))
    fac_xy = rng.uniform(0, 126_000, (n_fac, 2))
    t0 = time.perf_counter()
    dist, _ = nearest_distance_m(res_xy, fac_xy)
    served = {r: int((dist <= r).sum()) for r in RADII}
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"large: {n:,} cells x {n_fac:,} facilities: engine {dt:.2f} s, peak RSS {peak_mb:,.0f} MB, {served}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--large", action="store_true")
    args = ap.parse_args(argv)
    if args.smoke:
        t_naive, t_engine = run(4_000, 100.0, 200)
    else:
        t_naive, t_engine = run(40_000, 100.0, 10_000)
        if args.large:
            large()
    print(f"ratio={t_naive / t_engine:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
