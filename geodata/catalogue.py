"""The facility catalogue (type, names, life circle, radius, basis) — ``geodata/catalogue.toml``.

Every radius used in coverage comes from here or from a user override (DOMAIN.md §2).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from geodata.errors import DataValidationError, Problem
from geodata.paths import GEODATA_DIR

CATALOGUE_TOML = GEODATA_DIR / "catalogue.toml"
CIRCLES = ("5min", "10min", "15min", "")


@dataclass(frozen=True)
class FacilityType:
    """One facility type of the catalogue.

    Attributes
    ----------
    key : str
        Type key, e.g. ``"kindergarten"``.
    name_zh, name_en : str
        Names.
    circle : str
        Life circle: ``"5min"``, ``"10min"``, ``"15min"`` or ``""`` (none).
    radius_m : float
        Service radius in metres.
    basis_zh, basis_en : str
        Where the radius comes from (standard, seed document or assumption).
    assumption : bool
        True when the radius is our assumption rather than a standard.
    """

    key: str
    name_zh: str
    name_en: str
    circle: str
    radius_m: float
    basis_zh: str
    basis_en: str
    assumption: bool = False

    def name(self, lang: str = "zh") -> str:
        """Return the type's name.

        Parameters
        ----------
        lang : str, default "zh"
            ``"zh"`` or ``"en"``.

        Returns
        -------
        str
            The name in that language.
        """
        return self.name_en if lang == "en" else self.name_zh

    def basis(self, lang: str = "zh") -> str:
        """Return where the radius comes from.

        Parameters
        ----------
        lang : str, default "zh"
            ``"zh"`` or ``"en"``.

        Returns
        -------
        str
            The basis in that language.
        """
        return self.basis_en if lang == "en" else self.basis_zh


@dataclass(frozen=True)
class Catalogue:
    """The facility catalogue: types by key and the 完整社区 (complete community) requirements."""

    types: dict[str, FacilityType]
    #: 完整社区 requirements: each a tuple of facility types any of which satisfies it
    complete_community: tuple[tuple[str, ...], ...]

    def circle_types(self, circle: str) -> list[str]:
        """List the type keys of a life circle.

        Parameters
        ----------
        circle : str
            ``"5min"``, ``"10min"`` or ``"15min"``.

        Returns
        -------
        list of str
            Type keys in catalogue order.
        """
        return [k for k, t in self.types.items() if t.circle == circle]

    def radius_m(self, key: str) -> float:
        """Return the service radius of a type.

        Parameters
        ----------
        key : str
            Type key.

        Returns
        -------
        float
            Radius in metres.

        Raises
        ------
        KeyError
            For an unknown type.
        """
        return self.types[key].radius_m

    def with_radii(self, overrides: dict[str, float]) -> Catalogue:
        """Return a new catalogue with some radii replaced.

        Parameters
        ----------
        overrides : dict
            Type key → radius in metres (> 0).

        Returns
        -------
        Catalogue
            A copy with the new radii.

        Raises
        ------
        DataValidationError
            Listing every unknown type and every radius that is not a positive number of metres.
        """
        problems = []
        for key, r in overrides.items():
            if key not in self.types:
                problems.append(
                    Problem("catalogue", None, key, "unknown facility type", "use a catalogue key")
                )
            elif not (isinstance(r, int | float) and r > 0):
                problems.append(
                    Problem("catalogue", None, key, f"radius {r!r} is not a positive number of metres")
                )
        if problems:
            raise DataValidationError(problems, source="radius overrides")
        types = {k: replace(t, radius_m=float(overrides.get(k, t.radius_m))) for k, t in self.types.items()}
        return Catalogue(types, self.complete_community)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and validate the catalogue TOML.

    Parameters
    ----------
    path : str or Path, optional
        The TOML file; default the bundled ``geodata/catalogue.toml``.

    Returns
    -------
    Catalogue
        The facility types (radii in metres) and complete-community requirements.

    Raises
    ------
    DataValidationError
        Listing every problem of the file (missing fields, unknown circles, radii that are not
        positive metres, unknown types in requirements).
    """
    path = Path(path) if path is not None else CATALOGUE_TOML
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError(
            [Problem(str(path), None, None, "catalogue file not found")], str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError(
            [Problem(str(path), None, None, f"not valid TOML: {exc}")], str(path)
        ) from None
    problems: list[Problem] = []
    types: dict[str, FacilityType] = {}
    required = ("name_zh", "name_en", "circle", "radius_m", "basis_zh", "basis_en")
    for key, row in (data.get("types") or {}).items():
        missing = [f for f in required if f not in row]
        for f in missing:
            problems.append(Problem("types", None, f"{key}.{f}", "missing", "add the field"))
        if missing:
            continue
        if row["circle"] not in CIRCLES:
            problems.append(
                Problem(
                    "types",
                    None,
                    f"{key}.circle",
                    f"unknown circle {row['circle']!r}",
                    'use 5min, 10min, 15min or ""',
                )
            )
        r = row["radius_m"]
        if not isinstance(r, int | float) or isinstance(r, bool) or r <= 0:
            problems.append(
                Problem(
                    "types",
                    None,
                    f"{key}.radius_m",
                    f"radius {r!r} must be a positive number",
                    "metres, e.g. 300",
                )
            )
            continue
        types[key] = FacilityType(
            key,
            row["name_zh"],
            row["name_en"],
            row["circle"],
            float(r),
            row["basis_zh"],
            row["basis_en"],
            bool(row.get("assumption", False)),
        )
    if not types and not problems:
        problems.append(Problem(str(path), None, "types", "no facility types defined"))
    cc = []
    for i, req in enumerate(data.get("complete_community", [])):
        unknown = [t for t in req if t not in (data.get("types") or {})]
        if unknown or not req:
            problems.append(
                Problem(
                    "complete_community", i, None, f"unknown types {unknown or req}", "use keys from [types]"
                )
            )
        cc.append(tuple(req))
    if problems:
        raise DataValidationError(problems, source=str(path))
    return Catalogue(types, tuple(cc))
