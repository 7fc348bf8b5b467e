"""城市体检 closed loop on the 问题台账 and 复查 tabs: problem map and size, predicted effects, 销号.

Bodies called from :mod:`dashboard.healthcheck_page` (no page imports another page); the analysis is in
:mod:`layers.closedloop`, the map in :mod:`cartography.problems`, the 销号 log in the project store.
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from cartography.problems import problem_map
from dashboard import auth, common, mapcache, state
from geodata.indicators import load_indicators
from geodata.stores import ProjectError
from i18n import format_value, t
from layers.closedloop import (
    parse_problem_id,
    predict_effect,
    problem_size,
    project_site_xy,
    remeasure,
)
from layers.crs import ANALYSIS_CRS, DISPLAY_CRS
from layers.healthcheck import problems, unit_names
from layers.library import local_time

FLASH = "loop_flash"


def _indicators() -> list[dict]:
    return load_indicators(catalogue=common.catalogue())


@st.cache_data(show_spinner=False, max_entries=64)
def _size(ws_path: str, problem: dict) -> dict:
    ind = {d["key"]: d for d in _indicators()}[problem["indicator"]]
    return problem_size(pd.Series(problem), common.workspace(ws_path).layers, common.catalogue(), ind)


@st.cache_data(show_spinner=False, max_entries=256)
def _effect(ws_path: str, problem_id: str, project_json: str) -> dict:
    project = json.loads(project_json)
    return predict_effect(
        problem_id, project, common.workspace(ws_path).layers, common.catalogue(), _indicators()
    )


def _project_json(rec: pd.Series) -> str:
    keep = ("project_id", "name", "category", "status", "geometry_wkt", "parcel_id")
    return json.dumps(
        {k: (None if pd.isna(rec.get(k)) else str(rec.get(k))) for k in keep}, ensure_ascii=False
    )


def _sites(lib: pd.DataFrame) -> pd.DataFrame:
    import geopandas as gpd
    import shapely

    rows = []
    for r in lib.itertuples():
        xy = project_site_xy(r._asdict())
        if xy is not None:
            rows.append((xy, f"{r.project_id} · {r.name}"))
    if not rows:
        return pd.DataFrame(columns=["lon", "lat", "label"])
    pts = gpd.GeoSeries([shapely.Point(xy) for xy, _ in rows], crs=ANALYSIS_CRS).to_crs(DISPLAY_CRS)
    return pd.DataFrame({"lon": pts.x, "lat": pts.y, "label": [label for _, label in rows]})


def _area_ha(v: float) -> str:
    return f"{v / 10_000:,.1f}"


def problem_panel(ws, ev, row: dict, level: str, lib: pd.DataFrame, linked_ids: list[str], L: str) -> None:
    """The selected problem: map (unit highlighted, unserved area, linked sites), size, predicted effects."""
    pid = row["problem_id"]
    size = _size(
        str(ws.path),
        {k: row[k] for k in ("problem_id", "level", "unit", "indicator", "year", "affected", "population")},
    )
    linked = lib[lib["project_id"].isin(linked_ids)] if len(lib) else lib
    st.markdown(f"**{t('loop.size.title', L)}**")
    c = st.columns(3)
    c[0].metric(t("loop.size.residents", L), f"{size['residents']:,.0f}")
    c[1].metric(t("loop.size.households", L), f"{size['households']:,}")
    c[2].metric(t(f"loop.size.area.{size['area_kind']}", L), _area_ha(size["area_m2"]))
    st.caption(t("loop.size.note", L))
    sites = _sites(linked) if len(linked) else None
    geom = size["problem_geometry"]
    rendered = mapcache.cached(  # rendered once per problem, its evaluation, linked sites and language
        lambda: problem_map(
            ws, ev, level, row["indicator"], L, selected_unit=row["unit"], problem_geometry=geom, sites=sites
        ),
        "problem_map", str(ws.path), id(ws), ev, level, row["indicator"], row["unit"], L,
        None if geom is None else geom.wkb, sites,
    )  # fmt: skip
    # one component per problem: a new selection is drawn fitted to its unit
    mapcache.show(rendered, key=f"loop_map_{L}_{level}_{abs(hash(pid))}", height=520, returned_objects=[])
    _effects(ws, pid, row, linked, L)


def _effects(ws, pid: str, row: pd.Series, linked: pd.DataFrame, L: str) -> None:
    st.markdown(f"**{t('loop.effect.title', L)}**")
    if linked.empty:
        st.caption(t("loop.effect.none", L))
        return
    cat = common.catalogue()
    uom = row["unit_of_measure"]
    out = []
    for _, rec in linked.iterrows():
        eff = _effect(str(ws.path), pid, _project_json(rec))
        base = {
            t("loop.effect.col.project", L): f"{rec['project_id']} · {rec['name']}",
            t("loop.effect.col.status", L): t(f"status.{rec['status']}", L),
            t("loop.effect.col.before", L): format_value(eff["value_before"], uom),
        }
        if eff["predicted"]:
            ftype = eff.get("facility_type")
            out.append(
                base
                | {
                    t("loop.effect.col.facility", L): cat.types[ftype].name(L)
                    if ftype
                    else t("loop.effect.parcel", L),
                    t("loop.effect.col.after", L): format_value(eff["value_after"], uom),
                    t("loop.effect.col.grade_after", L): t(f"hc.grade.{eff['grade_after']}", L),
                    t("loop.effect.col.newly", L): f"{eff['newly_served']:,.0f}",
                    t("loop.effect.col.newly_total", L): f"{eff['newly_served_total']:,.0f}",
                    t("loop.effect.col.note", L): "",
                }
            )
        else:
            detail = eff.get("detail", "")
            if eff["reason"] == "wrong_facility":
                detail = "、".join(
                    cat.types[x].name(L) if x in cat.types else x for x in str(detail).split(",") if x
                )
            elif eff["reason"] == "no_facility":
                detail = t(f"category.{detail}", L)
            out.append(
                base
                | {
                    t("loop.effect.col.facility", L): "—",
                    t("loop.effect.col.after", L): "—",
                    t("loop.effect.col.grade_after", L): "—",
                    t("loop.effect.col.newly", L): "—",
                    t("loop.effect.col.newly_total", L): "—",
                    t("loop.effect.col.note", L): t(f"loop.why.{eff['reason']}", L, detail=detail),
                }
            )
    st.dataframe(pd.DataFrame(out), hide_index=True, width="stretch")
    with st.expander(t("loop.effect.method_title", L)):
        st.caption(t("loop.effect.method", L))


# ------------------------------------------------------------------------------------ re-measure and 销号


def _names(ind, L: str) -> dict:
    return {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}


def _table(rm: pd.DataFrame, unames, names, uom_of, L: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col.unit", L): rm["unit"].map(unames).fillna(rm["unit"]),
            t("col.indicator", L): rm["indicator"].map(names),
            t("loop.col.before", L): [
                format_value(v, uom_of.get(i, "")) for v, i in zip(rm["value_y0"], rm["indicator"])
            ],
            t("loop.col.after", L): [
                format_value(v, uom_of.get(i, "")) for v, i in zip(rm["value_y1"], rm["indicator"])
            ],
            t("col.projects", L): rm["projects"],
        }
    )


def _show(df: pd.DataFrame, L: str) -> None:
    """A table, or "无 / None" (Streamlit's own empty-table text is English only)."""
    if df.empty:
        st.caption(t("loop.none", L))
    else:
        st.dataframe(df, hide_index=True, width="stretch")


@st.cache_data(show_spinner=False, max_entries=8)
def _remeasure(
    ev0: pd.DataFrame, ev1: pd.DataFrame, links: pd.DataFrame, projects: pd.DataFrame
) -> pd.DataFrame:
    """:func:`layers.closedloop.remeasure` of the earlier year's problems, once per evaluations, links and
    projects (st.cache_data keys on their contents: an edit of a link or project computes it again)."""
    return remeasure(problems(ev0), ev1, links, projects)


def review_panel(ws, ind, y0: int, year: int, level: str, L: str) -> None:
    """复查销号: proposals with a confirm button (editors), flagged problems, closed problems with who / when."""
    st.subheader(t("loop.review.title", L))
    st.caption(t("loop.review.caption", L, y0=y0, y1=year))
    if st.session_state.get(FLASH):
        st.success(st.session_state.pop(FLASH))
    store = state.store()
    ev0 = state.evaluation(str(ws.path), y0, level)
    ev1 = state.evaluation(str(ws.path), year, level)
    rm = _remeasure(ev0, ev1, store.problem_links(), store.list())
    closed = store.closures()
    closed = closed[closed["problem_id"].str.split("|").str[1] == level] if len(closed) else closed
    open_rm = rm[~rm["problem_id"].isin(set(closed["problem_id"]))]
    names, unames = _names(ind, L), unit_names(ws.layers, level, L)
    uom_of = {d["key"]: d.get("unit", "") for d in ind}
    props = open_rm[open_rm["status"] == "propose_close"]
    flagged = open_rm[open_rm["status"] == "complete_but_failing"]
    c = st.columns(4)
    c[0].metric(t("loop.metric.proposals", L), f"{len(props):,}")
    c[1].metric(t("loop.metric.flagged", L), f"{len(flagged):,}")
    c[2].metric(t("loop.metric.carried", L), f"{int((open_rm['status'] == 'carried_over').sum()):,}")
    c[3].metric(t("loop.metric.closed", L), f"{len(closed):,}")
    st.markdown(f"**{t('loop.proposals', L)}**")
    _show(_table(props, unames, names, uom_of, L), L)
    if not auth.can_edit():
        st.caption(t("loop.viewer", L))
    elif len(props):
        _confirm(store, props, year, unames, names, L)
    st.markdown(f"**{t('loop.flagged', L)}**")
    _show(_table(flagged, unames, names, uom_of, L), L)
    if auth.is_admin():
        _override(
            store,
            open_rm[open_rm["status"].isin(["complete_but_failing", "carried_over"])],
            year,
            unames,
            names,
            L,
        )
    st.markdown(f"**{t('loop.closed', L)}**")
    _closed_table(store, closed, unames, names, uom_of, L)


def _label(pid: str, unames, names) -> str:
    p = parse_problem_id(pid)
    return f"{unames.get(p['unit'], p['unit'])} · {names.get(p['indicator'], p['indicator'])} · {p['year']}"


def _close(store, rows: pd.DataFrame, year: int, note: str, *, passed: bool, L: str) -> None:
    try:
        for r in rows.itertuples():
            store.close_problem(
                r.problem_id,
                closed_in_year=year,
                value_before=r.value_y0,
                value_after=r.value_y1,
                remeasure_passed=passed,
                editor=common.editor(),
                note=note,
                admin=auth.is_admin(),
            )
    except ProjectError as err:
        st.error(t("loop.error", L, why=common.md_escape(common.one_language(err, L))))
        return
    st.session_state[FLASH] = t("loop.closed_ok", L, n=len(rows))
    st.rerun()


def _confirm(store, props: pd.DataFrame, year: int, unames, names, L: str) -> None:
    ids = props["problem_id"].tolist()
    pick = st.selectbox(
        t("loop.pick", L), ids, key=f"loop_pick_{L}", format_func=lambda p: _label(p, unames, names)
    )
    note = st.text_input(t("loop.note", L), key="loop_note", max_chars=500)
    c1, c2 = st.columns(2)
    if c1.button(t("loop.confirm", L), key="loop_confirm", type="primary"):
        _close(store, props[props["problem_id"] == pick], year, note, passed=True, L=L)
    if len(props) > 1 and c2.button(t("loop.confirm_all", L, n=len(props)), key="loop_confirm_all"):
        _close(store, props, year, note, passed=True, L=L)


def _override(store, failing: pd.DataFrame, year: int, unames, names, L: str) -> None:
    if failing.empty:
        return
    with st.expander(t("loop.override.title", L)):
        ids = failing["problem_id"].tolist()
        pick = st.selectbox(
            t("loop.override.pick", L),
            ids,
            key=f"loop_ov_pick_{L}",
            format_func=lambda p: _label(p, unames, names),
        )
        note = st.text_input(t("loop.override.note", L), key="loop_ov_note", max_chars=500)
        if st.button(t("loop.override.button", L), key="loop_override"):
            _close(store, failing[failing["problem_id"] == pick], year, note, passed=False, L=L)


def _closed_table(store, closed: pd.DataFrame, unames, names, uom_of, L: str) -> None:
    if closed.empty:
        st.caption(t("loop.none", L))
        return
    parts = closed["problem_id"].map(parse_problem_id)
    ind = parts.map(lambda p: p["indicator"])
    st.dataframe(
        pd.DataFrame(
            {
                t("col.unit", L): parts.map(lambda p: unames.get(p["unit"], p["unit"])),
                t("col.indicator", L): ind.map(names),
                t("loop.col.problem_year", L): parts.map(lambda p: p["year"]),
                t("loop.col.closed_in", L): closed["closed_in_year"],
                t("loop.col.before", L): [
                    format_value(v, uom_of.get(i, "")) for v, i in zip(closed["value_before"], ind)
                ],
                t("loop.col.after", L): [
                    format_value(v, uom_of.get(i, "")) for v, i in zip(closed["value_after"], ind)
                ],
                t("loop.col.editor", L): closed["editor"],
                t("loop.col.time", L): closed["ts"].map(local_time),
                t("loop.col.override", L): closed["override"].map(lambda v: "✓" if int(v) else ""),
                t("loop.col.note", L): closed["note"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if not auth.can_edit():
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(
        t("loop.reopen.pick", L),
        closed["problem_id"].tolist(),
        key=f"loop_reopen_{L}",
        format_func=lambda p: _label(p, unames, names),
    )
    if c2.button(t("loop.reopen.button", L), key="loop_reopen_btn"):
        try:
            store.reopen_problem(pick, editor=common.editor())
        except ProjectError as err:
            st.error(t("loop.error", L, why=common.md_escape(common.one_language(err, L))))
            return
        st.session_state[FLASH] = t("loop.reopened", L)
        st.rerun()
