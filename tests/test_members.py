"""Group members LINE does not name (LINE on PC or Mac sends no userId) never act as someone.

Their messages are kept, with no author, but nothing that needs to know who is speaking
(deleting "my" data, an edit of "mine") is done for them, and no two of them share a slot.
"""

from __future__ import annotations

GROUP = "Cteam"
NOBODY = None  # what LINE sends as the userId of a member on LINE PC or Mac


def start_in_group(chat) -> None:
    for text in ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]:
        chat.say(text, user="Ualice", group=GROUP)


def test_a_member_without_an_id_cannot_delete_and_is_never_told_it_was_done(any_chat):
    start_in_group(any_chat)
    any_chat.say("เกษตรกร 300 รายรอผลตรวจดิน 30 วัน", user=NOBODY, group=GROUP)
    asked = any_chat.say("ลบข้อมูลของฉัน", user=NOBODY, group=GROUP)
    assert "LINE บนคอมพิวเตอร์" in asked and "ยังไม่ได้ทำอะไร" in asked
    confirmed = any_chat.say("ยืนยัน", user=NOBODY, group=GROUP)
    assert "ลบ" not in confirmed.replace("ลบข้อมูลของฉัน", "")
    answers = any_chat.export(GROUP)["applications"][0]["answers"]
    assert answers == {"1": "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน"}


def test_a_member_without_an_id_starting_an_edit_captures_nobodys_next_message(any_chat):
    start_in_group(any_chat)
    any_chat.say("ส่วนแรกของข้อหนึ่ง", user="Ualice", group=GROUP)
    said = any_chat.say("แก้ข้อ 1", user=NOBODY, group=GROUP)
    assert "LINE บนคอมพิวเตอร์" in said
    any_chat.say("ข้อความจากคอมพิวเตอร์อีกเครื่อง", user=NOBODY, group=GROUP)
    answers = any_chat.export(GROUP)["applications"][0]["answers"]
    assert answers == {"1": "ส่วนแรกของข้อหนึ่ง\nข้อความจากคอมพิวเตอร์อีกเครื่อง"}


def test_a_named_members_edit_is_theirs_alone_while_an_unnamed_member_writes(any_chat):
    start_in_group(any_chat)
    any_chat.say("ฉบับเดิม", user="Ualice", group=GROUP)
    any_chat.say("แก้ข้อ 1", user="Ualice", group=GROUP)
    any_chat.say("ข้อความของคนที่ไม่มีไอดี", user=NOBODY, group=GROUP)
    any_chat.say("ฉบับใหม่ของอลิซ", user="Ualice", group=GROUP)
    answers = any_chat.export(GROUP)["applications"][0]["answers"]
    assert answers["1"] == "ฉบับใหม่ของอลิซ"
