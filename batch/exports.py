"""Export commands: the layout map (HTML/PNG) and the briefing PDF."""

from __future__ import annotations

import argparse

from batch.registry import command


@command("layout-map")
def cmd_layout_map(args: argparse.Namespace) -> int:
    """Write the 一圈两带四群 map as one standalone offline HTML file."""
    from pathlib import Path

    from cartography.mapkit import standalone_html
    from cartography.maps import layout_map
    from geodata.atomic import atomic_write
    from geodata.boundaries import load_boundaries
    from geodata.layout import load_layout

    bnd = load_boundaries()
    layout = load_layout(args.layout, boundaries=bnd)
    fmap = layout_map(bnd, layout, lang=args.lang)
    out = Path(args.out)
    if args.format == "png":
        from cartography.maps import export_frame
        from reports.render import html_to_png

        export_frame(fmap, "layout", lang=args.lang)
        html_to_png(standalone_html(fmap), out)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB PNG, 1920x1080)")
        return 0
    page = standalone_html(fmap)
    atomic_write(out, page)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, offline, {args.lang})")
    return 0


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    """The briefing pack as PDF (printed by headless chromium); last line pages=<int>."""
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.layout import load_layout
    from geodata.stores import open_store
    from geodata.workspace import load_workspace
    from reports.briefing import write_briefing_pdf
    from reports.render import pdf_page_count

    bnd = load_boundaries()
    cat = load_catalogue()
    out = write_briefing_pdf(
        args.out,
        ws=load_workspace(args.workspace),
        bnd=bnd,
        layout=load_layout(boundaries=bnd),
        catalogue=cat,
        indicators=load_indicators(catalogue=cat),
        store=open_store(),
        lang=args.lang,
    )
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print(f"pages={pdf_page_count(out)}")
    return 0


def register(sub) -> None:
    """Add this module's subcommands to the argparse sub-parsers."""
    p = sub.add_parser(
        "layout-map", help="write the 一圈两带四群 layout map as a standalone offline HTML file"
    )
    p.add_argument("--out", required=True, help="output file, e.g. layout.html")
    p.add_argument("--format", default="html", choices=["html", "png"], help="html (default)")
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--layout", default=None, help="layout TOML (default: the edited copy or the bundled one)")
    p = sub.add_parser(
        "report", help="briefing pack PDF (layout, coverage, candidates, library, 体检, method)"
    )
    p.add_argument("--workspace", default=None)
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--out", required=True)
