"""Repeated text: the same paragraph or long sentence pasted twice into one answer.

Answers are typed a few messages at a time over days, so the same piece is easily sent or
pasted twice. Decisions:

* Text is compared with all whitespace left out, since Thai spacing varies between copies
  of the same words (a space, two spaces, a line break).
* A **paragraph** (a line) of at least :data:`MIN_PARAGRAPH` characters (about two printed
  lines) that equals an earlier one is a repeat. Shorter lines recur legitimately: headings,
  table rows, and the labels of a table laid out one cell per line
  ("ความพึงพอใจของผู้รับบริการในภาพรวม" above each year's figure).
* Inside or across paragraphs, a **run** of at least :data:`MIN_RUN` characters (a long
  sentence) starting after a space or a line break, that appeared earlier in full and
  without overlapping itself, is a repeat. A law's or a project's long name said twice, and
  parallel list items ("ผู้รับบริการพึงพอใจในระดับมากที่สุด ร้อยละ …") that share their
  beginnings and differ in their figures, stay below it.
* One finding per answer: the first second copy, its span covering the repeated text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.sentences import word_edge

#: The least characters (whitespace left out) of a line that repeats an earlier line.
MIN_PARAGRAPH = 80
#: The least characters (whitespace left out) of a repeated run inside the text.
MIN_RUN = 150
_QUOTE = 60
_CHUNK = re.compile(r"\S+")


def find_repeats(answer: Answer) -> Iterator[Gap]:
    """Report the first piece of text the answer holds twice, on its second copy."""
    text = answer.text
    found = [s for s in (_repeated_line(text), _repeated_run(text)) if s is not None]
    if not found:
        return
    start, end, first, rule = min(found)
    shown = answer.to_original((start, end)) or (start, end)
    yield Gap("repeated_text", quote=_quote(answer.original, *shown), span=(start, end),
              reason=f"repeats: {rule} at {start}-{end} repeats the text at {first}")


def _repeated_line(text: str) -> tuple[int, int, int, str] | None:
    """Return (start, end, first start, rule) of the first line equal to an earlier one."""
    seen: dict[str, int] = {}
    offset = 0
    for line in text.split("\n"):
        key = "".join(line.split())
        if len(key) >= MIN_PARAGRAPH:
            start = offset + len(line) - len(line.lstrip())
            if key in seen:
                return start, offset + len(line.rstrip()), seen[key], "paragraph"
            seen[key] = start
        offset += len(line) + 1
    return None


def _repeated_run(text: str) -> tuple[int, int, int, str] | None:
    """Return (start, end, first start, rule) of the first long run seen earlier in full."""
    chunks = list(_CHUNK.finditer(text))
    dense = "".join(m[0] for m in chunks)
    if len(dense) < 2 * MIN_RUN:
        return None
    starts, at = [], 0  # where each chunk starts in ``dense``
    for m in chunks:
        starts.append(at)
        at += len(m[0])
    seen: dict[str, int] = {}
    for k, d in enumerate(starts):
        key = dense[d:d + MIN_RUN]
        if len(key) < MIN_RUN:
            break
        first = seen.setdefault(key, d)
        if first + MIN_RUN <= d:
            end = _offset(chunks, starts, d + _common_length(dense, first, d), end=True)
            return chunks[k].start(), end, _offset(chunks, starts, first), "run"
    return None


def _offset(chunks: list[re.Match[str]], starts: list[int], dense_at: int, *,
            end: bool = False) -> int:
    """Map an offset in the text without whitespace back to the text (an end: after a chunk)."""
    k = max(0, bisect.bisect_right(starts, dense_at - end) - 1)
    return chunks[k].start() + (dense_at - starts[k])


def _common_length(dense: str, first: int, second: int) -> int:
    """Return how many characters from ``first`` and from ``second`` agree (no overlap)."""
    n = MIN_RUN
    limit = min(len(dense) - second, second - first)
    while n < limit and dense[first + n] == dense[second + n]:
        n += 1
    return n


def _quote(text: str, start: int, end: int) -> str:
    """Return the start of the repeated text, cut with "…" when it is long."""
    body = " ".join(text[start:end].split())
    if len(body) <= _QUOTE:
        return body
    return body[:word_edge(body, _QUOTE, 0, len(body))].rstrip() + "…"
