"""Text encodings of user files: UTF-8 or GBK (GB18030), detected with charset-normalizer.

Chinese GIS data come in UTF-8 or in the GBK family, so detection is restricted to those two
(:data:`CANDIDATES`); free detection guesses wrong on short Chinese texts. A shapefile's ``.cpg`` is
honoured when present; without it the DBF records are examined, and GBK — typical for Chinese GIS
shops — is the fallback.
"""

from __future__ import annotations

import codecs

import charset_normalizer

from geodata.importing.safety import file_error

#: the encodings user files are recognised in (charset-normalizer names)
CANDIDATES = ("utf_8", "gb18030")
#: Windows code page numbers met in .cpg files → codec names GDAL understands
CODE_PAGES = {"65001": "UTF-8", "936": "GBK", "54936": "GB18030", "950": "BIG5"}


def detect(raw: bytes) -> str | None:
    """Detect whether bytes are UTF-8 or GBK text.

    Parameters
    ----------
    raw : bytes
        The text bytes (a BOM is allowed).

    Returns
    -------
    str or None
        ``"utf_8"`` or ``"gb18030"``; None when the bytes are neither (or look like gibberish in both).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return "utf_8"
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(CANDIDATES)).best()
    if best is None:
        return None
    return "utf_8" if best.encoding in ("utf_8", "ascii") else best.encoding


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """Decode a text table (CSV) written in UTF-8 (with or without BOM) or GBK.

    Parameters
    ----------
    raw : bytes
        The file content.
    name : str
        The file name shown in messages.

    Returns
    -------
    tuple of (str, str)
        The text and the codec used: ``"utf-8-sig"`` or ``"gb18030"``.

    Raises
    ------
    DataValidationError
        When the text is neither UTF-8 nor GBK.
    """
    found = detect(raw)
    codec = {"utf_8": "utf-8-sig", "gb18030": "gb18030"}.get(found or "")
    if codec is not None:
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            pass
    raise file_error(name, "the text encoding is not UTF-8 or GBK", "save the table as UTF-8 or GBK")


def _dbf_records(dbf: bytes) -> bytes:
    # the record area after the header (its length is bytes 8–9, little-endian); text fields live here
    if len(dbf) >= 32:
        header = int.from_bytes(dbf[8:10], "little")
        if 32 <= header <= len(dbf):
            return dbf[header:]
    return dbf


def detect_dbf_encoding(dbf: bytes) -> str:
    """Detect the encoding of a shapefile's DBF that came without a ``.cpg``.

    Parameters
    ----------
    dbf : bytes
        The content of the ``.dbf`` file.

    Returns
    -------
    str
        ``"UTF-8"`` when the records read as UTF-8, else ``"GB18030"`` (GBK, the usual encoding of
        Chinese GIS software, also when detection is inconclusive).
    """
    records = _dbf_records(dbf).rstrip(b"\x1a \x00")
    if not records:
        return "UTF-8"
    return "UTF-8" if detect(records) == "utf_8" else "GB18030"


def cpg_encoding(cpg: bytes) -> str:
    """Read the encoding a shapefile's ``.cpg`` declares.

    Parameters
    ----------
    cpg : bytes
        The content of the ``.cpg`` file (e.g. ``b"UTF-8"``, ``b"GBK"``, ``b"936"``).

    Returns
    -------
    str
        A codec name for GDAL (Windows code page numbers translated); ``"UTF-8"`` when empty.
    """
    text = cpg.decode("ascii", "ignore").strip()
    return CODE_PAGES.get(text, text) or "UTF-8"
