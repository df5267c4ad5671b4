"""Find the sentence around a phrase in Thai text, and cut it into a short quote.

Thai has no full stop, so sentences are guessed. Decisions:

* A newline, a tab or a pipe (a table cell) always ends a sentence.
* A run of spaces between two Thai words ends a sentence, unless the word after it
  continues the clause (และ, แต่, โดย, ซึ่ง, ทำให้, จำนวน, ร้อยละ …) or the word before it
  ends with one (ว่า, คือ, ได้แก่, เช่น, จำนวน …). Thai writers put a space between
  sentences and also before such connectives, so only the first kind of space splits.
* A space next to a digit or a Latin letter never splits ("จำนวน 120 ราย", "ผ่าน LINE OA").
* A space before or after ๆ never splits: Thai spelling rules put one on each side
  ("ภาคส่วนต่าง ๆ ร่วมมือ"), so it says nothing about the sentence. After ฯลฯ, which
  closes a list, the ordinary rule applies.
* A connective is matched as a word, not as the start of a longer one: "ต่อมา" (later)
  and "ทั้งนี้" (in this regard) open a new sentence although "ต่อ" and "ทั้ง" continue one.
* A full stop does not split: in Thai it marks abbreviations (พ.ศ., จ., ม.ค.).
* A sentence reaches at most 300 characters either side of the phrase, so one long
  unbroken paragraph does not become a whole-page quote.

A quote is cut on the repaired text the checks read, between two words (PyThaiNLP tokens
of a short window around each cut, so a long sentence costs no more than a short one), and
shown in the officer's own words: the same stretch of what they typed (see
:meth:`bot.analysis.answer.Answer.to_original`), with runs of whitespace made one space.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.analysis.lexicon import trie
from bot.analysis.tokens import tokenize

if TYPE_CHECKING:  # answer.py imports the quantities, which import this module
    from bot.analysis.answer import Answer

_CONTINUES = (
    "และ", "แต่", "หรือ", "โดย", "ซึ่ง", "ที่", "เพื่อ", "ทำให้", "จึง", "จน", "ส่งผล", "ตลอดจน",
    "รวมทั้ง", "รวมถึง", "ได้แก่", "คือ", "เช่น", "อีกทั้ง", "กับ", "ของ", "ให้", "ใน", "จาก", "เป็น",
    "ถึง", "กว่า", "ประมาณ", "จำนวน", "ร้อยละ", "ได้", "ไม่", "มากกว่า", "น้อยกว่า", "เมื่อ",
    "ด้วย", "อย่าง", "คิดเป็น", "เฉลี่ย", "รวม", "ราว", "เพิ่มขึ้น", "ลดลง", "เหลือ", "สูงถึง",
)
_ENDS_OPEN = (
    "ว่า", "คือ", "ได้แก่", "เช่น", "และ", "หรือ", "โดย", "จำนวน", "ร้อยละ", "ประมาณ", "กว่า",
    "ที่", "ของ", "ใน", "จาก", "เป็น", "ถึง", "รวม", "เฉลี่ย", "ให้", "กับ", "ต่อ", "เพื่อ", "ซึ่ง",
)
# The space branch starts by matching one space and only then looks behind it (at the Thai
# letter and the connective before it): a leading look-behind would be tried at every
# character of the answer instead of at spaces only.
BREAK = re.compile(
    r"[\n\t|]+"
    r"|[ \u00a0](?<=[\u0E01-\u0E4F][ \u00a0])(?<!ๆ[ \u00a0])"
    + "".join(f"(?<!{re.escape(word)}[ \u00a0])" for word in _ENDS_OPEN)
    + r"[ \u00a0]*+(?=[\u0E01-\u0E2E\u0E40-\u0E44])"
    + rf"(?!{trie(_CONTINUES)}|ทั้ง(?!นี้)|ต่อ(?!มา))"
)
_REACH = 300
QUOTE_LENGTH = 160
_WINDOW = 16  # characters tokenized either side of a cut


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the (start, end) of the sentence that holds ``text[start:end]``."""
    low = max(0, start - _REACH)
    left = low
    for m in BREAK.finditer(text, low, start):
        left = m.end()
    after = BREAK.search(text, end, min(len(text), end + _REACH))
    right = after.start() if after else min(len(text), end + _REACH)
    return left, right


def quote(answer: Answer, start: int, end: int, span: tuple[int, int]) -> str:
    """Quote the sentence ``span`` in the officer's words, cut around ``start:end`` if long.

    Offsets are in ``answer.text``; the quote is the same stretch of ``answer.original``.
    """
    text = answer.text
    left, right = span
    if right - left > QUOTE_LENGTH:
        room = max(0, (QUOTE_LENGTH - (end - start)) // 2)
        left = word_edge(text, max(left, start - room), span[0], start)
        right = word_edge(text, min(right, end + room), end, span[1])
    shown = answer.to_original((left, right)) or (left, right)
    body = " ".join(answer.original[shown[0]:shown[1]].split())
    prefix = "…" if left > span[0] else ""
    suffix = "…" if right < span[1] else ""
    return f"{prefix}{body}{suffix}"


def word_edge(text: str, at: int, low: int, high: int) -> int:
    """Move a cut at ``at`` to the nearest word boundary between ``low`` and ``high``.

    Only a window of :data:`_WINDOW` characters either side is tokenized; the window's own
    edges count as boundaries only where they are ``low`` or ``high`` (sentence or phrase
    edges). With no boundary in the window (one very long word), the cut stays.
    """
    if at <= low or at >= high:
        return min(max(at, low), high)
    first, last = max(low, at - _WINDOW), min(high, at + _WINDOW)
    edges = {low, high} & {first, last}
    offset = first
    for token in tokenize(text[first:last])[:-1]:
        offset += len(token)
        edges.add(offset)
    return min(edges, key=lambda edge: (abs(edge - at), edge), default=at)
