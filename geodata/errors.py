"""Validation errors that collect every problem of a file instead of stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one place of a dataset.

    ``row`` is the 0-based feature index (``None`` for file- or layer-level problems).
    """

    layer: str
    row: int | None
    field: str | None
    problem: str
    hint: str = ""

    def __str__(self) -> str:
        """Return ``"<layer> row <n> field '<f>': <problem> — <hint>"`` (parts omitted when absent)."""
        where = self.layer
        if self.row is not None:
            where += f" row {self.row}"
        if self.field:
            where += f" field {self.field!r}"
        text = f"{where}: {self.problem}"
        return f"{text} — {self.hint}" if self.hint else text


class DataValidationError(ValueError):
    """Raised with the full list of problems found in a dataset.

    Every problem is kept (:attr:`problems`); only displays cap the list.

    Parameters
    ----------
    problems : list of Problem
        Everything wrong, in the order found.
    source : str, optional
        The file or dataset the problems belong to.
    """

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        lines = [f"{head}{len(self.problems)} problem(s)"] + [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))
