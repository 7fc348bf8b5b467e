"""``cli.py healthcheck-report``: the 城市体检报告 of one survey year as a Word document.

The last printed line is ``chapters=<n> tables=<m> figures=<k>`` (counts in the written document). A year
without survey data, an unwritable output path or a bad language exits with 2 and a message, never a
traceback. Without ``--db`` the problem–project links come from the store the app uses for the workspace.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from batch.registry import command


def _check_out(out: str) -> Path:
    from reports.healthcheck_report import check_writable

    if Path(out).suffix.lower() != ".docx":
        raise ValueError(f"输出文件须为 .docx / the output must be a .docx file: {out}")
    return check_writable(out)


@command("healthcheck-report")
def cmd_healthcheck_report(args: argparse.Namespace) -> int:
    """Write the 城市体检报告 (.docx) for ``--year`` (optionally compared with ``--compare``)."""
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.stores import StoreError, open_store
    from geodata.workspace import load_workspace
    from reports.healthcheck_report import build_report_from_store

    out = _check_out(args.out)
    ws = load_workspace(args.workspace)
    years = [int(y) for y in ws.metadata.get("survey_years", "").split(",") if y.strip()]
    for y in (args.year, args.compare):
        if y is not None and y not in years:
            raise ValueError(
                f"没有 {y} 年的体检数据（可用年度：{', '.join(map(str, years)) or '无'}） / "
                f"no survey data for {y} (years available: {', '.join(map(str, years)) or 'none'})"
            )
    cat = load_catalogue()
    ind = load_indicators(catalogue=cat)
    try:
        store = open_store(args.db) if args.db else open_store(workspace=ws)
        counts = build_report_from_store(
            ws,
            store,
            year=args.year,
            compare=args.compare,
            out=out,
            catalogue=cat,
            indicators=ind,
            lang=args.lang,
        )
    except StoreError as err:
        print(f"error: 项目库不可用 / the project store failed: {err}", file=sys.stderr)
        return 2
    print(f"wrote {out} ({counts.size_bytes / 1024:,.0f} KB in {counts.seconds:.1f} s)")
    print(f"chapters={counts.chapters} tables={counts.tables} figures={counts.figures}")
    return 0


def register(sub) -> None:
    """Add ``healthcheck-report`` to the argparse sub-parsers."""
    p = sub.add_parser(
        "healthcheck-report", help="城市体检报告 of one survey year as a Word document (.docx)"
    )
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: the bundled demo city)")
    p.add_argument("--year", type=int, required=True, help="survey year")
    p.add_argument("--compare", type=int, default=None, help="earlier survey year for the 复查 chapter")
    p.add_argument("--out", required=True, help="output .docx")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument(
        "--db", default=None, help="project store URL (default: the app's store for the workspace)"
    )
