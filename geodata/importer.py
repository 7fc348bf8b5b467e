"""Bring your own data: read safely, recognise the coordinate system, map fields, validate, import atomically.

Formats: GeoPackage (pick a layer), zipped Shapefile (UTF-8 or GBK: .cpg honoured, otherwise detected),
Shapefile, GeoJSON, KML, CSV / XLSX with coordinate columns (经度/纬度, lng/lat, lon/lat, x/y, 横坐标/纵坐标) or
a WKT column. Coordinates: the file's CRS when it has one; otherwise inferred from the value ranges (degrees
in China; CGCS2000 3° Gauss-Krüger with or without the zone prefix) and shown for confirmation. GCJ-02
(AMap/Tencent) and BD-09 (Baidu) coordinates are converted to WGS84 when the user says so (the files do not
say it themselves; names hinting at AMap/Baidu produce a suggestion).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geodata.chinacoords import bd09_to_wgs84, gcj02_to_wgs84
from geodata.errors import DataValidationError, Problem
from geodata.paths import data_dir
from geodata.schema import LAYERS, LayerSchema
from geodata.validate import CHINA_LAT, CHINA_LON, check_columns, check_crs, check_geometry

#: default upload cap (bytes) — a setting: RENEWAL_MAX_UPLOAD_MB
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: refuse archives whose uncompressed size exceeds this many times the cap
MAX_UNZIPPED_FACTOR = 5
COORD_PAIRS = (
    ("经度", "纬度"),
    ("lng", "lat"),
    ("lon", "lat"),
    ("longitude", "latitude"),
    ("x", "y"),
    ("横坐标", "纵坐标"),
)
TARGETS = {"facilities": "facilities", "neighbourhoods": "compounds", "parcels": "parcels"}
#: facility category names met in bureau lists → catalogue type keys
CATEGORY_SYNONYMS = {
    "幼儿园": "kindergarten",
    "小学": "primary_school",
    "中学": "middle_school",
    "初中": "middle_school",
    "高中": "middle_school",
    "托育": "nursery",
    "托儿所": "nursery",
    "卫生服务中心": "health_center",
    "卫生服务站": "health_station",
    "卫生室": "health_station",
    "诊所": "health_station",
    "养老院": "elderly_home",
    "敬老院": "elderly_home",
    "日间照料": "elderly_daycare",
    "养老服务站": "elderly_daycare",
    "文化": "culture_center",
    "体育": "sports_field",
    "健身": "sports_field",
    "口袋公园": "pocket_park",
    "游园": "pocket_park",
    "公园": "park",
    "菜市场": "market",
    "农贸市场": "market",
    "生鲜": "market",
    "超市": "market",
    "便利店": "convenience",
    "社区服务": "community_service",
    "党群服务": "community_service",
    "公交": "bus_stop",
    "地铁": "metro_station",
    "停车": "parking",
    "充电": "ev_charging",
}


def max_upload_bytes() -> int:
    try:
        return int(float(os.environ.get("RENEWAL_MAX_UPLOAD_MB", "200")) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MAX_BYTES


def _fail(name: str, problem: str, hint: str = "") -> DataValidationError:
    return DataValidationError([Problem(name, None, None, problem, hint)], source=name)


@dataclass
class ReadResult:
    gdf: gpd.GeoDataFrame
    source: str
    layers: list[str] = field(default_factory=list)
    encoding: str | None = None
    crs_source: str = "file"  # file | inferred | user
    crs_candidates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    datum_hint: str | None = None  # "gcj02" / "bd09" when names suggest it


# ------------------------------------------------------------------------------------------ safety


def check_archive(path: Path, *, max_bytes: int | None = None) -> zipfile.ZipFile:
    """Open a zip only if every entry is a plain relative path and the uncompressed total is bounded."""
    max_bytes = max_bytes or max_upload_bytes()
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise _fail(path.name, "the archive is damaged or not a zip file", "re-create the zip") from None
    total = 0
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
            zf.close()
            raise _fail(
                path.name,
                f"unsafe path inside the archive: {info.filename!r}",
                "the zip must contain plain relative file names",
            )
        total += info.file_size
    if total > max_bytes * MAX_UNZIPPED_FACTOR:
        zf.close()
        raise _fail(
            path.name,
            f"the archive expands to {total / 1e6:,.0f} MB, over the limit of "
            f"{max_bytes * MAX_UNZIPPED_FACTOR / 1e6:,.0f} MB",
            "split the data or raise the limit",
        )
    return zf


def _detect_dbf_encoding(dbf_bytes: bytes) -> str:
    """UTF-8 when the DBF's text decodes as UTF-8, else GBK (GB18030) — typical for Chinese GIS shops."""
    try:
        dbf_bytes.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        return "GB18030"


# ------------------------------------------------------------------------------------------ reading


def read_any(path: str | Path, *, layer: str | None = None, max_bytes: int | None = None) -> ReadResult:
    """Read a user's file into a GeoDataFrame. Raises :class:`DataValidationError` with a clear message for
    unreadable, empty, oversized, unsafe or non-geographic files."""
    path = Path(path)
    max_bytes = max_bytes or max_upload_bytes()
    if not path.exists():
        raise _fail(path.name, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise _fail(path.name, "the file is empty")
    if size > max_bytes:
        raise _fail(
            path.name,
            f"the file is {size / 1e6:,.0f} MB, over the upload limit of {max_bytes / 1e6:,.0f} MB",
            "split it or raise RENEWAL_MAX_UPLOAD_MB",
        )
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".xlsx", ".xls"):
        return _read_table(path)
    if suffix == ".zip":
        return _read_zip(path, max_bytes=max_bytes)
    try:
        layers = [n for n, _ in pyogrio.list_layers(path)]
        name = layer or (layers[0] if layers else None)
        gdf = pyogrio.read_dataframe(path, layer=name)
    except Exception as exc:  # noqa: BLE001 - GDAL raises many kinds for unreadable files
        raise _fail(
            path.name,
            f"cannot be read as a geographic file ({type(exc).__name__})",
            "supported: GPKG, zipped SHP, GeoJSON, KML, CSV/XLSX with coordinates",
        ) from None
    return _finish(ReadResult(gdf=_require_geometry(gdf, path.name), source=path.name, layers=layers))


def _read_zip(path: Path, *, max_bytes: int) -> ReadResult:
    with check_archive(path, max_bytes=max_bytes) as zf:
        shps = [n for n in zf.namelist() if n.lower().endswith(".shp")]
        if not shps:
            raise _fail(
                path.name,
                "no .shp file inside the archive",
                "zip the .shp with its .dbf, .shx, .prj (and .cpg)",
            )
        shp = shps[0]
        stem = shp[:-4]
        names = {n.lower(): n for n in zf.namelist()}
        notes = []
        cpg = names.get(f"{stem}.cpg".lower())
        if cpg:
            encoding = zf.read(cpg).decode("ascii", "ignore").strip() or "UTF-8"
            notes.append(f"encoding from .cpg: {encoding}")
        else:
            dbf = names.get(f"{stem}.dbf".lower())
            encoding = _detect_dbf_encoding(zf.read(dbf)) if dbf else "UTF-8"
            notes.append(f"no .cpg: encoding detected as {encoding}")
    try:
        gdf = pyogrio.read_dataframe(f"/vsizip/{path}/{shp}", encoding=encoding)
    except Exception as exc:  # noqa: BLE001
        raise _fail(
            path.name,
            f"the shapefile inside cannot be read ({type(exc).__name__})",
            "check that .shp, .shx and .dbf are all in the zip",
        ) from None
    return _finish(
        ReadResult(gdf=_require_geometry(gdf, path.name), source=path.name, encoding=encoding, notes=notes)
    )


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise _fail(name, "the text encoding is not UTF-8 or GBK", "save the table as UTF-8 or GBK")


def _read_table(path: Path) -> ReadResult:
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df, enc = pd.read_excel(path), None
        else:
            text, enc = _decode(path.read_bytes(), path.name)
            df = pd.read_csv(io.StringIO(text))
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas raises many kinds on malformed tables
        raise _fail(path.name, f"the table cannot be read ({type(exc).__name__})", "check the file") from None
    gdf = table_to_gdf(df, path.name)
    return _finish(ReadResult(gdf=gdf, source=path.name, encoding=enc, crs_source="inferred"))


def table_to_gdf(df: pd.DataFrame, name: str = "table") -> gpd.GeoDataFrame:
    """Points from coordinate columns (or geometries from a WKT column); no CRS yet (inferred later)."""
    if df.empty:
        raise _fail(name, "the table has no rows")
    cols = {str(c).strip().lower(): c for c in df.columns}
    for xname, yname in COORD_PAIRS:
        if xname.lower() in cols and yname.lower() in cols:
            xs = pd.to_numeric(df[cols[xname.lower()]], errors="coerce")
            ys = pd.to_numeric(df[cols[yname.lower()]], errors="coerce")
            bad = np.flatnonzero((xs.isna() | ys.isna()).to_numpy())
            if len(bad) == len(df):
                raise _fail(name, f"the columns {xname}/{yname} hold no numbers")
            geom = gpd.points_from_xy(xs.fillna(np.nan), ys.fillna(np.nan))
            geom = [None if i in set(bad) else g for i, g in enumerate(geom)]
            return gpd.GeoDataFrame(df, geometry=geom, crs=None)
    for key in ("wkt", "geometry", "geom"):
        if key in cols:
            geom = gpd.GeoSeries.from_wkt(df[cols[key]].astype(str), on_invalid="ignore")
            return gpd.GeoDataFrame(df.drop(columns=[cols[key]]), geometry=geom, crs=None)
    raise _fail(
        name,
        "no coordinate columns found and no WKT column",
        "name them 经度/纬度, lng/lat, lon/lat, x/y or 横坐标/纵坐标, or add a WKT column",
    )


def _require_geometry(gdf, name: str) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry is None or gdf.geometry.isna().all():
        raise _fail(name, "the file has no geometry: it is not a geographic file")
    if len(gdf) == 0:
        raise _fail(name, "the file has no features")
    return gdf


def _finish(result: ReadResult) -> ReadResult:
    gdf = result.gdf
    text = " ".join([result.source, *map(str, gdf.columns)]).lower()
    if re.search(r"gcj|amap|gaode|高德|腾讯", text):
        result.datum_hint = "gcj02"
    elif re.search(r"bd09|baidu|百度", text):
        result.datum_hint = "bd09"
    if gdf.crs is None:
        result.crs_source = "inferred"
        result.crs_candidates = infer_crs(gdf)
        if result.crs_candidates:
            result.gdf = gdf.set_crs(result.crs_candidates[0])
            result.notes.append(
                f"no CRS in the file: inferred {result.crs_candidates[0]} from the coordinate values"
            )
    return result


# ------------------------------------------------------------------------------------------ CRS


def infer_crs(gdf: gpd.GeoDataFrame) -> list[str]:
    """Likely CRSs for coordinates without a CRS, best first (empty when nothing fits China)."""
    geoms = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
    if len(geoms) == 0:
        return []
    minx, miny, maxx, maxy = geoms.total_bounds
    if CHINA_LON[0] <= minx and maxx <= CHINA_LON[1] and CHINA_LAT[0] <= miny and maxy <= CHINA_LAT[1]:
        return ["EPSG:4326", "EPSG:4490"]
    if CHINA_LAT[0] <= minx and maxx <= CHINA_LAT[1] and CHINA_LON[0] <= miny and maxy <= CHINA_LON[1]:
        return ["EPSG:4326"]  # degrees with lon/lat swapped: validation then says "swapped"
    if 25_000_000 <= minx and maxx < 46_000_000 and 300_000 <= miny <= 6_000_000:
        zone = int(minx // 1_000_000)  # 3° zone number prefix (e.g. 38 → 114°E, 39 → 117°E)
        if zone == int(maxx // 1_000_000):
            return [f"EPSG:{4513 + zone - 25}"]  # EPSG:4513 = CGCS2000 3° GK zone 25 (with prefix)
    if 100_000 <= minx and maxx <= 900_000 and 300_000 <= miny <= 6_000_000:
        return ["EPSG:4547", "EPSG:4548", "EPSG:32650"]  # GK CM 114°E / 117°E without prefix, or UTM 50N
    return []


def apply_datum(gdf: gpd.GeoDataFrame, datum: str) -> gpd.GeoDataFrame:
    """Convert GCJ-02 / BD-09 longitude-latitude geometries to WGS84 (a copy)."""
    if datum == "wgs84":
        return gdf
    fn = {"gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}.get(datum)
    if fn is None:
        raise ValueError(f"unknown datum {datum!r}; use wgs84, gcj02 or bd09")
    ll = gdf.to_crs("EPSG:4326")

    def conv(coords):
        x, y = fn(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return ll.set_geometry(shapely.transform(ll.geometry.values, conv), crs="EPSG:4326")


# ------------------------------------------------------------------------------------------ mapping


def suggest_mapping(columns, schema: LayerSchema) -> dict[str, str | None]:
    """For each required column of the target, the user's column that probably holds it."""
    hints = {
        "name": ("name", "名称", "小区名称", "设施名称", "地块名称", "项目名称"),
        "type": ("type", "类别", "类型", "设施类型", "分类"),
        "population": ("population", "人口", "常住人口", "居住人口", "pop"),
        "households": ("households", "户数", "住户"),
        "build_year": ("build_year", "建成年份", "建成年代", "年份", "建设年代"),
        "parcel_type": ("parcel_type", "地块类型", "类型"),
    }
    lower = {str(c).strip().lower(): c for c in columns}
    out = {}
    for col in schema.columns:
        out[col] = next((lower[h.lower()] for h in (col, *hints.get(col, ())) if h.lower() in lower), None)
    return out


def map_categories(values, catalogue) -> dict[str, str | None]:
    """User category names → catalogue type keys (exact key, Chinese name, or a known synonym)."""
    by_name = {t.name_zh: k for k, t in catalogue.types.items()}
    out = {}
    for v in pd.unique(pd.Series(list(values)).astype(str)):
        key = v if v in catalogue.types else by_name.get(v)
        if key is None:
            key = next(
                (k for word, k in sorted(CATEGORY_SYNONYMS.items(), key=lambda kv: -len(kv[0])) if word in v),
                None,
            )
        out[v] = key
    return out


def mapping_path() -> Path:
    return data_dir() / "category_mapping.json"


def load_saved_mapping() -> dict[str, str]:
    try:
        return json.loads(mapping_path().read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def save_mapping(mapping: dict[str, str]) -> None:
    merged = load_saved_mapping() | {k: v for k, v in mapping.items() if v}
    tmp = mapping_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(mapping_path())


def conform(
    gdf: gpd.GeoDataFrame,
    target: str,
    columns: dict[str, str | None],
    *,
    categories: dict[str, str | None] | None = None,
    defaults: dict | None = None,
) -> gpd.GeoDataFrame:
    """The user's data renamed onto the target schema (EPSG:4326): mapped columns, category keys, defaults for
    unmapped optional values, generated ids; unmapped required columns stay missing (validation reports them)."""
    schema = LAYERS[TARGETS[target]]
    out = gpd.GeoDataFrame(index=gdf.index, geometry=gdf.geometry.values, crs=gdf.crs)
    for col in schema.columns:
        src = columns.get(col)
        if src is not None and src in gdf.columns:
            out[col] = gdf[src].to_numpy()
        elif defaults and col in defaults:
            out[col] = defaults[col]
    if categories and "type" in out:
        out["type"] = out["type"].astype(str).map(lambda v: categories.get(v) or v)
    if schema.key and schema.key not in out:
        prefix = {"facilities": "UF", "compounds": "UR", "parcels": "UP"}[TARGETS[target]]
        batch = pd.Timestamp.now(tz="UTC").strftime("%Y%m%d%H%M%S")  # unique per import batch
        out[schema.key] = [f"{prefix}{batch}-{i + 1:05d}" for i in range(len(out))]
    return out.to_crs("EPSG:4326") if out.crs is not None else out


def attach_areas(gdf: gpd.GeoDataFrame, target: str, layers: dict) -> gpd.GeoDataFrame:
    """Fill ``district_adcode`` (and ``community_id`` for neighbourhoods) from the workspace polygons when the
    user did not map them; features outside every district keep an empty value (reported by validation)."""
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


def validation_report(gdf: gpd.GeoDataFrame, target: str) -> list[Problem]:
    """Every problem by row for a conformed layer (CRS, geometry, columns, values, duplicates)."""
    schema = LAYERS[TARGETS[target]]
    name = TARGETS[target]
    problems = (
        check_crs(gdf, name) + check_geometry(gdf, name, schema.geometry) + check_columns(gdf, schema, name)
    )
    if "geometry" in gdf and len(gdf):
        wkb = gdf.geometry.to_wkb()
        dup = np.flatnonzero(wkb.duplicated().to_numpy() & gdf.geometry.notna().to_numpy())
        problems += [
            Problem(
                name, int(r), "geometry", "duplicate geometry of an earlier row", "drop it if it is a copy"
            )
            for r in dup[:20]
        ]
    return problems


def repair(gdf: gpd.GeoDataFrame, problems: list[Problem], action: str) -> gpd.GeoDataFrame:
    """``repair``: make geometries valid (make_valid) and keep rows; ``drop``: remove every row with a problem."""
    if action == "repair":
        out = gdf.copy()
        out["geometry"] = shapely.make_valid(out.geometry.values)
        return out
    if action == "drop":
        bad = {p.row for p in problems if p.row is not None}
        return gdf.drop(index=gdf.index[sorted(bad)]).reset_index(drop=True)
    raise ValueError(f"unknown action {action!r}; use repair or drop")


# ------------------------------------------------------------------------------------------ commit


def user_workspace_path() -> Path:
    return data_dir() / "workspace.gpkg"


def commit(gdf: gpd.GeoDataFrame, target: str, *, workspace: Path, mode: str = "append") -> Path:
    """Write the validated layer into a copy of the workspace, check the whole copy loads, then atomically
    replace the user workspace (``<data dir>/workspace.gpkg``). A failure leaves everything unchanged."""
    from geodata.workspace import load_workspace

    name = TARGETS[target]
    problems = validation_report(gdf, target)
    if problems:
        raise DataValidationError(problems, source=f"import into {name}")
    dest = user_workspace_path()
    fd, tmp = tempfile.mkstemp(suffix=".gpkg", dir=dest.parent)
    os.close(fd)
    try:
        shutil.copyfile(workspace, tmp)
        existing = pyogrio.read_dataframe(tmp, layer=name)
        cols = list(LAYERS[name].columns)
        new = gdf[cols + ["geometry"]].to_crs(existing.crs or "EPSG:4326")
        combined = (
            pd.concat([existing[cols + ["geometry"]], new], ignore_index=True) if mode == "append" else new
        )
        gpd.GeoDataFrame(combined, geometry="geometry", crs=existing.crs or "EPSG:4326").to_file(
            tmp, layer=name, driver="GPKG", mode="w"
        )
        load_workspace(tmp)  # the whole workspace must still validate (e.g. no duplicate ids)
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest
