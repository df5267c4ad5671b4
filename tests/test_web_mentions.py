"""In a group, a reply about one member's message mentions them and quotes their message."""

from __future__ import annotations

from line_support import ALICE, BOB, GROUP, REPLY_PATH, post_events, text_event
from linebot.v3.messaging import PushMessageRequest, ReplyMessageRequest

from bot.coach.messages import Choice, Text
from bot.web.line_messages import MAX_TEXT, to_messages

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]


def as_json(messages) -> list[dict]:
    """Return the messages as the SDK sends them, after validating them in a request."""
    ReplyMessageRequest(reply_token="t" * 32, messages=messages)
    PushMessageRequest(to="U" + "0" * 32, messages=messages)
    return [message.to_dict() for message in messages]


def test_a_mention_becomes_a_text_message_v2_with_the_members_id_and_the_quote():
    reply = Text("แก้ข้อ 2 ได้เลยครับ", mention=ALICE, quote_token="qt-1",
                 choices=(Choice("ยกเลิก", "ยกเลิก"),))
    (message,) = as_json(to_messages([reply]))
    assert message["type"] == "textV2"
    assert message["text"] == "{member} แก้ข้อ 2 ได้เลยครับ"
    assert message["substitution"] == {
        "member": {"type": "mention", "mentionee": {"type": "user", "userId": ALICE}}}
    assert message["quoteToken"] == "qt-1"
    assert message["quickReply"]["items"][0]["action"]["label"] == "ยกเลิก"


def test_text_with_braces_keeps_its_quote_but_is_sent_without_the_mention():
    (message,) = as_json(to_messages([Text("ใช้ {ชื่อ} ในแบบฟอร์ม", mention=ALICE,
                                           quote_token="qt-2")]))
    assert (message["type"], message["text"], message["quoteToken"]) == (
        "text", "ใช้ {ชื่อ} ในแบบฟอร์ม", "qt-2")


def test_only_the_first_piece_of_a_long_text_mentions_and_quotes():
    long_text = ("ก" * 100 + "\n") * 80
    first, second = as_json(to_messages([Text(long_text, mention=BOB, quote_token="qt-3")]))
    assert (first["type"], first["quoteToken"]) == ("textV2", "qt-3")
    assert second["type"] == "text" and "quoteToken" not in second
    assert len(first["text"]) <= MAX_TEXT


def test_a_plain_text_has_neither():
    (message,) = as_json(to_messages([Text("บันทึกแล้ว")]))
    assert message["type"] == "text" and "quoteToken" not in message


def test_in_a_group_the_ack_quotes_the_message_stored_and_an_edit_mentions_its_member(
        client, fake_line):
    for text in SETUP:
        post_events(client, text_event(text, user=ALICE, group=GROUP))
    answer = text_event("เดิมประชาชนต้องเดินทาง 3 ครั้ง", user=BOB, group=GROUP)
    post_events(client, answer)
    ack = fake_line.requests(REPLY_PATH)[-1]["messages"][-1]
    assert ack["quoteToken"] == answer["message"]["quoteToken"]
    post_events(client, text_event("แก้ข้อ 1", user=BOB, group=GROUP))
    prompt = fake_line.requests(REPLY_PATH)[-1]["messages"][-1]
    assert prompt["type"] == "textV2"
    assert prompt["substitution"]["member"]["mentionee"]["userId"] == BOB


def test_in_a_one_to_one_chat_nothing_is_mentioned_or_quoted(client, fake_line):
    for text in [*SETUP, "เดิมประชาชนต้องเดินทาง 3 ครั้ง", "แก้ข้อ 1"]:
        post_events(client, text_event(text, user=ALICE))
    for body in fake_line.requests(REPLY_PATH):
        for message in body["messages"]:
            assert message["type"] != "textV2" and "quoteToken" not in message
