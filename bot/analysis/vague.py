"""Vague quantifiers: "จำนวนมาก", "หลายแห่ง", "มีผู้มาใช้บริการมาก" … where a figure should be.

What is vague, and what is not:

* **Quantity words** (:data:`QUANTITY_WORDS`: จำนวนมาก, หลายราย, ส่วนใหญ่, มากมาย …) say
  "many" or "most" instead of a number. They stay vague when negated: "ไม่มาก" is still no
  figure.
* **Bare มาก / น้อย** are vague where they give an amount: after มี/ใช้/เสีย and a countable
  noun ("มีผู้มาใช้บริการมาก", "ใช้เวลาน้อย", "มีเจ้าหน้าที่ไม่มาก"), or after a change
  ("เพิ่มขึ้นมาก", "ลดลงเล็กน้อย"). After a state or feeling they are degree, not amount,
  and are left alone: "ดีมาก", "ขอบคุณมาก", "ให้ความสำคัญมาก", "มีความสุขมาก", "มีรายได้น้อย"
  (a group, not an amount). Longer words that hold them are other words: มากกว่า, มากที่สุด,
  น้อยกว่า, ลดน้อยลง, ไม่มากก็น้อย, มากน้อยเพียงใด.
* **Degree adverbs** (:data:`DEGREE_WORDS`: อย่างมาก, เป็นอย่างดี, อย่างชัดเจน, อย่างมี
  นัยสำคัญ …) claim a large effect without measuring it. They are not vague when the clause
  is negated ("ไม่ได้กำหนดไว้อย่างชัดเจน" says what is missing, not how much), when
  "อย่างชัดเจน / อย่างเห็นได้ชัด" qualify how something is written or set
  ("กำหนดบทบาทอย่างชัดเจน"), or in the idiom "โดยเฉพาะอย่างยิ่ง" (especially).
* **"ไม่ถึง"** is vague only as a bound before a number or "ครึ่ง" ("ไม่ถึง 100 %"): in
  "เข้าไม่ถึงบริการ" it means cannot reach.
* **A sentence with a figure is never vague**: a measured quantity, or a number bounded by
  "มากกว่า / ไม่น้อยกว่า / ไม่เกิน …" other than the vague "ไม่ถึง N" itself, explains the
  word ("ส่วนใหญ่ ร้อยละ 85"). Years, dates and ordinals are not figures.

Reported once per sentence, never the same phrase twice, at most :data:`MAX_VAGUE` per
answer; the span is the phrase, the quote its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import BENEFICIARIES, DIGITS, NUMBER, trie
from bot.analysis.sentences import quote, sentence_span

#: How many vague-quantifier findings one answer gets at most.
MAX_VAGUE = 3

#: Words that say "many", "most" or "few" instead of a number.
QUANTITY_WORDS = (
    "จำนวนมาก", "เป็นจำนวนมาก", "มากมาย", "ค่อนข้างมาก", "จำนวนไม่น้อย", "ส่วนใหญ่",
    "หลายราย", "หลายคน", "หลายแห่ง", "หลายพื้นที่", "หลายหน่วยงาน", "หลายครัวเรือน",
    "หลายหมู่บ้าน", "หลายชุมชน", "หลายตำบล", "หลายอำเภอ", "หลายจังหวัด", "หลายครั้ง",
    "หลายเท่า", "หลายเท่าตัว",
)
#: Adverbs that claim a large effect without measuring it.
DEGREE_WORDS = (
    "อย่างมาก", "เป็นอย่างมาก", "เป็นอย่างดี", "อย่างดียิ่ง", "มากขึ้น", "อย่างยิ่ง",
    "อย่างมีนัยสำคัญ", "อย่างเห็นได้ชัด", "อย่างชัดเจน", "อย่างก้าวกระโดด",
)
#: Nouns of things that are counted or measured; "มี/ใช้/เสีย" + one of them + มาก/น้อย is
#: an amount.
COUNTED_NOUNS = (
    *BENEFICIARIES, "ผู้", "คน", "จำนวน", "ปริมาณ", "เวลา", "ระยะเวลา", "งบประมาณ", "ค่าใช้จ่าย",
    "ต้นทุน", "เงิน", "บุคลากร", "เจ้าหน้าที่", "พนักงาน", "เอกสาร", "ขั้นตอน", "คำขอ",
    "เรื่องร้องเรียน", "ข้อร้องเรียน", "คิว", "รถ", "สินค้า", "ผลผลิต",
)
#: Words that negate the clause a degree adverb is in.
NEGATIONS = ("ไม่", "มิได้", "มิใช่", "ปราศจาก", "ขาด")
#: Words after ไม่ that do not negate the clause ("ไม่ว่า" = whatever, "ไม่เพียง" = not only).
NOT_NEGATING = ("ไม่ว่า", "ไม่เพียง", "ไม่ต้อง", "ไม่น้อย", "ไม่ถึง", "ไม่เกิน", "ไม่มาก")
#: Verbs of writing or setting out: "อย่างชัดเจน" after them is manner, not amount.
MANNER_VERBS = ("กำหนด", "ระบุ", "แบ่ง", "อธิบาย", "ชี้แจง", "มอบหมาย", "เขียน", "บันทึก",
                "สื่อสาร", "แยก", "วาง", "ออกแบบ", "จัดลำดับ", "แสดง", "ประกาศ", "แจ้ง",
                "ตอบ", "นิยาม", "เข้าใจ", "มองเห็น")
#: Clause words that end a negation's reach.
_CLAUSE_WORDS = ("และ", "แต่", "ทำให้", "จึง", "โดย", "ส่งผล", "เพราะ", "ซึ่ง")
#: Bounds that still give a figure ("มากกว่า 300 ราย").
_FIGURE_BOUNDS = ("มากกว่า", "กว่า", "เกิน", "ไม่เกิน", "ไม่น้อยกว่า", "ไม่ต่ำกว่า", "อย่างน้อย",
                  "สูงสุด", "ต่ำสุด", "ประมาณ", "ราว", "เกือบ")

_REACH = 40  # characters before a degree adverb a negation or manner verb may be
_WORDS = re.compile(
    rf"(?P<quantity>{trie(QUANTITY_WORDS)})|(?P<degree>{trie(DEGREE_WORDS)})"
    rf"|(?P<bound>ไม่ถึง)(?=[ \t]*+(?:ร้อยละ|ครึ่ง|[{DIGITS}]))"
)
_STOP_AFTER = r"(?!กว่า|ขึ้น|ลง|ที่สุด|มาย|นัก|เกิน|ใจ|หน่า|ก็น้อย|น้อย|เพียง|แค่ไหน)"
_BARE = re.compile(
    rf"(?:มี|ใช้|เสีย)(?:{trie(COUNTED_NOUNS)})[^ \t\n|]{{0,24}}?"
    rf"(?<!รายได้)(?<!ความ)(?P<phrase>(?:ไม่)?(?:มาก|น้อย)){_STOP_AFTER}"
    rf"|(?P<change>(?:เพิ่มขึ้น|ลดลง|สูงขึ้น|ต่ำลง|ดีขึ้น)[ \t]?(?:มาก|น้อย|เล็กน้อย)){_STOP_AFTER}"
)
_NEGATION = re.compile(rf"(?!{trie(NOT_NEGATING)})(?:{trie(NEGATIONS)})")
_CLAUSE = re.compile(trie(_CLAUSE_WORDS))
_MANNER = re.compile(trie(MANNER_VERBS))
_FIGURE_BOUND = re.compile(
    rf"(?:{trie(_FIGURE_BOUNDS)})[ \t]*+(?:ร้อยละ[ \t]*+)?{NUMBER}")


def find_vague(answer: Answer) -> Iterator[Gap]:
    """Report sentences with a vague quantifier and no figure, each phrase once."""
    text, sentences, phrases, found = answer.text, set(), set(), 0
    for start, end, kind in _candidates(text):
        phrase = text[start:end]
        span = sentence_span(text, start, end)
        if span in sentences or phrase in phrases or _has_figure(answer, span):
            continue
        if kind == "degree" and _not_a_claim(text, start, span[0]):
            continue
        sentences.add(span)
        phrases.add(phrase)
        yield Gap("vague_quantifier", {"phrase": phrase}, quote(text, start, end, span),
                  span=(start, end),
                  reason=f"vague: {kind} word {phrase!r} in a sentence with no figure")
        found += 1
        if found == MAX_VAGUE:
            return


def _candidates(text: str) -> list[tuple[int, int, str]]:
    """Return the vague phrases of ``text`` as (start, end, kind), in order."""
    found = []
    for m in _WORDS.finditer(text):
        kind = m.lastgroup or "quantity"
        if kind == "degree" and m[0] == "อย่างยิ่ง" and text.endswith("โดยเฉพาะ", 0, m.start()):
            continue
        found.append((m.start(), m.end(), "quantity" if kind == "bound" else kind))
    for m in _BARE.finditer(text):
        name = "phrase" if m["phrase"] else "change"
        found.append((m.start(name), m.end(name), "amount"))
    found.sort()
    return found


def _has_figure(answer: Answer, span: tuple[int, int]) -> bool:
    """Tell whether the sentence ``span`` holds a figure (a measured or bounded number)."""
    return answer.has_quantity_in(*span) or bool(_FIGURE_BOUND.search(answer.text, *span))


def _not_a_claim(text: str, start: int, sentence_start: int) -> bool:
    """Tell whether a degree adverb at ``start`` is negated or qualifies a manner verb."""
    low = max(sentence_start, start - _REACH)
    clause = low
    for m in _CLAUSE.finditer(text, low, start):
        clause = m.end()
    if _NEGATION.search(text, clause, start):
        return True
    return text.startswith("อย่าง", start) and "ชัด" in text[start:start + 20] and bool(
        _MANNER.search(text, clause, start))
