"""Measure and break the PDF's lines: HarfBuzz widths, Thai line breaking, justification.

Thai writes no spaces between words and fpdf2 breaks lines only at spaces, so the PDF
fills its lines itself: :mod:`bot.draft.linebreak` says where a line may end (dictionary
words, brackets, numbers with their units, URLs) and every piece is measured with
HarfBuzz on the same Sarabun the PDF embeds (the widths are cached per process).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

from bot.draft.fonts import font_path
from bot.draft.labels import draft_labels
from bot.draft.linebreak import Rules, chunks

SIZE_PT = 16
#: Justify a line only while each gap grows by at most this much (mm); wider gaps read
#: as holes, so such a line (a long URL, a single long word) stays flush left.
MAX_GAP_MM = 6.0


@dataclass(frozen=True)
class Placed:
    """A piece of a line and where it starts, in mm from the line's start."""

    x: float
    text: str


def wrap(text: str, width: float, *, first_width: float | None = None,
         bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm, where Thai lines may break."""
    return ["".join(line) for line in wrap_pieces(text, width, first_width=first_width,
                                                  bold=bold)]


def wrap_pieces(text: str, width: float, *, first_width: float | None = None,
                bold: bool = False) -> list[list[str]]:
    """Break ``text`` into lines of unbreakable pieces, without spaces at either end."""
    limit = width if first_width is None else first_width
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for piece in _tokens(text, min(width, limit), bold):
        piece_w = text_width(piece, bold=bold)
        if line and not piece.isspace() and used + piece_w > limit:
            lines.append(_trimmed(line))
            line, used, limit = [], 0.0, width
        if not line and piece.isspace():
            continue
        line.append(piece)
        used += piece_w
    if line:
        lines.append(_trimmed(line))
    return lines


def justify(pieces: list[str], width: float, *, bold: bool = False) -> list[Placed]:
    """Place a line's pieces so that it fills ``width`` mm, the extra shared between them."""
    words = _words_with_spaces(pieces)
    widths = [text_width(word, bold=bold) for word in words]
    gaps = len(words) - 1
    extra = (width - sum(widths)) / gaps if gaps else 0.0
    if extra < 0 or extra > MAX_GAP_MM:
        extra = 0.0
    placed, x = [], 0.0
    for word, word_w in zip(words, widths, strict=True):
        placed.append(Placed(x, word))
        x += word_w + extra
    return placed


def _words_with_spaces(pieces: list[str]) -> list[str]:
    """Group a line for justifying: at its spaces when it has any, else at every piece.

    Each group is one fpdf2 cell, shaped on its own, so fewer groups build faster; Thai
    lines usually have spaces between phrases, which is where the extra goes first.
    """
    if not any(piece.isspace() for piece in pieces):
        return list(pieces)
    words: list[str] = [""]
    for piece in pieces:
        if piece.isspace():
            words[-1] += piece
            words.append("")
        else:
            words[-1] += piece
    return [word for word in words if word]


def _trimmed(line: list[str]) -> list[str]:
    """Drop the spaces a line ends with."""
    while line and line[-1].isspace():
        line = line[:-1]
    return line


def _tokens(text: str, width: float, bold: bool) -> list[str]:
    """Split ``text`` into unbreakable pieces and spaces, cutting any wider than a line."""
    tokens: list[str] = []
    for piece in chunks(text, _tokenize, _rules()):
        if text_width(piece, bold=bold) <= width:
            tokens.append(piece)
        else:
            tokens.extend(_clusters(piece))
    return tokens


def _tokenize(text: str) -> list[str]:
    """Segment ``text`` into words, keeping the spaces, with the analysis's tokenizer.

    The same nlpo3 dictionary the analysis loads: a second one (newmm's) would cost each
    worker about 100 MB.
    """
    from bot.analysis.tokens import tokenize

    return tokenize(text)


@lru_cache(maxsize=1)
def _rules() -> Rules:
    """Return the line-breaking rules: PyThaiNLP's word list and the wording's prefixes."""
    from pythainlp.corpus import thai_words

    return Rules(words=thai_words(), before_number=frozenset(draft_labels().before_number))


def _clusters(word: str) -> list[str]:
    """Split ``word`` into characters, keeping Thai vowels and tone marks on their base."""
    clusters: list[str] = []
    for ch in word:
        if clusters and unicodedata.category(ch) in ("Mn", "Mc"):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def text_width(text: str, *, bold: bool = False) -> float:
    """Return the shaped width of ``text`` at 16 pt, in millimetres."""
    return _advance(text, bold) * SIZE_PT / _units_per_em(bold) * 25.4 / 72


@lru_cache(maxsize=65536)
def _advance(text: str, bold: bool) -> int:
    """Return the advance of ``text`` after shaping, in font units."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(_hb_font(bold), buffer, {})
    return sum(position.x_advance for position in buffer.glyph_positions)


@lru_cache(maxsize=2)
def _hb_font(bold: bool) -> hb.Font:
    """Return the HarfBuzz font used for measuring, loaded once."""
    blob = hb.Blob.from_file_path(str(font_path("bold" if bold else "regular")))
    return hb.Font(hb.Face(blob))


def _units_per_em(bold: bool) -> int:
    """Return the font's units per em."""
    return _hb_font(bold).face.upem
