"""``cli.py import FILE --as population|streets|communities|subdistricts --workspace W``.

Population from a GeoTIFF raster, a table per 社区/街道 or building footprints (chosen by the file); street
centre lines; 社区/街道 polygons. Each replaces its layer of the workspace atomically (``--replace`` when it has
features). Last line: ``imported=<n> layer=<layer> workspace=<path>`` (population adds ``total_population=<int>``).
Exit codes: 0 imported, 1 problems in the data (listed; nothing changed), 2 a refusal (missing assumption,
existing layer without ``--replace``, synthetic workspace).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

#: the ``--as`` choices handled here
KINDS = ("population", "streets", "communities", "subdistricts")


def add_kind_arguments(p: argparse.ArgumentParser) -> None:
    """Options of the new kinds (on the ``import`` parser)."""
    p.add_argument(
        "--replace", action="store_true", help="population/streets/communities: replace existing features"
    )
    p.add_argument(
        "--elderly-share",
        type=float,
        default=None,
        dest="elderly_share",
        help="population: share of residents aged 60+ (0-1), e.g. the 七普 share; default none: elderly = 0",
    )
    p.add_argument(
        "--household-size",
        type=float,
        default=None,
        dest="household_size",
        help="population from building footprints: persons per household (required, e.g. a 七普 average)",
    )
    p.add_argument(
        "--dwelling-area-m2",
        type=float,
        default=None,
        dest="dwelling_area_m2",
        help="population from building footprints: gross floor area per dwelling in m² (required)",
    )
    p.add_argument(
        "--dwelling-share",
        type=float,
        default=1.0,
        dest="dwelling_share",
        help="population from building footprints: share of floor area that is dwellings (default 1)",
    )
    p.add_argument("--floors-field", default=None, dest="floors_field", help="footprints: the floors column")
    p.add_argument(
        "--level",
        choices=["community", "subdistrict"],
        default=None,
        help="population table: rows are 社区 (community) or 街道 (subdistrict); default from the columns",
    )
    p.add_argument(
        "--drop-unmatched",
        action="store_true",
        dest="drop_unmatched",
        help="population table: import the matched rows even when some names match no polygon",
    )
    p.add_argument(
        "--name-field", default=None, dest="name_field", help="communities/subdistricts: name column"
    )
    p.add_argument(
        "--code-field", default=None, dest="code_field", help="communities/subdistricts: code column"
    )


def _population(args, ws, path: Path):
    from batch.data import _read_for_cli
    from geodata.importing.population import population_from

    return population_from(
        path,
        ws.layers,
        lambda: _read_for_cli(str(path), args.crs, args.datum, layer=args.layer, sheet=args.sheet).gdf,
        elderly_share=args.elderly_share,
        crs=args.crs,
        level=args.level,
        household_size=args.household_size,
        dwelling_area_m2=args.dwelling_area_m2,
        dwelling_share=args.dwelling_share,
        floors_column=args.floors_field,
    )


def print_population(result) -> None:
    """The population report: notes, dropped counts, unmatched and ambiguous names (every one)."""
    for note in result.notes:
        print(f"note: {note}")
    for reason, n in result.dropped.items():
        if n:
            print(f"dropped: {reason}={n}")
    for label in result.unmatched:
        print(f"unmatched: {label}")
    for label in result.ambiguous:
        print(f"ambiguous: {label}")
    print(f"cells={len(result.cells)} total={result.total:.2f}")


def run_import_kind(args: argparse.Namespace, target_ws: Path) -> int:
    """Run ``import --as population|streets|communities|subdistricts`` into ``target_ws``."""
    from geodata.importing.kinds import KIND_LAYERS, areas_from, commit_layer, relocate_cells, streets_from
    from geodata.importing.population import replace_population
    from geodata.workspace import load_workspace

    ws = load_workspace(target_ws)
    path = Path(args.file)
    if not path.exists():
        raise FileNotFoundError(f"文件不存在：{path} / no such file: {path}")
    layer = KIND_LAYERS[args.as_]
    if args.as_ == "population":
        result = _population(args, ws, path)
        print_population(result)
        if (result.unmatched or result.ambiguous) and not args.drop_unmatched:
            n = len(result.unmatched) + len(result.ambiguous)
            print(
                f"not imported: {n} row(s) matched no single polygon (listed above; nothing was changed) —"
                " fix the names/codes, or give --drop-unmatched / 有未匹配的行，未导入",
                file=sys.stderr,
            )
            return 1
        dest = replace_population(result, workspace=target_ws, replace=args.replace)
        print(
            f"imported={len(result.cells)} layer={layer} total_population={round(result.total)} workspace={dest}"
        )
        return 0
    from batch.data import _read_for_cli

    read = _read_for_cli(str(path), args.crs, args.datum, layer=args.layer, sheet=args.sheet)
    also = {}
    if args.as_ == "streets":
        gdf, notes = streets_from(read.gdf, read.source)
    else:
        gdf, notes = areas_from(
            read.gdf,
            args.as_,
            ws.layers["districts"],
            ws.layers.get("subdistricts"),
            name_column=args.name_field,
            code_column=args.code_field,
            name=read.source,
        )
        if args.as_ == "communities":
            cells = relocate_cells(ws.layers, gdf)
            if cells is not None:
                also["population_cells"] = cells
                notes.append(
                    f"已按新社区重算 {len(cells)} 个人口点的所属社区 / community of {len(cells)} population cells"
                    " recomputed"
                )
    for note in [*read.notes, *notes]:
        print(f"note: {note}")
    dest = commit_layer(gdf, layer, workspace=target_ws, replace=args.replace, also=also)
    print(f"imported={len(gdf)} layer={layer} workspace={dest}")
    return 0
