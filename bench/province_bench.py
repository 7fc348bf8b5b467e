"""Province-scale batch coverage: `cli.py coverage` against a plain geopandas ``sjoin_nearest`` script.

Issue 19, goal 7. A synthetic province: population cells on a 100 m grid inside an ellipse the shape of
Jiangxi (semi-axes in the ratio of its 490 × 620 km extent, centred at ≈ 115.9°E 27.6°N), with a seeded
population per cell, and facilities uniformly spread over the same ellipse. Both files are GeoPackages in
EPSG:4326 (degrees, as population grids and POI exports come), point layers, written once per size and kept
in ``--workdir`` (the file's spatial index is not written: neither method uses it).

Both methods run as subprocesses on the same files with the same radii (300, 500, 1000 m) and write a CSV:

- ours: ``python cli.py coverage --facilities F --residents R --radius-m 300,500,1000 --out O.csv``;
- the plain script a GIS analyst would write: ``gpd.read_file`` → ``estimate_utm_crs`` → ``to_crs`` →
  ``gpd.sjoin_nearest(max_distance=largest radius)`` (once, the fair way) → one served column per radius →
  ``to_csv``.

Wall time and peak RSS of each child are measured with ``os.wait4`` (the child's own ``ru_maxrss``). The
served flags of both CSVs are compared cell by cell for every radius, and both last lines must be equal
(served population per radius and total). Printed: ``ratio_vs_sjoin_script_province`` (their time / ours,
goal ≥ 2) and ``memory_ratio_province`` (our peak / theirs, goal ≤ 0.5), with the absolute figures.

Goal 2: ``province_model_peak_mb`` is the peak RSS of a child process that builds the all-types coverage
model (:func:`layers.coverage.build_model`, every catalogue type, 500 facilities per type) for 2.7 M cells
(Jiangxi at 250 m) from GeoDataFrames — inputs included, the whole process (goal ≤ 2048 MB).

    python bench/province_bench.py            # 1.6 M cells × 20 k facilities (+ the 2.7 M-cell model)
    python bench/province_bench.py --full     # 16.7 M cells × 100 k facilities (Jiangxi at 100 m)
    python bench/province_bench.py --smoke    # tiny sizes for the test suite (no timing claims)
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RADII = (300.0, 500.0, 1000.0)
CELL_M = 100.0
CENTRE_UTM50 = (393_000.0, 3_055_000.0)  # ≈ 115.9°E 27.6°N in EPSG:32650
ASPECT = 620 / 490  # north-south / east-west extent of Jiangxi

SJOIN_SCRIPT = '''"""The plain geopandas way: read, project, sjoin_nearest once with max_distance, write."""
import sys

import geopandas as gpd

fac_path, res_path, out = sys.argv[1:4]
radii = [float(r) for r in sys.argv[4].split(",")]
res = gpd.read_file(res_path)
fac = gpd.read_file(fac_path)
crs = res.estimate_utm_crs()
res = res.to_crs(crs)
fac = fac.to_crs(crs)
j = gpd.sjoin_nearest(res, fac[["geometry"]], how="left", max_distance=max(radii), distance_col="distance_m")
j = j[~j.index.duplicated(keep="first")]  # ties give several rows per cell
cols = []
for r in radii:
    cols.append(f"served_{r:g}m")
    j[cols[-1]] = j["distance_m"] <= r
j.drop(columns=["geometry", "index_right"]).to_csv(out, index=False)
pop = j["population"].astype(float)
parts = [f"served_population_{r:g}m={int(round(pop[j[c]].sum()))}" for r, c in zip(radii, cols)]
print(" ".join([*parts, f"total_population={int(round(pop.sum()))}"]))
'''


def province_cells(n_cells: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Cell centres (EPSG:32650 metres) of a 100 m grid inside a Jiangxi-shaped ellipse of ≈ n_cells cells."""
    a = math.sqrt(n_cells * CELL_M**2 / (math.pi * ASPECT))  # east-west semi-axis (m)
    b = a * ASPECT
    cx, cy = CENTRE_UTM50
    xs = cx + np.arange(-a, a, CELL_M) + CELL_M / 2
    parts_x, parts_y = [], []
    for y in cy + np.arange(-b, b, CELL_M) + CELL_M / 2:
        inside = ((xs - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1.0
        row = xs[inside]
        parts_x.append(row)
        parts_y.append(np.full(len(row), y))
    return np.concatenate(parts_x), np.concatenate(parts_y)


def province_facilities(n_fac: int, n_cells: int, seed: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random facility points (EPSG:32650) inside the same ellipse."""
    a = math.sqrt(n_cells * CELL_M**2 / (math.pi * ASPECT))
    b = a * ASPECT
    rng = np.random.default_rng(seed)
    out = np.zeros((0, 2))
    while len(out) < n_fac:
        p = rng.uniform(-1, 1, (2 * n_fac, 2))
        p = p[(p**2).sum(axis=1) <= 1.0]
        out = np.vstack([out, p])
    out = out[:n_fac] * [a, b] + CENTRE_UTM50
    return out[:, 0], out[:, 1]


def write_points_gpkg(path: Path, x: np.ndarray, y: np.ndarray, columns: dict) -> None:
    """Write EPSG:32650 points to a GeoPackage in EPSG:4326 via Arrow (WKB built with numpy)."""
    import pyarrow as pa
    import pyogrio
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32650", "EPSG:4326", always_xy=True).transform(x, y)
    n = len(lon)
    rec = np.zeros(n, dtype=[("bo", "u1"), ("t", "<u4"), ("x", "<f8"), ("y", "<f8")])
    rec["bo"], rec["t"], rec["x"], rec["y"] = 1, 1, lon, lat
    offsets = pa.py_buffer(np.arange(0, 21 * (n + 1), 21, dtype=np.int32).tobytes())
    wkb = pa.Array.from_buffers(pa.binary(), n, [None, offsets, pa.py_buffer(rec.tobytes())])
    table = pa.table({**{k: pa.array(v) for k, v in columns.items()}, "geom": wkb})
    tmp = path.with_suffix(".part.gpkg")
    tmp.unlink(missing_ok=True)
    pyogrio.write_arrow(
        table,
        tmp,
        layer=path.stem,
        driver="GPKG",
        geometry_name="geom",
        geometry_type="Point",
        crs="EPSG:4326",
        layer_options={"SPATIAL_INDEX": "NO"},
    )
    tmp.rename(path)


def make_inputs(workdir: Path, n_cells: int, n_fac: int) -> tuple[Path, Path, int]:
    """Write (or reuse) the residents and facilities GeoPackages; returns their paths and the cell count."""
    workdir.mkdir(parents=True, exist_ok=True)
    res_path = workdir / f"cells_{n_cells}.gpkg"
    fac_path = workdir / f"facilities_{n_fac}_{n_cells}.gpkg"
    x, y = province_cells(n_cells)
    if not res_path.exists():
        rng = np.random.default_rng(9)
        pop = np.round(rng.gamma(0.6, 40.0, len(x)), 1)  # skewed like a population grid; many near zero
        write_points_gpkg(res_path, x, y, {"cell_id": np.arange(len(x), dtype=np.int64), "population": pop})
    if not fac_path.exists():
        fx, fy = province_facilities(n_fac, n_cells)
        kinds = np.array(["kindergarten", "primary_school", "health_station", "market"])
        write_points_gpkg(fac_path, fx, fy, {"type": kinds[np.arange(n_fac) % len(kinds)]})
    return res_path, fac_path, len(x)


def measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run a child process; return (wall seconds, its own peak RSS in MB, its stdout)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage (ru_maxrss in KB on Linux)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:4])} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024, stdout


def served_flags(csv_path: Path) -> dict[str, np.ndarray]:
    """The served_*m columns of a coverage CSV as bool arrays (read with pyarrow, only those columns)."""
    import pyarrow.csv as pacsv

    names = [f"served_{r:g}m" for r in RADII]
    table = pacsv.read_csv(csv_path, convert_options=pacsv.ConvertOptions(include_columns=names))
    return {c: table.column(c).to_numpy() for c in names}


def model_child(n_cells: int, n_fac_per_type: int, size_m: float) -> int:
    """Child process of the goal-2 check: build the all-types model for n_cells and print the figures."""
    from bench.coverage_bench import _synthetic_workspace
    from geodata.catalogue import load_catalogue
    from layers.coverage import build_model

    cat = load_catalogue()
    types = list(cat.types)
    residents, facilities = _synthetic_workspace(n_cells, n_fac_per_type, types, size_m)
    rss_inputs = _rss_mb()
    t0 = time.perf_counter()
    model = build_model(residents, facilities, catalogue=cat)
    print(f"types={len(types)} built_s={time.perf_counter() - t0:.2f} inputs_rss_mb={rss_inputs:.0f}")
    print(f"kept_mb={sum(a.nbytes for a in model.distance_m.values()) / 2**20:.0f}")
    return 0


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def compare(n_cells: int, n_fac: int, workdir: Path) -> dict:
    """Run both methods on the same synthetic province; check the answers; return the figures."""
    t0 = time.perf_counter()
    res_path, fac_path, n = make_inputs(workdir, n_cells, n_fac)
    print(
        f"inputs: {n:,} cells x {n_fac:,} facilities ({res_path.stat().st_size / 2**20:,.0f} MB GeoPackage, "
        f"EPSG:4326), ready in {time.perf_counter() - t0:.1f} s"
    )
    radii = ",".join(f"{r:g}" for r in RADII)
    ours_csv, theirs_csv = workdir / "ours.csv", workdir / "sjoin.csv"
    script = workdir / "sjoin_script.py"
    script.write_text(SJOIN_SCRIPT, encoding="utf-8")
    load0 = os.getloadavg()
    ours = measured(
        [sys.executable, "cli.py", "coverage", "--facilities", str(fac_path), "--residents", str(res_path)]
        + ["--radius-m", radii, "--out", str(ours_csv)]
    )
    theirs = measured([sys.executable, str(script), str(fac_path), str(res_path), str(theirs_csv), radii])
    load1 = os.getloadavg()
    ours_last, theirs_last = ours[2].strip().splitlines()[-1], theirs[2].strip().splitlines()[-1]
    print(f"ours:   {ours_last}\n        {ours[2].strip().splitlines()[0]}")
    print(f"sjoin:  {theirs_last}")
    assert ours_last == theirs_last, "served population differs between the CLI and the sjoin_nearest script"
    a, b = served_flags(ours_csv), served_flags(theirs_csv)
    for col in a:
        assert np.array_equal(a[col], b[col]), f"{col} differs cell by cell"
    print(f"answers equal: served flags identical for all {n:,} cells at {radii} m, same last line")
    ours_csv.unlink()
    theirs_csv.unlink()
    print(
        f"ours {ours[0]:.1f} s, peak {ours[1]:,.0f} MB; sjoin_nearest script {theirs[0]:.1f} s, peak "
        f"{theirs[1]:,.0f} MB; load average {load0[0]:.2f} -> {load1[0]:.2f} on {os.cpu_count()} cores"
    )
    return {
        "cells": n,
        "facilities": n_fac,
        "ours_s": ours[0],
        "ours_peak_mb": ours[1],
        "sjoin_script_s": theirs[0],
        "sjoin_script_peak_mb": theirs[1],
        "ratio_vs_sjoin_script_province": theirs[0] / ours[0],
        "memory_ratio_province": ours[1] / theirs[1],
    }


def model_peak(n_cells: int, n_fac_per_type: int, size_m: float) -> dict:
    """Goal 2: the peak RSS of a process that builds the all-types model for n_cells (inputs included)."""
    wall, peak, out = measured(
        [
            sys.executable,
            "bench/province_bench.py",
            "--model-child",
            str(n_cells),
            str(n_fac_per_type),
            str(size_m),
        ]
    )
    print(f"model: {n_cells:,} cells, {out.strip().replace(chr(10), ' ')}; process peak {peak:,.0f} MB")
    return {"province_model_cells": n_cells, "province_model_peak_mb": peak}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--smoke", action="store_true", help="tiny sizes (test suite)")
    size.add_argument("--full", action="store_true", help="16.7 M cells x 100 k facilities")
    ap.add_argument("--workdir", type=Path, default=None, help="where inputs are written and kept")
    ap.add_argument("--no-model", action="store_true", help="skip the 2.7 M-cell model memory check")
    ap.add_argument("--model-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.model_child:
        n, k, size_m = args.model_child
        return model_child(int(n), int(k), float(size_m))
    if args.smoke:
        n_cells, n_fac, model = 20_000, 300, (20_000, 20, 14_000.0)
    elif args.full:
        n_cells, n_fac, model = 16_700_000, 100_000, (2_700_000, 500, 410_000.0)
    else:
        n_cells, n_fac, model = 1_600_000, 20_000, (2_700_000, 500, 410_000.0)
    if args.workdir is not None:
        figures = compare(n_cells, n_fac, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="province_bench_") as tmp:
            figures = compare(n_cells, n_fac, Path(tmp))
    if not args.no_model:
        figures |= model_peak(*model)
    for k, v in figures.items():
        print(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
