"""Print layouts for PNG/PDF map exports: title block, north arrow, date and data source (no Streamlit)."""

from __future__ import annotations

import json

import folium
from branca.element import MacroElement
from jinja2 import Template

from cartography.mapkit import escape
from i18n import t


class _PrintFrame(MacroElement):
    """Title block, north arrow and date/source line for exported maps (a Leaflet control, escaped text)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var m = {{ this._parent.get_name() }};
            var box = function (pos, html) {
                var c = L.control({position: pos});
                c.onAdd = function () { var d = L.DomUtil.create("div", "ra-print"); d.innerHTML = html; return d; };
                c.addTo(m);
            };
            box("topleft", {{ this.title_json }});
            box("topright", {{ this.arrow_json }});
            box("bottomleft", {{ this.footer_json }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, subtitle: str, footer: str):
        super().__init__()
        self._name = "PrintFrame"
        font = "'Noto Sans CJK SC','Microsoft YaHei',sans-serif"
        title_html = (
            f'<div style="background:rgba(255,255,255,0.92);padding:8px 14px;border-radius:6px;'
            f'font-family:{font};box-shadow:0 1px 4px rgba(0,0,0,.3)"><div style="font-size:24px;'
            f'font-weight:700">{escape(title)}</div><div style="font-size:14px;color:#444">'
            f"{escape(subtitle)}</div></div>"
        )
        arrow_html = (
            '<div style="background:rgba(255,255,255,0.92);padding:4px 8px;border-radius:6px;'
            'text-align:center;font:700 16px sans-serif"><svg width="28" height="36" viewBox="0 0 28 36">'
            '<polygon points="14,0 26,34 14,26 2,34" fill="#222"/></svg><div>N</div></div>'
        )
        footer_html = (
            f'<div style="background:rgba(255,255,255,0.92);padding:4px 10px;border-radius:4px;'
            f'font-family:{font};font-size:12px;color:#333">{escape(footer)}</div>'
        )
        self.title_json = json.dumps(title_html, ensure_ascii=False).replace("</", "<\\/")
        self.arrow_json = json.dumps(arrow_html).replace("</", "<\\/")
        self.footer_json = json.dumps(footer_html, ensure_ascii=False).replace("</", "<\\/")


def print_frame(title: str, subtitle: str, footer: str) -> MacroElement:
    """Title, north arrow and a date/source footer for PNG/PDF map exports. Add with ``.add_to(map)``."""
    return _PrintFrame(title, subtitle, footer)


def export_frame(m: folium.Map, kind: str, *, lang: str = "zh", synthetic: bool = False) -> folium.Map:
    """Add the print frame (title, north arrow, date and data source) to a map for PNG/PDF export."""
    import datetime as dt

    title = {"layout": t("layout.title", lang), "coverage": t("cov.title", lang)}.get(
        kind, t("app.title", lang)
    )
    source = t("export.source", lang) + (" · " + t("export.demo", lang) if synthetic else "")
    footer = f"{t('export.date', lang)} {dt.date.today().isoformat()} · {source}"
    print_frame(title, t("app.title", lang), footer).add_to(m)
    return m
