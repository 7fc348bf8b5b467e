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
    """Undirected street graph for walking distances, built by :func:`build_network`.

    Attributes
    ----------
    node_xy : numpy.ndarray
        Shape (n_nodes, 2), node x/y in metres of the streets' metric CRS (rounded to 0.1 m).
    graph : scipy.sparse.csr_matrix
        Symmetric n_nodes × n_nodes adjacency matrix; edge weights are segment lengths in metres (the
        shortest of parallel segments).
    tree : scipy.spatial.cKDTree
        KD-tree over ``node_xy`` used to snap points to their nearest node.
    """

    node_xy: np.ndarray
    graph: csr_matrix  # symmetric, n_nodes × n_nodes, weights in metres
    tree: cKDTree

    @property
    def n_nodes(self) -> int:
        """Number of nodes of the graph."""
        return len(self.node_xy)


def build_network(streets: gpd.GeoDataFrame) -> StreetNetwork:
    """Build a street graph from LineStrings in a metric CRS (every consecutive vertex pair is an edge).

    Nodes are vertices rounded to ``NODE_PRECISION_M`` (0.1 m), so touching segments share a node; edges
    are weighted by their length in metres. Null, empty and non-LineString parts (after splitting
    multi-part geometries) are ignored.

    Parameters
    ----------
    streets : geopandas.GeoDataFrame
        Street centre lines in a metric CRS such as EPSG:32650; degrees are refused with ValueError.

    Returns
    -------
    StreetNetwork
        The graph, its node coordinates in metres and a KD-tree over the nodes.

    Raises
    ------
    ValueError
        If ``streets`` is not in a metric CRS, or has no line geometries.
    """
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
    """Compute the walking distance in metres from each resident to the nearest facility on the network.

    Distance = access(resident→node) + shortest path + access(node→facility), the access legs being
    straight-line snaps to the nearest node. All facilities are searched at once from a virtual source.
    Residents on a component with no facility get ``inf``.

    Parameters
    ----------
    network : StreetNetwork
        The street graph from :func:`build_network`.
    resident_xy : numpy.ndarray
        Shape (n, 2), resident x/y in metres, in the network's metric CRS (e.g. EPSG:32650).
    facility_xy : numpy.ndarray
        Shape (m, 2), facility x/y in metres, same CRS.
    limit_m : float, default inf
        Stop the search beyond this network distance in metres from the facilities (farther nodes get
        ``inf``).

    Returns
    -------
    distance_m : numpy.ndarray
        Shape (n,), walking distance in metres (``inf`` when unreachable or when there are no facilities).
    index : numpy.ndarray
        Shape (n,), all -1: which facility is nearest is not tracked in network mode.
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
    """Measure how much straight-line coverage overstates walking-network coverage, per facility type.

    Both models must cover the same residents and radii (not checked); types missing from the network
    model are skipped.

    Parameters
    ----------
    model_euclidean : layers.coverage.CoverageModel
        The straight-line model.
    model_network : layers.coverage.CoverageModel
        The network model of the same residents.

    Returns
    -------
    pandas.DataFrame
        One row per type: ``type``, ``radius_m`` (metres), ``served_share_euclidean`` and
        ``served_share_network`` (population-weighted shares 0…1) and ``overstatement_pts`` (difference in
        percentage points).
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
