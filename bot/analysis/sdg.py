"""Sustainable Development Goals: does the answer name one?

An SDG citation is a named goal: SDG/Goal N or เป้าหมาย(ที่|ข้อ) N with N from 1 to 17, or a
goal's name; "SDGs" alone names no goal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import DIGITS, SDG_NAMES, trie

_SDG_NUMBER = re.compile(  # SDG 2 / SDGs ข้อ 12 / Goal 10 / เป้าหมายที่ ๖
    rf"(?:{trie(('sdg', 'sdgs', 'goal'))})[ \t]*+(?:ข้อ(?:ที่)?|ที่|เป้าหมายที่|[nN][oO]\.?|#)?"
    rf"[ \t]*+(?P<a>[{DIGITS}]{{1,2}})(?![{DIGITS}])"
    rf"|เป้าหมาย(?:การพัฒนาที่ยั่งยืน)?[ \t]*+(?:\(?[sS][dD][gG][sS]?\)?[ \t]*+)?"
    rf"(?:ที่|ข้อ(?:ที่)?)[ \t]*+(?P<b>[{DIGITS}]{{1,2}})(?![{DIGITS}])"
)

def check_sdg(answer: Answer) -> Iterator[Gap]:
    """Report an answer that names no Sustainable Development Goal."""
    for m in _SDG_NUMBER.finditer(answer.text):
        if 1 <= int(m["a"] or m["b"]) <= 17:
            return
    if not answer.contains_any(SDG_NAMES):
        yield Gap("no_sdg")
