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
    return str(row["name_en"] if lang == "en" else row["name_zh"])


def circle_members(counties: gpd.GeoDataFrame, layout: Layout) -> gpd.GeoDataFrame:
    """The member counties of the metropolitan circle."""
    return counties[counties["adcode"].isin(layout.circle.members)]


def circle_outline(counties: gpd.GeoDataFrame, layout: Layout) -> gpd.GeoDataFrame:
    """Dissolved outline of the circle's member counties, with ``area_km2`` and ``county_count``."""
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
    """(lon, lat) of a city seat, or of the named county's representative point for a belt stop override."""
    if stop_county is not None and counties is not None:
        row = counties[counties["adcode"] == stop_county]
        if not row.empty:
            p = row.to_crs(ANALYSIS_CRS).geometry.representative_point().to_crs(DISPLAY_CRS).iloc[0]
            return (p.x, p.y)
    return layout.cities[prefecture].seat


def belt_lines(layout: Layout, counties: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """Each belt as a LineString through its stops' seats, in order (EPSG:4326)."""
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
    """Each belt's band: the line buffered by ``band_km`` each side in metres, optionally clipped."""
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
    """Each cluster dissolved from its prefectures' counties (less circle counties when the circle
    overrides clusters), with ``area_km2``, ``county_count`` and member prefecture names.
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
    """The map-click handler: adcode of the prefecture containing (lon, lat) in WGS84, or None."""
    if lon is None or lat is None:
        return None
    hits = prefectures[prefectures.geometry.contains(Point(float(lon), float(lat)))]
    return int(hits.iloc[0]["adcode"]) if len(hits) else None


def city_membership(
    adcode: int, layout: Layout, prefectures: gpd.GeoDataFrame, counties: gpd.GeoDataFrame
) -> dict:
    """What a city is in the layout: tier, role, circle (all / partial, which counties), belts, cluster,
    area (km², equal-area) and county count.
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
    """One row per layout element: kind, name, member cities / counties, area km², county count."""
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
    """Map-click handler for st_folium's return value (``{"last_clicked": {"lat", "lng"}}``)."""
    if not returned:
        return None
    click = returned.get("last_clicked")
    if not click or click.get("lat") is None or click.get("lng") is None:
        return None
    return city_at(click["lng"], click["lat"], prefectures)
