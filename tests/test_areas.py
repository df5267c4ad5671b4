"""Tests for the 2.4 area count (bot.analysis.categories): only the areas the work was
extended to count, never the project's own, a planned expansion or the model's origin."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.categories import count_areas, expansion_scopes
from bot.rubrics import default_rubrics

AREAS = [
    ("นำตัวแบบไปขยายผลที่ตำบลท่าศาลา และตำบลกลาย อำเภอท่าศาลา จังหวัดนครศรีธรรมราช", 2),
    ("นำตัวแบบไปขยายผลที่ตำบลนาแว อำเภอฉวาง จังหวัดนครศรีธรรมราช", 1),   # one address
    ("ขยายผลสู่บ้านหนองบัว และบ้านโคกสูง ต.หนองบัว อ.เมือง จ.อุดรธานี", 2),
    ("ขยายผลตัวแบบไปยัง 5 พื้นที่ ครอบคลุมผู้เข้าร่วม 640 คน", 5),
    ("ชุมชนต้นแบบบ้านหนองบัว ได้ขยายผลไปยังบ้านโคกสูงและบ้านนาดี", 2),     # origin before
    ("ขยายผลจากบ้านหนองบัว ไปยังบ้านโคกสูง", 1),                          # origin after จาก
    ("เทศบาลตำบลบ้านใหม่นำรูปแบบการจัดการขยะไปใช้ในตำบลท่างิ้ว และตำบลนาหลวง", 2),
    ("ขยายผลไปยังพื้นที่อื่น ดังนี้\n1. ตำบลนาแว อำเภอฉวาง\n2. ตำบลกลาย อำเภอท่าศาลา\n"
     "ผลการดำเนินงานที่ตำบลนาเหนือ", 2),                                   # a list it opens
    ("ขยายผลไปยังบ้านโคกสูง ต่อมาโครงการได้ดำเนินงานต่อในบ้านหนองบัว", 1),  # topic changes
    ("ผ่านการคัดเลือก 80 โครงการในพื้นที่ 44 จังหวัดทั่วประเทศ", 44),        # a wide reach
    ("29 อปท.ชายแดนใต้ ร่วมเรียนรู้กระบวนการทำแผนพัฒนาท้องถิ่น", 29),
    # the project's own areas, and plans or requirements, are no expansion
    ("โครงการดำเนินการที่บ้านหนองบัว และบ้านโคกสูง ตำบลหนองบัว", 0),
    ("ครอบคลุมพื้นที่ 3 หมู่บ้านของตำบลโพนงาม", 0),
    ("มีแผนจะขยายผลไปยังตำบลนาแว และตำบลกลาย ในปี 2566", 0),
    ("หน่วยงานต้องขยายผลอย่างน้อย 2 พื้นที่ตามหลักเกณฑ์ของรางวัล", 0),
    ("สามารถนำไปขยายผลในตำบลอื่นได้", 0),
    ("สมัครประเภทเลื่องลือขยายผล ที่ตำบลนาแว และตำบลกลาย", 0),
]


@pytest.mark.parametrize("text, count", AREAS, ids=[t[:40] for t, _ in AREAS])
def test_areas_reached(text, count):
    assert count_areas(Answer(text))[0] == count


def test_names_are_those_reached_as_written():
    found, names = count_areas(Answer("ขยายผลที่ตำบลนาแว อำเภอฉวาง"))
    assert (found, names) == (1, ["ตำบลนาแว", "อำเภอฉวาง"])


def test_scope_starts_after_the_verb_and_ends_at_a_change_of_topic():
    text = "ชุมชนบ้านหนองบัว ขยายผลไปยังบ้านโคกสูง โดยมีผู้นำชุมชนบ้านนาดีเป็นพี่เลี้ยง"
    [(start, end)] = expansion_scopes(text)
    assert text[start:end].strip() == "ไปยังบ้านโคกสูง"


def test_few_areas_finding_names_only_the_areas_reached():
    rubric = default_rubrics().get("participatory", 2564)
    text = "โครงการเริ่มที่ตำบลโพนงาม และตำบลเหล่าอ้อย ต่อมาขยายผลไปยังตำบลนาแว"
    few = next(f for f in analyze(text, rubric.question(12), rubric, "2.4").findings
               if f.code == "few_areas")
    assert few.quote == "ตำบลนาแว" and "พบชื่อพื้นที่ 1 แห่ง" in few.message
    assert few.reason.startswith("areas:")
