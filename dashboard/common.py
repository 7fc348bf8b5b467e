"""Shared page furniture: cached loaders, the sidebar (language, basemap) and the demo-data badge."""

from __future__ import annotations

import streamlit as st

from geodata import settings
from geodata.boundaries import load_boundaries
from geodata.catalogue import load_catalogue
from geodata.errors import DataValidationError
from geodata.workspace import load_workspace, workspace_path
from i18n import t


def lang() -> str:
    """Current UI language ("zh" or "en")."""
    return st.session_state.get("lang", settings.default_language())


@st.cache_resource(show_spinner=False)
def boundaries():
    return load_boundaries()


@st.cache_resource(show_spinner=False)
def workspace(path: str):
    return load_workspace(path)


@st.cache_resource(show_spinner=False)
def catalogue():
    return load_catalogue()


def show_validation_error(err: DataValidationError, key: str) -> None:
    """Explain a data problem in the page (never a traceback)."""
    L = lang()
    st.error(t(key, L) + f" {err.source}")
    st.code("\n".join(str(p) for p in err.problems), language=None)


def load_or_explain():
    """(boundaries, workspace) or ``None`` after explaining what is wrong with the data."""
    try:
        bnd = boundaries()
    except DataValidationError as err:
        show_validation_error(err, "error.boundaries")
        return None
    try:
        ws = workspace(str(workspace_path()))
    except DataValidationError as err:
        show_validation_error(err, "error.workspace")
        return None
    return bnd, ws


def workspace_or_none():
    """The workspace when it loads, else None (pages that can work without it)."""
    try:
        return workspace(str(workspace_path()))
    except DataValidationError:
        return None


def sidebar() -> dict:
    """Language and basemap controls; returns the map settings of this run."""
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            ["zh", "en"],
            key="lang",
            horizontal=True,
            format_func=lambda v: "中文" if v == "zh" else "English",
            index=0 if settings.default_language() == "zh" else 1,
        )
        L = lang()
        with st.expander(t("sidebar.settings", L)):
            basemap = st.selectbox(
                t("sidebar.basemap", L),
                settings.BASEMAPS,
                key="basemap",
                index=settings.BASEMAPS.index(settings.default_basemap()),
                format_func=lambda v: t(f"basemap.{v}", L),
                help=t("sidebar.basemap.help", L),
            )
            key = settings.tianditu_key()
            if basemap == "tianditu":
                key = st.text_input(t("sidebar.tianditu_key", L), value=key, type="password") or key
                if not key:
                    st.warning(t("sidebar.tianditu_missing", L))
                    basemap = "none"
            st.caption(f"{t('sidebar.workspace', L)}: `{workspace_path().name}`")
        st.text_input(t("sidebar.editor", L), key="editor_name")
    return {"lang": L, "basemap": basemap, "tianditu_key": key}


def demo_badge(ws) -> None:
    """The demo-data label, shown on every page that displays the demo workspace."""
    if ws.synthetic:
        st.info(t("demo.badge", lang()), icon="ℹ️")
