"""The city workspace: the sidebar line (which workspace, demo or local), and on the import page the switch,
the completeness panel (what each analysis still needs) and 新建城市工作空间 (a bundled prefecture/county or the
planner's own boundary file)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import auth, common
from geodata.errors import DataValidationError
from geodata.paths import DEMO_GPKG, data_dir
from geodata.workspace import read_metadata
from geodata.workspace_new import completeness, districts_for_adcode, districts_from_polygons, new_workspace
from i18n import t


@st.cache_data(show_spinner=False, max_entries=32)
def _metadata(path: str, mtime: float) -> dict[str, str]:
    try:
        return read_metadata(Path(path))
    except Exception:  # noqa: BLE001 - an unreadable file has no name to show; the pages explain the rest
        return {}


def _info(path: Path) -> tuple[str, bool]:
    """(name, synthetic) of a workspace file: the metadata's city name, else the file name."""
    try:
        meta = _metadata(str(path), path.stat().st_mtime)
    except OSError:
        meta = {}
    return meta.get("city") or path.stem, meta.get("synthetic", "false").lower() == "true"


def workspaces_dir() -> Path:
    """Where workspaces created in the app are saved: ``<data dir>/workspaces``."""
    folder = data_dir() / "workspaces"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def known_workspaces(current: Path) -> list[Path]:
    """The workspace in use, the bundled demo, ``<data dir>/workspace.gpkg`` and every created workspace."""
    found = [current, DEMO_GPKG, data_dir() / "workspace.gpkg", *sorted(workspaces_dir().glob("*.gpkg"))]
    out: list[Path] = []
    for p in found:
        if p.exists() and p.resolve() not in {q.resolve() for q in out}:
            out.append(p)
    return out


def use_workspace(path: Path) -> None:
    """Switch this session to ``path`` (kept in session state: it survives page changes)."""
    st.session_state[common.WORKSPACE_KEY] = str(path)
    for key in ("cov_scenario_sites",):  # what-if sites belong to the previous city
        st.session_state.pop(key, None)


def workspace_sidebar(L: str) -> None:
    """The sidebar line: which workspace the app is on (name, 示例数据 or 本地数据, path)."""
    path = common.workspace_in_use()
    name, synthetic = _info(path)
    kind = t("ws.kind.demo" if synthetic else "ws.kind.local", L)
    with st.sidebar:
        st.caption(
            f"{t('ws.sidebar', L)}: **{common.md_escape(name)}** · {kind}  \n`{str(path).replace('`', '')}`"
        )


def import_allowed(L: str) -> bool:
    """False (with a message) when the workspace in use is the synthetic demo: real rows never mix in."""
    _, synthetic = _info(common.workspace_in_use())
    if synthetic:
        st.warning(t("ws.demo_no_import", L), icon=":material/block:")
    return not synthetic


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name.strip()).strip("_.")
    return stem[:60] or "city"


def _switch(current: Path, L: str) -> None:
    options = known_workspaces(current)
    labels = {
        str(p): f"{_info(p)[0]} · {t('ws.kind.demo' if _info(p)[1] else 'ws.kind.local', L)} ({p.name})"
        for p in options
    }
    c1, c2 = st.columns([4, 1])
    pick = c1.selectbox(
        t("ws.switch", L),
        [str(p) for p in options],
        index=0,
        key=f"ws_switch:{current}:{L}",  # option labels are translated: one widget per language
        format_func=labels.get,
    )
    c2.write("")
    if c2.button(t("ws.switch.button", L), key="ws_switch_go") and pick != str(current):
        use_workspace(Path(pick))
        st.rerun()


def completeness_frame(layers, L: str) -> pd.DataFrame:
    """One row per analysis: status and what it still needs, in the planner's language."""
    sep = "、" if L == "zh" else ", "
    rows = completeness(layers)
    return pd.DataFrame(
        {
            t("ws.complete.analysis", L): [t(f"ws.analysis.{r.analysis}", L) for r in rows],
            t("ws.complete.status", L): [
                ("✓ " + t("ws.complete.ready", L)) if r.ready else ("⚠ " + t("ws.complete.missing", L))
                for r in rows
            ],
            t("ws.complete.needs", L): [sep.join(t(f"ws.need.{m}", L) for m in r.missing) for r in rows],
        }
    )


def _new_form(L: str) -> None:
    st.markdown(f"**{t('ws.new.title', L)}**")
    source = st.radio(
        t("ws.new.source", L),
        ["bundled", "file"],
        horizontal=True,
        key="ws_new_source",
        format_func=lambda v: t(f"ws.new.source.{v}", L),
    )
    districts = None
    default_name = ""
    origin = ""
    if source == "bundled":
        b = common.boundaries()
        places = [(int(r.adcode), r.name_zh, r.name_en, "") for r in b.prefectures.itertuples()]
        places += [
            (int(r.adcode), r.name_zh, r.name_en, b.prefecture_name(r.prefecture_adcode, L))
            for r in b.counties.itertuples()
        ]
        names = {p[0]: (p[1] if L == "zh" else p[2]) + (f"（{p[3]}）" if p[3] else "") for p in places}
        code = st.selectbox(
            t("ws.new.place", L),
            sorted(names),
            key="ws_new_place",
            format_func=lambda c: f"{c} {names[c]}",
        )
        districts, default_name = districts_for_adcode(code, b)
        origin = f"adcode:{code}"
    else:
        up = st.file_uploader(
            t("ws.new.file", L), type=["gpkg", "zip", "geojson", "json", "kml"], key="ws_new_file"
        )
        if up is None:
            return
        from geodata.importing import read_any, store_upload

        try:
            gdf = read_any(store_upload(up.name, up.getvalue()), source=up.name).gdf
        except DataValidationError as err:
            st.error(t("ws.new.error", L, msg=""))
            st.dataframe(common.problem_frame(err.problems, L), hide_index=True, width="stretch")
            return
        cols = [str(c) for c in gdf.columns if c != gdf.geometry.name]
        c1, c2 = st.columns(2)
        name_col = c1.selectbox(t("ws.new.name_col", L), cols, key="ws_new_name_col")
        code_col = c2.selectbox(
            t("ws.new.code_col", L),
            [None, *cols],
            key="ws_new_code_col",
            format_func=lambda v: t("ws.new.no_code", L) if v is None else v,
        )
        try:
            districts = districts_from_polygons(gdf, name_col, code_col)
        except ValueError as err:
            st.error(t("ws.new.error", L, msg=common.md_escape(err)))
            return
        default_name, origin = Path(up.name).stem, f"file:{up.name}"
    name = st.text_input(t("ws.new.name", L), value=default_name, key=f"ws_new_name:{origin}", max_chars=60)
    if st.button(t("ws.new.create", L), type="primary", key="ws_new_create"):
        if not name.strip():
            st.error(t("ws.new.name_missing", L))
            return
        out = workspaces_dir() / f"{_safe_stem(name)}.gpkg"
        if out.exists():
            st.error(t("ws.new.exists", L, path=common.md_escape(out)))
            return
        try:
            new_workspace(out, districts, name=name.strip(), source=origin, created_by=common.editor())
        except ValueError as err:
            st.error(t("ws.new.error", L, msg=common.md_escape(err)))
            return
        use_workspace(out)
        st.session_state["ws_new_done"] = t("ws.new.done", L, name=common.md_escape(name), n=len(districts))
        st.rerun()


def render_workspace_panel(L: str) -> None:
    """The city-workspace section of the import page: in use, switch, completeness, new workspace."""
    st.subheader(t("ws.panel.title", L))
    done = st.session_state.pop("ws_new_done", None)
    if done:
        st.success(done)
    current = common.workspace_in_use()
    name, synthetic = _info(current)
    kind = t("ws.kind.demo" if synthetic else "ws.kind.local", L)
    st.markdown(t("ws.current", L, name=common.md_escape(name), kind=kind))
    st.caption(t("ws.path", L, path=common.md_escape(current)))
    _switch(current, L)
    ws = common.workspace_or_none()
    if ws is not None:
        st.markdown(f"**{t('ws.complete.title', L)}**")
        st.dataframe(completeness_frame(ws.layers, L), hide_index=True, width="stretch")
    if auth.can_edit():
        with st.expander(t("ws.new.title", L), expanded=synthetic):
            _new_form(L)


def needs_data(ws, analysis: str, L: str) -> bool:
    """True (after saying what is missing and where to add it) when ``ws`` lacks what ``analysis`` needs
    (a key of :data:`geodata.workspace_new.NEEDS`); pages then stop instead of failing on empty layers."""
    missing = next(r.missing for r in completeness(ws.layers) if r.analysis == analysis)
    if missing:
        sep = "、" if L == "zh" else ", "
        st.warning(
            t(
                "ws.page_needs",
                L,
                analysis=t(f"ws.analysis.{analysis}", L),
                needs=sep.join(t(f"ws.need.{m}", L) for m in missing),
            ),
            icon=":material/dataset:",
        )
    return bool(missing)
