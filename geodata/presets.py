"""The planner's own screening presets (criterion weights), stored as JSON in the data directory.

``<data dir>/screening_presets.json`` holds ``{preset name: {criterion key: weight}}``; saves are atomic
(:func:`geodata.atomic.atomic_write`) and :func:`add_user_preset` merges under the file's lock, so two
sessions saving at once both keep their preset.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from geodata.atomic import atomic_write, locked
from geodata.paths import data_dir

PRESETS_FILE = "screening_presets.json"


def presets_path() -> Path:
    """Return where the user's screening presets live.

    Returns
    -------
    Path
        ``<data dir>/screening_presets.json``.
    """
    return data_dir() / PRESETS_FILE


def load_user_presets() -> dict:
    """Load the user's screening presets.

    Returns
    -------
    dict
        Preset name → {criterion key → weight}; empty when none are saved or the file is unreadable.
    """
    path = presets_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _clean(presets: dict) -> dict:
    if not isinstance(presets, dict):
        raise ValueError(f"presets must be a dict of name → weights, not {type(presets).__name__}")
    out = {}
    for name, weights in presets.items():
        if not str(name).strip():
            raise ValueError("a preset needs a name")
        if not isinstance(weights, dict):
            raise ValueError(f"preset {name!r}: weights must be a dict of criterion → number")
        clean = {}
        for key, w in weights.items():
            if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
                raise ValueError(f"preset {name!r}: weight of {key!r} is {w!r}, not a number")
            clean[str(key)] = float(w)
        out[str(name)] = clean
    return out


def save_user_presets(presets: dict) -> Path:
    """Save the user's screening presets (replacing the saved ones), atomically.

    Parameters
    ----------
    presets : dict
        Preset name → {criterion key → weight (number)}.

    Returns
    -------
    Path
        The written file (:func:`presets_path`).

    Raises
    ------
    ValueError
        When a name is empty or a weight is not a finite number; nothing is written then.
    """
    return atomic_write(presets_path(), json.dumps(_clean(presets), ensure_ascii=False, indent=1))


def add_user_preset(name: str, weights: dict) -> Path:
    """Add or replace one preset, keeping the others (read-modify-write under the file's lock).

    Parameters
    ----------
    name : str
        The preset's name.
    weights : dict
        Criterion key → weight (number).

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    ValueError
        When the name is empty or a weight is not a finite number.
    """
    with locked(presets_path()):
        return save_user_presets(load_user_presets() | {name: weights})
