"""The national 城市体检 indicator catalogue (``geodata/national_indicators.toml``), validated on load.

The catalogue lists the MOHURD base indicators (建科〔2023〕75号, four levels 住房 / 小区（社区）/ 街区 / 城区) as far
as their wording could be found in cited texts, plus this product's own indicators (``national = false``). Each
row says how the product computes it (``method`` = the key of an indicator of ``geodata/indicators.toml``) or
which data would be needed (``method = "needs data: …"``). See the header of the TOML file for what ``verified``
means.
"""

from __future__ import annotations

import numbers
import tomllib
from pathlib import Path

from geodata.errors import DataValidationError, Problem
from geodata.paths import GEODATA_DIR

NATIONAL_TOML = GEODATA_DIR / "national_indicators.toml"
#: the four levels of the 2023 guidance, in report order
LEVELS = ("housing", "community", "block", "city")
#: who defined an indicator (来源层级)
SOURCE_LEVELS = ("国家", "省", "市")
NEEDS_DATA = "needs data:"
REQUIRED = (
    "key",
    "level",
    "dimension",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "source_level",
    "department",
    "method",
    "national",
    "sources",
    "verified",
)


def is_computed(row: dict) -> bool:
    """Tell whether the product computes a catalogue row (its ``method`` names an indicator key).

    Parameters
    ----------
    row : dict
        A catalogue row.

    Returns
    -------
    bool
        False when the method starts with ``"needs data:"``.
    """
    return not str(row.get("method", "")).startswith(NEEDS_DATA)


def load_national(path: str | Path | None = None, *, indicator_keys=None) -> tuple[list[dict], dict]:
    """Read and validate the national indicator catalogue.

    Parameters
    ----------
    path : str or Path, optional
        The TOML file; default the bundled ``geodata/national_indicators.toml``.
    indicator_keys : iterable of str, optional
        The keys of ``geodata/indicators.toml``; when given, every computed row's ``method`` must be one.

    Returns
    -------
    (list of dict, dict)
        The rows in file order, and the cited sources (id → ``{"title", "where"}``).

    Raises
    ------
    DataValidationError
        Listing every problem: missing fields, unknown level / direction / source level, duplicate keys,
        non-numeric standards or warning thresholds, unknown source ids, a computed method that is not an
        indicator key, a needs-data method without a description.
    """
    path = Path(path) if path is not None else NATIONAL_TOML
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DataValidationError(
            [Problem(path.name, None, None, f"cannot read the catalogue: {exc}")], str(path)
        ) from None
    sources = data.get("sources", {})
    keys = set(indicator_keys) if indicator_keys is not None else None
    problems, seen = [], set()
    rows = data.get("indicator", [])
    for i, d in enumerate(rows):
        problems += [Problem(path.name, i, f, "missing", f"add {f}") for f in REQUIRED if f not in d]
        if d.get("level") not in LEVELS:
            problems.append(
                Problem(path.name, i, "level", f"unknown level {d.get('level')!r}", " / ".join(LEVELS))
            )
        if d.get("direction") not in ("higher", "lower"):
            problems.append(Problem(path.name, i, "direction", "must be 'higher' or 'lower'"))
        if d.get("source_level") not in SOURCE_LEVELS:
            problems.append(Problem(path.name, i, "source_level", "must be 国家, 省 or 市"))
        if d.get("key") in seen:
            problems.append(Problem(path.name, i, "key", f"duplicate key {d.get('key')!r}"))
        seen.add(d.get("key"))
        for f in ("standard", "warning_yellow", "warning_red"):
            v = d.get(f)
            if v is not None and (not isinstance(v, numbers.Real) or isinstance(v, bool)):
                problems.append(Problem(path.name, i, f, f"{v!r} is not a number"))
        for s in d.get("sources", []):
            if s not in sources:
                problems.append(
                    Problem(path.name, i, "sources", f"unknown source {s!r}", "add it to [sources]")
                )
        method = str(d.get("method", ""))
        if method.startswith(NEEDS_DATA):
            if not method[len(NEEDS_DATA) :].strip():
                problems.append(Problem(path.name, i, "method", "say which data would be needed"))
        elif keys is not None and method not in keys:
            problems.append(
                Problem(path.name, i, "method", f"{method!r} is not an indicator of indicators.toml")
            )
    if problems:
        raise DataValidationError(problems, source=str(path))
    return rows, sources


def counts(rows: list[dict]) -> dict:
    """Count the national rows computed by the product and those that need data.

    Parameters
    ----------
    rows : list of dict
        Catalogue rows.

    Returns
    -------
    dict
        ``{"national": n, "computed": c, "needs_data": n - c, "product": rows with national = false}``.
    """
    nat = [r for r in rows if r.get("national")]
    computed = sum(is_computed(r) for r in nat)
    return {
        "national": len(nat),
        "computed": computed,
        "needs_data": len(nat) - computed,
        "product": len(rows) - len(nat),
    }
