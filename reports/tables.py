"""Exports of tables: XLSX (formatted header, frozen first row, column widths) and CSV (UTF-8 with BOM
so Excel on Chinese Windows opens it correctly). Every cell goes through ``geodata.spreadsheet.formula_safe``:
text that would start a formula (``=`` ``+`` ``-`` ``@`` tab, CR) is written as text with a leading ``'``."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from geodata.export import geodata_bytes
from geodata.spreadsheet import formula_safe


def xlsx_bytes(sheets: dict[str, pd.DataFrame], *, notes: dict[str, str] | None = None) -> bytes:
    """One workbook with a sheet per table; an optional notes sheet (e.g. method and distance mode)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            df = formula_safe(df)
            sheet = name[:31]
            df.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for cell in ws[1]:
                cell.font = Font(bold=True, color="FFFFFF")
                cell.fill = PatternFill("solid", fgColor="1F5F99")
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):
                values = [str(col)] + [str(v) for v in df[col].head(200)]
                width = min(60, max(8, max(sum(2 if ord(ch) > 255 else 1 for ch in v) for v in values) + 2))
                ws.column_dimensions[get_column_letter(i)].width = width
        if notes:
            formula_safe(pd.DataFrame({"item": list(notes), "value": list(notes.values())})).to_excel(
                writer, sheet_name="notes", index=False
            )
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Excel-friendly for Chinese text), formula-safe."""
    return formula_safe(df).to_csv(index=False).encode("utf-8-sig")


def layer_bytes(gdf, fmt: str, *, layer: str = "layer") -> tuple[bytes, str, str]:
    """A GeoDataFrame as download bytes: ``xlsx`` (attributes + WKT) here, GIS formats via geodata.

    Returns (bytes, file name, MIME type).
    """
    if fmt == "xlsx":
        table = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).assign(wkt=gdf.geometry.to_wkt())
        return xlsx_bytes({layer: table}), f"{layer}.xlsx", "application/vnd.ms-excel"
    return geodata_bytes(gdf, fmt, layer=layer)
