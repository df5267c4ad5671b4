"""The numbers of an answer: each with its value, unit, what it counts, and its role.

Every number is read (:func:`read_numbers`); the checks decide on roles, not on digits.

**Numbers.** Arabic or Thai digits with thousands commas or a decimal point ("1,250.50",
"๑,๒๐๐"), or spelled out in Thai starting with a digit word ("สามร้อย"; only with a unit or
after "ร้อยละ", because "สาม" also starts "สามารถ"). Digits glued to Thai words count
("รวม10 แห่ง"). A multiplier between number and unit multiplies the value and leaves the
unit its own: "4.3 ล้านคน" is 4,300,000 people, "1.2 ล้านบาท" 1,200,000 baht, and "1.2
ล้าน" alone an amount ("5 พันธุ์" is no multiplier).

**Kind** (the unit's kind, :data:`bot.analysis.lexicon.UNITS`): people, place, count,
area, money, time, percent (a unit or "ร้อยละ"), ratio, measure; *amount* after an amount
word ("จำนวน 387", "เฉลี่ย 4.52") or a bare multiplier; *score* for a mean rating with no
unit ("(3.87)", "ค่าเฉลี่ย 4.21", "4.52 จาก 5": a decimal of at most 5, in brackets, after a
mean or score word, or out of 5 or 10, in a sentence about satisfaction or evaluation);
*number* when nothing says what it is. :attr:`Quantity.counts` names what is counted: the
beneficiary noun nearby for people ("เกษตรกร … 1,250 ราย"), else the unit.

**Roles** (:attr:`Quantity.role`):

=============  ================================================================================
result         a measured value: what was counted, achieved or observed (the default; "มากกว่า
               10,000 ราย" is a measured claim, not a bound)
target         planned, not achieved: after เป้าหมาย / ตัวชี้วัด / ตั้งเป้า / เกณฑ์ (the first
               amount after the cue), a bound right before ("ไม่น้อยกว่า 1,000 ราย", "ไม่ถึง 100
               %", "อย่างน้อย 2 พื้นที่", "ต่ำกว่า 38,000 บาท", "≥ 5%"), a bracketed value after an
               indicator's name ("ร้อยละของผู้ป่วยที่… (ร้อยละ 15)"), and a target group's size
               ("กลุ่มเป้าหมาย 200 คน": the group the work was planned for, not the people it
               reached); a range with a dash ("จำนวน 9 – 25 คน", "1-2 วัน") states bounds
               too ("180 ถึง 220 ราย" is a measured spread and stays a result)
budget         money planned or allocated: งบประมาณ / วงเงิน / ได้รับจัดสรร … (the first money
               after the cue; "ปีงบประมาณ 2564" is a date, "ประหยัดงบประมาณ" a result)
projected      expected, not yet measured: after คาดว่า / ประมาณการ / จะ / มีแผน in the sentence
scope          how far the work reaches: a count of areas or units (ตำบล, อำเภอ, จังหวัด, พื้นที่,
               สาขา, หน่วยงาน, กระบวนงาน …) after ใน / ครอบคลุม / ทุก / ขยายผล … ("ใน 12 ตำบล");
               areas counted in some state are results ("หมู่บ้านล้าหลัง 11,608 หมู่บ้าน")
date           a year, a date or a time: after ปี / พ.ศ. / a month, before a month or "น.", or a
               four-digit year (2400-2699, 1900-2099) without a strong unit; the length of an
               activity ("ค่าย … ใช้ระยะเวลาถึง 21 วัน", "อบรม 3 วัน") unless changed
ordinal        an item or stage number: ที่, ข้อ, หมู่, ระยะ, มิติ, ฉบับ, ชั้น, "(1)"
identifier     a code, standard or version: ISO 9001, SDG 2, PM2.5, G2G, 1/2564, เลขที่ 99/1
law            a section of a law: "มาตรา 32 แห่งพระราชกฤษฎีกา" ("แห่ง" meaning *of* counts no place)
phone          a telephone number after โทร / สายด่วน
unknown        a bare number nothing explains
=============  ================================================================================

How cues give roles across a sentence is in :mod:`bot.analysis.roles`; scores, ranges and
KPI brackets are read in :mod:`bot.analysis.readings`. Tables pasted as text
(:mod:`bot.analysis.tables`, :mod:`bot.analysis.table_numbers`) give a bare number in a cell
the kind of a unit in its row label and the role of its column header ("เป้าหมาย",
"ผลการดำเนินงาน"); a number alone on its line reads the line before as its label.

:func:`find_quantities` keeps the quantities earlier checks and the category checks count:
results, scope, budgets and projections — not targets, labels or unknown numbers.

Speed: digits are found in one regex pass with their multiplier and unit, spelled-out
numbers in a second; the words before a number are read by one reversed-trie match on a
short slice, and the cue words of the whole answer in one pass (:class:`roles.Cues`).
"""

from __future__ import annotations

import bisect
import re

from bot.analysis.lexicon import (
    AMOUNT_WORDS,
    BENEFICIARIES,
    BOUND_AFTER,
    BOUND_BEFORE,
    DATE_AFTER,
    DIGITS,
    LABEL_BEFORE,
    MEASURE_BEFORE_DESPITE_LABEL,
    MULTIPLIERS,
    NUMBER,
    PERCENT_WORD_NUMBER,
    SCOPE_UNITS,
    SELF_DESCRIBING_PEOPLE,
    STRONG_KINDS,
    WORD_NUMBER,
    trie,
)
from bot.analysis.numbers import (
    UNIT,
    UNIT_KINDS,
    Quantity,
    bare_number,
    is_year_like,
    number_value,
    unit_kind,
)
from bot.analysis.readings import OUT_OF, bounding_range, is_score, kpi_bracket
from bot.analysis.roles import (
    DATE,
    IDENTIFIER,
    LABEL_ROLES,
    ORDINAL,
    PLANNED_ROLES,
    RESULT,
    SCOPE,
    TARGET,
    UNKNOWN,
    Cues,
)
from bot.analysis.table_numbers import read_label_lines, read_tables

# At most two spaces between a number and its unit (PDF text often doubles them); more
# separate table columns.
_GAP = r"[ ]{0,2}+"
_MULT = rf"(?:{trie(MULTIPLIERS)})(?![ธั-ฺ็-๎])"
_DIGITS = re.compile(
    rf"(?P<num>{NUMBER})(?:{_GAP}(?P<mult>{_MULT}))?(?:{_GAP}(?P<unit>{UNIT}))?")
_SPELLED_PERCENT = re.compile(rf"ร้อยละ{_GAP}(?P<pct>{PERCENT_WORD_NUMBER})")
_SPELLED = re.compile(rf"(?P<num>{WORD_NUMBER}){_GAP}(?P<unit>{UNIT})")
_DATE_AFTER = re.compile(rf"{_GAP}(?:{trie(DATE_AFTER)})")
_WHO = re.compile(trie(BENEFICIARIES))
_BOUND_AFTER = re.compile(rf"[ ]?(?:{trie(BOUND_AFTER)})")
# A value right after a change word is one side of a change ("จาก 4.665 มาเป็น 4.623").
_CHANGED_BEFORE = re.compile(
    r"(?:จาก|เป็น|เปน|เหลือ|ลดลง|เพิ่มขึ้น)(?:เดิม|เพียง|ที่|มี|ใช้|เฉลี่ย)?[ ]*+\Z")
_SCALE_TOP = re.compile(rf"[{DIGITS}][ ]?(?:จาก|/)[ ]?(?:คะแนน)?(?:เต็ม)?[ ]?\Z")
_ONE_IN = re.compile(rf"[ ]?ใน[ ]?(?:{NUMBER})")
_PER_PERIOD = re.compile(r"[ ]?ต่อ[ ]?(?:ปี|เดือน|สัปดาห์|ไตรมาส|วัน|ครั้ง)")
# "หลายสิบปี", "นับพันคน": spelled numbers made vague.
_VAGUE_BEFORE_WORDS = ("หลาย", "นับ", "หลาย ", "นับ ")
# Words before a count of areas that make it where the work took place ("ใน 12 ตำบล"),
# rather than a count of areas found in some state ("หมู่บ้านล้าหลัง 11,608 หมู่บ้าน").
_SCOPE_BEFORE = re.compile(trie(("ใน", "ครอบคลุม", "ทั่ว", "ทุก", "ไปยัง", "สู่", "ขยายผล",
                                 "นำร่อง", "ดำเนินการ", "จัดเก็บ", "เก็บข้อมูล"))
                           + "|ทั้ง(?!สิ้น|หมด)")
_SCOPE_REACH = 60
# An activity whose length is a plan, not a result ("ค่ายฤดูร้อน ที่ใช้ระยะเวลาถึง 21 วัน").
_ACTIVITY = re.compile(trie(("ค่าย", "หลักสูตร", "อบรม", "สัมมนา", "ศึกษาดูงาน")))
_ACTIVITY_REACH = 40
# Words between the activity and the duration that make it a measured time after all.
_CHANGED = re.compile(trie(("ลด", "เพิ่ม", "เหลือ", "จาก", "เร็ว", "นาน", "สั้น", "ยาว", "เดิม",
                            "เพียง", "ภายใน", "รอ", "เฉลี่ย", "ปัจจุบัน")))
_LIST_JOIN = re.compile(r"[ ,]*+(?:และ|หรือ|ถึง|-|–)?[ ]*+")
_LOOK_BACK = 20  # characters before a number that can hold its label word
_SPACES = " \t"
_WHO_BEFORE, _WHO_AFTER = 120, 40
_WHO_GAP = re.compile(r"[ \t:]*+(?:จำนวน|ทั้งหมด|รวม|ประมาณ|กว่า|ราว|ทั้งสิ้น|งาน)?[ \t:]*+")
_WHO_GAP_REACH = 16


def _reversed_words(words) -> str:
    """Return a regex matching any of ``words`` written backwards (spaces dropped)."""
    return trie(w.replace(" ", "")[::-1] for w in words)


# The words right before a number, read backwards from it: the slice before the number is
# reversed and matched once, instead of testing a hundred label words against its end.
# Labels are tried before amount words: "ปีงบประมาณ 65" is a year although "งบประมาณ" is an
# amount word.
_CONTEXT = re.compile(
    rf"(?P<bound>{_reversed_words(BOUND_BEFORE)})"
    rf"|(?P<percent>{_reversed_words(('ร้อยละ',))})"
    rf"|(?!{_reversed_words(MEASURE_BEFORE_DESPITE_LABEL)})(?:"
    + "|".join(f"(?P<{role}>{_reversed_words(words)})" for role, words in LABEL_BEFORE.items())
    + ")"
    rf"|(?P<amount>{_reversed_words(AMOUNT_WORDS)})"
)


#: Roles of numbers that count as no quantity at all: labels, targets and bare numbers.
NOT_COUNTED = LABEL_ROLES | {TARGET, UNKNOWN}


def find_quantities(text: str) -> list[Quantity]:
    """Return the counted quantities of ``text`` in order: no targets, labels or bare numbers."""
    return counted(read_numbers(text))


def counted(numbers: list[Quantity]) -> list[Quantity]:
    """Keep the quantities that count: results, scope, budgets and projections."""
    return [q for q in numbers if q.role not in NOT_COUNTED]


def read_numbers(text: str) -> list[Quantity]:
    """Return every number of ``text`` in order, each with its kind and role."""
    matches = [(m.start(), m) for m in _DIGITS.finditer(text)]
    if "ร้อยละ" in text or _has_thai_number_word(text):
        matches += [(m.start(), m) for pattern in (_SPELLED_PERCENT, _SPELLED)
                    for m in pattern.finditer(text)]
        matches.sort(key=lambda pair: pair[0])
    reader = _Reader(text)
    numbers = [reader.read(m) for _, m in matches
               if m.re is _DIGITS or not text.endswith(_VAGUE_BEFORE_WORDS, 0, m.start())]
    _follow_lists(text, numbers)
    read_tables(text, numbers, reader.relabel)
    if any(q.role == UNKNOWN for q in numbers):
        read_label_lines(text, numbers, reader.relabel)
    return numbers


def _follow_lists(text: str, numbers: list[Quantity]) -> None:
    """Let a number continue the role of the one before it in a list or a restatement.

    "รอบ 3 เดือน 6 เดือน และ 9 เดือน" are three periods, "ปี 2562 และ 2563" two years, and
    "4,200,000 บาท (สี่ล้านสองแสนบาทถ้วน)" one budget written twice.
    """
    for i in range(1, len(numbers)):
        before, q = numbers[i - 1], numbers[i]
        if before.role == q.role or before.role in (RESULT, UNKNOWN):
            continue
        between = text[before.end:q.start]
        listed = _LIST_JOIN.fullmatch(between) is not None and q.unit == before.unit \
            and q.kind == before.kind
        restated = between.strip() == "(" and q.kind == before.kind
        if (listed or restated) and q.role in (RESULT, UNKNOWN, SCOPE):
            numbers[i] = q._replace(role=before.role, cue=before.cue)


def _has_thai_number_word(text: str) -> bool:
    """Tell cheaply whether ``text`` may spell out a number before a unit."""
    return any(w in text for w in ("สิบ", "ร้อย", "พัน", "หมื่น", "แสน", "ล้าน"))


class _Reader:
    """Read the numbers of one text in order, sharing its cue words and beneficiary nouns."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cues = Cues(text)
        self._who = [(m.start(), m.end(), m[0]) for m in _WHO.finditer(text)]
        self._who_ends = [end for _, end, _ in self._who]
        self._who_starts = [start for start, _, _ in self._who]

    def read(self, m: re.Match[str]) -> Quantity:
        """Turn one number match into a Quantity with its kind and role."""
        if m.re is _DIGITS:
            number, mult, unit = m["num"], m["mult"], m["unit"]
        elif m.re is _SPELLED_PERCENT:
            number, mult, unit = m["pct"], None, None
        else:
            number, mult, unit = m["num"], None, m["unit"]
        start, end = m.span()
        context, word = _context(self.text, start)
        if m.re is _SPELLED_PERCENT:
            context, word = "percent", "ร้อยละ"
        label = self._label_role(context, number, unit, start, end)
        if label is not None:
            return Quantity(start, end, unit_kind(unit), number, unit, label, cue=word)
        kind = self._kind(context, number, mult, unit, start, end)
        if kind == "number":
            return Quantity(start, end, kind, number, unit, UNKNOWN)
        role, word = self._amount_role(context, word, kind, unit, start, end)
        return Quantity(start, end, kind, number, unit, role, self._counts(kind, unit, start, end),
                        word, MULTIPLIERS.get(mult, 1) if mult else 1)

    def _amount_role(self, context: str | None, word: str | None, kind: str, unit: str | None,
                     start: int, end: int) -> tuple[str, str | None]:
        """Return the role of an amount and the word that decided it."""
        if context == "bound":
            return TARGET, word
        bound = self._bound_before_percent(start) if context == "percent" else None
        if bound:
            return TARGET, bound
        after = _BOUND_AFTER.match(self.text, end)
        if after:
            return TARGET, after[0].strip()
        if bounding_range(self.text, start, end):
            return TARGET, "a range"
        role, word = self.cues.role(start, kind)
        if role == RESULT and word is None and kpi_bracket(self.text, self.cues, start, end):
            return TARGET, "(…) after an indicator's name"
        if role == RESULT and kind == "time" and self._activity_length(start):
            return DATE, "an activity's length"
        if role == RESULT and unit in SCOPE_UNITS and _SCOPE_BEFORE.search(
                self.text, max(self.cues.line_start(start), start - _SCOPE_REACH), start):
            return SCOPE, word
        return role, word

    def _activity_length(self, start: int) -> bool:
        """Tell whether a duration is how long an activity ran (a camp, a course), not a result.

        An activity's noun shortly before on the line, with no word of change or
        waiting between it and the number ("ลดการอบรมจาก 5 วัน", "อบรมแล้วรอผลเพียง 1 วัน"
        stay measured times).
        """
        low = max(self.cues.line_start(start), start - _ACTIVITY_REACH)
        found = list(_ACTIVITY.finditer(self.text, low, start))
        return bool(found) and _CHANGED.search(self.text, found[-1].end(), start) is None

    def relabel(self, q: Quantity, kind: str, role: str, label: str) -> Quantity:
        """Give a bare number the kind and role its table row or label line gives it."""
        if role == RESULT and is_year_like(q.number) and kind not in STRONG_KINDS:
            return q._replace(role=DATE)
        who = _WHO.search(label)
        counts = who[0] if who else self._counts(kind, None, q.start, q.end)
        return q._replace(kind=kind, role=role, cue=label[:40], counts=counts)

    def _label_role(self, context: str | None, number: str, unit: str | None,
                    start: int, end: int) -> str | None:
        """Return the label role of a number (date, ordinal, …), or None for an amount."""
        text = self.text
        if context is not None and context not in ("bound", "percent", "amount"):
            return context
        if start and text[start - 1].isascii() and text[start - 1].isalpha():
            return IDENTIFIER  # PM2.5, G2G
        if text.startswith("/", start + len(number)) \
                and not OUT_OF.match(text, start + len(number)):
            return IDENTIFIER  # 1/2564, 99/1 (but 4.61/5 is a score)
        if unit is None and _DATE_AFTER.match(text, start + len(number)):
            return DATE  # 1 ตุลาคม, 07.00 น.
        if unit is None and _SCALE_TOP.search(text, max(0, start - 24), start):
            return IDENTIFIER  # the top of a rating scale: "4.52 จาก 5"
        if is_year_like(number) and unit_kind(unit) not in STRONG_KINDS:
            return DATE
        if unit is None and context is None and text.startswith(")", start + len(number)) \
                and number.isdigit() and len(number) <= 2:
            return ORDINAL  # (1) or 1)
        if unit == "ครั้ง" and _PER_PERIOD.match(text, end):
            return DATE  # a schedule: "ประเมินผล 1 ครั้งต่อปี"
        if unit == "แห่ง" and text.startswith(("ชาติ", "พระราช", "ประมวล", "รัฐธรรมนูญ",
                                               "กฎหมาย", "ระเบียบ"), end):
            return IDENTIFIER  # "แห่ง" meaning "of": "ข้อ 4 แห่งระเบียบ"
        return None

    def _kind(self, context: str | None, number: str, mult: str | None, unit: str | None,
              start: int, end: int) -> str:
        """Return the kind of an amount: its unit's, percent, score, amount or number."""
        if context == "percent":
            return "percent"
        if unit is not None:
            return UNIT_KINDS[unit.lower()]
        if is_score(self.text, self.cues, context, number, (start, end)):
            return "score"
        if _ONE_IN.match(self.text, start + len(number)):
            return "ratio"  # "1 ใน 3"
        if context in ("amount", "bound") or mult or _CHANGED_BEFORE.search(
                self.text, max(0, start - 20), start) or self._after_who(start):
            return "amount"
        return "number"

    def _after_who(self, start: int) -> bool:
        """Tell whether a beneficiary noun names the number right after it ("ผู้ใช้งาน 12,500")."""
        i = bisect.bisect_right(self._who_ends, start) - 1
        return i >= 0 and start - self._who_ends[i] <= _WHO_GAP_REACH \
            and _WHO_GAP.fullmatch(self.text, self._who_ends[i], start) is not None

    def _bound_before_percent(self, start: int) -> str | None:
        """Return the bound before "ร้อยละ" and the number ("ไม่น้อยกว่าร้อยละ 80"), if any."""
        at = self.text.rfind("ร้อยละ", max(0, start - 12), start)
        if at < 0:
            return None
        context, word = _context(self.text, at)
        return word if context == "bound" else None

    def _counts(self, kind: str, unit: str | None, start: int, end: int) -> str | None:
        """Return what an amount counts: a beneficiary noun near a people count, else the unit."""
        if kind not in ("people", "amount", "number", "percent"):
            return unit
        if unit in SELF_DESCRIBING_PEOPLE:
            return unit
        low = max(self.cues.reach_start(start), start - _WHO_BEFORE)
        i = bisect.bisect_right(self._who_ends, start) - 1
        if i >= 0 and self._who[i][0] >= low:
            return self._who[i][2]
        if kind == "percent":
            return None  # a share is of the group named before it, never after
        j = bisect.bisect_left(self._who_starts, end)
        if j < len(self._who) and self._who[j][0] <= end + _WHO_AFTER \
                and "\n" not in self.text[end:self._who[j][0]]:
            return self._who[j][2]
        return unit


def _context(text: str, start: int) -> tuple[str | None, str | None]:
    """Say what the words right before ``start`` make of a number, and which word it was."""
    before = text[max(0, start - _LOOK_BACK):start].rstrip(_SPACES).replace(" ", "")
    m = _CONTEXT.match(before.lower()[::-1])
    return (m.lastgroup, m[0][::-1]) if m else (None, None)


def is_planned(q: Quantity) -> bool:
    """Tell whether a quantity is planned or expected rather than achieved."""
    return q.role in PLANNED_ROLES


__all__ = ["NOT_COUNTED", "UNIT", "UNIT_KINDS", "Quantity", "bare_number", "counted",
           "find_quantities", "is_planned", "is_year_like", "number_value", "read_numbers"]
