"""The checks behind the question flags, and the always-on checks.

Each check looks at one :class:`~bot.analysis.answer.Answer` and returns the
:class:`~bot.analysis.answer.Gap` values it finds. The checks live by subject: statistics,
beneficiaries and evaluation here; before/after in :mod:`bot.analysis.comparisons`; SDGs in
:mod:`bot.analysis.sdg`; vague words in :mod:`bot.analysis.vague`; length in
:mod:`bot.analysis.length`; personal data in :mod:`bot.analysis.personal`.

Decisions, besides those in :mod:`bot.analysis.quantities` and :mod:`bot.analysis.sentences`:

* **Beneficiaries** need who *and* how many: a count of people (คน, ราย, ครัวเรือน …) or an
  amount with a beneficiary noun (ผู้รับบริการ, เกษตรกร, ผู้ป่วย …) within the 120
  characters before it or 40 after; "ครัวเรือน" and "ครอบครัว" say who by themselves.
* **Evaluation** is an external evaluator (มหาวิทยาลัย, หน่วยงานภายนอก, ISO, a prize …) or a
  satisfaction result with a figure in the same sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap, split_keywords
from bot.analysis.comparisons import check_before_after
from bot.analysis.length import check_limit, check_thin
from bot.analysis.lexicon import (
    BENEFICIARIES,
    DIGITS,
    EXTERNAL_EVALUATORS,
    NUMBER,
    SATISFACTION,
    SELF_DESCRIBING_PEOPLE,
    trie,
)
from bot.analysis.messages import Label
from bot.analysis.personal import find_personal_data
from bot.analysis.quantities import UNIT, UNIT_KINDS, is_year_like
from bot.analysis.sdg import check_sdg
from bot.analysis.sentences import sentence_span
from bot.analysis.vague import MAX_VAGUE, find_vague

_WHO = re.compile(trie(BENEFICIARIES))
_WHO_COUNT = re.compile(  # ผู้รับบริการ 1,200 / ผู้ป่วยจำนวน 35
    rf"(?:{trie(BENEFICIARIES)})[ \t|:]*+"
    rf"(?:จำนวน|ทั้งหมด|รวม|ประมาณ|กว่า|ราว|ทั้งสิ้น|[ \t]+){{0,4}}+"
    rf"(?P<num>{NUMBER})(?![{DIGITS}])")
_UNIT_AFTER = re.compile(rf"[ \t]*(?P<unit>{UNIT})")
_WHO_BEFORE, _WHO_AFTER = 120, 40
_SATISFIED = re.compile(trie(SATISFACTION))


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


def check_evaluation(answer: Answer) -> Iterator[Gap]:
    """Report an answer with neither an external evaluator nor a satisfaction figure."""
    text = answer.text
    if answer.contains_any(EXTERNAL_EVALUATORS):
        return
    for m in _SATISFIED.finditer(text):
        if answer.has_quantity_in(*sentence_span(text, m.start(), m.end())):
            return
    yield Gap("no_evaluation")


def find_personal(answer: Answer) -> Iterator[Gap]:
    """Report citizens' ID numbers and mobile numbers, quoting them masked."""
    for data in find_personal_data(answer.text):
        yield Gap("personal_data", {"kind": Label("personal_data", data.kind)}, data.masked)


#: Question flag → the check it turns on. "participation" is served by the category checks.
FLAG_CHECKS = {
    "statistics": check_statistics,
    "before_after": check_before_after,
    "beneficiaries": check_beneficiaries,
    "sdg": check_sdg,
    "evaluation": check_evaluation,
}

__all__ = ["FLAG_CHECKS", "MAX_VAGUE", "Answer", "Gap", "check_limit", "check_thin",
           "find_personal", "find_vague", "split_keywords"]
