"""Read tables that officers paste as text: cells split by tabs or pipes.

A table line is a line with a tab or at least two pipes; consecutive table lines form one
table, whose first line is its header. Blank cells are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CELL = re.compile(r"[^\t|\n]+")


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (stripped) and where it sits in the answer."""

    start: int
    end: int
    text: str


Row = tuple[Cell, ...]


def has_table(text: str) -> bool:
    """Tell cheaply whether ``text`` may hold a table."""
    return "\t" in text or text.count("|") >= 2


def tables(text: str) -> list[list[Row]]:
    """Return the tables in ``text``, each a list of rows of non-blank cells."""
    found: list[list[Row]] = []
    current: list[Row] = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if "\t" in line or line.count("|") >= 2:
            current.append(tuple(Cell(m.start(), m.end(), m[0].strip())
                                 for m in _CELL.finditer(text, start, end) if not m[0].isspace()))
        elif current:
            found.append(current)
            current = []
        start = end + 1
    if current:
        found.append(current)
    return found
