"""生活圈覆盖 page: served share by community, gaps, what-if sites, method panel."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from cartography.charts import share_bar
from cartography.maps import coverage_map
from cartography.whatif import catchment_layer, changed_share_layer, proposed_layer
from dashboard import common, mapcache, state, workspace_panel
from i18n import t
from layers.circles import item_table, reached_distribution
from layers.coverage import gap_ranking, headline, scenario, share_by
from layers.crs import ANALYSIS_CRS
from layers.network import overstatement
from layers.whatif import site_catchments
from reports.tables import csv_bytes, xlsx_bytes


def _controls(cat, L: str):
    c1, c2, c3, c4 = st.columns([1.2, 1.4, 1.2, 1])
    target = common.kept(
        c1.radio,
        t("cov.target", L),
        ["type", "circle"],
        key="cov_target",
        by_language=True,
        format_func=lambda v: t(f"cov.target.{v}", L),
    )
    if target == "type":
        types = list(cat.types)
        ftype = common.kept(
            c2.selectbox,
            t("cov.type", L),
            types,
            key="cov_type",
            by_language=True,
            index=types.index("kindergarten"),
            format_func=lambda k: cat.types[k].name(L),
        )
        radius = common.kept(
            c4.number_input,
            t("cov.radius", L),
            key=f"cov_radius_{ftype}",
            min_value=50.0,
            max_value=5000.0,
            step=50.0,
            value=float(cat.radius_m(ftype)),
            help=t("cov.radius.help", L),
        )
        selection, overrides = ftype, {ftype: radius}
    else:
        circle = common.kept(
            c2.selectbox,
            t("cov.circle", L),
            ["5min", "10min", "15min"],
            key="cov_circle",
            by_language=True,
            format_func=lambda c: t(f"circle.{c}", L),
        )
        selection, overrides = f"circle:{circle}", {}
    mode = common.kept(
        c3.radio,
        t("cov.mode", L),
        ["euclidean", "network"],
        key="cov_mode",
        by_language=True,
        format_func=lambda m: t(f"mode.{m}", L),
    )
    return selection, overrides, mode


def _proposed_frame(cat, L: str) -> pd.DataFrame:
    df = pd.DataFrame(state.scenario_sites(), columns=["lon", "lat", "type"])
    df["type_label"] = df["type"].map(lambda k: cat.types[k].name(L))
    return df


def _scenario(model, proposed: pd.DataFrame, removed: list[str]):
    if proposed.empty and not removed:
        return None
    pts = gpd.GeoSeries(gpd.points_from_xy(proposed["lon"], proposed["lat"]), crs="EPSG:4326").to_crs(
        ANALYSIS_CRS
    )
    add = [(p.x, p.y, tt) for p, tt in zip(pts, proposed["type"])]
    return scenario(model, add=add, remove=removed)


def _metrics(base, shown, selection: str, L: str, result) -> None:
    """Headline figures; with a scenario they are the scenario's, with the change against today as delta."""
    h, h0 = headline(shown, selection), headline(base, selection)
    cols = st.columns(4)
    cols[0].metric(t("cov.metric.population", L), f"{h['population']:,.0f}")
    change = h["served_pop"] - h0["served_pop"]
    delta = f"{change:+,.0f}" if result is not None else None
    cols[1].metric(t("cov.metric.served", L), f"{h['served_pop']:,.0f}", delta=delta)
    cols[2].metric(t("cov.metric.unserved", L), f"{h['unserved_pop']:,.0f}")
    share_delta = f"{(h['served_share'] - h0['served_share']) * 100:+.1f}" if result is not None else None
    cols[3].metric(t("cov.metric.share", L), f"{h['served_share'] * 100:.1f}%", delta=share_delta)
    st.caption(t("cov.mode_note", L, mode=t(f"mode.{shown.mode}", L)))
    # always the same elements above the map: one shifting position would make the browser rebuild the map
    note = st.container()
    if result is not None:
        note.info(
            t(
                "cov.scenario_included",
                L,
                added=len(result.added),
                removed=len(result.removed),
                change=f"{change:+,.0f}",
                before=f"{h0['served_share'] * 100:.1f}%",
            ),
            icon=":material/science:",
        )


def _site_table(per_site: pd.DataFrame, proposed: pd.DataFrame, cat, L: str, mode: str) -> None:
    """The proposed sites with the residents each newly serves; select rows to delete single sites."""
    shown = pd.DataFrame(
        {
            t("col.site", L): [f"{i + 1}" for i in range(len(proposed))],
            t("col.type", L): proposed["type_label"].to_numpy(),
            t("col.lon", L): [f"{v:.6f}" for v in proposed["lon"]],
            t("col.lat", L): [f"{v:.6f}" for v in proposed["lat"]],
        }
    )
    served = per_site.set_index("facility_id")["newly_served"] if len(per_site) else pd.Series(dtype=float)
    shown[t("cov.whatif.site_served", L)] = [
        "—" if pd.isna(v) else f"{v:,.0f}"
        for v in served.reindex([f"NEW-{i + 1}" for i in range(len(proposed))])
    ]
    picked = st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key="cov_sites_table",
    )
    if mode == "network":
        st.caption(t("cov.whatif.site_split_network", L))
    rows = list(getattr(picked, "selection", {}).get("rows", [])) if picked else []
    c1, c2, c3 = st.columns(3)
    if c1.button(t("cov.whatif.delete", L), disabled=not rows, key="cov_delete_sites"):
        state.remove_sites(rows)
        st.rerun()
    c2.download_button(
        t("cov.export.sites", L),
        lambda: csv_bytes(shown),
        "scenario_sites.csv",
        "text/csv",
        on_click="ignore",
    )
    if c3.button(t("cov.whatif.clear", L), key="cov_clear"):
        state.clear_sites()
        st.rerun()


@st.cache_data(show_spinner=False, max_entries=8)
def _form_start(_ws, version: str) -> tuple[float, float]:
    """Where the coordinate form starts on this workspace (lon, lat, degrees): the median resident (cells,
    else compounds), else the centre of the districts — so a new city does not start in Nanchang."""
    import numpy as np
    import shapely

    for name in ("population_cells", "compounds"):
        if name in _ws and len(_ws[name]):
            pts = shapely.centroid(_ws[name].geometry.dropna().to_numpy())
            return float(np.median(shapely.get_x(pts))), float(np.median(shapely.get_y(pts)))
    x0, y0, x1, y1 = _ws["districts"].total_bounds
    return float((x0 + x1) / 2), float((y0 + y1) / 2)


def _whatif_panel(model, ws, selection: str, cat, L: str, result, per_site) -> None:
    st.subheader(t("cov.whatif", L))
    if selection.startswith("circle:"):
        st.caption(t("cov.whatif.needs_type", L))
        return
    common.kept(st.toggle, t("cov.whatif.click", L), key="cov_click_add", value=True)
    with st.form("cov_add_coords", clear_on_submit=False, border=False):
        st.caption(t("cov.whatif.coords", L))
        c1, c2, c3 = st.columns([1, 1, 0.6])
        lon0, lat0 = _form_start(ws, f"{ws.path}:{Path(ws.path).stat().st_mtime_ns}")
        lon = c1.number_input(t("cov.whatif.lon", L), value=round(lon0, 5), format="%.5f", key="cov_lon")
        lat = c2.number_input(t("cov.whatif.lat", L), value=round(lat0, 5), format="%.5f", key="cov_lat")
        if c3.form_submit_button(t("cov.whatif.add", L)):
            state.add_sites([(lon, lat, selection)])
            st.rerun()
    ids = model.facilities.loc[model.facilities["type"] == selection, "facility_id"].astype(str).tolist()
    common.kept(
        st.multiselect,
        t("cov.whatif.remove", L),
        ids,
        key=f"cov_remove_{selection}",
        placeholder=t("cov.whatif.remove_hint", L),
    )
    if result is None:
        st.caption(t("cov.whatif.none", L))
        return
    d = result.delta.set_index("type")
    if selection in d.index:
        c1, c2 = st.columns(2)
        c1.metric(t("cov.whatif.delta", L), f"{d.loc[selection, 'newly_served']:,.0f}")
        c2.metric(t("cov.whatif.lost", L), f"{d.loc[selection, 'newly_unserved']:,.0f}")
    proposed = _proposed_frame(cat, L)
    if len(proposed):
        last = proposed.iloc[-1]
        st.caption(t("cov.whatif.last", L, lon=f"{last['lon']:.6f}", lat=f"{last['lat']:.6f}"))
        _site_table(per_site, proposed, cat, L, model.mode)
    elif st.button(t("cov.whatif.clear", L), key="cov_clear_removed"):
        state.clear_sites()
        st.rerun()


def _gap_table(model, ws, selection: str, L: str) -> pd.DataFrame:
    ftype = None if selection.startswith("circle:") else selection
    g = gap_ranking(model, ftype=ftype)
    comms = ws["communities"].set_index("community_id")
    subs = ws["subdistricts"].set_index("subdistrict_id")["name"]
    dnames = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
    cat = model.catalogue
    names = lambda reqs: "、".join("/".join(cat.types[x].name(L) for x in r.split("/")) for r in reqs)  # noqa: E731
    return pd.DataFrame(
        {
            t("col.gap_rank", L): g["gap_rank"].to_numpy(),
            t("col.community", L): g.index.map(comms["name"]).to_numpy(),
            t("col.subdistrict", L): g.index.map(comms["subdistrict_id"]).map(subs).to_numpy(),
            t("col.district", L): g.index.map(comms["district_adcode"]).map(dnames).to_numpy(),
            t("col.population", L): g["population"].round(0).astype(int).to_numpy(),
            t("col.unserved_pop", L): g["unserved_pop"].round(0).astype(int).to_numpy(),
            t("col.missing_count", L): g["missing_count"].to_numpy(),
            t("col.missing", L): g["missing"].map(names).to_numpy(),
            t("loop.col.unevaluated", L): g["unevaluated"].map(names).to_numpy(),
            t("col.mode", L): t(f"mode.{model.mode}", L),
        }
    )


def _district_chart(model, ws, selection: str, L: str) -> None:
    st.subheader(t("cov.by_district", L))
    d = share_by(model, selection, by="district_adcode")
    dnames = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
    d = d[d.index.isin(dnames.index)]
    frame = pd.DataFrame({"district": d.index.map(dnames), "share": d["served_share"]})
    st.altair_chart(
        share_bar(
            frame,
            category="district",
            share="share",
            x_title=t("col.district", L),
            y_title=t("col.served_share", L),
            height=260,
        ),
        width="stretch",
    )


def _circle_items(model, ws, selection: str, L: str) -> None:
    """Life circle: the strict "all items" figure plus items reached (0–n) and the per-item table."""
    circle = selection.split(":", 1)[1]
    cat = model.catalogue
    st.subheader(t("cov.items.title", L, circle=t(f"circle.{circle}", L)))
    st.caption(t("cov.items.definition", L))
    left, right = st.columns(2)
    dist = reached_distribution(model, circle)
    n = int(dist["items"].max())
    left.dataframe(
        pd.DataFrame(
            {
                t("cov.items.reached", L): [f"{i} / {n}" for i in dist["items"]],
                t("col.population", L): [f"{v:,.0f}" for v in dist["population"]],
                t("col.share", L): [f"{v * 100:.1f}%" for v in dist["share"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    items = item_table(model, circle)
    right.dataframe(
        pd.DataFrame(
            {
                t("col.type", L): items["type"].map(lambda k: cat.types[k].name(L)),
                t("col.radius_m", L): items["radius_m"].astype(int),
                t("col.served_pop", L): [f"{v:,.0f}" for v in items["served_pop"]],
                t("col.served_share", L): [f"{v * 100:.1f}%" for v in items["served_share"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _method(cat, model_e, model_n, L: str) -> None:
    with st.expander(t("cov.method", L)):
        st.write(t("cov.method.text", L))
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.type", L): [ft.name(L) for ft in cat.types.values()],
                    t("col.circle", L): [
                        t(f"circle.{ft.circle}", L) if ft.circle else "—" for ft in cat.types.values()
                    ],
                    t("col.radius_m", L): [int(ft.radius_m) for ft in cat.types.values()],
                    t("col.basis", L): [ft.basis(L) for ft in cat.types.values()],
                    t("col.assumption", L): ["✓" if ft.assumption else "" for ft in cat.types.values()],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        if model_n is None:
            return
        st.markdown(f"**{t('cov.method.overstate', L)}**")
        o = overstatement(model_e, model_n)
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.type", L): o["type"].map(lambda k: cat.types[k].name(L)),
                    t("col.radius_m", L): o["radius_m"].astype(int),
                    t("col.euclidean", L): (o["served_share_euclidean"] * 100).round(1),
                    t("col.network", L): (o["served_share_network"] * 100).round(1),
                    t("col.overstatement", L): o["overstatement_pts"].round(1),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def _save_view(selection: str, overrides: dict, mode: str, cat, L: str) -> None:
    if selection.startswith("circle:"):
        name = t(f"circle.{selection.split(':', 1)[1]}", L)
    else:
        name = f"{cat.types[selection].name(L)} {overrides.get(selection, cat.radius_m(selection)):g} m"
    common.save_view_button(
        "coverage",
        {"selection": selection, "mode": mode, "radius_m": overrides.get(selection)},
        f"{name} · {t(f'mode.{mode}', L)}",
        key="coverage",
    )


def _base_map(ws, base, selection: str, opts: dict, L: str):
    """The map without the added what-if sites (removals included): rebuilt only when its inputs change."""
    return coverage_map(
        ws,
        base,
        selection,
        lang=L,
        community_share=share_by(
            base, selection, by="community_id" if len(ws["communities"]) else "district_adcode"
        ),
        basemap=opts["basemap"],
        tianditu_key=opts["tianditu_key"] or None,
    )


def _whatif_layers(ws, base, shown, proposed: pd.DataFrame, site_of_cell, selection: str, L: str) -> list:
    """What a click changes, as layers drawn over the base map in the browser: the sites, the communities
    whose share changes (in their new colour) and the residents each site newly serves."""
    if not len(proposed):
        return []
    return [
        changed_share_layer(
            ws["communities"],
            share_by(base, selection, by="community_id"),
            share_by(shown, selection, by="community_id"),
            name=t("speed.layer.changed", L),
            aliases=(t("col.community", L), t("speed.col.share_change", L), t("col.population", L)),
        ),
        catchment_layer(
            base.resident_xy,
            base.population,
            site_of_cell,
            crs=ANALYSIS_CRS,
            site_labels=[f"{t('col.site', L)} {i + 1}" for i in range(len(proposed))],
            name=t("cov.layer.catchments", L),
            aliases=(t("col.site", L), t("col.population", L)),
        ),
        proposed_layer(proposed, name=t("cov.layer.proposed", L)),
    ]


def new_click(returned, seen):
    """A map click not handled yet: ``(lon, lat)`` or ``None``.

    ``returned`` is what the map component last returned (its ``last_clicked`` stays there on every later
    rerun), ``seen`` the click handled before (or ``None``); a click is new when it differs from it.
    """
    click = (returned or {}).get("last_clicked")
    if not click or click.get("lng") is None or click.get("lat") is None:
        return None
    here = (float(click["lng"]), float(click["lat"]))
    return None if seen is not None and tuple(seen) == here else here


def _take_click(map_key: str, selection: str) -> None:
    """Add the site of a new map click before anything is computed, so this very run shows it (one rerun
    per click, the map kept: its key does not change)."""
    here = new_click(st.session_state.get(map_key), st.session_state.get("_cov_click_seen"))
    if here is None:
        return
    st.session_state["_cov_click_seen"] = here
    if common.kept_value("cov_click_add", True) and not selection.startswith("circle:"):
        state.add_sites([(here[0], here[1], selection)])


def render_coverage() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("cov.title", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    _, ws = loaded
    common.demo_badge(ws)
    cat = common.catalogue()
    selection, overrides, mode = _controls(cat, L)
    if workspace_panel.needs_data(ws, "network" if mode == "network" else "coverage", L):
        return
    model = state.coverage_model(str(ws.path), mode).with_catalogue(cat.with_radii(overrides))
    _figures_and_map(ws, model, cat, selection, overrides, mode, opts)
    _method(
        cat,
        state.coverage_model(str(ws.path), "euclidean").with_catalogue(cat.with_radii(overrides)),
        None  # no streets yet: no walking-network comparison
        if ws["streets"].empty
        else state.coverage_model(str(ws.path), "network").with_catalogue(cat.with_radii(overrides)),
        L,
    )


@common.fragment
def _figures_and_map(ws, model, cat, selection: str, overrides: dict, mode: str, opts: dict) -> None:
    """Everything a what-if changes: the figures, the map, the what-if panel, the chart and the gaps.

    A fragment: a map click or a what-if widget reruns this part alone (the sidebar, the controls and the
    method panel stay as they are), with the model of the last full run of the page.
    """
    L = opts["lang"]
    map_key = f"cov_map_{L}_{opts['basemap']}_{state.map_epoch('cov')}"
    _take_click(map_key, selection)
    proposed = _proposed_frame(cat, L)
    # the removals as of this run (the widget's state is set before the run; its kept copy only when drawn)
    rkey = f"cov_remove_{selection}"
    removed = (
        [] if selection.startswith("circle:") else st.session_state.get(rkey, common.kept_value(rkey, []))
    )
    result = _scenario(model, proposed, removed)
    shown = result.model if result is not None else model
    per_site, site_of_cell = (None, None)
    if result is not None and not selection.startswith("circle:"):
        per_site, site_of_cell = site_catchments(model, result, selection)
    _metrics(model, shown, selection, L, result)
    _save_view(selection, overrides, mode, cat, L)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        # the base map (no added sites) is rendered once per everything it is drawn from (the model follows
        # from the workspace, mode, catalogue and radii); the added sites are layers the browser swaps in
        # on the same map (st_folium's feature groups), so a click never rebuilds or reloads the map
        base = _scenario(model, proposed.iloc[0:0], removed)
        base = base.model if base is not None else model
        rendered = mapcache.cached(
            lambda: _base_map(ws, base, selection, opts, L),
            "coverage_map", str(ws.path), id(ws), id(cat), selection, sorted(overrides.items()), mode,
            removed, opts["basemap"], opts["tianditu_key"], L,
        )  # fmt: skip
        layers = (
            []
            if site_of_cell is None
            else _whatif_layers(ws, base, shown, proposed, site_of_cell, selection, L)
        )
        mapcache.show(
            rendered,
            key=map_key,
            height=600,
            returned_objects=["last_clicked"],
            feature_group=mapcache.feature_groups(rendered, layers),
            prompt_click=True,
        )
    with right:
        _whatif_panel(model, ws, selection, cat, L, result, per_site)
    if selection.startswith("circle:"):
        _circle_items(shown, ws, selection, L)
    _district_chart(shown, ws, selection, L)
    st.subheader(t("cov.gaps", L))
    gaps = _gap_table(shown, ws, selection, L)
    st.dataframe(gaps.head(50), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("cov.export.gaps_xlsx", L),
        lambda: xlsx_bytes({"gaps": gaps}, notes={t("col.mode", L): t(f"mode.{shown.mode}", L)}),
        "service_gaps.xlsx",
        on_click="ignore",
    )
    c2.download_button(
        t("cov.export.gaps_csv", L),
        lambda: csv_bytes(gaps),
        "service_gaps.csv",
        "text/csv",
        on_click="ignore",
    )
