"""Shared page furniture: cached loaders, the sidebar (language, basemap) and the demo-data badge."""

from __future__ import annotations

import functools
import logging
import uuid

import streamlit as st

from geodata import settings
from geodata.boundaries import load_boundaries
from geodata.catalogue import load_catalogue
from geodata.errors import DataValidationError
from geodata.workspace import load_workspace, workspace_path
from i18n import t, t_or
from i18n.problems import problem_text


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


def problem_frame(problems, L: str):
    """Data problems as a table in the planner's language (layer, row, field, problem, hint)."""
    import pandas as pd

    return pd.DataFrame(
        {
            t("imp.col.layer", L): [t_or(f"wslayer.{p.layer}", str(p.layer or ""), L) for p in problems],
            t("imp.col.row", L): ["" if p.row is None else str(p.row) for p in problems],
            t("imp.col.field", L): [t_or(f"field.{p.field}", str(p.field or ""), L) for p in problems],
            t("imp.col.problem", L): [problem_text(p.problem, L) for p in problems],
            t("imp.col.hint", L): [problem_text(p.hint, L) for p in problems],
        }
    )


def show_validation_error(err: DataValidationError, key: str) -> None:
    """Explain a data problem in the page (never a traceback): every problem, in the planner's language."""
    L = lang()
    st.error(t(key, L) + f" {err.source}")
    st.dataframe(problem_frame(err.problems, L), hide_index=True, width="stretch")


#: session key of the workspace chosen in the app (a plain key, not a widget's: it survives page changes)
WORKSPACE_KEY = "ws_path"
_seen_mtime: dict[str, float] = {}


def workspace_in_use():
    """The workspace GeoPackage this session works on: the one chosen on the import page, else
    :func:`geodata.workspace.workspace_path`. A file changed since it was cached (e.g. an import from the
    CLI) empties the caches, so every page shows the new rows."""
    from pathlib import Path

    chosen = st.session_state.get(WORKSPACE_KEY)
    path = Path(chosen) if chosen and Path(chosen).exists() else workspace_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return path
    if _seen_mtime.setdefault(str(path), mtime) != mtime:
        _seen_mtime[str(path)] = mtime
        st.cache_resource.clear()
        st.cache_data.clear()
    return path


def load_or_explain():
    """(boundaries, workspace) or ``None`` after explaining what is wrong with the data."""
    try:
        bnd = boundaries()
    except DataValidationError as err:
        show_validation_error(err, "error.boundaries")
        return None
    try:
        ws = workspace(str(workspace_in_use()))
    except DataValidationError as err:
        show_validation_error(err, "error.workspace")
        return None
    return bnd, ws


def workspace_or_none():
    """The workspace when it loads, else None (pages that can work without it)."""
    try:
        return workspace(str(workspace_in_use()))
    except DataValidationError:
        return None


def shell_sidebar() -> None:
    """The sidebar controls that must survive every page change (called by app.py on every run).

    Language, the signed-in planner and basemap are created here, in the shell, so Streamlit keeps their state when
    the page changes (a widget created inside a page is forgotten on the next page).
    """
    st.session_state.setdefault("lang", settings.default_language())
    st.session_state.setdefault("basemap", settings.default_basemap())
    _translate_streamlit_chrome(lang())
    with st.sidebar:
        st.radio(
            t("sidebar.language"),
            ["zh", "en"],
            key="lang",
            horizontal=True,
            format_func=lambda v: "中文" if v == "zh" else "English",
        )
        L = lang()
        from dashboard import auth  # auth uses md_escape from here

        auth.identity_sidebar(L)
        with st.expander(t("sidebar.settings", L)):
            basemap = st.selectbox(
                t("sidebar.basemap", L),
                settings.BASEMAPS,
                key="basemap",
                format_func=lambda v: t(f"basemap.{v}", L),
                help=t("sidebar.basemap.help", L),
            )
            if basemap == "tianditu":
                st.text_input(t("sidebar.tianditu_key", L), key="tianditu_key", type="password")
                if not (st.session_state.get("tianditu_key") or settings.tianditu_key()):
                    st.warning(t("sidebar.tianditu_missing", L))


def _translate_streamlit_chrome(L: str) -> None:
    """Streamlit's own texts (file uploader) are English only: in Chinese mode CSS swaps them for ours."""
    if L != "zh":
        return
    drop, browse = t("upload.drop", L), t("upload.browse", L)
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzoneInstructions"] span,'
        '[data-testid="stFileUploaderDropzoneInstructions"] small {display: none;}'
        '[data-testid="stFileUploaderDropzoneInstructions"] > div::after'
        f'{{content: "{drop}"; font-size: 0.95rem;}}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {display: none;}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after'
        f'{{content: "{browse}";}}'
        "</style>"
    )


def sidebar() -> dict:
    """The shell's map settings of this run: ``{"lang", "basemap", "tianditu_key"}`` (widgets: app.py)."""
    L = lang()
    key = st.session_state.get("tianditu_key") or settings.tianditu_key()
    basemap = usable_basemap(st.session_state.get("basemap", settings.default_basemap()), key)
    return {"lang": L, "basemap": basemap, "tianditu_key": key}


def usable_basemap(basemap: str, tianditu_key: str) -> str:
    """The basemap drawn: Tianditu needs the unit's key, without one the offline basemap is drawn."""
    return "none" if basemap == "tianditu" and not tianditu_key else basemap


def editor() -> str:
    """The signed-in (or local) planner's name, recorded with every change ("" before sign-in)."""
    from dashboard import auth

    return auth.editor()


_DEFAULT_PARAMS = ("index", "default", "value")


def kept(widget, label: str, *args, key: str, by_language: bool = False, **kwargs):
    """Create a widget whose value survives page changes, hidden periods and language switches.

    Streamlit forgets a widget's value when a run does not draw it (another page, a toggled-off branch)
    and stores select boxes and radios by their *label*, which no option matches after a language switch.
    The value is therefore also kept under a plain session key and restored before the widget is drawn;
    ``by_language=True`` (for widgets whose labels are translated) gives each language its own widget key.

    Parameters
    ----------
    widget : callable
        ``st.selectbox``, ``col.radio``, ``st.number_input``, … (any Streamlit input widget).
    label : str
        The (translated) label.
    *args, **kwargs
        Passed on; ``index`` / ``default`` / ``value`` are the first-visit defaults only.
    key : str
        The widget's stable name.
    by_language : bool
        True when the options' labels depend on the language.

    Returns
    -------
    object
        The widget's value.
    """
    k = f"{key}@{lang()}" if by_language else key
    shadow = f"_kept:{key}"
    options = list(args[0]) if args and isinstance(args[0], list | tuple | range) else None
    if k not in st.session_state and shadow in st.session_state:
        saved = st.session_state[shadow]
        if options is None:
            st.session_state[k] = saved
        elif isinstance(saved, list):
            st.session_state[k] = [v for v in saved if v in options]
        elif saved in options:
            st.session_state[k] = saved
    if k in st.session_state:
        for param in _DEFAULT_PARAMS:
            kwargs.pop(param, None)
    value = widget(label, *args, key=k, **kwargs)
    st.session_state[shadow] = value
    return value


def open_tab(labels: dict, *, key: str):
    """Tabs of which only the open one is drawn: returns ``(name, container)`` of the open tab.

    ``labels`` maps each tab's stable name to its (translated) label. A click on another tab reruns the page
    with that tab open, so a page runs the code of one tab, not of all (Streamlit's ``on_change="rerun"``
    tabs); the open tab is remembered by name under ``_tab:<key>``, so it stays open across page changes,
    hidden periods and language switches (set that key to open a tab from code or a test).
    """
    names = list(labels)
    shadow, k = f"_tab:{key}", f"{key}@{lang()}"
    current = st.session_state.get(shadow)
    if current not in labels:
        current = names[0]
    if st.session_state.get(k) != labels[current]:
        st.session_state[k] = labels[current]

    def remember() -> None:
        chosen = st.session_state.get(k)
        for name, label in labels.items():
            if label == chosen:
                st.session_state[shadow] = name

    containers = st.tabs(list(labels.values()), key=k, on_change=remember)
    return current, containers[names.index(current)]


def kept_pick(key: str, options: list):
    """The pick of a :func:`kept` select box over ``options`` before it is drawn in this run: its live value,
    else the one kept while it was not drawn, else (neither among ``options`` any more) the first option;
    set as the widget's value, so the map and the box drawn later agree."""
    pick = st.session_state.get(key, kept_value(key))
    st.session_state[key] = pick if pick in options else options[0]
    return st.session_state[key]


def kept_value(key: str, fallback=None):
    """The last value of a :func:`kept` widget (also while it is not drawn)."""
    return st.session_state.get(f"_kept:{key}", fallback)


def set_kept(key: str, value) -> None:
    """Set a :func:`kept` widget's value for its next drawing (call before it is drawn in this run)."""
    st.session_state[f"_kept:{key}"] = value
    for k in [k for k in st.session_state if isinstance(k, str) and (k == key or k.startswith(f"{key}@"))]:
        del st.session_state[k]


def forget(key: str) -> None:
    """Drop a :func:`kept` widget's remembered value (its next drawing starts from its default)."""
    st.session_state.pop(f"_kept:{key}", None)
    for k in [k for k in st.session_state if isinstance(k, str) and (k == key or k.startswith(f"{key}@"))]:
        del st.session_state[k]


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def one_language(text, L: str) -> str:
    """The half of a "中文 / English" store or account message in the planner's language."""
    zh, _, en = str(text).partition(" / ")
    return en if (L == "en" and en) else zh


def md_escape(text) -> str:
    """User or data text made inert for ``st.markdown`` / ``st.caption`` / ``st.title`` and widget labels.

    Every markdown punctuation character gets a backslash, so ``![x](http://evil/x.png)`` cannot pull an
    outside image, ``[a](javascript:…)`` is no link, ``<img …>`` and ``&lt;`` are no markup or entity,
    ``:red[…]`` / ``:material/…:`` are no Streamlit directives and ``$…$`` no formula; line breaks become
    spaces (no new block can start) and NUL bytes are dropped. The text reads the same.
    """
    text = " ".join(str(text).replace("\x00", "").splitlines())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def demo_badge(ws) -> None:
    """The demo-data label, shown on every page that displays the demo workspace."""
    if ws.synthetic:
        st.info(t("demo.badge", lang()), icon="ℹ️")


_log = logging.getLogger("renewal_atlas")


def _is_control_flow(exc: BaseException) -> bool:
    """st.rerun / st.stop / st.switch_page work by raising; those must pass through the boundary."""
    return type(exc).__name__ in {"RerunException", "StopException"}


def guarded(render):
    """Wrap a page's render function in a friendly error boundary.

    An unexpected error shows a Chinese/English message with a short reference id and is logged with its
    traceback (and the id) in the server log; the planner never sees a traceback.
    """

    @functools.wraps(render)
    def run(*args, **kwargs) -> None:
        try:
            render(*args, **kwargs)
        except Exception as exc:
            if _is_control_flow(exc):
                raise
            ref = uuid.uuid4().hex[:8]
            _log.exception("page %s failed, reference %s", render.__name__, ref)
            st.error(t("error.page", lang(), ref=ref), icon="⚠️")

    return run


def fragment(render):
    """``st.fragment`` inside the friendly error boundary: a widget of ``render`` reruns ``render`` alone (with
    the arguments of its last call), not the page — e.g. the what-if click of the coverage page.

    A rerun of the part alone skips the shell and its sign-in gate, so the part checks the session itself:
    signed out since the page was drawn (or a click racing the sign-out), it draws nothing.
    """
    safe = guarded(render)

    @functools.wraps(render)
    def run(*args, **kwargs) -> None:
        from dashboard import auth

        if auth.current_user() is None:
            return
        safe(*args, **kwargs)

    return st.fragment(run)


def save_view_button(kind: str, params: dict, default_title: str, *, key: str) -> None:
    """ "Save this view" for the meeting: a small form that appends the page's current view to the saved
    views (listed and presented on the 会议演示 page)."""
    from dashboard import auth
    from geodata.views import load_views, save_views

    L = lang()
    if not auth.can_edit():
        return
    with st.popover(t("view.save", L), icon=":material/bookmark_add:"):
        with st.form(f"save_view_{key}", border=False):
            title = st.text_input(t("view.title", L), value=default_title, max_chars=80)
            if st.form_submit_button(t("view.save", L)):
                clean = title.replace("\x00", "").strip()
                if not clean:
                    st.warning(t("view.needs_title", L))
                else:
                    save_views([*load_views(), {"title": clean, "kind": kind, "params": params}])
                    st.toast(t("view.saved", L, title=md_escape(clean)))
