"""Before and after: does the answer compare an indicator's value at two times or states?

A comparison is two values of one indicator, or two described states, however phrased.
:func:`find_comparisons` returns each one found with its span and the rule that found it:

* ``from_to`` — "จาก X … เป็น/เหลือ/สู่ Y" with a value on each side, whatever stands between
  the cue and the old value ("เพิ่มขึ้นจาก ปี พ.ศ. 2565 (จำนวน 35 อำเภอ) เป็น ปี พ.ศ. 2566
  (จำนวน 77 อำเภอ)": years are dates, so the values are 35 and 77 อำเภอ); "จากเดิม",
  "เดิม … เหลือ". The two values must be one indicator (the same unit, or units that
  convert: "139 ทีม … 80 โครงการ" are two), "จากการสำรวจ / จากข้อมูล" name a source, and only
  a year or an amount word may stand between the to-word and the new value ("เป็นเพศหญิง
  250 ราย" is a breakdown).
* ``changed_from`` — a value, then "เพิ่มขึ้นจาก/ลดลงจาก/จากเดิม" and the old value on the
  same line ("43 อำเภอ เพิ่มขึ้นจาก ปี พ.ศ. 2565 (จำนวน 35 อำเภอ)", "58 เรื่อง จากเดิมปีละ
  6 เรื่อง").
* ``change`` — a change word with an amount ("ลดลง 3 วัน", "เพิ่มขึ้นร้อยละ 40", "ลดลงเหลือ
  15 นาที", "ลดต้นทุนได้ร้อยละ 20", "ลดเวลารอคอยลง 45 นาที", "เร็วกว่าเดิม 3 เท่า",
  "ลดลงครึ่งหนึ่ง", "เพิ่มขึ้นเท่าตัว").
* ``states`` — an old-state marker followed in the same paragraph (within 250 characters)
  by a new-state marker: เดิม / แต่เดิม / ก่อน(การพัฒนา|มี|ใช้ …) / ก่อนหน้านี้ / ในอดีต,
  then ปัจจุบัน / หลัง(การพัฒนา …) / ภายหลัง / แบบใหม่ / เหลือ (with a value); also
  ปัจจุบัน … แต่เดิม / (เดิม …), and ก่อน(มี|ใช้ …) … เมื่อ … ("ก่อนมีกองทุน … เมื่อกลุ่มตั้ง
  กองทุนแล้ว …"). "ดั้งเดิม" (traditional) is no old state.
* ``instead`` — "แทน…" with a count in the sentence ("ใช้บัตรใบเดียวแทนสำเนาเอกสาร 5 ฉบับ").
* ``compared`` — เทียบกับ / เปรียบเทียบ / เมื่อเทียบ with a value (not a year or an item
  number) on the same line or followed by ก่อน / ปีก่อน / เดิม, not negated (a method named
  "การวิเคราะห์เปรียบเทียบ" compares nothing).
* ``two_years`` — a measured value of the same kind and unit after each of two different
  years ("ปี 2563 … 120 ราย ปี 2564 … 450 ราย", "ปีงบประมาณ 65 … ปีงบประมาณ 66 …").
* ``table`` — a pasted table (tabs, pipes or columns of spaces) whose header has two years
  or a before/after word, with a row holding two numbers (units and Thai digits allowed).
* ``lines`` — a table pasted one cell per line: two year or before/after labels each
  followed on the next line by a number.

Not comparisons: a planned or projected change ("ตั้งเป้าลดเวลาจาก 7 วัน เหลือ 3 วัน",
"คาดว่าจะลดเวลาได้ครึ่งหนึ่ง"), a date range ("1 ตุลาคม 2563 ถึง 30 กันยายน 2564"), two
unrelated numbers, change words without any amount ("ผลผลิตเพิ่มขึ้น"), "แทนการเผา" with no
count, "ตัวแทน 6 กลุ่ม".
``no_before_after`` concerns the whole answer, so it has no span; its reason says what was
close (a change word without an amount, an old state without a new one).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import DIGITS, NUMBER, WORD_NUMBER, trie
from bot.analysis.numbers import UNIT, Quantity, bare_number, is_year_like
from bot.analysis.roles import DATE, LABEL_ROLES, PLANNED_ROLES, RESULT
from bot.analysis.sentences import sentence_span
from bot.analysis.tables import has_table, tables

_NUMLIKE = rf"(?:{NUMBER}|{WORD_NUMBER})"
_AMOUNT = (rf"(?:ร้อยละ[ ]?+{_NUMLIKE}|{_NUMLIKE}[ ]?+(?:ล้าน|แสน|หมื่น)?(?:{UNIT})"
           r"|ครึ่งหนึ่ง|เท่าตัว|หนึ่งเท่า)")
_FILLERS = ("ได้|ถึง|กว่า|เฉลี่ย|ประมาณ|คิดเป็น|ราว|จาก|เดิม|เหลือ|เป็น|เพียง|อยู่ที่|มา|ปีละ|เดือนละ"
            "|วันละ|ครั้งละ|รายละ")
# Runs of filler words are bounded and possessive ({0,6}+) so that a text stuffed with them
# stays linear.
_CHANGE_WORDS = ("ลดลง", "เพิ่มขึ้น", "สูงขึ้น", "ต่ำลง", "น้อยลง", "สั้นลง", "เร็วขึ้น", "มากขึ้น",
                 "ดีขึ้น", "ลดเหลือ", "เหลือเพียง", "กว่าเดิม", "เติบโต", "ขยายตัว", "ประหยัดได้")
_CHANGE_WORD = re.compile(trie(_CHANGE_WORDS))
_CHANGE = re.compile(  # ลดลง 3 วัน / เพิ่มขึ้นร้อยละ 40
    rf"(?:{trie(_CHANGE_WORDS)})(?:{_FILLERS}|[ \t]+){{0,6}}+{_AMOUNT}")
_COMPARATIVE = re.compile(  # สูงกว่าก่อนเข้าร่วมโครงการร้อยละ 30 / เร็วกว่าเดิม 3 เท่า
    rf"(?:สูง|มาก|น้อย|ต่ำ|เร็ว|ดี|ถูก|สั้น)กว่า(?:ก่อน|เดิม)[^\n\d]{{0,30}}?{_AMOUNT}")
_CHANGE_OBJECT = re.compile(  # ลดต้นทุนการผลิตได้ร้อยละ 20 / ลดเวลารอคอยลง 45 นาที
    rf"(?:ลด|เพิ่ม)[^\s\d]{{0,30}}?(?:ได้|ลง|ขึ้น)(?:{_FILLERS}|[ \t]+){{0,6}}+{_AMOUNT}")
_CHANGED_FROM = re.compile(rf"(?:{trie((*_CHANGE_WORDS, 'เพิ่ม', 'ลด'))})[ ]?จาก|จากเดิม")
# "จากการสำรวจ 400 ราย", "จากข้อมูล …", "จากทั้งหมด …" name a source or a whole, not an old value.
_FROM = re.compile(trie(("จาก", "จากเดิม", "เดิม", "แต่เดิม", "เดิมที"))
                   + "(?!การ|ข้อมูล|ผลการ|ผู้ตอบ|แบบสอบถาม|กลุ่มตัวอย่าง|ทั้งหมด|ทั่ว|ทุก)")
# Between a to-word and the new value only a year, an amount word or punctuation may stand:
# "เป็น ปี พ.ศ. 2566 (จำนวน 77 อำเภอ)", but not "เป็นเพศหญิง 250 ราย".
_TO_GAP = re.compile(r"(?:ปี|พ\.ศ\.|ค\.ศ\.|ในปี|จำนวน|ร้อยละ|เพียง|เฉลี่ย|ประมาณ|ราว|อยู่ที่|ค่า|"
                     rf"งบประมาณ|ปีละ|เดือนละ|วันละ|[\s{DIGITS}().,:/-])*+")
_TO = re.compile(trie(("เป็น", "เปน", "มาเปน", "เหลือ", "สู่", "มาเป็น", "ลดลงเหลือ", "เพิ่มเป็น",
                       "เพิ่มขึ้นเป็น", "ลดเหลือ", "เหลือเพียง", "มาอยู่ที่", "ลดลงมาอยู่ที่")))
_FROM_REACH, _TO_REACH, _AFTER_TO_REACH = 80, 60, 80
_STAGE = r"(?:การ|เริ่ม|มี|ดำเนิน|ปรับ|พัฒนา|ใช้|เข้าร่วม|นำ|จัดทำ|ทำ|ได้รับ|เปิด|ติดตั้ง)"
_OLD = re.compile(rf"(?<!ดั้ง)เดิม|ก่อน{_STAGE}|ก่อนหน้านี้|ในอดีต")
_NEW = re.compile(rf"ปัจจุบัน|หลัง{_STAGE}|ภายหลัง|แบบใหม่|ขั้นตอนใหม่|ระบบใหม่"
                  rf"|วิธีใหม่|ขณะนี้|เหลือ(?:เพียง)?[ ]?+(?:{_NUMLIKE}|หนึ่ง|เดียว)")
_BEFORE_STAGE = re.compile(rf"ก่อน{_STAGE}|ก่อนหน้านี้")
_WHEN = re.compile("เมื่อ(?!วันที่|ปี|เดือน|ครั้ง)|หลังจาก")
_NOW = re.compile("ปัจจุบัน")
_FORMERLY = re.compile(trie(("แต่เดิม", "จากเดิม", "เดิมที", "ก่อนหน้านี้", "ในอดีต", "(เดิม")))
_PAIR_REACH = 250
_PROJECTION = re.compile(trie(("คาดว่า", "คาดการณ์", "ประมาณการ", "จะ", "มีแผน", "ตั้งเป้า",
                               "เป้าหมาย", "ในอนาคต")))
_PROJECTION_REACH = 80
_CONVERTIBLE = frozenset({"time", "money", "area", "measure", "percent", "ratio", "score"})
_INSTEAD = re.compile("(?<!ตัว)(?<!ผู้)แทน(?!ค่า|ตัว|ที่จะ|คุณ)")
_ONE = re.compile(rf"[{DIGITS}]|เดียว|หนึ่ง")
_COMPARE = re.compile(trie(("เทียบกับ", "เปรียบเทียบ", "เมื่อเทียบ")))
_NEGATED_BEFORE = ("ไม่มีการ", "ไม่ได้", "ยังไม่", "ไม่มี")
_COMPARE_REACH = 60
_COMPARED_TO = re.compile("(?:กับ)?[ ]?(?:ก่อน|ปีก่อน|ปีที่ผ่านมา|เดิม|ช่วงเดียวกัน)")
_YEAR_MENTION = re.compile(
    rf"(?:ปี|พ\.ศ\.)[ \t]*(?:พ\.ศ\.[ \t]*)?(?P<year>(?:25|๒๕)[{DIGITS}]{{2}})(?![{DIGITS}])")
_YEAR_REACH = 120
_YEAR_WORDS = frozenset({"ปี", "ปีงบประมาณ", "พ.ศ.", "พ.ศ", "ปีการศึกษา"})
_STAGE_CELL = re.compile(r"ก่อน|หลัง|เดิม|ปัจจุบัน")


class Comparison(NamedTuple):
    """A before/after comparison: where it is and which rule found it."""

    start: int
    end: int
    rule: str


def check_before_after(answer: Answer) -> Iterator[Gap]:
    """Report an answer that never compares before with after."""
    for _ in find_comparisons(answer):
        return
    yield Gap("no_before_after", reason=_near_miss(answer))


def find_comparisons(answer: Answer) -> Iterator[Comparison]:
    """Yield the comparisons of the answer that were measured, those with both values first.

    A comparison with a planned value in it ("ตั้งเป้าลดเวลาจาก 7 วัน เหลือ 3 วัน"), or a change
    in a sentence that projects it ("คาดว่าจะลดเวลาได้ครึ่งหนึ่ง"), compares nothing yet.
    """
    planned = [q.start for q in answer.numbers if q.role in PLANNED_ROLES]
    for comparison in _candidates(answer):
        if not _planned(answer, planned, comparison):
            yield comparison


def _planned(answer: Answer, planned: list[int], comparison: Comparison) -> bool:
    """Tell whether a comparison holds a planned value or projects a change."""
    i = bisect.bisect_left(planned, comparison.start)
    if i < len(planned) and planned[i] < comparison.end:
        return True
    if comparison.rule != "change":
        return False
    text = answer.text
    low = max(sentence_span(text, comparison.start, comparison.end)[0],
              comparison.start - _PROJECTION_REACH)
    return _PROJECTION.search(text, low, comparison.start) is not None


def _candidates(answer: Answer) -> Iterator[Comparison]:
    """Yield every comparison the rules find, those with both values first."""
    text = answer.text
    yield from _from_to(answer)
    yield from _changed_from(answer)
    for pattern in (_CHANGE, _CHANGE_OBJECT, _COMPARATIVE):
        for m in pattern.finditer(text):
            yield Comparison(m.start(), m.end(), "change")
    yield from _compared(answer)
    yield from _paired(text, _OLD, _NEW, "states")
    yield from _paired(text, _NOW, _FORMERLY, "states")
    yield from _paired(text, _BEFORE_STAGE, _WHEN, "states")
    yield from _instead(answer)
    yield from _two_years(answer)
    if has_table(text):
        yield from _table_comparisons(text)
    if "\n" in text:
        yield from _line_comparisons(answer)


def _values(answer: Answer) -> tuple[list[int], list[Quantity]]:
    """Return the numbers that can be values (not dates, ordinals …) and where they start."""
    values = [q for q in answer.numbers if q.role not in LABEL_ROLES]
    return [q.start for q in values], values


def _from_to(answer: Answer) -> Iterator[Comparison]:
    """Yield "จาก X … เป็น Y": a value after the cue, a to-word after it, a value after that."""
    text = answer.text
    starts, values = _values(answer)
    if len(values) < 2:
        return
    for m in _FROM.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if i >= len(values) - 1 or values[i].start - m.end() > _FROM_REACH:
            continue
        old = values[i]
        to = _TO.search(text, old.end, min(len(text), old.end + _TO_REACH))
        if to is None or "\n" in text[m.start():to.start()] or _is_ratio_word(text, to.start()):
            continue
        j = bisect.bisect_left(starts, to.end())
        if j < len(values) and values[j].start - to.end() <= _AFTER_TO_REACH \
                and _TO_GAP.fullmatch(text, to.end(), values[j].start) \
                and _same_indicator(old, values[j]):
            yield Comparison(m.start(), values[j].end, "from_to")


def _changed_from(answer: Answer) -> Iterator[Comparison]:
    """Yield "Y … เพิ่มขึ้นจาก X": a new value, then a change from an old one on the same line."""
    text = answer.text
    starts, values = _values(answer)
    for m in _CHANGED_FROM.finditer(text):
        i = bisect.bisect_left(starts, m.end())
        if i == 0 or i == len(values):
            continue
        new, old = values[i - 1], values[i]
        if m.start() - new.end <= _FROM_REACH and old.start - m.end() <= _FROM_REACH \
                and "\n" not in text[new.start:old.end] and _same_indicator(old, new):
            yield Comparison(new.start, old.end, "changed_from")


def _is_ratio_word(text: str, at: int) -> bool:
    """Tell whether a to-word is part of "คิดเป็น" (a share, not a new value)."""
    return text.endswith("คิด", 0, at)


def _same_indicator(old: Quantity, new: Quantity) -> bool:
    """Tell whether two values can be the same indicator.

    Either is a bare number or amount, or both have the same unit, or both are of a kind
    whose units convert (2 ชั่วโมง → 15 นาที); "139 ทีม … 80 โครงการ" are two indicators.
    """
    loose = ("number", "amount")
    if old.kind in loose or new.kind in loose or old.unit == new.unit:
        return True
    return old.kind == new.kind and old.kind in _CONVERTIBLE


def _compared(answer: Answer) -> Iterator[Comparison]:
    """Yield เทียบกับ / เปรียบเทียบ with a number on its line, not negated.

    "วิเคราะห์ผลการดำเนินงานเปรียบเทียบ" names a method; "เพิ่มขึ้นร้อยละ 37 เมื่อเทียบกับปีก่อน"
    or "เทียบกับปี 2563" compares.
    """
    text = answer.text
    starts, _ = _values(answer)
    for m in _COMPARE.finditer(text):
        if text[max(0, m.start() - 10):m.start()].endswith(_NEGATED_BEFORE):
            continue
        low = max(text.rfind("\n", 0, m.start()) + 1, m.start() - _COMPARE_REACH)
        high = text.find("\n", m.end(), m.end() + _COMPARE_REACH)
        high = min(len(text), m.end() + _COMPARE_REACH) if high < 0 else high
        i = bisect.bisect_left(starts, low)
        if (i < len(starts) and starts[i] < high) or _COMPARED_TO.match(text, m.end()):
            yield Comparison(m.start(), m.end(), "compared")


def _paired(text: str, first: re.Pattern[str], then: re.Pattern[str],
            rule: str) -> Iterator[Comparison]:
    """Yield ``first`` followed by ``then`` within 250 characters of the same paragraph.

    Both are found once and paired by position, so a text stuffed with one of the words
    costs linear time.
    """
    thens = [(m.start(), m.end()) for m in then.finditer(text)]
    if not thens:
        return
    then_starts = [s for s, _ in thens]
    for m in first.finditer(text):
        i = bisect.bisect_left(then_starts, m.end())
        if i < len(thens) and thens[i][0] - m.end() <= _PAIR_REACH \
                and text.find("\n", m.end(), thens[i][0]) == -1:
            yield Comparison(m.start(), thens[i][1], rule)


def _instead(answer: Answer) -> Iterator[Comparison]:
    """Yield "แทน…" in a sentence that also counts something ("ใบเดียวแทนสำเนา 5 ฉบับ")."""
    text = answer.text
    for m in _INSTEAD.finditer(text):
        low, high = max(0, m.start() - 80), min(len(text), m.end() + 80)
        line_low = text.rfind("\n", low, m.start()) + 1 or low
        line_high = text.find("\n", m.end(), high)
        window = text[max(low, line_low):high if line_high < 0 else line_high]
        if _ONE.search(window):
            yield Comparison(m.start(), m.end(), "instead")


def _two_years(answer: Answer) -> Iterator[Comparison]:
    """Yield two different years each followed by a measured value."""
    text = answer.text
    mentions = [(q.start, year) for q in answer.numbers if (year := _year_of(q)) is not None]
    if len({year for _, year in mentions}) < 2:
        return
    results = [q for q in answer.numbers if q.role == RESULT and q.kind != "award"]
    starts = [q.start for q in results]
    seen: dict[tuple[str, str | None], tuple[int, int]] = {}  # indicator → (year, where)
    for i, (start, year) in enumerate(mentions):
        stop = mentions[i + 1][0] if i + 1 < len(mentions) else len(text)
        j = bisect.bisect_left(starts, start)
        if j == len(results) or results[j].start >= min(stop, start + _YEAR_REACH):
            continue
        indicator = (results[j].kind, results[j].unit)
        if indicator in seen and seen[indicator][0] != year:
            yield Comparison(seen[indicator][1], results[j].end, "two_years")
            return
        seen.setdefault(indicator, (year, start))


def _year_of(q: Quantity) -> int | None:
    """Return the Buddhist-era year a date number names ("2565", "ปี 65"), or None."""
    if q.role != DATE or q.unit is not None:
        return None
    if is_year_like(q.number):
        value = int(q.number)
        return value + 543 if value < 2400 else value
    if len(q.number) == 2 and q.number.isdigit() and q.cue in _YEAR_WORDS:
        return 2500 + int(q.number)  # "ปี 65", "ปีงบประมาณ 66"
    return None


def _table_comparisons(text: str) -> Iterator[Comparison]:
    """Yield pasted tables that compare years or before/after across their columns."""
    for table in tables(text):
        header, rows = table[0], table[1:]
        years = sum(1 for cell in header if _is_year_cell(cell.text))
        staged = any(_STAGE_CELL.search(cell.text) for cell in header)
        if years < 2 and not staged:
            continue
        for row in rows:
            if sum(1 for cell in row if bare_number(cell.text)) >= 2:
                yield Comparison(header[0].start, row[-1].end, "table")
                break


def _is_year_cell(cell: str) -> bool:
    """Tell whether a header cell names a year ("2563", "ปี 2563", "พ.ศ. 2563")."""
    number = bare_number(cell)
    return (number is not None and is_year_like(number)) or bool(_YEAR_MENTION.search(cell))


def _line_comparisons(answer: Answer) -> Iterator[Comparison]:
    """Yield two year or stage labels, each alone on a line with a number on the next line."""
    text = answer.text
    labelled: list[tuple[int, int]] = []
    lines = text.split("\n")
    start = 0
    for line, following in zip(lines, lines[1:], strict=False):
        stripped = line.strip()
        if 0 < len(stripped) <= 30 and (_is_year_cell(stripped) or (
                _STAGE_CELL.match(stripped) and not bare_number(stripped))) \
                and bare_number(following) is not None:
            labelled.append((start, start + len(line) + 1 + len(following)))
        start += len(line) + 1
    if len(labelled) >= 2:
        yield Comparison(labelled[0][0], labelled[-1][1], "lines")


def _near_miss(answer: Answer) -> str:
    """Say for developers what came closest to a comparison, if anything."""
    text = answer.text
    m = _CHANGE_WORD.search(text)
    if m:
        return f"before_after: change word '{m[0]}' at {m.start()} without an amount"
    m = _OLD.search(text)
    if m:
        return f"before_after: old state '{m[0]}' at {m.start()} without a new state or value"
    return "before_after: no from-to values, change with amount, old/new states or table"
