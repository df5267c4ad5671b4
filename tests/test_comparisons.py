"""Tests for bot.analysis.comparisons: before/after comparisons however an officer phrases them,
and the passages that only look like one."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.comparisons import check_before_after, find_comparisons
from bot.analysis.tables import tables
from bot.rubrics import default_rubrics


def first_rule(text: str) -> str | None:
    """Return the rule of the first comparison found in ``text``, or None."""
    return next((c.rule for c in find_comparisons(Answer(text))), None)


COMPARES = [
    # a year between "จาก" and the old value, and the new value before "เพิ่มขึ้นจาก"
    ("เพิ่มขึ้นจาก ปี พ.ศ. 2565 (จำนวน 35 อำเภอ) เป็น ปี พ.ศ. 2566 (จำนวน 77 อำเภอ)", "from_to"),
    ("ผ่านการรับรองมาตรฐานจำนวนทั้งสิ้น 43 อำเภอ เพิ่มขึ้นจาก ปี พ.ศ. 2565 (จำนวน 35 อำเภอ)",
     "changed_from"),
    ("มีผู้ยื่นข้อเสนอแนะ 58 เรื่อง จากเดิมปีละ 6 เรื่อง", "changed_from"),
    ("สัดส่วนคนจนลดลงจากปี 2561 ที่มีอยู่จำนวน 6.7 ล้านคนมาอยู่ที่จำนวน 4.3 ล้านคนในปี 2562",
     "from_to"),
    ("ผลผลิตข้าวเพิ่มขึ้นจาก ๒๘๐ กิโลกรัมต่อไร่ เป็น ๔๖๕ กิโลกรัมต่อไร่", "from_to"),
    ("เดิมผู้ป่วยต้องรอรับยา 4 ชั่วโมง หลังการพัฒนาระบบคิว เหลือ 40 นาที", "from_to"),
    ("ค่าเฉลี่ยลดลงเล็กน้อยจาก 4.665 มาเปน 4.623", "from_to"),
    # change with an amount, percent change
    ("ระยะเวลารอคอยลดลงเหลือ 15 นาที", "change"),
    ("ผู้ใช้งานเพิ่มขึ้นร้อยละ 240 เมื่อเทียบกับปี 2563", "change"),
    ("ระบบคิวออนไลน์ช่วยลดเวลารอคอยของผู้ป่วยลง 45 นาที", "change"),
    ("ออกใบอนุญาตได้รวดเร็วกว่าเดิม 3 เท่า", "change"),
    # states: old and new, before and when
    ("แต่เดิมเกษตรกรต้องเดินทางมายื่นคำขอด้วยตนเอง ปัจจุบันยื่นคำขอผ่านระบบออนไลน์ได้จากบ้าน",
     "states"),
    ("ก่อนมีกองทุน สมาชิกต้องกู้เงินนอกระบบดอกเบี้ยร้อยละ 20 ต่อเดือน เมื่อกลุ่มตั้งกองทุนแล้ว "
     "สมาชิกกู้ได้ในอัตราร้อยละ 1 ต่อเดือน", "states"),
    # instead of
    ("ประชาชนใช้บัตรประจำตัวประชาชนใบเดียวแทนสำเนาเอกสาร 5 ฉบับ", "instead"),
    # two years, tables and one cell per line
    ("ปี 2563 มีผู้รับบริการ 3,200 ราย ปี 2564 มีผู้รับบริการ 5,800 ราย", "two_years"),
    ("ปีงบประมาณ 65 มีผู้ใช้ 1,200 ราย และปีงบประมาณ 66 มีผู้ใช้ 2,500 ราย", "two_years"),
    ("ระยะเวลารอคอยลดลงครึ่งหนึ่ง", "change"),
    ("อัตราการขาดนัดลดลงจากร้อยละ 31 เหลือร้อยละ 8", "from_to"),
    ("ปัจจุบันผู้ป่วยรอรับยาเพียง 30 นาที (เดิม 3 ชั่วโมง)", "states"),
    ("ผลผลิตต่อไร่สูงกว่าก่อนเข้าร่วมโครงการร้อยละ 30", "change"),
    ("ลดค่าใช้จ่ายของประชาชนได้ปีละ 2.5 ล้านบาท", "change"),
    ("ลดลงจากเดิมที่ต้องใช้เวลา 7 วัน เหลือ 1 วัน", "from_to"),
    ("ตัวชี้วัด\tปี 2565\tปี 2566\nผู้รับบริการ\t120 ราย\t450 ราย", "table"),
    ("ตัวชี้วัด    พ.ศ. 2565    พ.ศ. 2566\nผู้รับบริการ (ราย)    ๑๒๐    ๔๕๐", "table"),
    ("รายการ | ก่อน | หลัง\nระยะเวลา | 7 วัน | 1 วัน", "table"),
    ("จำนวนผู้รับบริการ\nปี 2565\n1,520\nปี 2566\n3,410", "lines"),
]

NOT_COMPARISONS = [
    "ดำเนินโครงการตั้งแต่ 1 ตุลาคม 2563 ถึง 30 กันยายน 2564 มีเกษตรกรเข้าร่วม 860 ราย",
    "เกษตรกร 120 ราย ปลูกข้าว 450 ไร่",
    "มีผู้สนใจส่งโครงการเข้ามาจากทั่วประเทศจำนวน 139 ทีม ผ่านการคัดเลือกเหลือ 80 โครงการ",
    "ปี 2563 มีผู้รับบริการ 3,200 ราย ปี 2564 ปลูกป่า 50 ไร่",
    "เกษตรกรไถกลบตอซังแทนการเผา",
    "เกิดคณะทำงานจำนวน 23 คน จากตัวแทน 6 กลุ่มบ้าน",
    "เกษตรกรมีรายได้เพิ่มขึ้นจากเดิม เมื่อมีการส่งเสริมองค์ความรู้",
    "วิเคราะห์ผลการดำเนินงานเปรียบเทียบกับเป้าหมายตามแผน",
    "ผลผลิตเพิ่มขึ้น ต้นทุนลดลง และคุณภาพชีวิตดีขึ้น",
    "เกษตรกรปลูกพืชตามภูมิปัญญาดั้งเดิม ปัจจุบันยังคงสืบทอดกันมา",
    "ยังไม่มีการเปรียบเทียบผลก่อนและหลัง",
    "ปีที่ดำเนินการ\t2562\t2563\t2564\nสถานะ\tนำร่อง\tขยายผล\tครบทุกตำบล",
    "ผลผลิตของเกษตรกรคิดเป็นร้อยละ 40 ของจังหวัด",
    "จากการสำรวจผู้รับบริการ 400 ราย ส่วนใหญ่เป็นผู้สูงอายุ 250 ราย",
    "ผู้ตอบแบบสอบถาม 400 ราย เป็นเพศหญิง 250 ราย",
    "ตั้งเป้าลดระยะเวลาจาก 7 วัน เหลือ 3 วัน",
    "คาดว่าจะลดเวลารอคอยได้ครึ่งหนึ่ง",
    "โครงการจะช่วยเพิ่มรายได้ให้ชุมชนร้อยละ 20",
]


@pytest.mark.parametrize("text, rule", COMPARES, ids=[t for t, _ in COMPARES])
def test_comparison_is_found_however_phrased(text, rule):
    assert first_rule(text) == rule


@pytest.mark.parametrize("text", NOT_COMPARISONS)
def test_passage_that_only_looks_like_a_comparison_is_none(text):
    assert list(find_comparisons(Answer(text))) == []


def test_comparison_span_covers_its_words():
    answer = Answer("ผลผลิตข้าวเพิ่มขึ้นจาก 280 กิโลกรัมต่อไร่ เป็น 465 กิโลกรัมต่อไร่ ในปี 2564")
    comparison = next(find_comparisons(answer))
    assert answer.text[comparison.start:comparison.end] == "จาก 280 กิโลกรัมต่อไร่ เป็น 465 กิโลกรัม"


def test_comparison_in_pasted_pdf_text_maps_back_to_the_officers_words():
    pasted = "ผลผลิตเพิ่มขึ้นจาก 280 กิโลกรัม เป็น 465 กิโลกรัม ท่ีดินดีขึ้น"
    answer = Answer(pasted)
    comparison = next(find_comparisons(answer))
    left, right = answer.to_original((comparison.start, comparison.end))
    assert pasted[left:right] == "จาก 280 กิโลกรัม เป็น 465 กิโลกรัม"


def test_missing_comparison_has_no_span_and_says_what_came_close():
    gap, = check_before_after(Answer("ผลผลิตของเกษตรกรเพิ่มขึ้น และต้นทุนลดลง"))
    assert (gap.code, gap.span) == ("no_before_after", None)
    assert gap.reason == "before_after: change word 'เพิ่มขึ้น' at 16 without an amount"


def test_comparison_written_in_a_table_of_spaces_is_not_asked_for_again():
    text = ("ผลการดำเนินงานเทียบก่อนและหลังการพัฒนาระบบ\n"
            "ตัวชี้วัด              ก่อนพัฒนา        หลังพัฒนา\n"
            "ระยะเวลาให้บริการ     ๗ วัน            ๑ วัน\n"
            "ผู้รับบริการ (ราย)      ๑,๒๐๐           ๓,๔๐๐")
    rubrics = default_rubrics()
    rubric = rubrics.get("public_service", rubrics.latest_year)
    assert "no_before_after" not in analyze(text, rubric.question(6), rubric).codes


@pytest.mark.parametrize("text, cells", [
    ("ตัวชี้วัด    ปี 2565    ปี 2566\nผู้รับบริการ    120 ราย    450 ราย",
     [["ตัวชี้วัด", "ปี 2565", "ปี 2566"], ["ผู้รับบริการ", "120 ราย", "450 ราย"]]),
    ("พอใจมาก 25.0 20.0 26.3\nพอใจน้อย 5.0 4.1 3.3",
     [["พอใจมาก", "25.0", "20.0", "26.3"], ["พอใจน้อย", "5.0", "4.1", "3.3"]]),
    ("ก | ข | ค\n||||\n1 | 2 | 3", [["ก", "ข", "ค"], ["1", "2", "3"]]),
    ("ระดับความพึงพอใจ      ปี 2565   ปี 2566\n\nพอใจมาก      10.6    14.6",
     [["ระดับความพึงพอใจ", "ปี 2565", "ปี 2566"], ["พอใจมาก", "10.6", "14.6"]]),
])
def test_pasted_tables_are_read_into_cells(text, cells):
    assert [[c.text for c in row] for table in tables(text) for row in table] == cells


@pytest.mark.parametrize("text", [
    "ผู้รับบริการพึงพอใจมาก  ทั้งนี้เจ้าหน้าที่ทำงานเร็ว",        # two spaces between sentences
    "ผลผลิตเพิ่มขึ้น  ต้นทุนลดลง\nรายได้ดีขึ้น  หนี้สินลดลง",      # no number, no year
    "ผู้ป่วย 1,200 ราย  รอรับยา 3 ชั่วโมง",                      # one line alone
])
def test_prose_with_double_spaces_is_no_table(text):
    assert tables(text) == []
