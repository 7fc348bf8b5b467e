"""The one place that turns a loaded workspace into analysis inputs and models.

Every caller (the CLI, the dashboard pages, the briefing and the reports) goes through these functions, so
"workspace → metric CRS → coverage model → screening criteria" is written once. A *workspace* here is any
mapping of layer name → GeoDataFrame (``geodata.workspace.Workspace`` or a plain ``dict``) in any CRS; the
analysis runs in ``ANALYSIS_CRS`` (EPSG:32650, metres). No I/O happens here.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import pandas as pd

from layers.coverage import CoverageModel, build_model
from layers.crs import ANALYSIS_CRS
from layers.screening import PRESETS, workspace_criteria

#: the screening preset used when the user has chosen none (CLI default, briefing, present page)
DEFAULT_PRESET = "民生优先"


def default_weights() -> dict[str, float]:
    """Return a copy of the weights of the default screening preset (:data:`DEFAULT_PRESET`).

    Returns
    -------
    dict of str to float
        Criterion key → weight (a fresh copy the caller may change).
    """
    return dict(PRESETS[DEFAULT_PRESET])


def metric(ws: Mapping[str, gpd.GeoDataFrame], name: str) -> gpd.GeoDataFrame:
    """Return one workspace layer reprojected to the analysis CRS.

    Parameters
    ----------
    ws : Mapping of str to GeoDataFrame
        The workspace layers, in any CRS.
    name : str
        Layer name (``population_cells``, ``facilities``, ``parcels``, ``streets``, …).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of the layer in ``ANALYSIS_CRS`` (EPSG:32650, metres).

    Raises
    ------
    KeyError
        If the workspace has no layer ``name``.
    ValueError
        If the layer has no CRS.
    """
    return ws[name].to_crs(ANALYSIS_CRS)


def coverage_model(
    ws: Mapping[str, gpd.GeoDataFrame],
    catalogue,
    *,
    mode: str = "euclidean",
    types: list[str] | None = None,
) -> CoverageModel:
    """Build the coverage model (nearest-facility distance per resident cell and type) of a workspace.

    Parameters
    ----------
    ws : Mapping of str to GeoDataFrame
        Workspace layers with ``population_cells`` and ``facilities`` (and ``streets`` for the network
        mode), any CRS.
    catalogue : geodata.catalogue.Catalogue
        Facility types with their service radii in metres.
    mode : {"euclidean", "network"}
        Straight-line distance, or walking distance on the ``streets`` layer.
    types : list of str, optional
        Only these facility types (default: every catalogue type).

    Returns
    -------
    layers.coverage.CoverageModel
        Distances in metres, computed in ``ANALYSIS_CRS`` (EPSG:32650).

    Raises
    ------
    ValueError
        From :func:`layers.coverage.build_model` (unknown mode or types, bad population values) or
        :func:`layers.network.build_network` (no street lines).
    """
    network = None
    if mode == "network":
        from layers.network import build_network

        network = build_network(metric(ws, "streets"))
    return build_model(
        metric(ws, "population_cells"),
        metric(ws, "facilities"),
        catalogue=catalogue,
        mode=mode,
        network=network,
        types=types,
    )


def screening_criteria(
    ws: Mapping[str, gpd.GeoDataFrame],
    model: CoverageModel,
    *,
    current_year: int,
) -> pd.DataFrame:
    """Compute the raw renewal-screening criteria of every parcel of a workspace.

    Parameters
    ----------
    ws : Mapping of str to GeoDataFrame
        Workspace layers with ``parcels``, ``population_cells`` and ``facilities``, any CRS.
    model : layers.coverage.CoverageModel
        The straight-line coverage model of the same workspace (its 完整社区 gaps feed the service-gap
        criterion).
    current_year : int
        Year against which building age is measured.

    Returns
    -------
    pandas.DataFrame
        One row per parcel (index ``parcel_id``), one column per criterion in its own unit (see
        :func:`layers.screening.criteria_table`), residents counted within 500 m.
    """
    return workspace_criteria(
        metric(ws, "parcels"),
        metric(ws, "population_cells"),
        metric(ws, "facilities"),
        model,
        current_year=current_year,
    )
