"""Map layers of the 一圈两带四群 layout: clusters, circle outline, belts, city seats (folium, no Streamlit)."""

from __future__ import annotations

import folium

from cartography.colours import TIER_COLOUR
from cartography.geojson import _label_record, display_geojson, escape_text, text_tooltip, tooltip
from geodata.layout import TIER_EN, Layout
from layers.layout import belt_bands, belt_lines, circle_outline, cluster_areas, layout_name

#: marker radius (px) by tier
TIER_RADIUS = {"省会": 9, "省域副中心": 8, "区域中心": 6.5, "重要节点": 5.5}


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
        tooltip=tooltip(["label"], [""]),
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
        tooltip=tooltip(["label"], [""]),
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
        tooltip=tooltip(["label"], [""]),
    ).add_to(group)
    lines = belt_lines(layout, counties)
    lines["label"] = [layout_name(r, lang) for _, r in lines.iterrows()]
    folium.GeoJson(
        display_geojson(lines, columns=("label", "colour")),
        style_function=lambda f: {
            "color": f["properties"]["colour"],
            "weight": 4,
            "dashArray": "12 6",
            "lineCap": "butt",
        },
        tooltip=tooltip(["label"], [""]),
    ).add_to(group)
    return group


def _crowded(adcode: int, seats: dict[int, tuple[float, float]]) -> bool:
    """A neighbour just east on about the same latitude: put this seat's label on the west side."""
    lon, lat = seats[adcode]
    return any(0 < ox - lon < 0.7 and abs(oy - lat) < 0.25 for a, (ox, oy) in seats.items() if a != adcode)


def seat_labels(layout: Layout, prefectures, *, lang: str = "zh", max_zoom: float = 30) -> list[list]:
    """Label records of the city seats (prefecture names beside their seat symbol; highest priority).

    Parameters
    ----------
    layout : Layout
        Supplies the seat positions and tiers.
    prefectures : GeoDataFrame
        ``adcode``, ``name_zh``, ``name_en`` (the label text, escaped here).
    lang : {"zh", "en"}
    max_zoom : float
        Hide above this zoom (where city-scale names take over).

    Returns
    -------
    list of list
        Records for :class:`cartography.mapkit.MapLabels`, anchored right of the seat (left when a
        neighbouring seat sits just east).
    """
    names = dict(zip(prefectures["adcode"], prefectures["name_en" if lang == "en" else "name_zh"]))
    seats = {a: c.seat for a, c in layout.cities.items()}
    out = []
    for adcode, city in layout.cities.items():
        lon, lat = city.seat
        rec = _label_record(
            lat, lon, names.get(adcode, adcode), "seat", 0, max_zoom, TIER_PRIORITY.get(city.tier, 4)
        )
        rec[9] = "l" if _crowded(adcode, seats) else "r"
        out.append(rec)
    return out


#: label priority by tier (the capital wins a clash)
TIER_PRIORITY = {"省会": 0, "省域副中心": 1, "区域中心": 2, "重要节点": 3}


def city_seats_layer(
    layout: Layout, prefectures, *, name: str, lang: str = "zh", with_labels: bool = True
) -> folium.FeatureGroup:
    """City seats as circle markers sized by tier (tooltip "city · tier", escaped).

    ``with_labels`` adds the names as fixed DivIcon labels; maps that use :func:`seat_labels` in a
    de-cluttered label layer pass ``False``.
    """
    group = folium.FeatureGroup(name=name)
    names = dict(zip(prefectures["adcode"], prefectures["name_en" if lang == "en" else "name_zh"]))
    seats = {a: c.seat for a, c in layout.cities.items()}
    for adcode, city in layout.cities.items():
        lon, lat = city.seat
        name_text = names.get(adcode, adcode)
        label = escape_text(name_text)
        tier = city.tier if lang == "zh" else TIER_EN.get(city.tier, city.tier)
        folium.CircleMarker(
            [lat, lon],
            radius=TIER_RADIUS.get(city.tier, 7),
            color="#ffffff",
            weight=2.5,
            fill=True,
            fill_color=TIER_COLOUR.get(city.tier, "#4d4d4d"),
            fill_opacity=1.0,
            tooltip=text_tooltip(f"{name_text} · {tier}"),
        ).add_to(group)
        if not with_labels:
            continue
        anchor = (
            (len(str(name_text)) * (8 if lang == "en" else 14) + 12, 24)
            if _crowded(adcode, seats)
            else (-10, 24)
        )
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
