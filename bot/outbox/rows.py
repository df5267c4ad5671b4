"""The outbox's rows in ``processed_events``: enqueue, claim, record, count, forget.

- :func:`enqueue` hands an event's replies to the store's transaction: the event-id claim
  at its end (:func:`bot.store.repository._claim_event`) inserts them in the same statement.
- :func:`claim` takes up to ``limit`` due rows for one sender in one short transaction:
  one ``UPDATE … WHERE event_id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`` on
  PostgreSQL (senders on many machines never wait on, nor take, each other's rows); on
  SQLite the same statement inside the ``BEGIN IMMEDIATE`` every transaction starts with.
  A claimed row is leased (``claimed_until``), its attempt counted, and its ``last_attempt``
  set to ``sending`` (or ``unknown`` when an earlier attempt may have landed), so that a
  sender killed mid-call leaves a row another sender takes over once the lease ends,
  knowing the call may have landed.
- :func:`record` writes what came of the calls, only where the lease is still this
  sender's, in one transaction without an ORM session; a settled row loses its messages
  and reply token (personal data).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select, update

from bot.store import Database
from bot.store.driver import DriverStatement
from bot.store.models import ProcessedEvent
from bot.store.records import utc
from bot.store.repository import SqlStore

_TABLE = ProcessedEvent.__table__
#: Where the replies wait in ``session.info`` for the event-id claim (bot.store.repository).
OUTBOX = "outbox"


@dataclass(frozen=True)
class Claimed:
    """One row a sender holds until ``claimed_until``."""

    event_id: str
    chat_id: str | None
    reply_token: str | None
    messages: list[dict[str, Any]]
    retry_key: str
    attempts: int  # counting the one about to be made
    received_at: datetime
    in_doubt: bool  # an earlier attempt may have landed
    claimed_until: datetime


@dataclass(frozen=True)
class Record:
    """What to write for a claimed row after its call."""

    row: Claimed
    delivery: str | None = None  # settled: replied, pushed, failed, given_up
    next_attempt_at: datetime | None = None  # not settled: when to try again
    last_attempt: str | None = None
    drop_token: bool = False
    released: bool = False  # not tried at all: the attempt is not counted


def enqueue(store: object, *, event_id: str, chat_id: str, reply_token: str | None,
            messages: list[dict[str, Any]], lease: float | None = None) -> Claimed | None:
    """Have the store's transaction insert these replies with its event id.

    With ``lease`` (seconds), the row goes in already leased to this process's sender, as
    :func:`claim` would lease it, and is returned for the sender to take once the transaction
    commits: no claiming transaction for a reply sent at once. Should the process die first,
    the lease runs out and any sender takes the row over, as after a claim.
    """
    if not isinstance(store, SqlStore):
        raise TypeError("the outbox needs a SQL store")
    now = datetime.now(UTC)
    row: dict[str, Any] = {"chat_id": chat_id, "reply_token": reply_token, "messages": messages,
                           "retry_key": str(uuid.uuid4()), "next_attempt_at": now}
    claimed = None
    if lease is not None:
        until = now + timedelta(seconds=lease)
        row.update(claimed_until=until, attempts=1, last_attempt="sending")
        claimed = Claimed(event_id=event_id, chat_id=chat_id, reply_token=reply_token,
                          messages=messages, retry_key=row["retry_key"], attempts=1,
                          received_at=now, in_doubt=False, claimed_until=until)
    store.session.info[OUTBOX] = row
    return claimed


def claim(database: Database, *, now: datetime, lease: float, limit: int) -> list[Claimed]:
    """Lease up to ``limit`` due rows to this sender, oldest first."""
    until = now + timedelta(seconds=lease)
    due = (select(ProcessedEvent.event_id)
           .where(ProcessedEvent.next_attempt_at <= now,
                  or_(ProcessedEvent.claimed_until.is_(None), ProcessedEvent.claimed_until < now))
           .order_by(ProcessedEvent.next_attempt_at).limit(limit)
           .with_for_update(skip_locked=True))
    doubt = case((ProcessedEvent.last_attempt.in_(("sending", "unknown")), "unknown"),
                 else_="sending")
    statement = (update(ProcessedEvent).where(ProcessedEvent.event_id.in_(due.scalar_subquery()))
                 .values(claimed_until=until, attempts=ProcessedEvent.attempts + 1,
                         last_attempt=doubt)
                 .returning(ProcessedEvent.event_id, ProcessedEvent.chat_id,
                            ProcessedEvent.reply_token, ProcessedEvent.messages,
                            ProcessedEvent.retry_key, ProcessedEvent.attempts,
                            ProcessedEvent.received_at, ProcessedEvent.last_attempt)
                 .execution_options(synchronize_session=False))
    with database.session() as session:
        rows = session.execute(statement).all()
    claimed = [Claimed(event_id=r.event_id, chat_id=r.chat_id, reply_token=r.reply_token,
                       messages=r.messages or [], retry_key=r.retry_key or r.event_id,
                       attempts=r.attempts, received_at=utc(r.received_at),
                       in_doubt=r.last_attempt == "unknown", claimed_until=until)
               for r in rows]
    return sorted(claimed, key=lambda row: (row.received_at, row.event_id))


def record(database: Database, records: Sequence[Record], *, now: datetime) -> int:
    """Write the outcomes in one transaction; return how many rows were still ours.

    Each row is found by its event id (the primary key) and written only while its lease is
    still this sender's. Outcomes of one kind (most often all of them: replied) go in one
    statement run over their rows (``executemany``), built once per kind (:func:`_writing`):
    the round is one short transaction, on SQLite inside the database's write lock, that
    works out nothing but its parameters.
    """
    groups: dict[tuple[bool, bool, bool], list[dict[str, Any]]] = {}
    for item in records:
        groups.setdefault(_kind(item), []).append(_parameters(item, now))
    written = 0
    with database.transaction() as connection:
        for kind, parameters in groups.items():
            written += _writing(*kind).execute_many(connection, parameters)
    return written


def _kind(item: Record) -> tuple[bool, bool, bool]:
    """Return what an outcome writes: settled, reply token dropped, released untried."""
    return (item.delivery is not None, item.drop_token, item.released)


def _parameters(item: Record, now: datetime) -> dict[str, Any]:
    """Return one outcome's parameters for its kind's statement."""
    mine = {"row_event_id": item.row.event_id, "row_lease": item.row.claimed_until}
    if item.delivery is not None:
        sent = item.delivery in ("replied", "pushed")
        return mine | {"delivery": item.delivery, "sent_at": now if sent else None}
    last = item.last_attempt
    if item.released:
        last = "unknown" if item.row.in_doubt else "not_sent"
    return mine | {"next_at": item.next_attempt_at or now, "last": last}


@cache
def _writing(settled: bool, drop_token: bool, released: bool) -> DriverStatement:
    """Return the UPDATE that writes one kind of outcome to a row still under its lease.

    Settled: the delivery and when it was sent; the messages and the reply token (personal
    data) go. Not settled: when to try again and what the attempt is known to have done;
    a refused token goes; a row released untried gives its attempt back.
    """
    values: dict[str, Any]
    if settled:
        values = {"delivery": bindparam("delivery"), "sent_at": bindparam("sent_at"),
                  "messages": None, "reply_token": None, "next_attempt_at": None,
                  "claimed_until": None, "last_attempt": None}
    else:
        values = {"next_attempt_at": bindparam("next_at"), "claimed_until": None,
                  "last_attempt": bindparam("last")}
        if drop_token:
            values["reply_token"] = None
        if released:
            values["attempts"] = ProcessedEvent.attempts - 1
    return DriverStatement(update(ProcessedEvent)
                           .where(ProcessedEvent.event_id == bindparam("row_event_id"),
                                  ProcessedEvent.claimed_until == bindparam("row_lease"))
                           .values(values))


def pending(database: Database, *, due_by: datetime | None = None) -> int:
    """Count the rows not yet settled (due by ``due_by``, or leased, when given)."""
    condition: Any = ProcessedEvent.next_attempt_at.is_not(None)
    if due_by is not None:
        condition = or_(ProcessedEvent.next_attempt_at <= due_by,
                        and_(condition, ProcessedEvent.claimed_until.is_not(None)))
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(_TABLE).where(condition)) or 0
