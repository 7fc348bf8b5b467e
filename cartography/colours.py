"""Every colour on a map or chart, in one place: category palettes and stepped scales.

Stepped scales are branca ``StepColormap`` objects wrapped in :class:`StepScale`, so the map fill and its
legend come from the same breaks (bins closed on the left: ``lo ≤ v < hi``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from branca.colormap import StepColormap

NO_DATA = "#bdbdbd"

#: parcel type colours (DOMAIN.md §3 vocabulary)
PARCEL_TYPE_COLOURS = {
    "老旧小区": "#e41a1c",
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
#: city seat colour by tier (layout map)
TIER_COLOUR = {"省会": "#b2182b", "省域副中心": "#d6604d", "区域中心": "#f4a582", "重要节点": "#4d4d4d"}


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
BUILD_YEAR_SCALE = StepScale([2000, 2010], ["#d7301f", "#fc8d59", "#91bfdb"], vmin=1949, vmax=2100)
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
