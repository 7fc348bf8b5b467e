"""Read a CSV of proposed facilities (lon/lat in WGS84) for a scenario — e.g. the CSV ``cli.py site`` writes.

Columns are found by name (case-insensitive): longitude ``lon`` / ``lng`` / ``longitude`` / ``经度``,
latitude ``lat`` / ``latitude`` / ``纬度``, and optionally the name ``name`` / ``名称`` / ``site`` /
``site_id``, the type ``type`` / ``类型`` / ``设施类型`` and the capacity ``capacity`` / ``容量``. UTF-8 (with or
without BOM) and GBK are read. Every bad row is listed in one :class:`ValueError` (Chinese / English).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from geodata.spreadsheet import unguard_text

LON = ("lon", "lng", "longitude", "经度")
LAT = ("lat", "latitude", "纬度")
NAME = ("name", "名称", "site", "site_id")
TYPE = ("type", "类型", "设施类型")
CAPACITY = ("capacity", "容量")
#: most rows listed in the error message
MAX_LISTED = 10


def _find(columns, names) -> str | None:
    lower = {str(c).strip().lower(): c for c in columns}
    return next((lower[n] for n in names if n in lower), None)


def read_facility_csv(path: str | Path, *, default_type: str | None = None) -> list[dict]:
    """Read proposed facilities from a CSV file.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    default_type : str, optional
        Facility type for rows without a type column or with an empty type (e.g. ``--type``).

    Returns
    -------
    list of dict
        One ``{"type", "name", "lon", "lat", "capacity"}`` per row (degrees EPSG:4326; capacity None when
        absent); names default to ``"<file stem> <row>"``.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the file is not a readable CSV, has no lon/lat columns, or rows have invalid coordinates, no
        type or a negative capacity (every such row listed, up to :data:`MAX_LISTED`).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"文件不存在 / file not found: {path}")
    df = None
    for enc in ("utf-8-sig", "gbk"):
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
            raise ValueError(
                f"无法读取 CSV / not a readable CSV: {path.name} ({str(err).splitlines()[0]})"
            ) from err
    if df is None:
        raise ValueError(f"无法识别编码（UTF-8 / GBK） / unknown encoding (UTF-8 / GBK): {path.name}")
    lon_c, lat_c = _find(df.columns, LON), _find(df.columns, LAT)
    if lon_c is None or lat_c is None:
        raise ValueError(
            f"{path.name}: 缺少经度/纬度列（lon, lat 或 经度, 纬度） / no lon/lat columns "
            f"(lon, lat or 经度, 纬度); found: {', '.join(map(str, df.columns))}"
        )
    name_c, type_c, cap_c = _find(df.columns, NAME), _find(df.columns, TYPE), _find(df.columns, CAPACITY)
    out, problems = [], []
    for i, row in enumerate(df.to_dict("records"), start=2):  # row 1 is the header
        try:
            lon, lat = float(row[lon_c]), float(row[lat_c])
        except ValueError:
            lon = lat = math.nan
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            problems.append(
                f"第 {i} 行 / row {i}: 经纬度无效 / invalid lon/lat ({row[lon_c]!r}, {row[lat_c]!r})"
            )
            continue
        ftype = (unguard_text(row[type_c]).strip() if type_c else "") or (default_type or "")
        if not ftype:
            problems.append(f"第 {i} 行 / row {i}: 没有设施类型（用 --type） / no facility type (use --type)")
            continue
        cap = None
        if cap_c and str(row[cap_c]).strip():
            try:
                cap = float(row[cap_c])
            except ValueError:
                cap = -1.0
            if not (math.isfinite(cap) and cap >= 0):
                problems.append(f"第 {i} 行 / row {i}: 容量须为不小于 0 的数 / capacity must be a number ≥ 0")
                continue
        name = unguard_text(str(row[name_c])).strip() if name_c else ""
        out.append(
            {"type": ftype, "name": name or f"{path.stem} {i - 1}", "lon": lon, "lat": lat, "capacity": cap}
        )
    if problems:
        more = f" (+{len(problems) - MAX_LISTED})" if len(problems) > MAX_LISTED else ""
        raise ValueError(f"{path.name}: " + "; ".join(problems[:MAX_LISTED]) + more)
    if not out:
        raise ValueError(f"{path.name}: 没有设施行 / no facility rows")
    return out
