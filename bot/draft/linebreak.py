"""Where a line of Thai may break: the rules a typesetter keeps, as pure functions.

:func:`chunks` cuts a paragraph into pieces that must stay on one line, and the spaces
between them; a line may end after any piece. The rules, in order:

* **Dictionary words.** The tokenizer's pieces are re-joined when, side by side without
  a space, they spell a longer word of the dictionary (na|thi "minute", tang|tae "since"):
  the longest run of up to :data:`MAX_JOIN` pieces wins, left to right.
* **Brackets and quotes.** Never after an opening bracket or quote, never before a
  closing one or before closing punctuation (``, . ; : ! ? %`` and the repetition mark).
  A straight quote opens after a space or at the start, and closes otherwise.
* **Numbers.** A number keeps the word after it (its unit: 30 minutes, 6,432 people, in
  either digits), across one space; an abbreviation of Thai letters and dots (the
  Buddhist and Christian eras) or a word the wording lists (per cent) keeps the number
  after it.
* **Latin runs.** Pieces of Latin letters, digits and punctuation written without a space
  stay together ("e-mail", "4.62", "API's").
* **URLs.** A URL breaks only after a "/" (not inside "//") or before a "?".

No Thai literal is written here (``tests/test_wording.py``): Thai characters are built
from their code points, and the words before a number come from ``conversations/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

#: The most tokenizer pieces re-joined into one dictionary word.
MAX_JOIN = 4
_THAI_LETTERS = f"{chr(0x0E01)}-{chr(0x0E2E)}"
_THAI_DIGITS = f"{chr(0x0E50)}-{chr(0x0E59)}"
#: U+0E46 mai yamok (repetition) and U+0E2F paiyannoi (abbreviation) close a word.
_MAI_YAMOK, _PAIYANNOI = chr(0x0E46), chr(0x0E2F)
OPENING = "([{“‘«"
CLOSING = ")]}”’»,.;:!?%" + _MAI_YAMOK + _PAIYANNOI
_STRAIGHT_QUOTES = "\"'"
_NUMBER = re.compile(f"[0-9{_THAI_DIGITS}][0-9{_THAI_DIGITS},.]*")
_ABBREVIATION = re.compile(f"(?:[{_THAI_LETTERS}]{{1,3}}\\.)+")
_LATIN = re.compile(r"[!-~]+")
_URL = re.compile(r"(?:https?://|www\.)[^\s]+[^\s.,;:!?)\]”’\"']")
_URL_BREAK = re.compile(r"(?<=/)(?=[^/])|(?=\?)")
#: A list item's marker: ๑) 1. 1) (1) • - – ก. ก), followed by a space (a bullet needs none).
_LIST_MARKER = re.compile(
    f"(?:\\(?[0-9{_THAI_DIGITS}]{{1,3}}[.)]|[{_THAI_LETTERS}][.)]|[-–])\\s+|•\\s*")

Tokenize = Callable[[str], list[str]]


@dataclass(frozen=True)
class Rules:
    """What the rules need to know: the dictionary and the words that keep a number."""

    words: Collection[str]
    before_number: Collection[str] = ()


def chunks(text: str, tokenize: Tokenize, rules: Rules) -> list[str]:
    """Cut ``text`` into unbreakable pieces and the spaces between them, in order."""
    pieces, urls = _pieces(text, tokenize, rules.words)
    if not pieces:
        return []
    out = [pieces[0]]
    for i in range(1, len(pieces)):
        if not (i in urls and i - 1 in urls) and _joined(pieces, i, rules):
            out[-1] += pieces[i]
        else:
            out.append(pieces[i])
    return out


def list_marker(text: str) -> str | None:
    """Return the list marker ``text`` starts with (with its space), or None."""
    match = _LIST_MARKER.match(text)
    return match.group() if match and match.end() < len(text) else None


def _pieces(text: str, tokenize: Tokenize,
            words: Collection[str]) -> tuple[list[str], set[int]]:
    """Split ``text`` into tokens (URLs at their break points) and say which are URL parts."""
    pieces: list[str] = []
    urls: set[int] = set()
    start = 0
    for url in _URL.finditer(text):
        if url.start() > start:
            pieces += _rejoin(tokenize(text[start:url.start()]), words)
        parts = [p for p in _URL_BREAK.split(url.group()) if p]
        urls.update(range(len(pieces), len(pieces) + len(parts)))
        pieces += parts
        start = url.end()
    if start < len(text):
        pieces += _rejoin(tokenize(text[start:]), words)
    return pieces, urls


def _rejoin(tokens: list[str], words: Collection[str]) -> list[str]:
    """Join neighbouring tokens that together spell a longer dictionary word."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        end = i + 1
        for j in range(min(len(tokens), i + MAX_JOIN), i + 1, -1):
            run = tokens[i:j]
            if not any(t.isspace() for t in run) and "".join(run) in words:
                end = j
                break
        out.append("".join(tokens[i:end]))
        i = end
    return out


def _joined(pieces: list[str], i: int, rules: Rules) -> bool:
    """Tell whether no line may break between ``pieces[i - 1]`` and ``pieces[i]``."""
    before, piece = pieces[i - 1], pieces[i]
    if piece.isspace():
        return _number_across(pieces, i, rules)
    if before.isspace():
        return _number_across(pieces, i - 1, rules)
    return (_opens(pieces, i - 1) or _closes(pieces, i)
            or bool(_LATIN.fullmatch(before[-1]) and _LATIN.fullmatch(piece[0])))


def _number_across(pieces: list[str], space: int, rules: Rules) -> bool:
    """Tell whether the space at ``space`` sits inside a number and its unit or prefix."""
    if space == 0 or space + 1 >= len(pieces) or pieces[space] not in (" ", "\u00a0"):
        return False
    left, right = pieces[space - 1], pieces[space + 1]
    if right.isspace() or left.isspace():
        return False
    if _NUMBER.fullmatch(left):
        return True
    return bool(_NUMBER.fullmatch(right)) and (
        _ABBREVIATION.fullmatch(left) is not None or left in rules.before_number)


def _opens(pieces: list[str], i: int) -> bool:
    """Tell whether ``pieces[i]`` ends with an opening bracket or quote."""
    last = pieces[i][-1]
    if last in _STRAIGHT_QUOTES:
        return len(pieces[i]) == 1 and (i == 0 or pieces[i - 1][-1].isspace())
    return last in OPENING


def _closes(pieces: list[str], i: int) -> bool:
    """Tell whether ``pieces[i]`` starts with closing punctuation, a bracket or a quote."""
    first = pieces[i][0]
    if first in _STRAIGHT_QUOTES:
        return not _opens(pieces, i)
    return first in CLOSING
