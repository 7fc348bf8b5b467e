"""Text encodings of user files: UTF-8, UTF-16 (with BOM), GBK (GB18030) or Big5.

Chinese GIS data come in UTF-8 or in the GBK family (Big5 from Hong Kong / Taiwan sources), so
detection is restricted to those (:data:`CANDIDATES`, charset-normalizer); free detection guesses wrong
on short Chinese texts. Bytes that decode strictly as UTF-8 are UTF-8; a BOM decides UTF-8 / UTF-16.
A shapefile's ``.cpg`` (a name such as ``UTF-8`` or a Windows code page number such as ``936``,
``CP936``, ``65001``) is honoured unless the DBF's bytes contradict it (a ``.cpg`` that says UTF-8 over
GBK bytes is overridden, with a note); without it the DBF records are examined, and GBK — typical for
Chinese GIS shops — is the fallback.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from geodata.importing.safety import file_error

#: the encodings user files are recognised in (charset-normalizer names)
CANDIDATES = ("utf_8", "gb18030", "big5")
#: Windows code page numbers met in .cpg files → codec names GDAL understands
CODE_PAGES = {"65001": "UTF-8", "936": "GBK", "54936": "GB18030", "950": "BIG5", "1252": "CP1252"}
#: bytes given to the detector (enough to decide, cheap on million-row tables)
SAMPLE_BYTES = 256 * 1024


def detect(raw: bytes, candidates: tuple[str, ...] = CANDIDATES) -> str | None:
    """Detect whether bytes are UTF-8, GBK or Big5 text.

    Parameters
    ----------
    raw : bytes
        The text bytes (a BOM is allowed).
    candidates : tuple of str, default :data:`CANDIDATES`
        The charset-normalizer encodings to choose from.

    Returns
    -------
    str or None
        ``"utf_8"``, ``"gb18030"`` or ``"big5"``; None when the bytes are none of the candidates (or
        look like gibberish in all).
    """
    if raw.startswith(codecs.BOM_UTF8) or _is_utf8(raw):
        return "utf_8"
    first = re.search(rb"[\x80-\xff]", raw)  # detect where the non-ASCII text is, not on a plain-ASCII start
    start = raw.rfind(b"\n", 0, first.start()) + 1 if first else 0
    sample = raw[start : start + SAMPLE_BYTES]
    if len(raw) > start + SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rfind(b"\n") + 1]
    matches = charset_normalizer.from_bytes(sample, cp_isolation=list(candidates))
    best = matches.best()
    if best is None:
        return None
    if best.encoding == "big5" and any(m.encoding == "gb18030" and m.chaos <= best.chaos for m in matches):
        return "gb18030"  # as plausible as Big5 (short texts): the mainland encoding wins
    return "utf_8" if best.encoding in ("utf_8", "ascii") else best.encoding


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_text(raw: bytes, name: str) -> tuple[str, str]:
    """Decode a text table (CSV) written in UTF-8 (with or without BOM), UTF-16 (BOM), GBK or Big5.

    Parameters
    ----------
    raw : bytes
        The file content.
    name : str
        The file name shown in messages.

    Returns
    -------
    tuple of (str, str)
        The text and the codec used: ``"utf-8-sig"``, ``"utf-16"``, ``"gb18030"`` or ``"big5"``.

    Raises
    ------
    DataValidationError
        When the text is none of these.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    found = detect(raw)
    codec = {"utf_8": "utf-8-sig", "gb18030": "gb18030", "big5": "big5"}.get(found or "")
    if codec is not None:
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            pass
    raise file_error(name, "the text encoding is not UTF-8 or GBK", "save the table as UTF-8 or GBK")


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def shapefile_encoding(cpg: bytes | None, dbf: bytes | None) -> tuple[str, str]:
    """Decide the encoding of a shapefile's attributes from its ``.cpg`` and the DBF's bytes.

    Parameters
    ----------
    cpg : bytes or None
        The ``.cpg`` content, None when there is none.
    dbf : bytes or None
        The ``.dbf`` content (None when missing).

    Returns
    -------
    tuple of (str, str)
        The codec name for GDAL and the note saying how it was decided: ``"encoding from .cpg: X"``,
        ``"the .cpg says X but the attributes are not X: read as Y"`` or ``"no .cpg: encoding
        detected as Y"``.
    """
    records = _dbf_records(dbf).rstrip(b"\x1a \x00") if dbf else b""
    if cpg is None:
        encoding = detect_dbf_encoding(dbf) if dbf else "UTF-8"
        return encoding, f"no .cpg: encoding detected as {encoding}"
    declared = cpg_encoding(cpg)
    codec = _codec(declared)
    if records and codec is not None:
        try:
            records.decode(codec)
            fits = True
        except UnicodeDecodeError:
            fits = False
        non_ascii = any(b > 127 for b in records[:SAMPLE_BYTES])
        utf8_bytes = non_ascii and _is_utf8(records)
        if not fits or (codec != "utf-8" and utf8_bytes):
            found = detect_dbf_encoding(dbf)
            if _codec(found) != codec:
                return (
                    found,
                    f"the .cpg says {declared} but the attributes are not {declared}: read as {found}",
                )
    return declared, f"encoding from .cpg: {declared}"


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
    return "UTF-8" if detect(records, ("utf_8", "gb18030")) == "utf_8" else "GB18030"


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
    number = re.fullmatch(r"(?i)(?:cp|ansi\s*|windows-?)?(\d+)", text)
    if number and number.group(1) in CODE_PAGES:
        return CODE_PAGES[number.group(1)]
    return text or "UTF-8"
