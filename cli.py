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

    bnd = load_boundaries()
    layout = load_layout(args.layout, boundaries=bnd)
    fmap = layout_map(bnd, layout, lang=args.lang)
    out = Path(args.out)
    if args.format == "png":
        from dashboard.maps import export_frame
        from geodata.render import html_to_png

        export_frame(fmap, "layout", lang=args.lang)
        html_to_png(standalone_html(fmap), out)
        print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB PNG, 1920x1080)")
        return 0
    page = standalone_html(fmap)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB, offline, {args.lang})")
    return 0


@command("coverage")
def cmd_coverage(args: argparse.Namespace) -> int:
    """Population within a radius of facilities (file mode), or the bundled workspace's gap tables."""
    if args.workspace is not None:
        return _coverage_workspace(args)
    from geodata.io import read_vector
    from layers.coverage import point_coverage
    from layers.crs import utm_crs_for

    missing = [
        o
        for o, v in (
            ("--facilities", args.facilities),
            ("--residents", args.residents),
            ("--radius-m", args.radius_m),
            ("--out", args.out),
        )
        if v is None
    ]
    if missing:
        raise ValueError(f"missing {', '.join(missing)} (or use --workspace)")
    fac = read_vector(args.facilities)
    res = read_vector(args.residents)
    for gdf, name in ((fac, args.facilities), (res, args.residents)):
        if gdf.crs is None:
            raise ValueError(f"{name} has no CRS (.prj / GeoPackage CRS); cannot measure metres")
    if args.type is not None:
        if "type" not in fac.columns:
            raise ValueError(f"--type given but {args.facilities} has no 'type' column")
        fac = fac[fac["type"].astype(str) == args.type]
    metric = utm_crs_for(res)
    net = None
    if args.mode == "network":
        if not args.network:
            raise ValueError("--mode network needs --network ROADS")
        from layers.network import build_network

        net = build_network(read_vector(args.network).to_crs(metric))
    table = point_coverage(
        res.to_crs(metric), fac.to_crs(metric), radius_m=args.radius_m, mode=args.mode, network=net
    )
    table.to_csv(args.out, index=False, encoding="utf-8")
    pop = table["population"].astype(float)
    print(f"mode={args.mode} crs={metric} facilities={len(fac)} residents={len(table)}")
    print(
        f"served_population={int(round(pop[table['served']].sum()))} total_population={int(round(pop.sum()))}"
    )
    return 0


def _coverage_workspace(args: argparse.Namespace) -> int:
    from geodata.catalogue import load_catalogue
    from geodata.export import xlsx_bytes
    from geodata.workspace import load_workspace
    from layers.coverage import build_model, circle_summary, gap_ranking, type_summary
    from layers.crs import ANALYSIS_CRS

    ws = load_workspace(args.workspace or None)
    net = None
    if args.mode == "network":
        from layers.network import build_network

        net = build_network(ws["streets"].to_crs(ANALYSIS_CRS))
    model = build_model(
        ws["population_cells"].to_crs(ANALYSIS_CRS),
        ws["facilities"].to_crs(ANALYSIS_CRS),
        catalogue=load_catalogue(),
        mode=args.mode,
        network=net,
    )
    gaps = gap_ranking(model).reset_index()
    gaps["missing"] = gaps["missing"].map(", ".join)
    sheets = {
        "by_type": type_summary(model),
        "by_type_district": type_summary(model, by="district_adcode"),
        "by_circle": circle_summary(model),
        "gap_communities": gaps,
    }
    out = args.out or "coverage_gaps.xlsx"
    with open(out, "wb") as fh:
        fh.write(
            xlsx_bytes(
                sheets,
                notes={
                    "mode": args.mode,
                    "workspace": str(ws.path),
                    "synthetic_demo_data": str(ws.synthetic).lower(),
                },
            )
        )
    total = model.total_population
    print(f"wrote {out}: {len(gaps)} communities, mode={args.mode}")
    print(f"communities={len(gaps)} total_population={int(round(total))}")
    return 0


@command("screen")
def cmd_screen(args: argparse.Namespace) -> int:
    """Rank renewal parcels with transparent multi-criteria scores (one row per parcel)."""
    import datetime as dt
    import json
    from pathlib import Path

    import tomllib

    from geodata.catalogue import load_catalogue
    from geodata.workspace import load_workspace
    from layers.coverage import build_model
    from layers.crs import ANALYSIS_CRS
    from layers.screening import PRESETS, score, workspace_criteria

    weights = dict(PRESETS["民生优先"])
    if args.weights:
        text = Path(args.weights).read_text(encoding="utf-8")
        try:
            loaded = tomllib.loads(text) if args.weights.endswith(".toml") else json.loads(text)
        except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"{args.weights}: not valid JSON/TOML weights ({exc})") from None
        if not isinstance(loaded, dict) or not all(isinstance(v, int | float) for v in loaded.values()):
            raise ValueError(f"{args.weights}: expected a table of criterion = number")
        weights = {k: float(v) for k, v in loaded.items()}
    ws = load_workspace(args.workspace)
    cells = ws["population_cells"].to_crs(ANALYSIS_CRS)
    fac = ws["facilities"].to_crs(ANALYSIS_CRS)
    model = build_model(cells, fac, catalogue=load_catalogue())
    crit = workspace_criteria(
        ws["parcels"].to_crs(ANALYSIS_CRS), cells, fac, model, current_year=dt.date.today().year
    )
    ranked = score(crit, weights).sort_values("rank")
    ranked.round(4).reset_index().to_csv(args.out, index=False, encoding="utf-8")
    print(f"weights={json.dumps(weights, ensure_ascii=False)}")
    print(f"parcels={len(ranked)} top={ranked.index[0]}")
    return 0


@command("site")
def cmd_site(args: argparse.Namespace) -> int:
    """Choose up to k new sites for a facility type that newly serve the most residents (MCLP)."""
    import shapely

    from geodata.catalogue import load_catalogue
    from geodata.io import read_vector
    from geodata.workspace import load_workspace
    from layers.coverage import build_model
    from layers.crs import ANALYSIS_CRS
    from layers.siting import plan_sites, siting_table

    cat = load_catalogue()
    if args.type not in cat.types:
        raise ValueError(f"unknown facility type {args.type!r}; one of: {', '.join(cat.types)}")
    if args.k < 1:
        raise ValueError("--k must be at least 1")
    ws = load_workspace(args.workspace)
    cells = ws["population_cells"].to_crs(ANALYSIS_CRS)
    model = build_model(cells, ws["facilities"].to_crs(ANALYSIS_CRS), catalogue=cat, types=[args.type])
    if args.candidates:
        cand = read_vector(args.candidates)
        if cand.crs is None:
            raise ValueError(f"{args.candidates} has no CRS")
        id_col = next((c for c in ("site_id", "parcel_id", "id", "name") if c in cand.columns), None)
        ids = cand[id_col].astype(str).tolist() if id_col else [f"C{i + 1}" for i in range(len(cand))]
    else:
        cand = ws["parcels"]
        ids = cand["parcel_id"].tolist()
    pts = cand.to_crs(ANALYSIS_CRS).geometry.representative_point()
    xy = shapely.get_coordinates(pts.values)
    weight = cells["elderly"].to_numpy(float) if args.weight == "elderly" else None
    plan = plan_sites(
        model, args.type, xy, k=args.k, method=args.method, weight=weight, time_limit_s=args.time_limit
    )
    table = siting_table(
        plan.best,
        ids,
        total_demand=plan.demand_total,
        already_served=plan.served_before,
        population_total=plan.weight_total,
    )
    lonlat = gpd_points_lonlat(xy[plan.best.chosen])
    table["lon"], table["lat"] = lonlat[:, 0].round(6), lonlat[:, 1].round(6)
    table.to_csv(args.out, index=False, encoding="utf-8")
    exact = f"{plan.exact.objective:.0f}" if plan.exact is not None else "-"
    print(f"type={args.type} radius_m={plan.radius_m:g} candidates={len(xy)} k={args.k} weight={args.weight}")
    print(
        f"greedy={plan.greedy.objective:.0f} exact={exact} gap_pct={plan.gap_pct if plan.gap_pct is not None else '-'}"
    )
    print(f"new_served={int(round(plan.best.objective))}")
    return 0


def gpd_points_lonlat(xy):
    import geopandas as gpd
    import shapely

    from layers.crs import ANALYSIS_CRS

    return shapely.get_coordinates(
        gpd.GeoSeries(shapely.points(xy), crs=ANALYSIS_CRS).to_crs("EPSG:4326").values
    )


@command("ledger")
def cmd_ledger(args: argparse.Namespace) -> int:
    """城市体检 evaluation and 问题台账 (problem ledger) to XLSX; optional comparison with another year."""
    from geodata.catalogue import load_catalogue
    from geodata.export import xlsx_bytes
    from geodata.indicators import load_indicators
    from geodata.projects import open_store
    from geodata.workspace import load_workspace
    from layers.healthcheck import (
        compare_years,
        composite,
        evaluate,
        ledger,
        problems,
        projects_without_problem,
    )

    ws = load_workspace(args.workspace)
    years = [int(y) for y in ws.metadata.get("survey_years", "").split(",") if y.strip()]
    year = args.year or (max(years) if years else None)
    if year is None:
        raise ValueError("no survey year: give --year (the workspace metadata has no survey_years)")
    cat = load_catalogue()
    ind = load_indicators(catalogue=cat)
    store = open_store()
    links = store.problem_links()
    sheets, total = {}, None
    for level in ("community", "subdistrict", "district"):
        ev = evaluate(ws.layers, cat, ind, year=year, level=level)
        sheets[f"evaluation_{level}"] = ev
        sheets[f"score_{level}"] = composite(ev).reset_index()
        led = ledger(problems(ev), links)
        sheets[f"ledger_{level}"] = led
        total = led if total is None else pd_concat(total, led)
        if args.compare:
            ev0 = evaluate(ws.layers, cat, ind, year=args.compare, level=level)
            sheets[f"compare_{level}"] = compare_years(ev0, ev)
    sheets["indicators"] = pd_frame(ind)
    sheets["projects_without_problem"] = projects_without_problem(store.list(), links, total["problem_id"])
    with open(args.out, "wb") as fh:
        fh.write(
            xlsx_bytes(
                sheets,
                notes={
                    "year": str(year),
                    "compare": str(args.compare or ""),
                    "synthetic_demo_data": str(ws.synthetic).lower(),
                },
            )
        )
    n_linked = int(total["linked"].sum())
    print(f"wrote {args.out}: year={year} levels=3 indicators={len(ind)}")
    print(f"problems={len(total)} linked={n_linked} unlinked={len(total) - n_linked}")
    return 0


def pd_concat(a, b):
    import pandas as pd

    return pd.concat([a, b], ignore_index=True)


def pd_frame(rows):
    import pandas as pd

    return pd.DataFrame(rows).astype(str)


def _read_for_cli(path: str, crs: str | None, datum: str = "wgs84"):
    from geodata.importer import apply_datum, read_any

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
    """Import a file into the workspace as facilities, neighbourhoods or parcels (atomically)."""
    import json
    from pathlib import Path

    from geodata.catalogue import load_catalogue
    from geodata.importer import (
        LAYERS,
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
    from geodata.workspace import load_workspace, workspace_path

    result = _read_for_cli(args.file, args.crs, args.datum)
    if result.gdf.crs is None:
        raise DataValidationError(
            [
                __import__("geodata.errors").errors.Problem(
                    result.source, None, "geometry", "no CRS and none could be inferred", "give --crs"
                )
            ],
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
    conformed = attach_areas(conformed, args.as_, load_workspace(workspace_path()).layers)
    problems = validation_report(conformed, args.as_)
    if problems and args.on_problems != "cancel":
        conformed = repair(conformed, problems, args.on_problems)
        problems = validation_report(conformed, args.as_)
    if problems:
        print(f"not imported: {len(problems)} problem(s) (nothing was changed)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
        return 1
    dest = commit(conformed, args.as_, workspace=workspace_path())
    print(f"imported={len(conformed)} layer={TARGETS[args.as_]} workspace={dest}")
    return 0


@command("report")
def cmd_report(args: argparse.Namespace) -> int:
    """The briefing pack as PDF (printed by headless chromium); last line pages=<int>."""
    from dashboard.briefing import write_briefing_pdf
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.layout import load_layout
    from geodata.projects import open_store
    from geodata.render import pdf_page_count
    from geodata.workspace import load_workspace

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cli.py", description="Renewal Atlas 城市更新规划一张图 — batch commands"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("workspace", help="validate a workspace GeoPackage (default: the bundled demo city)")
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: RENEWAL_WORKSPACE or demo)")
    p = sub.add_parser(
        "report", help="briefing pack PDF (layout, coverage, candidates, library, 体检, method)"
    )
    p.add_argument("--workspace", default=None)
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--out", required=True)
    p = sub.add_parser("check", help="validation report of a data file (exit 0 ok, 1 problems, 2 unreadable)")
    p.add_argument("file")
    p.add_argument("--crs", default=None, help="the file's CRS when it has none, e.g. EPSG:4548")
    p = sub.add_parser("import", help="import a file into the workspace")
    p.add_argument("file")
    p.add_argument("--as", dest="as_", required=True, choices=["facilities", "neighbourhoods", "parcels"])
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
    p = sub.add_parser("ledger", help="城市体检 indicators and problem ledger (XLSX)")
    p.add_argument("--workspace", default=None)
    p.add_argument(
        "--year", type=int, default=None, help="survey year (default: the latest in the workspace)"
    )
    p.add_argument("--compare", type=int, default=None, help="earlier survey year to compare with")
    p.add_argument("--out", required=True)
    p = sub.add_parser("site", help="choose up to k new facility sites that newly serve the most residents")
    p.add_argument("--type", required=True, help="facility type key, e.g. elderly_daycare")
    p.add_argument("--k", type=int, required=True)
    p.add_argument(
        "--candidates", default=None, help="candidate points/polygons (default: the renewal parcels)"
    )
    p.add_argument("--workspace", default=None)
    p.add_argument("--weight", choices=["population", "elderly"], default="population")
    p.add_argument("--method", choices=["greedy", "exact", "both"], default="both")
    p.add_argument("--time-limit", type=float, default=60.0, dest="time_limit", help="exact solver limit (s)")
    p.add_argument("--out", required=True)
    p = sub.add_parser("screen", help="rank renewal parcels (multi-criteria, per-criterion contributions)")
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: the bundled demo city)")
    p.add_argument("--weights", default=None, help="JSON or TOML file: criterion = weight")
    p.add_argument("--out", required=True, help="output CSV")
    p = sub.add_parser("coverage", help="residents within a radius of facilities, or the workspace gap table")
    p.add_argument("--facilities", help="facility points (any vector file; optional 'type' column)")
    p.add_argument("--residents", help="resident points or polygons with a numeric 'population' column")
    p.add_argument("--radius-m", type=float, dest="radius_m", help="service radius in metres")
    p.add_argument("--type", help="keep only facilities whose 'type' equals this")
    p.add_argument("--mode", choices=["euclidean", "network"], default="euclidean")
    p.add_argument("--network", help="street lines for --mode network")
    p.add_argument("--out", help="output CSV (file mode) or XLSX (--workspace)")
    p.add_argument(
        "--workspace",
        nargs="?",
        const="",
        default=None,
        help="use a workspace GeoPackage (no value: the bundled demo city) and write the gap tables",
    )
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
