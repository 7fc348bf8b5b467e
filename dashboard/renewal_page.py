"""更新地块与项目库 page: filtered parcel map, candidate screening, project library."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.maps import parcel_map
from dashboard import common, state
from geodata.export import geodata_bytes
from geodata.presets import add_user_preset, load_user_presets
from geodata.schema import DECISIONS, PARCEL_TYPES, PROJECT_STATUSES
from geodata.stores import CATEGORIES, ProjectError, open_store
from i18n import t
from layers.parcels import (
    ParcelFilter,
    filter_mask,
    parcel_at,
    summary,
)
from layers.screening import CRITERIA, PRESETS, score, stability
from reports.tables import csv_bytes, xlsx_bytes


def _weights(L: str) -> dict:
    presets = PRESETS | load_user_presets()
    name = st.selectbox(t("ren.preset", L), list(presets), key="ren_preset")
    weights = {}
    cols = st.columns(3)
    for i, key in enumerate(CRITERIA):
        weights[key] = cols[i % 3].slider(
            t(f"crit.{key}", L), 0.0, 5.0, float(presets[name].get(key, 0.0)), 0.5, key=f"w_{name}_{key}"
        )
    with st.popover(t("ren.preset.save", L)):
        new = st.text_input(t("ren.preset.name", L), key="ren_new_preset")
        if st.button(t("ren.preset.save", L), key="ren_save_preset") and new.strip():
            add_user_preset(new.strip(), weights)
            st.rerun()
    return weights


def _filters(ws, scores: pd.Series, L: str) -> ParcelFilter:
    p = ws["parcels"]
    dnames = dict(zip(ws["districts"]["adcode"], ws["districts"]["name_en" if L == "en" else "name_zh"]))
    c = st.columns(6)
    types = c[0].multiselect(
        t("ren.filter.types", L),
        PARCEL_TYPES,
        key="f_types",
        placeholder=t("ren.filter.all", L),
        format_func=lambda v: t(f"ptype.{v}", L),
    )
    districts = c[1].multiselect(
        t("ren.filter.districts", L),
        list(dnames),
        key="f_districts",
        placeholder=t("ren.filter.all", L),
        format_func=lambda a: dnames[a],
    )
    lo, hi = int(p["build_year"].min()), int(p["build_year"].max())
    years = c[2].slider(t("ren.filter.years", L), lo, hi, (lo, hi), key="f_years")
    status = c[3].multiselect(
        t("ren.filter.status", L), PROJECT_STATUSES, key="f_status", placeholder=t("ren.filter.all", L)
    )
    decision = c[4].multiselect(
        t("ren.filter.decision", L), DECISIONS, key="f_decision", placeholder=t("ren.filter.all", L)
    )
    srange = c[5].slider(t("ren.filter.score", L), 0.0, 100.0, (0.0, 100.0), key="f_score")
    return ParcelFilter(tuple(types), tuple(districts), years, tuple(status), tuple(decision), srange)


def _promote_button(parcel: pd.Series, L: str, key: str) -> None:
    store = open_store()
    existing = store.project_for_parcel(str(parcel["parcel_id"]))
    if existing:
        st.caption(t("ren.already", L, pid=existing["project_id"]))
        return
    if st.button(t("ren.promote", L), key=key, type="primary"):
        editor = st.session_state.get("editor_name", "")
        try:
            p = store.promote_parcel(
                parcel.drop(labels="geometry").to_dict() | {"geometry_wkt": parcel.geometry.wkt},
                editor=editor,
            )
        except ProjectError as err:
            st.error(str(err))
        else:
            st.success(t("ren.promoted", L, pid=p["project_id"]))


def _parcels_tab(ws, crit, L: str) -> None:
    scored = score(crit, st.session_state.get("ren_weights") or PRESETS["民生优先"])
    flt = _filters(ws, scored["score"], L)
    parcels = ws["parcels"]
    mask = filter_mask(parcels.set_index("parcel_id"), flt, scores=scored["score"]).to_numpy()
    shown = parcels[mask]
    c = st.columns(4)
    c[0].metric(t("ren.metric.count", L), f"{len(shown):,}")
    c[1].metric(t("ren.metric.area", L), f"{shown['area_m2'].sum() / 1e4:,.1f}")
    c[2].metric(t("ren.metric.budget", L), f"{shown['budget_wan'].sum() / 1e4:,.2f}")
    c[3].metric(t("ren.metric.households", L), f"{shown['households'].sum():,}")
    colour_by = st.radio(
        t("ren.colour_by", L),
        ["type", "status", "decision", "score"],
        horizontal=True,
        key="ren_colour",
        format_func=lambda v: t(f"ren.colour.{v}", L),
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        returned = st_folium(
            parcel_map(ws, shown, scored["score"], colour_by, L),
            key=f"ren_map_{L}",
            height=560,
            use_container_width=True,
            returned_objects=["last_clicked"],
        )
    click = (returned or {}).get("last_clicked")
    hit = parcel_at(click["lng"], click["lat"], shown) if click else None
    if hit:
        st.session_state["ren_parcel"] = hit
    with right:
        ids = shown["parcel_id"].tolist()
        if not ids:
            return
        if st.session_state.get("ren_parcel") not in ids:
            st.session_state["ren_parcel"] = ids[0]
        pid = st.selectbox(
            t("ren.pick_parcel", L),
            ids,
            key="ren_parcel",
            format_func=lambda p: f"{p} · {parcels.set_index('parcel_id').loc[p, 'name']}",
        )
        row = parcels.set_index("parcel_id").loc[pid]
        st.subheader(t("ren.detail", L))
        st.dataframe(
            pd.DataFrame(
                {
                    "": [
                        t(k, L)
                        for k in (
                            "col.type",
                            "col.build_year",
                            "col.area_m2",
                            "col.households",
                            "col.danger_grade",
                            "col.precast_slab",
                            "col.heritage",
                            "col.status",
                            "col.decision",
                            "col.budget_wan",
                            "col.score",
                        )
                    ],
                    " ": [
                        t(f"ptype.{row['parcel_type']}", L),
                        str(row["build_year"]),
                        f"{row['area_m2']:,.0f}",
                        str(row["households"]),
                        row["danger_grade"] or "—",
                        "✓" if row["precast_slab"] else "—",
                        "✓" if row["heritage"] else "—",
                        row["status"],
                        row["decision"],
                        f"{row['budget_wan']:,.1f}",
                        f"{scored.loc[pid, 'score']:.1f}",
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        _promote_button(parcels[parcels["parcel_id"] == pid].iloc[0], L, key="promote_from_parcels")
    st.subheader(t("ren.summary", L))
    s = summary(shown, by=["parcel_type", "status"])
    if not s.empty:
        s["parcel_type"] = s["parcel_type"].map(lambda v: t(f"ptype.{v}", L))
        st.bar_chart(s, x="parcel_type", y="count", color="status", height=260)


def _screen_tab(ws, crit, L: str) -> None:
    st.caption(t("ren.method", L))
    weights = _weights(L)
    st.session_state["ren_weights"] = weights
    if sum(weights.values()) <= 0:
        st.warning(t("ren.weights", L) + " > 0")
        return
    scored = score(crit, weights)
    names = ws["parcels"].set_index("parcel_id")
    table = scored.sort_values("rank").join(names[["name", "parcel_type", "district_adcode"]])
    contrib_cols = [c for c in table.columns if c.startswith("contrib_")]
    shown = pd.DataFrame(
        {
            t("col.rank", L): table["rank"],
            t("col.parcel_id", L): table.index,
            t("col.name", L): table["name"],
            t("col.type", L): table["parcel_type"].map(lambda v: t(f"ptype.{v}", L)),
            t("col.score", L): table["score"].round(1),
        }
    )
    for c in contrib_cols:
        shown[t(f"crit.{c.removeprefix('contrib_')}", L)] = table[c].round(1).to_numpy()
    st.subheader(t("ren.ranking", L))
    st.dataframe(shown.head(100), hide_index=True, width="stretch")
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        t("ren.export.xlsx", L),
        xlsx_bytes(
            {"ranking": shown},
            notes={"method": t("ren.method", L), "weights": json.dumps(weights, ensure_ascii=False)},
        ),
        "renewal_ranking.xlsx",
    )
    e2.download_button(t("ren.export.csv", L), csv_bytes(shown), "renewal_ranking.csv", "text/csv")
    gpkg, _, _ = geodata_bytes(
        ws["parcels"].merge(scored.reset_index(), on="parcel_id"), "gpkg", layer="ranking"
    )
    e3.download_button(t("ren.export.gpkg", L), gpkg, "renewal_ranking.gpkg")
    pick = st.selectbox(
        t("ren.pick_parcel", L),
        table.index[:50].tolist(),
        key="ren_why",
        format_func=lambda p: f"#{int(table.loc[p, 'rank'])} {p} · {table.loc[p, 'name']}",
    )
    st.markdown(f"**{t('ren.why', L, rank=int(table.loc[pick, 'rank']))}**")
    why = pd.DataFrame(
        {
            t("col.field", L): [t(f"crit.{c.removeprefix('contrib_')}", L) for c in contrib_cols],
            t("col.value", L): [crit.loc[pick, c.removeprefix("contrib_")] for c in contrib_cols],
            t("col.contribution", L): [round(table.loc[pick, c], 1) for c in contrib_cols],
        }
    )
    st.bar_chart(why, x=t("col.field", L), y=t("col.contribution", L), horizontal=True, height=260)
    if bool(crit.loc[pick, "heritage"]):
        st.warning(t("ren.heritage_note", L))
    _promote_button(ws["parcels"][ws["parcels"]["parcel_id"] == pick].iloc[0], L, key="promote_from_screen")
    st.markdown(f"**{t('ren.stability', L, n=10)}**")
    stab = stability(crit, weights, top_n=10, draws=100)
    st.dataframe(
        pd.DataFrame(
            {
                t("col.rank", L): stab["rank"],
                t("col.parcel_id", L): stab.index,
                t("col.stay_share", L): (stab["stay_share"] * 100).round(0).astype(int).astype(str) + "%",
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _library_tab(L: str) -> None:
    store = open_store()
    lib = store.list()
    editor = st.session_state.get("editor_name", "").strip()
    if lib.empty:
        st.info(t("lib.empty", L))
    else:
        st.subheader(t("lib.totals", L))
        totals = lib.pivot_table(
            index="category", columns="status", values="budget_wan", aggfunc="count", fill_value=0
        )
        st.dataframe(totals, width="stretch")
        pid = st.selectbox(
            t("lib.pick", L),
            lib["project_id"].tolist(),
            key="lib_pick",
            format_func=lambda p: f"{p} · {lib.set_index('project_id').loc[p, 'name']}",
        )
        _edit_form(store, store.get(pid), editor, L)
        st.markdown(f"**{t('lib.history', L)}**")
        h = store.history(pid)
        st.dataframe(
            h[["ts", "editor", "action", "field", "old_value", "new_value", "version"]].rename(
                columns={
                    "ts": t("col.time", L),
                    "editor": t("col.editor", L),
                    "field": t("col.field", L),
                    "old_value": t("col.old", L),
                    "new_value": t("col.new", L),
                    "version": t("col.version", L),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            t("lib.export", L), xlsx_bytes({"项目台账": store.ledger()}), "project_ledger.xlsx"
        )
    up = st.file_uploader(t("lib.import", L), type=["xlsx"], key="lib_import")
    if up is not None and editor and st.button(t("lib.import", L), key="lib_import_go"):
        result = store.import_ledger(pd.read_excel(up), editor=editor)
        st.success(
            t("lib.import_done", L, c=result["created"], u=result["updated"], p=len(result["problems"]))
        )
        for p in result["problems"]:
            st.caption(p)


def _year(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _edit_form(store, latest: dict, editor: str, L: str) -> None:
    """Edit the project as this session loaded it; saving names that version, so a stale edit is refused."""
    snap_key = f"lib_snapshot_{latest['project_id']}"
    proj = st.session_state.setdefault(snap_key, latest)
    st.markdown(f"**{t('lib.edit', L)}** · {t('col.version', L)} {proj['version']}")
    if proj["version"] != latest["version"]:
        st.warning(t("lib.newer", L, v=latest["version"], who=latest["updated_by"]))
        if st.button(t("lib.reload", L), key="lib_reload"):
            st.session_state[snap_key] = latest
            st.rerun()
    if not editor:
        st.warning(t("lib.editor_missing", L))
    with st.form(f"edit_{proj['project_id']}"):
        c = st.columns(3)
        changes = {
            "name": c[0].text_input(t("col.name", L), proj["name"]),
            "category": c[1].selectbox(
                t("col.category", L), CATEGORIES, index=CATEGORIES.index(proj["category"])
            ),
            "status": c[2].selectbox(
                t("col.status", L), PROJECT_STATUSES, index=PROJECT_STATUSES.index(proj["status"])
            ),
            "decision": c[0].selectbox(
                t("col.decision", L), DECISIONS, index=DECISIONS.index(proj["decision"])
            ),
            "budget_wan": c[1].number_input(
                t("col.budget_wan", L), min_value=0.0, value=float(proj["budget_wan"])
            ),
            "owner_unit": c[2].text_input(t("col.owner_unit", L), proj["owner_unit"]),
            "start_year": c[0].number_input(
                t("col.start_year", L), 2000, 2100, _year(proj["start_year"]), step=1
            ),
            "end_year": c[1].number_input(t("col.end_year", L), 2000, 2100, _year(proj["end_year"]), step=1),
            "notes": c[2].text_area(t("col.notes", L), proj["notes"], height=68),
        }
        saved = st.form_submit_button(t("lib.save", L), type="primary", disabled=not editor)
    if saved:
        try:
            new = store.update(proj["project_id"], changes, expected_version=proj["version"], editor=editor)
        except ProjectError as err:  # ConflictError included: shown, nothing overwritten
            st.error(str(err))
        else:
            st.session_state[snap_key] = new
            st.success(t("lib.saved", L, v=new["version"]))
            st.rerun()
    if st.button(t("lib.undo", L), disabled=not editor, key="lib_undo"):
        st.info(t("lib.undone", L) if store.undo_last(editor=editor) else t("lib.nothing_to_undo", L))
        st.session_state.pop(snap_key, None)
        st.rerun()


def render_renewal() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("ren.title", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    _, ws = loaded
    common.demo_badge(ws)
    crit = state.criteria(str(ws.path))
    tab1, tab2, tab3 = st.tabs([t("ren.tab.parcels", L), t("ren.tab.screen", L), t("ren.tab.library", L)])
    with tab2:
        _screen_tab(ws, crit, L)
    with tab1:
        _parcels_tab(ws, crit, L)
    with tab3:
        _library_tab(L)
