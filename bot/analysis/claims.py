"""Claims of an effect with no figure to prove it: "ลดขั้นตอน", "ประชาชนพึงพอใจ" …

An assessor scores results by their figures, so where the answer claims an effect in words
only, the finding ``unproven_claim`` quotes the claim and asks for the figure that would
prove it ("คุณเขียนว่า "ลดขั้นตอน" … — จากกี่ขั้นตอนเหลือกี่ขั้นตอน?"), with a fill-in template
the officer can complete. The question, the template and the chip's word for each kind of
claim are content, in ``conversations/claims.yaml``; the words that make a claim and the
figures that prove it are rules, here.

Rules and decisions:

* **Kinds.** Steps, time, cost, income, satisfaction, convenience and a general effect
  ("ประสบความสำเร็จ", "ดีขึ้น", "ลดความแออัด") (:data:`KINDS`), each
  with its claim phrases and the kinds of quantity (:mod:`bot.analysis.quantities`) that
  prove it: steps by a count or percent, time by a duration or percent, cost and income by
  money or percent, satisfaction by a percent or score, convenience by any count, duration,
  money or percent (not by places or areas), an effect by any count, amount or percent (not
  by a duration, a place or an area: "ค่าย 21 วัน" is no result).
* **General effects** in open words ("ช่วยลดผลกระทบจาก…", "ทำให้ประชาชนเคารพกติกา") are
  found by :mod:`bot.analysis.effects` and are of the kind effect; they are not asked for
  in an answer that already gives :data:`MEASURED` result figures (they are its qualitative
  side), and neither is any claim in a definition or an award's criteria.
* **Proven** when the claim's sentence holds a quantity that proves it, unless a topic of
  another kind stands right before that quantity ("ความพึงพอใจพุ่งเกือบ 100% ช่วยลดความ
  แออัด": the 100 % is satisfaction's, not the crowding's); or when another
  sentence of the answer gives the figure: one that names the claim's topic ("ขั้นตอน",
  "ค่าใช้จ่าย" …) beside a proving quantity, or holds two proving quantities of the same kind
  (a before and an after). The officer who adds "เดิม 8 ขั้นตอน เหลือ 3 ขั้นตอน" on its own
  line has proven "ลดขั้นตอน" written elsewhere.
* **No claim** when negated right before ("ยังไม่ได้ลดขั้นตอน", "ไม่พึงพอใจ"), or hedged or
  planned up to 60 characters before on its line, so that a purpose governs the whole list
  it opens ("เพื่อลดเวลารอคอย ลดความแออัด และลดอัตราเสียชีวิต"; "คาดว่าจะ", "อาจ",
  "เป้าหมาย", "หาก"), or a bound follows ("พึงพอใจไม่น้อยกว่าร้อยละ 80"): a purpose or a target is not an
  achieved effect. After "ความ" a claim word is a noun, a topic or a form's heading
  ("ระดับความพึงพอใจ", "ความสะดวก รวดเร็วของการให้บริการ"), unless "มี", "เกิด", "ได้รับ",
  "ให้" or "สร้าง" comes first ("ได้รับความสะดวกรวดเร็วมากขึ้น" is a claim).
* **At most one finding per kind**, the first unproven claim of that kind, and at most
  :data:`MAX_CLAIMS` per answer, in the order they are written. The span is the claim's
  words; the quote is its sentence.
* **The first claim ranks first** (:data:`FIRST_CLAIM_SCALE`): asking for the figure behind
  the officer's own words ("ลดขั้นตอน" — from how many steps to how many?) is the most
  concrete advice there is, and that figure also answers a missing statistic; the others
  rank as the code's severity says.

Speed: one regex pass finds every claim phrase; sentences and proofs are looked at only
around the phrases found.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.analysis.answer import Answer, Gap
from bot.analysis.effects import defined, general_effects
from bot.analysis.lexicon import trie
from bot.analysis.messages import (
    BLANK,
    MAX_FILL_IN,
    FindingsFileError,
    check_chip,
    default_messages,
)
from bot.analysis.quantities import Quantity
from bot.analysis.sentences import quote, sentence_span

CLAIMS_FILE = Path(__file__).resolve().parent.parent.parent / "conversations" / "claims.yaml"
#: How many unproven claims one answer gets at most.
MAX_CLAIMS = 3
#: Result figures after which an answer's general effects ("ทำให้ชุมชนพึ่งพาตนเองได้")
#: are its qualitative side, not claims left unmeasured.
MEASURED = 3


@dataclass(frozen=True)
class Kind:
    """One kind of claim: the phrases that make it, its topic words, what proves it."""

    name: str
    phrases: tuple[str, ...]
    #: Words that say a sentence elsewhere is about this kind of effect.
    topics: tuple[str, ...]
    #: Kinds of quantity that prove the claim in its sentence or beside a topic word.
    proof: frozenset[str]
    #: Units that prove it too, whatever their kind ("4.5 คะแนน" for satisfaction).
    units: frozenset[str] = frozenset()
    #: Units of which two in one sentence elsewhere are a before and an after.
    paired: frozenset[str] = frozenset()

    def proves(self, quantity: Quantity) -> bool:
        """Tell whether ``quantity`` is a figure of this kind of effect (a budget or a
        projection is not: "งบประมาณ 2 ล้านบาท" proves no saving)."""
        if quantity.role in _NOT_PROOF:
            return False
        return quantity.kind in self.proof or (quantity.unit or "") in self.units


#: Roles of a quantity that prove no achieved effect (:mod:`bot.analysis.roles`).
_NOT_PROOF = frozenset({"budget", "projected"})
_DURATIONS = frozenset({"วัน", "วันทำการ", "นาที", "ชั่วโมง", "ชม.", "วินาที", "สัปดาห์"})
KINDS: tuple[Kind, ...] = (
    Kind("steps",
         ("ลดขั้นตอน", "ลดจำนวนขั้นตอน", "ขั้นตอนลดลง", "ขั้นตอนน้อยลง", "ขั้นตอนสั้นลง",
          "ลดกระบวนงาน", "ลดกระบวนการ"),
         ("ขั้นตอน", "กระบวนงาน"), frozenset({"count", "percent", "ratio"}),
         paired=frozenset({"ขั้นตอน", "กระบวนงาน"})),
    Kind("time",
         ("ลดระยะเวลา", "ลดเวลา", "ประหยัดเวลา", "ระยะเวลาลดลง", "ใช้เวลาน้อยลง", "ใช้เวลาลดลง",
          "เวลารอคอยลดลง", "ลดการรอคอย", "ไม่ต้องเสียเวลา", "ไม่ต้องรอคิว", "รวดเร็วขึ้น",
          "รวดเร็วยิ่งขึ้น", "รวดเร็วมากขึ้น", "เร็วขึ้น", "สะดวกรวดเร็ว", "สะดวก รวดเร็ว", "สะดวกและรวดเร็ว"),
         ("เวลา", "รอคอย", "รอคิว", "รอผล", "รอรับ", "รอพบ", "รอตรวจ"),
         frozenset({"time", "percent", "ratio"}), paired=_DURATIONS),
    Kind("cost",
         ("ลดค่าใช้จ่าย", "ประหยัดค่าใช้จ่าย", "ค่าใช้จ่ายลดลง", "ค่าใช้จ่ายน้อยลง", "ลดต้นทุน",
          "ต้นทุนลดลง", "ไม่ต้องเสียค่าใช้จ่าย", "ไม่ต้องเสียค่าเดินทาง",
          "ประหยัดงบประมาณ", "ลดภาระค่าใช้จ่าย", "ประหยัดค่าเดินทาง", "ลดค่าเดินทาง",
          "ประหยัดเงิน"),
         ("ค่าใช้จ่าย", "ต้นทุน", "ค่าเดินทาง", "ประหยัด", "ค่าธรรมเนียม"),
         frozenset({"money", "percent", "ratio"})),
    Kind("income",
         ("เพิ่มรายได้", "รายได้เพิ่มขึ้น", "มีรายได้เพิ่ม", "รายได้สูงขึ้น", "รายได้ดีขึ้น",
          "สร้างรายได้", "มีรายได้มากขึ้น", "สร้างมูลค่า"),
         ("รายได้",), frozenset({"money", "percent", "ratio"})),
    Kind("satisfaction",
         ("พึงพอใจ", "ประชาชนพึงพอใจ", "ผู้รับบริการพึงพอใจ", "ผู้ใช้บริการพึงพอใจ",
          "ความพึงพอใจเพิ่มขึ้น", "ความพึงพอใจสูงขึ้น", "ความพึงพอใจมากขึ้น"),
         ("พึงพอใจ", "satisfaction"), frozenset({"percent", "amount", "score"}),
         units=frozenset({"คะแนน"})),
    Kind("convenience",
         ("สะดวกขึ้น", "สะดวกมากขึ้น", "สะดวกยิ่งขึ้น", "สะดวกสบายขึ้น", "ง่ายขึ้น",
          "ไม่ต้องเดินทาง", "ไม่ต้องลางาน"),
         ("สะดวก", "เดินทาง"), frozenset({"time", "money", "percent", "ratio", "count", "people",
                                          "amount", "score"})),
    Kind("effect",
         ("ประสบความสำเร็จ", "ประสบผลสำเร็จ", "ตอกย้ำความสำเร็จ", "เกิดการเปลี่ยนแปลง",
          "คุณภาพชีวิตดีขึ้น", "ลดความแออัด", "ดีขึ้น", "ได้ผลดี", "ลดปริมาณ",
          "ได้รับการตอบรับ"),
         ("ผลลัพธ์", "ผลสำเร็จ", "ความสำเร็จ"),
         frozenset({"people", "count", "money", "percent", "ratio", "amount", "measure",
                    "score"})),
)
_KIND_OF = {phrase: kind for kind in KINDS for phrase in kind.phrases}
_EFFECT = KINDS[-1]
#: Kinds whose topic word right before a figure makes it theirs ("ความพึงพอใจ … 100%").
_TOPICAL = KINDS[:-1]
_OWNER_REACH = 25
_CLAIM = re.compile(trie(_KIND_OF))

#: Words right before a claim that deny it; the link words may stand between them.
_NEGATIONS = ("ไม่", "ไม่ได้", "ยังไม่", "ยังไม่ได้", "มิได้", "ไม่มี", "ไม่ค่อย", "ไม่สามารถ")
_LINKS = ("ช่วย", "สามารถ", "ทำให้", "ให้", "ได้", "การ", "มี", "ความ", "เกิด", "ค่อย",
          "กระบวนการ", "เรื่อง")
_NEGATED = re.compile(rf"(?:{trie(_NEGATIONS)})(?:{trie(_LINKS)}|[ \t])*+\Z")
#: Words earlier in the sentence that make the claim a purpose, a plan or a guess.
_HEDGES = ("เพื่อ", "คาดว่า", "คาดการณ์", "คาดหวัง", "มุ่ง", "หวังว่า", "น่าจะ", "จะ", "ควร",
           "ต้องการ", "เป้าหมาย", "วัตถุประสงค์", "ตัวชี้วัด", "หาก", "ถ้า", "กรณี")
_HEDGED = re.compile(rf"{trie(_HEDGES)}|อาจ(?!า)")
_HEDGE_REACH = 60
#: "ความ" before a claim makes it a noun ("ความพึงพอใจต่อการบริการ", a form's "ความสะดวก
#: รวดเร็ว"): a topic, not a result, unless a verb of having or getting comes first.
_NOUN = re.compile(r"(?:(?<!มี)(?<!เกิด)(?<!ได้รับ)(?<!ให้)(?<!สร้าง)ความ"
                   r"|(?:เรื่อง|ด้าน|หัวข้อ|กระบวนการ)(?:การ)?)[ \t]*+\Z")
#: A bound right after the claim makes it a target ("พึงพอใจไม่น้อยกว่าร้อยละ 80").
_BOUND_AFTER = re.compile(trie(("ไม่น้อยกว่า", "ไม่ต่ำกว่า", "อย่างน้อย", "ไม่เกิน", "ไม่ต่ํากว่า")))
_LOOK_BACK = 30
_LOOK_AHEAD = 12


class ClaimsFileError(ValueError):
    """The claims file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class Ask:
    """What the officer is asked for one kind of claim."""

    ask: str
    fill_in: str
    what: str


#: Multiplies the first claim's severity so that it ranks above the whole-answer gaps
#: (0.75 × 1.4 = 1.05, above no_statistics' 1.0 on the same question).
FIRST_CLAIM_SCALE = 1.4


def check_claims(answer: Answer) -> Iterator[Gap]:
    """Report claims of an effect with no figure to prove them, one per kind."""
    text = answer.text
    spans = _claims(text)
    if not spans:
        return
    proofs = _Proofs(answer)
    seen: set[str] = set()
    found = 0
    for start, end in spans:
        kind = _kind_of(text[start:end])
        if kind.name in seen or not _is_claim(text, start, end):
            continue
        seen.add(kind.name)
        span = sentence_span(text, start + 1, end)
        if proofs.proven(kind, span) or (kind is _EFFECT and text[start:end] not in _KIND_OF
                                         and proofs.measured):
            continue
        ask = default_asks()[kind.name]
        claim = text[start:end]
        yield Gap("unproven_claim", {"claim": claim, "ask": ask.ask, "fill_in": ask.fill_in},
                  quote(answer, start, end, span), span=(start, end),
                  scale=FIRST_CLAIM_SCALE if found == 0 else 1.0,
                  reason=f"{kind.name} claim {claim!r} with no {'/'.join(sorted(kind.proof))} "
                         f"figure of its own in its sentence, the next, or beside its topic")
        found += 1
        if found == MAX_CLAIMS:
            return


def _claims(text: str) -> list[tuple[int, int]]:
    """Return the spans of every claim phrase, fixed or general, in the order written."""
    fixed = [m.span() for m in _CLAIM.finditer(text)]
    return sorted(fixed + list(general_effects(text, fixed)))


def _kind_of(claim: str) -> Kind:
    """Return the kind of a claim's words: a fixed phrase's kind, else a general effect."""
    return _KIND_OF.get(claim, _EFFECT)


def fill_in_what(claim: str) -> str:
    """Return the chip's word for the kind of ``claim`` (a phrase the check quoted)."""
    return default_asks()[_kind_of(claim).name].what


def _is_claim(text: str, start: int, end: int) -> bool:
    """Tell whether a claim phrase states an achieved effect (not negated, planned, a survey)."""
    left = sentence_span(text, start + 1, end)[0]
    before = text[max(left, start - _LOOK_BACK):start]
    if _NEGATED.search(before) or _NOUN.search(before) or defined(text, start):
        return False
    line = text.rfind("\n", 0, start) + 1
    if _HEDGED.search(text, max(line, start - _HEDGE_REACH), start):
        return False
    if text.startswith("ไป", end):
        return False  # "ระดับดีขึ้นไป": good or above, a threshold
    return _BOUND_AFTER.search(text, end, end + _LOOK_AHEAD) is None


class _Proofs:
    """The figures of one answer, looked up by sentence and kind when a claim needs them."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.quantities = answer.quantities
        self.starts = [q.start for q in self.quantities]
        self._elsewhere: dict[str, bool] = {}

    @cached_property
    def measured(self) -> bool:
        """Tell whether the answer already measures its results (:data:`MEASURED` figures)."""
        return sum(1 for q in self.quantities if q.role == "result"
                   and q.kind in _EFFECT.proof) >= MEASURED

    def within(self, start: int, end: int) -> list[Quantity]:
        """Return the quantities that start between ``start`` and ``end``."""
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end, lo=low)
        return self.quantities[low:high]

    def proven(self, kind: Kind, span: tuple[int, int]) -> bool:
        """Tell whether a claim of ``kind`` in sentence ``span`` has its figure.

        The figure may be in the claim's sentence or in the one right after it on the same
        line ("… ดีขึ้น มีคนจน 4.3 ล้านคน ลดลงจาก 6.7 ล้านคน"), or elsewhere beside its topic.
        """
        text = self.answer.text
        line_end = text.find("\n", span[1])
        following = sentence_span(text, span[1] + 1, span[1] + 1)[1] if (
            span[1] < len(text) and text[span[1]] != "\n") else span[1]
        end = following if line_end == -1 else min(following, line_end)
        return any(kind.proves(q) and not _of_other_kind(kind, text, q, span[0])
                   for q in self.within(span[0], max(span[1], end))) or self.elsewhere(kind)

    @cached_property
    def sentences(self) -> list[tuple[str, list[Quantity]]]:
        """Return each sentence that holds a quantity, with its quantities.

        A sentence is found once for the quantities it holds, not once per quantity: an
        answer full of figures has a hundred of them.
        """
        text, found = self.answer.text, []
        end = -1
        for q in self.quantities:
            if q.start >= end:
                start, end = sentence_span(text, q.start, q.end)
                found.append((text[start:end], self.within(start, end)))
        return found

    def elsewhere(self, kind: Kind) -> bool:
        """Tell whether some sentence gives a figure of ``kind`` beside its topic, or a pair."""
        if kind.name not in self._elsewhere:
            self._elsewhere[kind.name] = any(
                _gives_figure(kind, sentence, inside) for sentence, inside in self.sentences)
        return self._elsewhere[kind.name]


def _of_other_kind(kind: Kind, text: str, q: Quantity, low: int) -> bool:
    """Tell whether ``q`` is the figure of another kind's topic, right before it.

    "พบระดับความพึงพอใจพุ่งเกือบ 100% ช่วยลดความแออัด": the 100 % measures satisfaction,
    so it proves no other effect of the sentence.
    """
    before = text[max(low, q.start - _OWNER_REACH):q.start]
    if any(topic in before for topic in kind.topics):
        return False
    return any(topic in before for other in _TOPICAL if other is not kind
               for topic in other.topics)


def _gives_figure(kind: Kind, sentence: str, inside: list[Quantity]) -> bool:
    """Tell whether a sentence gives a figure of ``kind``: beside its topic, or before and after."""
    if sum(1 for q in inside if (q.unit or "") in kind.paired) >= 2:
        return True
    return any(kind.proves(q) for q in inside) and any(t in sentence for t in kind.topics)


# The content file --------------------------------------------------------------------------

def _fail(path: Path, where: str, problem: str) -> ClaimsFileError:
    """Build the error for a problem at ``where`` in the claims file."""
    return ClaimsFileError(f"{path}: {where}: {problem}")


def _text(path: Path, where: str, value: Any) -> str:
    """Return a one-line text without braces, or fail naming ``where``."""
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, where, "must be a non-empty string")
    if set(value) & set("{}\n"):
        raise _fail(path, where, "must be one line without braces")
    return " ".join(value.split())


def _ask(path: Path, name: str, entry: Any) -> Ask:
    """Read and check one kind's entry."""
    if not isinstance(entry, dict):
        raise _fail(path, f"kinds.{name}", "expected a mapping with ask, fill_in and what")
    unknown = sorted(set(map(str, entry)) - {"ask", "fill_in", "what"})
    if unknown:
        raise _fail(path, f"kinds.{name}.{unknown[0]}", "is not a key (ask, fill_in, what)")
    ask = Ask(*(_text(path, f"kinds.{name}.{key}", entry.get(key))
                for key in ("ask", "fill_in", "what")))
    if BLANK not in ask.fill_in or len(ask.fill_in) > MAX_FILL_IN:
        raise _fail(path, f"kinds.{name}.fill_in",
                    f"must hold a blank {BLANK} and be at most {MAX_FILL_IN} characters")
    return ask


def load_asks(path: Path = CLAIMS_FILE) -> dict[str, Ask]:
    """Load and validate the claims file: one entry per kind of claim."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimsFileError(f"{path}: cannot be read: {exc}") from exc
    kinds = data.get("kinds") if isinstance(data, dict) else None
    if not isinstance(kinds, dict):
        raise _fail(path, "kinds", "expected a mapping of claim kinds")
    names = [kind.name for kind in KINDS]
    for name in names:
        if name not in kinds:
            raise _fail(path, f"kinds.{name}", "is missing (the analysis finds this kind)")
    unknown = sorted(set(map(str, kinds)) - set(names))
    if unknown:
        raise _fail(path, f"kinds.{unknown[0]}", f"is not a kind of claim; kinds: {names}")
    asks = {name: _ask(path, name, kinds[name]) for name in names}
    chip = default_messages().labels["fill_in"]["chip"]
    for name, ask in asks.items():
        try:
            check_chip(path, f"kinds.{name}.what", chip, ask.what)
        except FindingsFileError as exc:
            raise ClaimsFileError(str(exc)) from None
    return asks


@lru_cache(maxsize=1)
def default_asks() -> dict[str, Ask]:
    """Return the project's claims wording, loaded once per process."""
    return load_asks()
