"""Committing an import atomically into the workspace the user chose.

The validated layer goes into a copy of that workspace, the whole copy must load, then the copy atomically
replaces it. The synthetic demo workspace is refused: real rows never mix with synthetic ones.

Appending keeps every column the layer already has (e.g. the demo's ``opened_year``): existing rows keep
their values, new rows get NULL there. Re-importing updates instead of duplicating: an incoming row is the
same feature as an existing one when their ids are equal (a source id such as ``amap:B0FFH…``, or an id
column the user mapped), else — facilities — when name and type are equal and they lie within
:data:`MATCH_TOLERANCE_M` metres. :func:`commit_import` counts created / updated / unchanged rows.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio

from geodata.atomic import atomic_path
from geodata.errors import DataValidationError, Problem
from geodata.importing.conform import validation_report
from geodata.importing.mapping import TARGETS
from geodata.paths import data_dir
from geodata.schema import LAYERS
from geodata.workspace import load_workspace, read_metadata

#: an incoming facility without a matching id is the same as an existing one of the same name and type
#: within this distance (metres): GCJ-02 conversion and re-digitising move a point by well under 10 m,
#: while two real facilities of one name and type (e.g. two campuses) lie further apart
MATCH_TOLERANCE_M = 10.0
#: a matched feature whose position moved by less than this (metres) keeps its geometry (unchanged)
SAME_PLACE_M = 0.05
_EARTH_R = 6371008.8  # mean Earth radius (m)


def user_workspace_path() -> Path:
    """Return the default user workspace (used when no workspace is chosen and this file exists).

    Returns
    -------
    Path
        ``<data dir>/workspace.gpkg``.
    """
    return data_dir() / "workspace.gpkg"


@dataclass
class CommitResult:
    """What an import did.

    Attributes
    ----------
    path : Path
        The workspace written.
    created, updated, unchanged : int
        Incoming rows appended as new features, rows that changed a matching feature, rows identical to a
        matching feature (nothing written for them).
    """

    path: Path
    created: int
    updated: int
    unchanged: int


def commit(gdf: gpd.GeoDataFrame, target: str, *, workspace: Path, mode: str = "append") -> Path:
    """Import a validated layer into ``workspace`` itself, atomically (see :func:`commit_import`).

    Returns
    -------
    Path
        ``workspace``.
    """
    return commit_import(gdf, target, workspace=workspace, mode=mode).path


def commit_import(
    gdf: gpd.GeoDataFrame,
    target: str,
    *,
    workspace: Path,
    mode: str = "append",
    tolerance_m: float = MATCH_TOLERANCE_M,
) -> CommitResult:
    """Import a validated layer into ``workspace`` itself, atomically, updating features seen before.

    The layer is written into a copy of ``workspace``; the whole copy must still load
    (:func:`~geodata.workspace.load_workspace`, e.g. no duplicate ids); then it replaces ``workspace``
    with :func:`geodata.atomic.atomic_path`. A failure leaves everything unchanged. Successive imports
    into the same workspace accumulate; every existing column is kept (new rows get NULL in columns the
    import does not hold).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer (EPSG:4326).
    target : str
        ``"facilities"``, ``"neighbourhoods"`` or ``"parcels"``.
    workspace : Path
        The workspace GeoPackage to import into (not the synthetic demo).
    mode : str, default "append"
        ``"append"`` (update matching features, add the others), or ``"replace"`` the layer's features.
    tolerance_m : float, default MATCH_TOLERANCE_M
        Distance in metres within which a facility of the same name and type is the same facility.

    Returns
    -------
    CommitResult
        The workspace and the created / updated / unchanged counts.

    Raises
    ------
    DataValidationError
        Listing every problem of the layer, or of the combined workspace; nothing is written then.
    ValueError
        If ``workspace`` is synthetic demo data (its metadata says ``synthetic=true``).
    """
    name = TARGETS[target]
    dest = Path(workspace)
    if read_metadata(dest).get("synthetic", "false").lower() == "true":
        raise ValueError(
            f"{dest.name} 是示例（合成）数据，不能导入真实数据：请先新建城市工作空间（cli.py workspace new）"
            f" / {dest.name} holds synthetic demo data and takes no real rows: create a city workspace first"
            " (cli.py workspace new)"
        )
    problems = validation_report(gdf, target)
    if problems:
        raise DataValidationError(problems, source=f"import into {name}")
    schema = LAYERS[name]
    with atomic_path(dest) as tmp:
        shutil.copyfile(dest, tmp)
        existing = pyogrio.read_dataframe(tmp, layer=name)
        crs = existing.crs or "EPSG:4326"
        cols = list(schema.columns)
        # optional columns (e.g. residents by age group) are kept when the import holds them (appending:
        # when the layer holds them too, so that no row is left without a value)
        cols += [c for c in schema.optional if c in gdf.columns and (mode != "append" or c in existing)]
        lacking = [c for c in schema.optional if mode == "append" and c in existing and c not in gdf.columns]
        if lacking:  # an optional column is all-or-nothing: new rows without it would leave it half empty
            raise DataValidationError(
                [
                    Problem(
                        name,
                        None,
                        c,
                        "the layer holds this column for every feature, the import has none",
                        "map one of your columns onto it (nothing of the layer is dropped), or replace the layer",
                    )
                    for c in lacking
                ],
                source=f"import into {name}",
            )
        new = (
            gpd.GeoDataFrame(gdf[cols + ["geometry"]], geometry="geometry").to_crs(crs).reset_index(drop=True)
        )
        if mode == "append":
            info = pyogrio.read_info(tmp, layer=name)
            ints = [
                f for f, t in zip(info["fields"], info["dtypes"], strict=True) if str(t).startswith("int")
            ]
            combined, created, updated, unchanged = _merge(existing, new, target, cols, tolerance_m, ints)
        else:
            combined, created, updated, unchanged = new, len(new), 0, 0
        gpd.GeoDataFrame(combined, geometry="geometry", crs=crs).to_file(
            tmp, layer=name, driver="GPKG", mode="w"
        )
        load_workspace(tmp)  # the whole workspace must still validate (e.g. no duplicate ids)
    return CommitResult(dest, created, updated, unchanged)


def _metres(a, b) -> np.ndarray:
    """Distances in metres between two equally long geometry arrays (representative points, degrees)."""
    pa = gpd.GeoSeries(a, crs=4326).representative_point()
    pb = gpd.GeoSeries(b, crs=4326).representative_point()
    lon1, lat1, lon2, lat2 = (np.radians(v.to_numpy(dtype=float)) for v in (pa.x, pa.y, pb.x, pb.y))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * _EARTH_R * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def match_rows(
    existing: gpd.GeoDataFrame, new: gpd.GeoDataFrame, target: str, tolerance_m: float = MATCH_TOLERANCE_M
) -> list[tuple[int, int]]:
    """Pair incoming rows with the existing features they are (one to one).

    First by the layer's id (e.g. ``facility_id`` = ``amap:<POI id>``); then, for facilities, by equal
    name and type within ``tolerance_m`` metres (the nearest such feature).

    Parameters
    ----------
    existing, new : geopandas.GeoDataFrame
        The layer's features and the incoming rows (same CRS; positions 0..n-1).
    target : str
        The import target.
    tolerance_m : float, default MATCH_TOLERANCE_M
        Metres.

    Returns
    -------
    list of (int, int)
        ``(incoming position, existing position)`` pairs.
    """
    key = LAYERS[TARGETS[target]].key
    pairs: dict[int, int] = {}
    if key and key in existing and key in new and len(existing):
        where = {str(v): i for i, v in enumerate(existing[key]) if pd.notna(v)}
        for i, v in enumerate(new[key]):
            j = where.get(str(v)) if pd.notna(v) else None
            if j is not None:
                pairs[i] = j
    if TARGETS[target] == "facilities" and len(existing) and len(new):
        used = set(pairs.values())
        ex = pd.DataFrame({"name": existing["name"].astype(str), "type": existing["type"].astype(str)})
        ex["j"] = np.arange(len(existing))
        nw = pd.DataFrame({"name": new["name"].astype(str), "type": new["type"].astype(str)})
        nw["i"] = np.arange(len(new))
        cand = nw[~nw["i"].isin(list(pairs))].merge(ex[~ex["j"].isin(list(used))], on=["name", "type"])
        if len(cand):
            ll = crs_degrees(existing)
            cand["d"] = _metres(
                ll.geometry.to_numpy()[cand["j"].to_numpy()],
                crs_degrees(new).geometry.to_numpy()[cand["i"].to_numpy()],
            )
            for row in cand[cand["d"] <= tolerance_m].sort_values(["d", "i", "j"]).itertuples():
                if row.i not in pairs and row.j not in used:
                    pairs[int(row.i)] = int(row.j)
                    used.add(int(row.j))
    return sorted(pairs.items())


def crs_degrees(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` in EPSG:4326 (unchanged when it has no CRS or already is)."""
    return gdf if gdf.crs is None or gdf.crs.to_epsg() == 4326 else gdf.to_crs(4326)


def _same(a, b) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if pd.isna(a) or pd.isna(b):
        return False
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


def _merge(existing, new, target: str, cols: list[str], tolerance_m: float, int_columns=()):
    """Update matched features in place, append the others; every existing column is kept."""
    key = LAYERS[TARGETS[target]].key
    pairs = match_rows(existing, new, target, tolerance_m)
    out = existing.copy()
    moved = (
        _metres(
            crs_degrees(existing).geometry.to_numpy()[[j for _, j in pairs]],
            crs_degrees(new).geometry.to_numpy()[[i for i, _ in pairs]],
        )
        if pairs
        else np.zeros(0)
    )
    updated = 0
    for (i, j), d in zip(pairs, moved, strict=True):
        changed = False
        for c in cols:
            if c == key:
                continue  # the existing feature keeps its id (other layers and the project store refer to it)
            v = new.at[i, c]
            if c == "capacity" and TARGETS[target] == "facilities" and (pd.isna(v) or v == 0):
                continue  # 0 = not stated (facility lists rarely state it): a stated capacity is kept
            if c not in out or not _same(out.at[j, c], v):
                if c not in out:
                    out[c] = None
                elif pd.api.types.is_integer_dtype(out[c]) and pd.notna(v) and float(v) == int(float(v)):
                    v = int(float(v))
                elif pd.api.types.is_numeric_dtype(out[c]) and not isinstance(v, int | float | np.number):
                    out[c] = out[c].astype(object)
                out.at[j, c] = v
                changed = True
        if d > SAME_PLACE_M:
            out.loc[j, "geometry"] = new.geometry.iloc[i]
            changed = True
        updated += changed
    matched = {i for i, _ in pairs}
    fresh = new.iloc[[i for i in range(len(new)) if i not in matched]]
    combined = pd.concat([out, fresh], ignore_index=True) if len(fresh) else out
    for c in int_columns:  # integer columns stay integer (NULL where new rows lack them), not floats
        if c in combined and combined[c].isna().any():
            num = pd.to_numeric(combined[c], errors="coerce")
            if ((num.dropna() % 1) == 0).all():
                combined[c] = pd.array(num, dtype="Int64")
    return combined, len(fresh), updated, len(pairs) - updated
