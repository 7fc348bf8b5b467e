"""Validate a layer against :mod:`geodata.schema` and collect *every* problem.

Each check appends :class:`~geodata.errors.Problem` rows (layer, row, field, problem, hint); callers
raise one :class:`~geodata.errors.DataValidationError` with all of them.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from geodata.errors import Problem
from geodata.schema import LayerSchema

#: Longitude / latitude envelope of China (generous), used to recognise degrees vs metres.
CHINA_LON = (73.0, 136.0)
CHINA_LAT = (3.0, 54.0)
#: At most this many rows are listed per kind of problem; the rest are summarised in one line.
MAX_ROWS_LISTED = 20


def _rows(
    problems: list[Problem],
    layer: str,
    rows,
    field: str | None,
    problem: str,
    hint: str,
    limit: int | None = MAX_ROWS_LISTED,
) -> None:
    rows = list(rows)
    shown = rows if limit is None else rows[:limit]
    for r in shown:
        problems.append(Problem(layer, int(r), field, problem, hint))
    if len(rows) > len(shown):
        problems.append(
            Problem(layer, None, field, f"{problem} (and {len(rows) - len(shown)} more rows)", hint)
        )


def check_crs(gdf: gpd.GeoDataFrame, layer: str) -> list[Problem]:
    """Check that a layer has a CRS and coordinates consistent with it.

    Degrees must lie within China (longitude 73–136°, latitude 3–54°) and not be swapped; degrees
    beyond ±180/±90 are reported as metres under a wrong geographic CRS.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    layer : str
        Layer name used in the problems.

    Returns
    -------
    list of Problem
        Layer-level problems; empty when the CRS is plausible.
    """
    problems: list[Problem] = []
    geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if gdf.crs is None:
        problems.append(
            Problem(
                layer,
                None,
                "geometry",
                "the layer has no coordinate reference system (CRS)",
                "save it with a .prj / CRS, or give --crs (e.g. EPSG:4326, EPSG:4490, EPSG:4548)",
            )
        )
        return problems
    if len(geoms) == 0:
        return problems
    minx, miny, maxx, maxy = geoms.total_bounds
    crs = CRS.from_user_input(gdf.crs)
    if crs.is_geographic:
        swapped = (
            minx >= CHINA_LAT[0] and maxx <= CHINA_LAT[1] and miny >= CHINA_LON[0] and maxy <= CHINA_LON[1]
        )
        if swapped:
            problems.append(
                Problem(
                    layer,
                    None,
                    "geometry",
                    "longitude and latitude look swapped (x values are latitudes in China)",
                    "swap the coordinate columns / axis order and import again",
                )
            )
        elif max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90:
            problems.append(
                Problem(
                    layer,
                    None,
                    "geometry",
                    f"CRS {crs.to_string()} is in degrees but coordinates reach "
                    f"({maxx:.0f}, {maxy:.0f}) — they look like metres",
                    "the file's CRS is wrong: set the projected CRS it really uses (e.g. EPSG:4548)",
                )
            )
        elif minx < CHINA_LON[0] or maxx > CHINA_LON[1] or miny < CHINA_LAT[0] or maxy > CHINA_LAT[1]:
            problems.append(
                Problem(
                    layer,
                    None,
                    "geometry",
                    f"coordinates ({minx:.3f}, {miny:.3f}) – ({maxx:.3f}, {maxy:.3f}) lie outside China",
                    "check the CRS and the coordinate columns",
                )
            )
    return problems


def check_geometry(
    gdf: gpd.GeoDataFrame, layer: str, allowed: tuple[str, ...], *, max_rows: int | None = MAX_ROWS_LISTED
) -> list[Problem]:
    """Find empty, missing, invalid or wrongly typed geometries.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    layer : str
        Layer name used in the problems.
    allowed : tuple of str
        Allowed geometry types (e.g. ``("Point",)``).
    max_rows : int or None, default MAX_ROWS_LISTED
        Rows listed per kind of problem (the rest summarised in one row-less problem); None lists every
        row (to drop them all).

    Returns
    -------
    list of Problem
        One per bad row (listing capped at ``max_rows`` per kind, the rest summarised).
    """
    problems: list[Problem] = []
    geom = gdf.geometry
    missing = np.flatnonzero((geom.isna() | geom.is_empty).to_numpy())
    _rows(
        problems,
        layer,
        missing,
        "geometry",
        "empty or missing geometry",
        "drop the row or draw it",
        limit=max_rows,
    )
    present = ~(geom.isna() | geom.is_empty).to_numpy()
    invalid = np.flatnonzero(present & ~geom.is_valid.to_numpy())
    _rows(
        problems,
        layer,
        invalid,
        "geometry",
        "invalid geometry (self-intersection or bad ring)",
        "repair with make_valid",
        limit=max_rows,
    )
    types = geom.geom_type.to_numpy()
    wrong = np.flatnonzero(present & ~np.isin(types, list(allowed)))
    _rows(
        problems,
        layer,
        wrong,
        "geometry",
        f"geometry type is not {' / '.join(allowed)}",
        "use the layer with the right geometry type",
        limit=max_rows,
    )
    return problems


def _coerce(series: pd.Series, kind: str) -> tuple[pd.Series, np.ndarray]:
    """Return the coerced series and a boolean mask of values that could not be coerced."""
    if kind in ("int", "float"):
        num = pd.to_numeric(series, errors="coerce")
        bad = num.isna().to_numpy() & series.notna().to_numpy()
        if kind == "int":
            frac = num.notna().to_numpy() & (num.fillna(0) % 1 != 0).to_numpy()
            bad = bad | frac
        return num, bad
    if kind == "bool":
        mapping = {
            True: True,
            False: False,
            "true": True,
            "false": False,
            "1": True,
            "0": False,
            "是": True,
            "否": False,
            "yes": True,
            "no": False,
        }
        out = series.map(lambda v: mapping.get(v.strip().lower() if isinstance(v, str) else v))
        bad = out.isna().to_numpy() & series.notna().to_numpy()
        return out, bad
    return series.astype("string"), np.zeros(len(series), dtype=bool)


def check_columns(
    gdf: pd.DataFrame,
    schema: LayerSchema,
    layer: str | None = None,
    *,
    max_rows: int | None = MAX_ROWS_LISTED,
) -> list[Problem]:
    """Find missing columns, empty and wrongly typed values, values outside choices or ranges, duplicate keys.

    Parameters
    ----------
    gdf : pandas.DataFrame
        The layer's table.
    schema : LayerSchema
        What the layer must hold.
    layer : str, optional
        Layer name used in the problems; default the schema's name.
    max_rows : int or None, default MAX_ROWS_LISTED
        Rows listed per kind of problem; None lists every row.

    Returns
    -------
    list of Problem
        One per bad row and column (listing capped at ``max_rows`` per kind).
    """
    layer = layer or schema.name
    problems: list[Problem] = []
    present_optional = {c: k for c, k in schema.optional.items() if c in gdf.columns}
    for col, kind in (schema.columns | present_optional).items():
        if col not in gdf.columns:
            problems.append(
                Problem(
                    layer,
                    None,
                    col,
                    f"required column {col!r} ({kind}) is missing",
                    "add the column or map one of yours onto it",
                )
            )
            continue
        series = gdf[col]
        empty = np.flatnonzero(series.isna().to_numpy())
        _rows(problems, layer, empty, col, "empty value", f"fill in a {kind} value", limit=max_rows)
        values, bad = _coerce(series, kind)
        _rows(
            problems,
            layer,
            np.flatnonzero(bad),
            col,
            f"value is not a valid {kind}",
            f"use a {kind} value",
            limit=max_rows,
        )
        if col in schema.choices:
            allowed = set(schema.choices[col])
            outside = np.flatnonzero(series.notna().to_numpy() & ~series.astype(str).isin(allowed).to_numpy())
            _rows(
                problems,
                layer,
                outside,
                col,
                "value not in the allowed list",
                "allowed: " + " / ".join(repr(a) for a in schema.choices[col]),
                limit=max_rows,
            )
        if col in schema.ranges and kind in ("int", "float"):
            lo, hi = schema.ranges[col]
            v = values.to_numpy(dtype=float, na_value=np.nan)
            out = np.zeros(len(v), dtype=bool)
            if lo is not None:
                out |= v < lo
            if hi is not None:
                out |= v > hi
            _rows(
                problems,
                layer,
                np.flatnonzero(out),
                col,
                f"value out of range [{lo if lo is not None else '-∞'}, {hi if hi is not None else '∞'}]",
                "check the unit and the value",
                limit=max_rows,
            )
    if schema.key and schema.key in gdf.columns:
        dup = np.flatnonzero(gdf[schema.key].duplicated(keep="first").to_numpy())
        _rows(
            problems,
            layer,
            dup,
            schema.key,
            "duplicate identifier",
            "identifiers must be unique",
            limit=max_rows,
        )
    return problems


def validate_layer(gdf: gpd.GeoDataFrame, schema: LayerSchema, layer: str | None = None) -> list[Problem]:
    """List all problems of one layer (CRS, geometry, columns).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.
    schema : LayerSchema
        What the layer must hold.
    layer : str, optional
        Layer name used in the problems; default the schema's name.

    Returns
    -------
    list of Problem
        Empty when the layer is usable as is.
    """
    layer = layer or schema.name
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None:
        return [
            Problem(
                layer,
                None,
                "geometry",
                "the layer has no geometry column",
                "a spatial layer is required (points, lines or polygons)",
            )
        ]
    return (
        check_crs(gdf, layer)
        + check_geometry(gdf, layer, schema.geometry)
        + check_columns(gdf, schema, layer)
    )
