"""Labels of the generalised map layers of a large city (map payload independent of city size)."""

LABELS: dict[str, tuple[str, str]] = {
    "payload.cells.count": ("小区数（每格）", "Compounds in cell"),
}
