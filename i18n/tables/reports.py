"""Labels of print layouts, the briefing PDF, slides and the rehearse command (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {}
