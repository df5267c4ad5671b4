"""Table tests for the category checks (bot.analysis.categories, bot.analysis.participation):
participation levels for 2.1/2.2, poverty for 2.5 and the data aspects of 1.4, each with hard
negatives (award names, bare "มีส่วนร่วม", agencies working "ร่วมกับ" each other, negation)."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.categories import without_award_names
from bot.analysis.participation import levels_shown
from bot.rubrics import default_rubrics

RUBRICS = default_rubrics()
PG = RUBRICS.get("participatory", RUBRICS.latest_year)
PS = RUBRICS.get("public_service", RUBRICS.latest_year)


def top_level(text: str) -> str | None:
    """Return the code of the highest participation level ``text`` shows, or None."""
    shown = levels_shown(text, tuple(PG.participation_levels))
    return max(shown, key=lambda m: m.rank).level.code if shown else None


@pytest.mark.parametrize(("text", "level"), [
    ("จัดประชุมชี้แจงหลักเกณฑ์ให้หน่วยงาน", "inform"),
    ("สร้างการรับรู้ให้ประชาชนผ่านหอกระจายข่าว", "inform"),
    ("เพื่อพัฒนาความรู้ความเข้าใจของแกนนำ", "inform"),
    ("ลงพื้นที่สำรวจความคิดเห็นของประชาชน", "consult"),
    ("จัดเวทีประชาคมหมู่บ้านทุกเดือน", "consult"),
    ("เปิดรับข้อเสนอแนะผ่านไลน์กลุ่ม", "consult"),
    ("เครือข่ายได้ประชุมวางแผนและร่วมจัดทำข้อมูลแหล่งน้ำ", "involve"),
    ("คนในพื้นที่มาร่วมกันวางแผนการจัดการน้ำ", "involve"),
    ("การวิเคราะห์สังเคราะห์ข้อมูลร่วมกันผ่านกระบวนการต่าง ๆ", "involve"),
    ("เป็นกระบวนการ “ชาวบ้านสอนชาวบ้าน”", "involve"),
    ("เปิดโอกาสให้ประชาชนเข้ามามีส่วนร่วมในการดำเนินงานซ่อมบำรุงทาง", "involve"),
    ("ชุมชนกับอำเภอร่วมกันตัดสินใจเลือกพื้นที่", "collaborate"),
    ("ลงนามบันทึกข้อตกลงกับภาคีเครือข่าย 12 แห่ง", "collaborate"),
    ("ปัจจุบันชุมชนบริหารจัดการเองทั้งหมด", "collaborate"),
    # hard negatives: no level at all
    ("ได้รับรางวัลประเภทสัมฤทธิ์ผลประชาชนมีส่วนร่วม", None),
    ("ส่งมอบรถเข็นและลงพื้นที่ติดตามกลุ่มเปราะบาง", None),
    ("มีผู้เข้าร่วมจากหน่วยงานต่าง ๆ ประมาณ 180 คน", None),
    ("สำนักงานภาคเหนือร่วมกับสถาบันพัฒนาองค์กรชุมชนจัดงาน", None),
    ("ที่ผ่านมาหน่วยงานไม่ได้รับฟังความคิดเห็นของชาวบ้าน", None),
    ("ชาวบ้านร่วมทำบุญที่วัด", None),
])
def test_participation_level_phrases(text, level):
    assert top_level(without_award_names(text, PG)) == level


def gaps(text: str, category: str, question: int, rubric=PG) -> dict[str, object]:
    """Return the findings of ``text`` by code."""
    report = analyze(text, rubric.question(question), rubric, category)
    return {f.code: f for f in report.findings}


def test_inform_only_is_low_for_22_with_span_and_reason():
    text = "จังหวัดจัดประชุมชี้แจงแนวทางและสร้างความรู้ความเข้าใจให้ผู้เข้าร่วม 180 คน"
    found = gaps(text, "2.2", 6)
    assert "participation_level_low" in found and "no_participation_level" not in found
    low = found["participation_level_low"]
    assert low.span is not None and text[low.span[0]:low.span[1]] == "ชี้แจง"
    assert "inform" in low.reason


def test_consult_is_enough_for_21_but_low_for_22():
    text = "หน่วยงานจัดเวทีรับฟังความคิดเห็นของชาวบ้าน 3 ครั้ง"
    assert not {"no_participation_level", "participation_level_low"} & set(gaps(text, "2.1", 6))
    assert "participation_level_low" in gaps(text, "2.2", 6)


def test_no_level_has_a_reason():
    found = gaps("หน่วยงานจัดซื้อวัสดุและแจกจ่ายให้เกษตรกร 300 ราย", "2.2", 6)
    assert found["no_participation_level"].reason.startswith("participation:")


@pytest.mark.parametrize(("text", "fires"), [
    ("ได้สำรวจผู้ด้อยโอกาส ผู้ยากไร้ และผู้ประสบปัญหาทางสังคม", False),
    ("อยากเห็นเกษตรกรไม่ต้องทนอยู่ในวงจร หนี้ จน เจ็บ อีกต่อไป", False),
    ("ครัวเรือนที่ตกเกณฑ์จากระบบ TPMAP ช่วยเหลือแล้ว 1,100 ครัวเรือน", False),
    ("สมาชิกต้องกู้เงินนอกระบบดอกเบี้ยร้อยละ 20 ต่อเดือน", False),
    ("รายได้ครัวเรือนเพิ่มจาก 3,000 บาท เป็น 5,200 บาทต่อเดือน", False),
    # hard negatives: a poverty answer that is not about poverty
    ("กลุ่มทอผ้าพัฒนาลวดลายใหม่ 12 ลาย จำหน่ายออนไลน์ 3 ช่องทาง", True),
    ("เยาวชนร้อยละ 30 ติดใบกระท่อม ทำงานจนถึงเที่ยงคืน", True),
    ("ได้รับรางวัลประเภทร่วมใจแก้จน ประจำปี 2564", True),
])
def test_poverty(text, fires):
    assert ("no_poverty" in gaps(text, "2.5", 11)) is fires


@pytest.mark.parametrize(("text", "missing"), [
    ("ระบบต้องเชื่อมข้อมูลไปยังหน่วยงานต่าง ๆ จึงต้องยืนยันตัวตนหลายระดับ", {"no_consent"}),
    ("ดึงข้อมูลจากกรมการปกครองผ่าน API เมื่อประชาชนกดยินยอม และเข้ารหัสข้อมูล", set()),
    ("ประชาชนไม่ต้องใช้สำเนาบัตรประชาชน ระบบใช้รหัส OTP ตามหลัก PDPA", set()),
    # hard negative: the award's own name says nothing about the work
    ("DGA ได้รับรางวัลประเภทบูรณาการข้อมูลเพื่อการบริการ ระดับดีเด่น",
     {"no_interoperability", "no_data_security", "no_consent"}),
])
def test_data_integration(text, missing):
    aspects = {"no_interoperability", "no_data_security", "no_consent"}
    found = gaps(text, "1.4", 2, PS)
    assert set(found) & aspects == missing
    assert all(found[code].reason.startswith("data integration:") for code in missing)


def test_award_names_are_blanked_with_offsets_kept():
    text = "ได้รับรางวัลประเภทบูรณาการข้อมูลเพื่อการบริการ และเชื่อมโยงข้อมูล"
    blanked = without_award_names(text, PS)
    assert len(blanked) == len(text) and "บูรณาการ" not in blanked
    assert "เชื่อมโยงข้อมูล" in blanked
