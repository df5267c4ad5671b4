"""Read tables that officers paste as text.

Three shapes reach the bot:

* cells split by tabs or pipes (Word, Excel, Markdown): a line with a tab or at least two
  pipes is a table line;
* columns lined up with runs of spaces (text copied from a PDF or a Word table): a line
  split by runs of two or more spaces into at least two cells, one of which (after the
  first) starts with a digit or names a year or a stage ("ปี 2563", "ก่อน", "หลัง", "เดิม",
  "ปัจจุบัน"), is a table line when the line before or after it is one too. Thai prose puts
  two spaces between sentences, so one such line alone is never a table;
* a text label followed by two or more numbers separated by single spaces or nothing at all
  ("พอใจมาก 25.0 20.0 26.3", "ใช้91,72595,93598,365": a PDF table flattened to lines),
  again only next to another table line;
* one cell per line (some PDF exports): read by :mod:`bot.analysis.quantities`, which lets a
  number alone on its line take the line before as its label.

Consecutive table lines form one table, whose first line is its header; blank lines between
them do not end it. Blank cells are dropped. Thai digits and units inside cells ("30 วัน",
"๑๒๐ ราย") are left to the readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.analysis.lexicon import DIGITS, NUMBER

_CELL = re.compile(r"[^\t|\n]+")
_SPACED_CELL = re.compile(r"[^\t|\n ]++(?: [^\t|\n ]++)*+")
_COLUMN_GAP = re.compile(r"[^ \n]  ++[^ \n]")
_NUMERIC_ROW = re.compile(
    rf"(?P<label>[^\n\t|{DIGITS}]*+)(?P<numbers>(?:{NUMBER}[ ]*+%?[ ]*+\.?){{2,}}+)"
    r"[A-Za-z (),.-]*+")
_IN_ROW = re.compile(NUMBER)
_LETTER = re.compile(r"[ก-ฮA-Za-z]")
_HEADING_CELL = re.compile(r"[0-9๐-๙]|ปี|พ\.ศ\.|ก่อน|หลัง|เดิม|ปัจจุบัน")


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: its text (stripped) and where it sits in the answer."""

    start: int
    end: int
    text: str


Row = tuple[Cell, ...]


def has_table(text: str) -> bool:
    """Tell cheaply whether ``text`` may hold a table."""
    return "\t" in text or text.count("|") >= 2 or "  " in text or "\n" in text


def tables(text: str) -> list[list[Row]]:
    """Return the tables in ``text``, each a list of rows of non-blank cells."""
    # Blank lines neither end a table nor count as rows: PDF text often puts one between rows.
    rows = [(row, spaced) for row, spaced, blank in _rows(text) if not blank]
    found: list[list[Row]] = []
    current: list[Row] = []
    for i, (row, spaced) in enumerate(rows):
        neighbour = (i > 0 and rows[i - 1][0] is not None) or (
            i + 1 < len(rows) and rows[i + 1][0] is not None)
        if row is not None and (not spaced or neighbour):
            if row:  # a line of bare separators ("||||") keeps the table going
                current.append(row)
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def _rows(text: str) -> Iterator[tuple[Row | None, bool, bool]]:
    """Yield (row or None, whether its columns were found by spaces, whether blank) per line."""
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        if not line.strip():
            yield None, False, True
        elif "\t" in line or line.count("|") >= 2:
            yield _cells(text, _CELL, start, end), False, False
        elif _COLUMN_GAP.search(line) and _is_spaced_row(cells := _cells(text, _SPACED_CELL,
                                                                          start, end)):
            yield cells, True, False
        elif (row := _numeric_row(text, start, end)) is not None:
            yield row, True, False
        else:
            yield None, False, False
        start = end + 1


def _cells(text: str, pattern: re.Pattern[str], start: int, end: int) -> Row:
    """Return the non-blank cells of one line."""
    return tuple(Cell(m.start(), m.end(), m[0].strip())
                 for m in pattern.finditer(text, start, end) if not m[0].isspace())


def _numeric_row(text: str, start: int, end: int) -> Row | None:
    """Return a line that is a text label and then only numbers as a row, else None."""
    m = _NUMERIC_ROW.fullmatch(text, start, end)
    if m is None or not _LETTER.search(m["label"]):
        return None
    label = Cell(start, m.end("label"), m["label"].strip())
    return (label, *(Cell(n.start(), n.end(), n[0])
                     for n in _IN_ROW.finditer(text, m.start("numbers"), m.end("numbers"))))


def _is_spaced_row(cells: Row) -> bool:
    """Tell whether cells split at runs of spaces look like a table row, not prose."""
    return len(cells) >= 2 and any(_HEADING_CELL.match(c.text) for c in cells[1:])
