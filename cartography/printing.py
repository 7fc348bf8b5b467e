"""Print layouts for PNG/PDF map exports (no Streamlit).

A print layout is a folium map prepared for a still image: the interactive controls are removed (zoom and
full-screen buttons, the layer check-boxes, the attribution), and the map is framed like a planning drawing —
a title band naming what is shown with its key figure, the map with its legend, scale bar and north arrow,
and a footer with the date, the data source and, on the demo workspace, the 示例数据 mark.

Paper sizes are landscape pixel sizes at about 150 dpi (:data:`PAPERS`); the renderer (``reports.render``)
opens the page at exactly that window size.
"""

from __future__ import annotations

import datetime as dt
import json

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from cartography.mapkit import escape
from i18n import t

#: paper → (width, height) in pixels, landscape; A4/A3 at 150 dpi (297×210 mm, 420×297 mm)
PAPERS: dict[str, tuple[int, int]] = {
    "screen": (1920, 1080),
    "a4": (1754, 1240),
    "a3": (2480, 1754),
}
#: CSS classes of the Leaflet / plugin controls that never belong on paper
CONTROL_CLASSES = (
    ".leaflet-control-zoom",
    ".leaflet-control-layers",
    ".leaflet-control-attribution",
    ".leaflet-control-fullscreen",
    ".leaflet-control-zoom-fullscreen",
)
FONT = "'Noto Sans CJK SC','Noto Sans CJK','Microsoft YaHei',sans-serif"
#: class of the title band; the rehearse check looks for it
TITLE_CLASS = "ra-print-title"


def paper_size(paper: str | tuple[int, int]) -> tuple[int, int]:
    """Return the pixel size of a paper option.

    Parameters
    ----------
    paper : {"screen", "a4", "a3"} or tuple of int
        Screen (1920×1080), A4/A3 landscape at 150 dpi, or an explicit (width, height) in pixels.

    Returns
    -------
    tuple of int
        (width, height) in pixels.

    Raises
    ------
    ValueError
        If ``paper`` is not one of :data:`PAPERS`.
    """
    if isinstance(paper, tuple) and len(paper) == 2 and all(int(v) > 0 for v in paper):
        return int(paper[0]), int(paper[1])
    key = str(paper).lower()
    if key not in PAPERS:
        raise ValueError(f"unknown paper {paper!r}; choose one of {', '.join(PAPERS)}")
    return PAPERS[key]


def strip_controls(m: folium.Map) -> folium.Map:
    """Remove every interactive control from a map (in place) and return it.

    Drops the folium ``LayerControl`` and full-screen children, turns Leaflet's zoom and attribution
    controls off, and hides any control that a plugin would still add (CSS on :data:`CONTROL_CLASSES`).
    The scale bar (``control_scale``) and legends stay.
    """
    for key, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl) or type(child).__name__ == "Fullscreen":
            del m._children[key]
    m.options["zoomControl"] = False
    m.options["attributionControl"] = False
    hide = ", ".join(CONTROL_CLASSES)
    m.get_root().header.add_child(
        Element(f"<style>{hide} {{ display: none !important; }}</style>"), name="ra_print_hide"
    )
    return m


class _NorthArrow(MacroElement):
    """A north arrow as a Leaflet control (top right)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var c = L.control({position: "topright"});
            c.onAdd = function () {
                var d = L.DomUtil.create("div", "ra-north");
                d.innerHTML = {{ this.html_json }};
                return d;
            };
            c.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, size_px: int):
        super().__init__()
        self._name = "NorthArrow"
        w, h = size_px, int(size_px * 1.3)
        html = (
            '<div style="background:rgba(255,255,255,0.92);padding:6px 10px;border-radius:6px;'
            f"text-align:center;font:700 {max(14, size_px // 2)}px sans-serif;"
            'box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f'<svg width="{w}" height="{h}" viewBox="0 0 28 36">'
            '<polygon points="14,0 26,34 14,26" fill="#222"/><polygon points="14,0 2,34 14,26" fill="#888"/>'
            "</svg><div>N</div></div>"
        )
        self.html_json = json.dumps(html)


def _title_px(title: str, width: int, scale: float, badge: bool) -> int:
    """Title font size in pixels: 38 px at 1920 wide, smaller for a long title so it fits on one line."""
    base = 38 * scale
    # rough advance widths: a CJK character ≈ 1 em, a Latin character ≈ 0.55 em
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in str(title))
    room = width - 48 * scale - (230 * scale if badge else 0)
    return int(max(22 * scale, min(base, room / max(ems, 1.0))))


def _band_css(m: folium.Map, width: int, height: int, top_px: int, bottom_px: int) -> str:
    name = m.get_name()
    return (
        "<style>"
        f"html, body {{ width: {width}px; height: {height}px; margin: 0; overflow: hidden; background: #fff; }}"
        f"#{name} {{ position: absolute !important; top: {top_px}px !important; bottom: {bottom_px}px !important;"
        " height: auto !important; left: 0 !important; width: 100% !important; }"
        f".ra-band {{ position: absolute; left: 0; right: 0; font-family: {FONT}; color: #1b1b1b;"
        " box-sizing: border-box; overflow: hidden; }"
        ".leaflet-control-scale-line { font-size: 14px; border-width: 0 3px 3px; padding: 1px 6px;"
        " background: rgba(255,255,255,0.9); }"
        # metric scale only
        ".leaflet-control-scale-line + .leaflet-control-scale-line { display: none; }"
        "</style>"
    )


def export_map(
    m: folium.Map,
    *,
    title: str | None,
    subtitle: str = "",
    lang: str = "zh",
    synthetic: bool = False,
    paper: str | tuple[int, int] = "screen",
    source: str | None = None,
    date: dt.date | None = None,
) -> folium.Map:
    """Prepare a map for a PNG/PDF export: no interactive controls, a print frame, a fixed page size.

    Parameters
    ----------
    m : folium.Map
        A finished map (layers and legend added); changed in place.
    title : str or None
        The descriptive title (what is shown, e.g. "幼儿园 300 米服务覆盖（步行路网距离）· 2026 年现状");
        ``None`` draws no title band (the briefing PDF puts the title in its own heading).
    subtitle : str, optional
        The key figure line under the title (e.g. "覆盖 57.1% 居民，12.4 万人未覆盖").
    lang : {"zh", "en"}
        Language of the footer.
    synthetic : bool
        Mark the drawing as demo data (示例数据) in the title band and the footer.
    paper : {"screen", "a4", "a3"}
        Page size (see :data:`PAPERS`); render the HTML at :func:`paper_size` pixels.
    source : str, optional
        Data source text (default: the workspace/boundary source label).
    date : datetime.date, optional
        Map date (default: today).

    Returns
    -------
    folium.Map
        The same map, ready for ``standalone_html`` and a screenshot. Every text is HTML-escaped.
    """
    width, height = paper_size(paper)
    scale = width / 1920
    strip_controls(m)
    _NorthArrow(int(30 * max(scale, 0.9))).add_to(m)
    top = int((118 if subtitle else 78) * scale) if title is not None else 0
    bottom = int(40 * scale)
    root = m.get_root()
    root.header.add_child(Element(_band_css(m, width, height, top, bottom)), name="ra_print_css")
    demo = t("print.demo_mark", lang)
    if title is not None:
        badge = (
            f'<span style="float:right;margin-top:{int(6 * scale)}px;border:3px solid #c62828;color:#c62828;'
            f'font-size:{int(26 * scale)}px;font-weight:700;padding:2px 14px;border-radius:6px">{escape(demo)}</span>'
            if synthetic
            else ""
        )
        sub = (
            f'<div style="font-size:{int(26 * scale)}px;color:#1f5f99;font-weight:600;margin-top:4px">'
            f"{escape(subtitle)}</div>"
            if subtitle
            else ""
        )
        band = (
            f'<div class="ra-band {TITLE_CLASS}" style="top:0;height:{top}px;padding:{int(12 * scale)}px '
            f'{int(24 * scale)}px;border-bottom:3px solid #1f5f99">{badge}'
            f'<div style="font-size:{_title_px(title, width, scale, synthetic)}px;font-weight:700;line-height:1.2;white-space:nowrap;'
            f'overflow:hidden;text-overflow:ellipsis">{escape(title)}</div>{sub}</div>'
        )
        root.html.add_child(Element(band), name="ra_print_title")
    when = (date or dt.date.today()).isoformat()
    parts = [f"{t('export.date', lang)} {when}", source or t("export.source", lang)]
    if synthetic:
        parts.append(demo + " · " + t("export.demo", lang))
    footer = (
        f'<div class="ra-band ra-print-footer" style="bottom:0;height:{bottom}px;line-height:{bottom}px;'
        f"padding:0 {int(24 * scale)}px;font-size:{max(13, int(17 * scale))}px;color:#444;"
        f'border-top:1px solid #bbb">{escape(" · ".join(parts))}</div>'
    )
    root.html.add_child(Element(footer), name="ra_print_footer")
    return m


def numbered_markers(points, labels, *, name: str, colour: str = "#c62828") -> folium.FeatureGroup:
    """Numbered round markers (e.g. the top-10 renewal candidates) as a FeatureGroup.

    Parameters
    ----------
    points : sequence of (lat, lon)
        Marker positions in WGS84 degrees.
    labels : sequence of str
        The text in each marker (e.g. "1" … "10"); escaped.
    name : str
        Layer name.
    colour : str
        Fill colour of the markers.
    """
    fg = folium.FeatureGroup(name=name)
    for (lat, lon), label in zip(points, labels):
        html = (
            f'<div style="width:30px;height:30px;border-radius:50%;background:{escape(colour)};color:#fff;'
            "border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.5);font:700 15px/30px sans-serif;"
            f'text-align:center">{escape(label)}</div>'
        )
        folium.Marker(
            [float(lat), float(lon)], icon=folium.DivIcon(html=html, icon_size=(34, 34), icon_anchor=(17, 17))
        ).add_to(fg)
    return fg


def export_frame(
    m: folium.Map,
    kind: str,
    *,
    lang: str = "zh",
    synthetic: bool = False,
    title: str | None = None,
    subtitle: str = "",
    paper: str = "screen",
) -> folium.Map:
    """Prepare a map of a view ``kind`` for PNG/PDF export (see :func:`export_map`).

    Without ``title`` the generic page title of the kind is used; pass the descriptive title from
    ``reports.slides.slide_content`` (``content.title`` / ``content.subtitle``) wherever it is known.
    """
    if title is None:
        title = {"layout": t("layout.title", lang), "coverage": t("cov.title", lang)}.get(
            kind, t(f"kind.{kind}", lang) if kind in ("renewal", "health") else t("app.title", lang)
        )
    return export_map(m, title=title, subtitle=subtitle, lang=lang, synthetic=synthetic, paper=paper)
