"""Residents for a city workspace: a population raster, a 七普 table per 社区/街道, or building footprints.

Each source becomes ``population_cells`` points (see :mod:`geodata.schema`):

* **raster** (WorldPop-style GeoTIFF, any CRS): one point per cell at the cell centre, ``population`` = the cell
  value; cells that are nodata, zero (or negative / NaN), or whose centre lies outside the workspace's districts
  are dropped and counted. The total equals the raster sum over the kept cells.
* **table** (CSV/XLSX, one row per 社区 or 街道): joined to the workspace's ``communities`` (or
  ``subdistricts``) by code, else by name (whitespace removed, full-width folded by NFKC); each matched row is one
  point at the polygon's *representative point* (a point guaranteed inside the polygon), carrying the whole
  population. Unmatched names and ambiguous names (one name, several polygons) are listed, never dropped silently.
* **footprints** (building polygons with a floors column): households = footprint area (m²) × floors ×
  dwelling share ÷ floor area per dwelling (m²); population = households × household size. Both the household
  size and the floor area per dwelling are the user's assumptions (no default). One point per building centroid.

``elderly`` is the table's 60+ column when there is one, else population × the share the user states, else 0
(and the result's notes say so). Writing is :func:`replace_population`: the workspace's ``population_cells`` are
replaced atomically (:func:`geodata.importing.kinds.commit_layer`).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.errors import DataValidationError
from geodata.importing.encoding import decode_text
from geodata.importing.mapping import FIELD_HINTS
from geodata.importing.safety import check_size, file_error
from geodata.schema import AGE_GROUPS

#: suffixes read as population rasters
RASTER_SUFFIXES = (".tif", ".tiff")
#: suffixes read as population tables (no geometry)
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls")

#: column names of a 七普 table: code of the 社区/街道, its name, the street name, the population
CODE_HINTS = ("社区代码", "社区编码", "村居代码", "community_id", "code", "代码", "编码", "区划代码")
SUB_CODE_HINTS = ("街道代码", "街道编码", "乡镇代码", "subdistrict_id")
NAME_HINTS = ("社区", "社区名称", "村居", "村居名称", "居委会", "community", "name", "名称")
SUB_NAME_HINTS = ("街道", "街道名称", "乡镇", "乡镇街道", "subdistrict", "street")
POP_HINTS = ("常住人口", "人口", "总人口", "人口数", "population", "pop", "居住人口")
FLOOR_HINTS = (
    "floors",
    "floor",
    "层数",
    "楼层",
    "楼层数",
    "地上层数",
    "storeys",
    "levels",
    "building:levels",
)


@dataclass
class PopulationImport:
    """Population cells made from one source, with what was dropped and why.

    Attributes
    ----------
    cells : geopandas.GeoDataFrame
        ``population_cells`` rows (EPSG:4326): ``cell_id, population, elderly, district_adcode, community_id``
        and any age-group columns.
    source : str
        ``"raster"``, ``"table"`` or ``"footprints"``.
    total : float
        Sum of ``population`` over ``cells`` (persons).
    dropped : dict
        Reason → count of source rows/cells not kept (``nodata``, ``zero``, ``outside``, ``unmatched`` …).
    unmatched : list of str
        Table rows that matched no polygon (their name or code), in file order.
    ambiguous : list of str
        Names that fit several polygons (with the candidates), not placed.
    notes : list of str
        What was assumed (elderly share, placement), in Chinese / English.
    """

    cells: gpd.GeoDataFrame
    source: str
    total: float
    dropped: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _share(elderly_share: float | None) -> float | None:
    if elderly_share is None:
        return None
    share = float(elderly_share)
    if not 0.0 <= share <= 1.0 or share != share:
        raise ValueError(
            f"老年人口比例须在 0 到 1 之间：{elderly_share} / the elderly share must lie in 0…1: {elderly_share}"
        )
    return share


def _elderly_note(share: float | None) -> str:
    if share is None:
        return (
            "未给出老年人口比例：老年人口记为 0（用 --elderly-share 给出，如七普比例） / no elderly share given:"
            " elderly set to 0 (give --elderly-share, e.g. the 七普 share)"
        )
    return f"老年人口 = 人口 × {share:g}（用户给出） / elderly = population × {share:g} (stated by the user)"


def _metric_crs(gdf: gpd.GeoDataFrame):
    return gdf.to_crs("EPSG:4326").estimate_utm_crs()


def _locate(points: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, communities: gpd.GeoDataFrame | None):
    """``district_adcode`` (points outside every district get -1) and ``community_id`` ("" outside)."""
    pts = points.to_crs("EPSG:4326")
    d = districts.to_crs("EPSG:4326")[["adcode", "geometry"]].reset_index(drop=True)
    hit = gpd.sjoin(pts[["geometry"]], d, how="left", predicate="within")
    hit = hit[~hit.index.duplicated(keep="first")]
    adcode = hit["adcode"].reindex(pts.index).fillna(-1).astype("int64")
    community = pd.Series("", index=pts.index, dtype=object)
    if communities is not None and not communities.empty:
        c = communities.to_crs("EPSG:4326")[["community_id", "geometry"]].reset_index(drop=True)
        ch = gpd.sjoin(pts[["geometry"]], c, how="left", predicate="within")
        ch = ch[~ch.index.duplicated(keep="first")]
        community = ch["community_id"].reindex(pts.index).fillna("").astype(str)
    return adcode, community


def _cells(
    points, population, elderly, districts, communities, ids, extra=None, located=None
) -> gpd.GeoDataFrame:
    gdf = gpd.GeoDataFrame(
        {
            "cell_id": np.asarray(ids).astype(str).astype(object),
            "population": np.asarray(population, dtype="float64"),
            "elderly": np.asarray(elderly, dtype="float64"),
        },
        geometry=gpd.GeoSeries(points).to_crs("EPSG:4326").to_numpy(),
        crs="EPSG:4326",
    )
    adcode, community = located if located is not None else _locate(gdf, districts, communities)
    gdf["district_adcode"] = np.asarray(adcode, dtype="int64")
    gdf["community_id"] = np.asarray(community, dtype=object)
    for col, values in (extra or {}).items():
        gdf[col] = np.asarray(values, dtype="float64")
    cols = ["cell_id", "population", "elderly", "district_adcode", "community_id", *(extra or {})]
    return gdf[[*cols, "geometry"]]


# ---------------------------------------------------------------------------------------------------- raster
def raster_population(
    path: str | Path,
    districts: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame | None = None,
    *,
    elderly_share: float | None = None,
    crs: str | None = None,
) -> PopulationImport:
    """Make population cells from a gridded population raster (band 1, persons per cell).

    Parameters
    ----------
    path : str or Path
        A GeoTIFF (WorldPop style: persons per cell, any CRS, a nodata value).
    districts : geopandas.GeoDataFrame
        The workspace's districts (``adcode`` + polygons); their union is the boundary.
    communities : geopandas.GeoDataFrame, optional
        The workspace's communities; sets ``community_id`` of each cell ("" when none).
    elderly_share : float, optional
        Share of residents aged 60+ (0…1); default none → ``elderly`` = 0 (said in the notes).
    crs : str, optional
        The raster's CRS when the file has none (e.g. ``EPSG:4326``).

    Returns
    -------
    PopulationImport
        One cell per raster cell whose centre lies in a district, with a value > 0; ``dropped`` counts
        ``nodata``, ``zero`` (≤ 0) and ``outside`` cells of the window read.

    Raises
    ------
    DataValidationError
        The file is not a readable raster, has no CRS (and none given), or no cell is inside the boundary.
    ValueError
        ``elderly_share`` outside 0…1.
    """
    import rasterio
    from rasterio.errors import RasterioError
    from rasterio.windows import Window

    share = _share(elderly_share)
    path = Path(path)
    name = path.name
    check_size(path, name=name)
    if districts is None or districts.empty:
        raise file_error(
            name, "the workspace has no districts", "create the workspace with cli.py workspace new"
        )
    try:
        src = rasterio.open(path)
    except (RasterioError, OSError) as exc:
        raise file_error(
            name, f"cannot be read as a raster ({type(exc).__name__})", "give a GeoTIFF"
        ) from None
    with src:
        raster_crs = src.crs or (_user_crs(crs, name) if crs else None)
        if raster_crs is None:
            raise file_error(name, "the raster has no CRS", "give --crs, e.g. EPSG:4326")
        if src.transform.is_identity:
            raise file_error(
                name, "the raster has no georeference", "export it as a GeoTIFF with coordinates"
            )
        t = src.transform
        if t.b or t.d:
            raise file_error(name, "the raster is rotated", "export it north-up (no rotation)")
        win = _window(districts.to_crs(raster_crs).total_bounds, t, src.width, src.height)
        if win is None:
            raise file_error(name, "the raster does not overlap the workspace", "check its CRS and extent")
        row0, col0, height, width = win
        data = src.read(1, window=Window(col0, row0, width, height), masked=True).astype("float64")
    values = np.ma.filled(data, np.nan)
    nodata = np.ma.getmaskarray(data) | np.isnan(values)
    zero = ~nodata & ~(values > 0)
    keep = ~nodata & ~zero
    rows, cols = np.nonzero(keep)
    # cell centres from the affine transform (north-up: x = c + a·(col + ½), y = f + e·(row + ½))
    xs = t.c + t.a * (col0 + cols + 0.5)
    ys = t.f + t.e * (row0 + rows + 0.5)
    # inside = the cell's centre lies in a district: GDAL rasterize burns exactly those cells
    zone = _burn(districts.to_crs(raster_crs).geometry, t, row0, col0, data.shape)[rows, cols]
    inside = zone > 0
    rows, cols, xs, ys, zone = rows[inside], cols[inside], xs[inside], ys[inside], zone[inside]
    adcode = districts["adcode"].to_numpy()[zone - 1]
    community = np.full(len(rows), "", dtype=object)
    if communities is not None and not communities.empty:
        czone = _burn(communities.to_crs(raster_crs).geometry, t, row0, col0, data.shape)[rows, cols]
        ids_c = communities["community_id"].astype(str).to_numpy()
        community = np.where(czone > 0, ids_c[np.maximum(czone, 1) - 1], "")
    pts = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=raster_crs)
    pop = values[rows, cols]
    ids = np.char.add(
        np.char.add("r", (row0 + rows).astype(str)), np.char.add("_", (col0 + cols).astype(str))
    )
    elderly = pop * share if share is not None else np.zeros_like(pop)
    cells = _cells(pts, pop, elderly, districts, communities, ids, located=(adcode, community))
    if cells.empty:
        raise file_error(
            name, "no populated cell lies inside the workspace boundary", "check its CRS and extent"
        )
    dropped = {"nodata": int(nodata.sum()), "zero": int(zero.sum()), "outside": int((~inside).sum())}
    res_m = abs(t.a), abs(t.e)
    notes = [
        f"栅格 {data.shape[1]}×{data.shape[0]} 格（{res_m[0]:g}×{res_m[1]:g}，{raster_crs.to_string()}），每格中心一个点 /"
        f" raster {data.shape[1]}×{data.shape[0]} cells ({res_m[0]:g}×{res_m[1]:g}, {raster_crs.to_string()}),"
        " one point per cell centre",
        _elderly_note(share),
    ]
    return PopulationImport(cells, "raster", float(cells["population"].sum()), dropped, notes=notes)


def _user_crs(crs: str, name: str):
    from rasterio.crs import CRS
    from rasterio.errors import CRSError

    try:
        return CRS.from_user_input(crs)
    except CRSError:
        raise file_error(name, f"{crs!r} is not a valid CRS", "give an EPSG code, e.g. EPSG:4326") from None


def _burn(geoms: gpd.GeoSeries, t, row0: int, col0: int, shape) -> np.ndarray:
    """Per cell of the window, 1 + the position of the polygon holding the cell's centre (0: none)."""
    from affine import Affine
    from rasterio.features import rasterize

    shapes = [(g, i + 1) for i, g in enumerate(geoms) if g is not None and not g.is_empty]
    window_t = Affine(t.a, 0.0, t.c + t.a * col0, 0.0, t.e, t.f + t.e * row0)
    return rasterize(shapes, out_shape=shape, transform=window_t, fill=0, dtype="int32")


def _window(bounds, t, width: int, height: int) -> tuple[int, int, int, int] | None:
    """(row_off, col_off, height, width) of the raster cells covering ``bounds`` (in the raster CRS), or None."""
    minx, miny, maxx, maxy = bounds
    cols = sorted(((minx - t.c) / t.a, (maxx - t.c) / t.a))
    rows = sorted(((miny - t.f) / t.e, (maxy - t.f) / t.e))
    c0, c1 = max(0, int(np.floor(cols[0]))), min(width, int(np.ceil(cols[1])) + 1)
    r0, r1 = max(0, int(np.floor(rows[0]))), min(height, int(np.ceil(rows[1])) + 1)
    if c0 >= c1 or r0 >= r1:
        return None
    return r0, c0, r1 - r0, c1 - c0


# ----------------------------------------------------------------------------------------------------- table
def normalise_name(value) -> str:
    """Normalise a name for matching: NFKC (full-width → half-width), all whitespace removed; "" for missing.

    Parameters
    ----------
    value : object
        A cell of a table.

    Returns
    -------
    str
        E.g. ``" 八一 社区"`` and ``"八一社区"`` (full-width space) both give ``"八一社区"``.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _code(value) -> str:
    text = normalise_name(value)
    return text[:-2] if re.fullmatch(r"\d+\.0", text) else text  # 3601020010.0 from a numeric column


def read_table(path: str | Path, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8 or GBK) or XLSX table without geometry.

    Parameters
    ----------
    path : str or Path
        The file.
    sheet : str or int, optional
        XLSX sheet; default the first.

    Returns
    -------
    pandas.DataFrame
        All cells as read (codes kept as text).

    Raises
    ------
    DataValidationError
        Unreadable, oversized or empty.
    """
    path = Path(path)
    check_size(path, name=path.name)
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df = pd.read_excel(path, sheet_name=sheet or 0, dtype=str)
        else:
            text, _ = decode_text(path.read_bytes(), path.name)
            df = pd.read_csv(io.StringIO(text), dtype=str)
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas raises many kinds on malformed tables
        raise file_error(
            path.name, f"the table cannot be read ({type(exc).__name__})", "check the file"
        ) from None
    if df.empty:
        raise file_error(path.name, "the table has no rows")
    return df


def _find(columns, hints) -> str | None:
    norm = {normalise_name(c).lower(): c for c in columns}
    for h in hints:
        if normalise_name(h).lower() in norm:
            return norm[normalise_name(h).lower()]
    return None


def _numbers(series: pd.Series, column: str, name: str) -> pd.Series:
    cleaned = series.map(lambda v: normalise_name(v).replace(",", ""))
    out = pd.to_numeric(cleaned, errors="coerce")
    bad = out.isna() | (out < 0)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy())[:10])
        raise file_error(
            name,
            f"column {column!r} holds values that are not numbers ≥ 0 (rows {rows})",
            "fix those rows; an empty population is not allowed",
        )
    return out.astype("float64")


def table_population(
    df: pd.DataFrame,
    districts: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame | None,
    subdistricts: gpd.GeoDataFrame | None,
    *,
    level: str | None = None,
    elderly_share: float | None = None,
    name: str = "table",
) -> PopulationImport:
    """Make population cells from a table per 社区 (or 街道), joined to the workspace's polygons.

    Rows are joined by code when the table has a code column, else (and for rows whose code fits no
    polygon) by normalised name (:func:`normalise_name`); a community name shared by polygons in different
    streets is resolved by the table's 街道 column when it has one, else listed as ambiguous. Each matched row
    becomes one point at the polygon's representative point with the row's whole population.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (:func:`read_table`): a name and/or code column, a population column (常住人口, 人口 …) and
        optional age-group columns (60岁及以上, 80岁及以上, 0-3岁, 3-6岁, 6-12岁).
    districts, communities, subdistricts : geopandas.GeoDataFrame
        The workspace's layers.
    level : {"community", "subdistrict"}, optional
        Which polygons the rows are; default community when the workspace has communities and the table
        has a 社区 column, else subdistrict.
    elderly_share : float, optional
        Share of 60+ residents (0…1) used when the table has no 60+ column.
    name : str
        The file name for messages.

    Returns
    -------
    PopulationImport
        Matched rows as cells; ``unmatched`` and ``ambiguous`` list the others (not placed).

    Raises
    ------
    DataValidationError
        No population column, no name or code column, no target polygons, or non-numeric values.
    """
    share = _share(elderly_share)
    pop_col = _find(df.columns, POP_HINTS)
    if pop_col is None:
        raise file_error(name, "no population column", "name it 常住人口, 人口 or population")
    has_comm = communities is not None and not communities.empty
    has_sub = subdistricts is not None and not subdistricts.empty
    comm_name = _find(df.columns, NAME_HINTS)
    if level is None:
        level = "community" if has_comm and (comm_name or _find(df.columns, CODE_HINTS)) else "subdistrict"
    if level == "community":
        if not has_comm:
            raise file_error(name, "the workspace has no communities", "import them first: --as communities")
        polys, key = communities, "community_id"
        name_col, code_col = comm_name, _find(df.columns, CODE_HINTS)
        street_col = _find(df.columns, SUB_NAME_HINTS)
    elif level == "subdistrict":
        if not has_sub:
            raise file_error(
                name, "the workspace has no subdistricts", "import them first: --as subdistricts"
            )
        polys, key = subdistricts, "subdistrict_id"
        name_col = _find(df.columns, SUB_NAME_HINTS) or _find(df.columns, ("name", "名称"))
        code_col = _find(df.columns, SUB_CODE_HINTS) or _find(df.columns, ("code", "代码", "编码"))
        street_col = None
    else:
        raise ValueError(f"level must be community or subdistrict, not {level!r}")
    if name_col is None and code_col is None:
        raise file_error(name, f"no name or code column for the {level} rows", "name it 社区/街道 or 代码")
    pop = _numbers(df[pop_col], str(pop_col), name)
    by_code = {_code(v): i for i, v in zip(polys.index, polys[key])}
    by_name: dict[str, list] = {}
    for i, v in zip(polys.index, polys["name"]):
        by_name.setdefault(normalise_name(v), []).append(i)
    sub_names, sub_label = {}, {}
    if has_sub and level == "community":  # street names shown with ambiguous community names
        sub_label = dict(zip(subdistricts["subdistrict_id"].astype(str), subdistricts["name"].astype(str)))
    if street_col is not None and has_sub:
        sub_names = dict(
            zip(subdistricts["subdistrict_id"].astype(str), subdistricts["name"].map(normalise_name))
        )
    matched: list[tuple[int, object]] = []
    unmatched, ambiguous = [], []
    for row in range(len(df)):
        code = _code(df[code_col].iloc[row]) if code_col is not None else ""
        label = normalise_name(df[name_col].iloc[row]) if name_col is not None else ""
        if code and code in by_code:
            matched.append((row, by_code[code]))
            continue
        cands = by_name.get(label, []) if label else []
        if len(cands) > 1 and street_col is not None:
            street = normalise_name(df[street_col].iloc[row])
            cands = [i for i in cands if sub_names.get(str(polys.at[i, "subdistrict_id"])) == street]
        if len(cands) == 1:
            matched.append((row, cands[0]))
        elif len(cands) > 1:
            where = "、".join(
                f"{sub_label.get(str(polys.at[i, 'subdistrict_id']), '')} {polys.at[i, key]}".strip()
                for i in cands
            )
            ambiguous.append(f"{label}（{where}）")
        else:
            unmatched.append(label or code or f"row {row + 2}")
    rows = [r for r, _ in matched]
    targets = [p for _, p in matched]
    repeated = pd.Series(targets).duplicated(keep=False)
    if repeated.any():
        twice = sorted({str(polys.at[p, key]) for p, dup in zip(targets, repeated) if dup})
        raise file_error(
            name, f"several rows fit the same {level}: {', '.join(twice[:10])}", "keep one row per unit"
        )
    points = polys.loc[targets].to_crs(_metric_crs(polys)).geometry.representative_point().to_crs("EPSG:4326")
    population = pop.iloc[rows].to_numpy()
    ages = {c: _find(df.columns, FIELD_HINTS[c]) for c in AGE_GROUPS}
    extra = {c: _numbers(df[col], str(col), name).iloc[rows].to_numpy() for c, col in ages.items() if col}
    if "elderly_60" in extra:
        elderly = extra["elderly_60"]
        note = "老年人口取自表中 60 岁及以上列 / elderly taken from the table's 60+ column"
    else:
        elderly = population * share if share is not None else np.zeros_like(population)
        note = _elderly_note(share)
    ids = [f"t_{polys.at[p, key]}" for p in targets]
    cells = _cells(points.reset_index(drop=True), population, elderly, districts, communities, ids, extra)
    if level == "community":  # the row's own community, even where the representative point sits on an edge
        cells["community_id"] = [str(polys.at[p, key]) for p in targets]
    placement = (
        "每个社区/街道一个点，位于其面内代表点，承载全部人口 / one point per 社区/街道 at the polygon's"
        " representative point, carrying its whole population"
    )
    dropped = {"unmatched": len(unmatched), "ambiguous": len(ambiguous)}
    return PopulationImport(
        cells.reset_index(drop=True),
        "table",
        float(cells["population"].sum()),
        dropped,
        unmatched,
        ambiguous,
        [placement, note],
    )


# ------------------------------------------------------------------------------------------------ footprints
def footprint_population(
    buildings: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    communities: gpd.GeoDataFrame | None = None,
    *,
    household_size: float | None,
    dwelling_area_m2: float | None,
    dwelling_share: float = 1.0,
    floors_column: str | None = None,
    elderly_share: float | None = None,
) -> PopulationImport:
    """Make population cells from building footprints: area × floors → dwellings → residents, one per building.

    population = footprint area (m², in a metric CRS) × floors × ``dwelling_share`` ÷ ``dwelling_area_m2``
    × ``household_size``.

    Parameters
    ----------
    buildings : geopandas.GeoDataFrame
        Building polygons with a CRS and a floors column (层数, floors …).
    districts, communities : geopandas.GeoDataFrame
        The workspace's layers.
    household_size : float
        Persons per household, stated by the user (e.g. a 七普 average); required.
    dwelling_area_m2 : float
        Gross floor area per dwelling (m²), stated by the user; required.
    dwelling_share : float, default 1.0
        Share of floor area that is dwellings (0…1].
    floors_column : str, optional
        The floors column; default recognised by name.
    elderly_share : float, optional
        Share of 60+ residents (0…1).

    Returns
    -------
    PopulationImport
        One cell per building centroid inside a district; ``dropped`` counts ``outside`` and ``zero``
        (no floors or no area).

    Raises
    ------
    ValueError
        A missing or non-positive household size or dwelling area, a share outside its range.
    DataValidationError
        No CRS, no polygons, no floors column, or floors that are not numbers ≥ 0.
    """
    share = _share(elderly_share)
    if household_size is None or dwelling_area_m2 is None:
        raise ValueError(
            "按建筑估算人口须给出户均人口（--household-size，如七普户均人口）和套均建筑面积（--dwelling-area-m2），"
            "本工具不假设默认值 / estimating residents from buildings needs the household size (--household-size,"
            " e.g. a 七普 average) and the floor area per dwelling (--dwelling-area-m2): no default is assumed"
        )
    if not household_size > 0 or not dwelling_area_m2 > 0 or not 0 < dwelling_share <= 1:
        raise ValueError(
            "户均人口、套均面积须为正数，住宅比例须在 0 到 1 之间 / household size and dwelling area must be > 0,"
            " the dwelling share in (0, 1]"
        )
    if buildings.crs is None:
        raise file_error("buildings", "the building file has no CRS", "give --crs")
    poly = buildings[
        buildings.geometry.notna() & buildings.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    ]
    if poly.empty:
        raise file_error("buildings", "no building polygons", "give footprints as polygons")
    col = floors_column or _find(poly.columns, FLOOR_HINTS)
    if col is None or col not in poly.columns:
        raise file_error("buildings", "no floors column", "name it 层数 or floors")
    floors = _numbers(poly[col], str(col), "buildings")
    metric = poly.to_crs(_metric_crs(poly))
    area = metric.geometry.area.to_numpy()
    pop = area * floors.to_numpy() * dwelling_share / dwelling_area_m2 * household_size
    ok = pop > 0
    centroids = metric.geometry.centroid[ok]
    ids = [f"b{i}" for i in np.flatnonzero(ok)]
    elderly = pop[ok] * share if share is not None else np.zeros(int(ok.sum()))
    cells = _cells(centroids.reset_index(drop=True), pop[ok], elderly, districts, communities, ids)
    inside = cells["district_adcode"].to_numpy() >= 0
    cells = cells[inside].reset_index(drop=True)
    notes = [
        f"人口 = 占地面积 × 层数 × {dwelling_share:g} ÷ {dwelling_area_m2:g} m²/套 × {household_size:g} 人/户 /"
        f" population = footprint m² × floors × {dwelling_share:g} ÷ {dwelling_area_m2:g} m² per dwelling ×"
        f" {household_size:g} persons per household",
        _elderly_note(share),
    ]
    dropped = {
        "zero": int((~ok).sum()),
        "outside": int((~inside).sum()),
        "not_polygon": len(buildings) - len(poly),
    }
    return PopulationImport(cells, "footprints", float(cells["population"].sum()), dropped, notes=notes)


def replace_population(result: PopulationImport, *, workspace: Path, replace: bool = False) -> Path:
    """Replace the workspace's ``population_cells`` with ``result.cells``, atomically.

    Parameters
    ----------
    result : PopulationImport
        From one of the functions above.
    workspace : Path
        A user (non-synthetic) workspace.
    replace : bool, default False
        Must be True when the workspace already holds population cells (they are all replaced).

    Returns
    -------
    Path
        ``workspace``.

    Raises
    ------
    ValueError
        Synthetic workspace, or existing cells without ``replace``.
    DataValidationError
        The cells or the resulting workspace do not validate (nothing written).
    """
    from geodata.importing.kinds import commit_layer

    return commit_layer(result.cells, "population_cells", workspace=workspace, replace=replace)


def population_from(
    path: str | Path,
    layers: dict,
    read_footprints,
    *,
    name: str | None = None,
    elderly_share: float | None = None,
    crs: str | None = None,
    level: str | None = None,
    household_size: float | None = None,
    dwelling_area_m2: float | None = None,
    dwelling_share: float = 1.0,
    floors_column: str | None = None,
) -> PopulationImport:
    """Read population from a file by its kind: a GeoTIFF raster, a 七普 table, else building footprints.

    Parameters
    ----------
    path : str or Path
        The file.
    layers : dict
        The workspace layers (``districts``, and ``communities`` / ``subdistricts`` when present).
    read_footprints : callable
        ``read_footprints()`` returns the building footprints as a GeoDataFrame (the CLI and the page
        read vector files their own way: options, upload cap).
    name : str, optional
        The name shown to the user; default the file name.
    elderly_share, crs, level, household_size, dwelling_area_m2, dwelling_share, floors_column
        As in :func:`raster_population` (``crs``: a raster without one), :func:`table_population`
        (``level``) and :func:`footprint_population` (the rest).

    Returns
    -------
    PopulationImport
        The cells and the report.
    """
    name = name or Path(path).name
    suffix = Path(name).suffix.lower()
    districts, communities = layers["districts"], layers.get("communities")
    if suffix in RASTER_SUFFIXES:
        return raster_population(path, districts, communities, elderly_share=elderly_share, crs=crs)
    if suffix in TABLE_SUFFIXES:
        return table_population(
            read_table(path),
            districts,
            communities,
            layers.get("subdistricts"),
            level=level,
            elderly_share=elderly_share,
            name=name,
        )
    return footprint_population(
        read_footprints(),
        districts,
        communities,
        household_size=household_size,
        dwelling_area_m2=dwelling_area_m2,
        dwelling_share=dwelling_share,
        floors_column=floors_column,
        elderly_share=elderly_share,
    )
