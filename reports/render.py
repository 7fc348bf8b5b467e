"""Headless Debian chromium as a renderer: HTML → PNG (maps) and HTML → PDF (briefing packs).

Offline: chromium is started with the network-quiet flags and only loads local files (assets inlined).
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--run-all-compositor-stages-before-draw",
]


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
        with tempfile.TemporaryDirectory() as profile:
            try:
                proc = subprocess.run(
                    [exe, *FLAGS, f"--user-data-dir={profile}", *args],
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
    """Screenshot of an HTML document (presentation resolution by default)."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
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
    """Print an HTML document to PDF (A4 by the page's CSS)."""
    out = Path(out)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html, encoding="utf-8")
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
