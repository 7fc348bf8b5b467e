"""The 一圈两带四群 layout configuration (``geodata/layout.toml``): load, validate, save atomically.

Validation runs against the boundaries and reports every problem with the entry that causes it, e.g.
``circle.members[3] = 361999: unknown county adcode``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import shapely
import tomlkit
import tomlkit.exceptions
import tomlkit.items

from geodata.atomic import atomic_write, locked, remove_file
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
    """The 一圈 metropolitan circle: names, colour, source and member counties (6-digit adcodes)."""

    name_zh: str
    name_en: str
    colour: str
    source_zh: str
    source_en: str
    members: tuple[int, ...]


@dataclass(frozen=True)
class Belt:
    """One of the 两带 development belts.

    Attributes
    ----------
    key, name_zh, name_en, colour : str
        Identity and display.
    band_km : float
        Half-width of the belt's band either side of its corridor line, in km.
    stops : tuple of int
        Prefecture adcodes the corridor passes through, in order.
    stop_counties : dict
        Prefecture adcode → county adcode whose seat is the stop instead of the city's.
    """

    key: str
    name_zh: str
    name_en: str
    colour: str
    band_km: float
    stops: tuple[int, ...]
    stop_counties: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Cluster:
    """One of the 四群 town clusters: names, colour and its prefecture adcodes."""

    key: str
    name_zh: str
    name_en: str
    colour: str
    prefectures: tuple[int, ...]


@dataclass(frozen=True)
class City:
    """A prefecture-level city's tier, seat and role.

    Attributes
    ----------
    adcode : int
        Prefecture adcode.
    tier : str
        One of :data:`TIERS`.
    seat : tuple of float
        Location of the main urban area, (longitude, latitude) in degrees, EPSG:4326.
    role_zh, role_en : str
        The city's role text.
    """

    adcode: int
    tier: str
    seat: tuple[float, float]
    role_zh: str
    role_en: str


@dataclass(frozen=True)
class Layout:
    """The 一圈两带四群 provincial layout: circle, belts, clusters and city roles."""

    circle: Circle
    belts: tuple[Belt, ...]
    clusters: tuple[Cluster, ...]
    cities: dict[int, City]
    circle_overrides_clusters: bool = True

    def cluster_of(self, prefecture: int) -> Cluster | None:
        """Return the cluster a prefecture belongs to.

        Parameters
        ----------
        prefecture : int
            Prefecture adcode.

        Returns
        -------
        Cluster or None
            The cluster, or None when the prefecture is in none.
        """
        return next((c for c in self.clusters if prefecture in c.prefectures), None)

    def with_circle_members(self, members) -> Layout:
        """Return a copy with other circle member counties.

        Parameters
        ----------
        members : iterable of int
            County adcodes (stored sorted).

        Returns
        -------
        Layout
            The edited copy (not validated; :func:`save_layout` validates).
        """
        return replace(self, circle=replace(self.circle, members=tuple(sorted(int(m) for m in members))))

    def with_band_km(self, belt_key: str, band_km: float) -> Layout:
        """Return a copy with another band width for one belt.

        Parameters
        ----------
        belt_key : str
            The belt's key.
        band_km : float
            Half-width of the band in km (validated to (0, :data:`MAX_BAND_KM`] on save).

        Returns
        -------
        Layout
            The edited copy.
        """
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
    """List every problem of a layout against the boundaries.

    Parameters
    ----------
    layout : Layout
        The layout to check.
    boundaries : Boundaries
        Prefectures and counties (EPSG:4326) that adcodes and seats are checked against.

    Returns
    -------
    list of Problem
        Each naming the entry that causes it (e.g. ``circle.members[3] = 361999``); empty when valid.
    """
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
    """Read and validate the layout TOML.

    Parameters
    ----------
    path : str or Path, optional
        The TOML file; default :func:`layout_path`.
    boundaries : Boundaries, optional
        Boundaries to validate against; default :func:`~geodata.boundaries.load_boundaries`.

    Returns
    -------
    Layout
        The validated layout.

    Raises
    ------
    DataValidationError
        Listing every problem (missing file, invalid TOML, missing entries, unknown adcodes, …).
    """
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


def _set(table, key: str, value) -> None:
    """Assign ``table[key]`` only when the value changed, so untouched entries keep their formatting."""
    if key in table and _plain(table[key]) == _plain(value):
        return
    table[key] = value


def _plain(value):
    if hasattr(value, "unwrap"):
        value = value.unwrap()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _set_members(table, key: str, values) -> None:
    """Edit a set-like integer array in place (drop removed, append added) so its comments survive."""
    values = [int(v) for v in values]
    current = table.get(key)
    if not isinstance(current, tomlkit.items.Array) or len(set(values)) != len(values):
        _set(table, key, values)
        return
    old = [int(v) for v in current.unwrap()]
    if len(set(old)) != len(old):
        _set(table, key, values)
        return
    for i in reversed(range(len(old))):
        if old[i] not in set(values):
            del current[i]
    for v in values:
        if v not in set(old):
            current.append(v)


def _stop_counties(mapping: dict[int, int]):
    inline = tomlkit.inline_table()
    for k, v in sorted(mapping.items()):
        inline[str(k)] = int(v)
    return inline


def _update_entries(doc, name: str, key: str, entries: list[tuple[object, dict]]) -> None:
    """Update the array of tables ``name`` entry by entry (matched on ``key``); add and drop as needed."""
    created = name not in doc or not isinstance(doc[name], tomlkit.items.AoT)
    if created:
        doc[name] = tomlkit.aot()
    aot = doc[name]
    wanted = {ident for ident, _ in entries}
    for i in reversed(range(len(aot))):
        if _plain(aot[i].get(key)) not in wanted:
            del aot[i]
    have = {_plain(t.get(key)): t for t in aot}
    for ident, values in entries:
        table = have.get(ident)
        if table is None:
            table = tomlkit.table()
            _fill_entry(table, values)
            aot.append(table)
        else:
            _fill_entry(table, values)
    if created and name != "cities":
        doc.add(tomlkit.nl())


def _fill_entry(table, values: dict) -> None:
    for k, v in values.items():
        if k in ("members", "prefectures"):
            _set_members(table, k, v)
        elif k == "stop_counties":
            if v:
                _set(table, k, _stop_counties(v))
            elif k in table:
                del table[k]
        else:
            _set(table, k, v)


def _fill(doc, layout: Layout):
    c = layout.circle
    fresh = "circle" not in doc
    _set(doc, "circle_overrides_clusters", bool(layout.circle_overrides_clusters))
    if fresh:
        doc.add(tomlkit.nl())
        doc["circle"] = tomlkit.table()
    circle = doc["circle"]
    for k in ("name_zh", "name_en", "colour", "source_zh", "source_en"):
        _set(circle, k, getattr(c, k))
    _set_members(circle, "members", c.members)
    if fresh:
        circle.add(tomlkit.nl())
    belts = [
        (
            b.key,
            {
                "key": b.key,
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "colour": b.colour,
                "band_km": int(b.band_km) if float(b.band_km).is_integer() else float(b.band_km),
                "stops": [int(s) for s in b.stops],
                "stop_counties": dict(b.stop_counties),
            },
        )
        for b in layout.belts
    ]
    _update_entries(doc, "belts", "key", belts)
    clusters = [
        (
            k.key,
            {
                "key": k.key,
                "name_zh": k.name_zh,
                "name_en": k.name_en,
                "colour": k.colour,
                "prefectures": [int(p) for p in k.prefectures],
            },
        )
        for k in layout.clusters
    ]
    _update_entries(doc, "clusters", "key", clusters)
    cities = [
        (
            city.adcode,
            {
                "adcode": int(city.adcode),
                "tier": city.tier,
                "seat": [float(city.seat[0]), float(city.seat[1])],
                "role_zh": city.role_zh,
                "role_en": city.role_en,
            },
        )
        for city in layout.cities.values()
    ]
    _update_entries(doc, "cities", "adcode", cities)
    return doc


def _canonical(layout: Layout) -> Layout:
    # set-like lists sorted: their order carries no meaning
    clusters = tuple(replace(k, prefectures=tuple(sorted(k.prefectures))) for k in layout.clusters)
    circle = replace(layout.circle, members=tuple(sorted(layout.circle.members)))
    return replace(layout, circle=circle, clusters=clusters)


def dumps_layout(layout: Layout, base: str | None = None) -> str:
    """Return the TOML text of a layout, written with :mod:`tomlkit`.

    Parameters
    ----------
    layout : Layout
        The layout to write.
    base : str, optional
        Text of an existing layout file to update. Only the values that changed are rewritten, so
        its comments and formatting survive; circle members and cluster prefectures are edited in
        place (removed ones dropped, new ones appended). Without ``base`` (or when ``base`` cannot be
        updated faithfully) a fresh, deterministic document is written.

    Returns
    -------
    str
        TOML text that :func:`load_layout` reads back as ``layout``.
    """
    if base is not None:
        try:
            text = tomlkit.dumps(_fill(tomlkit.parse(base), layout))
            again, problems = _parse(tomllib.loads(text))
            if again is not None and not problems and _canonical(again) == _canonical(layout):
                return text
        except (tomlkit.exceptions.TOMLKitError, tomllib.TOMLDecodeError, TypeError, ValueError):
            pass
    doc = tomlkit.document()
    doc.add(tomlkit.comment("一圈两带四群 provincial layout — saved by Renewal Atlas."))
    return tomlkit.dumps(_fill(doc, layout))


def save_layout(
    layout: Layout, path: str | Path | None = None, *, boundaries: Boundaries | None = None
) -> Path:
    """Validate a layout, then save it atomically, keeping the comments of the file it replaces.

    The existing file at ``path`` is updated with :mod:`tomlkit` (see :func:`dumps_layout`); the
    first save of the planner's copy starts from the bundled, commented ``geodata/layout.toml``.
    Written with :func:`geodata.atomic.atomic_write` (temporary file + ``os.replace`` under a lock).

    Parameters
    ----------
    layout : Layout
        The edited layout.
    path : str or Path, optional
        Target file; default :func:`user_layout_path`.
    boundaries : Boundaries, optional
        Boundaries to validate against (EPSG:4326); default :func:`~geodata.boundaries.load_boundaries`.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    DataValidationError
        Listing every problem of the layout; nothing is written then.
    OSError
        When the file cannot be written; the previous file is then unchanged.
    """
    path = Path(path) if path is not None else user_layout_path()
    problems = validate_layout(layout, boundaries or load_boundaries())
    if problems:
        raise DataValidationError(problems, source=str(path))
    with locked(path):
        if path.exists():
            base = path.read_text(encoding="utf-8")
        elif path == user_layout_path() and LAYOUT_TOML.exists():
            base = LAYOUT_TOML.read_text(encoding="utf-8")
        else:
            base = None
        atomic_write(path, dumps_layout(layout, base))
    return path


def reset_user_layout() -> bool:
    """Delete the planner's edited layout so the bundled ``geodata/layout.toml`` is used again.

    Returns
    -------
    bool
        True when an edited layout was removed, False when there was none.
    """
    return remove_file(user_layout_path())


def user_layout_path() -> Path:
    """Return where the UI saves a planner's edited layout.

    Returns
    -------
    Path
        ``RENEWAL_LAYOUT``, else ``<data dir>/layout.toml``.
    """
    env = os.environ.get("RENEWAL_LAYOUT")
    return Path(env) if env else data_dir() / "layout.toml"


def layout_path() -> Path:
    """Return the layout file in use.

    Returns
    -------
    Path
        The planner's edited copy (:func:`user_layout_path`) when it exists, else the bundled
        ``geodata/layout.toml``.
    """
    user = user_layout_path()
    return user if user.exists() else LAYOUT_TOML
