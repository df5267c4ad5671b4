"""Recording a sender's round finds its rows by their event ids, however many the table keeps.

The outbox table is also every processed event id the retention keeps, so it grows with every
message. A round's outcomes were written with ``(event_id, claimed_until) IN (…)``, which
SQLite answers by scanning the whole table: every round, inside SQLite's write lock. These
tests read the database's own plan for the statement the sender runs, and what it wrote.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select, text

from bot.outbox import rows
from bot.store import Database, driver
from bot.store.models import ProcessedEvent

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _database(url: str) -> Database:
    database = Database(url)
    database.upgrade()
    with database.session() as session:
        session.add_all(ProcessedEvent(event_id=f"01E{n:04d}", received_at=NOW, chat_id="U1",
                                       reply_token=f"token{n}", messages=[{"type": "text"}],
                                       retry_key=f"key{n}", attempts=0, next_attempt_at=NOW)
                        for n in range(40))
    return database


def _recorded(database: Database, records: list[rows.Record]) -> tuple[int, tuple[str, Any]]:
    """Record the outcomes; return how many rows were written and the UPDATE that did it."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", note)
    # The record's UPDATE runs on the driver (bot.store.driver), which tells its own.
    driver.LISTENERS.append(lambda conn, statement, arguments: note(conn, None, statement,
                                                                     arguments))
    try:
        written = rows.record(database, records, now=NOW + timedelta(seconds=1))
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    assert len(seen) == 1
    return written, seen[0]


def _plan(database: Database, statement: str, parameters: Any) -> str:
    """Return the database's plan for the statement (for its first row's parameters), as text."""
    if isinstance(parameters, list):  # run over the round's rows (executemany)
        parameters = parameters[0]
    with database.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        if database.is_sqlite:
            cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = off")  # a tiny table: else any plan is a scan
        cursor.execute("EXPLAIN " + statement, parameters)
        return "\n".join(str(row[0]) for row in cursor.fetchall())


def test_a_round_s_outcomes_are_written_through_the_event_id_index(database_url):
    database = _database(database_url)
    try:
        claimed = rows.claim(database, now=NOW, lease=30, limit=3)
        assert len(claimed) == 3
        written, (statement, parameters) = _recorded(
            database, [rows.Record(row, delivery="replied") for row in claimed])
        plan = _plan(database, statement, parameters)
    finally:
        database.dispose()
    assert written == 3
    assert "processed_events" in plan
    assert "SCAN processed_events" not in plan and "Seq Scan" not in plan, plan


def test_only_the_rows_still_under_the_senders_lease_are_written(database_url):
    database = _database(database_url)
    try:
        claimed = rows.claim(database, now=NOW, lease=30, limit=2)
        lost = claimed[1]
        with database.session() as session:  # another sender took the second row over
            session.get(ProcessedEvent, lost.event_id).claimed_until = NOW + timedelta(hours=1)
        written, _ = _recorded(database, [rows.Record(row, delivery="replied") for row in claimed])
        with database.reading() as session:
            delivery = dict(session.execute(select(ProcessedEvent.event_id,
                                                   ProcessedEvent.delivery)).all())
            count = session.scalar(text("SELECT count(*) FROM processed_events"))
    finally:
        database.dispose()
    assert written == 1
    assert delivery[claimed[0].event_id] == "replied"
    assert delivery[lost.event_id] is None
    assert count == 40
    assert sum(1 for value in delivery.values() if value is not None) == 1
