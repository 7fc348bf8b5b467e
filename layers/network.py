"""Walking-network distances over a street layer (scipy.sparse.csgraph, multi-source in one search).

Method
------
1. **Noding.** Street lines are cut into their straight segments (consecutive vertex pairs). Segments that
   cross without a shared vertex are split at the crossing point and joined there; a line end that lies
   on another segment (a T-junction without a vertex) splits that segment and joins it. Candidate pairs
   come from an STRtree over the segments' bounding boxes and are tested with vectorised numpy, so the
   work grows about linearly with the number of segments.
2. **Grade separation.** A segment of a line flagged as a bridge or a tunnel is never split at a crossing
   and never joined to what it crosses; neither are two lines whose ``layer`` / ``z_level`` values differ.
   Such lines join the rest of the network only at their own end points (where another line has a vertex
   or passes through). Recognised columns (case-insensitive): ``bridge``, ``is_bridge``, ``桥梁``,
   ``是否桥梁`` and ``tunnel``, ``is_tunnel``, ``隧道``, ``是否隧道`` (true when 1 / true / t / yes / y / 是 /
   any other non-empty value such as OSM's ``viaduct``; false when empty, 0, false, f, no, n, 否, none or
   null); ``layer``, ``层``, ``z_level``, ``zlevel``, ``z-level`` (an integer; empty or non-numeric counts
   as 0; ``layer`` is used where both are given). Vertices are merged when they round to the same 0.1 m
   (``NODE_PRECISION_M``).
3. **Snapping onto segments.** A resident or facility is snapped to the nearest point of the nearest
   street *segment* (not vertex) at ground level (bridges, tunnels and ``layer`` ≠ 0 are skipped when the
   layer has any other segment). Its walk to the network is the perpendicular access distance plus the
   distance along the segment to either end node; both ends are kept.
4. **Distance.** For every facility type one Dijkstra runs from a virtual source linked to the end nodes
   of the facilities' segments with their access + along-segment walks (where several facilities reach
   the same node, the shortest walk counts). A resident's distance is the minimum over its segment's two
   ends of (access + along-segment part + network distance), or — when a facility stands on the same
   segment — access + the distance between the two projected points + the facility's access. The search
   stops at ``limit_m`` (the type's radius), so farther residents get ``inf``.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from layers.crs import require_metric

NODE_PRECISION_M = 0.1
#: a vertex this close to another segment's interior (metres) joins it (T-junction without a vertex)
NODING_TOLERANCE_M = 0.1

#: snapping looks at the segments of the SNAP_CANDIDATES nearest points sampled every ≤ SNAP_SAMPLE_M metres
#: along the streets, and falls back to an exact STRtree search when that cannot prove the nearest segment
SNAP_SAMPLE_M = 20.0
SNAP_CANDIDATES = 8

BRIDGE_COLUMNS = ("bridge", "is_bridge", "桥梁", "是否桥梁")
TUNNEL_COLUMNS = ("tunnel", "is_tunnel", "隧道", "是否隧道")
LAYER_COLUMNS = ("layer", "层", "z_level", "zlevel", "z-level")
_FALSY = {"", "0", "0.0", "false", "f", "no", "n", "否", "none", "null", "nan"}


@dataclass(frozen=True)
class StreetNetwork:
    """Undirected, noded street graph for walking distances, built by :func:`build_network`.

    Attributes
    ----------
    node_xy : numpy.ndarray
        Shape (n_nodes, 2), node x/y in metres of the streets' metric CRS (rounded to 0.1 m).
    graph : scipy.sparse.csr_matrix
        Symmetric n_nodes × n_nodes adjacency matrix; edge weights are segment lengths in metres (the
        shortest of parallel segments).
    edge_xy : numpy.ndarray
        Shape (n_edges, 2, 2), start and end x/y in metres of every noded segment.
    edge_nodes : numpy.ndarray
        Shape (n_edges, 2), the node of each segment end.
    edge_length_m : numpy.ndarray
        Shape (n_edges,), segment lengths in metres.
    snap_edges : numpy.ndarray
        Indices of the segments people and facilities are snapped to (ground level).
    tree : shapely.STRtree
        Spatial index over the ``snap_edges`` segments (exact nearest-segment fallback).
    sample_tree : scipy.spatial.cKDTree
        KD-tree over points every ≤ ``SNAP_SAMPLE_M`` metres along the ``snap_edges`` segments.
    sample_edge : numpy.ndarray
        The segment of each sample point.
    noded_crossings : int
        Number of crossings without a shared vertex that were split and joined.
    separated_crossings : int
        Number of crossings left unjoined because of grade separation (bridge, tunnel, layer).
    """

    node_xy: np.ndarray
    graph: csr_matrix
    edge_xy: np.ndarray
    edge_nodes: np.ndarray
    edge_length_m: np.ndarray
    snap_edges: np.ndarray
    tree: shapely.STRtree
    sample_tree: cKDTree
    sample_edge: np.ndarray
    noded_crossings: int = 0
    separated_crossings: int = 0

    @property
    def n_nodes(self) -> int:
        """Number of nodes of the graph."""
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        """Number of (noded) street segments."""
        return len(self.edge_length_m)

    def snap(self, xy: np.ndarray) -> Snap:
        """Snap points onto their nearest ground-level street segment.

        Parameters
        ----------
        xy : numpy.ndarray
            Shape (n, 2), x/y in metres in the network's metric CRS.

        Returns
        -------
        Snap
            Per point: the segment, its two end nodes and the walks (access + along-segment, metres) to
            each end.
        """
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        if len(xy) == 0:
            z = np.zeros(0)
            zi = np.zeros(0, dtype=np.int64)
            return Snap(zi, zi, zi, z, z, z, z)
        edge = np.concatenate([self._nearest_edge(xy[i : i + 200_000]) for i in range(0, len(xy), 200_000)])
        p0, p1 = self.edge_xy[edge, 0], self.edge_xy[edge, 1]
        d = p1 - p0
        length = self.edge_length_m[edge]
        ll = np.einsum("ij,ij->i", d, d)
        s = np.clip(np.einsum("ij,ij->i", xy - p0, d) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
        proj = p0 + s[:, None] * d
        access = np.hypot(*(xy - proj).T)
        along = s * length
        return Snap(
            edge=edge,
            node_a=self.edge_nodes[edge, 0],
            node_b=self.edge_nodes[edge, 1],
            access_m=access,
            along_m=along,
            to_a_m=access + along,
            to_b_m=access + (length - along),
        )

    def _nearest_edge(self, xy: np.ndarray) -> np.ndarray:
        """Return the nearest snappable segment of each point (exact; see ``SNAP_SAMPLE_M``)."""
        k = min(SNAP_CANDIDATES, len(self.sample_edge))
        sd, si = self.sample_tree.query(xy, k=k)
        sd, si = sd.reshape(len(xy), k), si.reshape(len(xy), k)
        cand = self.sample_edge[si]  # (n, k) candidate segments, nearest samples first
        x0, y0 = self.edge_xy[:, 0, 0][cand], self.edge_xy[:, 0, 1][cand]
        dx, dy = self.edge_xy[:, 1, 0][cand] - x0, self.edge_xy[:, 1, 1][cand] - y0
        px, py = xy[:, :1] - x0, xy[:, 1:] - y0
        ll = dx * dx + dy * dy
        t = np.clip((px * dx + py * dy) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
        ox, oy = px - t * dx, py - t * dy
        dist2 = ox * ox + oy * oy
        j = np.argmin(dist2, axis=1)
        rows = np.arange(len(xy))
        edge = cand[rows, j]
        best = np.sqrt(dist2[rows, j])
        # every segment as near as the best has a sample within best + half the spacing: when the k-th sample
        # is farther than that, all of them were candidates; otherwise ask the exact STRtree
        unsure = np.flatnonzero(sd[:, -1] <= best + SNAP_SAMPLE_M / 2 + 1e-6)
        if len(unsure) and k < len(self.sample_edge):
            idx = self.tree.query_nearest(shapely.points(xy[unsure]), all_matches=False)
            edge[unsure[idx[0]]] = self.snap_edges[idx[1]]
        return edge


@dataclass(frozen=True)
class Snap:
    """Points snapped onto street segments (see :meth:`StreetNetwork.snap`); all distances in metres.

    Attributes
    ----------
    edge, node_a, node_b : numpy.ndarray
        Shape (n,), the segment of each point and its start / end node.
    access_m : numpy.ndarray
        Perpendicular (or to the nearer segment end) distance from the point to the segment.
    along_m : numpy.ndarray
        Distance along the segment from its start node to the projected point.
    to_a_m, to_b_m : numpy.ndarray
        Walk from the point to the start / end node: access plus the along-segment part.
    """

    edge: np.ndarray
    node_a: np.ndarray
    node_b: np.ndarray
    access_m: np.ndarray
    along_m: np.ndarray
    to_a_m: np.ndarray
    to_b_m: np.ndarray

    def __len__(self) -> int:
        """Return the number of snapped points."""
        return len(self.edge)

    def take(self, which: np.ndarray) -> Snap:
        """Return the snapped points selected by a boolean mask or an index array.

        Parameters
        ----------
        which : numpy.ndarray
            Boolean mask of shape (n,) or integer positions.

        Returns
        -------
        Snap
            The selected points, in order.
        """
        return Snap(*(getattr(self, f)[which] for f in self.__dataclass_fields__))


# ------------------------------------------------------------------------------------------- building


def _flag(values: pd.Series) -> np.ndarray:
    if values.dtype == bool:
        return values.fillna(False).to_numpy(dtype=bool)
    num = pd.to_numeric(values, errors="coerce")
    text = values.astype(str).str.strip().str.lower()
    return np.where(
        num.notna(), num.fillna(0).to_numpy() != 0, ~text.isin(_FALSY).to_numpy() & values.notna()
    )


def _grade(streets: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per street row: layer (int), bridge flag, tunnel flag (see the module docstring for the columns)."""
    cols = {str(c).strip().lower(): c for c in streets.columns if c != streets.geometry.name}
    n = len(streets)

    def flags(names):
        out = np.zeros(n, dtype=bool)
        for name in names:
            if name in cols:
                out |= _flag(streets[cols[name]])
        return out

    layer = pd.Series(np.nan, index=streets.index)
    for name in LAYER_COLUMNS:
        if name in cols:
            layer = layer.fillna(pd.to_numeric(streets[cols[name]], errors="coerce"))
    return layer.fillna(0).round().astype(np.int64).to_numpy(), flags(BRIDGE_COLUMNS), flags(TUNNEL_COLUMNS)


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the distinct rows of an int array (sorted) and each input row's position among them."""
    order = np.lexsort(rows.T[::-1])
    srt = rows[order]
    new = np.r_[True, (srt[1:] != srt[:-1]).any(axis=1)]
    inverse = np.empty(len(rows), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return srt[new], inverse


def build_network(streets: gpd.GeoDataFrame) -> StreetNetwork:
    """Build a noded street graph from LineStrings in a metric CRS.

    Every consecutive vertex pair is a segment; crossings and T-junctions without a shared vertex are
    noded unless grade separation (bridge, tunnel, layer / z-level columns) says the lines do not meet —
    see the module docstring for the method and the recognised columns. Nodes are vertices rounded to
    ``NODE_PRECISION_M`` (0.1 m); edges are weighted by their length in metres. Null, empty and
    non-LineString parts (after splitting multi-part geometries) are ignored.

    Parameters
    ----------
    streets : geopandas.GeoDataFrame
        Street centre lines in a metric CRS such as EPSG:32650; degrees are refused with ValueError.

    Returns
    -------
    StreetNetwork
        The graph, its node coordinates and segments in metres and a spatial index for snapping.

    Raises
    ------
    ValueError
        If ``streets`` is not in a metric CRS, or has no line geometries.
    """
    require_metric(streets, "streets")
    layer, bridge, tunnel = _grade(streets)
    geoms = streets.geometry.values
    ok = ~(pd.isna(geoms) | shapely.is_empty(geoms))
    parts, part_row = shapely.get_parts(geoms[ok], return_index=True)
    part_row = np.flatnonzero(ok)[part_row]
    line = shapely.get_type_id(parts) == 1
    parts, part_row = parts[line], part_row[line]
    if len(parts) == 0:
        raise ValueError("the street layer has no line geometries")
    coords, cidx = shapely.get_coordinates(parts, return_index=True)
    coords = coords.astype(float)
    first = np.r_[True, cidx[1:] != cidx[:-1]]
    last = np.r_[cidx[1:] != cidx[:-1], True]
    s = np.flatnonzero(~last)  # a segment starts at every vertex but the last of its part
    a_xy, b_xy = coords[s], coords[s + 1]
    row = part_row[cidx[s]]
    separated = bridge[row] | tunnel[row]
    # grade key: 0 = ground (layer 0, no bridge/tunnel); line ends are always 0 (they join anything there)
    gkey = layer[row] * 4 + bridge[row].astype(np.int64) + 2 * tunnel[row].astype(np.int64)
    a_key = np.where(first[s], 0, gkey)
    b_key = np.where(last[s + 1], 0, gkey)
    n_seg = len(s)
    length = np.hypot(*(b_xy - a_xy).T)

    # candidate pairs: segment bounding boxes (grown by the tolerance) that overlap
    tol = NODING_TOLERANCE_M
    lo, hi = np.minimum(a_xy, b_xy) - tol, np.maximum(a_xy, b_xy) + tol
    boxes = shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1])
    pi, pj = shapely.STRtree(boxes).query(boxes)
    keep = pi < pj
    pi, pj = pi[keep], pj[keep]
    split_seg, split_t, split_xy, split_key = [], [], [], []
    n_noded = n_separated = 0
    if len(pi):
        d1, d2 = b_xy[pi] - a_xy[pi], b_xy[pj] - a_xy[pj]
        r = a_xy[pj] - a_xy[pi]
        den = _cross(d1, d2)
        par = np.abs(den) <= 1e-12 * np.maximum(length[pi] * length[pj], 1e-12)
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(par, np.nan, _cross(r, d2) / den)
            u = np.where(par, np.nan, _cross(r, d1) / den)
        inner = (
            (t * length[pi] > tol)
            & ((1 - t) * length[pi] > tol)
            & (u * length[pj] > tol)
            & ((1 - u) * length[pj] > tol)
        )
        same_grade = ~separated[pi] & ~separated[pj] & (gkey[pi] == gkey[pj])
        x = inner & same_grade
        n_noded = int(x.sum())
        n_separated = int((inner & ~same_grade).sum())
        p = a_xy[pi[x]] + t[x, None] * d1[x]
        for seg, tt in ((pi[x], t[x]), (pj[x], u[x])):
            split_seg.append(seg)
            split_t.append(tt)
            split_xy.append(p)
            split_key.append(gkey[seg])
        # a vertex of one segment on the interior of the other (T-junction, overshoot, collinear overlap)
        for seg, other in ((pi, pj), (pj, pi)):
            for v_xy, v_key in ((a_xy[other], a_key[other]), (b_xy[other], b_key[other])):
                dd = b_xy[seg] - a_xy[seg]
                ll = length[seg]
                w = v_xy - a_xy[seg]
                with np.errstate(divide="ignore", invalid="ignore"):
                    along = np.einsum("ij,ij->i", w, dd) / ll
                    off = np.abs(_cross(dd, w)) / ll
                hit = (
                    (off <= tol) & (along > tol) & (along < ll - tol) & ~separated[seg] & (v_key == gkey[seg])
                )
                split_seg.append(seg[hit])
                split_t.append(along[hit] / ll[hit])
                split_xy.append(v_xy[hit])
                split_key.append(gkey[seg[hit]])
    # every segment's points in order: its start (t=0), the split points, its end (t=1)
    seg_all = np.concatenate([np.arange(n_seg), np.arange(n_seg), *split_seg])
    t_all = np.concatenate([np.zeros(n_seg), np.ones(n_seg), *split_t])
    xy_all = np.concatenate([a_xy, b_xy, *split_xy]) if split_xy else np.concatenate([a_xy, b_xy])
    key_all = np.concatenate([a_key, b_key, *split_key])
    order = np.lexsort((t_all, seg_all))
    seg_all, xy_all, key_all = seg_all[order], xy_all[order], key_all[order]
    grid = np.round(xy_all / NODE_PRECISION_M).astype(np.int64)
    nodes, inverse = _unique_rows(np.column_stack([grid, key_all]))
    nxt = np.flatnonzero(seg_all[1:] == seg_all[:-1])
    ea, eb = inverse[nxt], inverse[nxt + 1]
    exy = np.stack([xy_all[nxt], xy_all[nxt + 1]], axis=1)
    ew = np.hypot(*(exy[:, 1] - exy[:, 0]).T)
    eseg = seg_all[nxt]
    good = ea != eb
    ea, eb, exy, ew, eseg = ea[good], eb[good], exy[good], ew[good], eseg[good]
    n = len(nodes)
    rows = np.concatenate([ea, eb])
    cols = np.concatenate([eb, ea])
    ww = np.concatenate([ew, ew])
    o = np.lexsort((ww, cols, rows))
    rows, cols, ww = rows[o], cols[o], ww[o]
    firsts = np.r_[True, (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])]
    graph = csr_matrix((ww[firsts], (rows[firsts], cols[firsts])), shape=(n, n))
    ground = np.flatnonzero(gkey[eseg] == 0)
    snap_edges = ground if len(ground) else np.arange(len(ew))
    tree = shapely.STRtree(shapely.linestrings(exy[snap_edges]))
    cnt = np.ceil(ew[snap_edges] / SNAP_SAMPLE_M).astype(np.int64) + 1
    sample_edge = np.repeat(snap_edges, cnt)
    k = np.arange(len(sample_edge)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    frac = k / np.repeat(cnt - 1, cnt)
    samples = exy[sample_edge, 0] + frac[:, None] * (exy[sample_edge, 1] - exy[sample_edge, 0])
    return StreetNetwork(
        node_xy=nodes[:, :2].astype(float) * NODE_PRECISION_M,
        graph=graph,
        edge_xy=exy,
        edge_nodes=np.column_stack([ea, eb]),
        edge_length_m=ew,
        snap_edges=snap_edges,
        tree=tree,
        sample_tree=cKDTree(samples),
        sample_edge=sample_edge,
        noded_crossings=n_noded,
        separated_crossings=n_separated,
    )


# ------------------------------------------------------------------------------------------- distances


def _with_source(graph: csr_matrix, targets: np.ndarray, weights: np.ndarray) -> csr_matrix:
    """Return the graph plus a virtual source (last node) with one directed edge to each target node."""
    n = graph.shape[0]
    data = np.concatenate([graph.data, weights])
    indices = np.concatenate([graph.indices, targets]).astype(graph.indices.dtype, copy=False)
    indptr = np.concatenate([graph.indptr, [graph.indptr[-1] + len(targets)]]).astype(graph.indptr.dtype)
    return csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))


def _source_edges(fac: Snap) -> tuple[np.ndarray, np.ndarray]:
    """Virtual-source edges to the facilities' segment ends: the *shortest* walk per node (not the sum)."""
    tgt = np.concatenate([fac.node_a, fac.node_b])
    w = np.concatenate([fac.to_a_m, fac.to_b_m])
    o = np.lexsort((w, tgt))
    tgt, w = tgt[o], w[o]
    keep = np.r_[True, tgt[1:] != tgt[:-1]]
    return tgt[keep], w[keep]


def _same_segment(res: Snap, fac: Snap, d: np.ndarray, n_edges: int) -> None:
    """Lower ``d`` in place where a facility stands on the resident's own segment (walk along it)."""
    per_edge = np.bincount(fac.edge, minlength=n_edges)
    who = np.flatnonzero(per_edge[res.edge])
    if len(who) == 0:
        return
    order = np.argsort(fac.edge, kind="stable")
    lo = np.searchsorted(fac.edge[order], res.edge[who], "left")
    cnt = per_edge[res.edge[who]]
    for k in range(int(cnt.max())):
        sel = cnt > k
        w = who[sel]
        f = order[lo[sel] + k]
        cand = res.access_m[w] + np.abs(res.along_m[w] - fac.along_m[f]) + fac.access_m[f]
        d[w] = np.minimum(d[w], cand)


def network_nearest_distance_m(
    network: StreetNetwork,
    resident_xy: np.ndarray | Snap,
    facility_xy: np.ndarray | Snap,
    *,
    limit_m: float = np.inf,
) -> tuple[np.ndarray, np.ndarray]:
    """Compute the walking distance in metres from each resident to the nearest facility on the network.

    Both sides are snapped onto their nearest segment (perpendicular access + along the segment to either
    end node); all facilities are searched at once from a virtual source, the shortest walk counting where
    several facilities reach the same node. See the module docstring for the method. Residents on a
    component with no facility, or farther than ``limit_m``, get ``inf``.

    Parameters
    ----------
    network : StreetNetwork
        The street graph from :func:`build_network`.
    resident_xy : numpy.ndarray or Snap
        Shape (n, 2), resident x/y in metres in the network's metric CRS (e.g. EPSG:32650), or the
        residents already snapped with :meth:`StreetNetwork.snap` (snap once, reuse for every type).
    facility_xy : numpy.ndarray or Snap
        Shape (m, 2), facility x/y in metres, same CRS (or already snapped).
    limit_m : float, default inf
        Stop the search at this walking distance in metres; residents farther away get ``inf``.

    Returns
    -------
    distance_m : numpy.ndarray
        Shape (n,), walking distance in metres (``inf`` when unreachable, beyond ``limit_m`` or when
        there are no facilities).
    index : numpy.ndarray
        Shape (n,), all -1: which facility is nearest is not tracked in network mode.
    """
    res = resident_xy if isinstance(resident_xy, Snap) else network.snap(resident_xy)
    n_res = len(res)
    none = np.full(n_res, -1, dtype=np.int64)
    fac = facility_xy if isinstance(facility_xy, Snap) else network.snap(facility_xy)
    if len(fac) == 0 or n_res == 0:
        return np.full(n_res, np.inf), none
    tgt, w = _source_edges(fac)
    g = _with_source(network.graph, tgt, w)
    node_d = dijkstra(g, directed=True, indices=network.n_nodes, limit=limit_m)
    d = np.minimum(res.to_a_m + node_d[res.node_a], res.to_b_m + node_d[res.node_b])
    _same_segment(res, fac, d, network.n_edges)
    d[d > limit_m] = np.inf
    return d, none


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
