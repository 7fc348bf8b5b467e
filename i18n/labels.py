"""The one labels table: every user-visible string, Chinese (default) and English.

Pages call :func:`t` with a key (the keys live in ``i18n/tables/<area>.py``, one file per area); nothing
Chinese is hard-coded in logic. ``{name}`` placeholders are filled with ``str.format``.
"""

from __future__ import annotations

from i18n.tables import (
    common,
    coverage,
    equity,
    hc_loop,
    hc_records,
    hc_report,
    health,
    import_amap,
    import_kinds,
    import_read,
    importing,
    layout,
    maps,
    overview,
    payload,
    present,
    renewal,
    reports,
    scenarios,
    siting,
    speed,
    workspace,
)

LANGS = ("zh", "en")

_TABLES = (
    common,
    overview,
    layout,
    coverage,
    renewal,
    siting,
    health,
    importing,
    present,
    maps,
    reports,
    equity,
    hc_report,
    hc_records,
    scenarios,
    hc_loop,
    workspace,
    import_amap,
    import_read,
    import_kinds,
    payload,
    speed,
)


def _merge() -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for table in _TABLES:
        clash = merged.keys() & table.LABELS.keys()
        if clash:
            raise ValueError(f"label keys defined twice ({table.__name__}): {sorted(clash)}")
        merged.update(table.LABELS)
    return merged


LABELS: dict[str, tuple[str, str]] = _merge()


def t(key: str, lang: str = "zh", **fmt) -> str:
    """Label ``key`` in ``lang`` ("zh" or "en"); the key itself when unknown (visible, never a crash)."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def format_value(value: float, unit: str) -> str:
    """An indicator value for display: ``%`` units as a percentage with one decimal, others with thousands
    separators and at most two decimals; a missing value as "—"."""
    if value is None or value != value:  # None or NaN
        return "—"
    return f"{value * 100:.1f}%" if unit == "%" else f"{value:,.2f}".rstrip("0").rstrip(".")


def t_or(key: str, default: str, lang: str = "zh") -> str:
    """Label ``key`` in ``lang`` when the table has it, else ``default`` (e.g. a user's own column name)."""
    pair = LABELS.get(key)
    return default if pair is None else (pair[1] if lang == "en" else pair[0])
