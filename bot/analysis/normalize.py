"""Repair Thai pasted from PDF files and OCR before analysis, keeping a map back to the original.

What the officer typed or pasted is stored as it is; only the text the checks read is
repaired (:class:`bot.analysis.answer.Answer` keeps both). Every repair is local, so each
character of the repaired text comes from a known stretch of the original and
:meth:`Normalized.to_original` maps a span back exactly (a highlight covers the same words).

Repairs, in order:

1. Invisible characters go: zero-width space and joiners, word joiner, byte-order mark,
   soft hyphen. No-break and other wide spaces become plain spaces.
2. A decomposed sara am, nikhahit + sara aa ("ํา", the form PDF text extraction gives), becomes
   "ำ", also with a tone mark before, between or after the nikhahit ("น ํ ้ า" → "น้ำ").
3. A doubled sara e ("เเ", how some fonts draw sara ae) becomes "แ".
4. A space before a mark that cannot start a syllable (an upper or lower vowel, a tone mark,
   sara a, sara aa, sara am) is dropped: the mark belongs to the letter before ("ท ี่" → "ที่").
5. A tone mark typed before the upper or lower vowel of its syllable is put after it
   ("ท่ี" → "ที่"), the order Thai fonts and word lists expect.
6. Letters separated by single spaces ("ก า ร พั ฒ น า"), three or more in a row, are joined.
   Two single letters in a row are ordinary Thai ("ณ ที่", "ต่าง ๆ ก็"), so they stay. Runs
   of two or more spaces (columns of a pasted table) are never touched.

Thai digits are left as they are: every rule of the analysis reads them, and the officer's
quote keeps them. Text without any of these forms is returned unchanged at the cost of one
regex scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_TONE = "\u0e48-\u0e4b"
# Marks that sit on the letter before them and so cannot start a syllable:
# mai han-akat, sara a/aa/am, the upper and lower vowels, the tone marks and the other
# diacritics (mai taikhu, thanthakhat, nikhahit, yamakkan).
_MARK = "\u0e30-\u0e3a\u0e47-\u0e4e"
_UPPER_LOWER = "\u0e31\u0e34-\u0e3a\u0e47"
# A letter (a consonant, or a leading vowel) with its marks, standing alone between spaces.
_LONE = rf"[\u0e01-\u0e2e\u0e40-\u0e44][{_MARK}]*+(?![\u0e01-\u0e4e])"

_DAMAGE = re.compile(
    "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0\u2000-\u200a\u202f\u3000]"
    "|\u0e4d|เเ"
    rf"|[ ](?=[{_MARK}])"
    rf"|[{_TONE}](?=[{_UPPER_LOWER}])"
    rf"|(?<![\u0e01-\u0e4e]){_LONE}(?: {_LONE}){{2}}"
)
_CHARS = re.compile(
    "(?P<drop>[\u200b-\u200d\u2060\ufeff\u00ad]+)"
    "|(?P<space>[\u00a0\u2000-\u200a\u202f\u3000])"
    rf"|(?P<am>(?:[{_TONE}] ?)?\u0e4d ?(?:[{_TONE}] ?)?\u0e32(?P<tone_after> ?[{_TONE}])?)"
    "|(?P<ae>เเ)"
    rf"|(?P<detached>(?<=[\u0e01-\u0e4e])[ ]++(?=[{_MARK}]))"
    rf"|(?P<order>[{_TONE}][{_UPPER_LOWER}])"
)
_SPACED = re.compile(rf"(?<![\u0e01-\u0e4e]){_LONE}(?: {_LONE})++")
_MIN_SPACED_LETTERS = 3
#: A stretch of the repaired text: its characters, and where it came from in the original.
Piece = tuple[str, int, int]


@dataclass(frozen=True)
class Normalized:
    """Repaired text, and for each of its characters where it came from in the original."""

    text: str
    #: starts[i] is where character i of :attr:`text` starts in the original; one more entry
    #: holds the original's length. None when the text needed no repair.
    starts: tuple[int, ...] | None = None
    #: ends[i] is where character i of :attr:`text` ends in the original.
    ends: tuple[int, ...] | None = None

    def to_original(self, span: tuple[int, int] | None) -> tuple[int, int] | None:
        """Map a span of the repaired text back to the same words in the original."""
        if span is None or self.starts is None or self.ends is None:
            return span
        start, end = span
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """Repair PDF and OCR damage in ``text`` and keep the map back to it."""
    if _DAMAGE.search(text) is None:
        return Normalized(text)
    pieces: list[Piece] = []
    _repair(text, _CHARS, _char_repair, pieces)
    once = Normalized(*_join(pieces, len(text)))
    if once.starts is None or _SPACED.search(once.text) is None:
        return once
    pieces = []
    _repair(once.text, _SPACED, _spaced_repair, pieces)
    twice_text, starts, ends = _join(pieces, len(once.text))
    assert starts is not None and ends is not None
    # Compose the second map with the first.
    first_starts, first_ends = once.starts, once.ends
    assert first_ends is not None
    return Normalized(twice_text,
                      tuple(first_starts[i] for i in starts[:-1]) + (len(text),),
                      tuple(first_ends[i - 1] if i else 0 for i in ends))


def _repair(text: str, pattern: re.Pattern[str], fix: Callable[[re.Match[str]], list[Piece]],
            pieces: list[Piece]) -> None:
    """Split ``text`` into kept stretches and repaired matches of ``pattern``."""
    done = 0
    for m in pattern.finditer(text):
        if m.start() > done:
            pieces.append((text[done:m.start()], done, m.start()))
        pieces.extend(fix(m))
        done = m.end()
    if done < len(text):
        pieces.append((text[done:], done, len(text)))


def _char_repair(m: re.Match[str]) -> list[Piece]:
    """Return the repaired form of one damaged stretch."""
    return [(_repaired_chars(m), m.start(), m.end())]


def _repaired_chars(m: re.Match[str]) -> str:
    """Return what one damaged stretch becomes."""
    kind = m.lastgroup
    if kind == "drop" or kind == "detached":
        return ""
    if kind == "space":
        return " "
    if kind == "ae":
        return "แ"
    if kind == "order":
        return m[0][1] + m[0][0]
    tones = [ch for ch in m["am"] if "\u0e48" <= ch <= "\u0e4b"]
    return "".join(tones[:1]) + "ำ"


def _spaced_repair(m: re.Match[str]) -> list[Piece]:
    """Join letters separated by single spaces when there are enough of them in a row."""
    run, start = m[0], m.start()
    if run.count(" ") + 1 < _MIN_SPACED_LETTERS:
        return [(run, start, m.end())]
    pieces = []
    for letters in run.split(" "):
        pieces.append((letters, start, start + len(letters)))
        start += len(letters) + 1
    return pieces


def _join(pieces: list[Piece],
          length: int) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """Join repaired pieces and record where each character came from.

    A stretch of unchanged length maps character by character; a shorter or longer one maps
    every character it produced to the whole stretch it replaced, so a span never cuts a
    repair in half.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for piece, start, end in pieces:
        out.append(piece)
        if end - start == len(piece):
            starts.extend(range(start, end))
            ends.extend(range(start + 1, end + 1))
        else:
            starts.extend([start] * len(piece))
            ends.extend([end] * len(piece))
    starts.append(length)
    return "".join(out), tuple(starts), tuple(ends)
