"""Chromium as a renderer cannot read local files or reach a server, whatever the document says.

The briefing test builds a real pack with hostile parcel and project names and prints it with chromium;
the guard tests give chromium raw markup that escaping would normally stop (defence in depth).
"""

import base64
import dataclasses
import shutil
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from reports.render import CSP_SCRIPTS, html_to_pdf, shut_in

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="Debian chromium not installed"
)

PASSWD = "root:x:0:0"
IFRAME = '<iframe src="file:///etc/passwd">'
IMG = '<img src="file:///etc/hostname">'


def _pdf_text(path: Path) -> str:
    # NFKC: pypdf returns the "fi" ligature and CJK radicals as compatibility characters
    return unicodedata.normalize(
        "NFKC", "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)
    )


def test_shut_in_puts_the_policy_first_in_head():
    doc = shut_in(
        '<html><head><title>x</title></head><body><img src="http://evil.invalid/x.png"></body></html>',
        scripts=True,
    )
    assert doc.index("Content-Security-Policy") < doc.index("<title>")
    assert CSP_SCRIPTS in doc and "default-src 'none'" in doc


def test_pdf_of_raw_file_iframe_does_not_print_local_files(tmp_path):
    assert PASSWD in Path("/etc/passwd").read_text()
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>marker-text</p>"
        "<iframe src='file:///etc/passwd' style='width:100%;height:600px'></iframe>"
        "<object data='file:///etc/passwd' type='text/plain' style='width:100%;height:300px'></object>"
        "</body></html>"
    )
    text = _pdf_text(html_to_pdf(html, tmp_path / "raw.pdf"))
    assert "marker-text" in text
    assert PASSWD not in text


@pytest.mark.timeout(600)
def test_briefing_pdf_prints_hostile_names_as_text(demo_ws, tmp_path, monkeypatch):
    import reports.briefing as briefing
    from geodata.boundaries import load_boundaries
    from geodata.catalogue import load_catalogue
    from geodata.indicators import load_indicators
    from geodata.layout import load_layout
    from geodata.stores import SQLiteProjectStore

    hostile = f"{IFRAME}{IMG}"
    parcels = demo_ws["parcels"].copy()
    parcels["name"] = hostile
    ws = dataclasses.replace(demo_ws, layers={**demo_ws.layers, "parcels": parcels})
    store = SQLiteProjectStore(tmp_path / "p.sqlite")
    store.create({"name": hostile, "category": "停车设施", "status": "谋划"}, editor="张工")
    stub = tmp_path / "stub.png"

    def fake_png(html, out, **_):  # the maps are not under test here (and cost minutes)
        out.write_bytes(stub.read_bytes())
        return out

    stub.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
    )
    monkeypatch.setattr(briefing, "html_to_png", fake_png)
    bnd = load_boundaries()
    cat = load_catalogue()
    out = briefing.write_briefing_pdf(
        tmp_path / "brief.pdf",
        ws=ws,
        bnd=bnd,
        layout=load_layout(boundaries=bnd),
        catalogue=cat,
        indicators=load_indicators(catalogue=cat),
        store=store,
        lang="zh",
    )
    text = _pdf_text(out)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    assert PASSWD not in text
    flat = text.replace("\n", " ")
    assert '<iframe src="file:///etc/passwd">' in flat and '<img src="file:///etc/hostname">' in flat
    if hostname:
        assert hostname not in flat.replace("/etc/hostname", "")
