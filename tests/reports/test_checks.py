"""Export checks without Pillow: PNG edge density from the zlib stream, PDF text."""

import struct
import zlib

import numpy as np
import pytest

from reports.checks import edge_density, png_scanlines, png_size


def write_png(path, pixels: np.ndarray, filt: int = 0):
    """A minimal RGB PNG writer (filter 0 = None or 2 = Up for every row)."""
    h, w, _ = pixels.shape
    rows = []
    prev = np.zeros((w * 3,), dtype=np.uint8)
    for y in range(h):
        line = pixels[y].reshape(-1).astype(np.uint8)
        data = line if filt == 0 else ((line.astype(int) - prev.astype(int)) % 256).astype(np.uint8)
        rows.append(bytes([filt]) + data.tobytes())
        prev = line

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize("filt", [0, 2])
def test_blank_and_drawn_images(tmp_path, filt):
    flat = np.full((40, 50, 3), 238, dtype=np.uint8)
    blank = write_png(tmp_path / "blank.png", flat, filt)
    assert png_size(blank) == (50, 40)
    assert edge_density(blank) == 0.0
    drawn = flat.copy()
    drawn[:, ::5] = 20  # a vertical line every 5 px
    drawn[10:12, :] = 0  # and one horizontal line
    path = write_png(tmp_path / "drawn.png", drawn, filt)
    # None rows: every line pixel differs from its left neighbour (2 of 5 columns + the 2 rows);
    # Up rows only see the horizontal line's top and bottom (a lower bound, still far from blank)
    assert edge_density(path) > (0.3 if filt == 0 else 0.04)
    assert edge_density(path, box=(0, 0.5, 1, 1)) > (0.3 if filt == 0 else -1)


def test_not_a_png(tmp_path):
    (tmp_path / "x.png").write_bytes(b"GIF89a")
    with pytest.raises(ValueError, match="not a PNG"):
        png_scanlines(tmp_path / "x.png")
