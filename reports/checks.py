"""Checks of exported files, without Pillow: decode a PNG (zlib + PNG filters) and read a PDF's text (pypdf).

Used by ``cli.py rehearse`` to prove each export before a meeting: the image is not blank and the expected
title is there.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type → samples per pixel (8-bit, no palette)


def png_scanlines(path: str | Path) -> tuple[np.ndarray, np.ndarray, int]:
    """Read an 8-bit, non-interlaced PNG down to its filtered scanlines (zlib-inflated IDAT).

    Parameters
    ----------
    path : str or Path
        The PNG file (as written by chromium's ``--screenshot``).

    Returns
    -------
    filters : numpy.ndarray
        Shape (height,), the PNG filter type of each row (0 None, 1 Sub, 2 Up, 3 Average, 4 Paeth).
    rows : numpy.ndarray
        Shape (height, width, channels), uint8: the filtered bytes of each row.
    channels : int
        Samples per pixel.

    Raises
    ------
    ValueError
        If the file is not a PNG, is truncated, or uses a bit depth, palette or interlacing not read here.
    """
    data = Path(path).read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    pos, idat, header = 8, [], None
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None:
        raise ValueError(f"{path} has no PNG header")
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in _CHANNELS or interlace:
        raise ValueError(
            f"{path}: unsupported PNG (bit depth {depth}, colour type {colour}, interlace {interlace})"
        )
    ch = _CHANNELS[colour]
    try:
        raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8)
    except zlib.error as err:
        raise ValueError(f"{path}: corrupt PNG data ({err})") from err
    if raw.size != height * (width * ch + 1):
        raise ValueError(f"{path}: truncated PNG data")
    rows = raw.reshape(height, width * ch + 1)
    return rows[:, 0].copy(), rows[:, 1:].reshape(height, width, ch), ch


def png_size(path: str | Path) -> tuple[int, int]:
    """(width, height) of a PNG in pixels, from its header."""
    data = Path(path).read_bytes()[:24]
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    return struct.unpack(">II", data[16:24])


def edge_density(path: str | Path, *, box: tuple[float, float, float, float] = (0, 0, 1, 1)) -> float:
    """Share of pixels in a region of a PNG with a non-zero prediction residual (edges, text, lines).

    PNG rows are stored as prediction residuals: in a flat, single-colour area every Sub/Up/Average/Paeth
    residual is 0 (for unfiltered rows the pixel is compared with its left neighbour). A blank export has a
    density of 0; a drawn map or a line of text has many non-zero residuals. It is a lower bound of the
    share of edge pixels (an Up-filtered row does not see a vertical line), enough to tell blank from drawn.

    Parameters
    ----------
    path : str or Path
        The PNG file.
    box : tuple of float
        (left, top, right, bottom) of the region as fractions of the width and height.

    Returns
    -------
    float
        0…1, the share of pixels of the region with a non-zero residual in any channel.
    """
    filters, rows, ch = png_scanlines(path)
    h, w = rows.shape[:2]
    x0, y0 = int(box[0] * w), int(box[1] * h)
    x1, y1 = max(int(box[2] * w), x0 + 1), max(int(box[3] * h), y0 + 1)
    region = rows[y0:y1, x0:x1, :].astype(np.int16)
    plain = filters[y0:y1] == 0
    if plain.any():  # unfiltered rows hold pixels: compare with the left neighbour instead
        left = np.concatenate([region[plain][:, :1, :], region[plain][:, :-1, :]], axis=1)
        region[plain] = region[plain] - left
    changed = (region[1:, 1:, :] != 0).any(axis=2)  # skip the first row/column (they predict from 0)
    return float(changed.mean()) if changed.size else 0.0


def pdf_text(path: str | Path) -> str:
    """All text of a PDF (pypdf), pages joined by newlines."""
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def pdf_images(path: str | Path) -> int:
    """Number of raster images embedded in a PDF (pypdf)."""
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(str(path)).pages)
