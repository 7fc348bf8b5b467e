"""方案比选 page: compare two saved scenarios (or two survey years) per district, on a difference map and side
by side; editors create, edit and delete scenarios. The analysis is ``layers.scenarios`` (the what-if engine)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography.scenarios import difference_map, outcome_map
from dashboard import auth, common, state
from geodata.stores import ProjectError
from i18n import t
from layers.library import local_time
from layers.pipelines import metric
from layers.scenarios import compare, run_outcome, selection_types, status_frame, year_model
from reports.scenario_tables import difference_xlsx, district_table, group_label

BASE = "__base__"


@st.cache_resource(show_spinner=False, max_entries=8)
def _base_model(ws_path: str, year: int | None, types: tuple[str, ...]):
    """Straight-line model of the facilities open in ``year`` (None = all) for the given types (cached)."""
    ws = common.workspace(ws_path)
    return year_model(
        metric(ws, "population_cells"),
        metric(ws, "facilities"),
        common.catalogue(),
        year=year,
        types=list(types),
    )


def _survey_years(ws) -> list[int]:
    return sorted(int(y) for y in ws.metadata.get("survey_years", "").split(",") if y.strip().isdigit())


def _sides(scen: pd.DataFrame, ws, L: str) -> list[dict] | None:
    """The two sides picked by the planner: ``{"name", "year", "spec"}`` each (None when A equals B)."""
    c = st.columns([1.2, 2, 2])
    years = _survey_years(ws)
    modes = ["scenarios", "years"] if len(years) >= 2 else ["scenarios"]
    mode = common.kept(
        c[0].radio, t("scen.compare_mode", L), modes, key="scen_mode", by_language=True,
        index=modes.index("years") if scen.empty and "years" in modes else 0,  # nothing saved yet: the years
        format_func=lambda m: t(f"scen.mode.{m}", L),
    )  # fmt: skip
    if mode == "years":
        ya = common.kept(c[1].selectbox, t("scen.year_a", L), years, index=0, key="scen_year_a")
        yb = common.kept(c[2].selectbox, t("scen.year_b", L), years, index=len(years) - 1, key="scen_year_b")
        sides = [{"name": t("scen.year_label", L, year=y), "year": y, "spec": None} for y in (ya, yb)]
        return None if ya == yb else sides
    options = [BASE, *scen["name"].tolist()]
    label = lambda v: t("scen.base", L) if v == BASE else v  # noqa: E731 - streamlit escapes option labels
    a = common.kept(
        c[1].selectbox, t("scen.a", L), options, index=0, key="scen_a", format_func=label, by_language=True
    )
    b = common.kept(
        c[2].selectbox,
        t("scen.b", L),
        options,
        index=min(1, len(options) - 1),
        key="scen_b",
        format_func=label,
        by_language=True,
    )
    if a == b:
        return None
    out = []
    for ref in (a, b):
        if ref == BASE:
            out.append({"name": t("scen.base", L), "year": None, "spec": None})
        else:
            r = scen.set_index("name").loc[ref]
            spec = {k: r[k] for k in ("added", "removed", "completed")}
            out.append(
                {"name": ref, "year": r["base_year"] if pd.notna(r["base_year"]) else None, "spec": spec}
            )
    return out


def _selection(cat, L: str) -> tuple[str, str]:
    c = st.columns([1.2, 4])
    what = common.kept(
        c[0].radio, t("scen.what", L), ["type", "circle"], key="scen_what", by_language=True,
        format_func=lambda w: t(f"scen.what.{w}", L), horizontal=True,
    )  # fmt: skip
    if what == "circle":
        circle = common.kept(
            c[1].selectbox, t("scen.circle", L), ["5min", "10min", "15min"], index=2, key="scen_circle",
            by_language=True, format_func=lambda k: t(f"circle.{k}", L),
        )  # fmt: skip
        return f"circle:{circle}", t(f"circle.{circle}", L)
    types = list(cat.types)
    ftype = common.kept(
        c[1].selectbox, t("scen.type", L), types, index=types.index("kindergarten"), key="scen_type",
        by_language=True, format_func=lambda k: cat.types[k].name(L),
    )  # fmt: skip
    return ftype, cat.types[ftype].name(L)


def _run(ws, sides: list[dict], selection: str, projects: pd.DataFrame | None):
    cat = common.catalogue()
    types = tuple(selection_types(cat, selection))
    cells, fac = metric(ws, "population_cells"), metric(ws, "facilities")
    runs = []
    for s in sides:
        base = _base_model(str(ws.path), s["year"], types)
        runs.append(
            run_outcome(
                cells, fac, cat, selection, year=s["year"], spec=s["spec"], projects=projects, base=base
            )
        )
    return runs, compare(runs[0].model, runs[1].model, selection, residents=ws["population_cells"])


def _headline(cmp, sides: list[dict], L: str) -> None:
    tot = cmp.totals
    a, b = round(tot["a_served"]), round(tot["b_served"])
    c = st.columns(4)
    c[0].metric(t("scen.metric.a", L), f"{a:,}")
    c[1].metric(t("scen.metric.b", L), f"{b:,}", delta=f"{b - a:+,}" if b != a else None)
    c[2].metric(t("scen.metric.gained", L), f"{round(tot['newly_served']):,}")
    c[3].metric(t("scen.metric.lost", L), f"{round(tot['newly_unserved']):,}")
    targeted = cmp.target_column != "population"
    n = round(tot["target_delta"] if targeted else tot["delta"])
    key = "scen.headline.more" if n > 0 else "scen.headline.fewer" if n < 0 else "scen.headline.same"
    group = group_label(cmp.target_column, L)
    text = t(key, L, a=sides[0]["name"], b=sides[1]["name"], n=f"{abs(n):,}", group=group)
    st.markdown(f"**{common.md_escape(text)}**")
    if targeted:
        st.caption(common.md_escape(t("scen.group.used", L, group=group, column=cmp.target_column)))
    elif not cmp.selection.startswith("circle:"):
        st.caption(t("scen.group.fallback", L))


def _skipped(runs, sides: list[dict], L: str) -> None:
    items = [
        f"{s['name']}: " + t(f"scen.skip.{kind}", L, ref=ref)
        for s, run in zip(sides, runs)
        for kind, ref in run.skipped.itertuples(index=False)
    ]
    if items:
        st.caption(common.md_escape(t("scen.skipped", L, items="; ".join(items))))


def _markers(run, cat, L: str) -> pd.DataFrame:
    added = run.added.copy()
    added["type_label"] = added["type"].map(lambda k: cat.types[k].name(L))
    return added


def _removed_markers(ws, runs, cat, L: str) -> pd.DataFrame:
    fac = ws["facilities"]
    gone = set(runs[1].removed) - set(runs[0].removed)
    sub = fac[fac["facility_id"].astype(str).isin(gone)]
    return pd.DataFrame(
        {
            "lon": sub.geometry.x,
            "lat": sub.geometry.y,
            "ref": sub["name"].astype(str),
            "type_label": sub["type"].map(lambda k: cat.types[k].name(L) if k in cat.types else k),
        }
    )


def _maps(ws, runs, cmp, sides, what: str, L: str, opts: dict) -> None:
    cat = common.catalogue()
    tab_diff, tab_side = st.tabs([t("scen.map.diff", L), t("scen.map.side", L)])
    base = {"basemap": opts["basemap"], "tianditu_key": opts["tianditu_key"]}
    with tab_diff:
        fmap = difference_map(
            ws, status_frame(runs[1].model, cmp), a_name=sides[0]["name"], b_name=sides[1]["name"], what=what,
            lang=L, added=_markers(runs[1], cat, L), removed=_removed_markers(ws, runs, cat, L), **base,
        )  # fmt: skip
        st_folium(
            fmap,
            key=f"scen_diff_{L}_{opts['basemap']}",
            center=tuple(fmap.location),
            zoom=fmap.options["zoom"],
            height=620,
            use_container_width=True,
            returned_objects=[],
        )
    with tab_side:
        cols = st.columns(2)
        for i, (col, run, side) in enumerate(zip(cols, runs, sides)):
            served = status_frame(run.model, compare(run.model, run.model, cmp.selection)).assign(
                status="served"
            )
            m = outcome_map(
                ws, served, name=side["name"], what=what, lang=L, added=_markers(run, cat, L), **base
            )
            with col:
                st_folium(
                    m,
                    key=f"scen_side{i}_{L}_{opts['basemap']}",
                    center=tuple(m.location),
                    zoom=m.options["zoom"],
                    height=520,
                    use_container_width=True,
                    returned_objects=[],
                )


def _download(ws, cmp, sides, what: str, L: str) -> None:
    sig = json.dumps([cmp.selection, [s["name"] for s in sides], L], ensure_ascii=False)
    if st.button(t("scen.build", L), key="scen_build"):
        names = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
        st.session_state["scen_xlsx"] = (
            sig,
            difference_xlsx(
                cmp, a_name=sides[0]["name"], b_name=sides[1]["name"], what=what, district_names=names,
                community_names=ws["communities"].set_index("community_id")["name"],
                cells=ws["population_cells"], L=L,
            ),
        )  # fmt: skip
    built = st.session_state.get("scen_xlsx")
    if built and built[0] == sig:
        st.download_button(
            t("scen.download", L), built[1], file_name="scenario_difference.xlsx", key="scen_dl",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )  # fmt: skip


def render_scenarios() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("scen.title", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    _, ws = loaded
    common.demo_badge(ws)
    st.caption(t("scen.method", L))
    store = state.store()
    try:
        scen, projects = store.scenarios(), store.list()
    except ProjectError as err:
        st.error(common.md_escape(common.one_language(err, L)))
        return
    if scen.empty:
        st.info(t("scen.none", L))
    sides = _sides(scen, ws, L)
    selection, what = _selection(common.catalogue(), L)
    if sides is None:
        st.warning(t("scen.same", L))
    else:
        try:
            runs, cmp = _run(ws, sides, selection, projects)
        except ValueError as err:
            st.error(common.md_escape(common.one_language(err, L)))
        else:
            _headline(cmp, sides, L)
            _skipped(runs, sides, L)
            st.subheader(t("scen.districts", L))
            names = ws["districts"].set_index("adcode")["name_en" if L == "en" else "name_zh"]
            table = district_table(cmp, names, L)
            shown = table.set_index(table.columns[0]).map(lambda v: f"{v:,}")
            shown.index = shown.index.map(common.md_escape)  # st.table renders cells as markdown
            st.table(shown)
            _download(ws, cmp, sides, what, L)
            _maps(ws, runs, cmp, sides, what, L, opts)
    _manage(store, scen, projects, ws, L)


# ------------------------------------------------------------------------------------------ editing


def _added_frame(record: dict | None, cat, L: str) -> pd.DataFrame:
    rows = (record or {}).get("added", [])
    df = pd.DataFrame(rows, columns=["name", "type", "lon", "lat", "capacity"])
    return df.astype({"name": str, "type": str, "lon": float, "lat": float, "capacity": float})


def _manage(store, scen: pd.DataFrame, projects: pd.DataFrame, ws, L: str) -> None:
    st.subheader(t("scen.list", L))
    flash = st.session_state.pop("scen_flash", None)
    if flash:
        st.success(common.md_escape(flash))
    if len(scen):
        shown = pd.DataFrame(
            {
                t("scen.col.name", L): scen["name"],
                t("scen.col.base_year", L): scen["base_year"].map(
                    lambda y: "—" if pd.isna(y) else str(int(y))
                ),
                t("scen.col.changes", L): [
                    t("scen.changes", L, a=len(r.added), r=len(r.removed), c=len(r.completed))
                    for r in scen.itertuples()
                ],
                t("scen.col.updated_by", L): scen["updated_by"],
                t("scen.col.updated_at", L): scen["updated_at"].map(local_time),
            }
        )
        st.table(shown.map(common.md_escape).set_index(shown.columns[0]))  # cells are markdown
    if not auth.can_edit():
        st.caption(t("scen.viewer", L))
        return
    with st.expander(t("scen.manage", L)):
        _editor(store, scen, projects, ws, L)


def _editor(store, scen: pd.DataFrame, projects: pd.DataFrame, ws, L: str) -> None:
    cat = common.catalogue()
    NEW = "__new__"
    pick = st.selectbox(
        t("scen.edit.pick", L), [NEW, *scen["name"].tolist()], key=f"scen_edit_pick@{L}",
        format_func=lambda v: t("scen.edit.new", L) if v == NEW else v,
    )  # fmt: skip
    record = None if pick == NEW else store.scenario(pick)
    k = f"scen_edit_{pick}@{L}"
    if record is not None:
        st.session_state.setdefault(f"{k}_version", int(record["version"]))
    years = _survey_years(ws)
    name = st.text_input(
        t("scen.edit.name", L),
        value=record["name"] if record else "",
        key=f"{k}_name",
        disabled=record is not None,
    )
    desc = st.text_area(
        t("scen.edit.description", L), value=record["description"] if record else "", key=f"{k}_desc"
    )
    year_opts = [None, *years]
    cur = record["base_year"] if record else None
    year = st.selectbox(
        t("scen.edit.base_year", L), year_opts, index=year_opts.index(cur) if cur in year_opts else 0, key=f"{k}_year",
        format_func=lambda y: t("scen.edit.all_years", L) if y is None else str(y),
    )  # fmt: skip
    sites = state.scenario_sites()
    base_added = _added_frame(record, cat, L)
    if sites and st.button(t("scen.edit.from_whatif", L, n=len(sites)), key=f"{k}_whatif"):
        extra = pd.DataFrame(
            [{"name": f"{cat.types[tt].name('zh')} {i + 1}", "type": tt, "lon": lon, "lat": lat, "capacity": None}
             for i, (lon, lat, tt) in enumerate(sites)]
        )  # fmt: skip
        st.session_state[f"{k}_extra"] = extra
    if f"{k}_extra" in st.session_state:
        base_added = pd.concat([base_added, st.session_state[f"{k}_extra"]], ignore_index=True)
    st.caption(t("scen.edit.added", L))
    added = st.data_editor(
        base_added, num_rows="dynamic", key=f"{k}_added", use_container_width=True,
        column_config={
            "name": st.column_config.TextColumn(t("scen.col.name", L)),
            "type": st.column_config.SelectboxColumn(t("scen.col.type", L), options=list(cat.types), required=True),
            "lon": st.column_config.NumberColumn(t("scen.col.lon", L), format="%.6f", min_value=-180, max_value=180),
            "lat": st.column_config.NumberColumn(t("scen.col.lat", L), format="%.6f", min_value=-90, max_value=90),
            "capacity": st.column_config.NumberColumn(t("scen.col.capacity", L), min_value=0),
        },
    )  # fmt: skip
    fac_ids = ws["facilities"]["facility_id"].astype(str).tolist()
    removed = st.multiselect(
        t("scen.edit.removed", L), fac_ids, default=[r for r in (record or {}).get("removed", []) if r in fac_ids],
        key=f"{k}_removed", placeholder=t("scen.edit.choose", L),
    )  # fmt: skip
    pnames = projects.set_index("project_id")["name"].to_dict() if len(projects) else {}
    done = st.multiselect(
        t("scen.edit.completed", L), list(pnames),
        default=[c["project_id"] for c in (record or {}).get("completed", []) if c["project_id"] in pnames],
        format_func=lambda p: f"{p} {pnames.get(p, '')}", key=f"{k}_done", placeholder=t("scen.edit.choose", L),
    )  # fmt: skip
    c1, c2, c3 = st.columns([1, 1, 2])
    if c1.button(t("scen.edit.save", L), type="primary", key=f"{k}_save"):
        rec = {
            "name": name, "description": desc, "base_year": year,
            "added": [
                {kk: (None if pd.isna(v) else v) for kk, v in row.items()}
                for row in added.dropna(subset=["lon", "lat"], how="all").to_dict("records")
            ],
            "removed": removed,
            "completed": [{"project_id": p, "type": None} for p in done],
        }  # fmt: skip
        # the version the planner started editing from: someone else's save in between is a conflict
        _save(store, rec, None if record is None else st.session_state[f"{k}_version"], L)
    if record is not None:
        sure = c3.checkbox(t("scen.edit.confirm", L), key=f"{k}_sure")
        if c2.button(t("scen.edit.delete", L), disabled=not sure, key=f"{k}_delete"):
            try:
                store.delete_scenario(record["name"], editor=common.editor())
            except ProjectError as err:
                st.error(common.md_escape(common.one_language(err, L)))
            else:
                st.session_state.pop(f"scen_edit_pick@{L}", None)
                st.session_state["scen_flash"] = t("scen.edit.deleted", L, name=record["name"])
                st.rerun()


def _save(store, rec: dict, version: int | None, L: str) -> None:
    unknown = sorted({a["type"] for a in rec["added"]} - set(common.catalogue().types))
    if unknown:
        st.error(common.md_escape(t("scen.unknown_type", L, types=", ".join(map(str, unknown)))))
        return
    try:
        saved = store.save_scenario(
            rec, editor=common.editor(), expected_version=None if version is None else int(version)
        )
    except ProjectError as err:
        for line in str(err).split("; "):
            st.error(common.md_escape(common.one_language(line, L)))
        return
    st.session_state["scen_flash"] = t("scen.edit.saved", L, name=saved["name"])
    for key in [
        k
        for k in st.session_state
        if isinstance(k, str) and k.endswith("_version") and k.startswith("scen_edit_")
    ]:
        del st.session_state[key]  # the next edit starts from the saved version
    st.rerun()
