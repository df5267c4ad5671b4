"""Readings of the words around one number that decide its kind or role.

Used by :mod:`bot.analysis.quantities`, where the roles are documented:

* a mean score: a bare decimal of at most 5 ("(3.87)", "ค่าเฉลี่ย 4.21", "4.52 จาก 5", or of
  at most 10 out of 10), in brackets, after a mean or score word, or out of 5 or 10, in a
  sentence about satisfaction or evaluation (:data:`bot.analysis.lexicon.SCORE_CONTEXT`);
* a range that states bounds: "จำนวน 9 – 25 คน", "ภายใน 1-2 วัน" (not decimals, and not a
  range said to be about or on average: "ประมาณ 8-9 แสนราย", "ร้อยละ 91.68 - 93.12");
* a KPI target in brackets after an indicator's name ("ร้อยละของผู้ป่วยที่… (ร้อยละ 15)").

Every search is bounded to a few dozen characters around the number.
"""

from __future__ import annotations

import re

from bot.analysis.lexicon import NUMBER, SCORE_CONTEXT, trie
from bot.analysis.numbers import number_value
from bot.analysis.roles import Cues

_GAP = r"[ ]{0,2}+"
#: "จาก 5", "/5", "จากคะแนนเต็ม 5" right after a score.
OUT_OF = re.compile(rf"{_GAP}(?:จาก|/){_GAP}(?:คะแนน)?(?:เต็ม)?{_GAP}(?:5|10|๕|๑๐)(?![0-9๐-๙])")
_SCORE_WORDS = re.compile(trie(SCORE_CONTEXT))
_SCORE_REACH = 150
_RANGE_AFTER = re.compile(rf"[ ]?[-–][ ]?(?P<number>{NUMBER})")
_RANGE_BEFORE = re.compile(rf"(?P<number>{NUMBER})[ ]?[-–][ ]?\Z")
_RANGE_MEASURED = re.compile("ประมาณ|ราว|เฉลี่ย|ช่วง")
_INDICATOR_NAME = re.compile("ร้อยละของ|อัตรา")
_INDICATOR_REACH = 200


def is_score(text: str, cues: Cues, context: str | None, number: str,
             span: tuple[int, int]) -> bool:
    """Tell whether a bare decimal is a mean rating ("(3.87)", "4.52 จาก 5")."""
    if "." not in number:
        return False
    value = number_value(number)
    if value is None or value > 10:
        return False
    start, end = span
    out_of = OUT_OF.match(text, end) is not None
    if not out_of and value > 5:
        return False
    bracketed = text[start - 1:start] == "(" and text.startswith(")", end)
    if not (out_of or bracketed or context == "amount"):
        return False
    low = max(cues.sentence_start(start), start - _SCORE_REACH)
    return out_of or _SCORE_WORDS.search(text, low, start) is not None


def bounding_range(text: str, start: int, end: int) -> bool:
    """Tell whether the number is one end of a dash range that states bounds.

    "จำนวน 9 – 25 คน" and "ภายใน 1-2 วัน" set limits; a range of decimals ("ร้อยละ 91.68 -
    93.12") or one said to be about or on average ("ประมาณ 8-9 แสนราย") was measured.
    """
    before = _RANGE_BEFORE.search(text, max(0, start - 24), start)
    other = before or _RANGE_AFTER.match(text, end)
    if other is None:
        return False
    first = before.start() if before else start
    return "." not in other["number"] + text[start:end] \
        and _RANGE_MEASURED.search(text, max(0, first - 24), first) is None


def kpi_bracket(text: str, cues: Cues, start: int, end: int) -> bool:
    """Tell whether a bracketed value follows an indicator's name: its target
    ("ร้อยละของผู้ป่วยที่ได้รับการผ่าตัดแบบวันเดียวกลับ (ร้อยละ 15)")."""
    opening = text.rfind("(", max(0, start - 10), start)
    if opening < 0 or text[opening + 1:start].strip() not in ("", "ร้อยละ") \
            or not text[end:end + 4].lstrip(" %").startswith(")"):
        return False
    low = max(cues.sentence_start(start), start - _INDICATOR_REACH)
    return _INDICATOR_NAME.search(text, low, opening) is not None
