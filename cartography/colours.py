"""Every colour on a map or chart, in one place: category palettes and stepped scales.

Stepped scales are branca ``StepColormap`` objects wrapped in :class:`StepScale`, so the map fill and its
legend come from the same breaks (bins closed on the left: ``lo ≤ v < hi``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from branca.colormap import StepColormap

NO_DATA = "#bdbdbd"

#: compounds built before 2000 = the national 老旧小区 definition: one red for both, on every map and chart
OLD_COMPOUND_RED = "#d7301f"

#: parcel type colours (DOMAIN.md §3 vocabulary)
PARCEL_TYPE_COLOURS = {
    "老旧小区": OLD_COMPOUND_RED,
    "老旧厂区": "#984ea3",
    "城中村": "#ff7f00",
    "危旧房": "#a65628",
    "预制板房屋": "#f781bf",
    "低效用地": "#999999",
}
#: project status colours (储备 → 完工)
STATUS_COLOURS = {
    "储备": "#bdbdbd",
    "谋划": "#fdae61",
    "立项": "#abd9e9",
    "实施": "#2c7bb6",
    "完工": "#1a9641",
}
#: 留改拆 decision colours
DECISION_COLOURS = {"留": "#1a9641", "改": "#fdae61", "拆": "#d7191c"}
#: 城市体检 grade colours
GRADE_COLOURS = {"green": "#1a9641", "yellow": "#fdae61", "red": "#d7191c", "none": NO_DATA}
#: city seat colour by tier (layout map): a dark-to-grey ramp (size also steps by tier), so seat dots never
#: read as one of the cluster fills (pastels) or belt lines (saturated orange / blue) configured in layout.toml
TIER_COLOUR = {"省会": "#111111", "省域副中心": "#3f3f3f", "区域中心": "#6e6e6e", "重要节点": "#9c9c9c"}
#: highlight outline of the selected prefecture on the layout map: bright yellow on a dark casing (no
#: category uses it)
HIGHLIGHT = "#ffe600"
HIGHLIGHT_CASING = "#111111"
#: street context lines by 道路等级 (``kind``); "" = unknown class
STREET_STYLES = {
    "主干路": {"color": "#8c8c8c", "weight": 2.4, "opacity": 0.9},
    "次干路": {"color": "#a0a0a0", "weight": 1.6, "opacity": 0.85},
    "支路": {"color": "#b4b4b4", "weight": 0.9, "opacity": 0.8},
    "步行道": {"color": "#c3c3c3", "weight": 0.7, "opacity": 0.8, "dashArray": "2 3"},
    "": {"color": "#b0b0b0", "weight": 0.9, "opacity": 0.8},
}
#: outline colours of the boundary hierarchy (maps and legends)
BOUNDARY_COLOURS = {
    "province": "#252525",
    "prefecture": "#5c4d7d",
    "county": "#8c8c8c",
    "district": "#08519c",
}


def domain_range(
    colours: dict[str, str], labels: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """The (domain, range) of a categorical colour scale, in palette order: the one mapping a map legend and
    a chart share. ``labels`` translates the keys (a key without a label stays as is).

    Parameters
    ----------
    colours : dict of str to str
        Category key → hex colour (e.g. :data:`PARCEL_TYPE_COLOURS`).
    labels : dict of str to str, optional
        Category key → text shown (already translated).

    Returns
    -------
    (list of str, list of str)
        Shown category names and their colours, same length, same order.
    """
    labels = labels or {}
    return [str(labels.get(k, k)) for k in colours], list(colours.values())


class StepScale:
    """A stepped colour scale: ``len(breaks) + 1`` classes between ``vmin`` and ``vmax``.

    Parameters
    ----------
    breaks : sequence of float
        Inner class boundaries, increasing.
    colours : sequence of str
        One hex colour per class (``len(breaks) + 1``).
    vmin, vmax : float
        The ends of the scale (values outside take the first / last class).
    """

    def __init__(self, breaks: Sequence[float], colours: Sequence[str], *, vmin: float, vmax: float):
        if len(colours) != len(breaks) + 1:
            raise ValueError(f"{len(breaks)} breaks need {len(breaks) + 1} colours, got {len(colours)}")
        self.breaks = tuple(float(b) for b in breaks)
        self.colours = tuple(colours)
        self.vmin, self.vmax = float(vmin), float(vmax)
        self.colormap = StepColormap(
            list(self.colours), index=[self.vmin, *self.breaks, self.vmax], vmin=self.vmin, vmax=self.vmax
        )

    def colour(self, value: float) -> str:
        """Hex colour of the class ``value`` falls in (no-data grey for NaN / None)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return NO_DATA
        return self.colormap.rgb_hex_str(float(value))

    def bounds(self) -> list[tuple[float, float]]:
        """(lower, upper) of every class."""
        edges = [self.vmin, *self.breaks, self.vmax]
        return list(zip(edges[:-1], edges[1:]))

    def legend_items(self, label: Callable[[float, float, int], str]) -> list[tuple[str, str]]:
        """(colour, text) per class; ``label(lo, hi, i)`` writes the text of class ``i``."""
        return [(c, label(lo, hi, i)) for i, (c, (lo, hi)) in enumerate(zip(self.colours, self.bounds()))]


#: served share 0…1 (red = poorly served, blue = well served)
SHARE_SCALE = StepScale(
    [0.2, 0.4, 0.6, 0.8], ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#2166ac"], vmin=0.0, vmax=1.0
)
#: screening score 0…100
SCORE_SCALE = StepScale(
    [20, 40, 60, 80], ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"], vmin=0.0, vmax=100.0
)
#: compound build year: before 2000 (national 老旧小区 definition), 2000–2009, 2010 and later
#: (before 2000 uses the 老旧小区 red; 2000–2009 a straw yellow that no parcel type uses; 2010+ light blue)
BUILD_YEAR_SCALE = StepScale([2000, 2010], [OLD_COMPOUND_RED, "#f2c84b", "#91bfdb"], vmin=1949, vmax=2100)
BUILD_YEAR_LABELS = ("legend.built_before_2000", "legend.built_2000_2010", "legend.built_after_2010")


def share_colour(share: float) -> str:
    """Colour of a served share (0…1)."""
    return SHARE_SCALE.colour(share)


def score_colour(score: float) -> str:
    """Colour of a screening score (0…100)."""
    return SCORE_SCALE.colour(score)


def build_year_colour(year: int) -> str:
    """Colour of the build-year class a compound falls in."""
    return BUILD_YEAR_SCALE.colour(year)
