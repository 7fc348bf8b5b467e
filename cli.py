"""Renewal Atlas batch front door: ``python cli.py <command> ...``.

Each command parses arguments and calls geodata/ and layers/ functions; no logic lives here. Errors in
the user's data are printed as messages on stderr with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from geodata.errors import DataValidationError

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def wrap(fn):
        COMMANDS[name] = fn
        return fn

    return wrap


@command("workspace")
def cmd_workspace(args: argparse.Namespace) -> int:
    """Validate a workspace GeoPackage and summarise its layers."""
    from geodata.workspace import load_workspace

    ws = load_workspace(args.workspace)
    for name, gdf in ws.layers.items():
        print(f"{name}: {len(gdf)} features")
    print(f"synthetic={str(ws.synthetic).lower()} layers={len(ws.layers)}")
    return 0


@command("layout-map")
def cmd_layout_map(args: argparse.Namespace) -> int:
    """Write the 一圈两带四群 map as one standalone offline HTML file."""
    from pathlib import Path

    from dashboard.maps import layout_map
    from geodata.boundaries import load_boundaries
    from geodata.layout import load_layout
    from layers.mapkit import standalone_html

    if args.format != "html":
        raise ValueError(f"format {args.format!r} is not supported yet; use --format html")
    bnd = load_boundaries()
    layout = load_layout(args.layout, boundaries=bnd)
    page = standalone_html(layout_map(bnd, layout, lang=args.lang))
    out = Path(args.out)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, offline, {args.lang})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cli.py", description="Renewal Atlas 城市更新规划一张图 — batch commands"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("workspace", help="validate a workspace GeoPackage (default: the bundled demo city)")
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: RENEWAL_WORKSPACE or demo)")
    p = sub.add_parser(
        "layout-map", help="write the 一圈两带四群 layout map as a standalone offline HTML file"
    )
    p.add_argument("--out", required=True, help="output file, e.g. layout.html")
    p.add_argument("--format", default="html", choices=["html", "png"], help="html (default)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--layout", default=None, help="layout TOML (default: the edited copy or the bundled one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (FileNotFoundError, PermissionError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
