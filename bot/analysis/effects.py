"""Effects claimed in general words, and the text where a claim is no claim of the work.

:mod:`bot.analysis.claims` knows fixed claim phrases ("ลดขั้นตอน", "พึงพอใจ" …). Award
writing also claims effects in open words: a result marker followed by the outcome
("ช่วยลดผลกระทบจากภัยแล้ง", "ส่งผลให้เกิดความสมดุล…", "ทำให้ประชาชนเคารพกติกา"). These
are general effects (the kind ``effect``), found here.

Rules and decisions:

* **Markers.** "ช่วย/ทำให้/ส่งผลให้" + "ลด/เพิ่ม" (reducing or raising something);
  "ทำให้/ส่งผลให้/ก่อให้" + "เกิด" (bringing something about); "ทำให้/ส่งผลให้/ช่วยให้"
  + the people served ("ประชาชน", "ชาวบ้าน", "ผู้รับบริการ" …). A bare "ทำให้" is no
  claim: it joins any cause to any consequence ("ทำให้ทราบว่า…").
* **An outcome must follow**: at least two letters before the next space. The claim's
  words are the marker and the start of its outcome, cut between words.
* **A problem is no claim.** Background text uses the same markers for the harm the work
  answers ("ทำให้เกิดความล่าช้า", "ทำให้ประชาชนต้องเดินทาง", "ทำให้เพิ่มภาระ"); an outcome
  that holds a word of harm or obligation is not claimed, except after "ลด" (reducing a
  harm is the claim). Nor is the idea that started the work ("ทำให้เกิดแนวคิด…"). A harm
  up to :data:`_CAUSE_REACH` characters before "ทำให้/ส่งผลให้/ก่อให้" on its line makes the
  marker join a problem to its consequence ("…ขาดศรัทธา ทำให้ประชาชนที่เข้ารับบริการ…
  มีจำนวนน้อยลง"); after "ช่วย" it does not (the work helps against the harm).
* **A fixed phrase wins**: a marker that runs into a fixed claim phrase ("ช่วยลดขั้นตอน")
  is left to that phrase, which asks the more precise question.
* **Definitions are no claims** (for every claim, fixed or general): up to
  :data:`_DEFINING_REACH` characters back on the line, a definition or an award's criteria
  ("หมายถึง", "รางวัลที่มอบให้…", "หลักเกณฑ์") make what follows the description of a
  prize or a term, not the agency's result ("…รางวัลที่มอบให้กับหน่วยงานที่…ประชาชนได้รับ
  บริการที่สะดวก รวดเร็ว… และเป็นที่พึงพอใจ").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.lexicon import trie
from bot.analysis.sentences import word_edge

_PEOPLE = ("ประชาชน", "ชาวบ้าน", "ผู้รับบริการ", "ผู้ใช้บริการ", "เกษตรกร", "ชุมชน", "ผู้ป่วย",
           "นักเรียน", "ผู้สูงอายุ", "ผู้ประกอบการ", "คนในชุมชน", "ผู้มารับบริการ")
_MARKER = re.compile(
    rf"(?:ช่วย|ทำให้|ส่งผลให้)(?P<change>ลด|เพิ่ม)(?!ขึ้น|ลง|เติม)"
    rf"|(?:ทำให้|ส่งผลให้|ก่อให้)เกิด"
    rf"|(?:ทำให้|ส่งผลให้|ช่วยให้)(?=(?:{trie(_PEOPLE)}))")
#: Words of harm or obligation: an outcome holding one is a problem, not a result.
_HARMS = ("ปัญหา", "ขาด", "ไม่", "ล่าช้า", "ช้า", "ยุ่งยาก", "ยาก", "ลำบาก", "เดือดร้อน",
          "เสี่ยง", "สูญ", "ขยะ", "มลพิษ", "หนี้", "ยากจน", "ขัดแย้ง", "ร้องเรียน", "ทุจริต", "แออัด",
          "ซ้ำซ้อน", "ผลกระทบ", "ภาระ", "อันตราย", "บาดเจ็บ", "ค่าใช้จ่าย", "ต้นทุน", "โรค",
          "แนวคิด", "ความคิด", "แรงบันดาลใจ", "ความจำเป็น", "คำถาม", "ข้อสงสัย")
_HARM = re.compile(rf"{trie(_HARMS)}|เสีย(?!ง)|ต้อง(?!การ)")
#: Characters back on the line where a harm makes a marker the consequence of a problem.
_CAUSE_REACH = 80
_OUTCOME = re.compile(r"[^\s()\"“”'‘’,:;]{2,}")
_OUTCOME_REACH = 30
_CLAIM_WORDS = 16  # characters of outcome quoted after the marker, cut between words

_DEFINITIONS = ("หมายถึง", "คำจำกัดความ", "นิยาม", "หลักเกณฑ์", "รางวัลที่มอบให้",
                "มอบให้กับหน่วยงาน", "มอบให้แก่หน่วยงาน", "เกณฑ์การตัดสิน", "เกณฑ์การพิจารณา")
_DEFINING = re.compile(trie(_DEFINITIONS))
_DEFINING_REACH = 200


def general_effects(text: str, fixed: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Yield the span of each general effect claimed (marker and outcome's first words).

    ``fixed`` holds the spans of the fixed claim phrases found, in order; a marker that
    runs into one of them is left to it.
    """
    starts = [start for start, _ in fixed]
    for m in _MARKER.finditer(text):
        if any(m.start() <= start <= m.end() + 1 for start in starts):
            continue
        outcome = _OUTCOME.match(text, m.end())
        if outcome is None:
            continue
        if _problem(text, m, outcome.end()):
            continue
        cut = min(outcome.end(), m.end() + _CLAIM_WORDS)
        yield m.start(), word_edge(text, cut, m.end() + 2, outcome.end())


def _problem(text: str, m: re.Match[str], outcome_end: int) -> bool:
    """Tell whether a marker tells a problem: a harm in its outcome, or in its cause."""
    reach = text[m.end():min(outcome_end, m.end() + _OUTCOME_REACH)]
    if m["change"] != "ลด" and _HARM.search(reach):
        return True
    if m[0].startswith("ช่วย"):
        return False  # the work helps: whatever harm came before is what it answers
    line = text.rfind("\n", 0, m.start()) + 1
    return _HARM.search(text, max(line, m.start() - _CAUSE_REACH), m.start()) is not None


def defined(text: str, start: int) -> bool:
    """Tell whether a claim at ``start`` describes a definition or an award's criteria."""
    line = text.rfind("\n", 0, start) + 1
    return _DEFINING.search(text, max(line, start - _DEFINING_REACH), start) is not None
