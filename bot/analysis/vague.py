"""Vague quantifiers: "จำนวนมาก", "หลายแห่ง" … where a figure should be.

Reported once per sentence, at most :data:`MAX_VAGUE` per answer, and only when the
sentence holds no measured quantity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import VAGUE, trie
from bot.analysis.sentences import quote, sentence_span

#: How many vague-quantifier findings one answer gets at most.
MAX_VAGUE = 3
_VAGUE = re.compile(trie(VAGUE))


def find_vague(answer: Answer) -> Iterator[Gap]:
    """Report sentences with a vague quantifier and no measured quantity."""
    text, seen, found = answer.text, set(), 0
    for m in _VAGUE.finditer(text):
        span = sentence_span(text, m.start(), m.end())
        if span in seen or answer.has_quantity_in(*span):
            continue
        seen.add(span)
        yield Gap("vague_quantifier", {"phrase": m[0]}, quote(text, m.start(), m.end(), span))
        found += 1
        if found == MAX_VAGUE:
            return
