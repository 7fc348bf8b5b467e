"""Briefing HTML: every map, labels in the chosen language, page-break rules, escaped hostile text.

The map screenshots are replaced by a stub (chromium is exercised by tests/test_cli.py::rehearse)."""

import re

import pandas as pd
import pytest

import reports.briefing as briefing

HOSTILE = "<img src=x onerror=alert(1)>"


class FakeStore:
    def list(self):
        return pd.DataFrame(
            {
                "project_id": ["P1", "P2", "P3"],
                "category": ["老旧小区改造", "老旧小区改造", HOSTILE],
                "status": ["储备", "实施", "实施"],
            }
        )


@pytest.fixture(scope="module")
def html_by_lang(demo_ws):
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.layout import load_layout

    bnd = load_boundaries()
    cat = load_catalogue()
    shots = []

    def fake_png(html, out, *, width, height, **_):
        shots.append((width, height, html))
        out.write_bytes(b"\x89PNG\r\n\x1a\nstub")
        return out

    mp = pytest.MonkeyPatch()
    mp.setattr(briefing, "html_to_png", fake_png)
    out = {
        lang: briefing.build_briefing_html(
            demo_ws,
            bnd,
            load_layout(boundaries=bnd),
            cat,
            load_indicators(catalogue=cat),
            FakeStore(),
            lang=lang,
        )
        for lang in ("zh", "en")
    }
    mp.undo()
    return out, shots


def visible(html: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_three_maps_without_ui_chrome(html_by_lang):
    html, shots = html_by_lang
    assert html["zh"].count("data:image/png;base64,") == 3  # layout, coverage, candidates
    for width, height, page in shots:
        assert '"zoomControl": false' in page and "L.control.layers" not in page
        assert (width, height) in (briefing.MAP_PX, briefing.LAYOUT_PX)
    assert len(shots) == 6  # three maps per language
    assert sum("\\u003e10\\u003c/div\\u003e" in page for _, _, page in shots) == 2  # top 10 numbered


def test_headings_and_figures(html_by_lang):
    zh, en = html_by_lang[0]["zh"], html_by_lang[0]["en"]
    assert "幼儿园 300 米服务覆盖 · 直线距离 · 2026 年现状" in zh and "更新候选地块得分与前 10 名" in zh
    assert '<th class="num">缺口排名</th>' in zh and '<th class="num">排名</th>' in zh  # gaps vs candidates
    assert "Kindergarten within 300 m · straight-line distance · 2026, current" in en
    assert re.search(r"\d{1,3}(,\d{3})+", visible(zh))  # thousands separators in the tables


def test_library_pivot_is_labelled(html_by_lang):
    zh, en = html_by_lang[0]["zh"], html_by_lang[0]["en"]
    assert "<th>类别</th>" in zh and "储备" in zh and "合计" in zh
    assert "Old-compound retrofit" in en and "Candidate" in en and "Under way" in en
    for word in ("category", "status", "project_id", "unserved_pop", "served_share", "contrib_"):
        assert word not in visible(zh), word
        assert word not in visible(en) or word in ("category", "status"), word  # plain English words
    assert "<th>category</th>" not in en and "<th>储备</th>" not in en


def test_hostile_text_is_escaped(html_by_lang):
    for html in html_by_lang[0].values():
        assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_english_has_no_chinese_labels(html_by_lang):
    text = visible(html_by_lang[0]["en"])
    # Chinese may remain only in proper names of places/parcels (demo names end in （示例）) and in bases
    headings = re.findall(r"<h2>(.*?)</h2>", html_by_lang[0]["en"])
    assert headings and not any(re.search(r"[\u4e00-\u9fff]", h) for h in headings)
    assert "要点" not in text and "合计" not in text and "覆盖率" not in text


def test_page_break_rules(html_by_lang):
    zh = html_by_lang[0]["zh"]
    css = briefing.CSS
    assert "h2 {" in css and "break-after: avoid" in css
    assert "tr { break-inside: avoid" in css and "thead { display: table-header-group; }" in css
    assert "width: auto" in css  # tables sized to content
    assert zh.count("<thead>") >= 6 and '<div class="block"><h2>' in zh
