"""Length: how long an answer should be for its question's points, and the checks on it.

The model (an estimate; OPDC publishes points per dimension and, for most questions, no
length limit):

* **The page budget.** A whole application reads well in about :data:`FORM_PAGES` A4
  pages at 16 pt (TH Sarabun), and a question deserves the share of them its points are of
  the 100 points both tracks are scored out of: the 20-point results question about two
  pages, a 5-point question half a page. No question is given less than
  :data:`MIN_PAGES`. A question with a page limit in the rubric (participatory question 13,
  one page) gets its limit instead.
* **The range** (:func:`budget`): at least the rubric's ``min_words`` for the question
  (set per weight) — :data:`CHARS_PER_WORD` characters a word, as measured on the realistic
  answers of the test table — and at most :data:`SLACK` times the page share, never less
  than a page. Characters are non-whitespace code points; a page holds
  :data:`~bot.analysis.pages.CHARS_PER_PAGE` of them (:mod:`bot.analysis.pages`).
* **thin**: fewer words than ``min_words``, and either really short (under
  :data:`REALLY_SHORT` of it) or short even when each measured quantity is counted as
  :data:`WORDS_PER_FIGURE` words. A short answer dense with figures says as much as a
  longer one in prose, so it is not called thin unless it is really under the range.
* **too_long**: more characters than the range's maximum, for a question without a limit
  of its own. A question with a limit gets ``over_limit`` instead, and only that.
* **over_limit**: over the rubric's hard limit (pages, characters or words); its span
  starts where the limit is passed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

from bot.analysis.answer import Answer, Gap
from bot.analysis.messages import Label, Measure
from bot.analysis.pages import (
    CHARS_PER_LINE,
    CHARS_PER_PAGE,
    LINES_PER_PAGE,
    count_lines,
    estimate_pages,
    offset_after_lines,
)
from bot.rubrics import Question

#: A4 pages a whole application reads well in (all questions of a track together).
FORM_PAGES = 10
#: The points a track is scored out of.
TOTAL_POINTS = 100
#: The least page share a question gets.
MIN_PAGES = 0.5
#: How far past its page share an answer may run before it is too long for its points.
SLACK = 1.5
#: Non-whitespace characters per PyThaiNLP word in Thai award prose (4.9 measured).
CHARS_PER_WORD = 5
#: Below this share of the expected words an answer is thin however dense it is.
REALLY_SHORT = 0.5
#: Words a measured quantity stands for when judging whether an answer is thin.
WORDS_PER_FIGURE = 8
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # not counted, as in tokens.py


class Budget(NamedTuple):
    """The sensible length of an answer: characters (not whitespace) and pages to aim at."""

    min_chars: int
    max_chars: int
    pages: float


def budget(question: Question) -> Budget:
    """Return the sensible length range of an answer to ``question``."""
    limit = question.limit
    if limit is not None and limit.unit == "pages":
        pages = float(limit.max)
        most = limit.max * CHARS_PER_PAGE
    else:
        pages = max(MIN_PAGES, question.weight / TOTAL_POINTS * FORM_PAGES)
        most = _round(max(pages * SLACK, 1.0) * CHARS_PER_PAGE, 100)
        if limit is not None and limit.unit == "chars":
            most = min(most, limit.max)
    least = min(_round(question.min_words * CHARS_PER_WORD, 50), most)
    return Budget(min_chars=least, max_chars=most, pages=round(pages, 1))


def check_length(answer: Answer, words: int, chars: int, question: Question) -> Iterator[Gap]:
    """Report an answer over its limit, too thin, or far too long for its points."""
    yield from check_limit(answer, words, chars, question)
    yield from check_thin(words, question, figures=len(answer.quantities))
    yield from check_too_long(answer, chars, question)


def check_thin(words: int, question: Question, *, figures: int = 0) -> Iterator[Gap]:
    """Report an answer with too few words for its question, counting figures as words."""
    expected = question.min_words
    if words >= expected:
        return
    weighed = words + WORDS_PER_FIGURE * figures
    if words < REALLY_SHORT * expected:
        scale, why = 1 - words / expected, f"under {REALLY_SHORT:.0%} of"
    elif weighed < expected:
        scale, why = 1 - weighed / expected, f"with {figures} figure(s) still under"
    else:
        return
    yield Gap("thin", {"words": words, "expected": expected}, scale=scale,
              reason=f"length: {words} words, {why} the {expected} expected")


def check_too_long(answer: Answer, chars: int, question: Question) -> Iterator[Gap]:
    """Report an answer far longer than its question's points deserve."""
    if question.limit is not None:
        return
    most = budget(question).max_chars
    if chars > most:
        pages = round(estimate_pages(answer.text), 1)
        yield Gap("too_long", {"chars": chars, "pages": pages, "max_chars": most,
                               "points": _points(question.weight)},
                  span=(_offset_after_chars(answer.text, most), len(answer.text)),
                  reason=f"length: {chars} characters > {most} for {question.weight} points "
                         f"({FORM_PAGES} pages × weight/{TOTAL_POINTS} × {SLACK})")


def check_limit(answer: Answer, words: int, chars: int, question: Question) -> Iterator[Gap]:
    """Report an answer longer than the question's limit (pages, characters or words)."""
    limit = question.limit
    if limit is None:
        return
    unit = Label("units", limit.unit)
    if limit.unit == "pages":
        lines, room = count_lines(answer.text), limit.max * LINES_PER_PAGE
        if lines > room:
            excess = _round_up((lines - room) * CHARS_PER_LINE)
            yield Gap("over_limit", {"limit": limit.max, "unit": unit,
                                     "length": round(lines / LINES_PER_PAGE, 1),
                                     "excess": Measure(excess, Label("units", "chars"))},
                      span=(offset_after_lines(answer.text, room), len(answer.text)),
                      reason=f"limit: {lines} lines > {room} ({limit.max} page(s))")
        return
    length = chars if limit.unit == "chars" else words
    if length > limit.max:
        span = ((_offset_after_chars(answer.text, limit.max), len(answer.text))
                if limit.unit == "chars" else None)
        yield Gap("over_limit", {"limit": limit.max, "unit": unit, "length": length,
                                 "excess": Measure(length - limit.max, unit)},
                  span=span, reason=f"limit: {length} {limit.unit} > {limit.max}")


def _offset_after_chars(text: str, count: int) -> int:
    """Return the offset just after the first ``count`` non-whitespace characters."""
    seen = 0
    for i, ch in enumerate(text):
        if not ch.isspace() and ch not in _INVISIBLE:
            seen += 1
            if seen > count:
                return i
    return len(text)


def _points(weight: float) -> int | float:
    """Return a weight as it is said: 20, not 20.0; 2.5 stays 2.5."""
    return int(weight) if float(weight).is_integer() else weight


def _round(n: float, step: int) -> int:
    """Round ``n`` to the nearest multiple of ``step``."""
    return int(round(n / step) * step)


def _round_up(n: int, step: int = 50) -> int:
    """Round ``n`` up to a multiple of ``step``, so advice reads "ราว 900" not "ราว 868"."""
    return int(math.ceil(n / step) * step)
