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


def _read_for_cli(path: str, crs: str | None, datum: str = "wgs84"):
    from geodata.importing import apply_datum, read_any

    result = read_any(path)
    if crs:
        result.gdf = result.gdf.set_crs(crs, allow_override=True)
        result.crs_source = "user"
    if datum != "wgs84" and result.gdf.crs is not None:
        result.gdf = apply_datum(result.gdf, datum)
    return result


@command("check")
def cmd_check(args: argparse.Namespace) -> int:
    """Validation report of a file: exit 0 usable as is, 1 problems (listed), 2 unreadable."""
    from geodata.validate import check_crs, check_geometry

    try:
        result = _read_for_cli(args.file, args.crs)
    except DataValidationError as err:
        print(f"cannot read {args.file}:", file=sys.stderr)
        for p in err.problems:
            print(f"  - {p}", file=sys.stderr)
        return 2
    gdf = result.gdf
    print(f"file: {result.source}")
    print(f"features: {len(gdf)}  geometry: {', '.join(sorted(gdf.geometry.geom_type.dropna().unique()))}")
    print(f"columns: {', '.join(str(c) for c in gdf.columns if c != gdf.geometry.name)}")
    crs_text = gdf.crs.to_string() if gdf.crs is not None else "none"
    print(
        f"crs: {crs_text} ({result.crs_source})"
        + (f"; candidates: {', '.join(result.crs_candidates)}" if result.crs_candidates else "")
    )
    if result.encoding:
        print(f"encoding: {result.encoding}")
    for note in result.notes:
        print(f"note: {note}")
    if result.datum_hint:
        print(
            f"note: names suggest {result.datum_hint.upper()} coordinates — import with --datum {result.datum_hint}"
        )
    allowed = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
    problems = check_crs(gdf, result.source) + check_geometry(gdf, result.source, allowed)
    if result.crs_source == "inferred" and result.crs_candidates and not args.crs:
        print("note: the CRS was inferred; confirm it with --crs")
    if problems:
        print(f"problems: {len(problems)}")
        for p in problems:
            print(f"  - {p}")
        return 1
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
        commit,
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
    result = _read_for_cli(args.file, args.crs, args.datum)
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
    if args.as_ == "facilities" and columns.get("type"):
        categories = (
            map_categories(gdf[columns["type"]], load_catalogue())
            | load_saved_mapping()
            | mapping.get("categories", {})
        )
    conformed = conform(gdf, args.as_, columns, categories=categories, defaults=mapping.get("defaults"))
    conformed = attach_areas(conformed, args.as_, load_workspace(target_ws).layers)
    problems = validation_report(conformed, args.as_)
    if problems and args.on_problems != "cancel":
        conformed = repair(conformed, problems, args.on_problems)
        problems = validation_report(conformed, args.as_)
    if problems:
        print(f"not imported: {len(problems)} problem(s) (nothing was changed)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    dest = commit(conformed, args.as_, workspace=target_ws)
    print(f"imported={len(conformed)} layer={TARGETS[args.as_]} workspace={dest}")
    return 0


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
    p.add_argument(
        "--datum",
        choices=["wgs84", "gcj02", "bd09"],
        default="wgs84",
        help="gcj02 for AMap/Tencent exports, bd09 for Baidu (converted to WGS84)",
    )
    p.add_argument(
        "--on-problems", choices=["cancel", "repair", "drop"], default="cancel", dest="on_problems"
    )
    add_kind_arguments(p)
