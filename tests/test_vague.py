"""Tests for bot.analysis.vague: vague quantifiers with negation and idioms understood, a
figure explaining the word, one finding per sentence and per phrase, at most three."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.vague import MAX_VAGUE, find_vague
from bot.rubrics import default_rubrics


def phrases(text: str) -> list[str]:
    """Return the phrases reported as vague in ``text``, in order."""
    return [gap.values["phrase"] for gap in find_vague(Answer(text))]


VAGUE = [
    ("ในปี 2564 มีผู้มาใช้บริการจำนวนมาก", "จำนวนมาก"),
    ("มีผู้มาใช้บริการมาก", "มาก"),
    ("ใช้เวลาไม่มาก", "ไม่มาก"),
    ("ชุมชนมีรายได้น้อย ไม่เพียงพอกับรายจ่าย", "น้อย"),
    ("ประชาชนได้รับประโยชน์จากโครงการมาก", "มาก"),
    ("ฝายกักเก็บน้ำได้น้อย", "ได้น้อย"),
    ("ผู้รับบริการเพิ่มขึ้นมาก", "เพิ่มขึ้นมาก"),
    ("ต้นทุนลดลงเล็กน้อย", "ลดลงเล็กน้อย"),
    ("ผลผลิตเพิ่มขึ้นอย่างชัดเจน", "อย่างชัดเจน"),
    ("ได้รับความร่วมมือจากภาคส่วนต่าง ๆ เป็นอย่างดี", "เป็นอย่างดี"),
    ("ไม่ว่าจะเป็นผู้สูงอายุหรือเด็กต่างพึงพอใจเป็นอย่างมาก", "เป็นอย่างมาก"),
    ("ประชาชนไม่ต้องเดินทาง ประหยัดเวลาได้อย่างมาก", "อย่างมาก"),
    ("ความพึงพอใจยังไม่ถึง 100 %", "ไม่ถึง"),
    ("ขอคำแนะนำจากผู้รู้หลาย ๆ ท่าน", "หลาย ๆ ท่าน"),
    ("ร่วมกับหน่วยงานพันธมิตรหลายหน่วยงาน", "หลายหน่วยงาน"),
    ("บางศูนย์ยังให้บริการไม่ครบ", "บางศูนย์"),
    ("ระบบราชการยังเป็นระบบกระดาษเสียส่วนมาก", "ส่วนมาก"),
    ("มีชาวบ้านมาช่วยกันเยอะ 555", "เยอะ"),
    ("ครัวเรือนยากจน 214 ครัวเรือน ส่วนใหญ่เป็นผู้สูงอายุ", "ส่วนใหญ่"),
    ("ผลกระทบทวีความรุนแรงมากยิ่งขึ้น", "มากยิ่งขึ้น"),
    ("มีผู้เข้าร่วมจำนวนหนึ่ง", "จำนวนหนึ่ง"),
    ("ใช้เวลาเพียงไม่กี่นาที", "ไม่กี่"),
    ("ผู้ตอบแบบสอบถาม 400 ราย กว่าครึ่งพึงพอใจ", "กว่าครึ่ง"),   # a total before, no share
]

NOT_VAGUE = [
    # negation and idioms
    "ประชาชนในพื้นที่ห่างไกลเข้าไม่ถึงบริการของรัฐ",
    "หน่วยงานไม่ได้กำหนดขั้นตอนไว้อย่างชัดเจน",
    "มิได้มีการกำหนดรูปแบบการรับฟังความคิดเห็นของประชาชนไว้อย่างชัดเจน",
    "ยังไม่ได้รับความร่วมมือเป็นอย่างดี",
    "โดยเฉพาะอย่างยิ่งผู้สูงอายุและผู้พิการ",
    "ไม่มากก็น้อย",
    "ต้องประเมินว่าได้ผลมากน้อยเพียงใด",
    # manner, degree and set phrases, not amounts
    "กำหนดบทบาทหน้าที่ของคณะทำงานอย่างชัดเจน",
    "ขอบคุณมาก",
    "หน่วยงานให้ความสำคัญมาก",
    "ผู้ใช้บริการพอใจ บริการดีมาก",
    "ชาวบ้านมีความสุขมาก",
    # groups named by their income
    "บัตรสวัสดิการแห่งรัฐสำหรับผู้มีรายได้น้อย",
    "ติดตามครัวเรือนที่มีรายได้น้อยในชุมชน",
    # a figure explains the word
    "ขยายผลไปแล้วมากกว่า 3 แห่ง",
    "ผู้รับบริการส่วนใหญ่ มากกว่า 300 ราย พึงพอใจ",
    "เกษตรกรส่วนใหญ่ ร้อยละ 85 จากผู้ตอบแบบสอบถาม 400 ราย พึงพอใจต่อบริการ",
    "ผู้รับบริการเพิ่มขึ้นอย่างมาก โดยเพิ่มจาก 300 ราย เป็น 1,150 ราย",
    "ค่าเฉลี่ยลดลงเล็กน้อยจาก 4.665 เป็น 4.623",
    "เกือบทุกครัวเรือน (ร้อยละ 96) เข้าร่วมโครงการ",
    # words that only look like them
    "ด่านบางกรวยและด่านบางนา",
    "ผลผลิตมากกว่าเดิม และใช้เวลาน้อยกว่าเดิม",
    "ความพึงพอใจอยู่ในระดับมากที่สุด",
]


@pytest.mark.parametrize("text, phrase", VAGUE, ids=[t for t, _ in VAGUE])
def test_vague_phrase_is_reported(text, phrase):
    assert phrases(text) == [phrase]


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_not_vague(text):
    assert phrases(text) == []


def test_figure_far_away_in_a_long_sentence_does_not_explain():
    text = ("แอปพลิเคชันมีให้เลือกใช้กว่า 83 บริการในแอปเดียว โดยสำนักงานพัฒนารัฐบาลดิจิทัล "
            "(องค์การมหาชน) (DGA) ร่วมกับหน่วยงานพันธมิตรมากมาย")
    assert phrases(text) == ["มากมาย"]


def test_one_finding_per_sentence():
    assert phrases("เกษตรกรส่วนใหญ่พึงพอใจเป็นอย่างมาก") == ["ส่วนใหญ่"]


def test_same_phrase_is_reported_once():
    text = "ผลผลิตดีขึ้นอย่างมาก\n\nรายได้ดีขึ้นอย่างมาก\n\nผู้ใช้บริการจำนวนมาก"
    assert phrases(text) == ["อย่างมาก", "จำนวนมาก"]


def test_at_most_three():
    # Paragraphs apart: short lines one after another read as a PDF's broken lines.
    text = "\n\n".join(["ผลผลิตดีขึ้นอย่างมาก", "ผู้ใช้บริการจำนวนมาก", "ชุมชนส่วนใหญ่เข้าร่วม",
                        "รายได้เพิ่มขึ้นอย่างชัดเจน", "ขยายไปหลายแห่ง"])
    assert len(phrases(text)) == MAX_VAGUE == 3


def test_gap_spans_the_phrase_quotes_the_sentence_and_gives_a_reason():
    text = "หน่วยงานปรับปรุงระบบใหม่ ผู้มาใช้บริการเพิ่มขึ้นเป็นจำนวนมาก"
    gap = next(find_vague(Answer(text)))
    assert text[gap.span[0]:gap.span[1]] == "เป็นจำนวนมาก"
    assert gap.quote == "ผู้มาใช้บริการเพิ่มขึ้นเป็นจำนวนมาก"
    assert gap.reason.startswith("vague: quantity word")


def test_report_carries_the_phrase_span():
    rubric = default_rubrics().get("public_service", 2564)
    text = "ระบบใหม่ทำให้มีผู้มาใช้บริการมาก"
    found = [f for f in analyze(text, rubric.question(8), rubric).findings
             if f.code == "vague_quantifier"]
    assert [(text[f.span[0]:f.span[1]], f.quote) for f in found] == [("มาก", text)]
