"""Own-city benchmark: the time from ``workspace new`` to a first coverage figure, through the CLI.

Makes (in a temp folder) a WorldPop-style population GeoTIFF over the chosen place (EPSG:4326, ``--cell-deg``
cells, random 0–49 persons, a nodata border) and a CSV of kindergartens at random points inside it, then times
each command as a planner runs it (a new Python process each):

1. ``cli.py workspace new --adcode A --out W.gpkg``
2. ``cli.py import kindergartens.csv --as facilities --workspace W.gpkg``
3. ``cli.py import worldpop.tif --as population --workspace W.gpkg``
4. ``cli.py coverage --workspace W.gpkg --out coverage.xlsx``

and prints one ``<step>_s=<seconds>`` line per step, then ``cells=``, ``total_population=`` and, last,
``own_city_seconds=<total>``. The population
total printed by the import is checked against the raster sum over cells whose centre lies in the boundary.

    python bench/own_city_bench.py [--adcode 360702] [--cell-deg 0.001] [--facilities 40]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _inputs(folder: Path, adcode: int, cell_deg: float, n_fac: int, seed: int = 1):
    import geopandas as gpd
    import rasterio
    import shapely
    from affine import Affine

    from geodata.workspace_new import districts_for_adcode

    districts, _ = districts_for_adcode(adcode)
    minx, miny, maxx, maxy = districts.total_bounds
    w, h = int((maxx - minx) / cell_deg) + 3, int((maxy - miny) / cell_deg) + 3
    rng = np.random.default_rng(seed)
    grid = rng.integers(0, 50, size=(h, w)).astype("float32")
    grid[0, :] = -1  # a nodata row
    t = Affine(cell_deg, 0, minx - cell_deg, 0, -cell_deg, maxy + cell_deg)
    tif = folder / "worldpop.tif"
    with rasterio.open(
        tif,
        "w",
        driver="GTiff",
        height=h,
        width=w,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=t,
        nodata=-1,
        compress="deflate",
    ) as dst:
        dst.write(grid, 1)
    # the expected total: raster sum over cells whose centre lies in a district (shapely, independent of the import)
    rows, cols = np.nonzero(grid > 0)
    xs, ys = minx - cell_deg + cell_deg * (cols + 0.5), maxy + cell_deg - cell_deg * (rows + 0.5)
    union = shapely.union_all(districts.geometry.to_numpy())
    shapely.prepare(union)
    inside = shapely.contains_xy(union, xs, ys)
    expected = float(grid[rows[inside], cols[inside]].astype("float64").sum())
    pts = []
    while len(pts) < n_fac:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(union, x, y):
            pts.append((x, y))
    csv = folder / "kindergartens.csv"
    pd.DataFrame(
        {
            "名称": [f"幼儿园{i}" for i in range(n_fac)],
            "类别": "幼儿园",
            "lng": [p[0] for p in pts],
            "lat": [p[1] for p in pts],
        }
    ).to_csv(csv, index=False)
    return tif, csv, expected, int(inside.sum()), gpd


def _run(*args) -> tuple[float, str]:
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "cli.py", *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))} failed ({p.returncode}): {p.stderr[-2000:]}")
    return dt, p.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--adcode", type=int, default=360702)
    ap.add_argument(
        "--cell-deg", type=float, default=0.001, help="raster cell size in degrees (0.001 ≈ 100 m)"
    )
    ap.add_argument("--facilities", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tif, csv, expected, n_inside, _ = _inputs(folder, args.adcode, args.cell_deg, args.facilities)
        ws, out = folder / "city.gpkg", folder / "coverage.xlsx"
        steps = [
            ("workspace_new", ("workspace", "new", "--adcode", args.adcode, "--out", ws)),
            ("import_facilities", ("import", csv, "--as", "facilities", "--workspace", ws)),
            ("import_population", ("import", tif, "--as", "population", "--workspace", ws)),
            ("coverage", ("coverage", "--workspace", ws, "--out", out)),
        ]
        total_s, lines = 0.0, {}
        for name, cmd in steps:
            dt, last = _run(*cmd)
            total_s += dt
            lines[name] = last
            print(f"  {name}: {last}")
            print(f"{name}_s={dt:.2f}")
        got = int(lines["import_population"].split("total_population=")[1].split()[0])
        assert got == round(expected), (got, expected)
        print(
            f"adcode {args.adcode}: total population {got:,} (raster sum inside the boundary {round(expected):,})"
        )
        print(f"cells={n_inside}")
        print(f"total_population={got}")
        print(f"own_city_seconds={total_s:.1f}")


if __name__ == "__main__":
    main()
