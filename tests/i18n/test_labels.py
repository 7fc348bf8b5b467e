"""The labels table: every key the code uses exists in Chinese and English, with the same placeholders."""

import re
import string
from pathlib import Path

import pytest

from i18n import LABELS, format_value, t

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for d in ("dashboard", "cartography", "reports", "batch", "layers", "geodata")
    for p in (ROOT / d).rglob("*.py")
] + [ROOT / "app.py"]
LITERAL = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']\s*[,)]""")
PREFIX = re.compile(r"""\bt\(\s*(?:f["']([a-z0-9_.]+)\{|["']([a-z0-9_.]+)["']\s*\+)""")


def _used(pattern) -> set[tuple[str, str]]:
    return {
        (next(g for g in m.groups() if g), p.name)
        for p in SOURCES
        for m in pattern.finditer(p.read_text(encoding="utf-8"))
    }


def test_every_literal_key_exists():
    missing = sorted({f"{k} ({f})" for k, f in _used(LITERAL) if k not in LABELS})
    assert not missing, f"label keys used in code but missing from the table: {missing}"


def test_every_key_prefix_has_keys():
    missing = sorted({f"{k} ({f})" for k, f in _used(PREFIX) if not any(x.startswith(k) for x in LABELS)})
    assert not missing, f"f-string label prefixes with no key: {missing}"


@pytest.mark.parametrize("key", sorted(LABELS))
def test_both_languages_filled_with_same_placeholders(key):
    zh, en = LABELS[key]
    assert zh.strip() and en.strip(), f"{key}: empty text"
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    assert fields(zh) == fields(en), f"{key}: placeholders differ between zh and en"


def test_unknown_key_is_visible_not_a_crash():
    assert t("no.such.key", "en") == "no.such.key"


def test_format_value():
    assert format_value(0.5712, "%") == "57.1%"
    assert format_value(12345.5, "个") == "12,345.5"
    assert format_value(float("nan"), "%") == "—"
