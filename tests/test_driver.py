"""The answer path's writes on the driver send what SQLAlchemy itself would send.

``bot.store.driver`` runs a few statements on the driver's connection (SQLAlchemy compiles
them, the bound types convert the values). Each is stopped just before it reaches the
database, once through SQLAlchemy's ``Connection.execute`` and once through
:class:`DriverStatement`, and the SQL and the values must be the same: dates in SQLite's
text as SQLAlchemy writes them, JSON serialised alike, a JSON ``None`` as SQL NULL where the
column says so, literals filled in.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.outbox.rows import _writing
from bot.store import Database, StoreError, driver
from bot.store.answers import _INSERT_PART
from bot.store.driver import DriverStatement
from bot.store.repository import _CLAIM, _CLAIM_COLUMNS, _SAVE_OWNER

AT = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=UTC)
MESSAGES = [{"type": "text", "text": "บันทึกคำตอบข้อ 1 แล้ว", "quickReply": {"items": []}}]

#: Each statement with one row of values, as the code that runs it passes them.
CASES: dict[str, tuple[DriverStatement, dict[str, Any]]] = {
    "a part": (_INSERT_PART, {
        "answer_id": 7, "revision": 2, "author_id": "U1", "text": "ผู้รับบริการ 1,250 ราย",
        "words": 4, "sent_at": AT, "created_at": AT + timedelta(seconds=1),
        "message_id": "m1", "quote_token": None}),
    "the chat's state": (_SAVE_OWNER, {
        "new_state": "answering", "new_active_application_id": 3,
        "new_context": {"pending": {"U1": [1, 2]}, "เลือก": "ข้อ 2"},
        "new_updated_at": AT, "new_ended_at": None, "chat_id": "U1"}),
    "the claim with its outbox row": (_CLAIM, dict.fromkeys(_CLAIM_COLUMNS) | {
        "event_id": "01HEVENT", "received_at": AT, "chat_id": "U1", "reply_token": "token",
        "messages": MESSAGES, "retry_key": "key", "attempts": 1, "next_attempt_at": AT,
        "claimed_until": AT + timedelta(seconds=60), "last_attempt": "sending"}),
    "a claim without replies": (_CLAIM, dict.fromkeys(_CLAIM_COLUMNS) | {
        "event_id": "01HEVENT2", "received_at": AT, "attempts": 0}),
    "a reply recorded": (_writing(True, False, False), {
        "row_event_id": "01HEVENT", "row_lease": AT, "delivery": "replied", "sent_at": AT}),
    "a retry recorded": (_writing(False, True, True), {
        "row_event_id": "01HEVENT", "row_lease": AT, "next_at": AT, "last": "unknown"}),
}


class Stopped(Exception):
    """Raised where a statement would have reached the database."""


def _through_sqlalchemy(database: Database, statement: DriverStatement,
                        values: dict[str, Any]) -> tuple[str, Any]:
    seen: list[tuple[str, Any]] = []

    def stop(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_: Any) -> None:
        if sql.startswith("BEGIN"):
            return  # SQLite's transaction, begun before the statement
        seen.append((sql, parameters))
        raise Stopped

    event.listen(database.engine, "before_cursor_execute", stop)
    try:
        with database.engine.connect() as connection, pytest.raises(Stopped):
            connection.execute(statement.statement, values)
    finally:
        event.remove(database.engine, "before_cursor_execute", stop)
    return seen[-1]


def _through_the_driver(database: Database, statement: DriverStatement,
                        values: dict[str, Any], monkeypatch: pytest.MonkeyPatch
                        ) -> tuple[str, Any]:
    seen: list[tuple[str, Any]] = []

    def stop(_conn: Any, sql: str, arguments: Any) -> None:
        seen.append((sql, arguments))
        raise Stopped

    monkeypatch.setattr(driver, "LISTENERS", [stop])
    with database.engine.connect() as connection, pytest.raises(Stopped):
        statement.execute(connection, values)
    return seen[-1]


@pytest.mark.parametrize("case", CASES)
def test_a_write_on_the_driver_sends_what_sqlalchemy_sends(database_url: str, case: str,
                                                             monkeypatch: pytest.MonkeyPatch):
    database = Database(database_url)
    statement, values = CASES[case]
    try:
        expected = _through_sqlalchemy(database, statement, values)
        got = _through_the_driver(database, statement, values, monkeypatch)
    finally:
        database.dispose()
    assert got[0] == expected[0]
    # SQLAlchemy hands SQLite a tuple and psycopg a dict; the driver gets the same values.
    assert type(got[1]) is type(expected[1])
    assert _plain(got[1]) == _plain(expected[1])


def _plain(arguments: Any) -> Any:
    """Return the arguments with psycopg's JSON wrappers as their JSON text, to compare."""
    def one(value: Any) -> Any:
        return ("json", value.obj) if hasattr(value, "obj") else value
    if isinstance(arguments, dict):
        return {name: one(value) for name, value in arguments.items()}
    return tuple(one(value) for value in arguments)


def test_a_write_on_the_driver_is_stored_as_through_sqlalchemy(sqlite_url: str):
    # The outbox row a claim writes reads back the same through the ORM, dates and JSON.
    from sqlalchemy import select

    from bot.store.models import ProcessedEvent

    database = Database(sqlite_url)
    database.upgrade()
    statement, values = CASES["the claim with its outbox row"]
    with database.transaction() as connection:
        assert statement.execute(connection, values).fetchone() == ("01HEVENT",)
    with database.reading() as session:
        row = session.scalar(select(ProcessedEvent))
    database.dispose()
    assert row is not None
    assert row.messages == MESSAGES and row.attempts == 1 and row.last_attempt == "sending"
    assert row.claimed_until.replace(tzinfo=UTC) == AT + timedelta(seconds=60)


def test_an_error_on_the_driver_is_sqlalchemy_s_so_the_store_reports_it(database_url: str):
    from sqlalchemy.exc import IntegrityError

    database = Database(database_url)
    database.upgrade()
    statement, values = CASES["a part"]  # answer 7 does not exist: its foreign key refuses
    try:
        with pytest.raises(StoreError) as raised, database.transaction() as connection:
            statement.execute(connection, values)
    finally:
        database.dispose()
    assert isinstance(raised.value.__cause__, IntegrityError)  # as through SQLAlchemy
