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
* A full stop does not split: in Thai it marks abbreviations (พ.ศ., จ., ม.ค.).
* A sentence reaches at most 300 characters either side of the phrase, so one long
  unbroken paragraph does not become a whole-page quote.
"""

from __future__ import annotations

import re

from bot.analysis.lexicon import trie

_CONTINUES = (
    "และ", "แต่", "หรือ", "โดย", "ซึ่ง", "ที่", "เพื่อ", "ทำให้", "จึง", "จน", "ส่งผล", "ตลอดจน",
    "รวมทั้ง", "รวมถึง", "ได้แก่", "คือ", "เช่น", "อีกทั้ง", "กับ", "ของ", "ให้", "ใน", "จาก", "เป็น",
    "ถึง", "กว่า", "ประมาณ", "จำนวน", "ร้อยละ", "ต่อ", "ได้", "ไม่", "มากกว่า", "น้อยกว่า", "เมื่อ",
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
    + rf"(?!{trie(_CONTINUES)}|ทั้ง(?!นี้))"
)
_REACH = 300
QUOTE_LENGTH = 160


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the (start, end) of the sentence that holds ``text[start:end]``."""
    low = max(0, start - _REACH)
    left = low
    for m in BREAK.finditer(text, low, start):
        left = m.end()
    after = BREAK.search(text, end, min(len(text), end + _REACH))
    right = after.start() if after else min(len(text), end + _REACH)
    return left, right


def quote(text: str, start: int, end: int, span: tuple[int, int]) -> str:
    """Return the sentence ``span`` as a quote, cut around ``text[start:end]`` if long."""
    left, right = span
    if right - left > QUOTE_LENGTH:
        room = (QUOTE_LENGTH - (end - start)) // 2
        left, right = max(left, start - room), min(right, end + room)
    body = " ".join(text[left:right].split())
    prefix = "…" if left > span[0] else ""
    suffix = "…" if right < span[1] else ""
    return f"{prefix}{body}{suffix}"
