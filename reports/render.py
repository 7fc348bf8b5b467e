"""Headless Debian chromium as a renderer: HTML → PNG (maps) and HTML → PDF (briefing packs).

Offline: chromium is started with the network-quiet flags and only loads local files (assets inlined).
"""

from __future__ import annotations

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
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        raise RuntimeError(
            "Debian chromium is not installed (apt-get install chromium); needed for PNG/PDF export"
        )
    return exe


def _run(args: list[str], timeout_s: float = 120.0) -> None:
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    if proc.returncode != 0:
        raise RuntimeError(f"chromium failed ({proc.returncode}): {proc.stderr[-500:]}")


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


def pdf_page_count(path: str | Path) -> int:
    """Number of pages of a PDF (read with pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)
