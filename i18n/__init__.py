"""Labels: the one zh/en table of user-visible strings, used by pages, the CLI, maps and reports."""

from i18n.labels import LABELS, LANGS, format_value, t, t_or

__all__ = ["LABELS", "LANGS", "format_value", "t", "t_or"]
