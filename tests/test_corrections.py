"""Corrections in the engine, in memory: edits and unsends from LINE, undo and redo.

The golden transcripts (group_edit_unsend, undo_redo, group_undo) replay the main paths on
every store; here are the edges: what was taken back and the member's other ways out.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from bot.coach.corrections import UNDONE_KEPT, preview

GROUP = "Cgroup1"


def group_application(chat) -> None:
    """Start a group application (category 2.4) at question 1."""
    for text in ["เริ่ม", "2.4", "ขยายผลแปลงเรียนรู้หญ้าแฝก"]:
        chat.say(text, group=GROUP)


def context(chat, chat_id: str = GROUP) -> dict:
    """Return a chat's stored context."""
    return json.loads(chat.memory.chats[chat_id].context)


def stored(chat, chat_id: str = GROUP) -> str:
    """Return a chat's stored context as readable text."""
    return json.dumps(context(chat, chat_id), ensure_ascii=False)


def answers(chat, owner: str = GROUP) -> dict:
    """Return the current answers of the owner's first application."""
    return chat.export(owner)["applications"][0]["answers"]


def test_what_a_member_took_back_is_forgotten_when_they_delete_their_data(memory_chat):
    group_application(memory_chat)
    memory_chat.say("ข้อความลับของคุณหนึ่ง", group=GROUP, message_id="m1")
    memory_chat.say("ลบข้อความล่าสุด", group=GROUP)
    assert "ข้อความลับของคุณหนึ่ง" in stored(memory_chat)
    memory_chat.say("ลบข้อมูลของฉัน", group=GROUP)
    memory_chat.say("ยืนยัน", group=GROUP)
    assert "ข้อความลับของคุณหนึ่ง" not in stored(memory_chat)
    assert "ไม่มีข้อความให้เรียกคืน" in memory_chat.say("เรียกคืน", group=GROUP)


def test_a_message_taken_back_and_then_unsent_can_never_be_restored(memory_chat):
    group_application(memory_chat)
    memory_chat.say("ข้อความที่ถอนทีหลัง", group=GROUP, message_id="m1")
    memory_chat.say("ลบข้อความล่าสุด", group=GROUP)
    assert memory_chat.say("", group=GROUP, kind="unsend", message_id="m1") == ""
    assert "ไม่มีข้อความให้เรียกคืน" in memory_chat.say("เรียกคืน", group=GROUP)
    assert answers(memory_chat) == {}
    assert "ข้อความที่ถอนทีหลัง" not in stored(memory_chat)


def test_redo_restores_the_text_as_last_edited_in_line(memory_chat):
    group_application(memory_chat)
    memory_chat.say("ร่างพิมพ์ผด", group=GROUP, message_id="m1")
    memory_chat.say("ลบข้อความล่าสุด", group=GROUP)
    assert memory_chat.say("ร่างที่แก้แล้ว", group=GROUP, kind="message_edited",
                           message_id="m1") == ""
    # An earlier edit delivered late changes nothing, here too.
    memory_chat.say("ร่างแก้ครั้งแรก", group=GROUP, kind="message_edited", message_id="m1",
                    at=memory_chat.clock.now - timedelta(seconds=1))
    assert "“ร่างที่แก้แล้ว”" in memory_chat.say("เรียกคืน", group=GROUP)
    assert answers(memory_chat) == {"1": "ร่างที่แก้แล้ว"}


def test_a_member_line_does_not_name_is_not_offered_undo(memory_chat):
    group_application(memory_chat)
    memory_chat.say("จากคอมพิวเตอร์", user=None, group=GROUP)
    assert "ลบข้อความล่าสุด" not in memory_chat.choices()
    memory_chat.say("จากโทรศัพท์", group=GROUP)
    assert "ลบข้อความล่าสุด" in memory_chat.choices()


def test_writing_in_an_edit_ends_the_chance_to_restore(memory_chat):
    group_application(memory_chat)
    memory_chat.say("ส่วนแรก", group=GROUP)
    memory_chat.say("ส่วนที่ถอน", group=GROUP)
    memory_chat.say("ลบข้อความล่าสุด", group=GROUP)
    memory_chat.say("แก้ข้อ 1", group=GROUP)
    memory_chat.say("เพิ่ม", group=GROUP)
    memory_chat.say("ส่วนที่เขียนในการแก้", group=GROUP)
    assert "ไม่มีข้อความให้เรียกคืน" in memory_chat.say("เรียกคืน", group=GROUP)
    assert answers(memory_chat) == {"1": "ส่วนแรก\nส่วนที่เขียนในการแก้"}
    assert context(memory_chat)["undone"] == {}


def test_undo_in_an_edit_takes_back_from_the_answer_being_edited(memory_chat):
    group_application(memory_chat)
    memory_chat.say("คำตอบข้อหนึ่ง", group=GROUP)
    memory_chat.say("ถัดไป", group=GROUP)
    memory_chat.say("แก้ข้อ 1", group=GROUP)
    said = memory_chat.say("ลบข้อความล่าสุด", group=GROUP)
    assert "ข้อ 1: เอาข้อความล่าสุดของคุณออกแล้ว" in said
    assert answers(memory_chat) == {}


def test_only_the_last_few_parts_taken_back_are_kept(memory_chat):
    memory_chat.say("เริ่ม")
    memory_chat.say("1.1")
    memory_chat.say("คลินิกดินเคลื่อนที่")
    for index in range(UNDONE_KEPT + 2):
        memory_chat.say(f"ส่วนที่ {index}")
    for _ in range(UNDONE_KEPT + 2):
        memory_chat.say("ลบข้อความล่าสุด")
    kept = context(memory_chat, "U1")["undone"]["U1"]["parts"]
    assert [p["text"] for p in kept] == [f"ส่วนที่ {i}" for i in range(UNDONE_KEPT - 1, -1, -1)]


def test_a_malformed_stored_part_taken_back_counts_as_nothing_to_restore(memory_chat):
    memory_chat.say("เริ่ม")
    memory_chat.say("1.1")
    memory_chat.say("คลินิกดินเคลื่อนที่")
    row = memory_chat.memory.chats["U1"]
    broken = {**json.loads(row.context), "undone": {"U1": {"parts": [{"text": "ขาด"}]}}}
    memory_chat.memory.chats["U1"] = replace(row, context=json.dumps(broken))
    assert "ไม่มีข้อความให้เรียกคืน" in memory_chat.say("เรียกคืน")
    assert context(memory_chat, "U1")["undone"] == {}


def test_a_preview_is_one_short_line():
    assert preview("สั้น\nสองบรรทัด") == "สั้น สองบรรทัด"
    long = "ก" * 100
    assert (len(preview(long)), preview(long).endswith("…")) == (40, True)
