"""Analysis commands: coverage, renewal screening, facility siting, 城市体检 ledger."""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from batch.registry import command
from geodata.spreadsheet import write_csv


@command("coverage")
def cmd_coverage(args: argparse.Namespace) -> int:
    """Population within one or several radii of facilities (file mode), or a workspace's gap tables."""
    if args.workspace is not None:
        return _coverage_workspace(args)
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
    radii = parse_radii(args.radius_m)
    if args.mode == "network":
        return _coverage_network(args, radii)
    return _coverage_points(args, radii)


def parse_radii(text: str) -> list[float]:
    """``"300,500,1000"`` → ``[300.0, 500.0, 1000.0]`` (ascending, each once); ValueError for anything else."""
    try:
        radii = sorted({float(part) for part in str(text).split(",") if part.strip()})
    except ValueError:
        radii = []
    if not radii or not all(np.isfinite(r) and r > 0 for r in radii):
        raise ValueError(f"--radius-m {text!r}: give positive metres, e.g. 300 or 300,500,1000")
    return radii


def _served_columns(radii: list[float]) -> list[str]:
    from layers.coverage import radius_column

    # one radius: the column keeps its name "served" (the output of every earlier run)
    return ["served"] if len(radii) == 1 else [radius_column(r) for r in radii]


def _last_line(pop: np.ndarray, served: dict, radii: list[float]) -> str:
    total = f"total_population={int(round(float(pop.sum())))}"
    if len(radii) == 1:
        return f"served_population={int(round(float(pop[served[radii[0]]].sum())))} {total}"
    parts = [f"served_population_{r:g}m={int(round(float(pop[served[r]].sum())))}" for r in radii]
    return " ".join([*parts, total])


def _points(path: str, columns: list[str] | None):
    """(x, y, crs, attributes, fast) of a point file: arrays via geodata.bulk, else the general reader."""
    from geodata.bulk import read_points
    from geodata.importing import read_vector

    pts = read_points(path, columns=columns)
    if pts is not None:
        return pts.x, pts.y, pts.crs, pts.attributes, True
    import shapely

    gdf = read_vector(path)
    geom = gdf.geometry
    empty = np.flatnonzero((geom.isna() | geom.is_empty).to_numpy())
    if len(empty):
        raise ValueError(
            f"{path}: rows {empty[:10].tolist()} have no geometry (blank coordinates); fix or drop them"
        )
    if len(geom) and not (geom.geom_type == "Point").all():
        geom = geom.representative_point()  # polygons count at a point inside them, as everywhere else
    xy = shapely.get_coordinates(geom.values)
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    if columns is not None:
        attrs = attrs[[c for c in attrs.columns if c in columns]]
    return xy[:, 0].copy(), xy[:, 1].copy(), gdf.crs, attrs, False


def _names(attrs) -> list[str]:
    """Column names of an Arrow table or a pandas DataFrame."""
    return list(attrs.column_names) if hasattr(attrs, "column_names") else list(attrs.columns)


def _column(attrs, name: str) -> np.ndarray:
    return attrs.column(name).to_numpy() if hasattr(attrs, "column_names") else attrs[name].to_numpy()


def _coverage_points(args: argparse.Namespace, radii: list[float]) -> int:
    """Straight-line coverage with arrays end to end: read, project, one KD-tree query, chunked CSV."""
    import time

    from geodata.bulk import write_csv_chunks
    from layers.coverage import multi_radius_coverage
    from layers.crs import transform_xy, utm_crs_for_points

    t0 = time.perf_counter()
    fx, fy, fcrs, fattrs, _ = _points(args.facilities, ["type"] if args.type is not None else [])
    rx, ry, rcrs, rattrs, fast = _points(args.residents, None)
    for crs, name in ((fcrs, args.facilities), (rcrs, args.residents)):
        if crs is None:
            raise ValueError(f"{name} has no CRS (.prj / GeoPackage CRS); cannot measure metres")
    if "population" not in _names(rattrs):
        raise ValueError("residents have no 'population' column")
    pop = pd.to_numeric(pd.Series(_column(rattrs, "population")), errors="coerce").to_numpy(float)
    if np.isnan(pop).any():
        rows = np.flatnonzero(np.isnan(pop))[:10].tolist()
        raise ValueError(f"'population' is empty or not a number in rows {rows}")
    if args.type is not None:
        if "type" not in _names(fattrs):
            raise ValueError(f"--type given but {args.facilities} has no 'type' column")
        keep = pd.Series(_column(fattrs, "type")).astype(str).to_numpy() == args.type
        fx, fy = fx[keep], fy[keep]
    t_read = time.perf_counter()
    metric = utm_crs_for_points(rx, ry, rcrs)
    t_crs = time.perf_counter()
    rx, ry = transform_xy(rx, ry, rcrs, metric)
    res_xy = np.column_stack([rx, ry])
    del rx, ry
    fx, fy = transform_xy(fx, fy, fcrs, metric)
    fac_xy = np.column_stack([fx, fy])
    t_proj = time.perf_counter()
    dist, served = multi_radius_coverage(res_xy, fac_xy, radii)
    del res_xy
    t_query = time.perf_counter()
    cols = _served_columns(radii)
    if fast:
        import pyarrow as pa

        table = rattrs.drop_columns([c for c in ("distance_m", *cols) if c in rattrs.column_names])
        table = table.append_column("distance_m", pa.array(dist, from_pandas=True))
        for col, r in zip(cols, radii, strict=True):
            table = table.append_column(col, pa.array(served[r]))
        write_csv_chunks(table, args.out)
    else:
        table = rattrs.copy()
        table["distance_m"] = dist
        for col, r in zip(cols, radii, strict=True):
            table[col] = served[r]
        write_csv(table, args.out)
    t_write = time.perf_counter()
    print(
        f"seconds read={t_read - t0:.2f} crs={t_crs - t_read:.2f} reproject={t_proj - t_crs:.2f} "
        f"query={t_query - t_proj:.2f} write={t_write - t_query:.2f}"
    )
    print(f"mode={args.mode} crs={metric} facilities={len(fac_xy)} residents={len(dist)}")
    print(_last_line(pop, served, radii))
    return 0


def _coverage_network(args: argparse.Namespace, radii: list[float]) -> int:
    """Walking-network coverage through the GeoDataFrame path (city scale), one column per radius."""
    from geodata.importing import read_vector
    from layers.coverage import point_coverage
    from layers.crs import utm_crs_for
    from layers.network import build_network

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
    if not args.network:
        raise ValueError("--mode network needs --network ROADS")
    net = build_network(read_vector(args.network).to_crs(metric))
    res_m, fac_m = res.to_crs(metric), fac.to_crs(metric)
    cols = _served_columns(radii)
    table, served = None, {}
    for col, r in zip(cols, radii, strict=True):  # one network search per radius (bounded by it)
        t = point_coverage(res_m, fac_m, radius_m=r, mode="network", network=net)
        served[r] = t["served"].to_numpy(bool)
        if table is None:
            table = t.drop(columns="served")
        table[col] = served[r]
    write_csv(table, args.out)
    pop = table["population"].astype(float).to_numpy()
    print(f"mode={args.mode} crs={metric} facilities={len(fac)} residents={len(table)}")
    print(_last_line(pop, served, radii))
    return 0


def _coverage_workspace(args: argparse.Namespace) -> int:
    from geodata.catalogue import load_catalogue
    from geodata.workspace import load_workspace
    from layers.coverage import circle_summary, gap_ranking, type_summary
    from layers.pipelines import coverage_model
    from reports.tables import xlsx_bytes

    ws = load_workspace(args.workspace or None)
    model = coverage_model(ws, load_catalogue(), mode=args.mode)
    # a new city workspace has no communities yet: the gap table is then per district
    by = "community_id" if not ws["communities"].empty else "district_adcode"
    gaps = gap_ranking(model, by=by).reset_index()
    gaps["missing"] = gaps["missing"].map(", ".join)
    # 完整社区 items the data cannot evaluate ("cannot evaluate: needs data", not passed)
    gaps["unevaluated"] = gaps["unevaluated"].map(", ".join)
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
    unit = "communities" if by == "community_id" else "districts"
    print(f"wrote {out}: {len(gaps)} {unit}, mode={args.mode}")
    print(f"{unit}={len(gaps)} total_population={int(round(total))}")
    return 0


@command("screen")
def cmd_screen(args: argparse.Namespace) -> int:
    """Rank renewal parcels with transparent multi-criteria scores (one row per parcel)."""
    import datetime as dt
    import json
    import tomllib
    from pathlib import Path

    from geodata.catalogue import load_catalogue
    from geodata.workspace import load_workspace
    from layers.pipelines import coverage_model, default_weights, screening_criteria
    from layers.screening import score

    weights = default_weights()
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
    crit = screening_criteria(ws, coverage_model(ws, load_catalogue()), current_year=dt.date.today().year)
    ranked = score(crit, weights).sort_values("rank")
    write_csv(ranked.round(4).reset_index(), args.out)
    print(f"weights={json.dumps(weights, ensure_ascii=False)}")
    print(f"parcels={len(ranked)} top={ranked.index[0]}")
    return 0


@command("site")
def cmd_site(args: argparse.Namespace) -> int:
    """Choose up to k new sites for a facility type that newly serve the most residents (MCLP)."""
    import shapely

    from geodata.catalogue import load_catalogue
    from geodata.importing import read_vector
    from geodata.workspace import load_workspace
    from layers.crs import ANALYSIS_CRS
    from layers.pipelines import coverage_model, metric
    from layers.siting import plan_sites, siting_table

    cat = load_catalogue()
    if args.type not in cat.types:
        raise ValueError(f"unknown facility type {args.type!r}; one of: {', '.join(cat.types)}")
    if args.k < 1:
        raise ValueError("--k must be at least 1")
    ws = load_workspace(args.workspace)
    cells = metric(ws, "population_cells")
    model = coverage_model(ws, cat, types=[args.type])
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
    write_csv(table, args.out)
    # with --method exact, plan.greedy holds the exact result: never print it under the word "greedy"
    ran_greedy = args.method in ("greedy", "both")
    ran_exact = plan.exact is not None or args.method == "exact"
    greedy_v = f"{plan.greedy.objective:.0f}" if ran_greedy else "-"
    exact_v = (plan.exact or plan.greedy).objective if ran_exact else None
    exact = f"{exact_v:.0f}" if exact_v is not None else "-"
    gap = plan.gap_pct if (ran_greedy and plan.gap_pct is not None) else "-"
    print(f"type={args.type} radius_m={plan.radius_m:g} candidates={len(xy)} k={args.k} weight={args.weight}")
    print(f"method={args.method} greedy={greedy_v} exact={exact} gap_pct={gap}")
    ex = plan.exact or (plan.greedy if args.method == "exact" else None)
    if ex is not None and ex.mip_gap is not None:  # the exact solver's own proof, within --time-limit
        print(f"exact_optimal={ex.optimal} proven_gap_pct={100 * ex.mip_gap:.3f}")
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
    import pandas as pd

    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.stores import open_store
    from geodata.workspace import load_workspace
    from layers.healthcheck import (
        compare_years,
        composite,
        evaluate,
        ledger,
        problems,
        projects_without_problem,
    )
    from reports.tables import xlsx_bytes

    ws = load_workspace(args.workspace)
    years = [int(y) for y in ws.metadata.get("survey_years", "").split(",") if y.strip()]
    year = args.year or (max(years) if years else None)
    if year is None:
        raise ValueError("no survey year: give --year (the workspace metadata has no survey_years)")
    cat = load_catalogue()
    ind = load_indicators(catalogue=cat)
    store = open_store(workspace=ws)
    links = store.problem_links()
    sheets, total = {}, None
    for level in ("community", "subdistrict", "district"):
        ev = evaluate(ws.layers, cat, ind, year=year, level=level)
        sheets[f"evaluation_{level}"] = ev
        sheets[f"score_{level}"] = composite(ev).reset_index()
        led = ledger(problems(ev), links)
        sheets[f"ledger_{level}"] = led
        total = led if total is None else pd.concat([total, led], ignore_index=True)
        if args.compare:
            ev0 = evaluate(ws.layers, cat, ind, year=args.compare, level=level)
            sheets[f"compare_{level}"] = compare_years(ev0, ev)
    sheets["indicators"] = pd.DataFrame(ind).astype(str)
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


def register(sub) -> None:
    """Add this module's subcommands to the argparse sub-parsers."""
    p = sub.add_parser("coverage", help="residents within a radius of facilities, or the workspace gap table")
    p.add_argument("--facilities", help="facility points (any vector file; optional 'type' column)")
    p.add_argument("--residents", help="resident points or polygons with a numeric 'population' column")
    p.add_argument(
        "--radius-m",
        dest="radius_m",
        help="service radius in metres, or several separated by commas (300,500,1000: one column each)",
    )
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
    p = sub.add_parser("screen", help="rank renewal parcels (multi-criteria, per-criterion contributions)")
    p.add_argument("--workspace", default=None, help="workspace .gpkg (default: the bundled demo city)")
    p.add_argument("--weights", default=None, help="JSON or TOML file: criterion = weight")
    p.add_argument("--out", required=True, help="output CSV")
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
    p = sub.add_parser("ledger", help="城市体检 indicators and problem ledger (XLSX)")
    p.add_argument("--workspace", default=None)
    p.add_argument(
        "--year", type=int, default=None, help="survey year (default: the latest in the workspace)"
    )
    p.add_argument("--compare", type=int, default=None, help="earlier survey year to compare with")
    p.add_argument("--out", required=True)
