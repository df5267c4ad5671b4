"""The coaching in the conversation: findings after "ถัดไป", never blocking, progress with points.

The engine's behaviour, so it runs in memory; the transcripts replay it on the databases.
"""

from __future__ import annotations

import pytest

WEAK = "ผลการดำเนินงานดีขึ้นอย่างมาก ประชาชนพึงพอใจเป็นอย่างดี ติดต่อคุณสมศรี โทร 081-234-5678"
STRONG = ("ผลผลิต: ให้บริการตรวจวิเคราะห์ดินผ่านระบบออนไลน์ 4,820 ตัวอย่างในปี 2564 "
          "จากเดิม 1,150 ตัวอย่างในปี 2563 ผลลัพธ์: ระยะเวลารอผลลดลงจาก 30 วันเหลือ 5 วัน "
          "เกษตรกรผู้รับบริการ 3,960 ราย ประหยัดค่าเดินทางเฉลี่ย 450 บาทต่อราย "
          "ตัวชี้วัดความสำเร็จ: ร้อยละของผู้รับบริการที่ได้รับผลภายใน 7 วัน เป้าหมายร้อยละ 80 "
          "ผลจริงร้อยละ 96 และความพึงพอใจร้อยละ 92 จากผู้ตอบแบบสอบถาม 1,204 ราย "
          "ยกเลิกระเบียบที่ให้ยื่นสำเนาโฉนดที่ดิน ลดขั้นตอนจาก 8 ขั้นตอนเหลือ 3 ขั้นตอน "
          "ค่าใช้จ่ายของประชาชนลดลงจาก 600 บาทเหลือ 150 บาทต่อครั้ง ") * 3


@pytest.fixture
def chat(memory_chat):
    """Return a chat driver in memory."""
    return memory_chat


def open_question_5(chat) -> None:
    for text in ["เริ่ม", "1.6", "ระบบขออนุญาตออนไลน์", "ข้อ 5"]:
        chat.say(text)


def test_next_shows_at_most_three_findings_the_most_important_first_with_a_way_back(chat):
    open_question_5(chat)
    chat.say(WEAK)
    said = chat.say("ถัดไป")
    findings = chat.last[0].as_text()
    assert findings.startswith("📝 ข้อสังเกตข้อ 5")
    bullets = [line for line in findings.splitlines() if line.startswith("• ")]
    assert len(bullets) == 3
    assert "ข้อมูลส่วนบุคคล" in bullets[0]          # personal data outranks everything
    assert "081-xxx-xx78" in findings and "081-234-5678" not in findings
    assert "ข้อ 6 (6/10)" in said                   # never blocked: the next question is asked
    assert chat.choices()[:2] == ["กลับไปเพิ่มข้อ 5", "เขียนข้อ 5 ใหม่"]


def test_going_back_to_add_keeps_what_was_written(chat):
    open_question_5(chat)
    chat.say(WEAK)
    chat.say("ถัดไป")
    said = chat.say("ข้อ 5")
    assert "ข้อ 5 (5/10)" in said and "คำตอบที่มีแล้ว" in said and "ดีขึ้นอย่างมาก" in said
    chat.say("ระยะเวลาลดลงจาก 30 วันเหลือ 5 วัน")
    assert chat.export()["applications"][0]["answers"]["5"] == (
        WEAK + "\nระยะเวลาลดลงจาก 30 วันเหลือ 5 วัน")


def test_a_strong_answer_is_praised_and_offers_no_way_back(chat):
    open_question_5(chat)
    said = chat.say(STRONG)
    assert "จากที่ควรมีราว" not in said            # long enough for a 20-point question
    said = chat.say("ถัดไป")
    assert "👍 ข้อ 5" in said and "📝" not in said
    assert "กลับไปเพิ่มข้อ 5" not in chat.choices()


def test_next_on_an_empty_question_moves_on_without_findings(chat):
    open_question_5(chat)
    said = chat.say("ถัดไป")
    assert "ข้อ 6 (6/10)" in said and "📝" not in said


def test_progress_counts_warned_answers_and_the_points_still_at_stake(chat):
    open_question_5(chat)
    chat.say(WEAK)
    chat.say("ถัดไป")
    chat.say(STRONG)
    chat.say("ถัดไป")
    chat.say("ความคืบหน้า")
    progress = chat.last[0]
    third = progress.dimensions[2]
    assert (third.points, third.questions, third.answered, third.warned, third.empty) == (
        60, 4, 1, 1, 2)
    assert third.points_at_stake == 20 + 15 + 10      # question 5 weak, 7 and 8 empty
    assert [d.points_at_stake for d in progress.dimensions] == [10, 20, 45, 10]
    assert "คะแนนที่ยังเสี่ยงรวม ~85 จาก 100 คะแนน ควรเน้นมิติที่ 3" in progress.as_text()


def test_the_ack_says_how_long_the_answer_is_against_what_its_weight_expects(chat):
    open_question_5(chat)
    said = chat.say("เกษตรกร 300 ราย")
    assert "จากที่ควรมีราว 200 คำ" in said
    said = chat.say("ได้รับบริการเร็วขึ้น")
    assert "2 ข้อความ" in said
