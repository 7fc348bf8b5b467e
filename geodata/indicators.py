"""The 城市体检 indicator definitions (``geodata/indicators.toml``), validated on load."""

from __future__ import annotations

import tomllib
from pathlib import Path

from geodata.errors import DataValidationError, Problem
from geodata.paths import GEODATA_DIR

INDICATORS_TOML = GEODATA_DIR / "indicators.toml"
KINDS = {
    "coverage": ("type",),
    "complete": (),
    "ratio": ("layer", "numerator", "denominator"),
    "count": ("layer",),
    "places_per_100_elderly": ("types",),
    "coverage_any": ("types",),
    "circle": ("circle",),
    "lacking": ("type",),
    "gap_sum": ("layer", "numerator", "denominator", "per"),
    "completed_share": ("layer",),
}
REQUIRED = ("key", "name_zh", "name_en", "kind", "unit", "direction", "target", "source_zh", "source_en")


def load_indicators(path: str | Path | None = None, *, catalogue=None) -> list[dict]:
    """Read and validate the 城市体检 indicator definitions.

    Parameters
    ----------
    path : str or Path, optional
        The TOML file; default the bundled ``geodata/indicators.toml``.
    catalogue : Catalogue, optional
        When given, facility types named by indicators must exist in it.

    Returns
    -------
    list of dict
        The indicator tables of the file, in file order.

    Raises
    ------
    DataValidationError
        Listing every problem of the file (missing fields, unknown kind, direction, duplicate keys,
        unknown facility types).
    """
    path = Path(path) if path is not None else INDICATORS_TOML
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise DataValidationError(
            [Problem(path.name, None, None, f"cannot read indicators: {exc}")], str(path)
        ) from None
    problems, seen = [], set()
    items = data.get("indicators", [])
    for i, d in enumerate(items):
        where = f"indicators[{i}]"
        for f in REQUIRED:
            if f not in d:
                problems.append(Problem(path.name, i, f, "missing", f"add {f} to {where}"))
        kind = d.get("kind")
        if kind not in KINDS:
            problems.append(
                Problem(path.name, i, "kind", f"unknown kind {kind!r}", "one of " + ", ".join(KINDS))
            )
        else:
            problems += [
                Problem(path.name, i, f, f"missing (needed by kind {kind})")
                for f in KINDS[kind]
                if f not in d
            ]
        if d.get("direction") not in ("higher", "lower"):
            problems.append(Problem(path.name, i, "direction", "must be 'higher' or 'lower'"))
        if d.get("key") in seen:
            problems.append(Problem(path.name, i, "key", f"duplicate key {d.get('key')!r}"))
        seen.add(d.get("key"))
        if catalogue is not None:
            for t in ([d["type"]] if "type" in d else []) + list(d.get("types", [])):
                if t not in catalogue.types:
                    problems.append(Problem(path.name, i, "type", f"unknown facility type {t!r}"))
    if problems:
        raise DataValidationError(problems, source=str(path))
    return items
