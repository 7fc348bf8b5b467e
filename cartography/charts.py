"""Altair chart builders that share their colours with the maps (no Streamlit: pages call ``st.altair_chart``).

Every categorical colour comes from :mod:`cartography.colours` through an explicit
``alt.Scale(domain=..., range=...)``, so "老旧小区" is the same red in the parcel map and in its bar chart, and
cluster 赣南 the same green on the layout map and in the cluster chart. Axis and legend titles arrive already
translated; category values are translated by the caller's ``labels`` mapping; numbers carry thousands
separators. Field names never reach the screen: the data is renamed to neutral internal columns and every
visible text is set explicitly.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from cartography.colours import SHARE_SCALE, domain_range

FONT = "Noto Sans CJK SC"
#: chart-wide look: CJK font, no chart border, readable sizes
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelFont": FONT, "titleFont": FONT},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelFont": FONT, "titleFont": FONT},
    "header": {"labelFontSize": 12, "titleFontSize": 12, "labelFont": FONT, "titleFont": FONT},
    "view": {"stroke": None},
}


def _configure(chart: alt.Chart) -> alt.Chart:
    return (
        chart.configure(font=FONT)
        .configure_axis(**CONFIG["axis"])
        .configure_legend(**CONFIG["legend"])
        .configure_header(**CONFIG["header"])
        .configure_view(stroke=None)
    )


def _shown(values: pd.Series, labels: Mapping[str, str] | None) -> pd.Series:
    labels = labels or {}
    return values.map(lambda v: str(labels.get(v, v)))


def category_bar(
    df: pd.DataFrame,
    *,
    category: str,
    value: str,
    colours: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    x_title: str,
    y_title: str,
    horizontal: bool = True,
    value_format: str = ",.0f",
    height: int | None = None,
    width: int | str = "container",
) -> alt.Chart:
    """One bar per category, coloured exactly as the map colours that category.

    Parameters
    ----------
    df : DataFrame
        One row per category.
    category, value : str
        Columns with the category key (as in ``colours``) and the bar length.
    colours : mapping of str to str
        Category key → hex colour (the map's palette, e.g. ``PARCEL_TYPE_COLOURS``).
    labels : mapping of str to str, optional
        Category key → translated text shown on the axis and in tooltips.
    x_title, y_title : str
        Translated axis titles: ``x_title`` names the categories, ``y_title`` the values.
    horizontal : bool
        Bars along x (categories on the y axis), the readable choice for Chinese names.
    value_format : str
        d3 number format of the value axis and tooltip (default thousands separators).

    Returns
    -------
    altair.Chart
        Colour scale with ``domain`` = translated category names of the whole palette (in palette order)
        and ``range`` = their colours.
    """
    domain, colour_range = domain_range(dict(colours), dict(labels or {}))
    data = pd.DataFrame({"cat": _shown(df[category], labels), "val": pd.to_numeric(df[value])})
    order = [d for d in domain if d in set(data["cat"])] + sorted(set(data["cat"]) - set(domain))
    cat_axis = alt.Y if horizontal else alt.X
    val_axis = alt.X if horizontal else alt.Y
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            cat_axis("cat:N", title=x_title, sort=order),
            val_axis("val:Q", title=y_title, axis=alt.Axis(format=value_format)),
            color=alt.Color("cat:N", scale=alt.Scale(domain=domain, range=colour_range), legend=None),
            tooltip=[
                alt.Tooltip("cat:N", title=x_title),
                alt.Tooltip("val:Q", title=y_title, format=value_format),
            ],
        )
        .properties(width=width, **({"height": height} if height else {}))
    )
    return _configure(chart)


def stacked_bar(
    df: pd.DataFrame,
    *,
    category: str,
    stack: str,
    value: str,
    colours: Mapping[str, str],
    stack_labels: Mapping[str, str] | None = None,
    category_labels: Mapping[str, str] | None = None,
    x_title: str,
    y_title: str,
    legend_title: str,
    horizontal: bool = True,
    value_format: str = ",.0f",
    height: int | None = None,
    width: int | str = "container",
) -> alt.Chart:
    """Bars per ``category`` stacked by ``stack``, the stack coloured with the map's palette.

    For example parcels per type (bars) stacked by project status (``STATUS_COLOURS``): the legend names the
    statuses in the palette's order (储备 → 完工) and the stack follows that order.

    Parameters
    ----------
    df : DataFrame
        Long format: one row per (category, stack) pair.
    category, stack, value : str
        Columns with the bar key, the stack key (as in ``colours``) and the segment length.
    colours : mapping of str to str
        Stack key → hex colour.
    stack_labels, category_labels : mapping of str to str, optional
        Translations of the stack and category keys.
    x_title, y_title, legend_title : str
        Translated titles of the category axis, the value axis and the legend.

    Returns
    -------
    altair.Chart
    """
    domain, colour_range = domain_range(dict(colours), dict(stack_labels or {}))
    data = pd.DataFrame(
        {
            "cat": _shown(df[category], category_labels),
            "stk": _shown(df[stack], stack_labels),
            "val": pd.to_numeric(df[value]),
        }
    )
    rank = {d: i for i, d in enumerate(domain)}
    data["ord"] = data["stk"].map(lambda s: rank.get(s, len(rank)))
    cat_axis = alt.Y if horizontal else alt.X
    val_axis = alt.X if horizontal else alt.Y
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            cat_axis("cat:N", title=x_title),
            val_axis("sum(val):Q", title=y_title, axis=alt.Axis(format=value_format)),
            color=alt.Color(
                "stk:N",
                title=legend_title,
                scale=alt.Scale(domain=domain, range=colour_range),
                sort=domain,
            ),
            order=alt.Order("ord:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("cat:N", title=x_title),
                alt.Tooltip("stk:N", title=legend_title),
                alt.Tooltip("val:Q", title=y_title, format=value_format),
            ],
        )
        .properties(width=width, **({"height": height} if height else {}))
    )
    return _configure(chart)


def share_bar(
    df: pd.DataFrame,
    *,
    category: str,
    share: str,
    x_title: str,
    y_title: str,
    height: int | None = None,
    width: int | str = "container",
) -> alt.Chart:
    """Served share (0…1) per unit, each bar in the class colour of the coverage map (same breaks).

    Parameters
    ----------
    df : DataFrame
        One row per unit (e.g. district) with its already-translated name.
    category, share : str
        Columns with the unit name and the served share as a fraction 0…1.
    x_title, y_title : str
        Translated titles of the unit axis and the share axis (the share is shown in %).

    Returns
    -------
    altair.Chart
        Colour scale of type ``threshold`` with the breaks and colours of ``SHARE_SCALE``.
    """
    data = pd.DataFrame({"cat": df[category].astype(str), "val": pd.to_numeric(df[share])})
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            alt.Y("cat:N", title=x_title, sort="-x"),
            alt.X("val:Q", title=y_title, axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "val:Q",
                scale=alt.Scale(
                    type="threshold", domain=list(SHARE_SCALE.breaks), range=list(SHARE_SCALE.colours)
                ),
                legend=None,
            ),
            tooltip=[alt.Tooltip("cat:N", title=x_title), alt.Tooltip("val:Q", title=y_title, format=".1%")],
        )
        .properties(width=width, **({"height": height} if height else {}))
    )
    return _configure(chart)


def cluster_chart(
    summary: pd.DataFrame, layout, *, lang: str, measures: Mapping[str, str], name_title: str = ""
) -> alt.Chart:
    """Area and county count of the four clusters, each bar in the cluster's colour on the layout map.

    Parameters
    ----------
    summary : DataFrame
        ``layers.layout.layout_summary(..., lang=lang)`` rows (``kind``, ``name``, ``area_km2``,
        ``county_count``).
    layout : geodata.layout.Layout
        Supplies the cluster colours (``layout.clusters[i].colour``) and names.
    lang : {"zh", "en"}
        Language of the cluster names in ``summary``.
    measures : mapping of str to str
        ``{"area_km2": translated title, "county_count": translated title}`` (one panel each).
    name_title : str
        Translated title of the cluster names in tooltips (e.g. "城镇群").

    Returns
    -------
    altair.Chart
        Side-by-side panels; colour domain = cluster names, range = their configured colours.
    """
    clusters = summary[summary["kind"] == "cluster"]
    colours = {(k.name_en if lang == "en" else k.name_zh): k.colour for k in layout.clusters}
    domain, colour_range = domain_range(colours)
    panels = []
    for column, title in measures.items():
        data = pd.DataFrame({"cat": clusters["name"].astype(str), "val": pd.to_numeric(clusters[column])})
        panels.append(
            alt.Chart(data)
            .mark_bar()
            .encode(
                alt.Y("cat:N", title=None, sort=domain),
                alt.X("val:Q", title=title, axis=alt.Axis(format=",.0f")),
                color=alt.Color("cat:N", scale=alt.Scale(domain=domain, range=colour_range), legend=None),
                tooltip=[
                    alt.Tooltip("cat:N", title=name_title),
                    alt.Tooltip("val:Q", title=title, format=",.0f"),
                ],
            )
            .properties(width=300, height=150)
        )
    return _configure(alt.hconcat(*panels).resolve_scale(x="independent"))
