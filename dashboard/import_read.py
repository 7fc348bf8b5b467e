"""The reading side of the 数据导入 page: choose a layer or sheet, see the rows that do not fit the others."""

from __future__ import annotations

import streamlit as st

from dashboard import common
from i18n import t

#: bad rows listed on the page (all are counted)
BAD_ROWS_SHOWN = 20


def choose_layer_or_sheet(result, reread, L: str):
    """Offer the layers (with feature counts) of a multi-layer file, or the sheets of a workbook.

    Parameters
    ----------
    result : geodata.importing.ReadResult
        The file as first read (first layer; first sheet with coordinates).
    reread : callable
        ``reread(layer, sheet)`` → ReadResult of the chosen layer / sheet.
    L : str
        Language.

    Returns
    -------
    geodata.importing.ReadResult
        The chosen layer or sheet as read.
    """
    if len(result.layers) > 1 and result.layer_defaulted:  # (a DXF's CAD layers are categories)
        counts = result.layer_counts
        layer = st.selectbox(
            t("read.layer_pick", L, n=len(result.layers)),
            result.layers,
            key=f"imp_layer@{L}",
            format_func=lambda n: t("read.layer_item", L, name=n, n=counts.get(n, -1)),
        )
        return reread(layer, None)
    if len(result.sheets) > 1:
        first = next((s for s in result.sheets if s == _sheet_read(result)), result.sheets[0])
        sheet = st.selectbox(
            t("read.sheet_pick", L, n=len(result.sheets)),
            result.sheets,
            index=result.sheets.index(first),
            key="imp_sheet",
        )
        return reread(None, sheet)
    return result


def _sheet_read(result) -> str | None:
    for note in result.notes:
        if note.startswith("the coordinates are on sheet "):
            return note.split("'")[1]
    return None


def show_bad_rows(result, L: str) -> None:
    """Warn about rows whose coordinates do not fit the others (经纬度颠倒, 超出研究范围, 坐标缺失/无效).

    Parameters
    ----------
    result : geodata.importing.ReadResult
        The file as read (:attr:`~geodata.importing.ReadResult.bad_rows`).
    L : str
        Language.
    """
    if not result.bad_rows:
        return
    gdf = result.gdf
    names = next(
        (c for c in ("名称", "name", "名字", "单位名称", "设施名称", "小区名称") if c in gdf.columns), None
    )
    lines = []
    for row, kind in list(result.bad_rows.items())[:BAD_ROWS_SHOWN]:
        label = gdf[names].iloc[row] if names else ""
        label = "" if label is None or str(label) == "nan" else str(label)
        lines.append(
            "- " + common.md_escape(t("read.bad_row", L, row=row, name=label, kind=t(f"read.kind.{kind}", L)))
        )
    more = len(result.bad_rows) - BAD_ROWS_SHOWN
    if more > 0:
        lines.append("- " + t("read.bad_more", L, n=more))
    st.warning(t("read.bad_rows", L, n=len(result.bad_rows)) + "\n\n" + "\n".join(lines))
