"""生活圈覆盖 page: served share by community, gaps, what-if sites, method panel."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.maps import coverage_map
from dashboard import common, state
from i18n import t
from layers.coverage import gap_ranking, headline, scenario, share_by
from layers.crs import ANALYSIS_CRS
from layers.network import overstatement
from reports.tables import csv_bytes, xlsx_bytes


def _controls(cat, L: str):
    c1, c2, c3, c4 = st.columns([1.2, 1.4, 1.2, 1])
    target = c1.radio(
        t("cov.target", L),
        ["type", "circle"],
        key="cov_target",
        format_func=lambda v: t(f"cov.target.{v}", L),
    )
    if target == "type":
        ftype = c2.selectbox(
            t("cov.type", L),
            list(cat.types),
            key="cov_type",
            index=list(cat.types).index("kindergarten"),
            format_func=lambda k: cat.types[k].name(L),
        )
        radius = c4.number_input(
            t("cov.radius", L),
            min_value=50.0,
            max_value=5000.0,
            step=50.0,
            value=float(cat.radius_m(ftype)),
            key=f"cov_radius_{ftype}",
            help=t("cov.radius.help", L),
        )
        selection, overrides = ftype, {ftype: radius}
    else:
        circle = c2.selectbox(
            t("cov.circle", L),
            ["5min", "10min", "15min"],
            key="cov_circle",
            format_func=lambda c: t(f"circle.{c}", L),
        )
        selection, overrides = f"circle:{circle}", {}
    mode = c3.radio(
        t("cov.mode", L), ["euclidean", "network"], key="cov_mode", format_func=lambda m: t(f"mode.{m}", L)
    )
    return selection, overrides, mode


def _proposed_frame(cat, L: str) -> pd.DataFrame:
    sites = st.session_state.get(state.SCENARIO_KEY, [])
    df = pd.DataFrame(sites, columns=["lon", "lat", "type"])
    df["type_label"] = df["type"].map(lambda k: cat.types[k].name(L))
    return df


def _scenario_model(model, proposed: pd.DataFrame, removed: list[str]):
    if proposed.empty and not removed:
        return None
    pts = gpd.GeoSeries(gpd.points_from_xy(proposed["lon"], proposed["lat"]), crs="EPSG:4326").to_crs(
        ANALYSIS_CRS
    )
    add = [(p.x, p.y, tt) for p, tt in zip(pts, proposed["type"])]
    return scenario(model, add=add, remove=removed)


def _metrics(model, selection: str, L: str, result=None) -> None:
    h = headline(model, selection)
    cols = st.columns(4)
    cols[0].metric(t("cov.metric.population", L), f"{h['population']:,.0f}")
    delta = None
    if result is not None and not selection.startswith("circle:"):
        d = result.delta.set_index("type")
        if selection in d.index:
            delta = f"{d.loc[selection, 'newly_served'] - d.loc[selection, 'newly_unserved']:+,.0f}"
    cols[1].metric(t("cov.metric.served", L), f"{h['served_pop']:,.0f}", delta=delta)
    cols[2].metric(t("cov.metric.unserved", L), f"{h['unserved_pop']:,.0f}")
    cols[3].metric(t("cov.metric.share", L), f"{h['served_share'] * 100:.1f}%")
    st.caption(t("cov.mode_note", L, mode=t(f"mode.{model.mode}", L)))


def _whatif_panel(model, selection: str, cat, L: str, result) -> list[str]:
    st.subheader(t("cov.whatif", L))
    if selection.startswith("circle:"):
        st.caption(t("cov.whatif.needs_type", L))
        return []
    st.toggle(t("cov.whatif.click", L), key="cov_click_add", value=True)
    with st.form("cov_add_coords", clear_on_submit=False, border=False):
        st.caption(t("cov.whatif.coords", L))
        c1, c2, c3 = st.columns([1, 1, 0.6])
        lon = c1.number_input(t("cov.whatif.lon", L), value=115.900, format="%.5f", key="cov_lon")
        lat = c2.number_input(t("cov.whatif.lat", L), value=28.680, format="%.5f", key="cov_lat")
        if c3.form_submit_button(t("cov.whatif.add", L)):
            st.session_state.setdefault(state.SCENARIO_KEY, []).append((lon, lat, selection))
            st.rerun()
    ids = model.facilities.loc[model.facilities["type"] == selection, "facility_id"].astype(str).tolist()
    removed = st.multiselect(
        t("cov.whatif.remove", L),
        ids,
        key=f"cov_remove_{selection}",
        placeholder=t("cov.whatif.remove_hint", L),
    )
    if result is None:
        st.caption(t("cov.whatif.none", L))
    else:
        d = result.delta.set_index("type")
        if selection in d.index:
            c1, c2 = st.columns(2)
            c1.metric(t("cov.whatif.delta", L), f"{d.loc[selection, 'newly_served']:,.0f}")
            c2.metric(t("cov.whatif.lost", L), f"{d.loc[selection, 'newly_unserved']:,.0f}")
        proposed = _proposed_frame(cat, L)
        if len(proposed):
            shown = proposed[["type_label", "lon", "lat"]].rename(
                columns={"type_label": t("col.type", L), "lon": t("col.lon", L), "lat": t("col.lat", L)}
            )
            st.dataframe(shown, hide_index=True, width="stretch")
            st.download_button(t("cov.export.sites", L), csv_bytes(shown), "scenario_sites.csv", "text/csv")
        if st.button(t("cov.whatif.clear", L)):
            st.session_state[state.SCENARIO_KEY] = []
            st.rerun()
    return removed


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
            t("col.mode", L): t(f"mode.{model.mode}", L),
        }
    )


def _district_chart(model, ws, selection: str, L: str) -> None:
    st.subheader(t("cov.by_district", L))
    d = share_by(model, selection, by="district_adcode")
    dnames = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
    d = d[d.index.isin(dnames.index)]
    chart = pd.DataFrame(
        {t("col.district", L): d.index.map(dnames), t("col.served_share", L): d["served_share"] * 100}
    )
    st.bar_chart(chart, x=t("col.district", L), y=t("col.served_share", L), horizontal=True, height=260)


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
    model = state.coverage_model(str(ws.path), mode).with_catalogue(cat.with_radii(overrides))
    proposed = _proposed_frame(cat, L)
    removed = (
        st.session_state.get(f"cov_remove_{selection}", []) if not selection.startswith("circle:") else []
    )
    result = _scenario_model(model, proposed, removed)
    shown = result.model if result is not None else model
    _metrics(shown, selection, L, result)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        fmap = coverage_map(
            ws,
            shown,
            selection,
            lang=L,
            community_share=share_by(shown, selection, by="community_id"),
            proposed=proposed,
            basemap=opts["basemap"],
            tianditu_key=opts["tianditu_key"] or None,
        )
        returned = st_folium(
            fmap,
            key=f"cov_map_{L}_{opts['basemap']}",
            height=600,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
    with right:
        _whatif_panel(model, selection, cat, L, result)
    click = (returned or {}).get("last_clicked")
    if click and st.session_state.get("cov_click_add") and not selection.startswith("circle:"):
        site = (round(click["lng"], 6), round(click["lat"], 6), selection)
        if site != st.session_state.get("cov_last_click"):
            st.session_state["cov_last_click"] = site
            st.session_state.setdefault(state.SCENARIO_KEY, []).append(site)
            st.rerun()
    _district_chart(shown, ws, selection, L)
    st.subheader(t("cov.gaps", L))
    gaps = _gap_table(shown, ws, selection, L)
    st.dataframe(gaps.head(50), hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    c1.download_button(
        t("cov.export.gaps_xlsx", L),
        xlsx_bytes({"gaps": gaps}, notes={"mode": t(f"mode.{shown.mode}", L), "selection": selection}),
        "service_gaps.xlsx",
    )
    c2.download_button(t("cov.export.gaps_csv", L), csv_bytes(gaps), "service_gaps.csv", "text/csv")
    _method(
        cat,
        state.coverage_model(str(ws.path), "euclidean").with_catalogue(cat.with_radii(overrides)),
        state.coverage_model(str(ws.path), "network").with_catalogue(cat.with_radii(overrides)),
        L,
    )
