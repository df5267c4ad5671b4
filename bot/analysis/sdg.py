"""Sustainable Development Goals: does the answer cite one?

A citation names a goal, by number or by name. Topic words are not citations: a goal's
name is also ordinary Thai ("ขจัดความยากจน" is a strategy of the 20-year national strategy,
"การเปลี่ยนแปลงสภาพภูมิอากาศ" a problem), so a name counts only where the SDGs frame it.

* **By number**: SDG/SDGs/Goal N ("SDG 2", "SDG2", "SDGs ข้อ 12", "Goal 10", "SDG 2.4" and
  "SDGs เป้าหมายย่อยที่ 2.4" are goal 2), or "เป้าหมาย(การพัฒนาที่ยั่งยืน)/เป้าหมายย่อย/
  เป้าประสงค์ ที่/ข้อ N" when a goal's name follows within
  :data:`NAME_AFTER_NUMBER` characters or an SDG marker is in the same paragraph (a plan's
  "เป้าหมายที่ 1" alone is not a goal). N is 1 to 17, in Arabic or Thai digits.
* **By name** (:data:`GOAL_NAMES`: the seventeen official Thai short names with the variants
  agencies write, and the English titles): a name counts when the nearest framework named
  before it, within :data:`LOOK_BACK` characters (lines included, so a list under an SDG
  heading counts), is the SDGs (SDG, SDGs, เป้าหมายการพัฒนาที่ยั่งยืน/อย่างยั่งยืน,
  Sustainable Development Goals, Global Goals) and not another plan (ยุทธศาสตร์ชาติ, แผนแม่บท,
  แผนพัฒนา…, นโยบาย…), and only list glue stands between them (:data:`GLUE_WORDS`,
  punctuation, numbers, other goals' names: "SDGs ได้แก่ ขจัดความยากจน", "SDG : ขจัดความ
  อดอยาก"), so "SDGs มีเป้าหมายเพื่อขจัดความยากจน" — the SDGs described, not a goal the work
  serves — is no citation. When no framework is named before it, the word "เป้าหมาย" right
  before the name ("เป้าหมายระบบนิเวศบนบก", "เป้าหมายด้านการขจัด…") or an SDG marker after
  it across glue only, within :data:`MARKER_AFTER` characters ("ขจัดความหิวโหย (SDGs)"),
  frames it. A name right
  after a problem word (ปัญหา, ผลกระทบ, ภัย, ประสบ …) is a topic, never a citation. Names
  that are only ever SDG titles (:data:`TITLE_ONLY_NAMES`: "ชีวิตใต้น้ำ", "ระบบนิเวศบนบก", the
  English titles) count alone, unless another plan frames them.
* "SDGs" alone, or "เป้าหมายการพัฒนาที่ยั่งยืน" with no goal, cites no goal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import DIGITS, trie

#: The goals' Thai short names, by goal: the official wording (UN Thailand, สศช.) and the
#: variants seen in Thai writing, plus the English titles.
GOAL_NAMES: dict[int, tuple[str, ...]] = {
    1: ("ขจัดความยากจน", "ยุติความยากจน", "no poverty"),
    2: ("ขจัดความหิวโหย", "ยุติความหิวโหย", "ขจัดความอดอยาก", "ยุติความอดอยาก", "zero hunger"),
    3: ("สุขภาพและความเป็นอยู่ที่ดี", "สุขภาพและความเป็นอยู่ดี", "การมีสุขภาพและความเป็นอยู่ที่ดี",
        "สุขภาวะที่ดี", "good health"),
    4: ("การศึกษาที่มีคุณภาพ", "การศึกษาที่เท่าเทียม", "การศึกษาคุณภาพ", "การศึกษาเท่าเทียม",
        "quality education"),
    5: ("ความเท่าเทียมทางเพศ", "ความเสมอภาคทางเพศ", "gender equality"),
    6: ("น้ำสะอาดและสุขาภิบาล", "น้ำสะอาดและการสุขาภิบาล", "การจัดการน้ำและสุขาภิบาล",
        "การจัดการน้ำและการสุขาภิบาล", "clean water"),
    7: ("พลังงานสะอาด", "พลังงานสมัยใหม่", "พลังงานที่ทุกคนเข้าถึงได้", "affordable and clean energy"),
    8: ("งานที่มีคุณค่าและการเติบโตทางเศรษฐกิจ", "การจ้างงานที่มีคุณค่า", "งานที่มีคุณค่า",
        "อาชีพและการเติบโตทางเศรษฐกิจ", "การเติบโตทางเศรษฐกิจ", "decent work"),
    9: ("อุตสาหกรรม นวัตกรรม และโครงสร้างพื้นฐาน", "อุตสาหกรรม นวัตกรรม โครงสร้างพื้นฐาน",
        "อุตสาหกรรม นวัตกรรมและโครงสร้างพื้นฐาน", "โครงสร้างพื้นฐานที่มีความทนทาน",
        "industry, innovation"),
    10: ("ลดความเหลื่อมล้ำ", "reduced inequalit"),
    11: ("เมืองและชุมชนที่ยั่งยืน", "เมืองและชุมชนยั่งยืน", "นครและชุมชนยั่งยืน", "เมืองและถิ่นฐานมนุษย์",
         "sustainable cities"),
    12: ("แผนการบริโภคและการผลิตที่ยั่งยืน", "การผลิตและการบริโภคที่ยั่งยืน",
         "การบริโภคและการผลิตที่ยั่งยืน", "การบริโภคและการผลิตอย่างยั่งยืน",
         "การบริโภคและการผลิตอย่างรับผิดชอบ", "การบริโภคและการผลิตที่รับผิดชอบ",
         "responsible consumption"),
    13: ("การรับมือการเปลี่ยนแปลงสภาพภูมิอากาศ", "การรับมือกับการเปลี่ยนแปลงสภาพภูมิอากาศ",
         "การเปลี่ยนแปลงสภาพภูมิอากาศ", "การปฏิบัติการเกี่ยวกับสภาพภูมิอากาศ", "climate action"),
    14: ("ทรัพยากรทางทะเล", "ชีวิตใต้น้ำ", "ระบบนิเวศทางทะเล", "ทรัพยากรในมหาสมุทร",
         "life below water"),
    15: ("ระบบนิเวศบนบก", "ชีวิตบนบก", "การใช้ที่ดินอย่างยั่งยืน", "life on land"),
    16: ("สังคมสงบสุข", "สังคมที่สงบสุข", "สันติภาพ ความยุติธรรม", "สันติภาพและความยุติธรรม",
         "ความยุติธรรม และสถาบันที่เข้มแข็ง", "สถาบันที่เข้มแข็ง", "peace, justice"),
    17: ("หุ้นส่วนความร่วมมือระดับโลก", "หุ้นส่วนความร่วมมือเพื่อการพัฒนาที่ยั่งยืน",
         "ความร่วมมือเพื่อการพัฒนาที่ยั่งยืน", "หุ้นส่วนเพื่อการพัฒนาที่ยั่งยืน",
         "partnerships for the goals"),
}
#: Names that are only ever SDG titles, so they cite a goal without a marker.
TITLE_ONLY_NAMES = ("ชีวิตใต้น้ำ", "ชีวิตบนบก", "ระบบนิเวศบนบก", "zero hunger", "no poverty",
                    "life below water", "life on land", "climate action",
                    "partnerships for the goals", "affordable and clean energy",
                    "responsible consumption", "sustainable cities", "reduced inequalit")
#: Words that name the SDG framework.
SDG_MARKERS = ("sdg", "sdgs", "เป้าหมายการพัฒนาที่ยั่งยืน", "เป้าหมายการพัฒนาอย่างยั่งยืน",
               "sustainable development goal", "global goals", "เป้าหมายโลก")
#: Words that name another framework a goal-like phrase may belong to.
OTHER_FRAMEWORKS = ("ยุทธศาสตร์ชาติ", "ยุทธศาสตร์", "แผนแม่บท", "แผนพัฒนาเศรษฐกิจ", "แผนพัฒนา",
                    "แผนปฏิรูป", "แผนปฏิบัติราชการ", "นโยบาย", "วาระแห่งชาติ", "แผนระดับ")
#: Words that make a following goal name a problem being described, not a goal cited.
PROBLEM_WORDS = ("ปัญหา", "ผลกระทบ", "ภัย", "ภาวะ", "สาเหตุ", "ประสบ", "เผชิญ", "วิกฤต",
                 "เนื่องจาก", "อันเนื่องมาจาก")
#: Words that may stand between an SDG marker and the goal it names.
GLUE_WORDS = ("ที่", "ข้อ", "เป้าหมาย", "ย่อย", "เป้าประสงค์", "ด้าน", "เรื่อง", "ได้แก่", "คือ",
              "ว่าด้วย", "การ", "ดังนี้", "ของ", "องค์การ", "สหประชาชาติ", "UN", "sdg", "sdgs",
              "goal", "goals", "และ", "หรือ", "กับ", "ใน", "ทั้ง", "โดยเฉพาะ", "ซึ่ง", "เป็น", "ได้")
#: How far before a goal's name its framework may be named (the nearest one counts).
LOOK_BACK = 200
#: How far after a goal's name an SDG marker still frames it.
MARKER_AFTER = 40
#: How far after "เป้าหมายที่ N" a goal's name makes it an SDG number.
NAME_AFTER_NUMBER = 40

_ALL_NAMES = tuple(name for names in GOAL_NAMES.values() for name in names)
_NUM = rf"(?P<n>[{DIGITS}]{{1,2}})(?![{DIGITS}])(?!\s*(?:%|ร้อยละ))"
_SDG_NUMBER = re.compile(  # SDG 2 / SDGs ข้อ 12 / Goal 10 / SDG#3 / SDG 2.4
    rf"(?<![A-Za-z])(?:{trie(('sdg', 'sdgs', 'goal', 'goals'))})[ \t]*+[:\-]?[ \t]*+"
    rf"(?:ข้อ(?:ที่)?|ที่|เป้าหมาย(?:ย่อย)?ที่|เป้าประสงค์(?:ที่)?|[nN][oO]\.?|#)?[ \t]*+{_NUM}")
_GOAL_NUMBER = re.compile(  # เป้าหมายที่ ๖ / เป้าหมายการพัฒนาที่ยั่งยืน (SDGs) ข้อที่ 8
    rf"เป้า(?:หมาย(?P<sdg>การพัฒนา(?:ที่|อย่าง)ยั่งยืน)?(?:ย่อย)?|ประสงค์)[ \t]*+"
    rf"(?:\(?[sS][dD][gG][sS]?\)?[ \t]*+)?"
    rf"(?:(?:ที่|ข้อ(?:ที่)?)[ \t]*+{_NUM}|{_NUM.replace('?P<n>', '?P<t>')}(?=[.][{DIGITS}]))")
_NAME = re.compile(trie(_ALL_NAMES))
_TITLE_ONLY = re.compile(trie(TITLE_ONLY_NAMES))
_SDG_MARKER = re.compile(rf"(?<![A-Za-z])(?:{trie(SDG_MARKERS)})")
_FRAMEWORK = re.compile(
    rf"(?P<sdg>(?<![A-Za-z]){trie(SDG_MARKERS)})|(?P<other>{trie(OTHER_FRAMEWORKS)})")
# "เป้าหมาย" right before a name, with the little words Thai puts between them.
_GOAL_WORD_BEFORE = re.compile(
    r"เป้าหมาย(?:ที่[ \t]*[0-9๐-๙]{1,2})?[ \t:]*(?:ด้าน|ว่าด้วย|เรื่อง|คือ|ได้แก่)?[ \t]*(?:การ)?\Z")
# What may stand between the SDGs and a goal's name they frame: spaces and punctuation, goal
# numbers, list words, the UN, other goals' names ("ได้แก่ ขจัดความยากจน และลดความเหลื่อมล้ำ").
_GLUE = re.compile(
    rf"(?:[\s:：\-–—(（)）\"“”'‘’,、/.•▪*]|[{DIGITS}]|{trie(GLUE_WORDS)}|{trie(_ALL_NAMES)})*")
# A problem or its cause right before a name: "ปัญหาการเปลี่ยนแปลงสภาพภูมิอากาศ" is a topic.
_PROBLEM_BEFORE = re.compile(
    rf"(?:{trie(PROBLEM_WORDS)})[ \t]*(?:ของ|จาก|ต่อ)?[ \t]*(?:การ)?\Z")


def check_sdg(answer: Answer) -> Iterator[Gap]:
    """Report an answer that cites no Sustainable Development Goal."""
    if find_citation(answer.text) is None:
        yield Gap("no_sdg", reason="sdg: no goal number (1-17) after SDG/Goal/เป้าหมายที่, "
                                   "and no goal name framed by the SDGs")


def find_citation(text: str) -> tuple[int, int] | None:
    """Return the span of the first SDG citation in ``text``, or None."""
    found = [span for span in (_by_number(text), _by_name(text)) if span is not None]
    return min(found) if found else None


def _by_number(text: str) -> tuple[int, int] | None:
    """Return the span of the first goal cited by number."""
    for m in _SDG_NUMBER.finditer(text):
        if 1 <= int(m["n"]) <= 17:
            return m.span()
    for m in _GOAL_NUMBER.finditer(text):  # "ที่ 6" in n, a target's goal ("2.4") in t
        if 1 <= int(m["n"] or m["t"]) <= 17 and (
                m["sdg"] or _NAME.search(text, m.end(), m.end() + NAME_AFTER_NUMBER)
                or _SDG_MARKER.search(text, *_paragraph(text, m.start()))):
            return m.span()
    return None


def _by_name(text: str) -> tuple[int, int] | None:
    """Return the span of the first goal name the SDGs frame."""
    for m in _NAME.finditer(text):
        if _framed(text, m.start(), m.end()):
            return m.span()
    return None


def _framed(text: str, start: int, end: int) -> bool:
    """Tell whether the goal name at ``text[start:end]`` is cited as an SDG."""
    low = max(0, start - LOOK_BACK)
    if _PROBLEM_BEFORE.search(text, max(low, start - 20), start):
        return False
    nearest = None
    for m in _FRAMEWORK.finditer(text, low, start):
        nearest = m
    if nearest is not None and nearest["sdg"]:
        return bool(_GLUE.fullmatch(text, nearest.end(), start) or _TITLE_ONLY.fullmatch(
            text, start, end))
    if nearest is None and (_TITLE_ONLY.fullmatch(text, start, end) or _GOAL_WORD_BEFORE.search(
            text, max(low, start - 30), start)):
        return True
    after = _SDG_MARKER.search(text, end, min(_paragraph(text, end)[1], end + MARKER_AFTER))
    return bool(after and _GLUE.fullmatch(text, end, after.start()))


def _paragraph(text: str, at: int) -> tuple[int, int]:
    """Return the (start, end) of the paragraph (line) holding ``at``."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end
