"""Other kinds of input for a city workspace: street centre lines, 社区 and 街道 polygons.

Also the one atomic write that replaces a whole layer (used for population cells too).

* **streets** — lines from any supported vector format; multi-lines exploded into lines; ``street_id`` taken from
  an id column or generated (``s1``, ``s2`` …, made unique); ``kind`` from 道路等级 / fclass / highway / kind;
  grade-separation columns (``bridge``, ``tunnel``, ``layer`` and their Chinese synonyms 桥梁 / 隧道 / 层, see
  :mod:`layers.network`) kept under their English names.
* **communities** / **subdistricts** — polygons with a name and, optionally, a code; ``district_adcode`` is the
  district that holds the largest part of each polygon; a community's ``subdistrict_id`` comes from a 街道 code
  column, else from the workspace's subdistricts by the same overlay.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodata.atomic import atomic_path
from geodata.errors import DataValidationError, Problem
from geodata.schema import LAYERS
from geodata.validate import validate_layer
from geodata.workspace import load_workspace, read_metadata

#: what each new ``--as`` kind writes
KIND_LAYERS = {
    "population": "population_cells",
    "streets": "streets",
    "communities": "communities",
    "subdistricts": "subdistricts",
}
STREET_ID_HINTS = ("street_id", "道路编号", "道路编码", "osm_id", "id", "编号", "fid_")
STREET_KIND_HINTS = ("kind", "道路等级", "等级", "道路类型", "fclass", "highway", "class", "type", "类型")
STREET_NAME_HINTS = ("name", "道路名称", "路名", "名称")
#: grade-separation columns kept on streets: ours ← synonyms (see layers.network)
GRADE_COLUMNS = {
    "bridge": ("bridge", "is_bridge", "桥梁", "是否桥梁"),
    "tunnel": ("tunnel", "is_tunnel", "隧道", "是否隧道"),
    "layer": ("layer", "层", "z_level", "zlevel", "z-level"),
}
AREA_CODE_HINTS = {
    "communities": ("community_id", "社区代码", "社区编码", "村居代码", "code", "代码", "编码"),
    "subdistricts": ("subdistrict_id", "街道代码", "街道编码", "乡镇代码", "code", "代码", "编码"),
}
AREA_NAME_HINTS = {
    "communities": ("name", "社区名称", "社区", "村居名称", "居委会", "名称"),
    "subdistricts": ("name", "街道名称", "街道", "乡镇", "乡镇街道", "名称"),
}
SUB_OF_COMMUNITY = ("subdistrict_id", "街道代码", "街道编码", "乡镇代码")


def _find(columns, hints) -> str | None:
    low = {str(c).strip().lower(): c for c in columns}
    return next((low[h.lower()] for h in hints if h.lower() in low), None)


def _need_crs(gdf: gpd.GeoDataFrame, name: str) -> None:
    if gdf.crs is None:
        raise DataValidationError(
            [Problem(name, None, "geometry", "no CRS and none could be inferred", "give --crs")], name
        )


def _unique_ids(ids: pd.Series) -> pd.Series:
    ids = ids.astype(str).str.strip()
    dup = ids.duplicated(keep=False)
    if dup.any():  # exploded multi-lines and repeated source ids: id-1, id-2 …
        n = ids[dup].groupby(ids[dup]).cumcount() + 1
        ids = ids.where(~dup, ids + "-" + n.reindex(ids.index).fillna(0).astype(int).astype(str))
    return ids


def streets_from(gdf: gpd.GeoDataFrame, name: str = "streets") -> tuple[gpd.GeoDataFrame, list[str]]:
    """Street centre lines for the ``streets`` layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Lines (and possibly other geometries) with a CRS.
    name : str
        The file name for messages.

    Returns
    -------
    (geopandas.GeoDataFrame, list of str)
        ``street_id``, ``kind``, ``name`` when present, ``bridge`` / ``tunnel`` / ``layer`` when present, and
        LineString geometry in EPSG:4326; notes (Chinese / English) on what was generated or dropped.

    Raises
    ------
    DataValidationError
        No CRS, or no line at all.
    """
    _need_crs(gdf, name)
    geom = gdf.geometry
    lines = gdf[geom.notna() & geom.geom_type.isin(["LineString", "MultiLineString"])]
    notes = []
    if lines.empty:
        raise DataValidationError(
            [Problem(name, None, "geometry", "no line features", "give street centre lines (LineString)")],
            name,
        )
    if len(lines) < len(gdf):
        n = len(gdf) - len(lines)
        notes.append(f"忽略 {n} 个非线要素 / {n} features that are not lines ignored")
    exploded = lines.explode(index_parts=False)
    exploded = exploded[~exploded.geometry.is_empty]
    if len(exploded) > len(lines):
        notes.append(
            f"{len(lines)} 条多段线拆分为 {len(exploded)} 条线 / multi-lines exploded: {len(lines)} → {len(exploded)}"
        )
    id_col = _find(exploded.columns, STREET_ID_HINTS)
    if id_col is not None and exploded[id_col].notna().all():
        ids = _unique_ids(exploded[id_col])
    else:
        ids = pd.Series([f"s{i + 1}" for i in range(len(exploded))], index=exploded.index)
        notes.append("道路编号为自动生成 / street ids generated")
    kind_col = _find(exploded.columns, STREET_KIND_HINTS)
    kind = (
        exploded[kind_col].fillna("").astype(str).str.strip()
        if kind_col
        else pd.Series("", index=exploded.index)
    )
    kind = kind.where(kind != "", "unknown")
    out = pd.DataFrame({"street_id": ids.to_numpy(), "kind": kind.to_numpy()})
    name_col = _find(exploded.columns, STREET_NAME_HINTS)
    if name_col is not None and name_col != kind_col:
        out["name"] = exploded[name_col].fillna("").astype(str).to_numpy()
    for ours, synonyms in GRADE_COLUMNS.items():
        col = _find(exploded.columns, synonyms)
        if col is not None:
            out[ours] = exploded[col].to_numpy()
            if ours == "layer":
                out[ours] = pd.to_numeric(out[ours], errors="coerce").fillna(0).round().astype("int64")
            else:
                out[ours] = out[ours].map(_truthy).astype("int64")
            notes.append(f"保留立交信息：{col} → {ours} / grade separation kept: {col} → {ours}")
    result = gpd.GeoDataFrame(out, geometry=exploded.geometry.to_numpy(), crs=exploded.crs).to_crs(
        "EPSG:4326"
    )
    return result, notes


def _truthy(v) -> bool:
    if v is None or (isinstance(v, float) and v != v):
        return False
    return str(v).strip().lower() in ("1", "true", "t", "yes", "y", "是", "1.0")


def _largest_overlap(polys: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, key: str) -> pd.Series:
    """Per polygon of ``polys``, the ``key`` of the zone holding its largest part (NaN when none)."""
    if zones is None or zones.empty:
        return pd.Series(np.nan, index=polys.index, dtype=object)
    metric = polys.to_crs("EPSG:4326").estimate_utm_crs()
    a = polys.to_crs(metric)[["geometry"]].assign(_row=np.arange(len(polys)))
    z = zones.to_crs(metric)[[key, "geometry"]]
    inter = gpd.overlay(a, z, how="intersection", keep_geom_type=True)
    if inter.empty:
        return pd.Series(np.nan, index=polys.index, dtype=object)
    inter["_area"] = inter.geometry.area
    best = inter.sort_values("_area").groupby("_row").tail(1).set_index("_row")[key]
    return pd.Series(best.reindex(range(len(polys))).to_numpy(), index=polys.index, dtype=object)


def areas_from(
    gdf: gpd.GeoDataFrame,
    kind: str,
    districts: gpd.GeoDataFrame,
    subdistricts: gpd.GeoDataFrame | None = None,
    *,
    name_column: str | None = None,
    code_column: str | None = None,
    name: str = "areas",
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """社区 or 街道 polygons for the ``communities`` / ``subdistricts`` layer.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS, a name column and optionally a code column.
    kind : {"communities", "subdistricts"}
        The target layer.
    districts : geopandas.GeoDataFrame
        The workspace's districts (``adcode``): ``district_adcode`` = the district with the largest overlap.
    subdistricts : geopandas.GeoDataFrame, optional
        The workspace's subdistricts, for a community's ``subdistrict_id`` when the file has no 街道代码.
    name_column, code_column : str, optional
        Default recognised by name.
    name : str
        The file name for messages.

    Returns
    -------
    (geopandas.GeoDataFrame, list of str)
        The layer's columns and MultiPolygon geometry in EPSG:4326; notes (Chinese / English).

    Raises
    ------
    DataValidationError
        No CRS, no polygons, non-polygon features, no name column, empty names, polygons outside every district.
    """
    if kind not in ("communities", "subdistricts"):
        raise ValueError(f"kind must be communities or subdistricts, not {kind!r}")
    _need_crs(gdf, name)
    geom = gdf.geometry
    bad = ~(geom.notna() & geom.geom_type.isin(["Polygon", "MultiPolygon"]))
    problems = [
        Problem(name, int(i), "geometry", "not a polygon", "give 社区/街道 boundaries as polygons")
        for i in np.flatnonzero(bad.to_numpy())
    ]
    name_col = name_column or _find(gdf.columns, AREA_NAME_HINTS[kind])
    if name_col is None or name_col not in gdf.columns:
        problems.append(Problem(name, None, "name", "no name column", "name it 名称 / 社区名称 / 街道名称"))
    else:
        empty = gdf[name_col].isna() | (gdf[name_col].astype(str).str.strip() == "")
        problems += [Problem(name, int(i), str(name_col), "empty name", "") for i in np.flatnonzero(empty)]
    if problems:
        raise DataValidationError(problems, name)
    key = "community_id" if kind == "communities" else "subdistrict_id"
    code_col = code_column or _find(gdf.columns, AREA_CODE_HINTS[kind])
    notes = []
    if code_col is not None and code_col in gdf.columns and gdf[code_col].notna().all():
        ids = gdf[code_col].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
        if ids.duplicated().any():
            raise DataValidationError(
                [
                    Problem(
                        name,
                        None,
                        str(code_col),
                        f"repeated codes: {sorted(set(ids[ids.duplicated()]))[:10]}",
                        "",
                    )
                ],
                name,
            )
    else:
        prefix = "C" if kind == "communities" else "S"
        ids = pd.Series([f"{prefix}{i + 1:04d}" for i in range(len(gdf))], index=gdf.index)
        notes.append("编码为自动生成 / codes generated")
    polys = gdf.to_crs("EPSG:4326").copy()
    polys["geometry"] = polys.geometry.make_valid()
    adcode = _largest_overlap(polys, districts, "adcode")
    outside = adcode.isna()
    if outside.any():
        rows = [
            Problem(name, int(i), "geometry", "outside every district of the workspace", "check the CRS")
            for i in np.flatnonzero(outside.to_numpy())
        ]
        raise DataValidationError(rows, name)
    out = pd.DataFrame({key: ids.to_numpy(), "name": polys[name_col].astype(str).str.strip().to_numpy()})
    if kind == "communities":
        sub_col = _find(gdf.columns, SUB_OF_COMMUNITY)
        if sub_col is not None:
            out["subdistrict_id"] = (
                gdf[sub_col].fillna("").astype(str).str.replace(r"\.0$", "", regex=True).to_numpy()
            )
        else:
            sub = _largest_overlap(polys, subdistricts, "subdistrict_id")
            out["subdistrict_id"] = sub.fillna("").astype(str).to_numpy()
            if subdistricts is None or subdistricts.empty:
                notes.append(
                    "工作空间没有街道：所属街道留空 / the workspace has no subdistricts: subdistrict_id empty"
                )
    out["district_adcode"] = adcode.astype("int64").to_numpy()
    result = gpd.GeoDataFrame(out, geometry=polys.geometry.to_numpy(), crs="EPSG:4326")
    from shapely.geometry import MultiPolygon, Polygon

    def as_multi(g):
        if isinstance(g, Polygon):
            return MultiPolygon([g])
        if isinstance(g, MultiPolygon):
            return g
        parts = [p for p in getattr(g, "geoms", []) if isinstance(p, Polygon | MultiPolygon)]
        return MultiPolygon([q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])])

    result["geometry"] = result.geometry.map(as_multi)
    return result, notes


def relocate_cells(workspace_layers: dict, communities: gpd.GeoDataFrame) -> gpd.GeoDataFrame | None:
    """Recompute ``community_id`` of the population cells against new communities (None when there are no cells).

    Parameters
    ----------
    workspace_layers : dict
        The workspace's layers (``population_cells``).
    communities : geopandas.GeoDataFrame
        The new communities (``community_id`` + polygons).

    Returns
    -------
    geopandas.GeoDataFrame or None
        A copy of the cells; a cell outside every community gets "".
    """
    cells = workspace_layers.get("population_cells")
    if cells is None or cells.empty:
        return None
    c = communities.to_crs("EPSG:4326")[["community_id", "geometry"]].reset_index(drop=True)
    hit = gpd.sjoin(cells[["geometry"]].to_crs("EPSG:4326"), c, how="left", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    out = cells.copy()
    out["community_id"] = hit["community_id"].reindex(cells.index).fillna("").astype(str)
    return out


def commit_layer(
    gdf: gpd.GeoDataFrame,
    layer: str,
    *,
    workspace: Path,
    replace: bool = False,
    also: dict[str, gpd.GeoDataFrame] | None = None,
) -> Path:
    """Replace one whole layer of a user workspace (and optionally others), atomically.

    The layers are validated, then written into a copy of ``workspace`` (the row count of each written layer is
    checked, the other layers are untouched); then the copy replaces ``workspace`` with
    :func:`geodata.atomic.atomic_path`. A failure leaves everything unchanged.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The new layer (schema columns, optional columns and extra columns such as ``bridge`` are written).
    layer : str
        A layer of :data:`geodata.schema.LAYERS`.
    workspace : Path
        A user (non-synthetic) workspace.
    replace : bool, default False
        Must be True when the layer already has features (all of them are replaced).
    also : dict, optional
        Further layer name → GeoDataFrame written in the same commit (e.g. relocated population cells).

    Returns
    -------
    Path
        ``workspace``.

    Raises
    ------
    ValueError
        Synthetic workspace, or an existing non-empty layer without ``replace`` (Chinese and English).
    DataValidationError
        The layer or the resulting workspace does not validate.
    """
    dest = Path(workspace)
    if read_metadata(dest).get("synthetic", "false").lower() == "true":
        raise ValueError(
            f"{dest.name} 是示例（合成）数据，不能导入真实数据：请先新建城市工作空间（cli.py workspace new）"
            f" / {dest.name} holds synthetic demo data and takes no real rows: create a city workspace first"
            " (cli.py workspace new)"
        )
    written = {layer: gdf, **(also or {})}
    problems = [p for name, frame in written.items() for p in validate_layer(frame, LAYERS[name], name)]
    if problems:
        raise DataValidationError(problems, source=f"import into {layer}")
    with atomic_path(dest) as tmp:
        shutil.copyfile(dest, tmp)
        existing = pyogrio.read_info(tmp, layer=layer)["features"]
        if existing and not replace:
            raise ValueError(
                f"工作空间已有 {existing} 个“{layer}”要素：导入将全部替换，请确认（命令行加 --replace） / the workspace"
                f" already holds {existing} {layer} features: the import replaces them all — confirm with --replace"
            )
        for name, frame in written.items():
            pyogrio.write_dataframe(frame.to_crs("EPSG:4326"), tmp, layer=name, driver="GPKG", use_arrow=True)
            if pyogrio.read_info(tmp, layer=name)["features"] != len(
                frame
            ):  # validated above; all rows there
                raise DataValidationError(
                    [
                        Problem(
                            name,
                            None,
                            None,
                            "the written layer lost rows",
                            "try again; report it if it repeats",
                        )
                    ],
                    name,
                )
        load_workspace(tmp, layers=["districts"])  # the copy is still a readable workspace
    return dest


#: suffixes the import page accepts for the new kinds: the readers' formats plus population rasters
KIND_UPLOAD_SUFFIXES = (".tif", ".tiff")


def store_kind_upload(name: str, raw: bytes) -> Path:
    """Store an upload of a new kind (a GeoTIFF too) under a content-hash name.

    Parameters
    ----------
    name : str
        The browser's file name; only its suffix is kept (GeoTIFF or a suffix of
        :data:`geodata.importing.uploads.UPLOAD_SUFFIXES`).
    raw : bytes
        The content.

    Returns
    -------
    Path
        ``<data dir>/uploads/<sha256><suffix>``.

    Raises
    ------
    DataValidationError
        A suffix not allowed, or content over the upload cap.
    """
    from geodata.importing.uploads import UPLOAD_SUFFIXES, store_upload

    return store_upload(name, raw, suffixes=UPLOAD_SUFFIXES + KIND_UPLOAD_SUFFIXES)
