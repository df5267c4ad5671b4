"""The outbox's JSON for a message is exactly what the SDK's own ``to_dict()`` gives."""

from __future__ import annotations

import pytest
from test_web_line_messages import ALL_KINDS, OVERSIZED

from bot.coach.messages import Choice, Reply, Text
from bot.web.line_json import message_json
from bot.web.line_messages import to_messages

SETUP = ["เริ่ม", "บริการภาครัฐ", "ยกระดับการอำนวยความสะดวกในการให้บริการ",
         "ระบบขออนุญาตขุดดินออนไลน์"]
ANSWER = ("เดิมประชาชนต้องเดินทางมายื่นคำขอที่สำนักงาน 3 ครั้ง หลังเปิดระบบออนไลน์ "
          "ระยะเวลาลดลงจาก 45 วันเหลือ 7 วัน")
#: A conversation that meets most of what the bot sends: the welcome and its chips, a
#: question in full, an acknowledgement with undo, findings with fill-in chips, the progress
#: bubble, the draft card, the list, help, and a group member mentioned and quoted.
SCRIPT = [*SETUP, ANSWER, "ถัดไป", "สั้น", "ถัดไป", "ความคืบหน้า", "ดูร่าง", "รายการ", "ช่วยเหลือ",
          "ย้อนกลับ", "ข้าม", "ไปข้อ 1", "แก้ข้อ 1", "ไม่รู้จะเขียนอะไร"]


def same_json(replies: list[Reply]) -> tuple[list[dict], list[dict]]:
    """Return the messages' JSON from the SDK and from message_json, side by side."""
    messages = to_messages(replies)
    return [m.to_dict() for m in messages], [message_json(m) for m in messages]


@pytest.mark.parametrize("replies", [ALL_KINDS, OVERSIZED, *([r] for r in ALL_KINDS)])
def test_every_kind_of_message_gives_the_sdks_own_json(replies):
    sdk, ours = same_json(replies)
    assert ours == sdk


def test_a_mention_a_quote_and_a_fill_in_chip_give_the_sdks_own_json():
    sdk, ours = same_json([Text("ข้อ 2 ยังไม่มีตัวเลข", mention="U" + "a" * 32, quote_token="q1",
                                choices=(Choice("เติมตัวเลข", "ไปข้อ 2", fill_in="ลดลง __ วัน"),
                                         Choice("คัดลอก", "x", clipboard="ข้อความ")))])
    assert (ours, "substitution" in ours[0], "quoteToken" in ours[0]) == (sdk, True, True)


def test_what_a_conversation_sends_gives_the_sdks_own_json(memory_chat):
    for text in SCRIPT:
        memory_chat.say(text)
        sdk, ours = same_json(memory_chat.last)
        assert (text, ours) == (text, sdk)


def test_what_a_group_conversation_sends_gives_the_sdks_own_json(memory_chat):
    for text in SCRIPT:
        memory_chat.say(text, user="U" + "b" * 32, group="C" + "c" * 32, quote_token="qt")
        sdk, ours = same_json(memory_chat.last)
        assert (text, ours) == (text, sdk)


def test_a_field_left_unset_is_left_out_and_a_set_one_goes_under_lines_name():
    ours = message_json(to_messages([Text("สวัสดี")])[0])
    assert ours == {"type": "text", "text": "สวัสดี"}
