"""How many SQL statements an event costs: few for an answer, and none more as an application grows.

Counts are deterministic, so they are asserted (time never is: bench/statements.py prints
both). Transaction control (BEGIN, COMMIT …) is not counted; statements read before the
chat's lock (the analysis warm-up) are counted apart.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import Chat
from sqlalchemy import event

from bot.coach.texts import default_texts
from bot.delivery import LinkPublisher
from bot.delivery.links import DraftLinks
from bot.store import driver

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]
TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class Counted:
    """The statements of one event: in the chat's transaction, and read before it."""

    locked: list[str] = field(default_factory=list)
    before: list[str] = field(default_factory=list)


class Counter:
    """Count the statements a chat driver's database runs while counting."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.counted: Counted | None = None
        event.listen(chat.service.database.engine, "before_cursor_execute", self._statement)
        # The answer path's writes run on the driver (bot.store.driver), which tells its own.
        driver.LISTENERS.append(lambda conn, statement, _arguments: self._statement(
            conn, None, statement))

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        word = statement.split(None, 1)[0].upper()
        if self.counted is None or word in TRANSACTION_WORDS:
            return
        reading = conn.get_execution_options().get("lertrat_read_only")
        (self.counted.before if reading else self.counted.locked).append(word)

    @contextmanager
    def counting(self) -> Iterator[Counted]:
        """Count the statements run inside the block."""
        self.counted = Counted()
        try:
            yield self.counted
        finally:
            self.counted = None

    def event(self, text: str, **kwargs: Any) -> Counted:
        """Send one message and return what it cost."""
        with self.counting() as counted:
            self.chat.say(text, **kwargs)
        return counted


@pytest.fixture
def counter(chat: Chat) -> Counter:
    """Return a counter on a chat (SQLite, PostgreSQL) that answers ``ดูร่าง`` with links."""
    links = DraftLinks(secrets.token_urlsafe(32), "http://test.invalid")
    chat.service.coach.publisher = LinkPublisher(links, default_texts())
    for text in SETUP:
        chat.say(text)
    return counter_of(chat)


def counter_of(chat: Chat) -> Counter:
    """Return a counter of ``chat``'s statements."""
    return Counter(chat)


def write(chat: Chat, parts: int, *, serial: int = 0) -> None:
    """Write ``parts`` parts, spread over questions 1 to 10, each a LINE message."""
    for index in range(parts):
        chat.say(f"ข้อ {index % 10 + 1}")
        chat.say(f"ผู้รับบริการ {index * 10 + 7} รายต่อเดือน ลดเวลารอจาก 45 วันเหลือ 7 วัน",
                 message_id=f"m{serial}-{index}")


@pytest.mark.slow
def test_an_answer_event_locks_reads_and_writes_in_four_statements(counter):
    chat = counter.chat
    chat.say("ข้อ 3")
    chat.say("ส่วนแรกของคำตอบ", message_id="m1")
    counted = counter.event("ผู้รับบริการ 1,250 ราย", message_id="m2")
    # Lock the chat and read its state; the event id; the part; the chat's state.
    assert sorted(counted.locked) == ["INSERT", "INSERT", "SELECT", "UPDATE"]
    assert counted.before == []
    again = counter.event("ส่งซ้ำ", message_id="m2")   # LINE's message id is stored once
    assert len(again.locked) == 4
    assert chat.export()["applications"][0]["answers"]["3"] == (
        "ส่วนแรกของคำตอบ\nผู้รับบริการ 1,250 ราย")


@pytest.mark.slow
def test_the_first_message_to_a_question_makes_its_answer_without_counting_it(counter):
    chat = counter.chat
    chat.say("ข้อ 4")
    first = counter.event("ผู้รับบริการ 1,250 ราย", message_id="m1")
    # Lock and read; look for the answer's row and make it (the lock read none: nothing to
    # count); the part; the event id; the chat's state.
    assert sorted(first.locked) == ["INSERT", "INSERT", "INSERT", "SELECT", "SELECT", "UPDATE"]
    second = counter.event("ลดเวลารอจาก 45 วันเหลือ 7 วัน", message_id="m2")
    assert len(second.locked) == 4
    assert chat.export()["applications"][0]["answers"]["4"] == (
        "ผู้รับบริการ 1,250 ราย\nลดเวลารอจาก 45 วันเหลือ 7 วัน")


@pytest.mark.slow
@pytest.mark.parametrize("text", ["ความคืบหน้า", "ดูร่าง", "ใบสมัครของฉัน", "ถัดไป", "ข้อ 2"])
def test_reading_the_application_costs_the_same_however_large_it_grows(counter, text):
    chat = counter.chat
    write(chat, 3)
    chat.say("ข้อ 1")
    small = counter.event(text)
    chat.say("ข้อ 1")
    write(chat, 30, serial=1)
    for title in ("โครงการสอง", "โครงการสาม"):
        for words in [*SETUP[:2], title]:
            chat.say(words)
        write(chat, 5, serial=len(title))
    chat.say("เลือก 1")
    chat.say("ข้อ 1")
    large = counter.event(text)
    assert (len(large.locked), len(large.before)) == (len(small.locked), len(small.before))
    assert len(large.locked) <= 6 and len(large.before) <= 2


@pytest.mark.slow
def test_an_export_reads_outside_the_lock_in_three_statements_however_much_is_stored(counter):
    chat = counter.chat
    write(chat, 3)
    with counter.counting() as small:
        chat.export()
        chat.versions("U1", 1)
    for serial, title in enumerate(("โครงการสอง", "โครงการสาม"), start=1):
        for words in [*SETUP[:2], title]:
            chat.say(words)
        write(chat, 12, serial=serial)
    with counter.counting() as large:
        exported = chat.export()
        versions = chat.versions("U1", 1)
    # Each: the applications, their answers, the answers' parts; read-only, no write turn.
    assert small.locked == large.locked == []
    assert small.before == large.before == ["SELECT"] * 6
    assert len(exported["applications"]) == len(versions) == 3
    assert exported["applications"][2]["answers"]["1"] == "\n".join(
        f"ผู้รับบริการ {n} รายต่อเดือน ลดเวลารอจาก 45 วันเหลือ 7 วัน" for n in (7, 107))
    assert versions[2] == [exported["applications"][2]["answers"]["1"]]


def test_an_event_that_waited_for_the_chat_reads_what_the_event_before_it_wrote(database_url):
    from datetime import UTC, datetime

    from bot.store import Database, SqlStoreOpener
    database = Database(database_url)
    database.upgrade()
    opener = SqlStoreOpener(database)
    t0 = datetime(2026, 12, 1, tzinfo=UTC)
    with opener.open("U1", "user") as store:
        app = store.create_application(track="public_service", year=2564, category="1.1",
                                       title="ทดสอบ", created_by="U1", at=t0).id
        conversation = store.conversation()
        conversation.application_id, conversation.state = app, "answering"
        store.save_conversation(conversation, at=t0)
    seen: dict[str, Any] = {}
    waiting = threading.Event()

    def second() -> None:
        waiting.set()
        with opener.open("U1", "user") as store:   # waits for the first event's lock
            seen["question"] = store.application(app).current_question
            seen["summary"] = store.append_part(app, 4, author="U1", text="หลัง", words=1, at=t0)

    with opener.open("U1", "user") as store:
        store.set_current_question(app, 4, at=t0)
        store.append_part(app, 4, author="U1", text="ก่อน สอง", words=2, at=t0)
        thread = threading.Thread(target=second)
        thread.start()
        waiting.wait()
        time.sleep(0.3)   # let the second event reach the lock; the outcome does not depend on it
    thread.join()
    database.dispose()
    assert seen["question"] == 4
    assert (seen["summary"].parts, seen["summary"].words) == (2, 3)
