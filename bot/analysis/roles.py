"""What the words before a number say it is: achieved, planned, budgeted or projected.

The roles themselves are documented in :mod:`bot.analysis.quantities`. This module finds
the *cue words* of an answer once (one regex pass) together with its sentence breaks, and
then tells the role of each amount from the cues before it in the same sentence:

* The nearest cue decides, in its sentence. A target or budget cue that heads its line or
  table cell, or is followed by a colon, reaches across sentences to the end of the line
  (KPI lists run on: "ตัวชี้วัด : ผู้ปกครอง มีความรู้ … ร้อยละ 85"). A result cue
  (ผลการดำเนินงาน, พบว่า, ปัจจุบัน …) ends the reach of every cue before it:
  "ค่าเป้าหมาย ร้อยละ 80 ผลการดำเนินงาน ร้อยละ 92.5" is one target and one result.
* A target cue (เป้าหมาย, ตัวชี้วัด, ตั้งเป้า, เกณฑ์ …) or a budget cue (งบประมาณ, วงเงิน …)
  gives its role to the *first* amount after it only ("ตามเกณฑ์ 38,000 บาท จำนวน 97
  ครัวเรือน": the threshold is planned, the 97 households are counted), and a budget cue only
  to money, a percentage or a bare amount.
* A change word (ลดลง, เพิ่มขึ้น, เหลือ …) between a target cue and the number makes the
  number a measured change ("ครัวเรือนเป้าหมายมีหนี้ลดลงจาก 62 ครัวเรือน").
* A projection cue (คาดว่า, ประมาณการ, จะ, มีแผน …) covers every amount after it in the
  sentence, change words included ("คาดว่าจะมีรายได้เพิ่มขึ้น 20,000 บาท"); so does setting a
  target (ตั้งเป้า, มีเป้าหมาย …), whose amounts are targets ("ตั้งเป้าลดเวลาจาก 7 วัน เหลือ 3
  วัน").
* A number that starts its line reads the line before as well, so a value under its label
  ("ค่าเป้าหมาย" / "ร้อยละ 80", tables pasted one cell per line) takes the label's role.

Cues reach back at most :data:`REACH` characters.
"""

from __future__ import annotations

import bisect
import re

from bot.analysis.lexicon import (
    BUDGET_CUES,
    CHANGE_CUES,
    PROJECTED_CUES,
    RESULT_CUES,
    TARGET_CUES,
    TARGET_SETTING_CUES,
    trie,
)
from bot.analysis.sentences import BREAK

RESULT = "result"
TARGET = "target"
BUDGET = "budget"
PROJECTED = "projected"
SCOPE = "scope"
DATE = "date"
ORDINAL = "ordinal"
IDENTIFIER = "identifier"
LAW = "law"
PHONE = "phone"
UNKNOWN = "unknown"
#: Roles of numbers that label something rather than count it.
LABEL_ROLES = frozenset({DATE, ORDINAL, IDENTIFIER, LAW, PHONE})
#: Roles of amounts that are planned or expected, not achieved.
PLANNED_ROLES = frozenset({TARGET, BUDGET, PROJECTED})

_CHANGE = "change"
_SETTING = "setting"
_CUE_KINDS = {RESULT: RESULT_CUES, _CHANGE: CHANGE_CUES, PROJECTED: PROJECTED_CUES,
              TARGET: TARGET_CUES, BUDGET: BUDGET_CUES, _SETTING: TARGET_SETTING_CUES}
_KIND_OF = {w.lower(): kind for kind, words in _CUE_KINDS.items() for w in words}
_CUE = re.compile(trie(_KIND_OF))
#: How far back (in characters) a cue reaches.
REACH = 160
#: Kinds of quantity a budget cue can apply to.
_MONEY_LIKE = frozenset({"money", "amount", "number", "percent"})
_HEAD_PREFIX = re.compile(r"[\s\d().:•*-]*+")
_COLON = re.compile(r"[ ]*+:")
_NEWLINE = re.compile("\n")
_CELL_EDGE = re.compile("[\n|\t]")
_HEAD_ROOM = 20
_LEAD_IN = re.compile(r"[ \t(:•*-]*+(?:ร้อยละ|จำนวน|ประมาณ|รวม|เฉลี่ย)?[ \t(:]*+")


class Cues:
    """The role cues and sentence breaks of one text, found once, asked per number in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = [(m.end(), _KIND_OF[m[0].lower()], m[0]) for m in _CUE.finditer(text)]
        self._ends = [end for end, _, _ in found]
        self._kinds = [kind for _, kind, _ in found]
        self._words = [word for _, _, word in found]
        self._used: set[int] = set()
        self._breaks = [m.end() for m in BREAK.finditer(text)]
        # Where lines and table cells begin, found once: a number asks in O(log n), so a
        # 40,000-character line of numbers is not rescanned for each of them.
        self._lines = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self._cells = [0] + [m.end() for m in _CELL_EDGE.finditer(text)]

    def sentence_start(self, start: int) -> int:
        """Return where the sentence holding ``start`` begins."""
        i = bisect.bisect_right(self._breaks, start) - 1
        return self._breaks[i] if i >= 0 else 0

    def role(self, start: int, kind: str) -> tuple[str, str | None]:
        """Return the role of an amount at ``start`` and the cue word that gave it."""
        reach = self.reach_start(start)
        sentence = max(reach, start - REACH)
        line = max(min(reach, self.line_start(start)), start - REACH)
        changed = False
        i = bisect.bisect_right(self._ends, start) - 1
        while i >= 0 and self._ends[i] > line:
            cue, in_sentence = self._kinds[i], self._ends[i] > sentence
            if cue == RESULT:
                return RESULT, self._words[i]
            if cue == PROJECTED and in_sentence:
                return PROJECTED, self._words[i]
            if cue == _SETTING and in_sentence:
                return TARGET, self._words[i]
            if cue == _CHANGE:
                changed = True
            elif cue in (TARGET, BUDGET) and i not in self._used and not changed \
                    and (cue == TARGET or kind in _MONEY_LIKE) \
                    and (in_sentence or self._heads_its_line(i)):
                self._used.add(i)
                return cue, self._words[i]
            i -= 1
        return RESULT, None

    def _heads_its_line(self, i: int) -> bool:
        """Tell whether cue ``i`` heads its line or cell, or is followed by a colon."""
        end = self._ends[i]
        start = end - len(self._words[i])
        cell = self.line_start(start)
        return (start - cell <= _HEAD_ROOM
                and _HEAD_PREFIX.fullmatch(self.text, cell, start) is not None) \
            or _COLON.match(self.text, end) is not None

    def line_start(self, start: int) -> int:
        """Return where the line, or the table cell, holding ``start`` begins."""
        return self._cells[bisect.bisect_right(self._cells, start) - 1]

    def reach_start(self, start: int) -> int:
        """Return how far back cues count: the sentence, or the line before for a line's
        first value."""
        sentence = self.sentence_start(start)
        i = bisect.bisect_right(self._lines, start) - 1
        line = self._lines[i]
        if sentence == line and i > 0 and start - line <= _HEAD_ROOM \
                and _only_value_prefix(self.text[line:start]):
            return self._lines[i - 1]
        return sentence


def _only_value_prefix(prefix: str) -> bool:
    """Tell whether the text before a number on its line is no more than a value's lead-in."""
    return _LEAD_IN.fullmatch(prefix) is not None


def role_of_label(label: str) -> str:
    """Return the role a table header or row label gives to the values under it."""
    kinds = [_KIND_OF[m[0].lower()] for m in _CUE.finditer(label)]
    for kind in reversed(kinds):
        if kind in (RESULT, PROJECTED, TARGET, BUDGET):
            return kind
    return RESULT
