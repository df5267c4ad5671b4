"""Copying an answer for OPDC's online form: clipboard chips of at most 1,000 characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from linebot.v3.messaging import ReplyMessageRequest

from bot.coach.copying import MAX_PIECES, PIECE, split_pieces
from bot.coach.messages import Choice, Text
from bot.coach.texts import Command, default_texts
from bot.web.line_messages import to_messages

PARAGRAPH = ("สำนักงานพัฒนาที่ดินเขตจัดบริการตรวจวิเคราะห์ดินเคลื่อนที่ให้เกษตรกร 3,960 ราย "
             "ลดเวลารอผลจาก 30 วันเหลือ 5 วัน ") * 6


def start(chat) -> None:
    for text in ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]:
        chat.say(text)


def test_copy_n_offers_pieces_that_join_back_into_the_answer(memory_chat):
    start(memory_chat)
    for _ in range(3):
        memory_chat.say(PARAGRAPH)
    said = memory_chat.say("คัดลอกข้อ 1")
    answer = memory_chat.export()["applications"][0]["answers"]["1"]
    chips = memory_chat.last[-1].choices
    assert "แตะปุ่มคัดลอก" in said
    assert "".join(chip.clipboard or "" for chip in chips) == answer
    assert all(len(chip.clipboard or "") <= PIECE for chip in chips)
    assert [chip.label for chip in chips][0] == f"คัดลอกส่วน 1/{len(chips)}"


def test_copying_an_empty_answer_says_there_is_nothing_yet(memory_chat):
    start(memory_chat)
    assert "ยังไม่มีคำตอบให้คัดลอก" in memory_chat.say("copy 2")


def test_an_answer_longer_than_thirteen_pieces_says_how_far_the_chips_go(memory_chat):
    start(memory_chat)
    memory_chat.say("ข้อ 5")  # 20 points: it may hold 18,000 characters (bot.coach.limits)
    for _ in range(12):
        memory_chat.say(PARAGRAPH * 2)
    said = memory_chat.say("คัดลอกข้อ 5")
    assert "คัดลอกได้ถึงตัวอักษรที่" in said and "ดูร่าง" in said
    assert len(memory_chat.last[-1].choices) == MAX_PIECES


def test_copy_is_a_numbered_command_and_not_a_goto():
    assert default_texts().command("คัดลอกข้อ 3") == Command("copy", 3)
    assert default_texts().command("ข้อ 3") == Command("goto", 3)


@given(st.text(alphabet=st.sampled_from(list("กขคงจ \n1234")), max_size=5000))
def test_pieces_always_join_back_and_fit(text):
    pieces = split_pieces(text)
    assert "".join(pieces) == text
    assert all(0 < len(piece) <= PIECE for piece in pieces)


@pytest.mark.parametrize("size", [1, 999, 1000])
def test_a_clipboard_chip_becomes_lines_clipboard_action(size):
    chip = Choice("คัดลอกส่วน 1/1", "คัดลอกข้อ 1", clipboard="ก" * size)
    messages = to_messages([Text("พร้อมคัดลอก", choices=(chip,))])
    ReplyMessageRequest(reply_token="t" * 32, messages=messages)   # the SDK validates it
    (item,) = messages[0].to_dict()["quickReply"]["items"]
    assert item["action"] == {"type": "clipboard", "label": "คัดลอกส่วน 1/1",
                              "clipboardText": "ก" * size}
