"""Headless Debian chromium as a renderer: HTML → PNG (maps) and HTML → PDF (briefing packs).

Offline and shut in: chromium is started with the network-quiet flags, and every document it renders gets a
Content-Security-Policy as the first thing in its ``<head>`` that allows inline styles, ``data:`` images and
fonts (and inline scripts for maps) but no other request at all — no ``file://`` frame, image or stylesheet
(a name like ``<iframe src="file:///etc/passwd">`` that slipped past escaping still cannot read a local
file), no ``http(s)``. The chromium sandbox stays on unless we run as root (containers, CI), where chromium
refuses to start without ``--no-sandbox``; the policy is the guard that holds in both cases.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--run-all-compositor-stages-before-draw",
]


#: what a rendered page may load: inline styles, data: images and fonts; nothing from a file or a server
CSP_STATIC = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "script-src 'none'; frame-src 'none'; object-src 'none'; form-action 'none'; base-uri 'none'"
)
#: the same for a map, whose Leaflet code is inlined (scripts may run but still load nothing)
CSP_SCRIPTS = CSP_STATIC.replace("script-src 'none'", "script-src 'unsafe-inline'")
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def shut_in(html: str, *, scripts: bool) -> str:
    """The document with a Content-Security-Policy ``<meta>`` as the first element of its head.

    Parameters
    ----------
    html : str
        A complete HTML document (ours: every asset inlined).
    scripts : bool
        Allow inline scripts (maps); a briefing page needs none.

    Returns
    -------
    str
        The document; chromium then refuses every request except ``data:`` images and fonts.
    """
    html = str(html)  # a markupsafe.Markup would escape the policy we add
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP_SCRIPTS if scripts else CSP_STATIC}">'
    match = _HEAD.search(html)
    if match is not None:
        return html[: match.end()] + meta + html[match.end() :]
    return f"<!DOCTYPE html><html><head>{meta}</head><body>{html}</body></html>"


def sandbox_flags() -> list[str]:
    """``--no-sandbox`` only when running as root (chromium will not start otherwise); nothing else."""
    return ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def chromium() -> str:
    """Path of the chromium executable: ``RENEWAL_CHROMIUM`` when set, else ``chromium`` on the PATH.

    Raises
    ------
    RuntimeError
        If no executable is found (the message says how to install it).
    """
    env = os.environ.get("RENEWAL_CHROMIUM", "").strip()
    if env:
        exe = shutil.which(env)
    else:
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise RuntimeError(
            f"chromium not found ({env or 'chromium'}): install Debian chromium (apt-get install chromium) "
            "or set RENEWAL_CHROMIUM; needed for PNG/PDF export"
        )
    return exe


def _run(args: list[str], timeout_s: float = 90.0, attempts: int = 2) -> None:
    """Run headless chromium once with a fresh profile; a run that hangs (seen on a loaded machine) is
    retried once. Raises RuntimeError when chromium is missing, fails or keeps hanging."""
    exe = chromium()
    for attempt in range(1, attempts + 1):
        # chromium helpers may still write into the profile as it exits: never fail the export on cleanup
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
            try:
                proc = subprocess.run(
                    [exe, *FLAGS, *sandbox_flags(), f"--user-data-dir={profile}", *args],
                    capture_output=True,
                    text=True,
                    timeout=timeout_s,
                )
            except subprocess.TimeoutExpired as err:
                if attempt < attempts:
                    continue
                raise RuntimeError(
                    f"chromium did not finish within {timeout_s:.0f} s ({attempts} tries)"
                ) from err
            except OSError as err:
                raise RuntimeError(f"chromium could not run: {err}") from err
        if proc.returncode != 0:
            raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-500:]}")
        return


def html_to_png(
    html: str, out: str | Path, *, width: int = 1920, height: int = 1080, wait_ms: int = 4000
) -> Path:
    """Screenshot of an HTML document (presentation resolution by default; inline scripts run, nothing
    is loaded from files or servers: see :func:`shut_in`)."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(shut_in(html, scripts=True), encoding="utf-8")
        _run(
            [
                f"--window-size={width},{height}",
                f"--virtual-time-budget={wait_ms}",
                f"--screenshot={out.resolve()}",
                page.as_uri(),
            ]
        )
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("chromium produced no PNG")
    return out


def html_to_pdf(html: str, out: str | Path, *, wait_ms: int = 3000) -> Path:
    """Print an HTML document to PDF (A4 by the page's CSS; no scripts, nothing loaded from files or
    servers: see :func:`shut_in`)."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(shut_in(html, scripts=False), encoding="utf-8")
        _run(
            [
                f"--virtual-time-budget={wait_ms}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out.resolve()}",
                page.as_uri(),
            ]
        )
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("chromium produced no PDF")
    return out


def png_to_pdf(png: str | Path, out: str | Path, *, paper: str = "a4") -> Path:
    """Put a map PNG on one landscape page (A4 or A3) of a PDF, scaled to the page.

    Parameters
    ----------
    png : str or Path
        The image (rendered at the paper's pixel size, see ``cartography.printing.PAPERS``).
    out : str or Path
        The PDF to write.
    paper : {"a4", "a3"}
        Landscape paper size.
    """
    size = {"a4": "297mm 210mm", "a3": "420mm 297mm"}.get(paper)
    if size is None:
        raise ValueError(f"unknown paper {paper!r} for a PDF; choose a4 or a3")
    data = base64.b64encode(Path(png).read_bytes()).decode()
    html = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page {{ size: {size}; margin: 0; }}"
        f"html, body {{ margin: 0; }} img {{ display: block; width: {size.split()[0]}; height: {size.split()[1]};"
        " object-fit: contain; }</style></head><body>"
        f"<img src='data:image/png;base64,{data}'></body></html>"
    )
    return html_to_pdf(html, out)


def pdf_page_count(path: str | Path) -> int:
    """Number of pages of a PDF (read with pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
