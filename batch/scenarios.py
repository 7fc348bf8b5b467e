"""Scenario commands (方案比选): ``scenario new``, ``scenario list`` and ``scenario compare``.

``cli.py scenario new NAME [--add-facilities F.csv --type T] [--remove-facilities IDS]`` saves a named
scenario in the project store (F.csv may be exactly the CSV ``cli.py site`` writes: its ``lon``/``lat``
and ``site`` columns are read); ``cli.py scenario compare A B [--type T] --out diff.xlsx`` compares two
scenarios — or ``year:YYYY`` (a survey year as it was) or ``base`` (every facility today) — and prints
``a_served=<n> b_served=<m> delta=<d>`` last (residents served by type T, or by the life circle
``--circle`` without ``--type``). Exit 0 ok, 2 bad input (unknown scenario or type, bad CSV), with a
Chinese / English message and never a traceback. Without ``--db`` the store the app uses is opened.
"""

from __future__ import annotations

import argparse
import re
import sys

from batch.registry import command

YEAR_REF = re.compile(r"^year:(\d{4})$")
BASE_REFS = ("base", "现状")


def _store(args: argparse.Namespace):
    from batch.projects import _open

    return _open(args)


def _ids(text: str | None) -> list[str]:
    return [p for p in re.split(r"[,\s，、]+", text or "") if p]


def _new(args: argparse.Namespace) -> int:
    from batch.projects import _default_user
    from geodata.catalogue import load_catalogue
    from geodata.facility_csv import read_facility_csv

    user = (args.user if args.user is not None else _default_user()).strip()
    if not user:
        raise ValueError("编辑人为空，请用 --user 指定 / no editor name: give --user NAME")
    cat = load_catalogue()
    if args.type is not None and args.type not in cat.types:
        raise ValueError(
            f"未知设施类型 / unknown facility type {args.type!r}; one of: {', '.join(cat.types)}"
        )
    added = read_facility_csv(args.add_facilities, default_type=args.type) if args.add_facilities else []
    unknown = sorted({f["type"] for f in added} - set(cat.types))
    if unknown:
        raise ValueError(
            f"未知设施类型 / unknown facility type: {', '.join(unknown)}; one of: {', '.join(cat.types)}"
        )
    removed = _ids(args.remove_facilities)
    if removed:
        from geodata.workspace import load_workspace

        known = set(load_workspace(args.workspace)["facilities"]["facility_id"].astype(str))
        missing = [r for r in removed if r not in known]
        if missing:
            raise ValueError(
                f"工作空间中没有这些设施 / no such facilities in the workspace: {', '.join(missing)}"
            )
    store = _store(args)
    completed = []
    for ref in _ids(args.complete_projects):
        pid, _, ftype = ref.partition(":")
        if ftype and ftype not in cat.types:
            raise ValueError(f"未知设施类型 / unknown facility type {ftype!r} (project {pid})")
        if not store.exists(pid):
            raise ValueError(f"项目库中没有项目 / no such project in the library: {pid}")
        completed.append({"project_id": pid, "type": ftype or None})
    record = {
        "name": args.name,
        "description": args.description or "",
        "base_year": args.base_year,
        "added": added,
        "removed": removed,
        "completed": completed,
    }
    saved = store.save_scenario(record, editor=user)
    print(f"saved scenario {saved['name']} (editor {user})")
    print(
        f"scenario={saved['name']} added={len(saved['added'])} removed={len(saved['removed'])}"
        f" completed={len(saved['completed'])}"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    table = _store(args).scenarios()
    for r in table.itertuples():
        year = r.base_year if r.base_year is not None else "-"
        print(
            f"{r.name}\tbase_year={year}\tadded={len(r.added)}\tremoved={len(r.removed)}"
            f"\tcompleted={len(r.completed)}\tby={r.updated_by}\t{r.updated_at}"
        )
    print(f"scenarios={len(table)}")
    return 0


def resolve(ref: str, store) -> tuple[str, int | None, dict | None]:
    """A side of a comparison: a stored scenario's name, ``year:YYYY`` or ``base``.

    Returns
    -------
    tuple
        ``(display name, base year or None, change set or None)``.

    Raises
    ------
    ValueError
        When ``ref`` is none of those.
    """
    from geodata.stores import ProjectError

    try:
        rec = store.scenario(ref)
        return rec["name"], rec["base_year"], {k: rec[k] for k in ("added", "removed", "completed")}
    except ProjectError:
        pass
    m = YEAR_REF.match(ref.strip())
    if m:
        return ref.strip(), int(m.group(1)), None
    if ref.strip() in BASE_REFS:
        return ref.strip(), None, None
    raise ValueError(f"未知方案 / unknown scenario {ref!r} (a saved name, year:YYYY or base)")


def _compare(args: argparse.Namespace) -> int:
    from geodata.atomic import atomic_write
    from geodata.catalogue import load_catalogue
    from geodata.workspace import load_workspace
    from i18n import t
    from layers.pipelines import metric
    from layers.scenarios import compare, run_outcome, selection_types, year_model
    from reports.scenario_tables import difference_xlsx, group_label

    cat = load_catalogue()
    if args.type is not None and args.type not in cat.types:
        raise ValueError(
            f"未知设施类型 / unknown facility type {args.type!r}; one of: {', '.join(cat.types)}"
        )
    selection = args.type or f"circle:{args.circle}"
    store = _store(args)
    sides = [resolve(args.a, store), resolve(args.b, store)]
    ws = load_workspace(args.workspace)
    cells, fac = metric(ws, "population_cells"), metric(ws, "facilities")
    projects = store.list() if any(s[2] and s[2]["completed"] for s in sides) else None
    types = selection_types(cat, selection)
    bases: dict = {}
    runs = []
    for _, year, spec in sides:
        if year not in bases:
            bases[year] = year_model(cells, fac, cat, year=year, types=types)
        runs.append(
            run_outcome(cells, fac, cat, selection, year=year, spec=spec, projects=projects, base=bases[year])
        )
    cmp = compare(runs[0].model, runs[1].model, selection, residents=cells)
    L = args.lang
    what = cat.types[selection].name(L) if args.type else t(f"circle.{args.circle}", L)
    districts = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
    communities = ws["communities"].set_index("community_id")["name"]
    data = difference_xlsx(
        cmp,
        a_name=sides[0][0],
        b_name=sides[1][0],
        what=what,
        district_names=districts,
        community_names=communities,
        cells=ws["population_cells"],
        L=L,
    )
    atomic_write(args.out, data)
    for name, run in zip((sides[0][0], sides[1][0]), runs):
        for kind, ref in run.skipped.itertuples(index=False):
            print(f"note: {name}: {kind} {ref}")
    a, b = int(round(cmp.totals["a_served"])), int(round(cmp.totals["b_served"]))
    print(f"selection={selection} mode=euclidean counted={cmp.target_column}")
    if cmp.target_column != "population":
        print(
            f"target_delta={int(round(cmp.totals['target_delta']))} ({group_label(cmp.target_column, 'en')})"
        )
    print(
        f"newly_served={int(round(cmp.totals['newly_served']))} newly_unserved={int(round(cmp.totals['newly_unserved']))}"
    )
    print(f"wrote {args.out}")
    print(f"a_served={a} b_served={b} delta={b - a}")
    return 0


@command("scenario")
def cmd_scenario(args: argparse.Namespace) -> int:
    """方案比选: ``new`` saves a scenario, ``list`` shows them, ``compare`` writes the difference XLSX."""
    from geodata.stores import ProjectError

    try:
        return {"new": _new, "list": _list, "compare": _compare}[args.scenario_command](args)
    except ProjectError as err:  # refused record, name taken, store unreachable: nothing was written
        print(f"error: {err}", file=sys.stderr)
        return 2


def register(sub) -> None:
    """Add ``scenario new|list|compare`` to the argparse sub-parsers."""
    p = sub.add_parser(
        "scenario",
        help="方案比选 scenarios: new / list / compare (difference XLSX; last line a_served=<n> b_served=<m> delta=<d>)",
        description="方案比选 — named scenarios of added / removed facilities and completed projects, saved in the "
        "project store; compare two of them (or year:YYYY, base). Exit 0 ok, 2 bad input.",
    )
    verbs = p.add_subparsers(dest="scenario_command", required=True, metavar="{new,list,compare}")
    n = verbs.add_parser(
        "new", help="save a new scenario; last line scenario=<name> added=<n> removed=<m> completed=<k>"
    )
    n.add_argument("name", help="unique scenario name")
    n.add_argument("--description", default="", help="free text")
    n.add_argument(
        "--base-year", type=int, default=None, dest="base_year", help="base survey year (default: today)"
    )
    n.add_argument(
        "--add-facilities",
        default=None,
        dest="add_facilities",
        metavar="F.csv",
        help="CSV with lon/lat (经度/纬度) columns, optional name/type/capacity; e.g. the CSV of `cli.py site`",
    )
    n.add_argument("--type", default=None, help="facility type of the CSV rows without a type column")
    n.add_argument(
        "--remove-facilities",
        default=None,
        dest="remove_facilities",
        metavar="IDS",
        help="facility ids, comma-separated",
    )
    n.add_argument(
        "--complete-projects",
        default=None,
        dest="complete_projects",
        metavar="IDS",
        help="library project ids counted as completed, comma-separated; ID:type sets the facility type",
    )
    n.add_argument(
        "--user", default=None, help="editor recorded in the scenario log (default: the OS user name)"
    )
    verbs.add_parser("list", help="list saved scenarios; last line scenarios=<n>")
    c = verbs.add_parser("compare", help="compare A and B; last line a_served=<n> b_served=<m> delta=<d>")
    c.add_argument("a", help="scenario A: a saved name, year:YYYY or base")
    c.add_argument("b", help="scenario B: a saved name, year:YYYY or base")
    c.add_argument("--type", default=None, help="facility type (default: the life circle --circle)")
    c.add_argument(
        "--circle", choices=["5min", "10min", "15min"], default="15min", help="life circle without --type"
    )
    c.add_argument("--out", required=True, help="output .xlsx")
    c.add_argument("--lang", choices=["zh", "en"], default="zh", help="headers of the XLSX")
    for q in (n, c, verbs.choices["list"]):
        q.add_argument(
            "--db", default=None, metavar="URL", help="sqlite:///path or postgresql://… (default: the app's)"
        )
        q.add_argument("--workspace", default=None, help="workspace .gpkg (default: the one in use)")
