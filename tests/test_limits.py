"""Limits on what one chat may send, in conversations on the memory store.

Each limit refuses what is over it, says in numbers what the limit is and how far over the
officer is, and says what to do; nothing already stored changes, and text that is not over
a limit is never called too long.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.analysis.length import budget
from bot.coach.limits import DEFAULT_LIMITS, Limits, limits_from
from bot.rubrics import default_rubrics
from bot.web.config import ConfigError, load_settings

GROUP = "Cgroup1"
KEPT = "บันทึกข้อ"
NOT_KEPT = "ข้อความนี้จึงยังไม่ได้บันทึกครับ ส่วนที่บันทึกไว้แล้วยังอยู่ครบ"


def limited(chat, **limits: float):
    """Give the chat's engine these limits (the rest as by default) and return the chat."""
    chat.service.coach.limits = Limits(**limits)
    return chat


def start(chat, title: str = "คลินิกดินเคลื่อนที่", **where: str) -> None:
    """Create an application of category 1.1; question 1 is open."""
    for text in ["เริ่ม", "1.1", title]:
        chat.say(text, **where)


def answers(chat, owner: str = "U1", index: int = 0) -> dict:
    """Return the current answers of one of the owner's applications."""
    return chat.export(owner)["applications"][index]["answers"]


def question(number: int, category: str = "1.1"):
    """Return a question of the public-service rubric."""
    rubric = default_rubrics().get("public_service", 2564)
    return next(q for q in rubric.questions_for(category) if q.number == number)


# The limits and their settings -------------------------------------------------------------

def test_an_answer_may_hold_three_times_the_length_the_analysis_calls_too_long():
    for number in (1, 5):
        expected = 3 * budget(question(number)).max_chars
        assert DEFAULT_LIMITS.answer_chars(question(number)) == expected
    assert DEFAULT_LIMITS.answer_chars(question(1)) == 9000
    assert Limits(answer_budgets=1.5).answer_chars(question(1)) == 4500


def test_the_limits_come_from_their_settings_and_default_when_unset():
    assert limits_from({}) == DEFAULT_LIMITS == Limits(
        message_chars=5000, answer_budgets=3, application_chars=120_000,
        applications_per_chat=20, messages_per_minute=30)
    assert limits_from({"LIMIT_MESSAGE_CHARS": "1200", "LIMIT_ANSWER_BUDGETS": "2.5",
                        "LIMIT_APPLICATION_CHARS": "50000", "LIMIT_APPLICATIONS_PER_CHAT": "3",
                        "LIMIT_MESSAGES_PER_MINUTE": "0"}) == Limits(1200, 2.5, 50_000, 3, 0)
    assert not Limits(messages_per_minute=0).rate_limited


@pytest.mark.parametrize(("setting", "value"), [
    ("LIMIT_MESSAGE_CHARS", "0"), ("LIMIT_MESSAGE_CHARS", "5k"), ("LIMIT_MESSAGE_CHARS", "10.5"),
    ("LIMIT_ANSWER_BUDGETS", "0"), ("LIMIT_ANSWER_BUDGETS", "nan"), ("LIMIT_ANSWER_BUDGETS", "inf"),
    ("LIMIT_APPLICATION_CHARS", "-1"), ("LIMIT_APPLICATIONS_PER_CHAT", "0"),
    ("LIMIT_MESSAGES_PER_MINUTE", "-5"), ("LIMIT_MESSAGES_PER_MINUTE", "many"),
])
def test_a_bad_limit_stops_start_up_naming_the_setting(setting, value):
    from line_support import web_config
    with pytest.raises(ConfigError, match=f"invalid setting {setting}="):
        load_settings(web_config("sqlite://", "http://127.0.0.1:9", **{setting: value}),
                      environ={})
    with pytest.raises(ValueError, match=setting):
        limits_from({setting: value})


# Per message -------------------------------------------------------------------------------

def test_a_message_over_the_message_limit_is_not_stored_and_the_officer_is_told_by_how_much(
        memory_chat):
    start(memory_chat)
    memory_chat.say("เกษตรกร 300 รายรอผลตรวจดิน 30 วัน")
    said = memory_chat.say("ก" * 5200)  # the terminal, the simulator: LINE itself stops at 5,000
    assert said.splitlines() == [
        "ข้อความนี้ยาว 5,200 ตัวอักษร เกินที่รับได้ต่อข้อความ (5,000 ตัวอักษร) ไป 200 ตัวอักษร "
        + NOT_KEPT,
        "กรุณาแบ่งเป็นหลายข้อความ ข้อความละไม่เกิน 5,000 ตัวอักษร แล้วส่งใหม่"]
    assert answers(memory_chat) == {"1": "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน"}
    assert KEPT in memory_chat.say("ก" * 5000)  # exactly the limit is no message too long
    assert answers(memory_chat)["1"] == "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน\n" + "ก" * 5000


def test_a_long_postback_or_command_like_text_is_refused_before_it_is_read(memory_chat):
    limited(memory_chat, message_chars=100)
    start(memory_chat)
    said = memory_chat.say("ถัดไป " * 30, kind="postback")
    assert said.startswith("ข้อความนี้ยาว 179 ตัวอักษร เกินที่รับได้ต่อข้อความ (100 ตัวอักษร) ไป 79")
    assert "บันทึกข้อ 1 แล้ว" in memory_chat.say("ยังอยู่ที่ข้อ 1")


# Per answer --------------------------------------------------------------------------------

def test_an_answer_stops_growing_at_its_limit_and_keeps_what_it_has(memory_chat):
    start(memory_chat)
    first = "ข" * 5000
    assert KEPT in memory_chat.say(first)
    said = memory_chat.say("ค" * 5000)
    assert said.splitlines()[0] == (
        "ข้อ 1 ยาวได้ไม่เกิน 9,000 ตัวอักษร ตอนนี้ยาว 5,000 ตัวอักษร ถ้ารวมข้อความนี้ "
        "(5,000 ตัวอักษร) จะยาว 10,001 ตัวอักษร เกินไป 1,001 ตัวอักษร " + NOT_KEPT)
    assert said.splitlines()[1] == (
        'กรุณาย่อคำตอบข้อ 1 ให้สั้นลง (พิมพ์ "แก้ข้อ 1") หรือส่งส่วนที่ตอบข้ออื่นไว้ในข้อนั้นแทน')
    assert answers(memory_chat) == {"1": first}
    assert KEPT in memory_chat.say("ง" * 3999)  # 5,000 + a line break + 3,999: exactly 9,000
    assert len(answers(memory_chat)["1"]) == 9000
    said = memory_chat.say("จ")
    assert "จะยาว 9,002 ตัวอักษร เกินไป 2 ตัวอักษร" in said
    assert len(answers(memory_chat)["1"]) == 9000
    assert "ข้อ 2" in memory_chat.say("ถัดไป")  # the rest of the conversation goes on
    assert KEPT in memory_chat.say("จ" * 5000)


def test_an_edit_that_replaces_an_answer_is_held_to_the_answer_limit(memory_chat):
    limited(memory_chat, answer_budgets=0.5)  # question 1: 1,500 characters
    start(memory_chat)
    memory_chat.say("คำตอบเดิมที่ต้องไม่หาย")
    memory_chat.say("แก้ข้อ 1")
    said = memory_chat.say("ฉ" * 1600)
    assert said.startswith("ข้อ 1 ยาวได้ไม่เกิน 1,500 ตัวอักษร ตอนนี้ยาว 22 ตัวอักษร ถ้ารวมข้อความนี้ "
                           "(1,600 ตัวอักษร) จะยาว 1,600 ตัวอักษร เกินไป 100 ตัวอักษร")
    assert answers(memory_chat) == {"1": "คำตอบเดิมที่ต้องไม่หาย"}
    assert "ยาวได้ไม่เกิน" not in memory_chat.say("ช" * 1500)  # exactly the limit
    assert answers(memory_chat) == {"1": "ช" * 1500}
    said = memory_chat.say("ซ")  # the edit now adds: 1,500 + 1 + 1 > 1,500
    assert "จะยาว 1,502 ตัวอักษร เกินไป 2 ตัวอักษร" in said
    assert answers(memory_chat) == {"1": "ช" * 1500}


def test_a_shorter_replacement_of_an_answer_over_its_limit_is_never_called_too_long(memory_chat):
    start(memory_chat)
    memory_chat.say("ฌ" * 5000)
    memory_chat.service.coach.limits = Limits(answer_budgets=0.5)  # the limit lowered later
    memory_chat.say("แก้ข้อ 1")
    said = memory_chat.say("ญ" * 1600)  # still over 1,500, but shorter than what is there
    assert "ยาวได้ไม่เกิน" not in said
    assert answers(memory_chat) == {"1": "ญ" * 1600}


# Per application ---------------------------------------------------------------------------

def test_an_application_stops_growing_at_its_total_and_says_by_how_much(memory_chat):
    limited(memory_chat, application_chars=7000)
    start(memory_chat)
    memory_chat.say("ฎ" * 5000)
    memory_chat.say("ถัดไป")
    said = memory_chat.say("ฏ" * 2500)
    assert said.splitlines() == [
        'ใบสมัคร "คลินิกดินเคลื่อนที่" ยาวรวมได้ไม่เกิน 7,000 ตัวอักษร ตอนนี้ยาว 5,000 ตัวอักษร '
        "ถ้ารวมข้อความนี้ (2,500 ตัวอักษร) จะยาว 7,500 ตัวอักษร เกินไป 500 ตัวอักษร " + NOT_KEPT,
        'กรุณาย่อคำตอบข้อที่ยาวที่สุดให้สั้นลง (พิมพ์ "แก้ข้อ N") แล้วส่งใหม่']
    assert answers(memory_chat) == {"1": "ฎ" * 5000}
    assert KEPT in memory_chat.say("ฏ" * 1999)  # 5,000 + 1,999: under the total
    assert answers(memory_chat) == {"1": "ฎ" * 5000, "2": "ฏ" * 1999}


# An edit made in LINE ----------------------------------------------------------------------

def test_an_edit_in_line_that_would_make_an_answer_too_long_is_not_applied(memory_chat):
    limited(memory_chat, answer_budgets=0.5)  # question 1: 1,500 characters
    start(memory_chat, group=GROUP)
    memory_chat.say("ส่วนแรก " + "ฐ" * 992, group=GROUP, message_id="m1")   # 1,000
    memory_chat.say("ส่วนที่สอง", group=GROUP, message_id="m2")           # + 1 + 10
    said = memory_chat.say("ฑ" * 600, group=GROUP, kind="message_edited", message_id="m2")
    assert said.splitlines()[0] == (
        "ข้อ 1 ยาวได้ไม่เกิน 1,500 ตัวอักษร ตอนนี้ยาว 1,011 ตัวอักษร ถ้ารวมข้อความนี้ "
        "(600 ตัวอักษร) จะยาว 1,601 ตัวอักษร เกินไป 101 ตัวอักษร "
        "การแก้ไขข้อความนี้ใน LINE จึงยังไม่ได้นำไปใช้ครับ คำตอบยังเป็นข้อความเดิม")
    assert answers(memory_chat, GROUP) == {"1": "ส่วนแรก " + "ฐ" * 992 + "\nส่วนที่สอง"}
    said = memory_chat.say("ฑ" * 499, group=GROUP, kind="message_edited", message_id="m2")
    assert "ยาวได้ไม่เกิน" not in said  # exactly 1,500 is within the limit
    assert answers(memory_chat, GROUP) == {"1": "ส่วนแรก " + "ฐ" * 992 + "\n" + "ฑ" * 499}


# Applications per chat ---------------------------------------------------------------------

def test_a_chat_with_as_many_applications_as_it_may_keeps_them_and_cannot_start_another(
        memory_chat):
    limited(memory_chat, applications_per_chat=2)
    start(memory_chat, "โครงการแรก")
    memory_chat.say("คำตอบของโครงการแรก")
    start(memory_chat, "โครงการที่สอง")
    said = memory_chat.say("เริ่ม")
    assert said == ('แชตนี้มีใบสมัคร 2 ใบแล้ว ซึ่งถึงจำนวนที่เก็บได้ต่อแชต (2 ใบ) จึงยังเริ่มใบใหม่'
                    'ไม่ได้ครับ ใบสมัครเดิมทุกใบยังอยู่ครบ พิมพ์ "ใบสมัครของฉัน" แล้วเลือกใบที่จะทำต่อ')
    assert [a["title"] for a in memory_chat.export("U1")["applications"]] == [
        "โครงการแรก", "โครงการที่สอง"]
    assert answers(memory_chat) == {"1": "คำตอบของโครงการแรก"}
    assert KEPT in memory_chat.say("ยังตอบโครงการที่สองได้")  # the open application goes on


def test_a_project_named_after_the_last_place_went_is_told_and_set_back(memory_chat):
    limited(memory_chat, applications_per_chat=2)
    start(memory_chat, "โครงการแรก")
    memory_chat.say("เริ่ม")
    memory_chat.say("1.1")
    limited(memory_chat, applications_per_chat=1)  # e.g. lowered meanwhile
    said = memory_chat.say("โครงการที่สอง")
    assert said.splitlines() == [
        'แชตนี้มีใบสมัคร 1 ใบแล้ว ซึ่งถึงจำนวนที่เก็บได้ต่อแชต (1 ใบ) จึงยังเริ่มใบใหม่ไม่ได้ครับ '
        'ใบสมัครเดิมทุกใบยังอยู่ครบ พิมพ์ "ใบสมัครของฉัน" แล้วเลือกใบที่จะทำต่อ',
        "ยกเลิกแล้ว กลับมาที่ใบสมัครเดิมครับ", *said.splitlines()[2:]]
    assert [a["title"] for a in memory_chat.export("U1")["applications"]] == ["โครงการแรก"]
    assert "บันทึกข้อ 1 แล้ว" in memory_chat.say("คำตอบของโครงการแรก")


# Per chat per minute -----------------------------------------------------------------------

def test_a_flood_is_told_once_in_full_then_briefly_and_nothing_of_it_is_stored(memory_chat):
    limited(memory_chat, messages_per_minute=5)
    start(memory_chat)                                 # three messages, 5 s apart
    began = memory_chat.clock.now - timedelta(seconds=10)
    memory_chat.say("ส่วนที่หนึ่ง")                      # the fourth
    memory_chat.say("ส่วนที่สอง")                        # the fifth
    said = memory_chat.say("ส่วนที่สาม", at=began + timedelta(seconds=24))
    assert said.splitlines() == [
        "ส่งข้อความเร็วเกินไปครับ แชตนี้ส่งได้ไม่เกิน 5 ข้อความต่อนาที นาทีนี้ส่งมาแล้ว 6 ข้อความ "
        "เกินไป 1 ข้อความ",
        "ผมจึงยังไม่ได้อ่านและไม่ได้บันทึกข้อความนี้ ส่วนที่บันทึกไว้แล้วยังอยู่ครบ "
        "ข้อความที่ส่งมาในอีก 36 วินาทีข้างหน้าจะไม่ได้บันทึกเช่นกัน",
        "กรุณารอ 36 วินาที แล้วส่งข้อความที่ยังไม่ได้บันทึกใหม่"]
    assert memory_chat.say("ส่วนที่สี่", at=began + timedelta(seconds=50)) == (
        "ยังส่งเร็วเกินไปครับ (เกิน 5 ข้อความต่อนาที) ข้อความนี้ไม่ได้บันทึก กรุณารอ 10 วินาทีแล้วส่งใหม่")
    assert memory_chat.say("ความคืบหน้า", at=began + timedelta(seconds=59.5)).startswith(
        "ยังส่งเร็วเกินไปครับ")  # a command is not run either, and said so
    assert answers(memory_chat) == {"1": "ส่วนที่หนึ่ง\nส่วนที่สอง"}
    said = memory_chat.say("ส่วนที่สาม", at=began + timedelta(seconds=60))
    assert KEPT in said                                # a new minute: handled as usual
    assert answers(memory_chat) == {"1": "ส่วนที่หนึ่ง\nส่วนที่สอง\nส่วนที่สาม"}


def test_a_new_window_tells_the_full_explanation_again(memory_chat):
    limited(memory_chat, messages_per_minute=1)
    memory_chat.say("เริ่ม")
    assert memory_chat.say("1.1").startswith("ส่งข้อความเร็วเกินไปครับ")
    memory_chat.clock.advance(minutes=1)
    assert "ชื่ออะไร" in memory_chat.say("1.1")
    assert memory_chat.say("ชื่อ").startswith("ส่งข้อความเร็วเกินไปครับ แชตนี้ส่งได้ไม่เกิน 1 ข้อความ")


def test_other_events_are_not_counted_and_a_rate_of_zero_is_no_limit(memory_chat):
    limited(memory_chat, messages_per_minute=0)
    start(memory_chat)
    for number in range(40):
        assert KEPT in memory_chat.say(f"ส่วนที่ {number}", at=memory_chat.clock.tick(0.1))
    limited(memory_chat, messages_per_minute=1)
    memory_chat.clock.advance(minutes=5)
    assert KEPT in memory_chat.say("ส่วนสุดท้าย")
    assert memory_chat.say("", kind="sticker").startswith("ขอบคุณครับ")  # a sticker is not counted
    assert memory_chat.say("ส่วนเกิน").startswith("ส่งข้อความเร็วเกินไปครับ")


def test_a_malformed_stored_window_starts_afresh(memory_chat):
    import json
    from dataclasses import replace
    start(memory_chat)
    row = memory_chat.memory.chats["U1"]
    broken = {**json.loads(row.context), "rate": {"since": "yesterday", "count": "x"}}
    memory_chat.memory.chats["U1"] = replace(row, context=json.dumps(broken))
    assert KEPT in memory_chat.say("ต่อจากเดิม")


def test_later_refusals_in_a_window_leave_the_chat_as_it_was(memory_chat):
    limited(memory_chat, messages_per_minute=3)
    start(memory_chat)
    assert memory_chat.say("เกินแล้ว").startswith("ส่งข้อความเร็วเกินไปครับ")
    row = memory_chat.memory.chats["U1"]
    for text in ["อีกข้อความ", "ถัดไป", "ก" * 6000]:
        assert memory_chat.say(text).startswith("ยังส่งเร็วเกินไปครับ")
    assert memory_chat.memory.chats["U1"] == row  # nothing written for them
