"""The 一老一小 tab of the 城市体检 page and its Word-report section (thin: analysis in layers.equity,
the map in cartography.equity, the report in reports.healthcheck_report)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cartography.equity import equity_map
from dashboard import common, mapcache, state
from geodata.indicators import load_indicators
from i18n import format_value, t
from layers.equity import AGE_FACILITY, workspace_equity
from reports.healthcheck_report import build_report_from_store, ci_reading
from reports.tables import xlsx_bytes


@st.cache_data(show_spinner=False, max_entries=6)
def equity(ws_path: str, year: int):
    """The 一老一小 analysis of a workspace and survey year (cached); None without age-group columns."""
    cat = common.catalogue()
    radii = {f: cat.radius_m(f) for f in set(AGE_FACILITY.values())}
    return workspace_equity(common.workspace(ws_path).layers, radii, year=year)


def _group_label(L: str):
    return lambda g: t(f"eq.group.{g}", L)


def _subdistrict_table(ws, eq, L: str) -> pd.DataFrame:
    names = ws["subdistricts"].set_index("subdistrict_id")["name"]
    wide = eq.by_subdistrict.pivot(index="subdistrict_id", columns="group", values="share")
    out = pd.DataFrame({t("eq.col.subdistrict", L): wide.index.map(lambda s: names.get(s, s))})
    for g in eq.groups:
        out[t("eq.col.share_of", L, group=t(f"eq.short.{g}", L))] = (wide[g] * 100).round(1).to_numpy()
    return out


def _left_behind_table(ws, eq, group: str, L: str) -> pd.DataFrame:
    lb = eq.left_behind[eq.left_behind["group"] == group]
    comm = ws["communities"].set_index("community_id")["name"]
    return pd.DataFrame(
        {
            t("eq.col.compound", L): lb["name"].to_numpy(),
            t("eq.col.compound_id", L): lb["compound_id"].to_numpy(),
            t("eq.col.community", L): lb["community_id"].map(lambda c: comm.get(c, c)).to_numpy(),
            t("eq.col.build_year", L): lb["build_year"].to_numpy(),
            t("eq.col.unserved", L): lb["residents"].round(0).astype(int).to_numpy(),
            t("eq.col.distance_m", L): lb["distance_m"]
            .replace(float("inf"), float("nan"))
            .round(0)
            .to_numpy(),
            t("eq.col.radius_m", L): lb["radius_m"].round(0).astype(int).to_numpy(),
        }
    )


def _fairness_table(eq, L: str) -> pd.DataFrame:
    f = eq.fairness
    return pd.DataFrame(
        {
            t("eq.col.group", L): [t(f"eq.group.{g}", L) for g in f.index],
            t("eq.col.coverage", L): [format_value(v, "%") for v in eq.city.loc[f.index, "share"]],
            t("eq.col.share_old", L): [format_value(v, "%") for v in f["share_old"]],
            t("eq.col.share_new", L): [format_value(v, "%") for v in f["share_new"]],
            t("eq.col.ci", L): f["concentration_index"].round(3).to_numpy(),
            t("eq.col.reading", L): [ci_reading(v, L) for v in f["concentration_index"]],
        }
    )


def _export(ws, eq, L: str) -> bytes:
    """The whole analysis as a workbook (formula-safe), built when the button is pressed."""
    city = eq.city
    sheets = {
        t("eq.sheet.city", L): pd.DataFrame(
            {
                t("eq.col.group", L): [t(f"eq.group.{g}", L) for g in city.index],
                t("eq.col.facility", L): [common.catalogue().types[f].name(L) for f in city["facility_type"]],
                t("eq.col.radius_m", L): city["radius_m"].to_numpy(),
                t("eq.col.residents", L): city["residents"].round(0).to_numpy(),
                t("eq.col.served", L): city["served"].round(0).to_numpy(),
                t("eq.col.unserved", L): city["unserved"].round(0).to_numpy(),
                t("eq.col.coverage", L): city["share"].round(4).to_numpy(),
            }
        ),
        t("eq.sheet.subdistricts", L): _subdistrict_table(ws, eq, L),
        t("eq.sheet.fairness", L): _fairness_table(eq, L),
    }
    sheets[t("eq.sheet.left_behind", L)] = pd.concat(
        [
            _left_behind_table(ws, eq, g, L).assign(**{t("eq.col.group", L): t(f"eq.group.{g}", L)})
            for g in eq.groups
        ],
        ignore_index=True,
    )
    return xlsx_bytes(sheets, notes={t("eq.sheet.method", L): t("eq.method", L).replace("**", "")})


def render_equity_tab(ws, year: int, L: str) -> None:
    """Body of the 一老一小 tab: per-group figures, per-街道 map and table, fairness, left-behind compounds."""
    eq = equity(str(ws.path), year)
    if eq is None:
        st.info(t("eq.no_data", L))
        return
    cat = common.catalogue()
    st.caption(t("eq.intro", L, year=year))
    cols = st.columns(len(eq.groups))
    for c, g in zip(cols, eq.groups):
        row = eq.city.loc[g]
        c.metric(
            t("eq.metric", L, group=t(f"eq.group.{g}", L)),
            format_value(row["share"], "%"),
            help=t(
                "eq.metric.help",
                L,
                facility=cat.types[row["facility_type"]].name(L),
                radius=f"{row['radius_m']:,.0f}",
                unserved=f"{row['unserved']:,.0f}",
            ),
        )
    group = common.kept(
        st.radio,
        t("eq.pick_group", L),
        list(eq.groups),
        horizontal=True,
        key="eq_group",
        by_language=True,
        format_func=_group_label(L),
    )
    ftype = AGE_FACILITY[group]
    left, right = st.columns([3, 2], gap="medium")
    with left:
        fac = ws["facilities"]
        if "opened_year" in fac:
            fac = fac[fac["opened_year"] <= year]
        fac = fac[fac["type"] == ftype]
        rendered = mapcache.cached(  # rendered once per group, year, language and data
            lambda: equity_map(
                ws, eq.by_subdistrict, group, L, facilities=fac, facility_label=cat.types[ftype].name(L)
            ),
            "equity_map", str(ws.path), id(ws), eq.by_subdistrict, group, L, fac, cat.types[ftype].name(L),
        )  # fmt: skip
        mapcache.show(rendered, key=f"eq_map_{L}_{group}_{year}", height=520, returned_objects=[])
    with right:
        st.markdown(f"**{t('eq.by_subdistrict', L)}**")
        table = _subdistrict_table(ws, eq, L)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            height=480,
            column_config={c: st.column_config.NumberColumn(format="%.1f") for c in table.columns[1:]},
        )
    st.subheader(t("eq.fairness", L))
    st.dataframe(_fairness_table(eq, L), hide_index=True, width="stretch")
    with st.expander(t("eq.method.title", L)):
        st.markdown(t("eq.method", L))
    st.subheader(t("eq.left_behind", L, group=t(f"eq.group.{group}", L)))
    lb = _left_behind_table(ws, eq, group, L)
    if lb.empty:
        st.success(t("eq.left_behind.none", L))
    else:
        shown = min(len(lb), 200)
        st.caption(
            t(
                "eq.left_behind.count",
                L,
                n=f"{len(lb):,}",
                people=f"{lb[t('eq.col.unserved', L)].sum():,}",
                shown=shown,
            )
        )
        st.dataframe(lb.head(shown), hide_index=True, width="stretch", height=320)
    st.download_button(
        t("eq.export", L),
        lambda: _export(ws, eq, L),
        f"young_and_old_{year}.xlsx",
        on_click="ignore",
        key="eq_export",
    )


def render_report_section(ws, year: int, years: list[int], L: str) -> None:
    """The 生成体检报告 button: builds the .docx on demand, then offers it for download."""
    st.subheader(t("rep.section", L))
    earlier = [y for y in years if y < year]
    c1, c2 = st.columns([2, 3])
    compare = c1.selectbox(
        t("rep.compare", L),
        [None, *earlier],
        index=len(earlier),
        format_func=lambda y: t("rep.compare_none", L) if y is None else str(y),
        key=f"rep_compare_{year}_{L}",
    )
    key = f"rep_docx:{ws.path}:{year}:{compare}:{L}"
    if c2.button(t("rep.button", L), key="rep_build", type="primary"):
        import tempfile
        from pathlib import Path

        cat = common.catalogue()
        store = state.store()
        with st.spinner(t("rep.building", L)), tempfile.TemporaryDirectory() as tmp:
            try:
                counts = build_report_from_store(
                    ws,
                    store,
                    year=year,
                    compare=compare,
                    out=Path(tmp) / "report.docx",
                    catalogue=cat,
                    indicators=load_indicators(catalogue=cat),
                    lang=L,
                    equity=equity(str(ws.path), year),
                )
            except (RuntimeError, ValueError, OSError) as err:
                st.error(t("rep.failed", L, error=common.md_escape(common.one_language(err, L))))
                return
            st.session_state[key] = (counts.path.read_bytes(), counts)
    if key in st.session_state:
        data, counts = st.session_state[key]
        c2.success(
            t(
                "rep.built",
                L,
                chapters=counts.chapters,
                tables=counts.tables,
                figures=counts.figures,
                size=f"{counts.size_bytes / 1024:,.0f}",
                seconds=f"{counts.seconds:.0f}",
            )
        )
        c2.download_button(
            t("rep.download", L),
            data,
            f"health_check_report_{year}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            on_click="ignore",
            key="rep_download",
        )
