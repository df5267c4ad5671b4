"""The checks behind the question flags, and the always-on checks.

Each check looks at one :class:`~bot.analysis.answer.Answer` and returns the
:class:`~bot.analysis.answer.Gap` values it finds. The checks live by subject: statistics,
beneficiaries and evaluation here; before/after in :mod:`bot.analysis.comparisons`; SDGs in
:mod:`bot.analysis.sdg`; vague words in :mod:`bot.analysis.vague`; length in
:mod:`bot.analysis.length`; personal data in :mod:`bot.analysis.personal`.

They decide on the *roles* of the answer's numbers (:mod:`bot.analysis.quantities`), not on
the presence of digits:

* **Statistics** need at least one measured result. Targets and bounds, budgets,
  projections, the scope of the work ("ใน 12 ตำบล": where it took place, not what it
  achieved), dates, ordinals, identifiers, laws, phone numbers, bare numbers nothing
  explains and a count of prizes or award entries (recognition, which the evaluation check
  reads) are not: an answer with only those gets ``no_statistics``, and the reason lists
  what it has.
* **Beneficiaries** need who *and* how many were reached: a count of people with a
  beneficiary noun (ผู้รับบริการ, เกษตรกร, ผู้ป่วย …) before it in its sentence (at most 120
  characters back; for a value under its label, on the line before) or within 40 characters
  after it on its line, a share of a group named before it ("ประชาชนเคยใช้บริการออนไลน์
  ร้อยละ 81.8"), a unit that says who by itself (ครัวเรือน, ครอบครัว), or a beneficiary noun
  followed by a number ("ผู้รับบริการ 1,200", "ผู้สูงอายุ 1 ใน 3"). The count must be a result:
  a target group's size ("กลุ่มเป้าหมาย 200 คน") is the group the work was planned for, not
  the people it reached, and a projection ("คาดว่าจะมีผู้ได้รับประโยชน์ 5,000 คน") has not
  happened. Such counts alone give ``no_beneficiaries`` with a reason naming them.
* **Evaluation** is a mark of an external evaluation (a prize, a certification, ISO,
  research, an external assessor), an external body (มหาวิทยาลัย, หน่วยงานภายนอก, สำนักงานสถิติ
  …) in a sentence that says it evaluated, surveyed or certified (not one that built a
  mechanism first: "ก.พ.ร. ได้วางระบบการติดตามประเมินผล…"), a mean score ("(3.87)",
  "ค่าเฉลี่ย 4.21", "4.52 จาก 5"), or a satisfaction word with a measured result in the same
  sentence. A negated mention ("ยังไม่มีการประเมินจากหน่วยงาน
  ภายนอก", "ไม่ได้สำรวจความพึงพอใจ") counts for nothing, and a satisfaction *target*
  ("พึงพอใจไม่น้อยกว่าร้อยละ 80") is no result.

The gaps here concern the answer as a whole, so their span is None; the reason says what
the check saw.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap, split_keywords
from bot.analysis.comparisons import check_before_after
from bot.analysis.length import check_limit, check_thin
from bot.analysis.lexicon import (
    BENEFICIARIES,
    DIGITS,
    EVALUATION_ACTS,
    EXTERNAL_EVALUATION,
    EXTERNAL_EVALUATORS,
    NEGATIONS,
    NOT_NEGATIONS,
    NUMBER,
    SATISFACTION,
    SELF_DESCRIBING_PEOPLE,
    trie,
)
from bot.analysis.messages import Label
from bot.analysis.numbers import UNIT, Quantity, unit_kind
from bot.analysis.personal import find_personal_data
from bot.analysis.roles import LABEL_ROLES, PLANNED_ROLES, RESULT, SCOPE
from bot.analysis.sdg import check_sdg
from bot.analysis.sentences import sentence_span
from bot.analysis.vague import MAX_VAGUE, find_vague

_BENEFICIARY_NOUNS = frozenset(BENEFICIARIES)
_WHO_COUNT = re.compile(  # ผู้รับบริการ 1,200 / ผู้ป่วยจำนวน 35
    rf"(?:{trie(BENEFICIARIES)})[ \t|:]*+"
    rf"(?:จำนวน|ทั้งหมด|รวม|ประมาณ|กว่า|ราว|ทั้งสิ้น|[ \t]+){{0,4}}+"
    rf"(?P<num>{NUMBER})(?![{DIGITS}])")
_UNIT_AFTER = re.compile(rf"[ \t]?(?P<unit>{UNIT})")
_EVALUATION = re.compile(trie(EXTERNAL_EVALUATION))
_EVALUATOR = re.compile(trie(EXTERNAL_EVALUATORS))
_EVALUATION_ACT = re.compile(trie(EVALUATION_ACTS))
_SATISFIED = re.compile(trie(SATISFACTION))
#: Verbs right after an evaluator that make it the builder of a mechanism, not an evaluator.
_BUILDS = re.compile(trie(("วางระบบ", "จัดระบบ", "พัฒนาระบบ", "สร้างระบบ", "ออกแบบระบบ", "จัดทำระบบ",
                           "วางแนวทาง", "กำหนดแนวทาง", "กำหนดหลักเกณฑ์", "วางกลไก")))
_BUILDS_REACH = 25  # characters: room for the evaluator's name
_NEGATION = re.compile(trie(NEGATIONS))
_NOT_NEGATION = re.compile(trie(NOT_NEGATIONS))
_NEGATION_REACH = 30
_REASON_ITEMS = 3


def check_statistics(answer: Answer) -> Iterator[Gap]:
    """Report an answer with no measured result."""
    if any(q.role == RESULT and q.kind != "award" for q in answer.numbers):
        return
    yield Gap("no_statistics", reason=_reason("statistics: no measured result", answer,
                                               answer.numbers))


def check_beneficiaries(answer: Answer) -> Iterator[Gap]:
    """Report an answer that does not say who was reached and how many."""
    planned = []
    for q in answer.numbers:
        if _says_who(q):
            if q.role in (RESULT, SCOPE):
                return
            if q.role in PLANNED_ROLES:
                planned.append(q)
    if _who_then_count(answer):
        return
    yield Gap("no_beneficiaries", reason=_reason(
        "beneficiaries: no count of people reached", answer, planned))


def _says_who(q: Quantity) -> bool:
    """Tell whether a quantity counts people named as beneficiaries."""
    if q.unit in SELF_DESCRIBING_PEOPLE:
        return True
    return q.kind in ("people", "amount", "percent") and q.counts in _BENEFICIARY_NOUNS


def _who_then_count(answer: Answer) -> bool:
    """Tell whether a beneficiary noun is followed by a counted number ("ผู้รับบริการ 1,200")."""
    text, numbers = answer.text, answer.numbers
    starts = [q.start for q in numbers]
    for m in _WHO_COUNT.finditer(text):
        i = bisect.bisect_left(starts, m.start("num"))
        if i == len(numbers) or starts[i] != m.start("num"):
            continue
        q = numbers[i]
        if q.role in LABEL_ROLES or q.role in PLANNED_ROLES:
            continue
        unit = _UNIT_AFTER.match(text, m.end())
        if unit is None or unit_kind(unit["unit"]) == "people":
            return True
    return False


def check_evaluation(answer: Answer) -> Iterator[Gap]:
    """Report an answer with neither an external evaluator, a score nor a satisfaction result."""
    text = answer.text
    negated = []
    for m in _external_evaluations(text):
        if not _negated(text, m.start()):
            return
        negated.append(m[0])
    if any(q.kind == "score" and q.role == RESULT for q in answer.numbers):
        return
    results = [q.start for q in answer.numbers if q.role == RESULT]
    for m in _SATISFIED.finditer(text):
        if _negated(text, m.start()):
            negated.append(m[0])
        elif _starts_in(results, *sentence_span(text, m.start(), m.end())):
            return
    why = f"; negated: {', '.join(negated[:_REASON_ITEMS])}" if negated else ""
    yield Gap("no_evaluation", reason=_reason(
        "evaluation: no external evaluator, score or satisfaction result" + why, answer, []))


def _external_evaluations(text: str) -> Iterator[re.Match[str]]:
    """Yield the marks of an external evaluation, and evaluators in a sentence that evaluates.

    An evaluator followed closely (its name, "ได้") by a verb of building, before any word of
    evaluating ("ก.พ.ร. ได้วางระบบการติดตามประเมินผล…") describes a mechanism it set up,
    not an evaluation of the work.
    """
    yield from _EVALUATION.finditer(text)
    for m in _EVALUATOR.finditer(text):
        left, right = sentence_span(text, m.start(), m.end())
        if _EVALUATION_ACT.search(text, left, right) and not _builds(text, m.end(), right):
            yield m


def _builds(text: str, start: int, end: int) -> bool:
    """Tell whether a verb of building follows an evaluator closely, before any evaluating."""
    verb = _BUILDS.search(text, start, end)
    return verb is not None and verb.start() - start <= _BUILDS_REACH \
        and not _EVALUATION_ACT.search(text, start, verb.start())


def _negated(text: str, start: int) -> bool:
    """Tell whether a negation shortly before ``start``, in its sentence, denies the phrase."""
    low = max(sentence_span(text, start, start)[0], start - _NEGATION_REACH)
    for m in _NEGATION.finditer(text, low, start):
        if not _NOT_NEGATION.match(text, m.start()):
            return True
    return False


def _starts_in(starts: list[int], start: int, end: int) -> bool:
    """Tell whether one of the sorted ``starts`` lies between ``start`` and ``end``."""
    i = bisect.bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _reason(head: str, answer: Answer, shown: list[Quantity]) -> str:
    """Return a developer's reason line: the rule, then a few of the numbers it looked at."""
    counts: dict[str, int] = {}
    for q in answer.numbers:
        counts[q.role] = counts.get(q.role, 0) + 1
    seen = ", ".join(f"{role}×{n}" for role, n in sorted(counts.items())) or "no numbers"
    detail = "; ".join(q.describe(answer.text) for q in shown[:_REASON_ITEMS])
    return f"{head} ({seen})" + (f": {detail}" if detail else "")


def find_personal(answer: Answer) -> Iterator[Gap]:
    """Report citizens' ID numbers and mobile numbers, quoting them masked."""
    for data in find_personal_data(answer.text):
        yield Gap("personal_data", {"kind": Label("personal_data", data.kind)}, data.masked,
                  span=(data.start, data.end),
                  reason=f"personal_data: a valid {data.kind} ({data.masked})")


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
