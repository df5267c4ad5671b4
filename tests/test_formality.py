"""Tests for bot.analysis.formality (chat-style writing) and bot.analysis.repeats (text pasted
twice): what is flagged, the hard negatives formal Thai is full of, and the spans."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.formality import find_informal
from bot.analysis.repeats import MIN_PARAGRAPH, find_repeats
from bot.rubrics import default_rubrics


def informal(text: str) -> str | None:
    """Return the quoted bit of the first informal writing in ``text``, or None."""
    gaps = list(find_informal(Answer(text)))
    assert len(gaps) <= 1
    return gaps[0].quote if gaps else None


INFORMAL = [
    ("ผลงานดีมาก 555", "555"),
    ("ชาวบ้านชอบมาก5555+", "5555+"),
    ("ทำได้ 555", "555"),
    ("ประชาชนพอใจ 😀 มาก", "😀"),
    ("ขอบคุณทุกฝ่าย 🙏🏻", "🙏🏻"),
    ("ชุมชนน่ารัก ❤️", "❤️"),
    ("ดีมากกกก", "ดีมากกกก"),
    ("ขอบคุณค่าาา", "ขอบคุณค่าาา"),
    ("ดีมากๆๆ", "ๆๆ"),
    ("สวยมาก ๆ ๆ", "ๆ ๆ"),
    ("ได้ผลดีจ้า", "ได้ผลดีจ้า"),
    ("ส่งเอกสารเรียบร้อยแล้วค่ะ", "เรียบร้อยแล้วค่ะ"),  # the particle and two words
    ("เข้าใจเลยครับ เป็นเรื่องที่ดี", "เข้าใจเลยครับ"),
    ("ช่วยดูให้หน่อยนะคะ", "ให้หน่อยนะคะ"),
    ("เยี่ยม!!", "!!"),
    ("จริงหรือ??", "??"),
    ("สบายดี :)", ":)"),
    ("ฮ่าๆ ดีใจ", "ฮ่าๆ"),
    ("#SDGs #เลิศรัฐ", "#SDGs"),
    ("#76จังหวัด76คำมั่นสัญญา", "#76จังหวัด76คำมั่นสัญญา"),
    ("ส่งรูปให้แล้ว [Sticker]", "[Sticker]"),
]

FORMAL = [
    "ผู้รับบริการ 555 ราย",          # a count
    "จำนวน 555",
    "ราคา 5555 บาท",
    "ปริมาณน้ำ 5,555 ลูกบาศก์เมตร",
    "โทร 02 555 1234",               # a phone number
    "555-1234",
    "ตัวชี้วัด | 555 | 600",          # a table cell
    "ปี 2555",
    "ข้อ 5.5.5",
    "ภาคส่วนต่าง ๆ ร่วมมือ",           # ๆ used properly
    "หน่วยงานต่างๆ",
    "เลขที่ ๑๑๑ หมู่ ๕",               # Thai digits
    "ระบบบริหารจัดการข้อมูล",          # three บ where words meet
    "ยื่นคำขอออนไลน์",                 # three อ where words meet
    "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ (สสส.)",
    "กรรมการธรรมาภิบาล",
    "ได้คะแนน 4.5 คะแนนเฉลี่ยสูงสุด",  # คะแนน is no particle
    'ผู้รับบริการกล่าวว่า "สะดวกมากครับ"',   # someone's words, quoted
    "ผู้สูงอายุเล่าว่า “ไม่ต้องรอนานแล้วค่ะ” และ",
    "✓ ลดขั้นตอน ➢ ลดเวลา ☎ 0 7537 8609 ★ ผลงานเด่น ❶ ข้อแรก",
    "ข้อ #3 ของแบบฟอร์ม",
    "ชุมชนเป็นเจ้า ภาพร่วม",           # the จ้า of เจ้า
    "ISO 9001:2015",
]


@pytest.mark.parametrize("text, bit", INFORMAL, ids=[t for t, _ in INFORMAL])
def test_informal_writing_is_quoted(text, bit):
    assert informal(text) == bit


@pytest.mark.parametrize("text", FORMAL)
def test_formal_thai_is_not_flagged(text):
    assert informal(text) is None


def test_informal_gap_spans_its_bit_with_a_reason():
    text = "ผลการดำเนินงานดีมาก 555 ขอบคุณครับ"
    gap = next(find_informal(Answer(text)))
    assert text[gap.span[0]:gap.span[1]] == "555" and gap.reason == "formality: laugh '555'"


def test_one_informal_finding_per_answer():
    rubric = default_rubrics().get("public_service", 2564)
    report = analyze("ดีมาก 555 😀 ขอบคุณค่ะ #เลิศรัฐ", rubric.question(8), rubric)
    assert report.codes.count("informal") == 1


# --- Repeated text ---------------------------------------------------------------------

SENTENCE = ("ในปีงบประมาณ 2564 ผู้ยื่นคำขอ 1,250 ราย ได้รับใบอนุญาตผ่านระบบออนไลน์ "
            "ระยะเวลาลดลงจาก 15 วัน เหลือ 3 วัน และค่าใช้จ่ายลดลงร้อยละ 37 "
            "เพราะไม่ต้องเดินทางมายื่นเอกสารที่สำนักงานด้วยตนเอง")


@pytest.mark.parametrize("first, second", [
    (SENTENCE + "\n", SENTENCE),                                 # a paragraph pasted twice
    (SENTENCE + "\n\n", SENTENCE.replace(" ", "  ")),            # the same but for spaces
    (SENTENCE + " ", SENTENCE),                                  # twice on one line
    ("บทนำของคำตอบ " + SENTENCE + " และ ", SENTENCE + " จบ"),     # inside a paragraph
], ids=["paragraph", "whitespace", "one_line", "inside"])
def test_repeat_is_found_on_the_second_copy(first, second):
    text = first + second
    gap = next(find_repeats(Answer(text)))
    assert gap.span[0] == len(first)
    assert "".join(text[gap.span[0]:gap.span[1]].split()) == "".join(SENTENCE.split())
    assert gap.quote.startswith(SENTENCE[:30]) and gap.reason.startswith("repeats:")


LAW = "พระราชบัญญัติการอำนวยความสะดวกในการพิจารณาอนุญาตของทางราชการ พ.ศ. 2558"


@pytest.mark.parametrize("text", [
    "ผลลัพธ์\nผลลัพธ์\nผู้รับบริการ (ราย) | 120\nผู้รับบริการ (ราย) | 120",   # short lines recur
    "ปี 2563\nความพึงพอใจของผู้รับบริการในภาพรวม\nร้อยละ 85\n"
    "ปี 2564\nความพึงพอใจของผู้รับบริการในภาพรวม\nร้อยละ 90",                 # a table's labels
    f"ปรับปรุงตาม{LAW} โดยลดขั้นตอน และรายงานผลตาม{LAW} ทุกไตรมาส",        # a long name twice
    "ผู้รับบริการมีความพึงพอใจต่อการให้บริการในระดับมากที่สุด ร้อยละ 45\n"
    "ผู้รับบริการมีความพึงพอใจต่อการให้บริการในระดับมาก ร้อยละ 40",         # parallel items
    "ก" * 300,                                                            # one long run
    "5" * 400,
    SENTENCE,
])
def test_no_repeat(text):
    assert list(find_repeats(Answer(text))) == []


def test_a_line_just_long_enough_repeats():
    line = "ก" * MIN_PARAGRAPH
    assert len(list(find_repeats(Answer(line + "\n" + line)))) == 1
    assert list(find_repeats(Answer(line[1:] + "\n" + line[1:]))) == []


def test_stretch_is_read_in_the_officers_text_and_spanned_there():
    # The repairs of pasted PDF text fold doubled vowels ("ค่าาา" → "ค่า"); the check reads
    # what the officer typed, and the finding's span points into it.
    rubric = default_rubrics().get("public_service", 2564)
    text = "ผู้รับบริการ 1,200 ราย ส่งเอกสารเรียบร้อยค่าาา"
    found = next(f for f in analyze(text, rubric.question(8), rubric).findings
                 if f.code == "informal")
    assert text[found.span[0]:found.span[1]] == found.quote == "เรียบร้อยค่าาา"
