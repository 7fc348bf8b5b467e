"""Conforming a user's layer to a workspace layer.

Rename and fill columns, attach administrative areas, report every problem by row, and repair or drop
the bad rows.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.errors import Problem
from geodata.importing.mapping import TARGETS
from geodata.schema import LAYERS
from geodata.validate import MAX_ROWS_LISTED, check_columns, check_crs, check_geometry


def conform(
    gdf: gpd.GeoDataFrame,
    target: str,
    columns: dict[str, str | None],
    *,
    categories: dict[str, str | None] | None = None,
    defaults: dict | None = None,
) -> gpd.GeoDataFrame:
    """Rename the user's data onto the target schema.

    Mapped columns are copied, category names replaced by type keys, unmapped optional values
    filled from ``defaults`` and ids generated; unmapped required columns stay missing (validation
    reports them).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The user's layer, with a CRS.
    target : str
        ``"facilities"``, ``"neighbourhoods"`` or ``"parcels"`` (:data:`~geodata.importing.mapping.TARGETS`).
    columns : dict
        Target column → the user's column (None = unmapped).
    categories : dict, optional
        The user's category → type key, applied to ``type``.
    defaults : dict, optional
        Target column → value for unmapped columns.

    Returns
    -------
    geopandas.GeoDataFrame
        The conformed layer in EPSG:4326 (left in its CRS when it has none).
    """
    schema = LAYERS[TARGETS[target]]
    out = gpd.GeoDataFrame(index=gdf.index, geometry=gdf.geometry.values, crs=gdf.crs)
    for col in (*schema.columns, *schema.optional):
        src = columns.get(col)
        if src is not None and src in gdf.columns:
            out[col] = gdf[src].to_numpy()
        elif defaults and col in defaults:
            out[col] = defaults[col]
    if categories and "type" in out:
        out["type"] = out["type"].astype(str).map(lambda v: categories.get(v) or v)
    if schema.key and schema.key not in out:
        prefix = {"facilities": "UF", "compounds": "UR", "parcels": "UP"}[TARGETS[target]]
        # unique per import batch (microseconds: two imports within one second must not clash)
        batch = pd.Timestamp.now(tz="UTC").strftime("%Y%m%d%H%M%S%f")
        out[schema.key] = [f"{prefix}{batch}-{i + 1:05d}" for i in range(len(out))]
    return out.to_crs("EPSG:4326") if out.crs is not None else out


def attach_areas(gdf: gpd.GeoDataFrame, target: str, layers: dict) -> gpd.GeoDataFrame:
    """Fill ``district_adcode`` (and ``community_id`` for neighbourhoods) from the workspace polygons.

    Only when the user did not map them; a feature is placed by a representative point inside it.
    Features outside every district keep an empty value (reported by validation).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer (:func:`conform`).
    target : str
        The import target.
    layers : dict
        Workspace layers (``districts``, ``communities``), any CRS (reprojected to the layer's).

    Returns
    -------
    geopandas.GeoDataFrame
        A copy with the area columns (and ``capacity`` = 0, "not stated", for facilities).
    """
    out = gdf.copy()
    pts = gpd.GeoDataFrame(geometry=out.geometry.representative_point(), crs=out.crs)
    if "district_adcode" not in out and "districts" in layers:
        d = gpd.sjoin(
            pts, layers["districts"][["adcode", "geometry"]].to_crs(out.crs), how="left", predicate="within"
        )
        out["district_adcode"] = d[~d.index.duplicated()]["adcode"].to_numpy()
    if TARGETS[target] == "compounds" and "community_id" not in out and "communities" in layers:
        c = gpd.sjoin(
            pts,
            layers["communities"][["community_id", "geometry"]].to_crs(out.crs),
            how="left",
            predicate="within",
        )
        out["community_id"] = c[~c.index.duplicated()]["community_id"].fillna("").to_numpy()
    if TARGETS[target] == "facilities" and "capacity" not in out:
        out["capacity"] = 0  # capacity unknown in most facility lists: 0 = not stated
    return out


def validation_report(
    gdf: gpd.GeoDataFrame, target: str, *, max_rows: int | None = MAX_ROWS_LISTED
) -> list[Problem]:
    """List every problem by row of a conformed layer (CRS, geometry, columns, values, duplicates).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer.
    target : str
        The import target.
    max_rows : int or None, default MAX_ROWS_LISTED
        Rows listed per kind of problem (the rest summarised in one problem without a row); None lists
        every row — :func:`repair` drops with that full list.

    Returns
    -------
    list of Problem
        Empty when the layer can be imported.
    """
    schema = LAYERS[TARGETS[target]]
    name = TARGETS[target]
    problems = (
        check_crs(gdf, name)
        + check_geometry(gdf, name, schema.geometry, max_rows=max_rows)
        + check_columns(gdf, schema, name, max_rows=max_rows)
    )
    if "geometry" in gdf and len(gdf):
        wkb = gdf.geometry.to_wkb()
        dup = np.flatnonzero(wkb.duplicated().to_numpy() & gdf.geometry.notna().to_numpy())
        shown = dup if max_rows is None else dup[:max_rows]
        problem, hint = "duplicate geometry of an earlier row", "drop it if it is a copy"
        problems += [Problem(name, int(r), "geometry", problem, hint) for r in shown]
        if len(dup) > len(shown):
            problems.append(
                Problem(name, None, "geometry", f"{problem} (and {len(dup) - len(shown)} more rows)", hint)
            )
    return problems


def repair(
    gdf: gpd.GeoDataFrame, problems: list[Problem], action: str, *, target: str | None = None
) -> gpd.GeoDataFrame:
    """Repair the geometries or drop the rows with problems.

    The report a user sees lists at most :data:`~geodata.validate.MAX_ROWS_LISTED` rows per kind of
    problem; dropping uses every bad row: with ``target`` the layer is checked again without that cap.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer.
    problems : list of Problem
        Its validation report.
    action : str
        ``"repair"``: make geometries valid (``make_valid``) and keep every row; ``"drop"``: remove
        every row with a problem.
    target : str, optional
        The import target; when given, ``"drop"`` removes all bad rows found by
        :func:`validation_report` with no listing cap (not only the rows in ``problems``).

    Returns
    -------
    geopandas.GeoDataFrame
        A new layer.

    Raises
    ------
    ValueError
        For an unknown action.
    """
    if action == "repair":
        out = gdf.copy()
        out["geometry"] = shapely.make_valid(out.geometry.values)
        return out
    if action == "drop":
        bad = {p.row for p in problems if p.row is not None}
        if target is not None:
            bad |= {p.row for p in validation_report(gdf, target, max_rows=None) if p.row is not None}
        return gdf.drop(index=gdf.index[sorted(bad)]).reset_index(drop=True)
    raise ValueError(f"unknown action {action!r}; use repair or drop")
