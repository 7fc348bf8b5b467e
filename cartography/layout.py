"""Map layers of the 一圈两带四群 layout: clusters, circle outline, belts, city seats (folium, no Streamlit)."""

from __future__ import annotations

import html

import folium

from cartography.colours import TIER_COLOUR
from cartography.geojson import display_geojson
from geodata.layout import TIER_EN, Layout
from layers.layout import belt_bands, belt_lines, circle_outline, cluster_areas, layout_name

#: marker radius (px) by tier
TIER_RADIUS = {"省会": 13, "省域副中心": 11, "区域中心": 9, "重要节点": 7}


def clusters_layer(
    prefectures, counties, layout: Layout, *, name: str, lang: str = "zh"
) -> folium.FeatureGroup:
    """The four clusters as translucent fills in their configured colours."""
    areas = cluster_areas(prefectures, counties, layout)
    areas["label"] = [layout_name(r, lang) for _, r in areas.iterrows()]
    data = display_geojson(areas, simplify_m=500, columns=("label", "colour"))
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        data,
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 0.5,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.45,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=[""], sticky=True),
    ).add_to(group)
    return group


def circle_layer(counties, layout: Layout, *, name: str, lang: str = "zh") -> folium.FeatureGroup:
    """The circle as the dissolved outline of its member counties (thick line, light hatch-like fill)."""
    outline = circle_outline(counties, layout)
    outline["label"] = [layout_name(outline.iloc[0], lang)]
    data = display_geojson(outline, simplify_m=300, columns=("label",))
    colour = layout.circle.colour
    group = folium.FeatureGroup(name=name)
    folium.GeoJson(
        data,
        style_function=lambda _f: {"color": colour, "weight": 4, "fillColor": colour, "fillOpacity": 0.12},
        tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=[""], sticky=True),
    ).add_to(group)
    return group


def belts_layer(
    layout: Layout, counties, *, name: str, lang: str = "zh", clip_to=None
) -> folium.FeatureGroup:
    """Belts: translucent band of the configured width plus the corridor line."""
    group = folium.FeatureGroup(name=name)
    bands = belt_bands(layout, counties, clip_to=clip_to)
    bands["label"] = [f"{layout_name(r, lang)} (±{r['band_km']:g} km)" for _, r in bands.iterrows()]
    folium.GeoJson(
        display_geojson(bands, simplify_m=300, columns=("label", "colour")),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 0,
            "fillColor": f["properties"]["colour"],
            "fillOpacity": 0.18,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=[""], sticky=True),
    ).add_to(group)
    lines = belt_lines(layout, counties)
    lines["label"] = [layout_name(r, lang) for _, r in lines.iterrows()]
    folium.GeoJson(
        display_geojson(lines, columns=("label", "colour")),
        style_function=lambda f: {"color": f["properties"]["colour"], "weight": 4, "dashArray": "10 6"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], aliases=[""], sticky=True),
    ).add_to(group)
    return group


def city_seats_layer(layout: Layout, prefectures, *, name: str, lang: str = "zh") -> folium.FeatureGroup:
    """City seats as circle markers sized by tier, with permanent readable labels (escaped)."""
    group = folium.FeatureGroup(name=name)
    names = dict(zip(prefectures["adcode"], prefectures["name_en" if lang == "en" else "name_zh"]))
    seats = {a: c.seat for a, c in layout.cities.items()}
    for adcode, city in layout.cities.items():
        lon, lat = city.seat
        label = html.escape(str(names.get(adcode, adcode)))
        # a neighbour just east on about the same latitude: put this label on the west side
        crowded = any(
            0 < ox - lon < 0.7 and abs(oy - lat) < 0.25 for a, (ox, oy) in seats.items() if a != adcode
        )
        anchor = (len(label) * (8 if lang == "en" else 14) + 12, 24) if crowded else (-10, 24)
        tier = html.escape(city.tier if lang == "zh" else TIER_EN.get(city.tier, city.tier))
        folium.CircleMarker(
            [lat, lon],
            radius=TIER_RADIUS.get(city.tier, 7),
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=TIER_COLOUR.get(city.tier, "#4d4d4d"),
            fill_opacity=0.95,
            tooltip=f"{label} · {tier}",
        ).add_to(group)
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                icon_size=(120, 22),
                icon_anchor=anchor,
                html=(
                    f"<div style=\"font:600 14px 'Noto Sans CJK SC',sans-serif;color:#1a1a1a;"
                    f'text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;white-space:nowrap">{label}</div>'
                ),
            ),
        ).add_to(group)
    return group
