"""Limits through LINE: signed webhook bodies in, the real SDK replying through the fake LINE API.

The settings reach the engine from ``create_app``; what is over a limit is answered in Thai
through LINE, and nothing of it is stored, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from line_support import ALICE, REPLY_PATH, limit_violations, post_events, text_event, web_config

from bot.store import export_owner
from bot.web import create_app

SETUP = ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]


@pytest.fixture
def limited_app(database_url, fake_line) -> Iterator:
    """Return the web app with a message limit of 1,000 characters and 6 messages a minute."""
    built = create_app(web_config(database_url, fake_line.url, LIMIT_MESSAGE_CHARS="1000",
                                  LIMIT_MESSAGES_PER_MINUTE="6"))
    yield built
    outbox = built.extensions.get("outbox")  # replies may go through a sender thread
    if outbox is not None:
        outbox.stop()
    built.extensions["coaching"].database.dispose()


def say(client, fake_line, text: str) -> str:
    """Send one text through the webhook and return the bot's reply, as LINE received it."""
    before = len(fake_line.calls())
    assert post_events(client, text_event(text)).status_code == 200
    fake_line.wait_for_calls(before + 1)
    path, body, _ = fake_line.calls()[-1]
    assert path == REPLY_PATH and limit_violations(body["messages"]) == []
    return "\n".join(m.get("text", "") for m in body["messages"])


def stored_answers(app) -> dict:
    """Return the answers of Alice's first application."""
    database = app.extensions["coaching"].database
    return export_owner(database, ALICE)["applications"][0]["answers"]


def test_a_message_over_the_set_limit_is_answered_through_line_and_not_stored(
        limited_app, fake_line):
    client = limited_app.test_client()
    for text in SETUP:
        say(client, fake_line, text)
    said = say(client, fake_line, "ก" * 1200)
    assert said.splitlines() == [
        "ข้อความนี้ยาว 1,200 ตัวอักษร เกินที่รับได้ต่อข้อความ (1,000 ตัวอักษร) ไป 200 ตัวอักษร "
        "ข้อความนี้จึงยังไม่ได้บันทึกครับ ส่วนที่บันทึกไว้แล้วยังอยู่ครบ",
        "กรุณาแบ่งเป็นหลายข้อความ ข้อความละไม่เกิน 1,000 ตัวอักษร แล้วส่งใหม่"]
    assert "บันทึกข้อ 1 แล้ว" in say(client, fake_line, "ก" * 1000)
    assert stored_answers(limited_app) == {"1": "ก" * 1000}


def test_messages_past_the_rate_are_told_once_then_briefly_and_not_stored(limited_app, fake_line):
    client = limited_app.test_client()
    for text in SETUP:
        say(client, fake_line, text)
    for text in ["ส่วนที่หนึ่ง", "ส่วนที่สอง", "ส่วนที่สาม"]:  # the fourth to sixth this minute
        assert "บันทึกข้อ 1 แล้ว" in say(client, fake_line, text)
    first = say(client, fake_line, "ส่วนที่สี่")
    assert first.startswith("ส่งข้อความเร็วเกินไปครับ แชตนี้ส่งได้ไม่เกิน 6 ข้อความต่อนาที "
                            "นาทีนี้ส่งมาแล้ว 7 ข้อความ เกินไป 1 ข้อความ")
    assert say(client, fake_line, "ความคืบหน้า").startswith(
        "ยังส่งเร็วเกินไปครับ (เกิน 6 ข้อความต่อนาที) ข้อความนี้ไม่ได้บันทึก")
    assert stored_answers(limited_app) == {"1": "ส่วนที่หนึ่ง\nส่วนที่สอง\nส่วนที่สาม"}
