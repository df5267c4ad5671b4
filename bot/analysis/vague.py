"""Vague quantifiers: "จำนวนมาก", "หลายแห่ง", "มีผู้มาใช้บริการมาก" … where a figure should be.

What is vague, and what is not:

* **Quantity words** (:data:`QUANTITY_WORDS`: จำนวนมาก, มากมาย, ส่วนใหญ่, บางส่วน, เยอะ,
  จำนวนหนึ่ง, ไม่กี่, เกือบทุก, กว่าครึ่ง …,
  and หลาย + a counter, "หลายราย", "หลาย ๆ หน่วยงาน") say "many", "most" or "some" instead
  of a number. They stay vague when negated: "ไม่มาก" is still no figure. Place names that
  start with บาง (บางกรวย) are not "some": only บาง + a listed counter is.
* **Bare มาก / น้อย** are vague where they give an amount: after มี/ใช้/เสีย and a countable
  noun ("มีผู้มาใช้บริการมาก", "ใช้เวลาน้อย", "มีรายได้น้อย"), after ได้รับ + what is
  received ("ได้รับประโยชน์มาก"), after a verb with ได้/ไว้ ("เก็บน้ำได้น้อย",
  "ลงทะเบียนไว้มาก"), or after a change ("เพิ่มขึ้นมาก", "ลดลงเล็กน้อย"). After a state or
  feeling they are degree, not amount, and are left alone: "ดีมาก", "ขอบคุณมาก",
  "ให้ความสำคัญมาก", "มีความสุขมาก". A group's name is no amount: "ผู้มีรายได้น้อย",
  "ครัวเรือนที่มีรายได้น้อย". Longer words that hold them are other words: มากกว่า,
  มากที่สุด, น้อยกว่า, ไม่มากก็น้อย, มากน้อยเพียงใด.
* **Degree adverbs** (:data:`DEGREE_WORDS`: อย่างมาก, เป็นอย่างดี, อย่างชัดเจน, มากขึ้น,
  น้อยลง …) claim a large effect without measuring it. They are not vague when the clause
  is negated ("ไม่ได้กำหนดไว้อย่างชัดเจน" says what is missing, not how much), when
  "อย่างชัดเจน / อย่างเห็นได้ชัด" qualify how something is written or set
  ("กำหนดบทบาทอย่างชัดเจน"), or in the idiom "โดยเฉพาะอย่างยิ่ง" (especially).
* **"ไม่ถึง"** is vague only as a bound before a number or "ครึ่ง" ("ไม่ถึง 100 %"): in
  "เข้าไม่ถึงบริการ" it means cannot reach.
* **A figure explains the word**: a measured quantity, a number bounded by "มากกว่า / ไม่
  น้อยกว่า / ประมาณ …", or a bare number such as a mean score ("จาก 4.665 เป็น 4.623"),
  within :data:`_FIGURE_REACH` characters in the same sentence ("ส่วนใหญ่ ร้อยละ 85",
  "เพิ่มขึ้นอย่างมาก โดยเพิ่มจาก 300 ราย"). Years, dates, times, item and list numbers,
  "ไม่ถึง N" itself and chat laughter ("555") are not figures. A share word (ส่วนใหญ่,
  ส่วนมาก, บางส่วน, เกือบทุก, กว่าครึ่ง …) is explained only by a figure after it: a total before it ("214
  ครัวเรือน ส่วนใหญ่เป็นผู้สูงอายุ") does not say how many of them.

Reported once per sentence, never the same phrase twice, at most :data:`MAX_VAGUE` per
answer; the span is the phrase, the quote its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import BENEFICIARIES, DIGITS, NUMBER, trie
from bot.analysis.quantities import is_year_like
from bot.analysis.sentences import quote, sentence_span

#: How many vague-quantifier findings one answer gets at most.
MAX_VAGUE = 3

#: Words that say "many", "most" or "few" instead of a number.
QUANTITY_WORDS = (
    "จำนวนมาก", "เป็นจำนวนมาก", "มากมาย", "ค่อนข้างมาก", "จำนวนไม่น้อย", "ส่วนใหญ่", "ส่วนมาก",
    "บางส่วน", "บางแห่ง", "บางพื้นที่", "บางราย", "บางคน", "บางหน่วยงาน", "บางชุมชน",
    "บางครัวเรือน", "บางศูนย์", "บางกลุ่ม", "บางหมู่บ้าน", "บ่อยมาก", "บ่อยครั้ง",
    "นับไม่ถ้วน", "นานับประการ", "เยอะ", "จำนวนหนึ่ง", "ไม่กี่", "เกือบทุก", "เกือบทั้งหมด",
    "กว่าครึ่ง", "เกินครึ่ง",
)
#: Words for a share of a group, explained only by a figure after them ("ส่วนใหญ่ ร้อยละ 85"):
#: a total before them ("214 ครัวเรือน ส่วนใหญ่…") does not say how many.
SHARE_WORDS = frozenset({"ส่วนใหญ่", "ส่วนมาก", "บางส่วน", "เกือบทุก", "เกือบทั้งหมด", "กว่าครึ่ง",
                         "เกินครึ่ง"})
#: Counters after หลาย ("หลายราย", "หลาย ๆ หน่วยงาน"): many of a counted thing.
MANY_OF = ("ราย", "คน", "ท่าน", "แห่ง", "พื้นที่", "หน่วยงาน", "ครัวเรือน", "หมู่บ้าน", "ชุมชน",
           "ตำบล", "อำเภอ", "จังหวัด", "ครั้ง", "เท่า", "เท่าตัว", "องค์กร", "กลุ่ม", "โครงการ",
           "เครือข่าย", "ภาคี", "โรงเรียน", "ศูนย์", "สาขา")
#: Adverbs that claim a large effect without measuring it.
DEGREE_WORDS = (
    "อย่างมาก", "เป็นอย่างมาก", "เป็นอย่างดี", "อย่างดียิ่ง", "มากขึ้น", "มากยิ่งขึ้น",
    "มาก ยิ่งขึ้น", "น้อยลง", "อย่างยิ่ง", "อย่างมีนัยสำคัญ", "อย่างเห็นได้ชัด", "อย่างชัดเจน",
    "อย่างก้าวกระโดด",
)
#: Nouns of things that are counted or measured; "มี/ใช้/เสีย" + one of them + มาก/น้อย is
#: an amount ("มีผู้มาใช้บริการมาก", "ใช้เวลาน้อย", "มีรายได้น้อย").
COUNTED_NOUNS = (
    *BENEFICIARIES, "ผู้", "คน", "จำนวน", "ปริมาณ", "เวลา", "ระยะเวลา", "งบประมาณ", "ค่าใช้จ่าย",
    "ต้นทุน", "เงิน", "รายได้", "รายจ่าย", "หนี้", "บุคลากร", "เจ้าหน้าที่", "พนักงาน", "เอกสาร",
    "ขั้นตอน", "คำขอ", "เรื่องร้องเรียน", "ข้อร้องเรียน", "คิว", "รถ", "สินค้า", "ผลผลิต", "พื้นที่",
)
#: What is received: "ได้รับประโยชน์ … มาก" claims an amount of it.
RECEIVED_NOUNS = ("ประโยชน์", "ผลดี", "ความช่วยเหลือ", "การสนับสนุน", "ความร่วมมือ", "ความสนใจ",
                  "การตอบรับ", "ผลกระทบ")
#: Words that negate the clause a degree adverb is in.
NEGATIONS = ("ไม่", "มิได้", "มิใช่", "ปราศจาก", "ขาด")
#: Words after ไม่ that do not negate the clause ("ไม่ว่า" = whatever, "ไม่เพียง" = not only).
NOT_NEGATING = ("ไม่ว่า", "ไม่เพียง", "ไม่ต้อง", "ไม่น้อย", "ไม่ถึง", "ไม่เกิน", "ไม่มาก", "ไม่กี่")
#: Verbs of writing or setting out: "อย่างชัดเจน" after them is manner, not amount.
MANNER_VERBS = ("กำหนด", "ระบุ", "แบ่ง", "อธิบาย", "ชี้แจง", "มอบหมาย", "เขียน", "บันทึก",
                "สื่อสาร", "แยก", "วาง", "ออกแบบ", "จัดลำดับ", "แสดง", "ประกาศ", "แจ้ง",
                "ตอบ", "นิยาม", "เข้าใจ", "มองเห็น")
#: Clause words that end a negation's reach.
_CLAUSE_WORDS = ("และ", "แต่", "ทำให้", "จึง", "โดย", "ส่งผล", "เพราะ", "ซึ่ง")
#: Bounds that still give a figure ("มากกว่า 300 ราย").
_FIGURE_BOUNDS = ("มากกว่า", "กว่า", "เกิน", "ไม่เกิน", "ไม่น้อยกว่า", "ไม่ต่ำกว่า", "อย่างน้อย",
                  "สูงสุด", "ต่ำสุด", "ประมาณ", "ราว", "เกือบ")
#: Words right before a number that make it a label, not a figure (years, items, laws, codes).
_LABELS = ("ที่", "ข้อ", "ปี", "พ.ศ.", "พ.ศ", "ค.ศ.", "ค.ศ", "หมู่", "ม.", "มาตรา", "ฉบับ", "ระยะ",
           "มิติ", "ชั้น", "ซอย", "เลขที่", "หมายเลข", "โทร", "โทร.", "รหัส", "เวลา", "เขต", "รุ่น",
           "sdg", "sdgs", "goal", "iso", "ไม่ถึง", "/", "-")
#: Words right after a number that make it a date or a time.
_DATE_AFTER = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",
               "พ.ย.", "ธ.ค.", "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
               "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "น.", "/", ":")

_REACH = 80  # characters before a degree adverb a negation or manner verb may be
_FIGURE_REACH = 60  # characters either side of a vague word a figure explaining it may be
_WORDS = re.compile(
    rf"(?P<quantity>{trie(QUANTITY_WORDS)}|หลาย(?:[ \t]*ๆ[ \t]*)?(?:{trie(MANY_OF)}))"
    rf"|(?P<degree>{trie(DEGREE_WORDS)})"
    rf"|(?P<bound>ไม่ถึง)(?=[ \t]*+(?:ร้อยละ|ครึ่ง|[{DIGITS}]))"
)
_STOP_AFTER = r"(?!กว่า|ขึ้น|ลง|ที่สุด|มาย|นัก|เกิน|ใจ|หน่า|ก็น้อย|น้อย|เพียง|แค่ไหน|ยิ่งขึ้น)"
_BARE = re.compile(
    rf"(?:(?<!ผู้)(?<!ที่)(?:มี|ใช้|เสีย)(?:{trie(COUNTED_NOUNS)})|ได้(?:รับ)?(?:{trie(RECEIVED_NOUNS)}))"
    rf"[^ \t\n|]{{0,24}}?(?<!ความ)(?P<phrase>(?:ไม่)?(?:มาก|น้อย)){_STOP_AFTER}"
    rf"|(?P<change>(?:เพิ่มขึ้น|ลดลง|สูงขึ้น|ต่ำลง|ดีขึ้น)[ \t]?(?:มาก|น้อย|เล็กน้อย)){_STOP_AFTER}"
    rf"|(?<=[\u0e01-\u0e4e])(?<!ราย)(?P<able>(?:ได้|ไว้)(?:มาก|น้อย)){_STOP_AFTER}"
)
_NEGATION = re.compile(rf"(?!{trie(NOT_NEGATING)})(?:{trie(NEGATIONS)})")
_CLAUSE = re.compile(trie(_CLAUSE_WORDS))
_MANNER = re.compile(trie(MANNER_VERBS))
_FIGURE_BOUND = re.compile(
    rf"(?:{trie(_FIGURE_BOUNDS)})[ \t]*+(?:ร้อยละ[ \t]*+)?{NUMBER}")
_LAUGHTER = re.compile("5{3,}")  # "555" with no unit is chat laughter, not a figure
_NUMBER = re.compile(rf"(?<![{DIGITS}.,])(?P<num>{NUMBER})")
_LABEL_BEFORE = re.compile(rf"(?:{trie(_LABELS)})[ \t]*\Z")
_DATE_AFTER_RE = re.compile(rf"[ \t]*(?:{trie(_DATE_AFTER)})")


def find_vague(answer: Answer) -> Iterator[Gap]:
    """Report sentences with a vague quantifier and no figure, each phrase once."""
    text, sentences, phrases, found = answer.text, set(), set(), 0
    for start, end, kind in _candidates(text):
        phrase = text[start:end]
        span = sentence_span(text, start, end)
        if span in sentences or phrase in phrases or _has_figure(answer, start, end, span):
            continue
        if kind == "degree" and _not_a_claim(text, start, span[0]):
            continue
        sentences.add(span)
        phrases.add(phrase)
        yield Gap("vague_quantifier", {"phrase": phrase}, quote(answer, start, end, span),
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
        name = next(g for g in ("phrase", "change", "able") if m[g] is not None)
        found.append((m.start(name), m.end(name), "amount"))
    found.sort()
    return found


def _has_figure(answer: Answer, start: int, end: int, span: tuple[int, int]) -> bool:
    """Tell whether a figure near ``start:end`` in its sentence explains the vague word."""
    low, high = max(span[0], start - _FIGURE_REACH), min(span[1], end + _FIGURE_REACH)
    text = answer.text
    if text[start:end] in SHARE_WORDS:
        low = end
    if answer.has_quantity_in(low, high) or _FIGURE_BOUND.search(text, low, high):
        return True
    return any(_is_figure(text, m.start(), m.end(), m["num"])
               for m in _NUMBER.finditer(text, low, high) if not start <= m.start() < end)


def _is_figure(text: str, start: int, end: int, number: str) -> bool:
    """Tell whether a bare number is a figure: not a year, date, time, label or list number."""
    line_start = text.rfind("\n", 0, start) + 1
    return not (is_year_like(number) or not text[line_start:start].strip()
                or _LAUGHTER.fullmatch(number)
                or _LABEL_BEFORE.search(text, max(0, start - 12), start)
                or _DATE_AFTER_RE.match(text, end))


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
