"""Labels of map layers, map labels, legends and charts (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {}
