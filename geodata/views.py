"""Saved presentation views (page + layers + parameters), stored as JSON in the data directory."""

from __future__ import annotations

import json
from pathlib import Path

from geodata.atomic import atomic_write
from geodata.paths import data_dir

KINDS = ("layout", "coverage", "renewal", "health")
DEFAULT_VIEWS = [
    {
        "title": "一圈两带四群：全省格局",
        "title_en": "One circle, two belts, four clusters: the provincial layout",
        "kind": "layout",
        "params": {},
    },
    {
        "title": "幼儿园300米覆盖与服务缺口",
        "title_en": "Kindergartens within 300 m: coverage and service gaps",
        "kind": "coverage",
        "params": {"selection": "kindergarten", "mode": "euclidean"},
    },
    {
        "title": "更新地块：留改拆",
        "title_en": "Renewal parcels: keep, retrofit or rebuild",
        "kind": "renewal",
        "params": {"colour_by": "decision"},
    },
    {
        "title": "城市体检：养老日间照料覆盖（社区）",
        "title_en": "City health check: elderly day care coverage (communities)",
        "kind": "health",
        "params": {"indicator": "elderly_daycare_cov", "level": "community", "year": 2026},
    },
]


def views_path() -> Path:
    """Return where saved views live.

    Returns
    -------
    Path
        ``<data dir>/views.json``.
    """
    return data_dir() / "views.json"


def validate_views(views) -> list[dict]:
    """Check saved views and return them as a clean list.

    Parameters
    ----------
    views : list of dict
        Each with a non-empty ``title``, a ``kind`` of :data:`KINDS` and optional ``params``.

    Returns
    -------
    list of dict
        ``{"title": str, "kind": str, "params": dict}`` per view.

    Raises
    ------
    ValueError
        Naming the first bad entry (1-based), or when ``views`` is not a list.
    """
    if not isinstance(views, list):
        raise ValueError("views must be a list")
    out = []
    for i, v in enumerate(views):
        if not isinstance(v, dict) or v.get("kind") not in KINDS or not str(v.get("title", "")).strip():
            raise ValueError(f"view {i + 1}: needs a title and a kind of {', '.join(KINDS)}")
        view = {"title": str(v["title"]), "kind": v["kind"], "params": dict(v.get("params") or {})}
        if str(v.get("title_en", "")).strip():
            view["title_en"] = str(v["title_en"])
        out.append(view)
    return out


def view_title(view: dict, lang: str) -> str:
    """Return the view's title in ``lang`` (its English title in English when it has one)."""
    return str(view.get("title_en") or view["title"]) if lang == "en" else str(view["title"])


def load_views() -> list[dict]:
    """Load the saved views, or the default ones when none are saved or the file is unreadable.

    Returns
    -------
    list of dict
        Clean views (see :func:`validate_views`).
    """
    path = views_path()
    if not path.exists():
        return [dict(v) for v in DEFAULT_VIEWS]
    try:
        return validate_views(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return [dict(v) for v in DEFAULT_VIEWS]


def save_views(views: list[dict]) -> Path:
    """Validate views and save them atomically (:func:`geodata.atomic.atomic_write`).

    Parameters
    ----------
    views : list of dict
        The views to keep (replacing the saved ones).

    Returns
    -------
    Path
        The written file (:func:`views_path`).

    Raises
    ------
    ValueError
        Naming the first bad entry; nothing is written then.
    """
    views = validate_views(views)
    return atomic_write(views_path(), json.dumps(views, ensure_ascii=False, indent=1))
