"""The workspace: one GeoPackage holding a city's layers, validated on load.

The bundled workspace is the synthetic Nanchang demo city (``geodata/demo``); a user's own workspace is
any GeoPackage with the same layers (see :mod:`geodata.schema`), selected with ``RENEWAL_WORKSPACE``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata.errors import DataValidationError, Problem
from geodata.paths import DEMO_GPKG, data_dir
from geodata.schema import LAYERS
from geodata.validate import validate_layer

_KIND_DTYPES = {"int": "int64", "float": "float64", "str": "str", "bool": "bool"}


def workspace_path() -> Path:
    """Return the workspace GeoPackage in use.

    Returns
    -------
    Path
        ``RENEWAL_WORKSPACE``, else the user's workspace in the data directory (created by the first
        import), else the bundled demo city.
    """
    env = os.environ.get("RENEWAL_WORKSPACE")
    if env:
        return Path(env)
    user = data_dir() / "workspace.gpkg"
    return user if user.exists() else DEMO_GPKG


@dataclass
class Workspace:
    """Validated layers (EPSG:4326) plus the metadata table of one workspace file."""

    path: Path
    layers: dict[str, gpd.GeoDataFrame]
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """True when the workspace says it holds synthetic demo data."""
        return self.metadata.get("synthetic", "false").lower() == "true"

    def __getitem__(self, name: str) -> gpd.GeoDataFrame:
        """Return a layer by name (EPSG:4326)."""
        return self.layers[name]

    def __contains__(self, name: str) -> bool:
        """Tell whether the workspace holds a layer."""
        return name in self.layers


def _cast(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    out = gdf.copy()
    schema = LAYERS[name]
    kinds = schema.columns | {c: k for c, k in schema.optional.items() if c in out.columns}
    for col, kind in kinds.items():
        if kind == "bool":
            out[col] = (
                out[col]
                .map(
                    lambda v: (
                        v if isinstance(v, bool) else str(v).strip().lower() in ("1", "true", "是", "yes")
                    )
                )
                .astype(bool)
            )
        elif kind == "str":
            out[col] = out[col].astype(str)
        else:
            out[col] = pd.to_numeric(out[col]).astype(_KIND_DTYPES[kind])
    return out


def read_metadata(path: Path) -> dict[str, str]:
    """Read the ``metadata`` key/value table of a workspace file.

    Parameters
    ----------
    path : Path
        The GeoPackage.

    Returns
    -------
    dict
        Key → value as text; empty when the file has no ``metadata`` table.
    """
    names = {n for n, _ in pyogrio.list_layers(path)}
    if "metadata" not in names:
        return {}
    table = pyogrio.read_dataframe(path, layer="metadata", read_geometry=False)
    return {str(k): str(v) for k, v in zip(table["key"], table["value"])}


def load_workspace(path: str | Path | None = None, *, layers: list[str] | None = None) -> Workspace:
    """Read and validate a workspace GeoPackage.

    Parameters
    ----------
    path : str or Path, optional
        GeoPackage file; default :func:`workspace_path`.
    layers : list of str, optional
        Layer names to load (default: all layers of :data:`geodata.schema.LAYERS` present in the
        file; every *required* layer must be present).

    Returns
    -------
    Workspace
        The validated layers, reprojected to EPSG:4326 and cast to their schema kinds.

    Raises
    ------
    DataValidationError
        Listing every problem of every layer (missing layer, column, bad value, geometry, CRS).
    """
    path = Path(path) if path is not None else workspace_path()
    if not path.exists():
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    "workspace file not found",
                    "run `make demo` to build the bundled demo workspace, or set RENEWAL_WORKSPACE",
                )
            ],
            source=str(path),
        )
    try:
        available = {n for n, _ in pyogrio.list_layers(path)}
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types for unreadable files
        raise DataValidationError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    f"cannot read the file as a GeoPackage ({exc})",
                    "check that it is a .gpkg file and not truncated",
                )
            ],
            source=str(path),
        ) from None
    wanted = layers or [n for n in LAYERS if n in available or LAYERS[n].required]
    problems: list[Problem] = []
    loaded: dict[str, gpd.GeoDataFrame] = {}
    for name in wanted:
        if name not in available:
            problems.append(
                Problem(
                    name, None, None, "layer is missing from the workspace", f"add a layer named {name!r}"
                )
            )
            continue
        gdf = pyogrio.read_dataframe(path, layer=name)
        layer_problems = validate_layer(gdf, LAYERS[name])
        if layer_problems:
            problems += layer_problems
            continue
        loaded[name] = _cast(gdf.to_crs("EPSG:4326"), name)
    if problems:
        raise DataValidationError(problems, source=str(path))
    return Workspace(path=path, layers=loaded, metadata=read_metadata(path))
