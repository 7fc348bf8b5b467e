"""A new, empty city workspace, and what a workspace still lacks for each analysis.

A planner's own city starts as a GeoPackage with every layer of :data:`geodata.schema.LAYERS` (empty but for
the districts), the districts taken from the bundled boundaries (a prefecture's county-level units, or one
county) or from the planner's own polygon file, and a ``metadata`` table saying it holds real (non-synthetic)
data. Imports then fill it layer by layer; :func:`completeness` says which analysis can run on it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.atomic import atomic_path
from geodata.boundaries import Boundaries, load_boundaries
from geodata.schema import AGE_GROUPS, LAYERS

_DTYPES = {"int": "int64", "float": "float64", "str": "object", "bool": "bool"}
_GEOM = {"districts": "MultiPolygon", "subdistricts": "MultiPolygon", "communities": "MultiPolygon"}
_GEOM |= {"compounds": "Polygon", "parcels": "Polygon", "population_cells": "Point", "facilities": "Point"}
_GEOM |= {"streets": "LineString"}


def _empty_layer(name: str) -> gpd.GeoDataFrame:
    cols = {c: pd.Series(dtype=_DTYPES[k]) for c, k in LAYERS[name].columns.items()}
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")


def districts_for_adcode(adcode: int, boundaries: Boundaries | None = None) -> tuple[gpd.GeoDataFrame, str]:
    """Districts of a bundled prefecture (its county-level units) or county (the county itself).

    Parameters
    ----------
    adcode : int
        6-digit administrative code of a prefecture (e.g. 360700 赣州) or a county (e.g. 360702 章贡区).
    boundaries : Boundaries, optional
        Default :func:`geodata.boundaries.load_boundaries`.

    Returns
    -------
    (geopandas.GeoDataFrame, str)
        ``adcode``, ``name_zh``, ``name_en`` and MultiPolygon geometry in EPSG:4326; the place's Chinese name.

    Raises
    ------
    ValueError
        If the adcode is neither a bundled prefecture nor a county (the message is in Chinese and English).
    """
    b = boundaries or load_boundaries()
    try:
        code = int(adcode)
    except (TypeError, ValueError):
        code = -1
    pref = b.prefectures[b.prefectures["adcode"] == code]
    if not pref.empty:
        rows = b.counties[b.counties["prefecture_adcode"] == code]
        place = str(pref.iloc[0]["name_zh"])
    else:
        rows = b.counties[b.counties["adcode"] == code]
        place = str(rows.iloc[0]["name_zh"]) if not rows.empty else ""
    if rows.empty:
        raise ValueError(
            f"未知的行政区划代码 {adcode}：不是内置的地级市或区县（如 360700 赣州市、360702 章贡区） / "
            f"unknown adcode {adcode}: not a bundled prefecture or county (e.g. 360700 Ganzhou, 360702 Zhanggong)"
        )
    out = rows[["adcode", "name_zh", "name_en", "geometry"]].copy().sort_values("adcode")
    return _multi(out.reset_index(drop=True)), place


def districts_from_polygons(
    gdf: gpd.GeoDataFrame, name_col: str, code_col: str | None = None
) -> gpd.GeoDataFrame:
    """Districts from a planner's own polygon layer (one polygon per district, with a name).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with a CRS (any; reprojected to EPSG:4326).
    name_col : str
        Column holding the district names (used as ``name_zh`` and ``name_en``).
    code_col : str, optional
        Column holding integer district codes; default numbers 1, 2, … in row order.

    Returns
    -------
    geopandas.GeoDataFrame
        ``adcode``, ``name_zh``, ``name_en``, MultiPolygon geometry in EPSG:4326.

    Raises
    ------
    ValueError
        No CRS, no polygons, a missing column, empty names, non-integer or repeated codes (Chinese and English).
    """
    if gdf.crs is None:
        raise ValueError("边界文件没有坐标系 / the boundary file has no CRS")
    if name_col not in gdf.columns:
        raise ValueError(
            f"边界文件没有名称列 {name_col!r} / the boundary file has no name column {name_col!r}"
        )
    poly = gdf[gdf.geometry.notna() & gdf.geometry.geom_type.isin(["Polygon", "MultiPolygon"])]
    if poly.empty or len(poly) != len(gdf):
        raise ValueError(
            f"边界文件须全部为面要素（{len(gdf) - len(poly)} 个不是） / "
            f"the boundary file must hold polygons only ({len(gdf) - len(poly)} are not)"
        )
    names = poly[name_col].astype(str).str.strip()
    if (names == "").any() or poly[name_col].isna().any():
        raise ValueError("边界文件有空名称 / the boundary file has empty district names")
    if code_col:
        codes = pd.to_numeric(poly[code_col], errors="coerce")
        if codes.isna().any() or (codes % 1 != 0).any():
            raise ValueError(f"代码列 {code_col!r} 须为整数 / code column {code_col!r} must hold integers")
        codes = codes.astype("int64")
    else:
        codes = pd.Series(range(1, len(poly) + 1), index=poly.index, dtype="int64")
    if codes.duplicated().any():
        raise ValueError(f"区划代码重复 / repeated district codes: {sorted(set(codes[codes.duplicated()]))}")
    out = gpd.GeoDataFrame(
        {"adcode": codes.to_numpy(), "name_zh": names.to_numpy(), "name_en": names.to_numpy()},
        geometry=poly.geometry.make_valid().to_numpy(),
        crs=poly.crs,
    ).to_crs("EPSG:4326")
    return _multi(out)


def _multi(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    from shapely.geometry import MultiPolygon, Polygon

    def as_multi(g):
        if isinstance(g, Polygon):
            return MultiPolygon([g])
        if isinstance(g, MultiPolygon):
            return g
        parts = [p for p in getattr(g, "geoms", []) if isinstance(p, Polygon | MultiPolygon)]
        polys = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
        return MultiPolygon(polys)

    out = gdf.copy()
    out["adcode"] = out["adcode"].astype("int64")
    out = out.set_geometry(out.geometry.map(as_multi), crs="EPSG:4326")
    return out


def _check_out(out: Path, force: bool) -> None:
    if out.suffix.lower() != ".gpkg":
        raise ValueError(f"输出文件须以 .gpkg 结尾：{out} / the output must end in .gpkg: {out}")
    if out.exists() and not force:
        raise ValueError(
            f"输出文件已存在：{out}（覆盖请加 --force） / the output exists: {out} (use --force)"
        )
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"目录不存在：{parent} / the folder does not exist: {parent}")
    try:  # a real probe (os.access says yes to root, and to /proc)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=parent)
        os.close(fd)
        os.unlink(probe)
    except OSError:
        raise ValueError(f"无写入权限：{out} / cannot write to {out}") from None


def new_workspace(
    out: str | Path,
    districts: gpd.GeoDataFrame,
    *,
    name: str,
    source: str,
    force: bool = False,
    created_by: str = "",
) -> Path:
    """Write a new, empty workspace GeoPackage around the given districts, atomically.

    Parameters
    ----------
    out : str or Path
        The ``.gpkg`` to create.
    districts : geopandas.GeoDataFrame
        From :func:`districts_for_adcode` or :func:`districts_from_polygons` (EPSG:4326).
    name : str
        The city's name (shown in the app's sidebar).
    source : str
        Where the districts came from (e.g. ``adcode:360702`` or the boundary file's name).
    force : bool, default False
        Overwrite an existing file.
    created_by : str, optional
        The planner who creates it (recorded in the metadata).

    Returns
    -------
    Path
        The new workspace; it loads with :func:`geodata.workspace.load_workspace`.

    Raises
    ------
    ValueError
        The output exists (without ``force``), is not ``.gpkg``, or its folder is missing or not writable;
        no districts.
    """
    out = Path(out)
    _check_out(out, force)
    if districts.empty:
        raise ValueError("没有区县 / no districts")
    meta = {
        "city": str(name).strip() or source,
        "synthetic": "false",
        "districts_source": source,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generator": "cli.py workspace new",
        "created_by": str(created_by),
    }
    with atomic_path(out) as tmp:
        for layer in LAYERS:
            gdf = (
                districts[["adcode", "name_zh", "name_en", "geometry"]]
                if layer == "districts"
                else _empty_layer(layer)
            )
            pyogrio.write_dataframe(gdf, tmp, layer=layer, driver="GPKG", geometry_type=_GEOM[layer])
        table = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
        pyogrio.write_dataframe(table, tmp, layer="metadata", driver="GPKG")
    return out


@dataclass(frozen=True)
class Readiness:
    """Whether one analysis can run on a workspace.

    Attributes
    ----------
    analysis : str
        Key of the analysis (labels ``ws.analysis.<key>``).
    missing : tuple of str
        What it still needs (labels ``ws.need.<item>``): layer names or ``age_groups``.
    """

    analysis: str
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        """True when nothing is missing."""
        return not self.missing


#: analysis → what it needs: layer names (non-empty) or ``age_groups`` (age columns on population cells)
NEEDS: dict[str, tuple[str, ...]] = {
    "coverage": ("population_cells", "facilities"),
    "network": ("population_cells", "facilities", "streets"),
    "complete_community": ("population_cells", "facilities", "communities"),
    "screening": ("parcels", "population_cells", "facilities"),
    "healthcheck": ("communities", "compounds", "population_cells", "facilities"),
    "age_groups": ("population_cells", "facilities", "age_groups"),
}


def completeness(layers: dict[str, gpd.GeoDataFrame]) -> list[Readiness]:
    """Per analysis, what the workspace still lacks.

    Parameters
    ----------
    layers : dict
        Workspace layers (e.g. :attr:`geodata.workspace.Workspace.layers`); a missing or empty layer counts as
        missing.

    Returns
    -------
    list of Readiness
        One per key of :data:`NEEDS`, in that order.
    """

    def has(item: str) -> bool:
        if item == "age_groups":
            cells = layers.get("population_cells")
            return cells is not None and not cells.empty and any(c in cells.columns for c in AGE_GROUPS)
        gdf = layers.get(item)
        return gdf is not None and not gdf.empty

    return [Readiness(key, tuple(i for i in needs if not has(i))) for key, needs in NEEDS.items()]
