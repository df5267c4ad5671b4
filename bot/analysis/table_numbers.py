"""Numbers in pasted tables and under their labels: the label says what a bare number is.

A bare number (no unit, nothing before it) says nothing by itself, so
:mod:`bot.analysis.quantities` first reads it as *unknown*. Here it is read again:

* in a table row whose first cell is a text label ("ผู้รับบริการ (ราย) | 820 | 1,340"), it
  takes the kind of a unit word in the label ("ราย": people; none: amount) and the role of
  the row label or, failing that, of its column header ("เป้าหมาย" a target,
  "ผลการดำเนินงาน" a result, :func:`bot.analysis.roles.role_of_label`);
* a number with a unit in such a cell, which no word before it in the cell gave a role,
  takes the column's role too ("เป้าหมาย | 1,000 ราย");
* alone on its line, it takes the line before it as its label in the same way.

A year-like number in a result column stays a date ("ปีที่ดำเนินการ | 2562 | 2563").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from bot.analysis.numbers import UNIT, UNIT_KINDS, Quantity, bare_number
from bot.analysis.roles import RESULT, UNKNOWN, role_of_label
from bot.analysis.tables import Cell, has_table, tables

#: Relabel a bare number with a kind, a role and the label that gave them.
Relabel = Callable[[Quantity, str, str, str], Quantity]
_UNIT_IN_LABEL = re.compile(rf"ร้อยละ|{UNIT}")
_HAS_LETTER = re.compile(r"[ก-ฮA-Za-z]")
_NEWLINE = re.compile("\n")
_VALUE_LINE = 40  # the longest line that can hold a value alone


def read_tables(text: str, numbers: list[Quantity], relabel: Relabel) -> None:
    """Give the bare numbers in labelled table rows the row's kind and the column's role."""
    if not has_table(text):
        return
    starts = [q.start for q in numbers]
    for table in tables(text):
        header = table[0]
        for n, row in enumerate(table):
            label = row[0].text
            if len(row) < 2 or not is_label(label):
                continue
            kind, role = label_kind(label), role_of_label(label)
            for column, cell in enumerate(row[1:], 1):
                cell_role, cue = role, label
                if role == RESULT and n > 0 and column < len(header):
                    cell_role, cue = role_of_label(header[column].text), header[column].text
                _relabel_cell(numbers, starts, cell, (kind, cell_role, label, cue), relabel)


def _relabel_cell(numbers: list[Quantity], starts: list[int], cell: Cell,
                  reading: tuple[str, str, str, str], relabel: Relabel) -> None:
    """Give the numbers in one cell the kind and role their row and column give them.

    ``reading`` is (kind, role, the row's label, the cell that gave the role).
    """
    kind, role, label, cue = reading
    i = bisect.bisect_left(starts, cell.start)
    while i < len(numbers) and starts[i] < cell.end:
        q = numbers[i]
        if q.role == UNKNOWN:
            numbers[i] = relabel(q, kind, role, label)
        elif q.role == RESULT and q.cue is None and role != RESULT:
            numbers[i] = q._replace(role=role, cue=cue)
        i += 1


def read_label_lines(text: str, numbers: list[Quantity], relabel: Relabel) -> None:
    """Read a bare number alone on its line with the line before it as its label."""
    if "\n" not in text:
        return
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    for i, q in enumerate(numbers):
        if q.role != UNKNOWN:
            continue
        n = bisect.bisect_left(breaks, q.start)  # the line holding q is line n
        line_start = breaks[n - 1] + 1 if n > 0 else 0
        line_end = breaks[n] if n < len(breaks) else len(text)
        if n == 0 or line_end - line_start > _VALUE_LINE \
                or bare_number(text[line_start:line_end]) is None:
            continue
        label_start = breaks[n - 2] + 1 if n > 1 else 0
        label = text[label_start:line_start - 1].strip()
        if is_label(label):
            numbers[i] = relabel(q, label_kind(label), role_of_label(label), label)


def is_label(cell: str) -> bool:
    """Tell whether a cell or line is a text label rather than a value."""
    return _HAS_LETTER.search(cell) is not None and bare_number(cell) is None


def label_kind(label: str) -> str:
    """Return the kind a label gives its numbers: its unit's, percent, or amount."""
    m = _UNIT_IN_LABEL.search(label)
    if m is None:
        return "amount"
    return "percent" if m[0] == "ร้อยละ" else UNIT_KINDS[m[0].lower()]
