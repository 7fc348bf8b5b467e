"""城市体检台账 page: indicators by level, grades on a map, problem ledger linked to projects, review."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.maps import grade_map
from dashboard import auth, common, hc_equity, hc_loop, hc_records, mapcache, state, workspace_panel
from geodata.indicators import load_indicators
from geodata.stores import ProjectError
from i18n import format_value, t
from layers.healthcheck import (
    compare_years,
    completed_between,
    composite,
    ledger,
    problems,
    projects_without_problem,
    unit_names,
)
from reports.tables import xlsx_bytes


def _eval_tab(ws, ev, ind, level: str, L: str) -> None:
    names = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}
    indicator = common.kept(
        st.selectbox,
        t("hc.indicator", L),
        list(names),
        format_func=names.get,
        key="hc_indicator",
        by_language=True,
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        # rendered once per evaluation, level, indicator and language (not on every rerun of the page)
        mapcache.show(
            mapcache.cached(
                lambda: grade_map(ws, ev, level, indicator, L), "grade_map", str(ws.path), id(ws), ev, level,
                indicator, L,
            ),
            key=f"hc_map_{L}_{level}",
            height=520,
            returned_objects=[],
        )  # fmt: skip
    unames = unit_names(ws.layers, level, L)
    with right:
        rows = ev[ev["indicator"] == indicator].sort_values("attainment")
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.unit", L): rows["unit"].map(unames),
                    t("col.value", L): [
                        format_value(v, u) for v, u in zip(rows["value"], rows["unit_of_measure"])
                    ],
                    t("col.target", L): [
                        format_value(v, u) for v, u in zip(rows["target"], rows["unit_of_measure"])
                    ],
                    t("col.grade", L): rows["grade"].map(lambda g: t(f"hc.grade.{g}", L)),
                    t("col.affected", L): [f"{v:,.0f}" for v in rows["affected"]],
                }
            ),
            hide_index=True,
            width="stretch",
            height=520,
        )
    st.markdown(f"**{t('hc.score', L)}**")
    comp = composite(ev).reset_index()
    st.dataframe(
        pd.DataFrame(
            {
                t("col.unit", L): comp["unit"].map(unames),
                t("col.score", L): comp["score"].round(1),
                t("hc.metric.problems", L): comp["failing"],
                t("col.population", L): [f"{v:,.0f}" for v in comp["population"]],
            }
        ).head(30),
        hide_index=True,
        width="stretch",
    )


def _ledger_tab(ws, ev, ind, level: str, L: str) -> None:
    store = state.store()
    if st.session_state.get("hc_flash"):
        st.success(st.session_state.pop("hc_flash"))
    led = ledger(problems(ev), store.problem_links())
    c = st.columns(3)
    c[0].metric(t("hc.metric.problems", L), f"{len(led):,}")
    c[1].metric(t("hc.metric.linked", L), f"{int(led['linked'].sum()):,}")
    c[2].metric(t("hc.metric.unlinked", L), f"{int((~led['linked']).sum()):,}")
    from_records = hc_records.render_record_warnings(ws, int(ev["year"].iloc[0]), L) if len(ev) else []
    names = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}
    unames = unit_names(ws.layers, level, L)
    only = common.kept(st.toggle, t("hc.only_unlinked", L), key="hc_only_unlinked")
    shown = led[~led["linked"]] if only else led
    st.dataframe(
        pd.DataFrame(
            {
                t("col.unit", L): shown["unit"].map(unames),
                t("col.indicator", L): shown["indicator"].map(names),
                t("col.value", L): [
                    format_value(v, u) for v, u in zip(shown["value"], shown["unit_of_measure"])
                ],
                t("col.target", L): [
                    format_value(v, u) for v, u in zip(shown["target"], shown["unit_of_measure"])
                ],
                t("col.grade", L): shown["grade"].map(lambda g: t(f"hc.grade.{g}", L)),
                t("col.affected", L): [f"{v:,.0f}" for v in shown["affected"]],
                t("col.projects", L): shown["projects"],
            }
        ),
        hide_index=True,
        width="stretch",
        height=320,
    )
    if shown.empty:
        return
    pid = common.kept(
        st.selectbox,
        t("hc.pick_problem", L),
        _pickable(shown),
        key="hc_problem",
        by_language=True,
        format_func=lambda p: f"{unames.get(p.split('|')[2], p.split('|')[2])} · {names[p.split('|')[3]]}",
    )
    lib = store.list()
    current = set(store.problem_links().query("problem_id == @pid")["project_id"]) if len(lib) else set()
    hc_loop.problem_panel(
        ws,
        ev,
        shown.set_index("problem_id").loc[pid].to_dict() | {"problem_id": pid},
        level,
        lib,
        sorted(current),
        L,
    )
    if not auth.can_edit():
        _orphans(lib, store, led, L, from_records)
        return
    editor = common.editor()
    pnames = dict(zip(lib["project_id"], lib["name"]))  # built once, not an index per option
    chosen = st.multiselect(
        t("hc.link", L),
        lib["project_id"].tolist(),
        default=sorted(current),
        key=f"hc_links_{pid}",
        placeholder=t("select.placeholder", L),
        format_func=lambda p: f"{p} · {pnames[p]}",
    )
    c1, c2 = st.columns(2)
    try:
        if c1.button(t("hc.save_links", L), key="hc_save_links"):
            store.set_problem_links(pid, chosen, editor=editor)
            st.session_state["hc_flash"] = t("hc.links_saved", L)
            st.rerun()
        if c2.button(t("hc.create_project", L), key="hc_create"):
            unit, ind_key = pid.split("|")[2], pid.split("|")[3]
            proj = store.create(
                {
                    "name": f"{unames.get(unit, unit)} · {names[ind_key]} 补短板",
                    "category": "完整社区配套",
                    "status": "储备",
                    "decision": "改",
                    "notes": f"城市体检问题 {pid}",
                },
                editor=editor,
                problem_ids=[pid],
            )
            st.session_state["hc_flash"] = t("hc.created", L, pid=proj["project_id"])
            st.rerun()
    except ProjectError as err:
        st.error(t("hc.store_error", L, why=common.md_escape(err)))
    _orphans(lib, store, led, L, from_records)


def _pickable(shown: pd.DataFrame) -> list[str]:
    """The 300 worst problems, then every linked problem beyond them (so each link can be looked at)."""
    head = shown["problem_id"].head(300).tolist()
    rest = shown.iloc[300:]
    return head + rest.loc[rest["linked"], "problem_id"].tolist()


def _orphans(lib, store, led, L: str, more_problems=()) -> None:
    """Projects in the library that address no 城市体检 problem (of the units or of the records)."""
    st.markdown(f"**{t('hc.orphans', L)}**")
    orphans = projects_without_problem(lib, store.problem_links(), [*led["problem_id"], *more_problems])
    st.dataframe(
        pd.DataFrame(
            {
                t("col.project_id", L): orphans["project_id"],
                t("col.name", L): orphans["name"],
                t("col.category", L): orphans["category"].map(lambda c: t(f"category.{c}", L)),
                t("col.status", L): orphans["status"].map(lambda v: t(f"status.{v}", L)),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _review_tab(ws, ev1, ind, year: int, years: list[int], level: str, L: str) -> None:
    earlier = [y for y in years if y < year]
    if not earlier:
        st.info(t("hc.compare_with", L) + ": —")
        return
    y0 = common.kept(st.selectbox, t("hc.compare_with", L), earlier, index=len(earlier) - 1, key="hc_y0")
    cmp = compare_years(state.evaluation(str(ws.path), y0, level), ev1)
    names = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}
    counts = cmp.pivot_table(
        index="indicator", columns="change", values="unit", aggfunc="count", fill_value=0
    )
    counts = counts.reindex(columns=["improved", "unchanged", "worse"], fill_value=0)
    counts.index = counts.index.map(names)
    counts.index.name = t("col.indicator", L)
    counts.columns = [t(f"hc.{c}", L) for c in counts.columns]
    st.dataframe(counts, width="stretch")
    st.markdown(f"**{t('hc.completed', L)}**")
    store = state.store()
    done = completed_between(ws["parcels"], store.list(), store.problem_links(), y0, year)
    st.dataframe(
        pd.DataFrame(
            {
                t("col.source", L): done["source"].map(lambda v: t(f"hc.source.{v}", L)),
                t("col.id", L): done["id"],
                t("col.name", L): done["name"],
                t("col.completed_year", L): done["year"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    unames = unit_names(ws.layers, level, L)
    better = cmp[cmp["change"] != "unchanged"]
    st.dataframe(
        pd.DataFrame(
            {
                t("col.unit", L): better["unit"].map(unames),
                t("col.indicator", L): better["indicator"].map(names),
                f"{y0}": better["value_y0"].round(3),
                f"{year}": better["value_y1"].round(3),
                t("col.change", L): better["change"].map(lambda c: t(f"hc.{c}", L)),
            }
        ),
        hide_index=True,
        width="stretch",
    )
    hc_loop.review_panel(ws, ind, y0, year, level, L)


def _definition(d: dict, L: str) -> str:
    """How an indicator is computed, in words (never the code identifiers of indicators.toml)."""
    cat = common.catalogue()
    if d["kind"] in ("coverage", "places_per_100_elderly") and d.get("type"):
        types = [x for x in str(d["type"]).split(",") if x]
        what = "、".join(cat.types[x].name(L) if x in cat.types else x for x in types)
        return t(f"hc.kind.{d['kind']}", L, what=what)
    return t(f"hc.kind.{d['kind']}", L, what="")


def _defs_tab(ind, L: str) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                t("col.indicator", L): [d["name_en" if L == "en" else "name_zh"] for d in ind],
                t("col.dimension", L): [t(f"dimension.{d.get('dimension', '')}", L) for d in ind],
                t("col.definition", L): [_definition(d, L) for d in ind],
                t("col.target", L): [
                    f"{'≥' if d['direction'] == 'higher' else '≤'} {format_value(d['target'], d.get('unit', ''))}"
                    for d in ind
                ],
                t("col.source", L): [d["source_en" if L == "en" else "source_zh"] for d in ind],
                t("col.assumption", L): ["✓" if d.get("assumption") else "" for d in ind],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def render_healthcheck() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("hc.title", L))
    st.caption(t("hc.caption", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    _, ws = loaded
    common.demo_badge(ws)
    if workspace_panel.needs_data(ws, "healthcheck", L):
        return
    ind = load_indicators(catalogue=common.catalogue())
    years = sorted(int(y) for y in ws.metadata.get("survey_years", "2026").split(",") if y.strip())
    c1, c2 = st.columns(2)
    year = common.kept(c1.selectbox, t("hc.year", L), years, index=len(years) - 1, key="hc_year")
    level = common.kept(
        c2.radio,
        t("hc.level", L),
        ["community", "subdistrict", "district"],
        horizontal=True,
        key="hc_level",
        by_language=True,
        format_func=lambda v: t(f"level.{v}", L),
    )
    ev = state.evaluation(str(ws.path), year, level)
    # only the open tab runs (a click on another reruns the page with it open)
    tab, box = common.open_tab(
        {
            "eval": t("hc.tab.eval", L),
            "ledger": t("hc.tab.ledger", L),
            "review": t("hc.tab.review", L),
            "defs": t("hc.tab.defs", L),
            "records": t("rec.tab", L),
            "catalogue": t("rec.tab.catalogue", L),
            "equity": t("eq.tab", L),
        },
        key="hc_tab",
    )
    with box:
        if tab == "ledger":
            _ledger_tab(ws, ev, ind, level, L)
        elif tab == "review":
            _review_tab(ws, ev, ind, year, years, level, L)
        elif tab == "defs":
            _defs_tab(ind, L)
        elif tab == "records":
            hc_records.render_records(ws, year, L)
        elif tab == "catalogue":
            hc_records.render_catalogue(L)
        elif tab == "equity":
            hc_equity.render_equity_tab(ws, year, L)
        else:
            _eval_tab(ws, ev, ind, level, L)
    names = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}
    common.save_view_button(
        "health",
        {"indicator": common.kept_value("hc_indicator", ind[0]["key"]), "level": level, "year": year},
        f"{t('hc.title', L)} · {names.get(common.kept_value('hc_indicator'), '')} · {year}",
        key="health",
    )
    st.download_button(
        t("hc.export", L),
        lambda: _export(ws, ev, ind, level, L),
        f"health_check_{year}_{level}.xlsx",
        on_click="ignore",
    )
    hc_equity.render_report_section(ws, year, years, L)


def _export(ws, ev, ind, level: str, L: str) -> bytes:
    """The evaluation and the problem ledger as a workbook with translated headers and values."""
    names = {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in ind}
    unames = unit_names(ws.layers, level, L)
    led = ledger(problems(ev), state.store().problem_links())

    def table(df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame(
            {
                t("col.unit", L): df["unit"].map(unames),
                t("col.indicator", L): df["indicator"].map(names),
                t("col.value", L): [format_value(v, u) for v, u in zip(df["value"], df["unit_of_measure"])],
                t("col.target", L): [format_value(v, u) for v, u in zip(df["target"], df["unit_of_measure"])],
                t("col.grade", L): df["grade"].map(lambda g: t(f"hc.grade.{g}", L)),
                t("col.affected", L): df["affected"].round(0),
            }
        )
        if "projects" in df:
            out[t("col.projects", L)] = df["projects"]
        return out

    return xlsx_bytes({t("hc.tab.eval", L): table(ev), t("hc.tab.ledger", L): table(led)})
