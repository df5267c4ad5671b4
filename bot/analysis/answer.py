"""One answer under analysis, and the gap a check reports in it.

A :class:`Gap` is a finding before it has Thai wording and a priority (see
``bot.analysis.analyzer``). It carries the span of text it concerns (offsets into the
answer, so that a page can highlight it) and a one-line reason for developers: which rule
fired, on which quantity. The reason is never shown to the officer.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from bot.analysis.normalize import normalize
from bot.analysis.quantities import Quantity, counted, read_numbers


@dataclass(frozen=True)
class Gap:
    """A finding before wording: its code, placeholder values, quote and severity scale."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)
    quote: str | None = None
    #: Multiplies the code's severity, e.g. how far short of the minimum a thin answer is.
    scale: float = 1.0
    #: Where in the answer the gap is (start, end offsets), or None for the answer as a whole.
    span: tuple[int, int] | None = None
    #: Which rule fired and on what, for developers (``analyze --json``); never shown to users.
    reason: str = ""


class Answer:
    """One answer under analysis; the costlier facts are worked out once, when first asked."""

    def __init__(self, text: str) -> None:
        #: The answer as the officer wrote it (and as it is stored).
        self.original = text
        self._normalized = normalize(text)
        #: The text the checks read (PDF and OCR damage repaired, see
        #: :mod:`bot.analysis.normalize`); offsets in gaps refer to it.
        self.text = self._normalized.text

    def to_original(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        """Map a span of :attr:`text` back to the same words in :attr:`original`."""
        return self._normalized.to_original(span)

    @cached_property
    def folded(self) -> str:
        """Return the text in lower case, for Latin keywords."""
        return self.text.lower()

    def contains_any(self, words: Iterable[str]) -> bool:
        """Tell whether the answer contains any of ``words`` (Latin ones in any case)."""
        thai, latin = split_keywords(tuple(words))
        text = self.text
        if any(w in text for w in thai):
            return True
        return bool(latin) and any(w in self.folded for w in latin)

    @cached_property
    def numbers(self) -> list[Quantity]:
        """Return every number with its kind and role, in order."""
        return read_numbers(self.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Return the counted quantities (no targets, labels or bare numbers), in order."""
        return counted(self.numbers)

    @cached_property
    def _starts(self) -> list[int]:
        """Return where each measured quantity starts, for bisecting."""
        return [q.start for q in self.quantities]

    def has_quantity_in(self, start: int, end: int) -> bool:
        """Tell whether a measured quantity starts between ``start`` and ``end``."""
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end


@lru_cache(maxsize=256)
def split_keywords(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split keywords into those matched as written and Latin ones matched in lower case.

    ``str.__contains__`` scans 5,000 characters in about a microsecond, much faster than one
    regex alternation over the same text, so existence checks use it.
    """
    latin = tuple(w.lower() for w in words if any(ch.isascii() and ch.isalpha() for ch in w))
    return tuple(w for w in words if w.lower() not in latin), latin
