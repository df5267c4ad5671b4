"""An answer reads its chat before SQLite's write turn, and runs again if the chat changed.

On SQLite one writer at a time holds the write turn. An event reads its chat in a snapshot
first, takes the turn at its first write and checks there that the chat's version (kept by
migration 0012's triggers) did not move; when it did, nothing is kept and the event runs
again holding the turn from the start. These tests watch the order, force a change in
between, and make every kind of row change move the version.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from conftest import Chat, record_turns
from sqlalchemy import event, select, text

import bot.store.repository as repository
from bot.coach.messages import Event
from bot.store import Database, driver
from bot.store.deletion import erase_member
from bot.store.models import Owner, ProcessedEvent
from bot.store.write_turn import hold_turn, read_first

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]
FIRST = "ผู้รับบริการยื่นคำขอผ่านระบบออนไลน์ได้ตลอดยี่สิบสี่ชั่วโมงโดยไม่ต้องเดินทางมาที่สำนักงาน"
SECOND = "ระยะเวลาการให้บริการลดลงจากสิบห้าวันเหลือสามวันทำการหลังเปิดใช้ระบบ"


def _record(database: Database, seen: list[str]) -> None:
    """Record the turn taken and given back, and the first word of every statement."""
    record_turns(database, seen)
    event.listen(database.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: seen.append(statement.split()[0].upper()))
    # The answer path's writes run on the driver (bot.store.driver), which tells its own.
    driver.LISTENERS.append(lambda _c, statement, _a: seen.append(statement.split()[0].upper()))


def _answer_text(database: Database) -> str:
    with database.reading() as session:
        return "\n".join(session.scalars(text(
            "SELECT p.text FROM answer_parts p JOIN answers a ON a.id = p.answer_id"
            " WHERE a.revision = p.revision ORDER BY p.id")))


def _version(database: Database, chat_id: str) -> int:
    with database.reading() as session:
        version = session.scalar(select(Owner.version).where(Owner.id == chat_id))
    assert version is not None
    return version


@pytest.fixture
def sqlite_chat(sqlite_url: str, clock) -> Iterator[Chat]:  # noqa: ANN001 - conftest's clock
    """Return a chat driver on a SQLite file, mid-application (its first question open)."""
    driver = Chat(sqlite_url, clock)
    for said in SETUP:
        driver.say(said)
    yield driver
    driver.close()


def test_an_answer_reads_its_chat_before_the_turn_and_writes_in_it(sqlite_chat: Chat):
    seen: list[str] = []
    _record(sqlite_chat.service.database, seen)
    sqlite_chat.say(FIRST)
    # The lock read (and any read before the first write) runs without the turn; the turn
    # is taken for the first write and kept to the commit.
    assert seen[0] == "BEGIN" and seen[1] == "SELECT"
    taken = seen.index("turn taken")
    assert "SELECT" in seen[:taken] and "INSERT" not in seen[:taken]
    assert seen[taken + 1] in ("INSERT", "UPDATE")
    assert seen[-1] == "turn given back"
    assert seen.count("turn taken") == 1
    assert FIRST in _answer_text(sqlite_chat.service.database)


def test_a_change_while_it_read_makes_the_event_run_again_in_turn_and_nothing_is_lost(
        sqlite_chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    database = sqlite_chat.service.database
    real_read = repository._read_chat
    interrupted: list[bool] = []

    def read_then_interrupt(session, chat_id):  # noqa: ANN001, ANN202 - the module's own
        found = real_read(session, chat_id)
        if read_first(session) is not None and not interrupted:
            interrupted.append(True)
            # Another event of the chat commits while this one has read and not yet written.
            other = threading.Thread(target=sqlite_chat.say, args=(SECOND,))
            other.start()
            other.join(timeout=30)
            assert not other.is_alive()
        return found

    monkeypatch.setattr(repository, "_read_chat", read_then_interrupt)
    calls: list[int] = []
    event_id = uuid.uuid4().hex
    answer = Event(user_id="U1", chat_id="U1", chat_type="user", kind="text",
                   timestamp=datetime.now(UTC), text=FIRST, event_id=event_id)
    with caplog.at_level(logging.INFO, logger="bot.service"):
        outcome = sqlite_chat.service.process(
            answer, on_replies=lambda _store, replies: calls.append(len(replies)))
    assert interrupted == [True]
    assert "read a chat that changed: run again in turn" in caplog.text
    # The first run kept nothing (it stopped at its first write, before its replies); the
    # second, holding the turn, stored the answer after the other event's, once.
    assert len(calls) == 1 and outcome.replies and not outcome.duplicate
    assert _answer_text(database).split("\n") == [SECOND, FIRST]
    with database.reading() as session:
        claimed = session.scalars(select(ProcessedEvent.event_id)
                                  .where(ProcessedEvent.event_id == event_id)).all()
    assert claimed == [event_id]


def test_without_a_change_the_event_runs_once(sqlite_chat: Chat, caplog):  # noqa: ANN001
    calls: list[int] = []
    answer = Event(user_id="U1", chat_id="U1", chat_type="user", kind="text",
                   timestamp=datetime.now(UTC), text=FIRST, event_id=uuid.uuid4().hex)
    with caplog.at_level(logging.INFO, logger="bot.service"):
        sqlite_chat.service.process(answer, on_replies=lambda _s, r: calls.append(len(r)))
    assert len(calls) == 1
    assert "run again" not in caplog.text


@pytest.fixture
def recorded(sqlite_url: str) -> Iterator[tuple[Database, list[str]]]:
    """Return a migrated SQLite database and what it records (see :func:`_record`)."""
    database = Database(sqlite_url)
    database.upgrade()
    seen: list[str] = []
    _record(database, seen)
    yield database, seen
    database.dispose()


def test_hold_turn_takes_the_turn_before_the_next_read(recorded):  # noqa: ANN001
    database, seen = recorded
    with database.writer(reads_first=True) as session, session.begin():
        session.execute(text("SELECT 1"))
        hold_turn(session)
        session.execute(text("SELECT 2"))
    assert seen == ["BEGIN", "SELECT", "turn taken", "SELECT", "turn given back"]


def test_a_savepoint_takes_the_turn_first_so_the_snapshot_s_end_cannot_drop_it(
        recorded):  # noqa: ANN001
    database, seen = recorded
    with database.writer(reads_first=True) as session, session.begin():
        session.execute(text("SELECT 1"))
        with session.begin_nested():  # released at its end: it must still exist then
            session.execute(text("SELECT 2"))
    assert seen[:4] == ["BEGIN", "SELECT", "turn taken", "SAVEPOINT"]
    assert "RELEASE" in seen


#: A change to each kind of row of a chat, by anyone (here: plain SQL, as no code of the bot).
CHANGES = {
    "the chat's own row": "UPDATE owners SET state = 'elsewhere' WHERE id = 'U1'",
    "an application": "UPDATE applications SET title = 'อื่น'",
    "an answer": "UPDATE answers SET status = 'skipped'",
    "a part": "UPDATE answer_parts SET text = 'แก้แล้ว'",
    "a part added": ("INSERT INTO answer_parts (answer_id, revision, text, words, sent_at,"
                     " created_at)"
                     " SELECT answer_id, revision, 'อีก', 1, sent_at, created_at FROM answer_parts"
                     " LIMIT 1"),
    "a part deleted": "DELETE FROM answer_parts",
    "an application deleted": "DELETE FROM applications",
    "a member added": "INSERT INTO chat_members (owner_id, user_id) VALUES ('U1', 'U2')",
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_a_chat_s_rows_moves_its_version(sqlite_chat: Chat, change: str):
    database = sqlite_chat.service.database
    sqlite_chat.say(FIRST)
    before = _version(database, "U1")
    with database.engine.begin() as connection:
        connection.execute(text(CHANGES[change]))
    assert _version(database, "U1") > before


def test_a_member_s_deletion_elsewhere_moves_the_group_s_version(sqlite_url: str, clock):  # noqa: ANN001
    driver = Chat(sqlite_url, clock)
    for said in SETUP:
        driver.say(said, user="U2", group="G1")
    driver.say(FIRST, user="U2", group="G1")
    database = driver.service.database
    before = _version(database, "G1")
    with database.session() as session:
        erase_member(session, "U2", placeholder="-")  # the retention purge's way
    assert _version(database, "G1") > before
    driver.close()
