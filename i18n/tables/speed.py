"""Labels of the instant what-if on the coverage page and of the on-demand downloads (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "speed.layer.changed": ("情景后覆盖率变化的社区", "Communities whose share the scenario changes"),
    "speed.col.share_change": ("覆盖率 %（现状 → 情景）", "Served share % (now → scenario)"),
}
