"""指标填报 (indicator records) and 国家指标目录 (national catalogue) tabs of the 城市体检 page.

Not a page of its own: :mod:`dashboard.healthcheck_page` calls :func:`render_records` and
:func:`render_catalogue` inside its tabs. The engine pre-fills what it computes (``layers.records``); the
planner fills or overrides the rest, submits or returns a record; the store audits every change.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import auth, common, state
from geodata.indicators import load_indicators
from geodata.national import LEVELS, counts, is_computed, load_national
from geodata.stores import ProjectError
from i18n import format_value, t, t_or
from layers.library import local_time
from layers.records import assess, record_problems, scope_records
from reports.records_xlsx import read_records_xlsx, records_xlsx

GRADE_COLOURS = {"很好": "#c8e6c9", "较好": "#e8f5e9", "一般": "#fff3c4", "较差": "#f8c9c9"}
WARNING_COLOURS = {"red": "#e57373", "yellow": "#ffd54f"}


@st.cache_data(show_spinner=False)
def catalogue() -> tuple[list[dict], dict]:
    """The national catalogue (validated against the product's indicator keys)."""
    return load_national(indicator_keys=[d["key"] for d in load_indicators()])


def unit_label(unit: str, L: str) -> str:
    """A unit of measure in the planner's language (栋 → buildings)."""
    return t_or(f"rec.unit.{unit}", unit, L)


def dept_label(dept: str, L: str) -> str:
    """A responsible department in the planner's language when it is one of the catalogue's defaults."""
    return t_or(f"rec.dept.{dept}", dept, L)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _scopes(ws, L: str) -> dict:
    d = ws.layers["districts"]
    names = dict(zip(d["adcode"].astype(str), d["name_en" if L == "en" else "name_zh"]))
    return {"city": t("rec.scope.city", L)} | names


def current_records(ws, year: int, scope: str) -> pd.DataFrame:
    """Pre-filled records of one scope and year with the stored ones laid over (see layers.records)."""
    return _scope_records(str(ws.path), year, scope, state.store().records(year))


def all_current_records(ws, year: int, scopes) -> pd.DataFrame:
    """:func:`current_records` of every scope in ``scopes``, one after another: the stored records read
    once, the whole computed once per workspace, year and stored records."""
    return _all_scope_records(str(ws.path), year, tuple(scopes), state.store().records(year))


@st.cache_data(show_spinner=False, max_entries=16)
def _all_scope_records(ws_path: str, year: int, scopes: tuple, stored: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([_scope_records(ws_path, year, s, stored) for s in scopes], ignore_index=True)


@st.cache_data(show_spinner=False, max_entries=64)
def _scope_records(ws_path: str, year: int, scope: str, stored: pd.DataFrame) -> pd.DataFrame:
    """:func:`layers.records.scope_records`, once per workspace, year, scope and stored records (keyed on
    their contents: a saved record computes it again)."""
    rows, _ = catalogue()
    level = "city" if scope == "city" else "district"
    ev = state.evaluation(ws_path, year, level)
    return scope_records(rows, ev, stored, year=year, scope=scope)


def records_table(recs: pd.DataFrame, rows: list[dict], level: str, L: str) -> pd.DataFrame:
    """The table of one level as shown (translated headers and values; numbers in the indicator's unit)."""
    cat = [r for r in rows if r["level"] == level]
    by = recs.set_index("indicator")
    out = []
    for i, c in enumerate(cat, start=1):
        r = by.loc[c["key"]]
        ev = r["evidence"] if isinstance(r["evidence"], list) else []
        if r["manual"]:
            source = (
                t("rec.manual_of", L, computed=format_value(r["computed_value"], c["unit"]))
                if not _missing(r["computed_value"])
                else t("rec.manual", L)
            ) + (f" · {r['data_source']}" if r["data_source"] else "")
        else:
            source = r["data_source"] or (t("rec.computed", L) if not _missing(r["computed_value"]) else "")
        out.append(
            {
                t("rec.col.no", L): i,
                t("rec.col.dimension", L): t(f"dimension.{c['dimension']}", L),
                t("rec.col.indicator", L): c["name_en" if L == "en" else "name_zh"],
                t("rec.col.unit", L): unit_label(c["unit"], L),
                t("rec.col.standard", L): t("rec.grade.无标准", L)
                if _missing(r["standard"])
                else format_value(r["standard"], c["unit"]),
                t("rec.col.value", L): format_value(None if _missing(r["value"]) else r["value"], c["unit"]),
                t("rec.col.grade", L): t(f"rec.grade.{r['grade']}", L)
                if r["grade"]
                else t("rec.grade.pending", L),
                t("rec.col.warning", L): t(f"rec.warning.{r['warning']}", L),
                t("rec.col.data_source", L): source,
                t("rec.col.department", L): dept_label(r["department"], L),
                t("rec.col.evidence", L): f"{sum(bool(e.get('done')) for e in ev)}/{len(ev)}",
                t("rec.col.status", L): t(f"rec.status.{r['status']}", L)
                if int(r["version"] or 0)
                else t("rec.status.unsaved", L),
                "_grade": r["grade"],
                "_warning": r["warning"],
            }
        )
    return pd.DataFrame(out)


def _styled(table: pd.DataFrame, L: str):
    grade_col, warn_col = t("rec.col.grade", L), t("rec.col.warning", L)
    grades, warns = table.pop("_grade"), table.pop("_warning")

    def paint(col):
        if col.name == grade_col:
            return [
                f"background-color: {GRADE_COLOURS.get(g, '')}" if g in GRADE_COLOURS else "" for g in grades
            ]
        if col.name == warn_col:
            return [f"background-color: {WARNING_COLOURS[w]}" if w in WARNING_COLOURS else "" for w in warns]
        return [""] * len(col)

    return table.style.apply(paint)


def render_records(ws, year: int, L: str) -> None:
    """The 指标填报 tab: metrics, the table of one level with colours, the edit form, the workbook."""
    rows, _ = catalogue()
    st.caption(t("rec.caption", L))
    if st.session_state.get("rec_flash"):
        st.success(st.session_state.pop("rec_flash"))
    scopes = _scopes(ws, L)
    c1, c2 = st.columns([1, 2])
    scope = common.kept(
        c1.selectbox,
        t("rec.scope", L),
        list(scopes),
        key="rec_scope",
        by_language=True,
        format_func=scopes.get,
    )
    level = common.kept(
        c2.radio,
        t("rec.level", L),
        list(LEVELS),
        horizontal=True,
        key="rec_level",
        by_language=True,
        format_func=lambda v: t(f"rec.level.{v}", L),
    )
    recs = current_records(ws, year, scope)
    m = st.columns(5)
    m[0].metric(t("rec.metric.records", L), len(recs))
    m[1].metric(t("rec.metric.red", L), int((recs["warning"] == "red").sum()))
    m[2].metric(t("rec.metric.yellow", L), int((recs["warning"] == "yellow").sum()))
    m[3].metric(t("rec.metric.submitted", L), int((recs["status"] == "已提交").sum()))
    m[4].metric(t("rec.metric.missing", L), int(recs["value"].map(_missing).sum()))
    st.dataframe(_styled(records_table(recs, rows, level, L), L), hide_index=True, width="stretch")
    _edit(rows, recs, year, scope, level, L)
    _workbook(ws, rows, recs, year, scopes[scope], L)
    if auth.can_edit():
        _upload(rows, recs, year, scope, L)


def _edit(rows, recs, year: int, scope: str, level: str, L: str) -> None:
    cat = {r["key"]: r for r in rows if r["level"] == level}
    key = common.kept(
        st.selectbox,
        t("rec.pick", L),
        list(cat),
        key=f"rec_pick_{level}",
        by_language=True,
        format_func=lambda k: cat[k]["name_en" if L == "en" else "name_zh"],
    )
    row, rec = cat[key], recs.set_index("indicator").loc[key].to_dict()
    st.markdown(f"**{t('rec.form', L)}** · {common.md_escape(row['name_en' if L == 'en' else 'name_zh'])}")
    st.caption(
        common.md_escape(
            _method_text(row, L) + (f" · {row['note']}" if L == "zh" and row.get("note") else "")
        )
    )
    version = int(rec["version"] or 0)
    if version:
        _history(year, key, scope, L)
    if not auth.can_edit():
        st.info(t("rec.readonly", L))
        return
    if rec["status"] == "已提交" and version:
        st.info(t("rec.locked", L))
        _status_button("rec.return", "已退回", year, key, scope, version, L)
        return
    fields = _form(row, rec, f"{year}_{scope}_{key}_{version}_{L}", L)
    c1, c2 = st.columns(2)
    if c1.button(t("rec.save", L), key="rec_save", type="primary"):
        try:
            state.store().save_record(
                year, key, scope, fields, editor=common.editor(), expected_version=version
            )
            st.session_state["rec_flash"] = t("rec.saved", L)
            st.rerun()
        except ProjectError as err:
            st.error(t("rec.store_error", L, why=common.md_escape(common.one_language(err, L))))
    if version:
        with c2:
            _status_button("rec.submit", "已提交", year, key, scope, version, L)


def _status_button(label: str, status: str, year: int, key: str, scope: str, version: int, L: str) -> None:
    if st.button(t(label, L), key=f"rec_status_{status}"):
        try:
            state.store().set_record_status(
                year, key, scope, status, editor=common.editor(), expected_version=version
            )
            st.session_state["rec_flash"] = t("rec.submitted" if status == "已提交" else "rec.returned", L)
            st.rerun()
        except ProjectError as err:
            st.error(t("rec.store_error", L, why=common.md_escape(common.one_language(err, L))))


def _form(row: dict, rec: dict, wkey: str, L: str) -> dict:
    """The edit widgets of one record; returns the fields to save (grade and warning re-assessed)."""
    pct = row["unit"] == "%"
    scale = 100.0 if pct else 1.0
    computed = rec.get("computed_value")
    can_compute = is_computed(row) and not _missing(computed)
    b1, b2, b3 = st.columns(3)
    use_computed = can_compute and b1.checkbox(
        t("rec.form.use_computed", L), value=not rec["manual"], key=f"rec_uc_{wkey}"
    )
    has_value = use_computed or b2.checkbox(
        t("rec.form.has_value", L), value=not _missing(rec["value"]), key=f"rec_hv_{wkey}"
    )
    has_std = b3.checkbox(
        t("rec.form.has_standard", L), value=not _missing(rec["standard"]), key=f"rec_hs_{wkey}"
    )
    c1, c2 = st.columns(2)
    vlabel = t("rec.form.value_pct", L) if pct else t("rec.form.value", L, unit=unit_label(row["unit"], L))
    value = None
    if use_computed:
        value = float(computed)
        c1.number_input(vlabel, value=value * scale, disabled=True, key=f"rec_vc_{wkey}")
    elif has_value:
        start = 0.0 if _missing(rec["value"]) else float(rec["value"]) * scale
        value = c1.number_input(vlabel, value=start, format="%.4f", key=f"rec_v_{wkey}") / scale
    standard = None
    if has_std:
        start = 0.0 if _missing(rec["standard"]) else float(rec["standard"]) * scale
        slabel = (
            t("rec.form.standard_pct", L)
            if pct
            else t("rec.form.standard", L, unit=unit_label(row["unit"], L))
        )
        standard = c2.number_input(slabel, value=start, format="%.4f", key=f"rec_s_{wkey}") / scale
    c3, c4, c5 = st.columns([2, 1, 2])
    data_source = c3.text_input(
        t("rec.col.data_source", L), value=rec["data_source"] or "", key=f"rec_ds_{wkey}"
    )
    levels = ["国家", "省", "市"]
    source_level = c4.selectbox(
        t("rec.col.source_level", L),
        levels,
        index=levels.index(rec["source_level"]),
        format_func=lambda v: t(f"rec.source_level.{v}", L),
        key=f"rec_sl_{wkey}",
    )
    department = c5.text_input(
        t("rec.col.department", L), value=rec["department"] or "", key=f"rec_dp_{wkey}"
    )
    st.markdown(f"**{t('rec.col.evidence', L)}**")
    evidence = [
        {
            "item": e["item"],
            "done": st.checkbox(
                common.md_escape(t_or(f"rec.evidence.{e['item']}", e["item"], L)),
                value=bool(e["done"]),
                key=f"rec_ev_{wkey}_{i}",
            ),
        }
        for i, e in enumerate(rec["evidence"] if isinstance(rec["evidence"], list) else [])
    ]
    note = st.text_input(t("rec.form.note", L), value=rec["note"] or "", key=f"rec_nt_{wkey}")
    grade, warn = assess(row, value, standard)
    return {
        "value": value,
        "manual": bool(value is not None and not use_computed),
        "computed_value": None if _missing(computed) else float(computed),
        "standard": standard,
        "grade": grade,
        "warning": warn,
        "source_level": source_level,
        "data_source": data_source,
        "department": department,
        "evidence": evidence,
        "note": note,
    }


@st.cache_resource(show_spinner=False)
def _indicator_names(L: str) -> dict[str, str]:
    """Engine indicator key → name in ``L`` (read once, not per catalogue row)."""
    return {d["key"]: d["name_en" if L == "en" else "name_zh"] for d in load_indicators()}


def _method_text(row: dict, L: str) -> str:
    if is_computed(row):
        names = _indicator_names(L)
        return t("rec.computed_by", L, what=names.get(row["method"], row["method"]))
    what = (
        row.get("needs_en") if L == "en" and row.get("needs_en") else row["method"].split(":", 1)[1].strip()
    )
    return t("rec.needs_data", L, what=what)


def _workbook(ws, rows, recs, year: int, scope_name: str, L: str) -> None:
    if st.button(t("rec.build_xlsx", L), key="rec_build"):
        st.session_state["rec_xlsx"] = records_xlsx(
            recs,
            rows,
            city=ws.metadata.get("city", ""),
            year=year,
            scope=scope_name,
            lang=L,
            demo=ws.synthetic,
        )
    if st.session_state.get("rec_xlsx"):
        st.download_button(
            t("rec.download_xlsx", L),
            st.session_state["rec_xlsx"],
            f"indicator_records_{year}.xlsx",
            key="rec_download",
            on_click="ignore",
        )


def render_catalogue(L: str) -> None:
    """The 国家指标目录 tab: every catalogue row with how it is computed, and the computed / needs-data count."""
    rows, sources = catalogue()
    c = counts(rows)
    st.markdown(
        t(
            "rec.cat.count",
            L,
            national=c["national"],
            computed=c["computed"],
            needs=c["needs_data"],
            product=c["product"],
        )
    )
    st.caption(t("rec.cat.note", L))
    only = common.kept(st.toggle, t("rec.cat.only_national", L), value=True, key="rec_cat_national")
    shown = [r for r in rows if r["national"] or not only]
    st.dataframe(
        pd.DataFrame(
            {
                t("rec.level", L): [t(f"rec.level.{r['level']}", L) for r in shown],
                t("rec.col.dimension", L): [t(f"dimension.{r['dimension']}", L) for r in shown],
                t("rec.col.indicator", L): [r["name_en" if L == "en" else "name_zh"] for r in shown],
                t("rec.col.unit", L): [unit_label(r["unit"], L) for r in shown],
                t("rec.col.standard", L): [
                    t("rec.grade.无标准", L)
                    if "standard" not in r
                    else format_value(r["standard"], r["unit"])
                    for r in shown
                ],
                t("rec.col.method", L): [_method_text(r, L) for r in shown],
                t("rec.col.department", L): [dept_label(r["department"], L) for r in shown],
                t("rec.col.verified", L): [t("rec.yes" if r["verified"] else "rec.no", L) for r in shown],
                t("rec.col.since", L): [str(r.get("since", "")) for r in shown],
                t("rec.col.sources", L): [", ".join(r["sources"]) for r in shown],
            }
        ),
        hide_index=True,
        width="stretch",
        height=560,
    )
    st.dataframe(
        pd.DataFrame(
            {
                "ID": list(sources),
                t("rec.col.sources", L): [f"{s['title']} — {s['where']}" for s in sources.values()],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def import_rows(parsed: list[dict], rows: list[dict], recs: pd.DataFrame) -> list[tuple[str, dict]]:
    """Turn workbook rows into record fields: grade and warning assessed, a value that differs from the
    engine's (or where there is none) marked as 人工填报."""
    cat = {r["key"]: r for r in rows}
    computed = recs.set_index("indicator")["computed_value"]
    out = []
    for i, r in enumerate(parsed, start=1):
        row = cat[r["indicator"]]
        c = computed.get(r["indicator"])
        c = None if _missing(c) else float(c)
        manual = r["value"] is not None and (c is None or abs(r["value"] - c) > 1e-9)
        grade, warn = assess(row, r["value"], r["standard"])
        fields = {
            k: r[k] for k in ("indicator", "value", "standard", "data_source", "source_level", "department")
        }
        fields |= {
            "evidence": r["evidence"],
            "manual": manual,
            "computed_value": c,
            "grade": grade,
            "warning": warn,
        }
        out.append((f"#{i} {row['name_zh']}", fields))
    return out


def _upload(rows, recs, year: int, scope: str, L: str) -> None:
    up = st.file_uploader(t("rec.upload", L), type=["xlsx"], key="rec_upload")
    if up is None or not st.button(t("rec.import", L), key="rec_import"):
        return
    parsed, problems = read_records_xlsx(up.getvalue(), rows)
    if not problems:
        try:
            out = state.store().import_record_rows(
                year, scope, import_rows(parsed, rows, recs), editor=common.editor()
            )
        except ProjectError as err:
            out = {"saved": 0, "problems": [str(err)]}
        problems = out["problems"]
        if not problems:
            st.session_state["rec_flash"] = t("rec.imported", L, n=out["saved"])
            st.rerun()
    st.error(t("rec.import_refused", L, n=len(problems)))
    for p in problems[:50]:
        st.markdown(f"- {common.md_escape(common.one_language(p, L))}")


def _history(year: int, key: str, scope: str, L: str) -> None:
    with st.expander(t("rec.history", L)):
        h = state.store().record_history(year, key, scope)
        st.dataframe(
            pd.DataFrame(
                {
                    t("rec.hist.time", L): h["ts"].map(local_time),
                    t("rec.hist.editor", L): h["editor"],
                    t("rec.hist.action", L): h["action"].map(lambda a: t(f"rec.hist.{a}", L)),
                    t("rec.hist.field", L): h["field"].map(lambda f: t_or(f"rec.field.{f}", f or "", L)),
                    t("rec.hist.old", L): h["old_value"].fillna(""),
                    t("rec.hist.new", L): h["new_value"].fillna(""),
                }
            ),
            hide_index=True,
            width="stretch",
        )


def render_record_warnings(ws, year: int, L: str) -> list[str]:
    """问题台账 items from the records: red / yellow warnings of hand-filled indicators, linkable to projects.

    Returns the problem ids shown (so the page does not list their projects as fixing no problem).
    """
    rows, _ = catalogue()
    scopes = _scopes(ws, L)
    recs = all_current_records(ws, year, scopes)
    probs = record_problems(recs, rows)
    with st.expander(t("rec.problems.title", L, n=len(probs)), expanded=False):
        st.caption(t("rec.problems.caption", L))
        if probs.empty:
            st.caption(t("rec.problems.none", L))
            return []
        store = state.store()
        links = store.problem_links()
        linked = (
            links.groupby("problem_id")["project_id"].apply(lambda s: "、".join(sorted(s)))
            if len(links)
            else {}
        )
        by = {r["key"]: r for r in rows}
        label = {
            p: f"{scopes.get(s, s)} · {by[i]['name_en' if L == 'en' else 'name_zh']}"
            for p, s, i in zip(probs["problem_id"], probs["scope"], probs["indicator"])
        }
        st.dataframe(
            pd.DataFrame(
                {
                    t("rec.problems.col.scope", L): [scopes.get(s, s) for s in probs["scope"]],
                    t("rec.col.indicator", L): [
                        by[i]["name_en" if L == "en" else "name_zh"] for i in probs["indicator"]
                    ],
                    t("rec.col.value", L): [
                        format_value(None if _missing(v) else v, by[i]["unit"])
                        for v, i in zip(probs["value"], probs["indicator"])
                    ],
                    t("rec.col.standard", L): [
                        format_value(None if _missing(v) else v, by[i]["unit"])
                        for v, i in zip(probs["standard"], probs["indicator"])
                    ],
                    t("rec.col.warning", L): [t(f"rec.warning.{w}", L) for w in probs["warning"]],
                    t("rec.col.department", L): [dept_label(d, L) for d in probs["department"]],
                    t("col.projects", L): [linked.get(p, "") for p in probs["problem_id"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        if not auth.can_edit():
            return probs["problem_id"].tolist()
        pid = st.selectbox(
            t("hc.pick_problem", L), probs["problem_id"].tolist(), key="rec_problem", format_func=label.get
        )
        lib = store.list()
        current = sorted(links.loc[links["problem_id"] == pid, "project_id"]) if len(links) else []
        names = dict(zip(lib["project_id"], lib["name"])) if len(lib) else {}
        chosen = st.multiselect(
            t("hc.link", L),
            list(names),
            default=[p for p in current if p in names],
            key=f"rec_links_{pid}",
            placeholder=t("select.placeholder", L),
            format_func=lambda p: f"{p} · {names[p]}",
        )
        if st.button(t("hc.save_links", L), key="rec_save_links"):
            try:
                store.set_problem_links(pid, chosen, editor=common.editor())
            except ProjectError as err:
                st.error(t("hc.store_error", L, why=common.md_escape(err)))
            else:
                st.session_state["hc_flash"] = t("hc.links_saved", L)
                st.rerun()
    return probs["problem_id"].tolist()
