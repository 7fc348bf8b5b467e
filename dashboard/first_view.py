"""The overview's first view (what a planner sees on opening the app), buildable before any session.

:func:`default_args` are the arguments of a first visit (default language, basemap and workspace; nothing
from a session) and :func:`build` draws the overview map for them. ``serve.py`` runs both when the server
starts (:func:`prepare`), while the first browser loads the page; the overview page takes that map
(:func:`take`) instead of building it, and otherwise builds through the same :func:`build`. Nothing here
imports streamlit-folium: it registers its component only when imported inside a page run.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

from cartography import maps
from dashboard import common
from geodata import settings
from geodata.workspace import workspace_path


def default_args() -> tuple[str, str, str, str]:
    """``(language, basemap, Tianditu key, workspace path)`` of a first visit, as the overview page reads them
    when a session has chosen nothing."""
    key = settings.tianditu_key()
    basemap = common.usable_basemap(settings.default_basemap(), key)
    return settings.default_language(), basemap, key, str(workspace_path())


_PREPARED: dict[tuple, Future] = {}
_LOCK = threading.Lock()


def prepare() -> None:
    """Build the first view's map now (in the calling thread) for :func:`take` to hand to the page."""
    args = default_args()
    done: Future = Future()
    with _LOCK:
        _PREPARED[args] = done
    try:
        done.set_result(build(*args))
    except Exception as exc:  # noqa: BLE001 - handed on: the page then builds (and explains) itself
        done.set_exception(exc)
        raise


def take(args: tuple):
    """The map :func:`prepare` built for ``args`` (waiting for it while it is being built), once; else None."""
    with _LOCK:
        pending = _PREPARED.pop(tuple(args), None)
    if pending is None:
        return None
    try:
        return pending.result()
    except Exception:  # noqa: BLE001 - the page builds it again and shows its own message
        return None


def build(lang: str, basemap: str, tianditu_key: str, ws_path: str):
    """The overview map (fitted to the province) from the cached boundaries, catalogue and workspace."""
    return maps.overview_map(
        common.boundaries(),
        common.workspace(ws_path),
        common.catalogue(),
        lang=lang,
        extent="province",
        basemap=basemap,
        tianditu_key=tianditu_key,
    )
