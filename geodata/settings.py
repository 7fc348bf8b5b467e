"""User settings read from the environment (documented in README.md → Settings)."""

from __future__ import annotations

import os

BASEMAPS = ("none", "osm", "tianditu", "amap")


def default_basemap() -> str:
    """``RENEWAL_BASEMAP``: none (offline, default) | osm | tianditu | amap."""
    value = os.environ.get("RENEWAL_BASEMAP", "none").strip().lower()
    return value if value in BASEMAPS else "none"


def tianditu_key() -> str:
    """``RENEWAL_TIANDITU_KEY``: the user's own Tianditu web key (empty when unset)."""
    return os.environ.get("RENEWAL_TIANDITU_KEY", "").strip()


def default_language() -> str:
    """``RENEWAL_LANG``: zh (default) or en."""
    return "en" if os.environ.get("RENEWAL_LANG", "zh").strip().lower() == "en" else "zh"
