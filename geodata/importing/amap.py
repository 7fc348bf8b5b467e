"""AMap (高德) and Baidu (百度) POI exports: recognised by their columns, coordinates split and typed.

A place-search result saved as CSV/XLSX holds ``name, type, typecode, address, location`` (AMap; ``location``
= ``"lng,lat"`` in one column, GCJ-02 degrees; also ``id, pname, cityname, adname``) or ``uid, name,
location`` / ``lng, lat`` (Baidu, BD-09 degrees). :func:`read_poi` recognises such a table with no flag,
splits ``location`` into a point, and says which datum the degrees are in (converted to WGS84 by
:func:`geodata.importing.datum.apply_datum`). :func:`assign_types` gives each POI a catalogue type from the
shipped typecode table ``geodata/amap_typecodes.toml`` (a copy in the user data dir overrides it code by
code) and counts what stayed unmapped. A POI id becomes the facility id (``amap:<id>`` / ``baidu:<uid>``),
so a re-import updates instead of duplicating (:mod:`geodata.importing.commit`).
"""

from __future__ import annotations

import io
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geodata.atomic import atomic_write, locked
from geodata.errors import DataValidationError
from geodata.importing.encoding import decode_text
from geodata.importing.readers import TABLE_SUFFIXES, ReadResult
from geodata.importing.safety import check_size, file_error
from geodata.paths import GEODATA_DIR, data_dir

#: the shipped, cited typecode table
SHIPPED_TYPECODES = GEODATA_DIR / "amap_typecodes.toml"
#: the datum each provider's coordinates are in
PROVIDER_DATUM = {"amap": "gcj02", "baidu": "bd09"}
#: columns (lower case) holding the POI's coordinates, in the order they are tried
_XY_PAIRS = (("lng", "lat"), ("lon", "lat"), ("location.lng", "location.lat"), ("经度", "纬度"))
_CODE = re.compile(r"^\d{6}$")


@dataclass
class PoiRead:
    """A POI export as read.

    Attributes
    ----------
    result : ReadResult
        The features (points in the provider's datum, CRS EPSG:4326 degrees, not yet converted) and what
        the reader found; ``datum_hint`` is the provider's datum.
    provider : str
        ``"amap"`` or ``"baidu"``.
    datum : str
        ``"gcj02"`` (AMap) or ``"bd09"`` (Baidu).
    rows : int
        Rows in the file.
    duplicate_ids : int
        Rows dropped because an earlier row has the same POI id (the same POI returned twice by
        overlapping searches).
    bad_location : int
        Rows whose location could not be read (kept, without geometry: validation lists them).
    notes : list of str
        What the reader decided, in English (the CLI prints them; the page words them from the counts).
    """

    result: ReadResult
    provider: str
    datum: str
    rows: int
    duplicate_ids: int = 0
    bad_location: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass
class TypeCounts:
    """What :func:`assign_types` did.

    Attributes
    ----------
    mapped : dict
        Catalogue type key → number of POIs given that type.
    by_name : int
        How many of them were typed by a name rule.
    unmapped : pandas.DataFrame
        ``code, name, count`` of the codes (or Baidu tags) that map to no type, most frequent first.
    """

    mapped: dict[str, int] = field(default_factory=dict)
    by_name: int = 0
    unmapped: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"code": [], "name": [], "count": []})
    )


# ------------------------------------------------------------------------------------------ recognising


def detect_provider(columns) -> str | None:
    """Recognise an AMap or Baidu POI export by its columns.

    Parameters
    ----------
    columns : iterable
        The table's column names.

    Returns
    -------
    str or None
        ``"amap"`` when it has ``name`` and ``typecode`` and a ``location`` (or lng/lat) column;
        ``"baidu"`` when it has ``uid`` and ``name`` and a location; else None.
    """
    cols = {str(c).strip().lower() for c in columns}
    has_xy = "location" in cols or any(x in cols and y in cols for x, y in _XY_PAIRS)
    if not has_xy or "name" not in cols:
        return None
    if "typecode" in cols:
        return "amap"
    if "uid" in cols:
        return "baidu"
    return None


def split_location(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Split ``"lng,lat"`` strings into two float arrays.

    Parameters
    ----------
    values : pandas.Series
        Text such as ``"115.892151,28.676493"`` (degrees); a ``;``-separated list (a line or an area)
        gives its first point; a Baidu dict such as ``{'lat': 28.68, 'lng': 115.9}`` is read too.

    Returns
    -------
    tuple of numpy.ndarray
        Longitudes and latitudes in degrees; NaN where the text is not two numbers.
    """
    text = values.astype("string")
    parts = text.str.split(";").str[0].str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        lng = lat = np.full(len(values), np.nan)
    else:
        lng = pd.to_numeric(parts[0].str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lat = pd.to_numeric(parts[1].str.strip(), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    # a Baidu location saved as a dict: {'lat': 28.68, 'lng': 115.9}
    num = r"""['"]?\s*:\s*(-?\d+(?:\.\d+)?)"""
    dict_lng = pd.to_numeric(text.str.extract(r"lng" + num, expand=False), errors="coerce")
    dict_lat = pd.to_numeric(text.str.extract(r"lat" + num, expand=False), errors="coerce")
    use = (dict_lng.notna() & dict_lat.notna()).to_numpy()
    lng = np.where(use, dict_lng.to_numpy(dtype=float, na_value=np.nan), lng)
    lat = np.where(use, dict_lat.to_numpy(dtype=float, na_value=np.nan), lat)
    return lng, lat


def _sniff_columns(path: Path, name: str) -> list[str]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xls"):
        try:
            return [str(c) for c in pd.read_excel(path, nrows=0).columns]
        except Exception:  # noqa: BLE001 - not a readable workbook: the general reader says why
            return []
    with path.open("rb") as fh:
        head = fh.read(65536).split(b"\n", 1)[0]
    try:
        text, _ = decode_text(head, name)
    except DataValidationError:
        return []
    sep = max((",", "\t", ";"), key=text.count)
    return [c.strip().strip('"') for c in text.split(sep)]


def read_poi(path: str | Path, *, source: str | None = None, max_bytes: int | None = None) -> PoiRead | None:
    """Read an AMap / Baidu POI export, or return None when the file is not one.

    Only tables (CSV, TXT, XLSX) are looked at; their header decides. All columns are read as text (a
    typecode such as ``090102`` keeps its leading zero). Rows repeating an earlier POI id are dropped and
    counted; rows whose location cannot be read are kept without geometry and counted.

    Parameters
    ----------
    path : str or Path
        The file.
    source : str, optional
        The name shown to the user; default the file name.
    max_bytes : int, optional
        Size cap in bytes: the web page passes its upload cap; local files named on the command line
        have none (the empty and missing checks still apply).

    Returns
    -------
    PoiRead or None
        The POIs (points in the provider's datum, EPSG:4326 degrees, with ``facility_id`` =
        ``amap:<id>`` / ``baidu:<uid>`` when the export has ids) — or None for any other file.

    Raises
    ------
    DataValidationError
        When a recognised export cannot be read (size, encoding, no usable location).
    """
    path = Path(path)
    name = source or path.name
    if path.suffix.lower() not in TABLE_SUFFIXES or not path.is_file():
        return None
    provider = detect_provider(_sniff_columns(path, name))
    if provider is None:
        return None
    check_size(path, max_bytes=max_bytes, name=name)
    enc = None
    try:
        if path.suffix.lower() in (".xlsx", ".xls"):
            df = pd.read_excel(path, dtype=str)
        else:
            text, enc = decode_text(path.read_bytes(), name)
            sep = max((",", "\t", ";"), key=text.split("\n", 1)[0].count)
            df = pd.read_csv(io.StringIO(text), dtype=str, sep=sep, keep_default_na=False, na_values=[""])
    except DataValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - pandas raises many kinds on malformed tables
        raise file_error(name, f"the table cannot be read ({type(exc).__name__})", "check the file") from None
    if df.empty:
        raise file_error(name, "the table has no rows")
    df.columns = [str(c).strip() for c in df.columns]
    gdf, dup, bad = _poi_points(df, provider, name)
    label = {"amap": "AMap (高德) POI export", "baidu": "Baidu (百度) POI export"}[provider]
    datum = PROVIDER_DATUM[provider]
    notes = [f"recognised as {label} by its columns: coordinates in {datum.upper()}"]
    if dup:
        notes.append(f"{dup} rows repeat an earlier POI id (the same POI twice) and were left out")
    if bad:
        notes.append(f"{bad} rows have no readable location")
    result = ReadResult(gdf=gdf, source=name, encoding=enc, crs_source="file", datum_hint=datum)
    return PoiRead(result, provider, datum, rows=len(df), duplicate_ids=dup, bad_location=bad, notes=notes)


def _poi_points(df: pd.DataFrame, provider: str, name: str) -> tuple[gpd.GeoDataFrame, int, int]:
    lower = {c.lower(): c for c in df.columns}
    if "location" in lower:
        lng, lat = split_location(df[lower["location"]])
    else:
        x, y = next((lower[x], lower[y]) for x, y in _XY_PAIRS if x in lower and y in lower)
        lng = pd.to_numeric(df[x], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lat = pd.to_numeric(df[y], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(lng) & np.isfinite(lat)
    if not ok.any():
        raise file_error(name, "no row has a readable location (lng,lat)", "check the location column")
    out = df.copy()
    id_col = lower.get("id" if provider == "amap" else "uid")
    if id_col is not None and "facility_id" not in lower:
        ids = out[id_col].astype("string").str.strip()
        has = ids.notna() & (ids != "") & (ids != "[]")
        out["facility_id"] = (f"{provider}:" + ids).where(has, None)
    geom = gpd.points_from_xy(np.where(ok, lng, 0.0), np.where(ok, lat, 0.0))
    gdf = gpd.GeoDataFrame(out, geometry=[g if k else None for g, k in zip(geom, ok, strict=True)], crs=4326)
    dup = 0
    if "facility_id" in gdf:
        repeated = gdf["facility_id"].notna() & gdf["facility_id"].duplicated(keep="first")
        dup = int(repeated.sum())
        gdf = gdf[~repeated.to_numpy()].reset_index(drop=True)
        if gdf["facility_id"].isna().any():  # some rows without id: ids for all come from the importer
            gdf = gdf.drop(columns="facility_id")
    return gdf, dup, int((~ok).sum())


# ------------------------------------------------------------------------------------------ typecodes


def user_typecodes_path() -> Path:
    """Return where the user's edited typecode table lives.

    Returns
    -------
    Path
        ``<data dir>/amap_typecodes.toml``.
    """
    return data_dir() / "amap_typecodes.toml"


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def load_typecodes(catalogue=None) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Load the typecode table: the shipped one, overridden code by code by the user's copy.

    Parameters
    ----------
    catalogue : Catalogue, optional
        When given, a row whose type is not a catalogue key is treated as unmapped (type ``""``).

    Returns
    -------
    tuple
        ``(codes, name_rules)``: a DataFrame ``code, name, type, verified, note, note_en, edited``
        (``note`` in Chinese, ``note_en`` in English; ``edited``: the row comes from the user's copy) indexed by code, and a list of ``(contains, type)``.
    """
    rows: dict[str, dict] = {}
    shipped = _read_toml(SHIPPED_TYPECODES)
    user = _read_toml(user_typecodes_path())
    for table, edited in ((shipped, False), (user, True)):
        for r in table.get("code", []):
            code = str(r.get("code", "")).strip()
            if _CODE.match(code):
                rows[code] = {
                    "code": code,
                    "name": str(r.get("name", rows.get(code, {}).get("name", ""))),
                    "type": str(r.get("type", "") or ""),
                    "verified": bool(r.get("verified", False)),
                    "note": str(r.get("note", "")),
                    "note_en": str(r.get("note_en", r.get("note", ""))),
                    "edited": edited,
                }
    codes = pd.DataFrame(
        list(rows.values()), columns=["code", "name", "type", "verified", "note", "note_en", "edited"]
    )
    if catalogue is not None:
        codes.loc[~codes["type"].isin(list(catalogue.types)), "type"] = ""
    rules_src = user.get("name_rule", shipped.get("name_rule", []))
    rules = [(str(r["contains"]), str(r["type"])) for r in rules_src if r.get("contains") and r.get("type")]
    if catalogue is not None:
        rules = [(w, k) for w, k in rules if k in catalogue.types]
    return codes.set_index("code", drop=False), rules


def save_typecodes(codes: pd.DataFrame, *, editor: str = "") -> Path:
    """Save an edited typecode table to the user's copy (atomically, under its lock).

    Parameters
    ----------
    codes : pandas.DataFrame
        Rows ``code, name, type`` (and optionally ``verified``, ``note``, ``note_en``); codes that are not 6 digits
        are skipped. The name rules in force are kept.
    editor : str, default ""
        Who edited it (recorded in the file's ``[meta]``).

    Returns
    -------
    Path
        :func:`user_typecodes_path`.
    """
    path = user_typecodes_path()

    def s(v) -> str:  # a TOML basic string (JSON escapes are valid TOML escapes)
        return json.dumps(
            "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v), ensure_ascii=False
        )

    with locked(path):
        _, rules = load_typecodes()
        lines = [
            "# Your copy of geodata/amap_typecodes.toml (see its header for the source of the codes).",
            '# Its rows override the shipped ones code by code; type = "" leaves a code unmapped.',
            "[meta]",
            f"edited_by = {s(editor)}",
            f"edited_at = {s(pd.Timestamp.now(tz='UTC').isoformat(timespec='seconds'))}",
        ]
        for r in codes.to_dict("records"):
            code = str(r.get("code", "")).strip()
            if not _CODE.match(code):
                continue
            lines += [
                "",
                "[[code]]",
                f"code = {s(code)}",
                f"name = {s(r.get('name'))}",
                f"type = {s(r.get('type'))}",
            ]
            lines.append(f"verified = {'true' if bool(r.get('verified', False)) else 'false'}")
            for col in ("note", "note_en"):
                if r.get(col) and not (isinstance(r.get(col), float) and np.isnan(r.get(col))):
                    lines.append(f"{col} = {s(r.get(col))}")
        for contains, key in rules:
            lines += ["", "[[name_rule]]", f"contains = {s(contains)}", f"type = {s(key)}"]
        atomic_write(path, "\n".join(lines) + "\n")
    return path


def _first_codes(values: pd.Series) -> list[list[str]]:
    """Each cell's 6-digit codes in order (AMap joins several with ``|``); numbers regain leading zeros."""
    out = []
    for v in values.astype("string").fillna(""):
        codes = []
        for part in re.split(r"[|;,、\s]+", str(v).strip()):
            part = part.split(".")[0]  # "90102.0" from a spreadsheet that stored the code as a number
            if part.isdigit() and len(part) <= 6:
                codes.append(part.zfill(6))
        out.append(codes)
    return out


def lookup(code: str, codes: pd.DataFrame) -> str:
    """Return the catalogue type of one typecode: exact code, else its 中类 parent (``xxxx00``).

    Parameters
    ----------
    code : str
        A 6-digit AMap typecode.
    codes : pandas.DataFrame
        The typecode table (:func:`load_typecodes`).

    Returns
    -------
    str
        A catalogue type key, or ``""`` when neither the code nor its parent maps.
    """
    types = codes["type"]
    if code in types.index:
        return types[code]  # an exact row decides, even when it says "" (deliberately unmapped)
    parent = code[:4] + "00"
    if parent != code and not parent.endswith("0000") and parent in types.index:
        return types[parent]
    return ""


def assign_types(
    gdf: pd.DataFrame, provider: str, catalogue, *, codes: pd.DataFrame | None = None, rules=None
) -> tuple[pd.DataFrame, TypeCounts]:
    """Give each POI a catalogue type (column ``type``; the provider's own ``type`` kept as ``poi_type``).

    AMap: a name rule first, then the typecode (:func:`lookup`; of several codes the first that maps).
    Baidu: a name rule first, then the tag (``tag``/``type``, e.g. ``教育培训;幼儿园``) read by
    :func:`geodata.importing.mapping.map_categories`. POIs that map to nothing get no type (None): the
    validation report lists them and nothing is imported under a guessed type.

    Parameters
    ----------
    gdf : pandas.DataFrame
        The POIs (:func:`read_poi`).
    provider : str
        ``"amap"`` or ``"baidu"``.
    catalogue : Catalogue
        The facility catalogue.
    codes, rules : optional
        The typecode table and name rules; default :func:`load_typecodes`.

    Returns
    -------
    tuple
        ``(typed, counts)``: a copy with ``type`` (catalogue key or None) and :class:`TypeCounts`.
    """
    from geodata.importing.mapping import map_categories

    if codes is None or rules is None:
        codes, rules = load_typecodes(catalogue)
    lower = {str(c).lower(): c for c in gdf.columns}
    out = gdf.copy()
    if "type" in lower:
        out = out.rename(columns={lower["type"]: "poi_type"})
    names = (
        out[lower["name"]].astype("string").fillna("") if "name" in lower else pd.Series("", index=out.index)
    )
    by_name = pd.Series([next((k for w, k in rules if w in n), "") for n in names], index=out.index)
    if provider == "amap":
        cells = _first_codes(out[lower["typecode"]])
        by_code = [next((t for c in cs if (t := lookup(c, codes))), "") for cs in cells]
        label = [cs[0] if cs else "" for cs in cells]
        label_name = (
            out["poi_type"].astype("string").fillna("").str.split("|").str[0]
            if "poi_type" in out
            else pd.Series("", index=out.index)
        )
    else:
        tag_col = next((lower[c] for c in ("tag", "detail_info.tag") if c in lower), None)
        tag_col = tag_col or ("poi_type" if "poi_type" in out else None)
        tags = out[tag_col].astype("string").fillna("") if tag_col else pd.Series("", index=out.index)
        last = tags.str.split(";").str[-1].str.strip()
        cat = map_categories(last, catalogue)
        by_code = [cat.get(v) or "" for v in last]
        label, label_name = list(tags), tags
    typed = [n or c for n, c in zip(by_name, by_code, strict=True)]
    out["type"] = pd.Series([t or None for t in typed], index=out.index, dtype=object)
    mapped = out["type"].value_counts()
    miss = pd.DataFrame({"code": label, "name": list(label_name)})[[not t for t in typed]]
    unmapped = (
        miss.groupby("code", sort=False)
        .agg(name=("name", "first"), count=("name", "size"))
        .reset_index()
        .sort_values(["count", "code"], ascending=[False, True], ignore_index=True)
    )
    counts = TypeCounts(
        mapped={str(k): int(v) for k, v in mapped.items()},
        by_name=int(sum(bool(n) for n in by_name)),
        unmapped=unmapped,
    )
    return out, counts
