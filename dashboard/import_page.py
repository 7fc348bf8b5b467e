"""数据导入 page: read a user's file, confirm CRS/datum, map fields, see the validation report, import atomically."""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from cartography import mapkit
from cartography.geojson import display_geojson, tooltip
from dashboard import auth, common, import_amap, import_kinds
from dashboard.import_read import choose_layer_or_sheet, show_bad_rows
from dashboard.workspace_panel import import_allowed, render_workspace_panel
from geodata.errors import DataValidationError
from geodata.importing import (
    MATCH_TOLERANCE_M,
    TARGETS,
    apply_datum,
    attach_areas,
    commit_import,
    conform,
    load_saved_mapping,
    map_categories,
    max_upload_bytes,
    read_any,
    repair,
    save_mapping,
    store_upload,
    suggest_mapping,
    validation_report,
)
from geodata.schema import LAYERS
from i18n import t, t_or
from i18n.problems import problem_text
from reports.tables import layer_bytes

PREVIEW_MAX = 2000


@st.cache_data(show_spinner=False, max_entries=4)
def _read(path: str, layer: str | None, source: str, sheet: str | None = None):
    return read_any(path, layer=layer, sheet=sheet, source=source, max_bytes=max_upload_bytes())


def _crs_and_datum(result, L: str):
    options = result.crs_candidates or ([result.gdf.crs.to_string()] if result.gdf.crs is not None else [])
    c1, c2 = st.columns(2)
    choice = c1.selectbox(
        t("imp.crs", L),
        [*options, "other"],
        key="imp_crs",
        format_func=lambda v: t("imp.crs_other", L) if v == "other" else v,
    )
    if choice == "other":
        choice = c1.text_input(t("imp.crs_other", L), "EPSG:4548", key="imp_crs_other")
    datums = ["wgs84", "gcj02", "bd09"]
    datum = c2.radio(
        t("imp.datum", L),
        datums,
        index=datums.index(result.datum_hint or "wgs84"),
        key=f"imp_datum@{L}",
        format_func=lambda d: t(f"datum.{d}", L),
    )
    if result.datum_hint:
        c2.caption(t("imp.datum_hint", L, d=result.datum_hint.upper()))
    gdf = result.gdf.set_crs(choice, allow_override=True) if choice else result.gdf
    return apply_datum(gdf, datum) if datum != "wgs84" else gdf


def _preview(gdf, L: str, skip=()) -> None:
    st.subheader(t("imp.preview", L))
    left, right = st.columns([3, 2])
    shown = gdf.head(PREVIEW_MAX)
    with left:
        m = mapkit.base_map()
        fits = ~pd.Series(range(len(shown)), index=shown.index).isin(list(skip))  # skip: positional rows
        ok = shown[shown.geometry.notna() & ~shown.geometry.is_empty & fits]
        if len(ok):
            # user column names never reach the map as field names: safe ids, escaped names as aliases
            user_cols = [c for c in ok.columns if c != ok.geometry.name][:3]
            safe = tuple(f"c{i}" for i in range(len(user_cols)))
            frame = ok[[*user_cols, ok.geometry.name]].to_crs("EPSG:4326")
            frame.columns = [*safe, "geometry"]
            frame = frame.set_geometry("geometry").astype({c: str for c in safe})
            data = display_geojson(frame, columns=safe)
            folium.GeoJson(
                data,
                marker=folium.CircleMarker(radius=5, color="#d7191c", fill=True),
                tooltip=tooltip(safe, [str(c) for c in user_cols]) if safe else None,
            ).add_to(m)
            minx, miny, maxx, maxy = ok.to_crs("EPSG:4326").total_bounds
            m.fit_bounds([[miny, minx], [maxy, maxx]])
        st_folium(
            mapkit.finalize(m), key="imp_map", height=380, use_container_width=True, returned_objects=[]
        )
    with right:
        st.dataframe(
            pd.DataFrame(shown.drop(columns=shown.geometry.name)).fillna("").astype(str),
            height=380,
            width="stretch",
        )


def _mapping(gdf, target: str, L: str, poi=None):
    schema = LAYERS[TARGETS[target]]
    suggested = suggest_mapping(gdf.columns, schema)
    user_cols = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    st.subheader(t("imp.columns", L))
    cols = st.columns(3)
    columns, defaults = {}, {}
    auto = {"district_adcode", "community_id", "capacity", schema.key}
    for i, col in enumerate(c for c in schema.columns if c not in auto or suggested.get(c)):
        opts = [None, *user_cols]
        pick = cols[i % 3].selectbox(
            f"{t('field.' + col, L)}（{t('fieldkind.' + schema.columns[col], L)}）"
            if L == "zh"
            else f"{t('field.' + col, L)} ({t('fieldkind.' + schema.columns[col], L)})",
            opts,
            key=f"imp_col_{target}_{col}",
            index=opts.index(suggested.get(col)) if suggested.get(col) in opts else 0,
            format_func=lambda v: t("imp.unmapped", L) if v is None else v,
        )
        columns[col] = pick
        if pick is None and schema.columns[col] in ("int", "float") and col not in auto:
            defaults[col] = cols[i % 3].number_input(
                t("imp.default", L, col=t("field." + col, L)), value=0.0, key=f"imp_def_{col}"
            )
    optional = {c: suggested[c] for c in schema.optional if suggested.get(c)}  # e.g. 七普 age groups
    if optional:
        columns |= optional
        st.caption(
            t(
                "eq.imp_optional",
                L,
                cols="、".join(f"{u} → {t('field.' + c, L)}" for c, u in optional.items()),
            )
        )
    categories = None
    if target == "facilities" and columns.get("type") and poi is None:  # POIs: typed by their typecodes
        cat = common.catalogue()
        categories = map_categories(gdf[columns["type"]], cat) | load_saved_mapping()
        st.subheader(t("imp.categories", L))
        keys = [None, *cat.types]
        c = st.columns(3)
        for i, value in enumerate(sorted(set(gdf[columns["type"]].astype(str)))[:30]):
            categories[value] = c[i % 3].selectbox(
                common.md_escape(value),  # a widget label is markdown: a value must not pull an image
                keys,
                key=f"imp_cat_{value}",
                index=keys.index(categories.get(value)) if categories.get(value) in keys else 0,
                format_func=lambda k: t("imp.unmapped", L) if k is None else cat.types[k].name(L),
            )
    return columns, categories, defaults


def _report_and_commit(conformed, target: str, categories, L: str, bad_rows: dict | None = None) -> None:
    problems = validation_report(conformed, target, bad_rows=bad_rows)  # swapped / stray rows by name
    st.subheader(t("imp.report", L))
    if problems:
        st.warning(t("imp.n_problems", L, n=len(problems)))
        st.dataframe(
            common.problem_frame(problems, L),
            hide_index=True,
            width="stretch",
            height=240,
        )
        action = st.radio(
            t("imp.action", L),
            ["repair", "drop", "cancel"],
            key=f"imp_action@{L}",
            format_func=lambda a: t(f"action.{a}", L),
        )
    else:
        st.success(t("imp.no_problems", L))
        action = "none"
    if st.button(t("imp.confirm", L), type="primary", key="imp_confirm"):
        if action == "cancel":
            st.info(t("imp.cancelled", L))
            return
        data = (
            repair(conformed, problems, action, target=target, bad_rows=bad_rows) if problems else conformed
        )
        try:
            done = commit_import(data, target, workspace=common.workspace_in_use())
        except DataValidationError as err:  # before ValueError: it is one
            st.error(t("imp.still", L))
            st.dataframe(common.problem_frame(err.problems, L), hide_index=True, width="stretch")
            return
        except ValueError as err:  # e.g. the synthetic demo workspace
            st.error(common.md_escape(err))
            return
        if categories:
            save_mapping({k: v for k, v in categories.items() if v})
        st.cache_resource.clear()
        st.cache_data.clear()
        layer = t_or(f"wslayer.{TARGETS[target]}", TARGETS[target], L)
        st.success(t("imp.done", L, n=len(data), layer=layer, path=done.path))
        counts = t(
            "amap.counts",
            L,
            created=done.created,
            updated=done.updated,
            unchanged=done.unchanged,
            tol=MATCH_TOLERANCE_M,
        )
        dropped = len(conformed) - len(data)
        st.info(counts + (" " + t("amap.dropped", L, n=dropped) if dropped else ""))


@st.cache_data(show_spinner=False, max_entries=8)
def _export_bytes(ws_path: str, layer: str, fmt: str):
    return layer_bytes(common.workspace(ws_path)[layer], fmt, layer=layer)


def _export_panel(L: str) -> None:
    ws = common.workspace_or_none()
    if ws is None:
        return
    with st.expander(t("imp.export", L)):
        c1, c2 = st.columns(2)
        layer = common.kept(
            c1.selectbox,
            t("imp.layer", L),
            list(ws.layers),
            key="exp_layer",
            by_language=True,
            format_func=lambda n: t_or(f"wslayer.{n}", n, L),
        )
        fmt = c2.radio(
            t("imp.format", L),
            ["gpkg", "geojson", "shp", "xlsx"],
            horizontal=True,
            key="exp_fmt",
            format_func=lambda f: {"shp": "Shapefile (zip)"}.get(f, f.upper()),
        )
        name = {"gpkg": f"{layer}.gpkg", "geojson": f"{layer}.geojson", "shp": f"{layer}.zip"}.get(
            fmt, f"{layer}.xlsx"
        )
        st.download_button(
            t("imp.download", L, name=name),
            lambda: _export_bytes(str(ws.path), layer, fmt)[0],
            name,
            key="exp_download",
            on_click="ignore",
        )


def render_import() -> None:
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("imp.title", L))
    st.caption(t("imp.caption", L))
    render_workspace_panel(L)
    _export_panel(L)
    if not auth.can_edit():
        st.info(t("imp.read_only", L), icon=":material/visibility:")
        return
    if not import_allowed(L):
        return
    kind = import_kinds.kind_selector(L)
    if kind != "layers":  # population, streets, 社区/街道 (dashboard/import_kinds.py)
        import_kinds.render_kind(kind, L)
        return
    up = st.file_uploader(
        t("imp.upload", L, mb=max_upload_bytes() // (1024 * 1024)),
        type=["gpkg", "zip", "geojson", "json", "kml", "dxf", "csv", "txt", "xlsx", "xls"],
        key="imp_file",
    )
    if up is None:
        return
    try:
        path = str(store_upload(up.name, up.getvalue(), max_bytes=max_upload_bytes()))
        poi = import_amap.read(path, up.name)  # an AMap / Baidu POI export, recognised by its columns
        result = poi.result if poi is not None else _read(path, None, up.name)
        if poi is None:
            result = choose_layer_or_sheet(result, lambda layer, sheet: _read(path, layer, up.name, sheet), L)
    except DataValidationError as err:
        st.error(t("imp.read_error", L))
        st.dataframe(common.problem_frame(err.problems, L), hide_index=True, width="stretch")
        return
    st.subheader(t("imp.info", L))
    notes = [t("imp.features", L, source=result.source, n=f"{len(result.gdf):,}")]
    notes += [problem_text(n, L) for n in result.notes]
    st.markdown("\n".join(f"- {common.md_escape(n)}" for n in notes))
    show_bad_rows(result, L)
    gdf = _crs_and_datum(result, L)
    if poi is not None:
        import_amap.recognised(poi, st.session_state.get(f"imp_datum@{L}", poi.datum), L)
    _preview(gdf, L, skip=result.bad_rows)  # rows that do not fit the others would zoom the map to the globe
    target = st.radio(
        t("imp.target", L),
        list(TARGETS),
        horizontal=True,
        key=f"imp_target@{L}",
        format_func=lambda v: t(f"target.{v}", L),
    )
    if poi is not None and target == "facilities":
        gdf = import_amap.typed(gdf, poi, L)
    columns, categories, defaults = _mapping(gdf, target, L, poi=poi if target == "facilities" else None)
    conformed = conform(gdf, target, columns, categories=categories, defaults=defaults)
    ws = common.workspace_or_none()
    conformed = attach_areas(conformed, target, ws.layers if ws is not None else {})
    _report_and_commit(conformed, target, categories, L, bad_rows=result.bad_rows)
