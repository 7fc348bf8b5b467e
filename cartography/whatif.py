"""What-if overlays: the resident cells each proposed site newly serves, coloured per site (no Streamlit)."""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import shapely

from cartography.geojson import display_geojson, tooltip
from layers.crs import DISPLAY_CRS

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
