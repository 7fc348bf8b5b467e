"""Labels of the generalised map layers of a large city (map payload independent of city size)."""

LABELS: dict[str, tuple[str, str]] = {
    "payload.cells.count": ("小区数（每格）", "Compounds in cell"),
    "payload.legend.facility_cells": (
        "设施（按网格计数，悬停查看各类数量）",
        "Facilities (count per grid cell; hover for each type)",
    ),
}
