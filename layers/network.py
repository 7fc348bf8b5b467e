"""Walking-network distances over a street layer (scipy.sparse.csgraph, multi-source in one search).

Graph: nodes are segment endpoints (rounded to 0.1 m so touching segments share a node), edges the street
segments weighted by their length in metres. Residents and facilities are snapped to their nearest node;
the straight-line snap (access) distances are added. All facilities of a type are searched at once: a
virtual source node is linked to each facility's node with an edge of its access distance, and one
Dijkstra from that source gives every node its distance to the nearest facility — not one search per
facility.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from layers.crs import require_metric

NODE_PRECISION_M = 0.1


@dataclass(frozen=True)
class StreetNetwork:
    node_xy: np.ndarray
    graph: csr_matrix  # symmetric, n_nodes × n_nodes, weights in metres
    tree: cKDTree

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)


def build_network(streets: gpd.GeoDataFrame) -> StreetNetwork:
    """Street graph from LineStrings in a metric CRS (every vertex pair becomes an edge)."""
    require_metric(streets, "streets")
    lines = streets.geometry[~(streets.geometry.isna() | streets.geometry.is_empty)]
    parts = shapely.get_parts(lines.values)
    parts = parts[shapely.get_type_id(parts) == 1]  # LineString
    if len(parts) == 0:
        raise ValueError("the street layer has no line geometries")
    coords, line_idx = shapely.get_coordinates(parts, return_index=True)
    same_line = line_idx[1:] == line_idx[:-1]
    a_xy, b_xy = coords[:-1][same_line], coords[1:][same_line]
    keyed = np.round(np.vstack([a_xy, b_xy]) / NODE_PRECISION_M).astype(np.int64)
    nodes, inverse = np.unique(keyed, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    a, b = inverse[: len(a_xy)], inverse[len(a_xy) :]
    w = np.hypot(*(a_xy - b_xy).T)
    keep = a != b
    a, b, w = a[keep], b[keep], w[keep]
    n = len(nodes)
    g = coo_matrix((np.concatenate([w, w]), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    graph = g.tocsr()
    graph.sum_duplicates()
    # parallel edges: keep the shortest (sum_duplicates added them; rebuild with minimum)
    if graph.nnz != 2 * len(w):
        order = np.lexsort((np.concatenate([w, w]), np.concatenate([b, a]), np.concatenate([a, b])))
        rows = np.concatenate([a, b])[order]
        cols = np.concatenate([b, a])[order]
        ww = np.concatenate([w, w])[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        graph = csr_matrix((ww[first], (rows[first], cols[first])), shape=(n, n))
    node_xy = nodes.astype(float) * NODE_PRECISION_M
    return StreetNetwork(node_xy=node_xy, graph=graph, tree=cKDTree(node_xy))


def network_nearest_distance_m(
    network: StreetNetwork, resident_xy: np.ndarray, facility_xy: np.ndarray, *, limit_m: float = np.inf
) -> tuple[np.ndarray, np.ndarray]:
    """Walking distance (m) from each resident to the nearest facility along the network.

    = access(resident→node) + shortest path + access(node→facility). Residents on a component with no
    facility get ``inf``. The second array is -1 (which facility is nearest is not tracked in network mode).
    """
    n_res = len(resident_xy)
    if len(facility_xy) == 0:
        return np.full(n_res, np.inf), np.full(n_res, -1, dtype=np.int64)
    f_access, f_node = network.tree.query(facility_xy)
    r_access, r_node = network.tree.query(resident_xy)
    n = network.n_nodes
    src = n  # virtual source
    extra = coo_matrix((f_access + 1e-9, (np.full(len(f_node), src), f_node)), shape=(n + 1, n + 1))
    big = network.graph.tocoo()
    full = coo_matrix(
        (
            np.concatenate([big.data, extra.data]),
            (np.concatenate([big.row, extra.row]), np.concatenate([big.col, extra.col])),
        ),
        shape=(n + 1, n + 1),
    ).tocsr()
    node_dist = dijkstra(full, directed=True, indices=src, limit=limit_m)
    d = node_dist[r_node] + r_access
    return d, np.full(n_res, -1, dtype=np.int64)


def overstatement(model_euclidean, model_network) -> pd.DataFrame:
    """How much straight-line coverage overstates network coverage, per type (served shares, points).

    Both models must cover the same residents and radii.
    """
    rows = []
    for t in model_euclidean.distance_m:
        if t not in model_network.distance_m:
            continue
        pop = model_euclidean.population
        e = float(pop[model_euclidean.served(t)].sum()) / max(pop.sum(), 1)
        n = float(pop[model_network.served(t)].sum()) / max(pop.sum(), 1)
        rows.append(
            {
                "type": t,
                "radius_m": model_euclidean.radius_m(t),
                "served_share_euclidean": e,
                "served_share_network": n,
                "overstatement_pts": (e - n) * 100,
            }
        )
    return pd.DataFrame(rows)
