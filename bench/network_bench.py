"""Walking-network benchmark: the coverage model vs one bare scipy multi-source Dijkstra vs networkx.

Two cases, one run: the demo city's streets, resident cells and facilities (every catalogue type, each
search stopped at the type's radius) and a synthetic grid of straight streets that cross without shared
vertices (≥ 200 k edges after noding). All three methods use the same noded graph and the same snapping
onto segments (``StreetNetwork.snap``); the graph build is timed apart. Timed:

- ours: ``layers.coverage.build_model(mode="network")`` — every type, residents snapped once;
- scipy: a bare loop — snap residents once, per type the facilities' shortest access walk per node, one
  ``scipy.sparse.csgraph.dijkstra`` from a virtual source with ``limit`` = the radius, min over both ends,
  the same-segment walk;
- networkx: the same, with ``nx.single_source_dijkstra_path_length(cutoff=radius)`` from a virtual source
  (graph conversion timed apart).

Times are the best CPU seconds of this process over three runs (networkx: one run): every method is
single-threaded, and on a shared machine wall time mostly measures the neighbours. The three distance
arrays are checked equal (``inf`` in the same places, finite ones within 1e-6 m).
Last two lines: ``overhead_vs_scipy=<ours / scipy>`` (goal ≤ 1.5) and ``ratio_vs_networkx=<networkx /
ours>`` (goal ≥ 5), the worse of the two cases.

    python bench/network_bench.py            # demo + 320 × 320 grid, 140,000 residents
    python bench/network_bench.py --smoke    # tiny grid and a demo subset, for the test suite
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geodata.catalogue import load_catalogue  # noqa: E402
from layers.coverage import build_model  # noqa: E402
from layers.network import build_network  # noqa: E402

CRS = "EPSG:32650"
DEMO = Path(__file__).resolve().parent.parent / "geodata" / "demo" / "nanchang_demo.gpkg"


def _best(fn, repeat):
    """Best CPU seconds of this process over ``repeat`` runs (the machine is shared: wall time is noisy)."""
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def _source(net, fs):
    best = np.full(net.n_nodes, np.inf)
    np.minimum.at(best, fs.node_a, fs.to_a_m)
    np.minimum.at(best, fs.node_b, fs.to_b_m)
    tg = np.flatnonzero(np.isfinite(best))
    return tg, best[tg]


def _finish(rs, fs, nd, radius, n_edges):
    d = np.minimum(rs.to_a_m + nd[rs.node_a], rs.to_b_m + nd[rs.node_b])
    on_edge = np.zeros(n_edges, dtype=np.int64)
    np.add.at(on_edge, fs.edge, 1)
    who = np.flatnonzero(on_edge[rs.edge])
    if len(who):
        order = np.argsort(fs.edge)
        lo = np.searchsorted(fs.edge[order], rs.edge[who])
        cnt = on_edge[rs.edge[who]]
        for k in range(int(cnt.max())):
            w, f = who[cnt > k], order[lo[cnt > k] + k]
            d[w] = np.minimum(d[w], rs.access_m[w] + np.abs(rs.along_m[w] - fs.along_m[f]) + fs.access_m[f])
    d[d > radius] = np.inf
    return d


def bare_scipy(net, res_xy, fac_xy, radius):
    """Snap once, one scipy Dijkstra per type from a virtual source, limit = radius."""
    rs = net.snap(res_xy)
    every = net.snap(np.concatenate([np.zeros((0, 2)), *fac_xy.values()]))
    start = np.cumsum([0] + [len(f) for f in fac_xy.values()])
    g = net.graph
    n = net.n_nodes
    out = {}
    for k, (t, fxy) in enumerate(fac_xy.items()):
        if len(fxy) == 0:
            out[t] = np.full(len(res_xy), np.inf)
            continue
        fs = every.take(np.arange(start[k], start[k + 1]))
        tg, w = _source(net, fs)
        a = csr_matrix(
            (np.r_[g.data, w], np.r_[g.indices, tg], np.r_[g.indptr, g.nnz + len(tg)]), shape=(n + 1, n + 1)
        )
        nd = dijkstra(a, directed=True, indices=n, limit=radius[t])
        out[t] = _finish(rs, fs, nd, radius[t], net.n_edges)
    return out


def to_networkx(net):
    import networkx as nx

    g = net.graph.tocoo()
    up = g.row < g.col
    G = nx.Graph()
    G.add_nodes_from(range(net.n_nodes))
    G.add_weighted_edges_from(zip(g.row[up].tolist(), g.col[up].tolist(), g.data[up].tolist()))
    return G


def with_networkx(G, net, res_xy, fac_xy, radius):
    """The same method with networkx: a virtual source joined to the facilities' nodes, cutoff = radius."""
    import networkx as nx

    rs = net.snap(res_xy)
    every = net.snap(np.concatenate([np.zeros((0, 2)), *fac_xy.values()]))
    start = np.cumsum([0] + [len(f) for f in fac_xy.values()])
    out = {}
    src = -1
    for k, (t, fxy) in enumerate(fac_xy.items()):
        if len(fxy) == 0:
            out[t] = np.full(len(res_xy), np.inf)
            continue
        fs = every.take(np.arange(start[k], start[k + 1]))
        tg, w = _source(net, fs)
        G.add_weighted_edges_from(zip([src] * len(tg), tg.tolist(), w.tolist()))
        lengths = nx.single_source_dijkstra_path_length(G, src, cutoff=radius[t])
        G.remove_node(src)
        lengths.pop(src)
        nd = np.full(net.n_nodes, np.inf)
        nd[np.fromiter(lengths.keys(), dtype=np.int64, count=len(lengths))] = np.fromiter(
            lengths.values(), dtype=float, count=len(lengths)
        )
        out[t] = _finish(rs, fs, nd, radius[t], net.n_edges)
    return out


def _same(a, b):
    for t in a:
        x, y = a[t], b[t]
        if not (
            np.array_equal(np.isinf(x), np.isinf(y)) and np.allclose(x[np.isfinite(x)], y[np.isfinite(y)])
        ):
            return False
    return True


def grid_case(n_lines, n_res, seed=7):
    """Straight streets 100 m apart crossing without shared vertices; random residents and facilities."""
    step = 100.0
    size = (n_lines - 1) * step
    pos = np.arange(n_lines) * step
    lines = [shapely.LineString([(-50, y), (size + 50, y)]) for y in pos]
    lines += [shapely.LineString([(x, -50), (x, size + 50)]) for x in pos]
    streets = gpd.GeoDataFrame(geometry=lines, crs=CRS)
    rng = np.random.default_rng(seed)
    res = gpd.GeoDataFrame(
        {"population": rng.integers(1, 200, n_res)},
        geometry=shapely.points(rng.uniform(0, size, (n_res, 2))),
        crs=CRS,
    )
    cat = load_catalogue()
    types = list(cat.types)
    per_type = max(2, int(n_lines**2 / 70))  # about one facility per 0.7 km² of grid
    fxy = rng.uniform(0, size, (per_type * len(types), 2))
    fac = gpd.GeoDataFrame(
        {"type": np.repeat(types, per_type), "facility_id": [f"F{i}" for i in range(len(fxy))]},
        geometry=shapely.points(fxy),
        crs=CRS,
    )
    return streets, res, fac, cat


def demo_case(n_res=None):
    from geodata.workspace import load_workspace
    from layers.pipelines import metric

    ws = load_workspace(DEMO)
    res = metric(ws, "population_cells")
    if n_res is not None:  # a spread-out subset
        res = res.iloc[:: max(1, len(res) // n_res)]
    return metric(ws, "streets"), res, metric(ws, "facilities"), load_catalogue()


def run_case(name, streets, res, fac, cat, *, repeat, use_networkx=True):
    t0 = time.process_time()
    net = build_network(streets)
    t_build = time.process_time() - t0
    types = list(cat.types)
    radius = {t: cat.radius_m(t) for t in types}
    res_xy = shapely.get_coordinates(res.geometry.representative_point().values)
    fac_xy = {
        t: shapely.get_coordinates(fac.geometry[fac["type"] == t].representative_point().values)
        for t in types
    }
    t_ours, model = _best(
        lambda: build_model(res, fac, catalogue=cat, types=types, mode="network", network=net), repeat
    )
    ours = model.distance_m
    t_scipy, bare = _best(lambda: bare_scipy(net, res_xy, fac_xy, radius), repeat)
    if not _same(ours, bare):
        raise SystemExit(f"{name}: ours and bare scipy disagree")
    line = (
        f"{name}: streets={len(streets):,} nodes={net.n_nodes:,} edges={net.n_edges:,} "
        f"noded_crossings={net.noded_crossings:,} residents={len(res):,} facilities={len(fac):,} "
        f"types={len(types)} pairs={len(res) * len(types):,} | build {t_build:.2f} s, ours {t_ours:.3f} s, "
        f"bare scipy {t_scipy:.3f} s (overhead {t_ours / t_scipy:.2f})"
    )
    ratio_nx = None
    if use_networkx:
        t0 = time.process_time()
        G = to_networkx(net)
        t_nx_build = time.process_time() - t0
        t_nx, viax = _best(lambda: with_networkx(G, net, res_xy, fac_xy, radius), 1)
        if not _same(ours, viax):
            raise SystemExit(f"{name}: ours and networkx disagree")
        ratio_nx = t_nx / t_ours
        line += f", networkx {t_nx:.2f} s + {t_nx_build:.2f} s graph conversion (ratio {ratio_nx:.1f})"
    served = sum(int((d <= radius[t]).sum()) for t, d in ours.items())
    print(line + f"; served pairs {served:,}; answers equal", flush=True)
    return t_ours / t_scipy, ratio_nx


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true", help="tiny sizes for the test suite (no timing goals)")
    ap.add_argument("--grid", type=int, default=320, help="grid lines per direction (320 → ≥ 200 k edges)")
    ap.add_argument("--residents", type=int, default=140_000)
    args = ap.parse_args(argv)
    if args.smoke:
        args.grid, args.residents = 15, 500
    cases = []
    if DEMO.exists():
        cases.append(("demo", demo_case(300 if args.smoke else None)))
    else:
        print(f"demo workspace {DEMO} not found: skipped (make demo)")
    cases.append((f"grid {args.grid}x{args.grid}", grid_case(args.grid, args.residents)))
    overheads, ratios = [], []
    for name, case in cases:
        o, r = run_case(name, *case, repeat=1 if args.smoke else 3)
        overheads.append(o)
        ratios.append(r)
    print(f"overhead_vs_scipy={max(overheads):.2f}")
    print(f"ratio_vs_networkx={min(ratios):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
