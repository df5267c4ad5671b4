"""Through the webhook and the real SDK: a finding that asks for a figure offers a fill-in chip.

LINE must receive a quick-reply postback action that opens the keyboard with the sentence
to complete (inputOption openKeyboard, fillInText); the tap's postback goes back to the
answer it concerns and writes nothing; the completed sentence the officer then sends is
added to that answer like any other message.
"""

from __future__ import annotations

from line_support import (
    ALICE,
    REPLY_PATH,
    limit_violations,
    post_events,
    postback_event,
    text_event,
)

from bot.store import export_owner

SETUP = ["เริ่ม", "1.6", "ระบบขออนุญาตขุดดินออนไลน์", "ข้อ 5"]
CLAIM = ("ระบบขออนุญาตออนไลน์ช่วยลดขั้นตอนการยื่นเอกสาร ผู้ประกอบการที่ยื่นคำขอผ่านระบบ"
         "เพิ่มขึ้นจาก 1,150 รายในปี 2563 เป็น 1,480 รายในปี 2564")
TEMPLATE = "ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน"


def answers(app) -> dict[str, str]:
    """Return the stored answers of the officer's application, by question number."""
    applications = export_owner(app.extensions["coaching"].database, ALICE)["applications"]
    return applications[0]["answers"]


def say(client, text: str) -> None:
    """Send one text message through the webhook."""
    assert post_events(client, text_event(text, user=ALICE)).status_code == 200


def fill_in_action(fake_line) -> dict:
    """Return the fill-in chip's action in the last reply LINE received."""
    message = fake_line.requests(REPLY_PATH)[-1]["messages"][-1]
    actions = [item["action"] for item in message["quickReply"]["items"]]
    [action] = [a for a in actions if a["type"] == "postback"]
    return action


def test_the_reply_carries_a_postback_that_opens_the_keyboard_with_the_sentence(
        client, fake_line):
    for text in [*SETUP, CLAIM, "ถัดไป"]:
        say(client, text)
    reply = fake_line.requests(REPLY_PATH)[-1]["messages"]
    assert 'คุณเขียนว่า "ลดขั้นตอน"' in reply[0]["text"]
    assert fill_in_action(fake_line) == {
        "type": "postback", "label": "เติมข้อ 5: ขั้นตอน", "data": "ข้อ 5",
        "displayText": "เติมข้อ 5: ขั้นตอน", "inputOption": "openKeyboard",
        "fillInText": TEMPLATE}
    assert limit_violations(reply) == []


def test_the_tap_opens_the_answer_and_the_completed_sentence_joins_it(app, client, fake_line):
    for text in [*SETUP, CLAIM, "ถัดไป"]:
        say(client, text)
    action = fill_in_action(fake_line)
    tapped = post_events(client, postback_event(action["data"], user=ALICE))
    assert tapped.status_code == 200
    assert "ข้อ 5 จาก 10" in fake_line.texts(REPLY_PATH)[-1]
    assert answers(app)["5"] == CLAIM               # the postback wrote nothing
    say(client, action["fillInText"].replace("__", "8", 1).replace("__", "3", 1))
    assert answers(app)["5"] == CLAIM + "\nลดขั้นตอนจาก 8 ขั้นตอน เหลือ 3 ขั้นตอน"
    say(client, "ถัดไป")
    last = fake_line.requests(REPLY_PATH)[-1]["messages"]
    assert "ข้อ 6 จาก 10" in last[-1]["text"]
    assert not any("คุณเขียนว่า" in message.get("text", "") for message in last)
