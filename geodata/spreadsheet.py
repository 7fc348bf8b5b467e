"""Formula-safe spreadsheet cells: the one guard for every XLSX/CSV the product writes, and its undo.

A text cell that starts with ``= + - @`` (or a tab / carriage return) is run as a formula by Excel, LibreOffice
and WPS (CSV/XLSX injection: ``=HYPERLINK("http://x", "y")``, ``=cmd|' /C calc'!A0``). Following the OWASP
"CSV injection" guidance such text gets a leading apostrophe, so it stays text; numbers (negative ones too)
are never touched. Readers of our own exports (the ledger import) take the apostrophe off again with
:func:`unguard_text`, so a project called ``=1+1`` or ``-改造`` survives export → import unchanged.
"""

from __future__ import annotations

import re

import pandas as pd

#: characters that make a spreadsheet cell a formula when they start a text cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: control characters an XLSX cell cannot hold (NUL …); tab, line feed and carriage return are allowed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """One text cell made formula-safe: control characters dropped, ``'`` put before a formula start.

    Parameters
    ----------
    text : str
        The cell text.

    Returns
    -------
    str
        ``"'=1+1"`` for ``"=1+1"``; text that starts otherwise comes back without control characters.
    """
    text = _CONTROL.sub("", text)
    return "'" + text if text.startswith(FORMULA_START) else text


def unguard_text(text: str) -> str:
    """Undo :func:`safe_text` on a cell read back from one of our exports (``"'=1+1"`` → ``"=1+1"``).

    Only an apostrophe directly before a formula start is removed; any other text is returned as is.
    """
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def formula_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of a table that is safe to write to CSV or XLSX (no formula injection, no control chars).

    Text cells and text headers go through :func:`safe_text`; numbers, dates and missing values are left
    as they are (a negative budget stays the number ``-5``). Applying it twice changes nothing more.

    Parameters
    ----------
    df : pandas.DataFrame
        Any table about to be written to a spreadsheet.

    Returns
    -------
    pandas.DataFrame
        The cleaned copy (the input is not modified).
    """
    out = df.copy()
    out.columns = [safe_text(c) if isinstance(c, str) else c for c in out.columns]
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
            continue
        out.isetitem(i, col.map(lambda v: safe_text(v) if isinstance(v, str) else v).astype(object))
    return out


def write_csv(df: pd.DataFrame, path, *, encoding: str = "utf-8") -> None:
    """Write a table to a CSV file through :func:`formula_safe` (no index column).

    Parameters
    ----------
    df : pandas.DataFrame
        The table.
    path : str or Path
        The CSV file.
    encoding : str
        ``utf-8`` (default) or ``utf-8-sig`` for Excel on Chinese Windows.
    """
    formula_safe(df).to_csv(path, index=False, encoding=encoding)
