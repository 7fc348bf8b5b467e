"""What-if overlays: the resident cells each proposed site newly serves, coloured per site (no Streamlit)."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from cartography.colours import share_colour
from cartography.geojson import display_geojson, escape_text, text_tooltip, tooltip
from layers.crs import DISPLAY_CRS
from layers.memo import derived

#: one colour per proposed site (cycled), distinct from the served-share scale
SITE_COLOURS = ("#7b3294", "#008837", "#e66101", "#0571b0", "#ca0020", "#4d4d4d")


def site_colour(i: int) -> str:
    """Colour of the i-th proposed site (0-based) and of the cells it newly serves."""
    return SITE_COLOURS[i % len(SITE_COLOURS)]


def catchment_layer(
    resident_xy: np.ndarray,
    population: np.ndarray,
    site_of_cell: np.ndarray,
    *,
    crs,
    site_labels: list[str],
    name: str,
    aliases: tuple[str, str],
) -> folium.FeatureGroup:
    """Resident cells newly served by a what-if, as small dots in the colour of the site serving them.

    Parameters
    ----------
    resident_xy : numpy.ndarray
        Shape (n, 2) resident coordinates in ``crs`` (metres).
    population : numpy.ndarray
        Shape (n,) residents per point.
    site_of_cell : numpy.ndarray
        Shape (n,) position of the proposed site newly serving each point, -1 for none.
    crs : str or pyproj.CRS
        CRS of ``resident_xy``.
    site_labels : list of str
        Display label per proposed site (escaped on output).
    name : str
        Layer name.
    aliases : tuple of (str, str)
        Tooltip aliases for the site label and the residents.
    """
    group = folium.FeatureGroup(name=name)
    sel = np.flatnonzero(site_of_cell >= 0)
    if not len(sel):
        return group
    gdf = gpd.GeoDataFrame(
        {
            "site": [site_labels[i] for i in site_of_cell[sel]],
            "pop": np.round(population[sel]).astype(int),
            "colour": [site_colour(i) for i in site_of_cell[sel]],
        },
        geometry=shapely.points(resident_xy[sel]),
        crs=crs,
    ).to_crs(DISPLAY_CRS)
    folium.GeoJson(
        display_geojson(gdf, columns=("site", "pop", "colour")),
        marker=folium.CircleMarker(radius=4, weight=0, fill=True, fill_opacity=0.85),
        style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": f["properties"]["colour"]},
        tooltip=tooltip(("site", "pop"), aliases),
    ).add_to(group)
    return group


def proposed_layer(proposed: pd.DataFrame, *, name: str) -> folium.FeatureGroup:
    """The proposed what-if sites as red dots (the same markers as ``coverage_map(proposed=...)``).

    Parameters
    ----------
    proposed : pandas.DataFrame
        ``lon``, ``lat`` (WGS84 degrees) and ``type_label`` (shown on hover, escaped).
    name : str
        Layer name.
    """
    group = folium.FeatureGroup(name=name)
    for lon, lat, label in zip(proposed["lon"], proposed["lat"], proposed["type_label"], strict=True):
        folium.CircleMarker(
            [lat, lon],
            radius=9,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color="#d7191c",
            fill_opacity=1.0,
            tooltip=text_tooltip(f"{label} ({lon:.5f}, {lat:.5f})"),
        ).add_to(group)
    return group


def changed_share_layer(
    communities: gpd.GeoDataFrame,
    before: pd.DataFrame,
    after: pd.DataFrame,
    *,
    name: str,
    aliases: tuple[str, str, str],
) -> folium.FeatureGroup:
    """The communities whose served share a what-if changes, in the colour of their new share.

    Drawn over the community choropleth of the map before the change, so the map shows the scenario
    without redrawing the communities that did not change.

    Parameters
    ----------
    communities : geopandas.GeoDataFrame
        ``community_id`` and ``name`` (escaped), any CRS.
    before, after : pandas.DataFrame
        :func:`layers.coverage.share_by` by ``community_id`` before and after the change (``served_share``
        0…1, ``population`` residents).
    name : str
        Layer name.
    aliases : tuple of (str, str, str)
        Tooltip aliases: community, served share before → after (%), residents.
    """
    group = folium.FeatureGroup(name=name)
    old = before["served_share"].reindex(after.index).fillna(0.0)
    changed = after.index[(after["served_share"] - old).abs() > 1e-12]
    if not len(changed):
        return group
    changed = set(changed)
    features = []
    for cid, name_text, geometry in community_outlines(communities):
        if cid not in changed:
            continue
        share, was = float(after.at[cid, "served_share"]), float(old.at[cid])
        pop = after.at[cid, "population"]
        props = {
            "name": name_text,
            "change": escape_text(f"{was * 100:.1f} → {share * 100:.1f}"),
            "pop": escape_text(f"{0.0 if pd.isna(pop) else pop:,.0f}"),
            "colour": share_colour(share),
        }
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    if not features:
        return group
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda f: {
            "color": "#222222",
            "weight": 1.4,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.7,
        },
        tooltip=tooltip(("name", "change", "pop"), aliases),
    ).add_to(group)
    return group


def community_outlines(communities: gpd.GeoDataFrame) -> list[tuple]:
    """Each community's ``(community_id, escaped name, display outline)`` in row order, the outline simplified
    10 m, in EPSG:4326 and rounded to 5 decimals as :func:`cartography.geojson.display_geojson` writes it.
    Prepared once per communities layer (:mod:`layers.memo`): a what-if click only picks the communities
    it changed."""

    def build():
        gj = display_geojson(communities, simplify_m=10, columns=("name",))
        return [
            (cid, f["properties"]["name"], f["geometry"])
            for cid, f in zip(communities["community_id"], gj["features"], strict=True)
        ]

    return derived(communities, ("community_outlines", 10, 5), build)
