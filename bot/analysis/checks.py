"""The checks behind the question flags, the length limits, and the always-on checks.

Each check looks at one :class:`Answer` and returns the :class:`Gap` values it finds; a gap
is a finding before it has Thai wording and a priority (see ``bot.analysis.analyzer``).

Decisions, besides those in :mod:`bot.analysis.quantities` and :mod:`bot.analysis.sentences`:

* **Beneficiaries** need who *and* how many: a count of people (คน, ราย, ครัวเรือน …) or an
  amount with a beneficiary noun (ผู้รับบริการ, เกษตรกร, ผู้ป่วย …) within the 120
  characters before it or 40 after; "ครัวเรือน" and "ครอบครัว" say who by themselves.
* **Before and after** is any of: "จาก X … เหลือ/เป็น Y" with two numbers; a change word
  with an amount ("ลดลง 3 วัน", "เพิ่มขึ้นร้อยละ 40", "ลดต้นทุนได้ร้อยละ 20",
  "ลดเวลารอคอยลง 45 นาที"); เดิม … ปัจจุบัน / แบบใหม่ in one paragraph; both a
  ก่อน(การพัฒนา…) and a หลัง(การพัฒนา…) marker; เทียบกับ / เปรียบเทียบ; a measured value
  after each of two different years ("ปี 2563 … 120 ราย ปี 2564 … 450 ราย"); a table whose
  header has two years or ก่อน/หลัง and a row with two numbers. A date range
  ("1 ตุลาคม 2563 ถึง 30 กันยายน 2564") is not one.
* **SDG** means a named goal: SDG/Goal N or เป้าหมาย(ที่|ข้อ) N with N from 1 to 17, or a
  goal's name; "SDGs" alone names no goal.
* **Evaluation** is an external evaluator (มหาวิทยาลัย, หน่วยงานภายนอก, ISO, a prize …) or a
  satisfaction result with a figure in the same sentence.
* **Vague quantifiers** are reported once per sentence, at most three per answer, and only
  when the sentence holds no measured quantity.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from bot.analysis.lexicon import (
    BENEFICIARIES,
    DIGITS,
    EXTERNAL_EVALUATORS,
    NUMBER,
    SATISFACTION,
    SDG_NAMES,
    SELF_DESCRIBING_PEOPLE,
    VAGUE,
    WORD_NUMBER,
    trie,
)
from bot.analysis.messages import Label, Measure
from bot.analysis.pages import CHARS_PER_LINE, LINES_PER_PAGE, count_lines
from bot.analysis.personal import find_personal_data
from bot.analysis.quantities import (
    UNIT,
    UNIT_KINDS,
    Quantity,
    bare_number,
    find_quantities,
    is_year_like,
)
from bot.analysis.sentences import quote, sentence_span
from bot.analysis.tables import has_table, tables
from bot.rubrics import Question

#: How many vague-quantifier findings one answer gets at most.
MAX_VAGUE = 3

_NUMLIKE = rf"(?:{NUMBER}|{WORD_NUMBER})"
_AMOUNT = rf"(?:ร้อยละ[ \t]*+{_NUMLIKE}|{_NUMLIKE}[ \t]*+(?:{UNIT}))"
_WHO = re.compile(trie(BENEFICIARIES))
_WHO_COUNT = re.compile(  # ผู้รับบริการ 1,200 / ผู้ป่วยจำนวน 35
    rf"(?:{trie(BENEFICIARIES)})[ \t|:]*+"
    rf"(?:จำนวน|ทั้งหมด|รวม|ประมาณ|กว่า|ราว|ทั้งสิ้น|[ \t]+){{0,4}}+"
    rf"(?P<num>{NUMBER})(?![{DIGITS}])")
_UNIT_AFTER = re.compile(rf"[ \t]*(?P<unit>{UNIT})")
_WHO_BEFORE, _WHO_AFTER = 120, 40

_FILLERS = "ได้|ถึง|กว่า|เฉลี่ย|ประมาณ|คิดเป็น|ราว|จาก|เดิม|เหลือ|เป็น|เพียง"
# Comparisons are tested one kind at a time, cheapest first, each regex led by its own
# words: one alternation of all of them scans several times slower. Runs of filler words
# are bounded and possessive ({0,6}+) so that a text stuffed with them stays linear.
_FROM_TO = re.compile(  # จาก 280 กิโลกรัม เป็น 465 กิโลกรัม / จากเดิม 7 วัน เหลือ 1 วัน
    rf"(?:จาก|เดิม)(?:เดิม|ที่|มี|ใช้|เวลา|เฉลี่ย|ประมาณ|ร้อยละ|[ \t]+){{0,6}}+{_NUMLIKE}"
    rf"[^\n]{{0,60}}?(?<!คิด)(?:เหลือ|เป็น|สู่)"
    rf"(?:เพียง|เฉลี่ย|ประมาณ|ร้อยละ|[ \t]+){{0,6}}+{_NUMLIKE}")
_CHANGE_WORDS = ("ลดลง", "เพิ่มขึ้น", "สูงขึ้น", "ต่ำลง", "น้อยลง", "สั้นลง", "เร็วขึ้น", "มากขึ้น",
                 "ดีขึ้น")
_CHANGE = re.compile(  # ลดลง 3 วัน / เพิ่มขึ้นร้อยละ 40
    rf"(?:{trie(_CHANGE_WORDS)})(?:{_FILLERS}|[ \t]+){{0,6}}+{_AMOUNT}")
_CHANGE_OBJECT = re.compile(  # ลดต้นทุนการผลิตได้ร้อยละ 20 / ลดเวลารอคอยลง 45 นาที
    rf"(?:ลด|เพิ่ม)[^\s\d]{{0,16}}?(?:ได้|ลง|ขึ้น)(?:{_FILLERS}|[ \t]+){{0,6}}+{_AMOUNT}")
_OLD = re.compile("เดิม")
_NEW = re.compile(trie(("ปัจจุบัน", "แบบใหม่", "ขั้นตอนใหม่", "ระบบใหม่", "วิธีใหม่", "ขณะนี้")))
_NOW = re.compile("ปัจจุบัน")
_FORMERLY = re.compile(trie(("แต่เดิม", "จากเดิม", "เดิมที")))
_PAIR_REACH = 200
_COMPARE_WORDS = ("เทียบกับ", "เปรียบเทียบ", "เมื่อเทียบ")
_STAGE = r"(?:การ|เริ่ม|มี|ดำเนิน|ปรับ|พัฒนา|ใช้|เข้าร่วม|นำ|จัดทำ|ทำ)"
_BEFORE_MARK = re.compile(rf"ก่อน{_STAGE}")
_AFTER_MARK = re.compile(rf"หลัง{_STAGE}")
_YEAR_MENTION = re.compile(rf"(?:ปี|พ\.ศ\.)[ \t]*(?P<year>(?:25|๒๕)[{DIGITS}]{{2}})(?![{DIGITS}])")
_YEAR_REACH = 120
_TABLE_STAGE = re.compile(r"ก่อน|หลัง|เดิม|ปัจจุบัน")

_SDG_NUMBER = re.compile(  # SDG 2 / SDGs ข้อ 12 / Goal 10 / เป้าหมายที่ ๖
    rf"(?:{trie(('sdg', 'sdgs', 'goal'))})[ \t]*+(?:ข้อ(?:ที่)?|ที่|เป้าหมายที่|[nN][oO]\.?|#)?"
    rf"[ \t]*+(?P<a>[{DIGITS}]{{1,2}})(?![{DIGITS}])"
    rf"|เป้าหมาย(?:การพัฒนาที่ยั่งยืน)?[ \t]*+(?:\(?[sS][dD][gG][sS]?\)?[ \t]*+)?"
    rf"(?:ที่|ข้อ(?:ที่)?)[ \t]*+(?P<b>[{DIGITS}]{{1,2}})(?![{DIGITS}])"
)
_SATISFIED = re.compile(trie(SATISFACTION))
_VAGUE = re.compile(trie(VAGUE))


@dataclass(frozen=True)
class Gap:
    """A finding before wording: its code, placeholder values, quote and severity scale."""

    code: str
    values: dict[str, Any] = field(default_factory=dict)
    quote: str | None = None
    #: Multiplies the code's severity, e.g. how far short of the minimum a thin answer is.
    scale: float = 1.0


class Answer:
    """One answer under analysis; the costlier facts are worked out once, when first asked."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def folded(self) -> str:
        """Return the text in lower case, for Latin keywords."""
        return self.text.lower()

    def contains_any(self, words: Iterable[str]) -> bool:
        """Tell whether the answer contains any of ``words`` (Latin ones in any case)."""
        thai, latin = split_keywords(tuple(words))
        text = self.text
        if any(w in text for w in thai):
            return True
        return bool(latin) and any(w in self.folded for w in latin)

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Return the measured quantities, in order."""
        return find_quantities(self.text)

    @cached_property
    def _starts(self) -> list[int]:
        """Return where each measured quantity starts, for bisecting."""
        return [q.start for q in self.quantities]

    def has_quantity_in(self, start: int, end: int) -> bool:
        """Tell whether a measured quantity starts between ``start`` and ``end``."""
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end


@lru_cache(maxsize=256)
def split_keywords(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split keywords into those matched as written and Latin ones matched in lower case.

    ``str.__contains__`` scans 5,000 characters in about a microsecond, much faster than one
    regex alternation over the same text, so existence checks use it.
    """
    latin = tuple(w.lower() for w in words if any(ch.isascii() and ch.isalpha() for ch in w))
    return tuple(w for w in words if w.lower() not in latin), latin


def check_statistics(answer: Answer) -> Iterator[Gap]:
    """Report an answer with no measured quantity."""
    if not answer.quantities:
        yield Gap("no_statistics")


def check_beneficiaries(answer: Answer) -> Iterator[Gap]:
    """Report an answer that does not say who benefited and how many."""
    text = answer.text
    for q in answer.quantities:
        if q.kind == "people" and q.unit in SELF_DESCRIBING_PEOPLE:
            return
        if q.kind in ("people", "amount") and _WHO.search(
                text, max(0, q.start - _WHO_BEFORE), q.end + _WHO_AFTER):
            return
    for m in _WHO_COUNT.finditer(text):
        unit = _UNIT_AFTER.match(text, m.end())
        if not is_year_like(m["num"]) and (
                unit is None or UNIT_KINDS[unit["unit"].lower()] == "people"):
            return
    yield Gap("no_beneficiaries")


def check_before_after(answer: Answer) -> Iterator[Gap]:
    """Report an answer that never compares before with after."""
    if not _compares(answer):
        yield Gap("no_before_after")


def _compares(answer: Answer) -> bool:
    """Tell whether the answer compares before with after in any of the accepted ways."""
    text = answer.text
    return (any(word in text for word in _COMPARE_WORDS)
            or _FROM_TO.search(text) is not None
            or _CHANGE.search(text) is not None
            or _CHANGE_OBJECT.search(text) is not None
            or _followed_within(text, _OLD, _NEW)
            or _followed_within(text, _NOW, _FORMERLY)
            or (_BEFORE_MARK.search(text) is not None and _AFTER_MARK.search(text) is not None)
            or _values_in_two_years(answer)
            or (has_table(text) and _table_compares(text)))


def _followed_within(text: str, first: re.Pattern[str], then: re.Pattern[str]) -> bool:
    """Tell whether ``then`` follows ``first`` within 200 characters of the same paragraph.

    Both are found once and paired by position, so a text stuffed with one of the words
    costs linear time, where one regex ``first.{0,200}?then`` would rescan 200 characters
    from every occurrence.
    """
    thens = [m.start() for m in then.finditer(text)]
    if not thens:
        return False
    for m in first.finditer(text):
        i = bisect.bisect_left(thens, m.end())
        if i < len(thens) and thens[i] - m.end() <= _PAIR_REACH \
                and text.find("\n", m.end(), thens[i]) == -1:
            return True
    return False


def _values_in_two_years(answer: Answer) -> bool:
    """Tell whether two different years are each followed by a measured value."""
    mentions = [(m.start(), int(m["year"])) for m in _YEAR_MENTION.finditer(answer.text)]
    if len({year for _, year in mentions}) < 2:
        return False
    with_values = set()
    for i, (start, year) in enumerate(mentions):
        stop = mentions[i + 1][0] if i + 1 < len(mentions) else len(answer.text)
        if answer.has_quantity_in(start, min(stop, start + _YEAR_REACH)):
            with_values.add(year)
    return len(with_values) >= 2


def _table_compares(text: str) -> bool:
    """Tell whether a pasted table compares years or before/after across its columns."""
    for table in tables(text):
        header, rows = table[0], table[1:]
        years = sum(1 for cell in header if _is_year_cell(cell.text))
        staged = any(_TABLE_STAGE.search(cell.text) for cell in header)
        if (years >= 2 or staged) and any(
                sum(1 for cell in row if bare_number(cell.text)) >= 2 for row in rows):
            return True
    return False


def _is_year_cell(cell: str) -> bool:
    """Tell whether a header cell names a year ("2563", "ปี 2563", "พ.ศ. 2563")."""
    number = bare_number(cell)
    return (number is not None and is_year_like(number)) or bool(_YEAR_MENTION.search(cell))


def check_sdg(answer: Answer) -> Iterator[Gap]:
    """Report an answer that names no Sustainable Development Goal."""
    for m in _SDG_NUMBER.finditer(answer.text):
        if 1 <= int(m["a"] or m["b"]) <= 17:
            return
    if not answer.contains_any(SDG_NAMES):
        yield Gap("no_sdg")


def check_evaluation(answer: Answer) -> Iterator[Gap]:
    """Report an answer with neither an external evaluator nor a satisfaction figure."""
    text = answer.text
    if answer.contains_any(EXTERNAL_EVALUATORS):
        return
    for m in _SATISFIED.finditer(text):
        if answer.has_quantity_in(*sentence_span(text, m.start(), m.end())):
            return
    yield Gap("no_evaluation")


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


def find_personal(answer: Answer) -> Iterator[Gap]:
    """Report citizens' ID numbers and mobile numbers, quoting them masked."""
    for data in find_personal_data(answer.text):
        yield Gap("personal_data", {"kind": Label("personal_data", data.kind)}, data.masked)


def check_thin(words: int, question: Question) -> Iterator[Gap]:
    """Report an answer with fewer words than the question expects."""
    if words < question.min_words:
        shortfall = 1 - words / question.min_words
        yield Gap("thin", {"words": words, "expected": question.min_words}, scale=shortfall)


def check_limit(answer: Answer, words: int, chars: int, question: Question) -> Iterator[Gap]:
    """Report an answer longer than the question's limit (pages, characters or words)."""
    limit = question.limit
    if limit is None:
        return
    unit = Label("units", limit.unit)
    if limit.unit == "pages":
        lines = count_lines(answer.text)
        if lines > limit.max * LINES_PER_PAGE:
            excess = _round_up((lines - limit.max * LINES_PER_PAGE) * CHARS_PER_LINE)
            yield Gap("over_limit", {"limit": limit.max, "unit": unit,
                                     "length": round(lines / LINES_PER_PAGE, 1),
                                     "excess": Measure(excess, Label("units", "chars"))})
        return
    length = chars if limit.unit == "chars" else words
    if length > limit.max:
        yield Gap("over_limit", {"limit": limit.max, "unit": unit, "length": length,
                                 "excess": Measure(length - limit.max, unit)})


def _round_up(n: int, step: int = 50) -> int:
    """Round ``n`` up to a multiple of ``step``, so advice reads "ราว 900" not "ราว 868"."""
    return int(math.ceil(n / step) * step)


#: Question flag → the check it turns on. "participation" is served by the category checks.
FLAG_CHECKS = {
    "statistics": check_statistics,
    "before_after": check_before_after,
    "beneficiaries": check_beneficiaries,
    "sdg": check_sdg,
    "evaluation": check_evaluation,
}
