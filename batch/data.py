"""Data commands: validate a workspace, check a file, import a file."""

from __future__ import annotations

import argparse
import sys

from batch.registry import command
from geodata.errors import DataValidationError, Problem


@command("workspace")
def cmd_workspace(args: argparse.Namespace) -> int:
    """Validate a workspace GeoPackage, summarise its layers and say what each analysis still needs;
    ``workspace new`` creates a new, empty city workspace."""
    if args.action == "new":
        from batch.workspace import cmd_workspace_new

        return cmd_workspace_new(args)
    from batch.workspace import print_completeness
    from geodata.workspace import load_workspace

    ws = load_workspace(args.workspace)
    for name, gdf in ws.layers.items():
        print(f"{name}: {len(gdf)} features")
    print_completeness(ws)
    print(f"synthetic={str(ws.synthetic).lower()} layers={len(ws.layers)}")
    return 0


def _valid_crs(crs: str | None, source: str) -> str | None:
    """Return ``crs`` when pyproj understands it; else raise a clear error (never a traceback)."""
    if not crs:
        return None
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError):
        raise DataValidationError(
            [Problem(source, None, None, f"invalid CRS {crs!r}", "give an EPSG code, e.g. EPSG:4548")], source
        ) from None
    return crs


def _read_for_cli(
    path: str,
    crs: str | None,
    datum: str | None = "wgs84",
    *,
    layer: str | None = None,
    sheet: str | None = None,
):
    from geodata.importing import apply_datum, read_any

    crs = _valid_crs(crs, path)
    result = read_any(path, layer=layer, sheet=sheet)  # local files: no upload cap
    if crs:
        result.gdf = result.gdf.set_crs(crs, allow_override=True)
        result.crs_source = "user"
    if datum not in (None, "wgs84") and result.gdf.crs is not None:
        result.gdf = apply_datum(result.gdf, datum)
    return result


# ---- check (reading side: layers, sheets, bad rows, bilingual messages) ----


def _print_problem(p: Problem, file=None) -> None:
    from i18n.problems import problem_text

    where_zh = (
        p.layer + (f" 第 {p.row} 行" if p.row is not None else "") + (f" 字段 {p.field}" if p.field else "")
    )
    zh = f"{where_zh}：{problem_text(p.problem, 'zh')}" + (
        f"——{problem_text(p.hint, 'zh')}" if p.hint else ""
    )
    print(f"  - {zh}", file=file)
    print(f"    {p}", file=file)


def _say(key: str, **fmt) -> None:
    from i18n import t

    print(f"{t(key, 'zh', **fmt)} / {t(key, 'en', **fmt)}")


@command("check")
def cmd_check(args: argparse.Namespace) -> int:
    """Validation report of a file: exit 0 usable as is, 1 problems (listed), 2 unreadable.

    Messages are printed in Chinese and English. A multi-layer file (GPKG, KML, FileGDB, DXF) without
    ``--layer`` and a workbook whose coordinates are not on the first sheet without ``--sheet`` are
    problems (the layers / sheets are listed); each row that does not fit the majority's coordinates
    is listed by row and name (经纬度颠倒, 超出研究范围, 坐标缺失/无效).
    """
    import numpy as np

    from geodata.importing.conform import bad_row_problems
    from geodata.validate import check_crs, check_geometry
    from i18n import t

    try:
        result = _read_for_cli(args.file, args.crs, layer=args.layer, sheet=args.sheet)
    except DataValidationError as err:
        print(
            f"{t('read.cannot_read', 'zh', file=args.file)} / {t('read.cannot_read', 'en', file=args.file)}",
            file=sys.stderr,
        )
        for p in err.problems:
            _print_problem(p, file=sys.stderr)
        return 2
    gdf = result.gdf
    print(f"file: {result.source}")
    print(f"features: {len(gdf)}  geometry: {', '.join(sorted(gdf.geometry.geom_type.dropna().unique()))}")
    print(f"columns: {', '.join(str(c) for c in gdf.columns if c != gdf.geometry.name)}")
    crs_text = gdf.crs.to_string() if gdf.crs is not None else "none"
    _say("read.crs", crs=crs_text, src=t(f"read.crs_src.{result.crs_source}", "en"))
    if result.crs_candidates:
        _say("read.candidates", c=", ".join(result.crs_candidates))
    if result.layers:
        _say(
            "read.layers", layers=", ".join(f"{n} ({result.layer_counts.get(n, -1)})" for n in result.layers)
        )
    if result.sheets:
        _say("read.sheets", sheets=", ".join(result.sheets))
    if result.encoding:
        _say("read.encoding", e=result.encoding)
    from i18n.problems import problem_text

    for note in result.notes:
        print(f"说明：{problem_text(note, 'zh')} / note: {note}")
    if result.datum_hint:
        _say("read.datum", d=result.datum_hint.upper(), d_lower=result.datum_hint)
    allowed = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
    problems: list[Problem] = []
    if result.layer_defaulted and not args.layer:
        problems.append(
            Problem(
                result.source,
                None,
                None,
                f"the file has {len(result.layers)} layers and none was chosen: "
                + ", ".join(f"{n} ({result.layer_counts.get(n, -1)})" for n in result.layers),
                "give --layer NAME",
            )
        )
    if result.sheet_defaulted and not args.sheet:
        problems.append(
            Problem(
                result.source,
                None,
                None,
                f"the workbook has {len(result.sheets)} sheets and the coordinates are not on the first: "
                + ", ".join(result.sheets),
                "give --sheet NAME",
            )
        )
    problems += bad_row_problems(result.gdf, result.bad_rows, result.source)
    keep = np.ones(len(gdf), dtype=bool)
    keep[list(result.bad_rows)] = False
    if result.crs_ambiguous and not args.crs:
        problems.append(
            Problem(
                result.source,
                None,
                "geometry",
                "Gauss-Krüger coordinates without zone prefix fit both "
                + " and ".join(result.crs_candidates)
                + " — the zone cannot be told",
                "give --crs with the right one",
            )
        )
    else:
        problems += check_crs(gdf[keep], result.source)
    problems += check_geometry(gdf, result.source, allowed)
    if (
        result.crs_source == "inferred"
        and result.crs_candidates
        and not args.crs
        and not result.crs_ambiguous
    ):
        _say("read.confirm_crs")
    if problems:
        _say("read.problems", n=len(problems))
        for p in problems:
            _print_problem(p)
        return 1
    print(t("read.usable", "zh"))
    print("usable as is: yes")
    return 0


@command("import")
def cmd_import(args: argparse.Namespace) -> int:
    """Import a file into the workspace as facilities, neighbourhoods, parcels, population, streets, communities or
    subdistricts (atomically)."""
    import json
    from pathlib import Path

    from geodata.catalogue import load_catalogue
    from geodata.importing import (
        TARGETS,
        attach_areas,
        commit_import,
        conform,
        load_saved_mapping,
        map_categories,
        repair,
        suggest_mapping,
        validation_report,
    )
    from geodata.schema import LAYERS
    from geodata.workspace import load_workspace, workspace_path

    target_ws = Path(args.workspace) if args.workspace else workspace_path()
    if not target_ws.exists():
        raise FileNotFoundError(f"工作空间不存在：{target_ws} / no such workspace: {target_ws}")
    from batch import import_kinds  # population, streets, 社区/街道

    if args.as_ in import_kinds.KINDS:
        return import_kinds.run_import_kind(args, target_ws)
    poi = _read_poi_for_cli(args) if args.as_ == "facilities" else None
    result = (
        poi.result
        if poi
        else _read_for_cli(args.file, args.crs, args.datum or "wgs84", layer=args.layer, sheet=args.sheet)
    )
    if result.gdf.crs is None:
        raise DataValidationError(
            [Problem(result.source, None, "geometry", "no CRS and none could be inferred", "give --crs")],
            result.source,
        )
    gdf = result.gdf
    schema = LAYERS[TARGETS[args.as_]]
    mapping = json.loads(Path(args.mapping).read_text(encoding="utf-8")) if args.mapping else {}
    columns = suggest_mapping(gdf.columns, schema) | mapping.get("columns", {})
    categories = None
    if poi:  # AMap / Baidu: types from the typecode table, unmapped ones listed (left without a type)
        gdf = _poi_types(gdf, poi, mapping)
        columns["type"] = "type"
    elif args.as_ == "facilities" and columns.get("type"):
        categories = (
            map_categories(gdf[columns["type"]], load_catalogue())
            | load_saved_mapping()
            | mapping.get("categories", {})
        )
    conformed = conform(gdf, args.as_, columns, categories=categories, defaults=mapping.get("defaults"))
    conformed = attach_areas(conformed, args.as_, load_workspace(target_ws).layers)
    bad_rows = result.bad_rows  # swapped / out-of-area / invalid rows, named (the file's rows, in order)
    problems = validation_report(conformed, args.as_, bad_rows=bad_rows)
    if problems and args.on_problems != "cancel":
        n_before = len(conformed)
        conformed = repair(conformed, problems, args.on_problems, target=args.as_, bad_rows=bad_rows)
        if args.on_problems == "drop":
            print(f"dropped={n_before - len(conformed)} rows with problems")
            bad_rows = {}
        problems = validation_report(conformed, args.as_, bad_rows=bad_rows)
    if problems:
        print(f"未导入：{len(problems)} 个问题（未作任何修改）", file=sys.stderr)
        print(f"not imported: {len(problems)} problem(s) (nothing was changed)", file=sys.stderr)
        for p in problems:
            _print_problem(p, file=sys.stderr)
        return 1
    done = commit_import(conformed, args.as_, workspace=target_ws)
    print(
        f"imported={len(conformed)} layer={TARGETS[args.as_]} workspace={done.path}"
        f" created={done.created} updated={done.updated} unchanged={done.unchanged}"
    )
    return 0


# ---------------------------------------------------------------------------- AMap / Baidu POI exports


def _read_poi_for_cli(args: argparse.Namespace):
    """Read an AMap / Baidu POI export (None for any other file), converted to WGS84, and say so."""
    from geodata.importing import apply_datum
    from geodata.importing.amap import read_poi

    poi = read_poi(args.file)
    if poi is None:
        return None
    datum = args.datum or poi.datum
    poi.result.gdf = apply_datum(poi.result.gdf, datum)
    provider = {"amap": "AMap (高德)", "baidu": "Baidu (百度)"}[poi.provider]
    print(f"recognised: {provider} POI export, {poi.rows} rows")
    if datum == "wgs84":
        print("datum: WGS84 as given by --datum wgs84 (no conversion)")
    else:
        given = "--datum" if args.datum else "the provider's datum"
        print(f"datum: converted {datum.upper()} → WGS84 ({given})")
    for note in poi.notes[1:]:
        print(f"note: {note}")
    if args.crs:
        print(f"note: --crs {args.crs} is not used: a POI export's location is in longitude/latitude degrees")
    return poi


def _poi_types(gdf, poi, mapping: dict):
    """Type POIs from the typecode table (and the user's saved one), print mapped and unmapped counts."""
    from geodata.catalogue import load_catalogue
    from geodata.importing.amap import assign_types

    typed, counts = assign_types(gdf, poi.provider, load_catalogue())
    extra = mapping.get("categories", {})  # --mapping categories: code (or tag) → type key
    if extra:
        code_col = next((c for c in typed.columns if str(c).lower() in ("typecode", "tag")), None)
        if code_col is not None:
            by_code = typed[code_col].astype(str).str.split("|").str[0].map(extra)
            typed["type"] = typed["type"].where(typed["type"].notna(), by_code)
    mapped = typed["type"].value_counts()
    print("types: " + (" ".join(f"{k}={v}" for k, v in mapped.items()) or "none"))
    if counts.by_name:
        print(f"typed by name rule: {counts.by_name}")
    left = typed["type"].isna().sum()
    if left:
        print(f"unmapped: {left} rows (no type: listed as problems; --on-problems drop leaves them out)")
        for row in counts.unmapped.itertuples():
            if not extra or row.code not in extra:
                print(f"  unmapped code {row.code or '(none)'} {row.name} ×{row.count}")
    return typed


def register(sub) -> None:
    """Add this module's subcommands to the argparse sub-parsers."""
    p = sub.add_parser(
        "workspace",
        help="validate a workspace and list what each analysis needs; `workspace new` creates a city workspace",
    )
    p.add_argument("action", nargs="?", choices=["new"], help="new: create an empty city workspace")
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: RENEWAL_WORKSPACE or demo)")
    from batch.workspace import add_new_arguments

    add_new_arguments(p)
    p = sub.add_parser("check", help="validation report of a data file (exit 0 ok, 1 problems, 2 unreadable)")
    p.add_argument("file")
    p.add_argument("--crs", default=None, help="the file's CRS when it has none, e.g. EPSG:4548")
    _add_read_options(p)
    p = sub.add_parser("import", help="import a file into the workspace")
    p.add_argument("file")
    from batch.import_kinds import KINDS, add_kind_arguments

    p.add_argument(
        "--as", dest="as_", required=True, choices=["facilities", "neighbourhoods", "parcels", *KINDS]
    )
    p.add_argument(
        "--workspace",
        default=None,
        help="workspace .gpkg to import into (default: RENEWAL_WORKSPACE, else <data dir>/workspace.gpkg;"
        " never the synthetic demo)",
    )
    p.add_argument(
        "--mapping", default=None, help="JSON: {columns: {ours: theirs}, categories: {..}, defaults: {..}}"
    )
    p.add_argument("--crs", default=None)
    _add_read_options(p)
    p.add_argument(
        "--datum",
        choices=["wgs84", "gcj02", "bd09"],
        default=None,
        help="gcj02 for AMap/Tencent exports, bd09 for Baidu (converted to WGS84); default wgs84, or the"
        " provider's datum for a recognised AMap/Baidu POI export",
    )
    p.add_argument(
        "--on-problems", choices=["cancel", "repair", "drop"], default="cancel", dest="on_problems"
    )
    add_kind_arguments(p)


def _add_read_options(p) -> None:
    """``--layer`` (multi-layer files) and ``--sheet`` (workbooks), shared by check and import."""
    p.add_argument("--layer", default=None, help="layer of a GPKG / KML / FileGDB / DXF with several layers")
    p.add_argument("--sheet", default=None, help="sheet of an XLSX workbook holding the coordinates")
