"""User settings read from the environment (documented in README.md → Settings)."""

from __future__ import annotations

import os

BASEMAPS = ("none", "osm", "tianditu", "amap")


def default_basemap() -> str:
    """Return the basemap setting ``RENEWAL_BASEMAP``.

    Returns
    -------
    str
        One of :data:`BASEMAPS`: ``none`` (offline, default), ``osm``, ``tianditu`` or ``amap``.
    """
    value = os.environ.get("RENEWAL_BASEMAP", "none").strip().lower()
    return value if value in BASEMAPS else "none"


def tianditu_key() -> str:
    """Return the user's own Tianditu web key ``RENEWAL_TIANDITU_KEY``.

    Returns
    -------
    str
        The key; empty when unset.
    """
    return os.environ.get("RENEWAL_TIANDITU_KEY", "").strip()


def default_language() -> str:
    """Return the interface language setting ``RENEWAL_LANG``.

    Returns
    -------
    str
        ``"zh"`` (default) or ``"en"``.
    """
    return "en" if os.environ.get("RENEWAL_LANG", "zh").strip().lower() == "en" else "zh"
