"""Before and after: does the answer compare an indicator's value at two times or states?

Accepted: "จาก X … เหลือ/เป็น Y" with two numbers; a change word with an amount
("ลดลง 3 วัน", "เพิ่มขึ้นร้อยละ 40", "ลดต้นทุนได้ร้อยละ 20", "ลดเวลารอคอยลง 45 นาที");
เดิม … ปัจจุบัน / แบบใหม่ in one paragraph; both a ก่อน(การพัฒนา…) and a หลัง(การพัฒนา…)
marker; เทียบกับ / เปรียบเทียบ; a measured value after each of two different years
("ปี 2563 … 120 ราย ปี 2564 … 450 ราย"); a table whose header has two years or ก่อน/หลัง and
a row with two numbers. A date range ("1 ตุลาคม 2563 ถึง 30 กันยายน 2564") is not one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import DIGITS, NUMBER, WORD_NUMBER, trie
from bot.analysis.quantities import UNIT, bare_number, is_year_like
from bot.analysis.tables import has_table, tables

_NUMLIKE = rf"(?:{NUMBER}|{WORD_NUMBER})"
_AMOUNT = rf"(?:ร้อยละ[ \t]*+{_NUMLIKE}|{_NUMLIKE}[ \t]*+(?:{UNIT}))"
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
