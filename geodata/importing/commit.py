"""Committing an import atomically into the workspace the user chose.

The validated layer goes into a copy of that workspace, the whole copy must load, then the copy atomically
replaces it. The synthetic demo workspace is refused: real rows never mix with synthetic ones.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.atomic import atomic_path
from geodata.errors import DataValidationError
from geodata.importing.conform import validation_report
from geodata.importing.mapping import TARGETS
from geodata.paths import data_dir
from geodata.schema import LAYERS
from geodata.workspace import load_workspace, read_metadata


def user_workspace_path() -> Path:
    """Return the default user workspace (used when no workspace is chosen and this file exists).

    Returns
    -------
    Path
        ``<data dir>/workspace.gpkg``.
    """
    return data_dir() / "workspace.gpkg"


def commit(gdf: gpd.GeoDataFrame, target: str, *, workspace: Path, mode: str = "append") -> Path:
    """Import a validated layer into ``workspace`` itself, atomically.

    The layer is written into a copy of ``workspace``; the whole copy must still load
    (:func:`~geodata.workspace.load_workspace`, e.g. no duplicate ids); then it replaces ``workspace``
    with :func:`geodata.atomic.atomic_path`. A failure leaves everything unchanged. Successive imports
    into the same workspace accumulate.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer (EPSG:4326).
    target : str
        ``"facilities"``, ``"neighbourhoods"`` or ``"parcels"``.
    workspace : Path
        The workspace GeoPackage to import into (not the synthetic demo).
    mode : str, default "append"
        ``"append"`` to the layer's features, or ``"replace"`` them.

    Returns
    -------
    Path
        ``workspace``.

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
    with atomic_path(dest) as tmp:
        shutil.copyfile(dest, tmp)
        existing = pyogrio.read_dataframe(tmp, layer=name)
        cols = list(LAYERS[name].columns)
        # optional columns (e.g. residents by age group) are kept when the import holds them (appending:
        # when the layer holds them too, so that no row is left without a value)
        cols += [c for c in LAYERS[name].optional if c in gdf.columns and (mode != "append" or c in existing)]
        new = gdf[cols + ["geometry"]].to_crs(existing.crs or "EPSG:4326")
        combined = (
            pd.concat([existing[cols + ["geometry"]], new], ignore_index=True) if mode == "append" else new
        )
        gpd.GeoDataFrame(combined, geometry="geometry", crs=existing.crs or "EPSG:4326").to_file(
            tmp, layer=name, driver="GPKG", mode="w"
        )
        load_workspace(tmp)  # the whole workspace must still validate (e.g. no duplicate ids)
    return dest
