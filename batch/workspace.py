"""``cli.py workspace new``: a new, empty city workspace; and the per-analysis completeness lines."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from i18n import t


def add_new_arguments(p: argparse.ArgumentParser) -> None:
    """Arguments of ``workspace new`` (on the ``workspace`` parser)."""
    p.add_argument(
        "--adcode", default=None, help="new: a bundled prefecture or county, e.g. 360700 or 360702"
    )
    p.add_argument("--boundary", default=None, help="new: your own district polygons instead of --adcode")
    p.add_argument("--name-field", default=None, dest="name_field", help="new: name column of --boundary")
    p.add_argument(
        "--code-field", default=None, dest="code_field", help="new: integer code column of --boundary"
    )
    p.add_argument("--out", default=None, help="new: the .gpkg to create")
    p.add_argument("--name", default=None, help="new: the city's name (default: the place's name)")
    p.add_argument("--force", action="store_true", help="new: overwrite an existing --out")


def cmd_workspace_new(args: argparse.Namespace) -> int:
    """Create the workspace; last line ``workspace=<path> districts=<n>``."""
    from geodata.workspace_new import districts_for_adcode, districts_from_polygons, new_workspace

    if not args.out:
        raise ValueError("请给出 --out W.gpkg / give --out W.gpkg")
    if bool(args.adcode) == bool(args.boundary):
        raise ValueError("请给出 --adcode 或 --boundary 之一 / give one of --adcode or --boundary")
    if args.adcode:
        districts, place = districts_for_adcode(args.adcode)
        source = f"adcode:{args.adcode}"
    else:
        districts, place, source = _own_boundary(args, districts_from_polygons)
    who = os.environ.get("RENEWAL_LOCAL_USER") or getpass.getuser()
    out = new_workspace(
        args.out, districts, name=args.name or place, source=source, force=args.force, created_by=who
    )
    for _, row in districts.iterrows():
        print(f"district: {row['adcode']} {row['name_zh']}")
    print(f"workspace={out} districts={len(districts)}")
    return 0


def _own_boundary(args, districts_from_polygons):
    from geodata.importing import read_any

    result = read_any(args.boundary)
    gdf = result.gdf
    name_field = args.name_field or next(
        (c for c in gdf.columns if str(c).lower() in ("name", "name_zh", "名称", "区县", "区县名称")), None
    )
    if name_field is None:
        raise ValueError(
            "边界文件没有可识别的名称列，请用 --name-field 指定 / no name column found: give --name-field"
        )
    districts = districts_from_polygons(gdf, name_field, args.code_field)
    return districts, Path(args.boundary).stem, f"file:{Path(args.boundary).name}"


def completeness_lines(layers, lang: str) -> list[str]:
    """One line per analysis: ready, or what it still needs (labels table, in ``lang``)."""
    from geodata.workspace_new import completeness

    sep = "、" if lang == "zh" else ", "
    lines = []
    for r in completeness(layers):
        analysis = t(f"ws.analysis.{r.analysis}", lang)
        if r.ready:
            lines.append(t("ws.complete.line_ready", lang, analysis=analysis))
        else:
            needs = sep.join(t(f"ws.need.{m}", lang) for m in r.missing)
            lines.append(t("ws.complete.line_needs", lang, analysis=analysis, needs=needs))
    return lines


def print_completeness(ws) -> None:
    """Print the completeness lines in Chinese and English (``ready=<k>/<n>`` counted on the last)."""
    for zh, en in zip(completeness_lines(ws.layers, "zh"), completeness_lines(ws.layers, "en")):
        print(f"{zh} / {en}")
