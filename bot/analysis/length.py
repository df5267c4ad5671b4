"""Length: an answer too thin for its question's weight, or over the question's limit."""

from __future__ import annotations

import math
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.messages import Label, Measure
from bot.analysis.pages import CHARS_PER_LINE, LINES_PER_PAGE, count_lines
from bot.rubrics import Question


def check_thin(words: int, question: Question) -> Iterator[Gap]:
    """Report an answer with fewer words than the question expects."""
    if words < question.min_words:
        shortfall = 1 - words / question.min_words
        yield Gap("thin", {"words": words, "expected": question.min_words}, scale=shortfall)


def check_limit(answer: Answer, words: int, chars: int, question: Question) -> Iterator[Gap]:
    """Report an answer longer than the question's limit (pages, characters or words)."""
    limit = question.limit
    if limit is None:
        return
    unit = Label("units", limit.unit)
    if limit.unit == "pages":
        lines = count_lines(answer.text)
        if lines > limit.max * LINES_PER_PAGE:
            excess = _round_up((lines - limit.max * LINES_PER_PAGE) * CHARS_PER_LINE)
            yield Gap("over_limit", {"limit": limit.max, "unit": unit,
                                     "length": round(lines / LINES_PER_PAGE, 1),
                                     "excess": Measure(excess, Label("units", "chars"))})
        return
    length = chars if limit.unit == "chars" else words
    if length > limit.max:
        yield Gap("over_limit", {"limit": limit.max, "unit": unit, "length": length,
                                 "excess": Measure(length - limit.max, unit)})


def _round_up(n: int, step: int = 50) -> int:
    """Round ``n`` up to a multiple of ``step``, so advice reads "ราว 900" not "ราว 868"."""
    return int(math.ceil(n / step) * step)
