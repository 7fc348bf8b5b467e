"""一圈两带四群 analysis (pure: GeoDataFrames + a Layout in, new objects out).

Areas are equal-area km² (``AREA_CRS``); belt bands are buffered in metres (``ANALYSIS_CRS``); display in
EPSG:4326 with geometry simplified for drawing only.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import LineString, Point

from geodata.layout import TIER_EN, Layout
from layers.crs import ANALYSIS_CRS, DISPLAY_CRS, area_km2


def layout_name(row, lang: str) -> str:
    """Return the name of a layout element in a language.

    Parameters
    ----------
    row : mapping
        Row (or dict) with ``name_zh`` and ``name_en``.
    lang : str
        "en" for English; any other value gives Chinese.

    Returns
    -------
    str
        The name.
    """
    return str(row["name_en"] if lang == "en" else row["name_zh"])


def circle_members(counties: gpd.GeoDataFrame, layout: Layout) -> gpd.GeoDataFrame:
    """Select the member counties of the metropolitan circle.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons with ``adcode``, any CRS.
    layout : geodata.layout.Layout
        The layout.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of ``counties`` whose ``adcode`` is a circle member (same CRS).
    """
    return counties[counties["adcode"].isin(layout.circle.members)]


def circle_outline(counties: gpd.GeoDataFrame, layout: Layout) -> gpd.GeoDataFrame:
    """Dissolve the circle's member counties into one outline.

    Parameters
    ----------
    counties : geopandas.GeoDataFrame
        County polygons with ``adcode``, any CRS (e.g. EPSG:4326 lon/lat).
    layout : geodata.layout.Layout
        The layout.

    Returns
    -------
    geopandas.GeoDataFrame
        One row in the counties' CRS: ``name_zh``, ``name_en``, ``county_count`` and ``area_km2``
        (equal-area km²).
    """
    members = circle_members(counties, layout)
    geom = shapely.union_all(members.geometry.values)
    out = gpd.GeoDataFrame(
        {
            "name_zh": [layout.circle.name_zh],
            "name_en": [layout.circle.name_en],
            "county_count": [len(members)],
        },
        geometry=[geom],
        crs=counties.crs,
    )
    out["area_km2"] = area_km2(out).to_numpy()
    return out


def seat_point(
    layout: Layout, prefecture: int, counties: gpd.GeoDataFrame | None = None, stop_county: int | None = None
) -> tuple[float, float]:
    """Return the EPSG:4326 (lon, lat) of a belt stop: a city seat or an override county's point.

    Parameters
    ----------
    layout : geodata.layout.Layout
        The layout (city seats in EPSG:4326 lon/lat).
    prefecture : int
        Prefecture adcode of the stop.
    counties : geopandas.GeoDataFrame, optional
        County polygons with ``adcode`` (any CRS), needed for an override.
    stop_county : int, optional
        Adcode of a county replacing the city seat as the stop; its representative point (computed in
        ``ANALYSIS_CRS``, EPSG:32650) is used when the county is found.

    Returns
    -------
    tuple of (float, float)
        Longitude and latitude in degrees (EPSG:4326).

    Raises
    ------
    KeyError
        If ``prefecture`` is not a city of the layout (and no override county is found).
    """
    if stop_county is not None and counties is not None:
        row = counties[counties["adcode"] == stop_county]
        if not row.empty:
            p = row.to_crs(ANALYSIS_CRS).geometry.representative_point().to_crs(DISPLAY_CRS).iloc[0]
            return (p.x, p.y)
    return layout.cities[prefecture].seat


def belt_lines(layout: Layout, counties: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Draw each belt as a LineString through its stops' seats, in order.

    Parameters
    ----------
    layout : geodata.layout.Layout
        The layout.
    counties : geopandas.GeoDataFrame, optional
        County polygons, for stop overrides (see :func:`seat_point`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per belt in EPSG:4326 lon/lat: ``key``, ``name_zh``, ``name_en``, ``colour``, ``band_km``
        (km), ``stops`` (prefecture adcodes) and the line geometry.
    """
    rows = []
    for b in layout.belts:
        coords = [seat_point(layout, s, counties, b.stop_counties.get(s)) for s in b.stops]
        rows.append(
            {
                "key": b.key,
                "name_zh": b.name_zh,
                "name_en": b.name_en,
                "colour": b.colour,
                "band_km": b.band_km,
                "stops": list(b.stops),
                "geometry": LineString(coords),
            }
        )
    return gpd.GeoDataFrame(rows, crs=DISPLAY_CRS)


def belt_bands(
    layout: Layout, counties: gpd.GeoDataFrame | None = None, *, clip_to: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame:
    """Build each belt's band: the line buffered by ``band_km`` each side, optionally clipped.

    The buffer is computed in ``ANALYSIS_CRS`` (EPSG:32650, metres); areas are equal-area km².

    Parameters
    ----------
    layout : geodata.layout.Layout
        The layout.
    counties : geopandas.GeoDataFrame, optional
        County polygons, for stop overrides (see :func:`seat_point`).
    clip_to : geopandas.GeoDataFrame, optional
        Polygons (any CRS) whose union clips the bands, e.g. the prefectures.

    Returns
    -------
    geopandas.GeoDataFrame
        The :func:`belt_lines` columns with band polygons in EPSG:4326 lon/lat, plus ``area_km2``.
    """
    lines = belt_lines(layout, counties).to_crs(ANALYSIS_CRS)
    bands = lines.copy()
    bands["geometry"] = [g.buffer(km * 1000.0) for g, km in zip(lines.geometry, lines["band_km"])]
    if clip_to is not None:
        clip_geom = shapely.union_all(clip_to.to_crs(ANALYSIS_CRS).geometry.values)
        bands["geometry"] = bands.geometry.intersection(clip_geom)
    bands = bands.to_crs(DISPLAY_CRS)
    bands["area_km2"] = area_km2(bands).to_numpy()
    return bands


def cluster_areas(
    prefectures: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, layout: Layout
) -> gpd.GeoDataFrame:
    """Dissolve each cluster from its prefectures' counties.

    Circle counties are left out when the circle overrides clusters.

    Parameters
    ----------
    prefectures : geopandas.GeoDataFrame
        Prefectures with ``adcode``, ``name_zh`` and ``name_en``.
    counties : geopandas.GeoDataFrame
        County polygons with ``adcode`` and ``prefecture_adcode``, any CRS.
    layout : geodata.layout.Layout
        The layout.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per cluster in the counties' CRS: ``key``, ``name_zh``, ``name_en``, ``colour``,
        ``prefectures`` (adcodes), ``members_zh``, ``members_en`` (prefecture names), ``county_count`` and
        ``area_km2`` (equal-area km²).
    """
    rows = []
    circle = set(layout.circle.members) if layout.circle_overrides_clusters else set()
    for k in layout.clusters:
        cs = counties[counties["prefecture_adcode"].isin(k.prefectures) & ~counties["adcode"].isin(circle)]
        names = prefectures[prefectures["adcode"].isin(k.prefectures)]
        rows.append(
            {
                "key": k.key,
                "name_zh": k.name_zh,
                "name_en": k.name_en,
                "colour": k.colour,
                "prefectures": list(k.prefectures),
                "members_zh": "、".join(names["name_zh"]),
                "members_en": ", ".join(names["name_en"]),
                "county_count": len(cs),
                "geometry": shapely.union_all(cs.geometry.values),
            }
        )
    out = gpd.GeoDataFrame(rows, crs=counties.crs)
    out["area_km2"] = area_km2(out).to_numpy()
    return out


def city_at(lon: float, lat: float, prefectures: gpd.GeoDataFrame) -> int | None:
    """Return the adcode of the prefecture containing a clicked point (map-click handler).

    Parameters
    ----------
    lon, lat : float
        Clicked point in EPSG:4326 lon/lat degrees (WGS84); None gives None.
    prefectures : geopandas.GeoDataFrame
        Prefecture polygons in EPSG:4326 with ``adcode``.

    Returns
    -------
    int or None
        The adcode of the first containing prefecture, or None.
    """
    if lon is None or lat is None:
        return None
    hits = prefectures[prefectures.geometry.contains(Point(float(lon), float(lat)))]
    return int(hits.iloc[0]["adcode"]) if len(hits) else None


def city_membership(
    adcode: int, layout: Layout, prefectures: gpd.GeoDataFrame, counties: gpd.GeoDataFrame
) -> dict:
    """Describe a city's place in the layout.

    Parameters
    ----------
    adcode : int
        Prefecture adcode.
    layout : geodata.layout.Layout
        The layout.
    prefectures : geopandas.GeoDataFrame
        Prefecture polygons with ``adcode``, ``name_zh``, ``name_en``, any CRS.
    counties : geopandas.GeoDataFrame
        County polygons with ``adcode``, ``prefecture_adcode``, ``name_zh``, ``name_en``.

    Returns
    -------
    dict
        ``adcode``, ``name_zh``, ``name_en``, ``tier``, ``tier_en``, ``role_zh``, ``role_en``, ``circle``
        ("all", "partial" or "none"), ``circle_counties_zh`` / ``_en`` (member counties), ``belts`` (belt
        keys with the city as a stop), ``cluster`` (key or None), ``area_km2`` (equal-area km²) and
        ``county_count``.

    Raises
    ------
    KeyError
        If ``adcode`` is not a city of the layout.
    IndexError
        If ``adcode`` is not in ``prefectures``.
    """
    city = layout.cities[int(adcode)]
    cs = counties[counties["prefecture_adcode"] == int(adcode)]
    in_circle = cs[cs["adcode"].isin(layout.circle.members)]
    cluster = layout.cluster_of(int(adcode))
    pref = prefectures[prefectures["adcode"] == int(adcode)]
    return {
        "adcode": int(adcode),
        "name_zh": str(pref.iloc[0]["name_zh"]),
        "name_en": str(pref.iloc[0]["name_en"]),
        "tier": city.tier,
        "tier_en": TIER_EN.get(city.tier, city.tier),
        "role_zh": city.role_zh,
        "role_en": city.role_en,
        "circle": "all"
        if len(in_circle) == len(cs) and len(cs)
        else ("partial" if len(in_circle) else "none"),
        "circle_counties_zh": list(in_circle["name_zh"]),
        "circle_counties_en": list(in_circle["name_en"]),
        "belts": [b.key for b in layout.belts if int(adcode) in b.stops],
        "cluster": cluster.key if cluster else None,
        "area_km2": float(area_km2(pref).iloc[0]),
        "county_count": int(len(cs)),
    }


def layout_summary(
    prefectures: gpd.GeoDataFrame, counties: gpd.GeoDataFrame, layout: Layout, *, lang: str = "zh"
) -> pd.DataFrame:
    """Summarise the layout: one row per element (circle, belts, clusters).

    Parameters
    ----------
    prefectures : geopandas.GeoDataFrame
        Prefecture polygons with ``adcode``, ``name_zh``, ``name_en``, any CRS.
    counties : geopandas.GeoDataFrame
        County polygons with ``adcode``, ``prefecture_adcode`` and names, in EPSG:4326 lon/lat (belt
        membership is tested against the EPSG:4326 bands).
    layout : geodata.layout.Layout
        The layout.
    lang : str, default "zh"
        "en" for English names and separators, else Chinese.

    Returns
    -------
    pandas.DataFrame
        Columns ``kind`` ("circle", "belt", "cluster"), ``key``, ``name``, ``members`` (member cities),
        ``area_km2`` (equal-area km²; belt bands clipped to the prefectures) and ``county_count`` (for a
        belt, counties whose representative point lies in the band).
    """
    rows = []
    circ = circle_outline(counties, layout)
    members = circle_members(counties, layout)
    pref_names = dict(zip(prefectures["adcode"], prefectures["name_en" if lang == "en" else "name_zh"]))
    sep = ", " if lang == "en" else "、"
    rows.append(
        {
            "kind": "circle",
            "key": "circle",
            "name": layout_name(circ.iloc[0], lang),
            "members": sep.join(pref_names[p] for p in sorted(set(members["prefecture_adcode"]))),
            "area_km2": float(circ.iloc[0]["area_km2"]),
            "county_count": int(len(members)),
        }
    )
    bands = belt_bands(layout, counties, clip_to=prefectures)
    for _, b in bands.iterrows():
        within = counties[counties.geometry.representative_point().within(b.geometry)]
        rows.append(
            {
                "kind": "belt",
                "key": b["key"],
                "name": layout_name(b, lang),
                "members": " – ".join(pref_names[s] for s in b["stops"]),
                "area_km2": float(b["area_km2"]),
                "county_count": int(len(within)),
            }
        )
    for _, k in cluster_areas(prefectures, counties, layout).iterrows():
        rows.append(
            {
                "kind": "cluster",
                "key": k["key"],
                "name": layout_name(k, lang),
                "members": k["members_en" if lang == "en" else "members_zh"],
                "area_km2": float(k["area_km2"]),
                "county_count": int(k["county_count"]),
            }
        )
    return pd.DataFrame(rows)


def city_from_click(returned: dict | None, prefectures: gpd.GeoDataFrame) -> int | None:
    """Return the prefecture adcode clicked in st_folium's return value (map-click handler).

    Parameters
    ----------
    returned : dict or None
        st_folium's return value, ``{"last_clicked": {"lat": ..., "lng": ...}}`` in EPSG:4326 degrees.
    prefectures : geopandas.GeoDataFrame
        Prefecture polygons in EPSG:4326 with ``adcode``.

    Returns
    -------
    int or None
        The adcode of the clicked prefecture, or None without a click or outside every prefecture.
    """
    if not returned:
        return None
    click = returned.get("last_clicked")
    if not click or click.get("lat") is None or click.get("lng") is None:
        return None
    return city_at(click["lng"], click["lat"], prefectures)
