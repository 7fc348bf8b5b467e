"""One colour module: stepped scales give the map fill and the legend from the same breaks."""

import math

import pytest

from cartography.colours import (
    NO_DATA,
    SCORE_SCALE,
    SHARE_SCALE,
    StepScale,
    build_year_colour,
    score_colour,
    share_colour,
)


def test_share_classes_closed_on_the_left():
    assert share_colour(0.0) == "#b2182b"
    assert share_colour(0.1999) == "#b2182b"
    assert share_colour(0.2) == "#ef8a62"
    assert share_colour(0.8) == "#2166ac" and share_colour(1.0) == "#2166ac"


def test_score_and_build_year_classes():
    assert (
        score_colour(19.9) == "#ffffcc" and score_colour(20) == "#a1dab4" and score_colour(100) == "#253494"
    )
    assert build_year_colour(1999) == "#d7301f" and build_year_colour(2000) == "#f2c84b"
    assert build_year_colour(2010) == "#91bfdb"


def test_missing_value_is_no_data_grey():
    assert share_colour(math.nan) == NO_DATA and SCORE_SCALE.colour(None) == NO_DATA


def test_legend_items_follow_the_breaks():
    items = SHARE_SCALE.legend_items(lambda lo, hi, _i: f"{lo * 100:.0f}–{hi * 100:.0f}%")
    assert items[0] == ("#b2182b", "0–20%") and items[-1] == ("#2166ac", "80–100%")
    assert len(items) == 5


def test_colour_count_must_match_breaks():
    with pytest.raises(ValueError, match="2 breaks need 3 colours"):
        StepScale([1, 2], ["#000000", "#ffffff"], vmin=0, vmax=3)
