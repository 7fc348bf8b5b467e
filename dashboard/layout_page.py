"""省域格局 page: 一圈两带四群 map, click a city for its role, summary table, cluster chart, layout editor."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.charts import cluster_chart
from cartography.maps import layout_map
from dashboard import auth, common, mapcache
from geodata.errors import DataValidationError
from geodata.layout import load_layout, reset_user_layout, save_layout
from i18n import t
from layers.layout import city_from_click, city_membership, layout_summary


@st.cache_resource(show_spinner=False, max_entries=8)
def _layout(path: str, mtime: float):
    return load_layout(path, boundaries=common.boundaries())


def current_layout():
    from geodata.layout import layout_path

    path = layout_path()
    return _layout(str(path), path.stat().st_mtime)


def _city_panel(info: dict, layout, ws, L: str) -> None:
    md = common.md_escape  # names and roles come from the editable layout file
    st.subheader(md(info["name_en"] if L == "en" else info["name_zh"]))
    colon = ": " if L == "en" else "："
    st.markdown(f"**{t('layout.city.tier', L)}**{colon}{md(info['tier_en'] if L == 'en' else info['tier'])}")
    st.markdown(f"**{t('layout.city.role', L)}**")
    st.markdown(md(info["role_en"] if L == "en" else info["role_zh"]))
    st.markdown(f"**{t('layout.city.elements', L)}**")
    names = info["circle_counties_en" if L == "en" else "circle_counties_zh"]
    circle_text = {"all": t("layout.city.circle_all", L), "none": t("layout.city.circle_none", L)}.get(
        info["circle"],
        t("layout.city.circle_partial", L, names=md((", " if L == "en" else "、").join(names))),
    )
    belts = [b for b in layout.belts if b.key in info["belts"]]
    sep = ", " if L == "en" else "、"
    belt_text = (
        t("layout.city.belts", L, names=md(sep.join(b.name_en if L == "en" else b.name_zh for b in belts)))
        if belts
        else t("layout.city.no_belt", L)
    )
    cluster = next((k for k in layout.clusters if k.key == info["cluster"]), None)
    cluster_text = (
        t("layout.city.cluster", L, name=md(cluster.name_en if L == "en" else cluster.name_zh))
        if cluster
        else t("layout.city.no_cluster", L)
    )
    st.markdown(f"- {circle_text}\n- {belt_text}\n- {cluster_text}")
    c1, c2 = st.columns(2)
    c1.metric(t("layout.city.area", L), f"{info['area_km2']:,.0f}")
    c2.metric(t("layout.city.counties", L), info["county_count"])
    st.markdown(f"**{t('layout.city.projects', L)}**")
    parcels = ws["parcels"] if ws is not None else None
    mine = parcels[parcels["district_adcode"] // 100 * 100 == info["adcode"]] if parcels is not None else None
    if mine is None or mine.empty:
        st.caption(t("layout.city.no_projects", L))
        return
    table = (
        mine.groupby("parcel_type").agg(n=("parcel_id", "size"), budget=("budget_wan", "sum")).reset_index()
    )
    table["parcel_type"] = table["parcel_type"].map(lambda v: t(f"ptype.{v}", L))
    table.columns = [t("col.type", L), t("col.parcels", L), t("col.budget_wan", L)]
    st.dataframe(table, hide_index=True, width="stretch")


@st.cache_resource(show_spinner=False, max_entries=16)
def _layout_summary(_bnd, _layout, layout_text: str, L: str):
    """:func:`layers.layout.layout_summary` once per layout (``layout_text``: its full text) and language;
    the boundaries are the bundled ones, loaded once per process."""
    return layout_summary(_bnd.prefectures, _bnd.counties, _layout, lang=L)


def _summary(bnd, layout, L: str) -> None:
    summary = _layout_summary(bnd, layout, str(layout), L)
    shown = pd.DataFrame(
        {
            t("col.kind", L): summary["kind"].map(lambda k: t(f"layout.kind.{k}", L)),
            t("col.name", L): summary["name"],
            t("col.members", L): summary["members"],
            t("col.area_km2", L): summary["area_km2"].round(0).astype(int),
            t("col.county_count", L): summary["county_count"],
        }
    )
    st.subheader(t("layout.summary", L))
    st.dataframe(shown, hide_index=True, width="stretch")
    st.subheader(t("layout.chart", L))
    st.altair_chart(
        cluster_chart(
            summary,
            layout,
            lang=L,
            measures={"area_km2": t("col.area_km2", L), "county_count": t("col.county_count", L)},
            name_title=t("map.chart.cluster", L),
        )
    )


def _editor(bnd, layout, L: str) -> None:
    if not auth.can_edit():
        return
    with st.expander(t("layout.editor", L)):
        st.caption(t("layout.editor.note", L))
        counties = bnd.counties.sort_values("adcode")
        label = {
            int(r.adcode): f"{r.prefecture_zh} · {r.name_zh}" if L == "zh" else f"{r.name_en} ({r.adcode})"
            for r in counties.itertuples()
        }
        members = common.kept(
            st.multiselect,
            t("layout.editor.members", L),
            list(label),
            default=list(layout.circle.members),
            format_func=lambda a: label[a],
            key="layout_members",
            placeholder=t("select.placeholder", L),
            by_language=True,
        )
        bands = {
            b.key: st.number_input(
                t("layout.editor.band", L, name=b.name_en if L == "en" else b.name_zh),
                min_value=1.0,
                max_value=200.0,
                value=float(b.band_km),
                step=5.0,
                key=f"band_{b.key}",
            )
            for b in layout.belts
        }
        c1, c2 = st.columns(2)
        if c1.button(t("layout.editor.save", L), type="primary", key="layout_save"):
            edited = layout.with_circle_members(members)
            for key, km in bands.items():
                edited = edited.with_band_km(key, km)
            try:
                path = save_layout(edited, boundaries=bnd)
            except DataValidationError as err:
                st.error(t("layout.editor.invalid", L))
                st.dataframe(common.problem_frame(err.problems, L), hide_index=True, width="stretch")
            else:
                st.success(t("layout.editor.saved", L, path=path))
                common.forget("layout_members")
                st.rerun()
        if c2.button(t("layout.editor.reset", L), key="layout_reset") and reset_user_layout():
            common.forget("layout_members")
            st.rerun()


def render_layout() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("layout.title", L))
    st.caption(t("layout.caption", L))
    try:
        bnd = common.boundaries()
        layout = current_layout()
    except DataValidationError as err:
        common.show_validation_error(err, "error.layout")
        return
    ws = common.workspace_or_none()
    options = list(bnd.prefectures.sort_values("adcode")["adcode"])
    current = common.kept_value("layout_city", options[0])
    left, right = st.columns([3, 2], gap="medium")
    with left:
        # rendered once per layout, language, basemap and selected city (not on every rerun of the page)
        rendered = mapcache.cached(
            lambda: layout_map(
                bnd,
                layout,
                lang=L,
                basemap=opts["basemap"],
                tianditu_key=opts["tianditu_key"] or None,
                selected_adcode=current,
            ),
            "layout_map", str(layout), L, opts["basemap"], opts["tianditu_key"], int(current),
        )  # fmt: skip
        returned = mapcache.show(
            rendered,
            key=f"layout_map_{L}_{opts['basemap']}_{hash(str(layout))}_{current}",
            height=620,
            returned_objects=["last_clicked"],
            prompt_click=True,
        )
    raw_click = (returned or {}).get("last_clicked")
    clicked = city_from_click(returned, bnd.prefectures)
    if clicked is not None and raw_click != st.session_state.get("_layout_last_click"):
        st.session_state["_layout_last_click"] = raw_click
        if clicked != current:
            common.set_kept("layout_city", clicked)
            st.rerun()
    with right:
        st.caption(t("layout.click_hint", L))
        city = common.kept(
            st.selectbox,
            t("layout.pick_city", L),
            options,
            key="layout_city",
            by_language=True,
            format_func=lambda a: bnd.prefecture_name(a, L),
        )
        _city_panel(city_membership(city, layout, bnd.prefectures, bnd.counties), layout, ws, L)
    common.save_view_button("layout", {"city": int(city)}, t("layout.title", L), key="layout")
    _summary(bnd, layout, L)
    _editor(bnd, layout, L)
