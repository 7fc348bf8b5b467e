"""Export commands: the layout map (HTML/PNG) and the briefing PDF."""

from __future__ import annotations

import argparse

from batch.registry import command
from geodata.atomic import atomic_write


@command("layout-map")
def cmd_layout_map(args: argparse.Namespace) -> int:
    """Write the 一圈两带四群 map as one standalone offline HTML file."""
    from pathlib import Path

    from cartography.mapkit import standalone_html
    from cartography.maps import layout_map
    from geodata.boundaries import load_boundaries
    from geodata.layout import load_layout

    bnd = load_boundaries()
    layout = load_layout(args.layout, boundaries=bnd)
    fmap = layout_map(bnd, layout, lang=args.lang)
    out = Path(args.out)
    if args.format == "png":
        from cartography.printing import export_frame
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
    ws = load_workspace(args.workspace)
    try:
        out = write_briefing_pdf(
            args.out,
            ws=ws,
            bnd=bnd,
            layout=load_layout(boundaries=bnd),
            catalogue=cat,
            indicators=load_indicators(catalogue=cat),
            store=open_store(workspace=ws),
            lang=args.lang,
        )
    except RuntimeError as err:  # chromium missing, failing or hanging: a message, never a traceback
        import sys

        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB)")
    print(f"pages={pdf_page_count(out)}")
    return 0


@command("rehearse")
def cmd_rehearse(args: argparse.Namespace) -> int:
    """Render every saved view to PNG and the briefing to PDF, check each; last line
    ``views=<n> exports=<m> failures=<k>``; exit 0 only without failures (1 otherwise, 2 on bad input)."""
    import sys
    from pathlib import Path

    from geodata.errors import DataValidationError
    from geodata.settings import default_language

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        print(f"error: --out {out} exists and is not a folder", file=sys.stderr)
        return 2
    if args.workspace is not None and not Path(args.workspace).is_file():
        print(f"error: workspace file not found: {args.workspace}", file=sys.stderr)
        return 2
    try:
        from geodata.boundaries import load_boundaries
        from geodata.catalogue import load_catalogue
        from geodata.indicators import load_indicators
        from geodata.layout import load_layout
        from geodata.stores import open_store
        from geodata.views import load_views
        from geodata.workspace import load_workspace

        ws = load_workspace(args.workspace)
        bnd = load_boundaries()
        cat = load_catalogue()
        inputs = dict(
            ws=ws,
            bnd=bnd,
            layout=load_layout(boundaries=bnd),
            catalogue=cat,
            indicators=load_indicators(catalogue=cat),
            store=open_store(workspace=ws),
        )
        views = load_views()
        out.mkdir(parents=True, exist_ok=True)
    except (DataValidationError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from reports.rehearse import rehearse

    lang = args.lang or default_language()
    outcomes = rehearse(
        out, **inputs, views=views, lang=lang, paper=args.paper, echo=lambda line: print(line, flush=True)
    )
    failures = sum(not o.ok for o in outcomes)
    print(f"views={len(views)} exports={len(outcomes)} failures={failures}")
    return 0 if failures == 0 else 1


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
    p = sub.add_parser(
        "rehearse",
        help="before a meeting: render every saved view (PNG) and the briefing (PDF), check each; "
        "last line views=<n> exports=<m> failures=<k>",
    )
    p.add_argument("--workspace", default=None, help="workspace GeoPackage (default: the one in use)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--lang", default=None, choices=["zh", "en"], help="default: RENEWAL_LANG (zh)")
    p.add_argument(
        "--paper", default="screen", choices=["screen", "a4", "a3"], help="PNG size (default 1920×1080)"
    )
