"""Map payload on the demo and on a 10× city (issue 19, goal 6): what the browser receives stays ≤ 2 MB.

The 10× city is the demo tiled: ten copies of every workspace layer side by side (a 5 × 2 grid, each copy shifted
by the demo's extent plus a 2 km gap in the metric CRS), ids made unique per copy. For the overview, coverage,
renewal and 城市体检 maps the bench builds the map with the cartography function the page calls, renders the
HTML document the browser receives for it (Leaflet and plugins are vendored files, loaded once and cached, not
counted) and prints per page

    map_bytes_<page>_demo=<bytes>   map_bytes_<page>_10x=<bytes>   build_s_<page>_10x=<seconds>

and ``map_bytes_10x=<the largest page at 10×>``. With Debian chromium present (``/usr/bin/chromium``) and
Playwright installed, each 10× page is loaded from a file (assets inlined, no server) until the map is drawn —
document loaded, Leaflet map ready, two frames painted — and ``settle_s_10x_<page>=<seconds>`` and
``settle_s_10x=<the slowest page>`` are printed (``--no-browser`` skips this). Browser time only: the
server's build of the map (``build_s_``) comes before it on a cold cache.

    python bench/payload_bench.py            # demo and 10× (about a minute on 2 cores)
    python bench/payload_bench.py --smoke    # demo and 2× (tiny, no browser)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely import affinity

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from geodata.workspace import Workspace  # noqa: E402
from layers.crs import ANALYSIS_CRS  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PAGES = ("overview", "coverage", "renewal", "healthcheck")
#: goal: what the browser receives for a page
GOAL_BYTES = 2_000_000
#: integer id columns that other layers refer to (offset per copy so the copies stay distinct)
_ID_COLUMNS = (
    "adcode",
    "district_adcode",
    "subdistrict_id",
    "community_id",
    "compound_id",
    "cell_id",
    "facility_id",
    "street_id",
    "parcel_id",
)


def tile_workspace(ws: Workspace, copies: int = 10, *, columns: int = 5, gap_m: float = 2000.0) -> Workspace:
    """The demo city tiled ``copies`` times (``columns`` per row), every id made unique per copy.

    Parameters
    ----------
    ws : Workspace
        The city to tile (EPSG:4326 layers).
    copies : int
        Number of copies (1 = the city itself).
    columns : int
        Copies per row of the grid.
    gap_m : float
        Gap between neighbouring copies, metres.

    Returns
    -------
    Workspace
        Same layers and metadata, ``copies`` × the rows; integer ids shifted by ``k × 10**7`` (``k`` the copy),
        text ids and names suffixed with ``·k`` for ``k > 0``.
    """
    metric = {name: gdf.to_crs(ANALYSIS_CRS) for name, gdf in ws.layers.items()}
    bounds = np.array([g.total_bounds for g in metric.values() if len(g)])
    width = bounds[:, 2].max() - bounds[:, 0].min() + gap_m
    height = bounds[:, 3].max() - bounds[:, 1].min() + gap_m
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, gdf in metric.items():
        parts = []
        for k in range(copies):
            dx, dy = (k % columns) * width, (k // columns) * height
            part = gdf.copy()
            part["geometry"] = [
                affinity.translate(g, dx, dy) if g is not None else None for g in gdf.geometry
            ]
            for col in part.columns:
                if col == "geometry" or k == 0:
                    continue
                if col in _ID_COLUMNS and pd.api.types.is_integer_dtype(part[col]):
                    part[col] = part[col] + k * 10**7
                elif col in _ID_COLUMNS or col in ("name", "name_zh", "name_en"):
                    text = part[col].astype(str)
                    part[col] = text.where(text.str.strip() == "", text + f"·{k}")  # unnamed stays unnamed
            parts.append(part)
        tiled = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=ANALYSIS_CRS)
        out[name] = tiled.to_crs(gdf.crs if gdf.crs is not None else "EPSG:4326").astype(
            {c: ws.layers[name][c].dtype for c in ws.layers[name].columns if c != "geometry"}
        )
    return Workspace(path=ws.path, layers=out, metadata=dict(ws.metadata))


def write_city(ws: Workspace, path: Path) -> None:
    """Save a workspace (every layer and the metadata table) as a GeoPackage the app can open."""
    import pyogrio

    path.unlink(missing_ok=True)
    for name, gdf in ws.layers.items():
        pyogrio.write_dataframe(gdf, path, layer=name, driver="GPKG")
    meta = pd.DataFrame({"key": list(ws.metadata), "value": list(ws.metadata.values())})
    pyogrio.write_dataframe(meta, path, layer="metadata", driver="GPKG")


def build_maps(bnd, ws: Workspace, cat, lang: str = "zh", pages=PAGES) -> dict:
    """The map of each page, built with the cartography function the page calls and its default choices.

    Returns
    -------
    dict
        page → (folium.Map, seconds to build it, including the analysis the page draws from).
    """
    from cartography.maps import coverage_map, grade_map, overview_map, parcel_map
    from geodata.indicators import load_indicators
    from layers.coverage import share_by
    from layers.healthcheck import evaluate
    from layers.pipelines import coverage_model, screening_criteria
    from layers.screening import PRESETS, score

    out = {}
    model = None
    if "overview" in pages:
        t0 = time.perf_counter()
        m = overview_map(bnd, ws, cat, lang=lang, extent="city", basemap="none")
        out["overview"] = (m, time.perf_counter() - t0)
    if "coverage" in pages or "renewal" in pages:
        model = coverage_model(ws, cat, mode="euclidean")
    if "coverage" in pages:
        t0 = time.perf_counter()
        selection = "kindergarten"
        share = share_by(model, selection, by="community_id")
        m = coverage_map(ws, model, selection, lang=lang, community_share=share, proposed=None)
        out["coverage"] = (m, time.perf_counter() - t0)
    if "renewal" in pages:
        t0 = time.perf_counter()
        crit = screening_criteria(ws, model, current_year=2026)
        scored = score(crit, PRESETS["民生优先"])
        m = parcel_map(ws, ws["parcels"], scored["score"], "type", lang)
        out["renewal"] = (m, time.perf_counter() - t0)
    if "healthcheck" in pages:
        t0 = time.perf_counter()
        ind = load_indicators(catalogue=cat)
        years = [int(y) for y in ws.metadata.get("survey_years", "2026").split(",") if y.strip()]
        ev = evaluate(ws.layers, cat, ind, year=max(years), level="community")
        m = grade_map(ws, ev, "community", ind[0]["key"], lang)
        out["healthcheck"] = (m, time.perf_counter() - t0)
    return out


def map_bytes(m) -> int:
    """Bytes of the map's HTML document (its data and scripts; the vendored Leaflet files are linked)."""
    return len(m.get_root().render().encode("utf-8"))


def settle_seconds(html_path: Path, browser) -> float:
    """Seconds from navigation until the map is drawn: the document loaded (every layer decoded and added,
    the page's scripts are synchronous), the Leaflet map ready, and two animation frames painted after."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    try:
        t0 = time.perf_counter()
        page.goto(html_path.as_uri(), wait_until="load", timeout=180_000)
        page.wait_for_function(
            "() => Object.keys(window).some(k => k.startsWith('map_') && window[k] && window[k]._loaded)",
            timeout=180_000,
        )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return time.perf_counter() - t0
    finally:
        page.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=10, help="size of the big city (copies of the demo)")
    ap.add_argument("--smoke", action="store_true", help="2 copies, no browser")
    ap.add_argument("--no-browser", action="store_true", help="skip the settle times")
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages to build")
    ap.add_argument("--keep", type=Path, help="write the 10× map documents (standalone HTML) here")
    ap.add_argument(
        "--write-city",
        type=Path,
        help="also save the tiled city as a workspace GeoPackage (to open in the app)",
    )
    args = ap.parse_args(argv)
    copies = 2 if args.smoke else args.copies
    tag = "10x" if copies == 10 else f"{copies}x"

    from cartography.mapkit import standalone_html
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from geodata.paths import DEMO_GPKG
    from geodata.workspace import load_workspace

    bnd, cat = load_boundaries(), load_catalogue()
    demo = load_workspace(DEMO_GPKG)
    t0 = time.perf_counter()
    big = tile_workspace(demo, copies)
    print(
        f"[city] demo {len(demo['compounds']):,} compounds, {len(demo['facilities']):,} facilities, "
        f"{len(demo['communities']):,} communities; {tag}: {len(big['compounds']):,} / {len(big['facilities']):,} / "
        f"{len(big['communities']):,} (tiled in {time.perf_counter() - t0:.1f} s)"
    )
    pages = tuple(p for p in args.pages.split(",") if p in PAGES)
    if args.write_city:
        write_city(big, args.write_city)
        print(f"[city] written to {args.write_city}")
    small_maps = build_maps(bnd, demo, cat, args.lang, pages)
    for page, (m, _s) in small_maps.items():
        print(f"map_bytes_{page}_demo={map_bytes(m)}")
    del small_maps
    big_maps = build_maps(bnd, big, cat, args.lang, pages)
    worst = 0
    for page, (m, secs) in big_maps.items():
        n = map_bytes(m)
        worst = max(worst, n)
        print(f"map_bytes_{page}_{tag}={n}")
        print(f"build_s_{page}_{tag}={secs:.2f}")
    print(f"map_bytes_{tag}={worst}")
    print(f"[goal] largest page at {tag}: {worst / 1e6:.2f} MB (goal ≤ {GOAL_BYTES / 1e6:.0f} MB)")

    browser_ok = not (args.smoke or args.no_browser) and Path(CHROMIUM).exists()
    if args.keep or browser_ok:
        outdir = args.keep or Path(tempfile.mkdtemp(prefix="payload_bench_"))
        outdir.mkdir(parents=True, exist_ok=True)
        files = {}
        for page, (m, _s) in big_maps.items():
            files[page] = outdir / f"{page}_{tag}.html"
            files[page].write_text(standalone_html(m), encoding="utf-8")
    if browser_ok:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            print("[settle] playwright not installed: settle times skipped")
            return 0
        slowest = 0.0
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                for page, path in files.items():
                    s = settle_seconds(path, browser)
                    slowest = max(slowest, s)
                    print(f"settle_s_{tag}_{page}={s:.2f}")
            finally:
                browser.close()
        print(f"settle_s_{tag}={slowest:.2f}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    raise SystemExit(main())
