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
6. Letters separated by single spaces ("ก า ร พั ฒ น า"), three or more in a row, are joined,
   and so are runs of four or more pieces of one or two letters, half of them single
   ("สั งค ม โล ก"). Two single letters in a row are ordinary Thai ("ณ ที่", "ต่าง ๆ ก็"),
   so they stay. Runs of two or more spaces (columns of a pasted table) are never touched.
7. A mark typed twice ("ปีี", "สำำ", a PDF that drew it twice) is kept once, and a
   replacement character (U+FFFD) after a Thai letter is dropped.
8. Lines holding only marks (a PDF that set its vowels and tone marks apart) are dropped.
9. The Latin-1 letters some PDF fonts give in place of Thai ones, next to a Thai letter, are
   read as Thai: ÿ ส, ü ว, Ā ห, þ ษ, ý ศ ("จังĀüัด" → "จังหวัด").
10. When most lines are short (a PDF that broke lines inside words: "ความพึ" / "งพอใจ"), a
   line break between two Thai letters is dropped. In ordinary text it ends a paragraph.

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
_LETTER = rf"[\u0e01-\u0e2e\u0e40-\u0e44][{_MARK}]*+"
# A letter (a consonant, or a leading vowel) with its marks, standing alone between spaces.
_LONE = rf"{_LETTER}(?![\u0e01-\u0e4e])"
# One or two letters with their marks between spaces ("สั งค ม โล ก").
_CHUNK = rf"{_LETTER}(?:{_LETTER})?(?![\u0e01-\u0e4e])"
#: Latin-1 letters some PDF fonts put in place of Thai ones (found in real pasted text).
_GLYPHS = {"ÿ": "ส", "ü": "ว", "Ā": "ห", "þ": "ษ", "ý": "ศ"}

_DAMAGE = re.compile(
    "[\u200b-\u200d\u2060\ufeff\u00ad\u00a0\u2000-\u200a\u202f\u3000]"
    "|\u0e4d|เเ"
    rf"|[ ](?=[{_MARK}])"
    rf"|[{_TONE}](?=[{_UPPER_LOWER}])"
    rf"|(?<![\u0e01-\u0e4e]){_LONE}(?: {_LONE}){{2}}"
    rf"|(?<![\u0e01-\u0e4e]){_CHUNK}(?: {_CHUNK}){{3}}"
    rf"|\n[{_MARK}]|([{_MARK}])\1|(?<=[\u0e01-\u0e4e])\ufffd"
    "|(?<=[\u0e01-\u0e4e])[ÿüĀþý]|[ÿüĀþý](?=[\u0e01-\u0e4e])"
)
_CHARS = re.compile(
    "(?P<drop>[\u200b-\u200d\u2060\ufeff\u00ad]+)"
    "|(?P<space>[\u00a0\u2000-\u200a\u202f\u3000])"
    rf"|(?P<am>(?:[{_TONE}] ?)?\u0e4d ?(?:[{_TONE}] ?)?\u0e32(?P<tone_after> ?[{_TONE}])?)"
    "|(?P<ae>เเ)"
    rf"|(?P<detached>(?<=[\u0e01-\u0e4e])[ ]++(?=[{_MARK}]))"
    rf"|(?P<order>[{_TONE}][{_UPPER_LOWER}])"
    rf"|(?P<strays>\n[{_MARK}]++(?=\n|\Z))"
    rf"|(?P<doubled>(?P<mark>[{_MARK}])(?P=mark)++)"
    "|(?P<replacement>(?<=[\u0e01-\u0e4e])\ufffd)"
    "|(?P<glyph>(?<=[\u0e01-\u0e4e])[ÿüĀþý]|[ÿüĀþý](?=[\u0e01-\u0e4e]))"
)
_SPACED = re.compile(rf"(?<![\u0e01-\u0e4e]){_CHUNK}(?: {_CHUNK})++")
_MIN_SPACED_LETTERS = 3
_MIN_SPACED_CHUNKS = 4
_LETTERS = re.compile("[\u0e01-\u0e2e\u0e40-\u0e44]")
_BROKEN_LINE = re.compile("(?<=[\u0e01-\u0e4e])\n(?=[\u0e01-\u0e4e])")
#: A text is "broken into lines" when most of its lines are at most this long.
_SHORT_LINE = 20
_MIN_BROKEN_LINES = 5
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
    broken = text.count("\n") + 1 >= _MIN_BROKEN_LINES and _broken_into_lines(text)
    if not broken and _DAMAGE.search(text) is None:
        return Normalized(text)
    result = _apply(Normalized(text, tuple(range(len(text) + 1)),
                               tuple(range(1, len(text) + 1))), _CHARS, _char_repair)
    if _SPACED.search(result.text):
        result = _apply(result, _SPACED, _spaced_repair)
    if _broken_into_lines(result.text):
        result = _apply(result, _BROKEN_LINE, lambda m: [("", m.start(), m.end())])
    return result


def _apply(done: Normalized, pattern: re.Pattern[str],
           fix: Callable[[re.Match[str]], list[Piece]]) -> Normalized:
    """Run one repair over already repaired text and compose the maps back to the original."""
    pieces: list[Piece] = []
    _repair(done.text, pattern, fix, pieces)
    text, starts, ends = _join(pieces, len(done.text))
    assert done.starts is not None and done.ends is not None
    return Normalized(text, tuple(done.starts[i] for i in starts),
                      tuple(done.ends[i - 1] for i in ends))


def _broken_into_lines(text: str) -> bool:
    """Tell whether a PDF broke the text into short lines (most lines a few letters long).

    Such text breaks lines inside words ("ความพึ" / "งพอใจ"), so a line break between two
    Thai letters is dropped; in ordinary text a line break ends a paragraph and stays.
    """
    lines = [line for line in text.split("\n") if line.strip()]
    short = sum(1 for line in lines if len(line.strip()) <= _SHORT_LINE)
    return len(lines) >= _MIN_BROKEN_LINES and 2 * short > len(lines)


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
    if kind in ("drop", "detached", "strays", "replacement"):
        return ""
    if kind == "doubled":
        return m[0][0]
    if kind == "glyph":
        return _GLYPHS[m[0]]
    if kind == "space":
        return " "
    if kind == "ae":
        return "แ"
    if kind == "order":
        return m[0][1] + m[0][0]
    tones = [ch for ch in m["am"] if "\u0e48" <= ch <= "\u0e4b"]
    return "".join(tones[:1]) + "ำ"


def _spaced_repair(m: re.Match[str]) -> list[Piece]:
    """Join letters separated by single spaces when there are enough of them in a row.

    Three single letters in a row are damage; two-letter pieces count only in a run of four
    or more pieces of which half are single letters, since Thai may put a space between two
    short words ("และ ใน").
    """
    run, start = m[0], m.start()
    chunks = run.split(" ")
    singles = sum(1 for chunk in chunks if len(_LETTERS.findall(chunk)) == 1)
    if not (singles == len(chunks) >= _MIN_SPACED_LETTERS
            or (len(chunks) >= _MIN_SPACED_CHUNKS and 2 * singles >= len(chunks))):
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
