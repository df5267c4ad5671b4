"""Tests for bot.analysis.sdg: an SDG is cited by goal number or by a goal's name the SDGs
frame, never by topic words (a national plan's strategy, a problem being described)."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.sdg import GOAL_NAMES, check_sdg, find_citation
from bot.rubrics import default_rubrics

CITES = [
    # by number, every way it is written
    ("สอดคล้องกับ SDG 2 และ SDG 15", "SDG 2"),
    ("โครงการสนับสนุน SDG1 และ Goal 10 โดยเพิ่มรายได้", "SDG1"),
    ("สอดคล้องกับ SDGs ข้อ 12 แผนการบริโภคและการผลิตที่ยั่งยืน", "SDGs ข้อ 12"),
    ("ผลงานช่วยให้บรรลุเป้าหมายที่ ๖ การจัดการน้ำและสุขาภิบาล", "เป้าหมายที่ ๖"),
    ("สอดคล้องกับเป้าหมายการพัฒนาที่ยั่งยืน ข้อที่ 8 ของสหประชาชาติ", "เป้าหมายการพัฒนาที่ยั่งยืน ข้อที่ 8"),
    ("สนับสนุน SDG 2.4 ระบบการผลิตอาหารที่ยั่งยืน", "SDG 2"),
    ("ตอบโจทย์ SDGs : 3 ด้านสุขภาพ", "SDGs : 3"),
    ("เป้าหมายที่ 1 ขจัดความยากจน ของแผนงาน", "เป้าหมายที่ 1"),
    ("สอดคล้องกับ SDGs เป้าหมายย่อยที่ 2.4", "SDGs เป้าหมายย่อยที่ 2"),
    ("สอดคล้องกับเป้าประสงค์ 16.6 ของ SDGs", "เป้าประสงค์ 16"),
    # by name, framed by the SDGs
    ("SDG : ขจัดความอดอยาก", "ขจัดความอดอยาก"),
    ("สอดคล้องกับเป้าหมายการพัฒนาที่ยั่งยืน ได้แก่ ขจัดความยากจน และลดความเหลื่อมล้ำ", "ขจัดความยากจน"),
    ("สอดคล้องกับเป้าหมายการพัฒนาที่ยั่งยืน (SDGs) ดังนี้\n1) ลดความเหลื่อมล้ำ\n2) สังคมสงบสุข",
     "ลดความเหลื่อมล้ำ"),
    ("สอดคล้องกับ SDGs ขององค์การสหประชาชาติ ด้านการลดความเหลื่อมล้ำ", "ลดความเหลื่อมล้ำ"),
    ("ผลงานสอดคล้องกับเป้าหมายด้านการขจัดความยากจน", "ขจัดความยากจน"),
    ("โครงการช่วยขจัดความหิวโหย (SDGs) ในชุมชน", "ขจัดความหิวโหย"),
    ("ผลงานสอดคล้องกับเป้าหมายระบบนิเวศบนบก เพราะช่วยฟื้นฟูดินเสื่อมโทรม", "ระบบนิเวศบนบก"),
    ("The project supports Zero Hunger and Life on Land", "Zero Hunger"),
]

NOT_CITES = [
    # the SDGs named, no goal
    "ผลงานสอดคล้องกับเป้าหมายการพัฒนาที่ยั่งยืน (SDGs) ขององค์การสหประชาชาติ และหลักปรัชญาของเศรษฐกิจพอเพียง",
    "กระทรวงร่วมขับเคลื่อนเป้าหมาย SDGs ทั้ง 17 ข้อ ภายในปี 2030",
    # the SDGs described, not a goal the work serves
    "เป้าหมายการพัฒนาที่ยั่งยืนมีเป้าหมายเพื่อขจัดความยากจน ปกป้องโลก และสร้างสันติภาพ",
    # a national plan's strategy
    "สอดคล้องกับยุทธศาสตร์ชาติ ด้านการสร้างโอกาสและความเสมอภาค โดยขจัดความยากจน",
    "ยุทธศาสตร์ชาติมีเป้าหมายขจัดความยากจนและลดความเหลื่อมล้ำ",
    "SDGs เป็นกรอบหนึ่ง ส่วนแผนแม่บทภายใต้ยุทธศาสตร์ชาติมุ่งลดความเหลื่อมล้ำ",
    # a problem described
    "ชุมชนประสบปัญหาการเปลี่ยนแปลงสภาพภูมิอากาศ ทำให้ผลผลิตลดลง",
    "สอดคล้องกับ SDGs และชุมชนได้รับผลกระทบจากการเปลี่ยนแปลงสภาพภูมิอากาศ",
    # numbers that are no goal
    "สอดคล้องกับ SDG 18 ของหน่วยงาน",
    "ตัวชี้วัด เป้าหมายที่ 1 ลดระยะเวลารอคอยเหลือ 15 นาที",
    "ความพึงพอใจต่อ SDG 100%",
    "ปีงบประมาณ 2564 ดำเนินการ 17 ข้อ",
    "สอดคล้องกับ SDGs ใน 5 ด้าน และเป้าหมาย 5 ด้านของกรม",
    "เป้าประสงค์ 1 ของแผนยุทธศาสตร์กรม",
]


@pytest.mark.parametrize("text, cited", CITES, ids=[c for c, _ in CITES])
def test_goal_is_cited(text, cited):
    span = find_citation(text)
    assert span is not None
    assert text[span[0]:span[1]] == cited


@pytest.mark.parametrize("text", NOT_CITES)
def test_no_goal_is_cited(text):
    assert find_citation(text) is None
    assert [g.code for g in check_sdg(Answer(text))] == ["no_sdg"]


def test_every_goal_has_thai_and_english_names():
    assert sorted(GOAL_NAMES) == list(range(1, 18))
    for goal, names in GOAL_NAMES.items():
        assert any(ord(ch) > 0x0E00 for name in names for ch in name), goal
        assert any(name.isascii() for name in names), goal


@pytest.mark.parametrize("goal", range(1, 18))
def test_each_official_name_after_sdg_marker_cites_its_goal(goal):
    name = GOAL_NAMES[goal][0]
    assert find_citation(f"ผลงานสอดคล้องกับ SDGs ได้แก่ {name}") is not None
    assert find_citation(f"ผลงานสอดคล้องกับยุทธศาสตร์ชาติ ด้าน{name}") is None


def test_no_sdg_gap_has_a_reason_and_no_span():
    gap = next(check_sdg(Answer("สอดคล้องกับนโยบายของจังหวัด")))
    assert gap.span is None and gap.reason.startswith("sdg:")


def test_question_10_report_counts_a_named_goal():
    rubric = default_rubrics().get("public_service", 2564)
    report = analyze("สอดคล้องกับ SDG : ขจัดความอดอยาก เพราะเพิ่มผลผลิตอาหาร", rubric.question(10),
                     rubric)
    assert "no_sdg" not in report.codes
    report = analyze("สอดคล้องกับยุทธศาสตร์ชาติด้านการขจัดความยากจน", rubric.question(10), rubric)
    assert "no_sdg" in report.codes
