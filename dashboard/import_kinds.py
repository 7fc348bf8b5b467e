"""The import page's new kinds: population (raster, 七普 table, building footprints), streets, 社区/街道 polygons.

Called by :mod:`dashboard.import_page` (not a page of its own): a kind selector, then for a new kind its own
upload, the same options as ``cli.py import --as …`` (elderly share, household size, replace …), a check table
(totals, what was left out and why, unmatched names) and the confirm button. The work is done by
:mod:`geodata.importing.population` and :mod:`geodata.importing.kinds`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import common
from geodata.errors import DataValidationError
from geodata.importing import max_upload_bytes, read_any
from geodata.importing.kinds import KIND_LAYERS, areas_from, commit_layer, relocate_cells, store_kind_upload
from geodata.importing.kinds import streets_from as _streets_from
from geodata.importing.population import RASTER_SUFFIXES, TABLE_SUFFIXES, population_from
from i18n import t, t_or

KINDS = ("layers", "population", "streets", "communities", "subdistricts")
_TYPES = {
    "population": ["tif", "tiff", "csv", "xlsx", "gpkg", "zip", "geojson", "json"],
    "streets": ["gpkg", "zip", "geojson", "json", "kml", "csv", "xlsx"],
    "communities": ["gpkg", "zip", "geojson", "json", "kml"],
    "subdistricts": ["gpkg", "zip", "geojson", "json", "kml"],
}


def kind_selector(L: str) -> str:
    """The 导入内容 radio: ``"layers"`` keeps the page's own flow (facilities, neighbourhoods, parcels)."""
    return common.kept(
        st.radio,
        t("ik.kind", L),
        list(KINDS),
        horizontal=True,
        key="ik_kind",
        by_language=True,
        format_func=lambda k: t(f"ik.kind.{k}", L),
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _population(path: str, name: str, ws_path: str, mtime: float, opts: tuple):
    share, level, household, area, dshare = opts
    return population_from(
        path,
        common.workspace(ws_path).layers,
        lambda: read_any(path, source=name).gdf,
        name=name,
        elderly_share=share,
        level=level,
        household_size=household,
        dwelling_area_m2=area,
        dwelling_share=dshare,
    )


def _population_options(name: str, L: str) -> tuple | None:
    c1, c2 = st.columns(2)
    share = None
    if c1.checkbox(t("ik.elderly_on", L), key="ik_elderly_on"):
        share = c1.number_input(t("ik.elderly_share", L), 0.0, 1.0, 0.2, 0.01, key="ik_elderly_share")
    suffix = Path(name).suffix.lower()
    level = household = area = None
    dshare = 1.0
    if suffix in TABLE_SUFFIXES:
        levels = ["auto", "community", "subdistrict"]
        level = common.kept(
            c2.selectbox,
            t("ik.level", L),
            levels,
            key="ik_level",
            by_language=True,
            format_func=lambda v: t(f"ik.level.{v}", L),
        )
        level = None if level == "auto" else level
    elif suffix not in RASTER_SUFFIXES:
        household = c2.number_input(t("ik.household_size", L), 0.5, 10.0, None, 0.01, key="ik_household")
        area = c2.number_input(t("ik.dwelling_area", L), 10.0, 1000.0, None, 1.0, key="ik_dwelling_area")
        dshare = c2.number_input(t("ik.dwelling_share", L), 0.01, 1.0, 1.0, 0.05, key="ik_dwelling_share")
        if household is None or area is None:
            st.info(t("ik.need_assumptions", L))
            return None
    return share, level, household, area, dshare


def _population_check(result, L: str) -> bool:
    """Show totals, what was left out and unmatched names; True when the import may go ahead."""
    st.subheader(t("ik.result", L))
    m1, m2, m3 = st.columns(3)
    m1.metric(t("ik.metric.source", L), t(f"ik.source.{result.source}", L))
    m2.metric(t("ik.metric.cells", L), f"{len(result.cells):,}")
    m3.metric(t("ik.metric.total", L), f"{result.total:,.0f}")
    st.caption(t(f"ik.method.{result.source}", L))
    if "elderly_60" in result.cells.columns:
        st.caption(t("ik.elderly.column", L))
    elif result.cells["elderly"].sum() > 0:
        share = result.cells["elderly"].sum() / max(result.total, 1e-9)
        st.caption(t("ik.elderly.share", L, share=f"{share:.2f}"))
    else:
        st.caption(t("ik.elderly.none", L))
    dropped = [(t_or(f"ik.dropped.{k}", k, L), n) for k, n in result.dropped.items() if n]
    if dropped:
        st.markdown(f"**{t('ik.dropped', L)}**")
        frame = pd.DataFrame(dropped, columns=[t("ik.dropped.reason", L), t("ik.dropped.count", L)])
        st.dataframe(frame, hide_index=True, width="content")
    for kind, rows in (("unmatched", result.unmatched), ("ambiguous", result.ambiguous)):
        if rows:
            st.markdown(f"**{t(f'ik.{kind}', L, n=len(rows))}**")
            st.dataframe(
                pd.DataFrame({t("ik.col.name", L): rows}), hide_index=True, width="content", height=200
            )
    if result.unmatched or result.ambiguous:
        n = len(result.unmatched) + len(result.ambiguous)
        drop = st.checkbox(t("ik.drop_unmatched", L), key="ik_drop_unmatched")
        if not drop:
            st.warning(t("ik.unmatched_block", L, n=n))
        return drop
    return True


def _vector(kind: str, path: str, name: str, ws, L: str):
    crs = st.text_input(t("ik.crs", L), "", key="ik_crs").strip()
    read = read_any(path, source=name)
    gdf = read.gdf.set_crs(crs, allow_override=True) if crs else read.gdf
    if gdf.crs is None:
        st.warning(t("ik.no_crs", L))
        return None
    if kind == "streets":
        out, notes = _streets_from(gdf, name)
    else:
        out, notes = areas_from(gdf, kind, ws.layers["districts"], ws.layers.get("subdistricts"), name=name)
    st.subheader(t("ik.result", L))
    st.metric(t("ik.metric.features", L), f"{len(out):,}")
    for note in notes:  # "中文 / English" notes naming the user's columns: escaped
        st.caption(common.md_escape(common.one_language(note, L)))
    return out


def render_kind(kind: str, L: str) -> None:
    """Upload, options, check table and confirm for one new kind (the caller checked edit rights)."""
    st.caption(t(f"ik.help.{kind}", L))
    up = st.file_uploader(
        t("ik.upload", L, mb=max_upload_bytes() // (1024 * 1024)), type=_TYPES[kind], key=f"ik_file_{kind}"
    )
    ws = common.workspace_or_none()
    if up is None or ws is None:
        return
    layer = KIND_LAYERS[kind]
    also = {}
    try:
        path = str(store_kind_upload(up.name, up.getvalue()))
        if kind == "population":
            opts = _population_options(up.name, L)
            if opts is None:
                return
            result = _population(path, up.name, str(ws.path), ws.path.stat().st_mtime, opts)
            ok = _population_check(result, L)
            gdf = result.cells
        else:
            gdf = _vector(kind, path, up.name, ws, L)
            if gdf is None:
                return
            ok = True
            if kind == "communities":
                cells = relocate_cells(ws.layers, gdf)
                also = {"population_cells": cells} if cells is not None else {}
    except (DataValidationError, ValueError) as err:
        _error(err, L)
        return
    existing = len(ws.layers.get(layer, []))
    replace = False
    if existing:
        replace = st.checkbox(
            t("ik.replace", L, n=f"{existing:,}", layer=t_or(f"wslayer.{layer}", layer, L)), key="ik_replace"
        )
        if not replace:
            st.info(t("ik.replace_needed", L))
    if st.button(
        t("ik.confirm", L), type="primary", key="ik_confirm", disabled=not ok or (existing and not replace)
    ):
        try:
            commit_layer(gdf, layer, workspace=ws.path, replace=replace, also=also)
        except (DataValidationError, ValueError) as err:
            _error(err, L)
            return
        st.cache_resource.clear()
        st.cache_data.clear()
        if kind == "population":
            st.success(t("ik.done_population", L, n=f"{len(gdf):,}", total=f"{gdf['population'].sum():,.0f}"))
        else:
            st.success(t("ik.done", L, n=f"{len(gdf):,}", layer=t_or(f"wslayer.{layer}", layer, L)))


def _error(err: Exception, L: str) -> None:
    st.error(t("ik.error", L))
    if isinstance(err, DataValidationError):
        st.dataframe(common.problem_frame(err.problems, L), hide_index=True, width="stretch")
    else:  # our ValueErrors read "中文 / English": show the reader's half
        st.markdown(common.md_escape(common.one_language(err, L)))
