"""设施选址优化 page: choose k sites (or the fewest for a target), compare greedy vs exact, send onwards."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st
from streamlit_folium import st_folium

from cartography import mapkit
from cartography.maps import districts_layer
from dashboard import auth, common, state
from geodata.schema import PARCEL_TYPES
from geodata.stores import ProjectError
from i18n import t
from layers.crs import ANALYSIS_CRS
from layers.siting import (
    capacitated_set_cover,
    coverage_matrix,
    grid_candidates,
    min_sites_for_target,
    plan_sites,
    siting_table,
)

DRAWN_KEY = "site_drawn"
ELDERLY_TYPES = ("elderly_daycare", "elderly_home")


def _candidates(ws, model, ftype: str, source: str, L: str) -> tuple[np.ndarray, list[str]]:
    parcels = ws["parcels"]
    if source in ("parcels", "parcel_type"):
        if source == "parcel_type":
            ptype = common.kept(
                st.selectbox,
                t("site.parcel_type", L),
                PARCEL_TYPES,
                key="site_ptype",
                by_language=True,
                format_func=lambda v: t(f"ptype.{v}", L),
            )
            parcels = parcels[parcels["parcel_type"] == ptype]
        pts = parcels.to_crs(ANALYSIS_CRS).geometry.representative_point()
        return shapely.get_coordinates(pts.values), parcels["parcel_id"].tolist()
    if source == "grid":
        spacing = common.kept(
            st.number_input,
            t("site.grid_spacing", L),
            min_value=100.0,
            max_value=2000.0,
            value=300.0,
            step=50.0,
            key="site_spacing",
        )
        demand = np.where(model.served(ftype), 0.0, model.population)
        xy = grid_candidates(model.resident_xy, demand, spacing_m=spacing)
        return xy, [f"G{i + 1:04d}" for i in range(len(xy))]
    drawn = st.session_state.get(DRAWN_KEY, [])
    st.caption(t("site.drawn_hint", L, n=len(drawn)))
    if not drawn:
        return np.zeros((0, 2)), []
    pts = gpd.GeoSeries(gpd.points_from_xy([d[0] for d in drawn], [d[1] for d in drawn]), crs="EPSG:4326")
    return shapely.get_coordinates(pts.to_crs(ANALYSIS_CRS).values), [
        f"D{i + 1:02d}" for i in range(len(drawn))
    ]


def _map(ws, cand_xy, chosen_xy, radius_m: float, L: str) -> folium.Map:
    m = mapkit.base_map()
    districts_layer(ws, L).add_to(m)
    to_ll = lambda xy: gpd.GeoSeries(shapely.points(xy), crs=ANALYSIS_CRS).to_crs("EPSG:4326")  # noqa: E731
    fg = folium.FeatureGroup(name=t("site.layer.candidates", L))
    if len(cand_xy) <= 3000:
        for p in to_ll(cand_xy):
            folium.CircleMarker([p.y, p.x], radius=2, color="#636363", weight=1, fill=True).add_to(fg)
    fg.add_to(m)
    fg = folium.FeatureGroup(name=t("site.layer.chosen", L))
    for i, p in enumerate(to_ll(chosen_xy) if len(chosen_xy) else []):
        folium.Circle(
            [p.y, p.x], radius=radius_m, color="#d7191c", weight=1.5, fill=True, fill_opacity=0.12
        ).add_to(fg)
        folium.CircleMarker(
            [p.y, p.x],
            radius=7,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color="#d7191c",
            fill_opacity=1,
            tooltip=f"#{i + 1}",
        ).add_to(fg)
    fg.add_to(m)
    mapkit.legend_html(
        t("legend.title", L),
        [("#d7191c", t("site.layer.chosen", L), "dot"), ("#636363", t("site.layer.candidates", L), "dot")],
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    minx, miny, maxx, maxy = ws["compounds"].total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return mapkit.finalize(m)


def _send_buttons(ws, ftype: str, chosen_ll: gpd.GeoSeries, ids: list[str], L: str) -> None:
    c1, c2 = st.columns(2)
    if c1.button(t("site.to_whatif", L), key="site_to_whatif"):
        added = state.add_sites((p.x, p.y, ftype) for p in chosen_ll)
        if added:
            st.success(t("site.sent_whatif", L, n=added))
        else:
            st.info(t("site.already_sent", L))
    if auth.can_edit() and c2.button(t("site.to_library", L), key="site_to_library"):
        store, made = state.store(), []
        name = common.catalogue().types[ftype].name("zh")
        try:
            for sid, p in zip(ids, chosen_ll):
                made.append(
                    store.create(
                        {
                            "name": f"新增{name}（选址 {sid}）",
                            "category": "完整社区配套",
                            "status": "储备",
                            "decision": "改",
                            "geometry_wkt": p.wkt,
                            "notes": f"选址优化推荐：{sid}",
                        },
                        editor=common.editor(),
                    )["project_id"]
                )
        except ProjectError as err:
            st.error(common.md_escape(err))
        if made:
            st.success(t("site.sent_library", L, ids=", ".join(made)))


def render_siting() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("site.title", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    _, ws = loaded
    common.demo_badge(ws)
    st.caption(t("site.method", L))
    cat = common.catalogue()
    model = state.coverage_model(str(ws.path), "euclidean")
    c = st.columns(4)
    ftype = common.kept(
        c[0].selectbox,
        t("site.type", L),
        list(cat.types),
        index=list(cat.types).index("elderly_daycare"),
        key="site_type",
        by_language=True,
        format_func=lambda k: cat.types[k].name(L),
    )
    weight_kind = common.kept(
        c[1].radio,
        t("site.weight", L),
        ["elderly", "population"] if ftype in ELDERLY_TYPES else ["population", "elderly"],
        key=f"site_weight_{ftype}",
        by_language=True,
        format_func=lambda v: t(f"site.weight.{v}", L),
    )
    goal = common.kept(
        c[2].radio,
        t("site.goal", L),
        ["k", "target"],
        key="site_goal",
        by_language=True,
        format_func=lambda v: t(f"site.goal.{v}", L),
    )
    k = (
        common.kept(c[3].number_input, t("site.k", L), min_value=1, max_value=200, value=10, key="site_k")
        if goal == "k"
        else None
    )
    target = (
        common.kept(
            c[3].slider, t("site.target", L), min_value=50, max_value=100, value=95, key="site_target"
        )
        if goal == "target"
        else None
    )
    c = st.columns(2)
    source = common.kept(
        c[0].radio,
        t("site.source", L),
        ["parcels", "parcel_type", "grid", "drawn"],
        key="site_source",
        by_language=True,
        format_func=lambda v: t(f"site.source.{v}", L),
        horizontal=True,
    )
    solver = common.kept(
        c[1].radio,
        t("site.solver", L),
        ["both", "greedy"],
        key="site_solver",
        by_language=True,
        horizontal=True,
        format_func=lambda v: t(f"site.solver.{v}", L),
    )
    cand_xy, cand_ids = _candidates(ws, model, ftype, source, L)
    weight = ws["population_cells"]["elderly"].to_numpy(float) if weight_kind == "elderly" else None
    if not len(cand_xy):
        st.warning(t("site.no_candidates", L))
        chosen_xy, table, chosen_ids = np.zeros((0, 2)), None, []
    elif goal == "k":
        plan = plan_sites(model, ftype, cand_xy, k=int(k), method=solver, weight=weight)
        best = plan.best
        m = st.columns(4)
        m[0].metric(t("site.metric.new", L), f"{best.objective:,.0f}")
        m[1].metric(
            f"{t('site.metric.greedy', L)} · {plan.greedy.seconds:.2f} s", f"{plan.greedy.objective:,.0f}"
        )
        if plan.exact is not None:
            m[2].metric(
                f"{t('site.metric.exact', L)} · {plan.exact.seconds:.2f} s", f"{plan.exact.objective:,.0f}"
            )
            m[3].metric(t("site.metric.gap", L), f"{plan.gap_pct:.2f}%" if plan.gap_pct is not None else "—")
            if not plan.exact.optimal:
                st.info(t("site.not_optimal", L))
        chosen_xy = cand_xy[best.chosen]
        chosen_ids = [cand_ids[j] for j in best.chosen]
        table = siting_table(
            best,
            cand_ids,
            total_demand=plan.demand_total,
            already_served=plan.served_before,
            population_total=plan.weight_total,
        )
    else:
        w = model.population if weight is None else weight
        cover = coverage_matrix(cand_xy, model.resident_xy, model.radius_m(ftype))
        cap = st.toggle(t("site.capacity", L), key="site_capacity_on")
        if cap:
            c1, c2 = st.columns(2)
            share = c1.number_input(
                t("site.user_share", L),
                0.001,
                1.0,
                0.04,
                0.005,
                format="%.3f",
                key="site_user_share",
                help=t("site.user_share.help", L),
            )
            places = c2.number_input(t("site.places", L), 10, 5000, 270, 10, key="site_places")
            st.caption(t("site.capacity.note", L, share=share, places=places))
            w = w * share
        served = model.served(ftype)
        demand = np.where(served, 0.0, w)
        if cap:
            res = capacitated_set_cover(
                cover,
                demand,
                cand_xy,
                model.resident_xy,
                capacity=float(places),
                target_share=target / 100,
                already_served=float(w[served].sum()),
                total=float(w.sum()),
            )
        else:
            res = min_sites_for_target(
                cover,
                demand,
                target_share=target / 100,
                already_served=float(w[served].sum()),
                total=float(w.sum()),
            )
        st.metric(
            t("site.metric.sites", L), len(res.chosen), None if res.optimal else "✗ target", delta_color="off"
        )
        chosen_xy = cand_xy[res.chosen]
        chosen_ids = [cand_ids[j] for j in res.chosen]
        table = siting_table(
            res,
            cand_ids,
            total_demand=float(demand.sum()),
            already_served=float(w[served].sum()),
            population_total=float(w.sum()),
        )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        returned = st_folium(
            _map(ws, cand_xy, chosen_xy, model.radius_m(ftype), L),
            key=f"site_map_{L}",
            height=560,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
    click = (returned or {}).get("last_clicked")
    if click and source == "drawn":
        pt = (round(click["lng"], 6), round(click["lat"], 6))
        if pt not in st.session_state.setdefault(DRAWN_KEY, []):
            st.session_state[DRAWN_KEY].append(pt)
            st.rerun()
    with right:
        if table is not None and len(table):
            st.subheader(t("site.table", L))
            shown = pd.DataFrame(
                {
                    t("col.order", L): table["order"],
                    t("col.site", L): table["site"],
                    t("col.newly_served", L): table["newly_served"],
                    t("col.cumulative", L): table["cumulative_new"],
                    t("col.coverage_share", L): (table["coverage_share"] * 100).round(2),
                }
            )
            st.dataframe(shown, hide_index=True, width="stretch", height=260)
            st.markdown(f"**{t('site.curve', L)}**")
            st.line_chart(shown, x=t("col.order", L), y=t("col.coverage_share", L), height=180)
            chosen_ll = gpd.GeoSeries(shapely.points(chosen_xy), crs=ANALYSIS_CRS).to_crs("EPSG:4326")
            _send_buttons(ws, ftype, chosen_ll, chosen_ids, L)
