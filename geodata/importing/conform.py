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


#: rows whose coordinates do not fit the file's other rows (:attr:`ReadResult.bad_rows`, from
#: :func:`geodata.importing.crsguess.guess_crs`): the problem and hint of each kind
BAD_ROW_PROBLEMS = {
    "swapped": (
        "longitude and latitude swapped (the other rows are the other way round)",
        "swap the two coordinates of this row",
    ),
    "out_of_area": ("outside the study area (far from the other rows)", "check this row's coordinates"),
    "invalid": (
        "missing or invalid coordinates (inf, NaN or 0,0)",
        "fill in the coordinates or drop the row",
    ),
}
#: columns that name a row, in the order they are looked for (conformed layers have ``name``)
NAME_COLUMNS = ("name", "名称", "名字", "单位名称", "设施名称", "小区名称", "Name", "NAME")


def bad_row_problems(
    gdf: gpd.GeoDataFrame, bad_rows: dict[int, str], layer: str, *, max_rows: int | None = MAX_ROWS_LISTED
) -> list[Problem]:
    """One problem per row whose coordinates do not fit the others, named by its row and name.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer the row numbers (positions, from 0) refer to.
    bad_rows : dict of int to str
        Row position → ``"swapped"`` (经纬度颠倒), ``"out_of_area"`` (超出研究范围) or ``"invalid"``.
    layer : str
        Layer or file name used in the problems.
    max_rows : int or None, default MAX_ROWS_LISTED
        Rows listed per kind (the rest counted in one problem without a row); None lists every row.

    Returns
    -------
    list of Problem
        Empty when no row is bad.
    """
    names = next((c for c in NAME_COLUMNS if c in gdf.columns), None)
    out = []
    for kind, (problem, hint) in BAD_ROW_PROBLEMS.items():
        rows = sorted(r for r, k in bad_rows.items() if k == kind and 0 <= r < len(gdf))
        shown = rows if max_rows is None else rows[:max_rows]
        for row in shown:
            label = gdf[names].iloc[row] if names else None
            named = label is not None and not pd.isna(label) and str(label).strip() != ""
            out.append(Problem(f"{layer} ({label})" if named else layer, row, "geometry", problem, hint))
        if len(rows) > len(shown):
            more = f"{problem} (and {len(rows) - len(shown)} more rows)"
            out.append(Problem(layer, None, "geometry", more, hint))
    return out


def validation_report(
    gdf: gpd.GeoDataFrame,
    target: str,
    *,
    max_rows: int | None = MAX_ROWS_LISTED,
    bad_rows: dict[int, str] | None = None,
) -> list[Problem]:
    """List every problem by row of a conformed layer (CRS, geometry, columns, values, duplicates).

    Rows whose coordinates do not fit the others (``bad_rows``: swapped, far out of the area, invalid)
    are reported as such, by row and name, and left out of the other checks — one swapped or stray row
    neither makes the layer's CRS look wrong nor is reported twice (e.g. as lying outside every district).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        A conformed layer.
    target : str
        The import target.
    max_rows : int or None, default MAX_ROWS_LISTED
        Rows listed per kind of problem (the rest summarised in one problem without a row); None lists
        every row — :func:`repair` drops with that full list.
    bad_rows : dict of int to str, optional
        Row position → kind of the rows that do not fit the others (:attr:`ReadResult.bad_rows`; the
        conformed layer keeps the file's rows in order).

    Returns
    -------
    list of Problem
        Empty when the layer can be imported.
    """
    schema = LAYERS[TARGETS[target]]
    name = TARGETS[target]
    bad = {r: k for r, k in (bad_rows or {}).items() if 0 <= r < len(gdf)}
    fitting = gdf.drop(index=gdf.index[sorted(bad)]) if bad else gdf
    problems = bad_row_problems(gdf, bad, name, max_rows=max_rows) + check_crs(fitting, name)
    problems += [
        p
        for p in check_geometry(gdf, name, schema.geometry, max_rows=max_rows)
        + check_columns(gdf, schema, name, max_rows=max_rows)
        if p.row not in bad
    ]
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
    gdf: gpd.GeoDataFrame,
    problems: list[Problem],
    action: str,
    *,
    target: str | None = None,
    bad_rows: dict[int, str] | None = None,
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
    bad_rows : dict of int to str, optional
        The rows that do not fit the others (see :func:`validation_report`): ``"drop"`` removes them
        too; ``"repair"`` keeps them (they stay problems: their coordinates need the user's eye).

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
        bad = {p.row for p in problems if p.row is not None} | {
            r for r in bad_rows or {} if 0 <= r < len(gdf)
        }
        if target is not None:
            full = validation_report(gdf, target, max_rows=None, bad_rows=bad_rows)
            bad |= {p.row for p in full if p.row is not None}
        return gdf.drop(index=gdf.index[sorted(bad)]).reset_index(drop=True)
    raise ValueError(f"unknown action {action!r}; use repair or drop")
