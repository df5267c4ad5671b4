"""Estimate how many A4 pages an answer fills, without rendering it.

The figures were measured by ``bench/page_capacity.py``: the realistic answers of the test
table laid out as the draft PDF (bot/draft/pdf.py) lays out answers, in Sarabun-Regular
(fontpkg-sarabun) at 16 pt with fpdf2 and HarfBuzz text shaping, on A4 with the margins of
Thai official documents (top 2.5 cm, bottom 2 cm, left 3 cm, right 2 cm, so a 16 cm ×
25.2 cm text area), lines broken at PyThaiNLP word boundaries, line height 16 pt × 1.3 =
7.34 mm, each paragraph's first line indented 25 mm. Result: 62.0 code points per full
line (58.7 without whitespace), 34 lines per page, so about 2,100 code points or 2,000
non-whitespace characters on a page of continuous text; the indent costs 9.7 code points
per paragraph. Re-run the script after the font, the margins, the line height or the
indent change, and copy its figures here.

Each paragraph starts a new, indented line, so the estimate counts lines paragraph by
paragraph rather than dividing the whole length by the page capacity. Blank lines are
dropped, as the draft drops them.
"""

from __future__ import annotations

import math

#: Code points (whitespace and Thai vowel and tone marks included) on one full line.
CHARS_PER_LINE = 62
#: Code points a paragraph loses to its 25 mm first-line indent.
INDENT_CHARS = 10
#: Lines of 7.34 mm in the 25.2 cm text height of an A4 page.
LINES_PER_PAGE = 34
#: Characters that are not whitespace on a page of continuous text (62 × 34 code points,
#: less spaces and paragraph indents), the unit the reports count in.
CHARS_PER_PAGE = 2_000


def count_lines(text: str) -> int:
    """Count the lines ``text`` fills, each paragraph starting on a new, indented line."""
    paragraphs = (p.strip() for p in text.split("\n"))
    return sum(math.ceil((len(p) + INDENT_CHARS) / CHARS_PER_LINE) for p in paragraphs if p)


def estimate_pages(text: str) -> float:
    """Return the number of A4 pages ``text`` fills (1.5 means a page and a half)."""
    return count_lines(text) / LINES_PER_PAGE


def offset_after_lines(text: str, lines: int) -> int:
    """Return where in ``text`` the line after the first ``lines`` lines would start.

    Used to point at the part of an answer past a page limit; ``len(text)`` when the text
    fills no more than ``lines`` lines.
    """
    used, start = 0, 0
    for paragraph in text.split("\n"):
        body = paragraph.strip()
        if body:
            need = math.ceil((len(body) + INDENT_CHARS) / CHARS_PER_LINE)
            if used + need > lines:
                inside = (lines - used) * CHARS_PER_LINE - INDENT_CHARS
                return start + paragraph.index(body[0]) + max(0, inside)
            used += need
        start += len(paragraph) + 1
    return len(text)
