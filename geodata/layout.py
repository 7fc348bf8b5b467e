"""The 一圈两带四群 layout configuration (``geodata/layout.toml``): load, validate, save atomically.

Validation runs against the boundaries and reports every problem with the entry that causes it, e.g.
``circle.members[3] = 361999: unknown county adcode``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import shapely
import tomllib

from geodata.boundaries import Boundaries, load_boundaries
from geodata.errors import DataValidationError, Problem
from geodata.paths import GEODATA_DIR, data_dir

LAYOUT_TOML = GEODATA_DIR / "layout.toml"
TIERS = ("省会", "省域副中心", "区域中心", "重要节点")
TIER_EN = {
    "省会": "Provincial capital",
    "省域副中心": "Provincial sub-centre",
    "区域中心": "Regional centre",
    "重要节点": "Important node city",
}
MAX_BAND_KM = 200.0


@dataclass(frozen=True)
class Circle:
    name_zh: str
    name_en: str
    colour: str
    source_zh: str
    source_en: str
    members: tuple[int, ...]


@dataclass(frozen=True)
class Belt:
    key: str
    name_zh: str
    name_en: str
    colour: str
    band_km: float
    stops: tuple[int, ...]
    stop_counties: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Cluster:
    key: str
    name_zh: str
    name_en: str
    colour: str
    prefectures: tuple[int, ...]


@dataclass(frozen=True)
class City:
    adcode: int
    tier: str
    seat: tuple[float, float]
    role_zh: str
    role_en: str


@dataclass(frozen=True)
class Layout:
    circle: Circle
    belts: tuple[Belt, ...]
    clusters: tuple[Cluster, ...]
    cities: dict[int, City]
    circle_overrides_clusters: bool = True

    def cluster_of(self, prefecture: int) -> Cluster | None:
        return next((c for c in self.clusters if prefecture in c.prefectures), None)

    def with_circle_members(self, members) -> Layout:
        return replace(self, circle=replace(self.circle, members=tuple(sorted(int(m) for m in members))))

    def with_band_km(self, belt_key: str, band_km: float) -> Layout:
        belts = tuple(replace(b, band_km=float(band_km)) if b.key == belt_key else b for b in self.belts)
        return replace(self, belts=belts)


def _parse(data: dict) -> tuple[Layout | None, list[Problem]]:
    problems: list[Problem] = []
    try:
        c = data["circle"]
        circle = Circle(
            c["name_zh"],
            c["name_en"],
            c.get("colour", "#c51b7d"),
            c.get("source_zh", ""),
            c.get("source_en", ""),
            tuple(int(m) for m in c["members"]),
        )
        belts = tuple(
            Belt(
                b["key"],
                b["name_zh"],
                b["name_en"],
                b.get("colour", "#333333"),
                float(b["band_km"]),
                tuple(int(s) for s in b["stops"]),
                {int(k): int(v) for k, v in (b.get("stop_counties") or {}).items()},
            )
            for b in data.get("belts", [])
        )
        clusters = tuple(
            Cluster(
                k["key"],
                k["name_zh"],
                k["name_en"],
                k.get("colour", "#999999"),
                tuple(int(p) for p in k["prefectures"]),
            )
            for k in data.get("clusters", [])
        )
        cities = {}
        for i, x in enumerate(data.get("cities", [])):
            seat = tuple(float(v) for v in x["seat"])
            if len(seat) != 2:
                problems.append(Problem("layout.toml", None, f"cities[{i}].seat", "seat must be [lon, lat]"))
                continue
            cities[int(x["adcode"])] = City(
                int(x["adcode"]), x["tier"], seat, x.get("role_zh", ""), x.get("role_en", "")
            )
    except KeyError as exc:
        return None, [Problem("layout.toml", None, str(exc.args[0]), "required entry is missing")]
    except (TypeError, ValueError) as exc:
        return None, [Problem("layout.toml", None, None, f"wrong value type: {exc}")]
    layout = Layout(circle, belts, clusters, cities, bool(data.get("circle_overrides_clusters", True)))
    return layout, problems


def validate_layout(layout: Layout, boundaries: Boundaries) -> list[Problem]:
    """Every problem of a layout against the boundaries (empty when valid)."""
    P = "layout.toml"
    problems: list[Problem] = []
    counties = set(boundaries.counties["adcode"])
    prefs = set(boundaries.prefectures["adcode"])
    for i, m in enumerate(layout.circle.members):
        if m not in counties:
            problems.append(
                Problem(
                    P,
                    None,
                    f"circle.members[{i}] = {m}",
                    "unknown county adcode",
                    "use a 6-digit county adcode from jiangxi_counties.geojson",
                )
            )
    if len(set(layout.circle.members)) != len(layout.circle.members):
        problems.append(Problem(P, None, "circle.members", "a county is listed twice"))
    for b in layout.belts:
        if len(b.stops) < 2:
            problems.append(Problem(P, None, f"belts.{b.key}.stops", "a belt needs at least two stops"))
        if not 0 < b.band_km <= MAX_BAND_KM:
            problems.append(
                Problem(
                    P,
                    None,
                    f"belts.{b.key}.band_km = {b.band_km}",
                    f"band width must be in (0, {MAX_BAND_KM:g}] km",
                )
            )
        for i, s in enumerate(b.stops):
            if s not in prefs:
                problems.append(
                    Problem(P, None, f"belts.{b.key}.stops[{i}] = {s}", "unknown prefecture adcode")
                )
        for pref, county in b.stop_counties.items():
            if county not in counties:
                problems.append(
                    Problem(
                        P, None, f"belts.{b.key}.stop_counties.{pref} = {county}", "unknown county adcode"
                    )
                )
    seen: dict[int, str] = {}
    for k in layout.clusters:
        for i, p in enumerate(k.prefectures):
            if p not in prefs:
                problems.append(
                    Problem(P, None, f"clusters.{k.key}.prefectures[{i}] = {p}", "unknown prefecture adcode")
                )
            elif p in seen:
                problems.append(
                    Problem(
                        P,
                        None,
                        f"clusters.{k.key}.prefectures[{i}] = {p}",
                        f"prefecture is already in cluster {seen[p]!r}",
                        "a prefecture belongs to one cluster only",
                    )
                )
            else:
                seen[p] = k.key
    for adcode in sorted(prefs - set(layout.cities)):
        problems.append(Problem(P, None, f"cities[{adcode}]", "city has no entry (role and tier)"))
    pref_geoms = dict(zip(boundaries.prefectures["adcode"], boundaries.prefectures.geometry))
    for adcode, city in layout.cities.items():
        where = f"cities[{adcode}]"
        if adcode not in prefs:
            problems.append(Problem(P, None, where, "unknown prefecture adcode"))
            continue
        if city.tier not in TIERS:
            problems.append(
                Problem(P, None, f"{where}.tier = {city.tier}", "unknown tier", "one of " + " / ".join(TIERS))
            )
        if not city.role_zh.strip():
            problems.append(Problem(P, None, f"{where}.role_zh", "city has no role text"))
        if not shapely.contains_xy(pref_geoms[adcode], *city.seat):
            problems.append(
                Problem(
                    P, None, f"{where}.seat", "seat lies outside the prefecture", "give [lon, lat] in WGS84"
                )
            )
    return problems


def load_layout(path: str | Path | None = None, *, boundaries: Boundaries | None = None) -> Layout:
    """Read and validate the layout TOML; one :class:`DataValidationError` lists every problem."""
    path = Path(path) if path is not None else layout_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataValidationError(
            [Problem(str(path), None, None, "layout file not found")], str(path)
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataValidationError(
            [Problem(str(path), None, None, f"not valid TOML: {exc}")], str(path)
        ) from None
    layout, problems = _parse(data)
    if layout is not None:
        problems += validate_layout(layout, boundaries or load_boundaries())
    if problems:
        raise DataValidationError(problems, source=str(path))
    return layout


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _ints(values) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


def dumps_layout(layout: Layout) -> str:
    """Deterministic TOML text of a layout (comments of a hand-edited file are not preserved)."""
    c = layout.circle
    out = [
        "# 一圈两带四群 provincial layout — saved by Renewal Atlas (see git history for the commented original).",
        f"circle_overrides_clusters = {'true' if layout.circle_overrides_clusters else 'false'}",
        "",
        "[circle]",
        f"name_zh = {_q(c.name_zh)}",
        f"name_en = {_q(c.name_en)}",
        f"colour = {_q(c.colour)}",
        f"source_zh = {_q(c.source_zh)}",
        f"source_en = {_q(c.source_en)}",
        f"members = {_ints(c.members)}",
    ]
    for b in layout.belts:
        out += [
            "",
            "[[belts]]",
            f"key = {_q(b.key)}",
            f"name_zh = {_q(b.name_zh)}",
            f"name_en = {_q(b.name_en)}",
            f"colour = {_q(b.colour)}",
            f"band_km = {b.band_km:g}",
            f"stops = {_ints(b.stops)}",
        ]
        if b.stop_counties:
            inner = ", ".join(f"{k} = {v}" for k, v in sorted(b.stop_counties.items()))
            out.append(f"stop_counties = {{ {inner} }}")
    for k in layout.clusters:
        out += [
            "",
            "[[clusters]]",
            f"key = {_q(k.key)}",
            f"name_zh = {_q(k.name_zh)}",
            f"name_en = {_q(k.name_en)}",
            f"colour = {_q(k.colour)}",
            f"prefectures = {_ints(k.prefectures)}",
        ]
    for city in layout.cities.values():
        out += [
            "",
            "[[cities]]",
            f"adcode = {city.adcode}",
            f"tier = {_q(city.tier)}",
            f"seat = [{city.seat[0]!r}, {city.seat[1]!r}]",
            f"role_zh = {_q(city.role_zh)}",
            f"role_en = {_q(city.role_en)}",
        ]
    return "\n".join(out) + "\n"


def save_layout(
    layout: Layout, path: str | Path | None = None, *, boundaries: Boundaries | None = None
) -> Path:
    """Validate, then write atomically (temp file in the same folder + ``os.replace``)."""
    path = Path(path) if path is not None else user_layout_path()
    problems = validate_layout(layout, boundaries or load_boundaries())
    if problems:
        raise DataValidationError(problems, source=str(path))
    text = dumps_layout(layout)
    fd, tmp = tempfile.mkstemp(prefix=".layout-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def user_layout_path() -> Path:
    """Where the UI saves a planner's edited layout: ``RENEWAL_LAYOUT`` or ``<data dir>/layout.toml``."""
    env = os.environ.get("RENEWAL_LAYOUT")
    return Path(env) if env else data_dir() / "layout.toml"


def layout_path() -> Path:
    """The layout in use: the planner's edited copy when it exists, else the bundled ``geodata/layout.toml``."""
    user = user_layout_path()
    return user if user.exists() else LAYOUT_TOML
