"""What the officer meant, in the engine: set-aside typos, thanks, and where the officer is."""

from __future__ import annotations


def open_question_one(chat, user: str = "U1") -> None:
    """Start an application for category 1.1 and write one part of answer 1."""
    for text in ("เริ่ม", "1.1", "คลินิกดินเคลื่อนที่", "ส่วนแรก"):
        chat.say(text, user=user)


def answer(chat, number: int, owner: str = "U1") -> str | None:
    """Return answer ``number`` of the owner's first application."""
    return chat.export(owner)["applications"][0]["answers"].get(str(number))


def test_a_kept_text_goes_where_it_was_typed_before_later_messages(memory_chat):
    open_question_one(memory_chat)
    memory_chat.say("ดูราง")
    memory_chat.say("ส่วนที่สอง")
    said = memory_chat.say("ไม่ใช่ เป็นคำตอบ")

    assert 'ได้ครับ "ดูราง" เป็นส่วนหนึ่งของคำตอบ' in said
    assert answer(memory_chat, 1) == "ส่วนแรก\nดูราง\nส่วนที่สอง"


def test_a_kept_text_keeps_its_line_message_so_unsending_it_takes_it_out(memory_chat):
    open_question_one(memory_chat)
    memory_chat.say("ถัดไบ", message_id="m-typo")
    memory_chat.say("ไม่ใช่", message_id="m-no")
    assert answer(memory_chat, 1) == "ส่วนแรก\nถัดไบ"

    memory_chat.say("", kind="unsend", message_id="m-typo")

    assert answer(memory_chat, 1) == "ส่วนแรก"


def test_a_second_near_miss_takes_the_place_of_the_first_and_says_so(memory_chat):
    open_question_one(memory_chat)
    memory_chat.say("ดูราง")
    said = memory_chat.say("ถัดไบ")

    assert 'ข้อความ "ดูราง" ที่พักไว้ไม่ได้บันทึกครับ' in said
    assert 'หมายถึง "ถัดไป" ใช่ไหมครับ' in said
    assert "ข้อ 2" in memory_chat.say("ใช่")
    assert answer(memory_chat, 1) == "ส่วนแรก"


def test_the_text_aside_is_asked_about_once_and_courtesy_leaves_it_aside(memory_chat):
    open_question_one(memory_chat)
    memory_chat.say("ย้อนกับ")
    assert "ยังพักไว้" in memory_chat.say("ส่วนที่สอง")
    assert "ยังพักไว้" not in memory_chat.say("ส่วนที่สาม")
    assert "ไม่ได้บันทึกในคำตอบ" in memory_chat.say("ขอบคุณครับ")

    memory_chat.say("ไม่ใช่")

    assert answer(memory_chat, 1) == "ส่วนแรก\nย้อนกับ\nส่วนที่สอง\nส่วนที่สาม"


def test_a_near_miss_is_asked_about_only_where_it_would_be_written(memory_chat):
    memory_chat.say("เริ่ม")
    memory_chat.say("1.1")
    said = memory_chat.say("ถัดไบ")   # the project's name, not an answer

    assert "หมายถึง" not in said
    assert memory_chat.export("U1")["applications"][0]["title"] == "ถัดไบ"


def test_a_member_line_does_not_name_has_no_slot_so_their_near_miss_is_written(memory_chat):
    memory_chat.say("เริ่ม", group="Cteam")
    memory_chat.say("1.5", group="Cteam")
    memory_chat.say("ตรวจดินออนไลน์", group="Cteam")

    said = memory_chat.say("ถัดไบ", user=None, group="Cteam")

    assert "หมายถึง" not in said
    assert answer(memory_chat, 1, owner="Cteam") == "ถัดไบ"


def test_thanks_while_deleting_is_pending_keeps_the_data_and_writes_nothing(memory_chat):
    open_question_one(memory_chat)
    memory_chat.say("ลบข้อมูลของฉัน")
    said = memory_chat.say("ขอบคุณครับ")

    assert "ไม่ได้ลบข้อมูล" in said
    assert "ไม่ได้บันทึกในคำตอบ" in said
    assert answer(memory_chat, 1) == "ส่วนแรก"


def test_a_fill_in_sentence_with_an_empty_blank_is_not_written_and_comes_back_to_complete(
        memory_chat):
    open_question_one(memory_chat)
    sent = "ลดระยะเวลาจาก 15 วัน เหลือ __ วัน"
    said = memory_chat.say(sent)

    assert "ยังไม่ได้บันทึกในคำตอบ" in said
    assert answer(memory_chat, 1) == "ส่วนแรก"
    chip = next(c for reply in memory_chat.last for c in getattr(reply, "choices", ())
                if c.fill_in is not None)
    assert chip.fill_in == sent and chip.text == "ข้อ 1"

    memory_chat.say("ลดระยะเวลาจาก 15 วัน เหลือ 3 วัน")
    assert answer(memory_chat, 1) == "ส่วนแรก\nลดระยะเวลาจาก 15 วัน เหลือ 3 วัน"

