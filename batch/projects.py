"""Project-library commands: the 项目台账 (Excel ledger) out of and back into the project store.

``cli.py projects export --out F.xlsx`` writes the ledger the app's 导出台账 button writes;
``cli.py projects import F.xlsx`` takes that format back, all rows or none (rules in
:mod:`geodata.stores.ledger`). Without ``--db`` both use the store the app uses: ``RENEWAL_DB_URL``,
else the workspace's own library (on the bundled demo, the seeded ``<data dir>/demo_projects.sqlite``).
"""

from __future__ import annotations

import argparse
import sys

from batch.registry import command


def _open(args: argparse.Namespace):
    """The project store named by ``--db``, else the one the app itself uses for the workspace."""
    from geodata.stores import open_store

    if args.db:
        return open_store(args.db)
    from pathlib import Path

    from geodata.workspace import Workspace, read_metadata, workspace_path

    path = Path(workspace_path() if args.workspace is None else args.workspace)
    if not path.is_file():
        raise FileNotFoundError(f"workspace file not found: {path}")
    # the store only needs the workspace's identity (path, synthetic flag), not its layers
    return open_store(workspace=Workspace(path, {}, read_metadata(path)))


def _default_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment nor the password database
        return ""


def _export(args: argparse.Namespace) -> int:
    from geodata.atomic import atomic_write
    from geodata.stores.ledger import LEDGER_SHEET, ledger_table
    from reports.tables import xlsx_bytes  # formula-safe (geodata.spreadsheet)

    store = _open(args)
    table = ledger_table(store)
    atomic_write(args.out, xlsx_bytes({LEDGER_SHEET: table}))
    print(f"wrote {args.out}: {len(table)} projects")
    print(f"projects={len(table)}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from geodata.stores import LEDGER_HEADERS
    from geodata.stores.ledger import LedgerFileError, import_ledger, read_ledger_xlsx, refused_rows

    user = (args.user if args.user is not None else _default_user()).strip()
    if not user:
        print("error: 编辑人为空，请用 --user 指定 / no editor name: give --user NAME", file=sys.stderr)
        return 2
    try:
        table = read_ledger_xlsx(args.file)
    except LedgerFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    store = _open(args)
    result = import_ledger(store, table, editor=user)
    problems = result["problems"]
    refused = refused_rows(problems)
    if problems:
        print(
            f"未导入：{len(refused)} 行被拒绝，库中未写入任何内容 / not imported: {len(refused)} row(s) refused, nothing was written"
        )
        for line in problems:
            print(f"  {_report_line(line, LEDGER_HEADERS)}")
    print(f"created={result['created']} updated={result['updated']} refused={len(refused)}")
    return 1 if problems else 0


def _report_line(problem: str, headers: dict[str, str]) -> str:
    """``"row 4: start_year: …"`` → ``"第 4 行 / row 4 · 开始年份 (start_year): …"``."""
    row, _, rest = problem.partition(": ")
    field, sep, text = rest.partition(": ")
    number = row.removeprefix("row ")
    if not sep or " " in field:
        return f"第 {number} 行 / row {number} · {rest}"
    label = f"{headers[field]} ({field})" if field in headers else field
    return f"第 {number} 行 / row {number} · {label}: {text}"


@command("projects")
def cmd_projects(args: argparse.Namespace) -> int:
    """项目库台账: ``export`` the library to XLSX, ``import`` an edited XLSX back (all rows or none)."""
    from geodata.stores import StoreError

    try:
        return {"export": _export, "import": _import}[args.projects_command](args)
    except StoreError as err:  # the database refused or is unreachable: nothing was written
        print(f"error: 项目库不可用 / the project store failed: {err}", file=sys.stderr)
        return 2


def register(sub) -> None:
    """Add ``projects export`` and ``projects import`` to the argparse sub-parsers."""
    p = sub.add_parser(
        "projects",
        help="项目库台账 project ledger: export to XLSX / import an edited XLSX back (all rows or none)",
        description="项目库台账 — the project library as an Excel ledger (Chinese headers, 版本 column). "
        "Without --db: RENEWAL_DB_URL, else the library the app uses for the workspace "
        "(demo: the seeded demo library).",
    )
    verbs = p.add_subparsers(dest="projects_command", required=True, metavar="{export,import}")
    e = verbs.add_parser(
        "export",
        help="导出台账：one row per project, first column 项目编号, with 版本 (version)",
        description="导出台账 — write the library as an XLSX ledger; last line projects=<n>.",
    )
    i = verbs.add_parser(
        "import",
        help="导入台账：empty 项目编号 = new project, an id = update it; "
        "last line created=<n> updated=<m> refused=<k>; exit 0 ok, 1 rows refused (nothing written), "
        "2 unreadable file",
        description="导入台账 — take an exported (and edited) ledger back. A row with an empty 项目编号 "
        "creates a project; a row with an id updates its changed editable fields. A row edited on an "
        "older 版本 than the library's is refused as stale; a row equal to the library (or holding only "
        "older values) is unchanged. When any row is refused nothing is written. Last line "
        "created=<n> updated=<m> refused=<k>; exit 0 imported, 1 rows refused, 2 unreadable file or "
        "bad arguments.",
    )
    i.add_argument("file", help="the ledger .xlsx (sheet 项目台账, else the first sheet)")
    i.add_argument(
        "--user", default=None, help="editor recorded in the audit log (default: the OS user name)"
    )
    e.add_argument("--out", required=True, help="output .xlsx, e.g. 项目台账.xlsx")
    for q in (e, i):
        q.add_argument(
            "--db",
            default=None,
            metavar="URL",
            help="sqlite:///path or postgresql://… (default: RENEWAL_DB_URL, else the app's library)",
        )
        q.add_argument(
            "--workspace", default=None, help="workspace .gpkg whose library to use (default: the one in use)"
        )
