"""更新地块与项目库 page: filtered parcel map, candidate screening (top-N map, why #N), project library."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from cartography.colours import STATUS_COLOURS
from cartography.maps import parcel_map
from cartography.projects import category_label, projects_map, status_label, top_candidates_map
from dashboard import auth, common, mapcache, state, workspace_panel
from geodata.export import geodata_bytes
from geodata.presets import add_user_preset, load_user_presets
from geodata.schema import DECISIONS, PARCEL_TYPES, PROJECT_STATUSES
from geodata.stores import CATEGORIES, YEAR_RANGE, ConflictError, ProjectError, ProjectValidationError
from geodata.stores.ledger import LedgerFileError, read_ledger_xlsx
from i18n import LABELS, t
from layers.library import (
    budget_by_district,
    budget_by_year,
    filter_projects,
    formula_safe,
    local_time,
    pivot_summary,
    project_outlines,
    timeline,
    unscheduled,
    why_rank,
    year_span,
)
from layers.parcels import ParcelFilter, filter_mask, parcel_at, summary
from layers.screening import CRITERIA, PRESETS, score, stability
from reports.tables import csv_bytes, xlsx_bytes

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: decimals of each criterion's raw value in "why #N"
CRIT_DECIMALS = {"safety": 2, "missing_items": 2, "elderly_share_500m": 1}


# ------------------------------------------------------------------------------------------ vocabulary
def _label(prefix: str, value, L: str) -> str:
    """Translated enumerated value (``prefix.value``); unknown values as they are, empty as "—"."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return "—"
    key = f"{prefix}.{value}"
    return t(key, L) if key in LABELS else str(value)


def _decision(value, L: str) -> str:
    return _label("decision", value, L)


def _preset_name(name: str, L: str) -> str:
    return _label("ren.preset.builtin", name, L)


def _district_names(ws, L: str) -> dict[int, str]:
    d = ws["districts"]
    return dict(zip(d["adcode"].astype(int), d["name_en" if L == "en" else "name_zh"]))


def _status_scale(L: str) -> alt.Scale:
    """The map's status colours for a chart: explicit domain (translated statuses) and range."""
    return alt.Scale(
        domain=[status_label(s, L) for s in PROJECT_STATUSES],
        range=[STATUS_COLOURS[s] for s in PROJECT_STATUSES],
    )


def _money(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):,.1f}"


# ------------------------------------------------------------------------------------------ screening
def _weights(L: str) -> dict:
    presets = PRESETS | load_user_presets()
    name = common.kept(
        st.selectbox,
        t("ren.preset", L),
        list(presets),
        key="ren_preset",
        by_language=True,
        format_func=lambda v: _preset_name(v, L),
    )
    weights = {}
    cols = st.columns(3)
    for i, key in enumerate(CRITERIA):
        weights[key] = common.kept(
            cols[i % 3].slider,
            t(f"crit.{key}", L),
            0.0,
            5.0,
            value=float(presets[name].get(key, 0.0)),
            step=0.5,
            key=f"w_{name}_{key}",
        )
    if not auth.can_edit():
        return weights
    with st.popover(t("ren.preset.save", L)):
        new = st.text_input(t("ren.preset.name", L), key="ren_new_preset", max_chars=40)
        if st.button(t("ren.preset.save", L), key="ren_save_preset") and new.strip():
            add_user_preset(new.strip(), weights)
            st.rerun()
    return weights


def _crit_text(key: str, value: float, L: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    unit = t(f"ren.unit.{key}", L)
    return f"{value:,.{CRIT_DECIMALS.get(key, 0)}f} {unit}".strip()


def _why_table(why: pd.DataFrame, L: str) -> pd.DataFrame:
    """The "why #N" rows as a person reads them (translated criteria, raw values with units)."""
    return pd.DataFrame(
        {
            t("ren.why.col.criterion", L): [t(f"crit.{k}", L) for k in why["criterion"]],
            t("col.contribution", L): why["contribution"].round(1).to_numpy(),
            t("ren.why.col.value", L): [_crit_text(k, v, L) for k, v in zip(why["criterion"], why["value"])],
            t("ren.why.col.median", L): [
                _crit_text(k, v, L) for k, v in zip(why["criterion"], why["median"])
            ],
            t("ren.why.col.top1", L): [_crit_text(k, v, L) for k, v in zip(why["criterion"], why["top1"])],
            t("ren.why.col.weight", L): why["weight"].round(1).to_numpy(),
        }
    )


def _why_chart(why: pd.DataFrame, L: str) -> alt.Chart:
    data = pd.DataFrame(
        {"criterion": [t(f"crit.{k}", L) for k in why["criterion"]], "points": why["contribution"].round(1)}
    )
    return (
        alt.Chart(data)
        .mark_bar(color="#2c7fb8")
        .encode(
            x=alt.X("points:Q", title=t("col.contribution", L)),
            y=alt.Y(
                "criterion:N", sort=data["criterion"].tolist(), title=None, axis=alt.Axis(labelLimit=260)
            ),
            tooltip=[
                alt.Tooltip("criterion:N", title=t("ren.why.col.criterion", L)),
                alt.Tooltip("points:Q", title=t("col.contribution", L), format=".1f"),
            ],
        )
        .properties(height=28 * len(data) + 20)
    )


def _pick_from_click(returned, parcels, options: list[str], state_key: str) -> None:
    """Map-click handler: a click on a numbered parcel picks it for "why #N" (each click applied once)."""
    click = (returned or {}).get("last_clicked")
    if not click or click == st.session_state.get(f"{state_key}_click"):
        return
    st.session_state[f"{state_key}_click"] = click
    hit = parcel_at(click["lng"], click["lat"], parcels)
    if hit in options and hit != st.session_state.get(state_key):
        st.session_state[state_key] = hit
        st.rerun()


def _top_and_why(ws, crit, scored, table, weights, L: str) -> None:
    parcels = ws["parcels"]
    n = common.kept(st.slider, t("ren.top.n", L), 3, 30, value=10, key="ren_top_n")
    options = table.index[: max(50, n)].tolist()
    labels = {
        p: f"#{int(r)} · {p} · {nm}"
        for p, r, nm in zip(options, table["rank"].iloc[: len(options)], table["name"])
    }
    pick = common.kept_pick("ren_why", options)
    top_ids = table.index[:n]
    top = parcels.set_index("parcel_id").loc[top_ids].reset_index()
    top = top.assign(rank=table["rank"].iloc[:n].to_numpy(), score=table["score"].iloc[:n].to_numpy())
    others = parcels[~parcels["parcel_id"].isin(top_ids)]
    left, right = st.columns([5, 4], gap="medium")
    with left:
        st.subheader(t("ren.top.title", L, n=n))
        returned = mapcache.show(
            mapcache.cached(
                lambda: top_candidates_map(top, ws, L, selected=pick, context=others),
                "top_candidates_map", str(ws.path), id(ws), top, others["parcel_id"], pick, L,
            ),
            key=f"ren_top_map_{L}",
            height=560,
            returned_objects=["last_clicked"],
        )  # fmt: skip
        st.caption(t("ren.top.caption", L))
    _pick_from_click(returned, top, options, "ren_why")
    with right:
        pick = common.kept(
            st.selectbox, t("ren.pick_parcel", L), options, key="ren_why", format_func=labels.__getitem__
        )
        rank = int(table.loc[pick, "rank"])
        st.markdown(
            f"**{t('ren.why', L, rank=rank)}** {t('ren.why.score', L, score=table.loc[pick, 'score'])}"
        )
        why = why_rank(crit, scored, pick, weights)
        st.dataframe(_why_table(why, L), hide_index=True, width="stretch")
        st.altair_chart(_why_chart(why, L), width="stretch")
        st.caption(t("ren.why.caption", L))
        if bool(crit.loc[pick, "heritage"]):
            st.warning(t("ren.heritage_note", L))
        _promote_button(parcels[parcels["parcel_id"] == pick].iloc[0], L, key="promote_from_screen")


def _ranking_exports(ws, scored, shown: pd.DataFrame, weights: dict, L: str) -> None:
    """Download buttons that build their file only when clicked (not on every rerun); text cells that
    start with = + - @ are written as text."""
    notes = {
        t("ren.export.note.method", L): t("ren.method", L),
        t("ren.export.note.weights", L): "; ".join(
            f"{t(f'crit.{k}', L)} = {w:g}" for k, w in weights.items()
        ),
    }
    sheet = t("ren.ranking", L)
    e1, e2, e3 = st.columns(3)
    e1.download_button(
        t("ren.export.xlsx", L),
        lambda: xlsx_bytes({sheet: formula_safe(shown)}, notes=notes),
        "renewal_ranking.xlsx",
        XLSX_MIME,
        key="ren_dl_xlsx",
        on_click="ignore",
    )
    e2.download_button(
        t("ren.export.csv", L),
        lambda: csv_bytes(formula_safe(shown)),
        "renewal_ranking.csv",
        "text/csv",
        key="ren_dl_csv",
        on_click="ignore",
    )
    e3.download_button(
        t("ren.export.gpkg", L),
        lambda: geodata_bytes(
            ws["parcels"].merge(scored.reset_index(), on="parcel_id"), "gpkg", layer="ranking"
        )[0],
        "renewal_ranking.gpkg",
        "application/geopackage+sqlite3",
        key="ren_dl_gpkg",
        on_click="ignore",
    )


def _screen_tab(ws, crit, L: str) -> None:
    st.caption(t("ren.method", L))
    weights = _weights(L)
    st.session_state["ren_weights"] = weights
    if sum(weights.values()) <= 0:
        st.warning(t("ren.weights_zero", L))
        return
    scored = score(crit, weights)
    names = ws["parcels"].set_index("parcel_id")
    table = scored.sort_values("rank").join(names[["name", "parcel_type", "district_adcode"]])
    _top_and_why(ws, crit, scored, table, weights, L)
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
    st.dataframe(shown.head(100), hide_index=True, width="stretch", height=320)
    st.caption(t("ren.ranking.caption", L, n=len(shown)))
    _ranking_exports(ws, scored, shown, weights, L)
    st.markdown(f"**{t('ren.stability', L, n=10)}**")
    stab = stability(crit, weights, top_n=10, draws=100)
    st.dataframe(
        pd.DataFrame(
            {
                t("col.rank", L): stab["rank"],
                t("col.parcel_id", L): stab.index,
                t("col.name", L): names.loc[stab.index, "name"].to_numpy(),
                t("col.stay_share", L): (stab["stay_share"] * 100).round(0).astype(int).astype(str) + "%",
            }
        ),
        hide_index=True,
        width="stretch",
    )


# ------------------------------------------------------------------------------------------ parcels
def _filters(ws, L: str) -> ParcelFilter:
    p = ws["parcels"]
    dnames = _district_names(ws, L)
    c = st.columns(6)
    everything = t("ren.filter.all", L)
    types = common.kept(
        c[0].multiselect,
        t("ren.filter.types", L),
        list(PARCEL_TYPES),
        key="f_types",
        by_language=True,
        placeholder=everything,
        format_func=lambda v: t(f"ptype.{v}", L),
    )
    districts = common.kept(
        c[1].multiselect,
        t("ren.filter.districts", L),
        list(dnames),
        key="f_districts",
        by_language=True,
        placeholder=everything,
        format_func=dnames.__getitem__,
    )
    lo, hi = int(p["build_year"].min()), int(p["build_year"].max())
    years = _year_range(c[2], t("ren.filter.years", L), lo, hi, key="f_years")
    status = common.kept(
        c[3].multiselect,
        t("ren.filter.status", L),
        list(PROJECT_STATUSES),
        key="f_status",
        by_language=True,
        placeholder=everything,
        format_func=lambda v: status_label(v, L),
    )
    decision = common.kept(
        c[4].multiselect,
        t("ren.filter.decision", L),
        list(DECISIONS),
        key="f_decision",
        by_language=True,
        placeholder=everything,
        format_func=lambda v: _decision(v, L),
    )
    srange = common.kept(c[5].slider, t("ren.filter.score", L), 0.0, 100.0, value=(0.0, 100.0), key="f_score")
    return ParcelFilter(tuple(types), tuple(districts), years, tuple(status), tuple(decision), srange)


def _promote_button(parcel: pd.Series, L: str, key: str) -> None:
    store = state.store()
    existing = store.project_for_parcel(str(parcel["parcel_id"]))
    if existing:
        st.caption(t("ren.already", L, pid=existing["project_id"]))
        return
    if not auth.can_edit():
        return
    if st.button(t("ren.promote", L), key=key, type="primary"):
        editor = common.editor()
        try:
            p = store.promote_parcel(
                parcel.drop(labels="geometry").to_dict() | {"geometry_wkt": parcel.geometry.wkt},
                editor=editor,
            )
        except ProjectError as err:
            _show_problem(err, L)
        else:
            st.success(t("ren.promoted", L, pid=p["project_id"]))


def _parcel_detail(row: pd.Series, score_value: float, L: str) -> pd.DataFrame:
    fields = [
        ("col.type", t(f"ptype.{row['parcel_type']}", L)),
        ("col.build_year", str(row["build_year"])),
        ("col.area_m2", f"{row['area_m2']:,.0f}"),
        ("col.households", f"{int(row['households']):,}"),
        ("col.danger_grade", row["danger_grade"] or "—"),
        ("col.precast_slab", "✓" if row["precast_slab"] else "—"),
        ("col.heritage", "✓" if row["heritage"] else "—"),
        ("col.status", status_label(row["status"], L)),
        ("col.decision", _decision(row["decision"], L)),
        ("col.budget_wan", _money(row["budget_wan"])),
        ("col.score", f"{score_value:.1f}"),
    ]
    return pd.DataFrame(
        {t("ren.detail.item", L): [t(k, L) for k, _ in fields], t("col.value", L): [v for _, v in fields]}
    )


def _summary_chart(shown: pd.DataFrame, L: str) -> alt.Chart | None:
    s = summary(shown, by=["parcel_type", "status"])
    if s.empty:
        return None
    data = pd.DataFrame(
        {
            "type": s["parcel_type"].map(lambda v: t(f"ptype.{v}", L)),
            "status": s["status"].map(lambda v: status_label(v, L)),
            "count": s["count"],
        }
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("type:N", title=t("col.type", L), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("count:Q", title=t("ren.metric.count", L)),
            color=alt.Color("status:N", scale=_status_scale(L), legend=alt.Legend(title=t("col.status", L))),
            tooltip=[
                alt.Tooltip("type:N", title=t("col.type", L)),
                alt.Tooltip("status:N", title=t("col.status", L)),
                alt.Tooltip("count:Q", title=t("ren.metric.count", L)),
            ],
        )
        .properties(height=260)
    )


def _parcels_tab(ws, crit, L: str) -> None:
    scored = score(crit, st.session_state.get("ren_weights") or PRESETS["民生优先"])
    flt = _filters(ws, L)
    parcels = ws["parcels"]
    by_id = parcels.set_index("parcel_id")
    mask = filter_mask(by_id, flt, scores=scored["score"]).to_numpy()
    shown = parcels[mask]
    c = st.columns(4)
    c[0].metric(t("ren.metric.count", L), f"{len(shown):,}")
    c[1].metric(t("ren.metric.area", L), f"{shown['area_m2'].sum() / 1e4:,.1f}")
    c[2].metric(t("ren.metric.budget", L), f"{shown['budget_wan'].sum() / 1e4:,.2f}")
    c[3].metric(t("ren.metric.households", L), f"{shown['households'].sum():,}")
    colour_by = common.kept(
        st.radio,
        t("ren.colour_by", L),
        ["type", "status", "decision", "score"],
        key="ren_colour",
        by_language=True,
        horizontal=True,
        format_func=lambda v: t(f"ren.colour.{v}", L),
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        returned = mapcache.show(
            mapcache.cached(
                lambda: parcel_map(ws, shown, scored["score"], colour_by, L),
                "parcel_map", str(ws.path), id(ws), shown, scored["score"].reindex(shown["parcel_id"]), colour_by, L,
            ),
            key=f"ren_map_{L}",
            height=560,
            returned_objects=["last_clicked"],
        )  # fmt: skip
    click = (returned or {}).get("last_clicked")
    hit = parcel_at(click["lng"], click["lat"], shown) if click else None
    if hit:
        st.session_state["ren_parcel"] = hit
    with right:
        ids = shown["parcel_id"].tolist()
        if not ids:
            st.info(t("ren.none_match", L))
            return
        common.kept_pick("ren_parcel", ids)
        names = dict(zip(shown["parcel_id"], shown["name"]))
        pid = common.kept(
            st.selectbox,
            t("ren.pick_parcel", L),
            ids,
            key="ren_parcel",
            format_func=lambda p: f"{p} · {names[p]}",
        )
        st.subheader(t("ren.detail", L))
        st.dataframe(
            _parcel_detail(by_id.loc[pid], scored.loc[pid, "score"], L), hide_index=True, width="stretch"
        )
        _promote_button(parcels[parcels["parcel_id"] == pid].iloc[0], L, key="promote_from_parcels")
    st.subheader(t("ren.summary", L))
    chart = _summary_chart(shown, L)
    if chart is not None:
        st.altair_chart(chart, width="stretch")


# ------------------------------------------------------------------------------------------ library
def _show_problem(err: ProjectError, L: str) -> None:
    """A store error in the UI language (the store's messages carry both: "field: 中文 / English")."""
    if isinstance(err, ProjectValidationError):
        for problem in err.problems:
            st.error(common.md_escape(_one_language(problem, L)))
    else:
        st.error(common.md_escape(_one_language(str(err), L)))


def _one_language(message: str, L: str) -> str:
    field, sep, rest = message.partition(": ")
    if not sep or " " in field:
        field, rest = "", message
    text = common.one_language(rest, L)
    return f"{_field_label(field, L)}: {text}" if field else text


def _field_label(field: str, L: str) -> str:
    key = {"problem": "lib.field.problem", "editor": "col.editor"}.get(field, f"col.{field}")
    return t(key, L) if key in LABELS else field


def _value_label(field, value, L: str) -> str:
    """An audited value in the UI language (enumerations translated, empty as "—")."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return "—"
    if field == "status":
        return status_label(value, L)
    if field == "category":
        return category_label(value, L)
    if field == "decision":
        return _decision(value, L)
    if field == "budget_wan":
        try:
            return _money(float(value))
        except ValueError:
            return str(value)
    return str(value)


def _ledger_view(lib: pd.DataFrame, dnames: dict[int, str], L: str) -> pd.DataFrame:
    """The 台账 as a person reads it: translated headers and values, local times."""
    adcodes = pd.to_numeric(lib["district_adcode"], errors="coerce")
    return pd.DataFrame(
        {
            t("col.project_id", L): lib["project_id"].astype(str).to_numpy(),
            t("col.name", L): lib["name"].astype(str).to_numpy(),
            t("col.category", L): lib["category"].map(lambda v: category_label(v, L)).to_numpy(),
            t("col.status", L): lib["status"].map(lambda v: status_label(v, L)).to_numpy(),
            t("col.decision", L): lib["decision"].map(lambda v: _decision(v, L)).to_numpy(),
            t("col.district", L): adcodes.map(
                lambda a: dnames.get(int(a), "—") if pd.notna(a) else "—"
            ).to_numpy(),
            t("col.budget_wan", L): pd.to_numeric(lib["budget_wan"], errors="coerce").to_numpy(),
            t("col.start_year", L): _years_text(lib["start_year"]),
            t("col.end_year", L): _years_text(lib["end_year"]),
            t("col.owner_unit", L): lib["owner_unit"].fillna("").astype(str).to_numpy(),
            t("col.parcel_id", L): lib["parcel_id"].fillna("—").astype(str).to_numpy(),
            t("lib.col.updated", L): lib["updated_at"].map(local_time).to_numpy(),
            t("col.editor", L): lib["updated_by"].astype(str).to_numpy(),
            t("col.version", L): lib["version"].astype(int).to_numpy(),
        }
    )


def _years_text(values: pd.Series) -> list[str]:
    """Years as text ("—" when missing: a grid would show an empty number as "None")."""
    return [str(int(v)) if pd.notna(v) else "—" for v in pd.to_numeric(values, errors="coerce")]


def _ledger_config(L: str) -> dict:
    return {
        t("col.budget_wan", L): st.column_config.NumberColumn(format="localized"),
        t("col.name", L): st.column_config.TextColumn(width="large"),
    }


def _year_range(col, label: str, lo: int, hi: int, *, key: str) -> tuple[int, int]:
    """A kept year-range slider from ``lo`` to ``hi``; a range kept from other data (another workspace, a
    library since edited) that no longer fits is reset to the whole span."""
    for saved in (st.session_state.get(key), common.kept_value(key)):
        if saved is not None and not (lo <= saved[0] <= saved[1] <= hi):
            common.set_kept(key, (lo, hi))
            break
    return common.kept(col.slider, label, lo, hi, value=(lo, hi), key=key)


def _library_filters(lib: pd.DataFrame, dnames: dict[int, str], L: str) -> dict:
    c = st.columns([2, 2, 2, 3, 3])
    everything = t("ren.filter.all", L)
    statuses = common.kept(
        c[0].multiselect,
        t("col.status", L),
        list(PROJECT_STATUSES),
        key="lib_f_status",
        by_language=True,
        placeholder=everything,
        format_func=lambda v: status_label(v, L),
    )
    categories = common.kept(
        c[1].multiselect,
        t("col.category", L),
        list(CATEGORIES),
        key="lib_f_category",
        by_language=True,
        placeholder=everything,
        format_func=lambda v: category_label(v, L),
    )
    districts = common.kept(
        c[2].multiselect,
        t("col.district", L),
        list(dnames),
        key="lib_f_district",
        by_language=True,
        placeholder=everything,
        format_func=dnames.__getitem__,
    )
    span = year_span(lib)
    years = None
    if span is not None and span[0] < span[1]:
        chosen = _year_range(c[3], t("lib.filter.years", L), span[0], span[1], key="lib_f_years")
        years = None if tuple(chosen) == span else tuple(chosen)
    text = common.kept(
        c[4].text_input,
        t("lib.filter.text", L),
        key="lib_f_text",
        placeholder=t("lib.filter.text.hint", L),
        max_chars=80,
    )
    return {
        "statuses": tuple(statuses),
        "categories": tuple(categories),
        "districts": tuple(districts),
        "years": years,
        "text": text,
    }


def _library_metrics(lib: pd.DataFrame, L: str) -> None:
    budget = pd.to_numeric(lib["budget_wan"], errors="coerce").fillna(0.0)
    c = st.columns(4)
    c[0].metric(t("lib.metric.count", L), f"{len(lib):,}")
    c[1].metric(t("lib.metric.budget", L), f"{budget.sum() / 1e4:,.2f}")
    c[2].metric(t("lib.metric.active", L), f"{(lib['status'] == '实施').sum():,}")
    c[3].metric(t("lib.metric.done", L), f"{(lib['status'] == '完工').sum():,}")


def _selected_project(shown: pd.DataFrame, event) -> str:
    """The project picked by a table row click or the select box (a new row click wins once)."""
    ids = shown["project_id"].tolist()
    rows = list(getattr(getattr(event, "selection", None), "rows", []) or [])
    row_pick = ids[rows[0]] if rows and rows[0] < len(ids) else None
    if row_pick is not None and row_pick != st.session_state.get("_lib_row_applied"):
        st.session_state["lib_pick"] = row_pick
    st.session_state["_lib_row_applied"] = row_pick
    return common.kept_pick("lib_pick", ids)


def _budget_charts(shown: pd.DataFrame, dnames: dict[int, str], L: str) -> None:
    statuses = [status_label(s, L) for s in PROJECT_STATUSES]
    order = {s: i for i, s in enumerate(PROJECT_STATUSES)}
    by_year = budget_by_year(shown)
    by_district = budget_by_district(shown)
    wan = t("ren.unit.wan", L)
    y_title = t("lib.axis.budget", L)

    def chart(data: pd.DataFrame, field: str, title: str | None, horizontal: bool) -> alt.Chart:
        data = data.assign(
            status_text=data["status"].map(lambda s: status_label(s, L)),
            order=data["status"].map(order),
        )
        cat = alt.X if not horizontal else alt.Y
        num = alt.Y if not horizontal else alt.X
        sort = data.groupby(field)["budget_wan"].sum().sort_values(ascending=False).index.tolist()
        return (
            alt.Chart(data)
            .mark_bar()
            .encode(
                cat(
                    f"{field}:O",
                    title=title,
                    sort=sort if horizontal else "ascending",
                    axis=alt.Axis(labelAngle=0),
                ),
                num("budget_wan:Q", title=y_title, axis=alt.Axis(format=",.0f")),
                color=alt.Color(
                    "status_text:N",
                    scale=_status_scale(L),
                    legend=alt.Legend(title=t("col.status", L), orient="bottom"),
                ),
                order=alt.Order("order:Q"),
                tooltip=[
                    alt.Tooltip(f"{field}:O", title=title or t("col.district", L)),
                    alt.Tooltip("status_text:N", title=t("col.status", L)),
                    alt.Tooltip("budget_wan:Q", title=f"{y_title}", format=",.1f"),
                    alt.Tooltip("projects:Q", title=t("lib.metric.count", L)),
                ],
            )
            .properties(height=260)
        )

    def table(pivot: pd.DataFrame, index_title: str, names=None) -> None:
        if pivot.empty:
            return
        out = pivot.rename(columns=dict(zip(PROJECT_STATUSES, statuses)) | {"total": t("lib.total", L)})
        idx = [names.get(int(i), "—") if names is not None else str(i) for i in out.index]
        out.index = pd.Index(idx, name=index_title)
        out = out.map(lambda v: f"{v:,.1f}")
        st.dataframe(out, width="stretch")

    st.markdown(f"**{t('lib.by_year', L, unit=wan)}**")
    if by_year.empty:
        st.caption(t("lib.no_years", L))
    else:
        st.altair_chart(chart(by_year, "year", t("col.year", L), False), width="stretch")
        table(pivot_summary(by_year, "year", PROJECT_STATUSES), t("col.year", L))
    st.caption(t("lib.by_year.note", L))
    st.markdown(f"**{t('lib.by_district', L, unit=wan)}**")
    names = dnames | {-1: t("lib.no_district", L)}
    data = by_district.assign(
        district=by_district["district_adcode"].map(lambda a: names.get(int(a), str(a)))
    )
    st.altair_chart(chart(data, "district", None, True), width="stretch")
    table(pivot_summary(by_district, "district_adcode", PROJECT_STATUSES), t("col.district", L), names)


def _timeline_chart(shown: pd.DataFrame, L: str) -> None:
    st.markdown(f"**{t('lib.timeline', L)}**")
    tl = timeline(shown)
    missing = len(unscheduled(shown))
    if tl.empty:
        st.caption(t("lib.no_years", L))
        return
    tl = tl.assign(
        label=tl["project_id"] + " " + tl["name"].str.slice(0, 18),
        status_text=tl["status"].map(lambda s: status_label(s, L)),
        span=[f"{s}–{e}" if e != s else f"{s}" for s, e in zip(tl["start"], tl["end"])],
    )
    lo, hi = int(tl["start"].min()), int(tl["end_excl"].max())
    chart = (
        alt.Chart(tl)
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X(
                "start:Q",
                title=t("col.year", L),
                scale=alt.Scale(domain=[lo, hi], nice=False),
                axis=alt.Axis(format="d", tickMinStep=1, orient="top"),
            ),
            x2="end_excl:Q",
            y=alt.Y("label:N", sort=tl["label"].tolist(), title=None, axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "status_text:N",
                scale=_status_scale(L),
                legend=alt.Legend(title=t("col.status", L), orient="top"),
            ),
            tooltip=[
                alt.Tooltip("project_id:N", title=t("col.project_id", L)),
                alt.Tooltip("name:N", title=t("col.name", L)),
                alt.Tooltip("status_text:N", title=t("col.status", L)),
                alt.Tooltip("span:N", title=t("lib.col.years", L)),
            ],
        )
        .properties(height=min(20 * len(tl) + 60, 1400))
    )
    st.altair_chart(chart, width="stretch")
    if missing:
        st.caption(t("lib.unscheduled", L, n=missing))


def _history(store, pid: str, L: str) -> None:
    st.markdown(f"**{t('lib.history', L)}**")
    h = store.history(pid)
    st.dataframe(
        pd.DataFrame(
            {
                t("col.time", L): h["ts"].map(local_time).to_numpy(),
                t("col.editor", L): h["editor"].astype(str).to_numpy(),
                t("lib.col.action", L): h["action"].map(lambda a: _label("lib.action", a, L)).to_numpy(),
                t("col.field", L): h["field"].map(lambda f: _field_label(f, L) if f else "—").to_numpy(),
                t("col.old", L): [_value_label(f, v, L) for f, v in zip(h["field"], h["old_value"])],
                t("col.new", L): [_value_label(f, v, L) for f, v in zip(h["field"], h["new_value"])],
                t("col.version", L): h["version"].astype(int).to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _exchange(store, editor: str, L: str, has_projects: bool) -> None:
    """Excel ledger export (built on click, formula-safe) and import."""
    st.subheader(t("lib.exchange", L))
    if has_projects:
        st.download_button(
            t("lib.export", L),
            lambda: xlsx_bytes({"项目台账": formula_safe(store.ledger())}),
            "project_ledger.xlsx",
            XLSX_MIME,
            key="lib_dl_ledger",
            on_click="ignore",
        )
    if not auth.can_edit():
        return
    up = st.file_uploader(t("lib.import", L), type=["xlsx"], key="lib_import")
    if up is not None and editor and st.button(t("lib.import.go", L), key="lib_import_go"):
        try:
            result = store.import_ledger(read_ledger_xlsx(up), editor=editor)
        except LedgerFileError as err:
            st.error(common.md_escape(_one_language(str(err), L)))
            return
        if result["problems"]:  # all or nothing: one refused row means nothing was written
            st.error(t("lib.import_refused", L, p=len(result["problems"])))
        else:
            st.success(
                t("lib.import_done", L, c=result["created"], u=result["updated"], p=len(result["problems"]))
            )
        for p in result["problems"]:
            row, _, rest = p.partition(": ")
            st.caption(
                f"{t('lib.import.row', L, row=row.removeprefix('row '))}: {common.md_escape(_one_language(rest, L))}"
            )


def _library_tab(ws, L: str) -> None:
    store = state.store()
    lib = store.list()
    editor = common.editor()
    if lib.empty:
        st.info(t("lib.empty", L), icon="📋")
        _exchange(store, editor, L, has_projects=False)
        return
    dnames = _district_names(ws, L)
    _library_metrics(lib, L)
    shown = filter_projects(lib, **_library_filters(lib, dnames, L)).reset_index(drop=True)
    st.subheader(t("lib.ledger", L))
    st.caption(t("lib.shown", L, n=len(shown), total=len(lib)))
    if shown.empty:
        st.info(t("lib.none_match", L))
        _exchange(store, editor, L, has_projects=True)
        return
    event = st.dataframe(
        _ledger_view(shown, dnames, L),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 420),
        column_config=_ledger_config(L),
        on_select="rerun",
        selection_mode="single-row",
        key="lib_table",
    )
    pid = _selected_project(shown, event)
    outlines = project_outlines(shown, ws["parcels"])
    left, right = st.columns([1, 1], gap="medium")
    with left:
        st.markdown(f"**{t('lib.map', L)}**")
        mapcache.show(
            mapcache.cached(
                lambda: projects_map(outlines, ws, L, selected=pid, district_names=dnames),
                "projects_map", str(ws.path), id(ws), outlines, pid, sorted(dnames.items()), L,
            ),
            key=f"lib_map_{L}",
            height=520,
            returned_objects=[],
        )  # fmt: skip
        if len(outlines) < len(shown):
            st.caption(t("lib.no_outline", L, n=len(shown) - len(outlines)))
    with right:
        _budget_charts(shown, dnames, L)
    _timeline_chart(shown, L)
    st.subheader(t("lib.edit", L))
    labels = dict(zip(shown["project_id"], shown["project_id"] + " · " + shown["name"].astype(str)))
    pid = common.kept(
        st.selectbox, t("lib.pick", L), list(labels), key="lib_pick", format_func=labels.__getitem__
    )
    _edit_form(store, store.get(pid), editor, L)
    _history(store, pid, L)
    _exchange(store, editor, L, has_projects=True)


def _year(value) -> int | None:
    """A stored year for the form's year inputs; a legacy year outside YEAR_RANGE shows as empty (the page
    says so) instead of breaking the form."""
    if value is None or pd.isna(value) or not YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
        return None
    return int(value)


def _edit_form(store, latest: dict, editor: str, L: str) -> None:
    """Edit the project as this session loaded it; saving names that version, so a stale edit is refused."""
    snap_key = f"lib_snapshot_{latest['project_id']}"
    flash = st.session_state.pop("lib_flash", None)
    if flash:
        st.success(flash)
    proj = st.session_state.setdefault(snap_key, latest)
    st.caption(
        f"{t('col.version', L)} {proj['version']} · {t('lib.col.updated', L)} {local_time(proj['updated_at'])}"
    )
    if proj["version"] != latest["version"]:
        st.warning(t("lib.newer", L, v=latest["version"], who=common.md_escape(latest["updated_by"])))
        if st.button(t("lib.reload", L), key="lib_reload"):
            st.session_state[snap_key] = latest
            st.rerun()
    if not (editor and auth.can_edit()):
        st.info(t("lib.read_only", L), icon=":material/visibility:")
        return
    legacy = [
        f"{t(f'col.{k}', L)} {int(proj[k])}"
        for k in ("start_year", "end_year")
        if proj[k] is not None and not pd.isna(proj[k]) and _year(proj[k]) is None
    ]
    if legacy:
        st.warning(t("lib.legacy_year", L, years="、".join(legacy), lo=YEAR_RANGE[0], hi=YEAR_RANGE[1]))
    with st.form(f"edit_{proj['project_id']}"):
        c = st.columns(3)
        changes = {
            "name": c[0].text_input(t("col.name", L), proj["name"], max_chars=200),
            "category": c[1].selectbox(
                t("col.category", L),
                CATEGORIES,
                index=CATEGORIES.index(proj["category"]) if proj["category"] in CATEGORIES else 0,
                format_func=lambda v: category_label(v, L),
            ),
            "status": c[2].selectbox(
                t("col.status", L),
                PROJECT_STATUSES,
                index=PROJECT_STATUSES.index(proj["status"]),
                format_func=lambda v: status_label(v, L),
            ),
            "decision": c[0].selectbox(
                t("col.decision", L),
                DECISIONS,
                index=DECISIONS.index(proj["decision"]),
                format_func=lambda v: _decision(v, L),
            ),
            "budget_wan": c[1].number_input(
                t("col.budget_wan", L), min_value=0.0, value=float(proj["budget_wan"])
            ),
            "owner_unit": c[2].text_input(t("col.owner_unit", L), proj["owner_unit"], max_chars=200),
            "start_year": c[0].number_input(
                t("col.start_year", L), YEAR_RANGE[0], YEAR_RANGE[1], _year(proj["start_year"]), step=1
            ),
            "end_year": c[1].number_input(
                t("col.end_year", L), YEAR_RANGE[0], YEAR_RANGE[1], _year(proj["end_year"]), step=1
            ),
            "notes": c[2].text_area(t("col.notes", L), proj["notes"], height=68),
        }
        saved = st.form_submit_button(t("lib.save", L), type="primary")
    if saved:
        for k in ("start_year", "end_year"):  # an untouched legacy year stays as stored
            if changes[k] is None and f"{t(f'col.{k}', L)} " in " ".join(legacy):
                changes.pop(k)
        try:
            new = store.update(proj["project_id"], changes, expected_version=proj["version"], editor=editor)
        except ConflictError:
            now = store.get(proj["project_id"])
            st.error(
                t(
                    "lib.conflict",
                    L,
                    who=common.md_escape(now["updated_by"]),
                    when=local_time(now["updated_at"]),
                )
            )
        except ProjectError as err:
            _show_problem(err, L)
        else:
            st.session_state[snap_key] = new
            st.session_state["lib_flash"] = t("lib.saved", L, v=new["version"])
            st.rerun()
    undo_label = t("lib.admin_undo", L) if auth.is_admin() else t("lib.undo", L)
    if st.button(undo_label, key="lib_undo", help=t("lib.undo.help", L)):
        undone = store.undo_last(editor=editor, project_id=proj["project_id"], admin=auth.is_admin())
        st.session_state["lib_flash"] = t("lib.undone", L) if undone else t("lib.nothing_to_undo", L)
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
    if workspace_panel.needs_data(ws, "screening", L):
        return
    crit = state.criteria(str(ws.path))
    # only the open tab runs (a click on another reruns the page with it open)
    tab, box = common.open_tab(
        {
            "parcels": t("ren.tab.parcels", L),
            "screen": t("ren.tab.screen", L),
            "library": t("ren.tab.library", L),
        },
        key="ren_tab",
    )
    with box:
        if tab == "screen":
            _screen_tab(ws, crit, L)
        elif tab == "library":
            _library_tab(ws, L)
        else:
            _parcels_tab(ws, crit, L)
