"""What is derived from an unchanging source, derived once while that source lives.

The sources: a loaded workspace, a layer of it, the boundaries, a coverage model's resident groups.
Workspaces and boundaries are loaded once and never changed in place (an edit or an import loads a new
workspace object), so the street lines, outlines and labels prepared for one map serve every later map of
the same workspace: a coverage radius or a language switch no longer prepares them again. The residents'
group positions serve every summary of a model and of its what-ifs (they share the groups table). Entries
are held by the source's identity and dropped with the source (a weak reference), so nothing outlives the
data.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

T = TypeVar("T")

_DERIVED: dict[int, tuple[weakref.ref, dict]] = {}
_LOCK = threading.Lock()


def derived(source: object, key: Hashable, build: Callable[[], T]) -> T:
    """Return ``build()``, built once per live ``source`` object and ``key``.

    ``key`` must name every other input of ``build``; a source that cannot be weakly referenced is not
    remembered (built every time).
    """
    i = id(source)
    with _LOCK:
        entry = _DERIVED.get(i)
        if entry is None or entry[0]() is not source:
            try:
                ref = weakref.ref(source, functools.partial(_forget, i))
            except TypeError:
                return build()
            entry = (ref, {})
            _DERIVED[i] = entry
        per = entry[1]
        if key in per:
            return per[key]
    value = build()  # outside the lock: two sessions may build the same thing once each, never wait
    with _LOCK:
        return per.setdefault(key, value)


def _forget(i: int, ref: weakref.ref, _derived: dict = _DERIVED, _lock=_LOCK) -> None:
    # the table and lock are bound here: at interpreter exit the module's names may already be gone
    with _lock:
        entry = _derived.get(i)
        if entry is not None and entry[0] is ref:
            del _derived[i]
