"""The engine's :class:`~bot.coach.ports.Store` on SQLAlchemy, bound to one chat.

:func:`chat_store` opens one transaction for one event of one chat: it locks the chat's
row, claims the webhook event id, and hands the engine a :class:`SqlStore`. Everything
the engine writes commits together with the event id, or not at all. The store's methods
live in one module per concern: :mod:`bot.store.applications`, :mod:`bot.store.answers`
(answers and their corrections) and :mod:`bot.store.deletion` (delete my data).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.coach.ports import MEMBER_TABLES, Conversation, DuplicateEvent, NoSuchChat

from .answers import AnswerRows
from .database import Database, StoreError
from .deletion import UserDeletion, after_deletion
from .links import LinkRows
from .models import ChatMember, Owner, ProcessedEvent
from .records import answer_record as answer_record  # re-exported: tests read records here
from .records import utc


class SqlStore(AnswerRows, UserDeletion, LinkRows):
    """Storage for one chat inside one open session."""

    def __init__(self, session: Session, owner: Owner) -> None:
        self.session = session
        self.owner = owner

    def conversation(self) -> Conversation:
        """Return where this chat stands."""
        ended = self.owner.ended_at
        return Conversation(chat_id=self.owner.id, chat_type=self.owner.kind,
                            state=self.owner.state,
                            application_id=self.owner.active_application_id,
                            context=dict(self.owner.context or {}),
                            updated_at=utc(self.owner.updated_at),
                            ended_at=utc(ended) if ended is not None else None)

    def save_conversation(self, conversation: Conversation, *, at: datetime) -> None:
        """Store the chat's state, active application and pending choices."""
        if inspect(self.owner).deleted or inspect(self.owner).was_deleted:
            return  # the user deleted their data: keep nothing, not even the state
        try:
            # Fail here alike on every database: psycopg would raise a bare TypeError at commit.
            json.dumps(conversation.context)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"the context is not JSON data: {type(exc).__name__}") from exc
        self._note_members(self.owner.context or {}, conversation.context)
        self.owner.state = conversation.state
        self.owner.active_application_id = conversation.application_id
        self.owner.context = dict(conversation.context)
        self.owner.updated_at = utc(at)
        ended = conversation.ended_at
        self.owner.ended_at = utc(ended) if ended is not None else None

    def _note_members(self, before: dict[str, Any], after: dict[str, Any]) -> None:
        """Record the members a group's context names now and did not before."""
        if self.owner.kind == "user":
            return
        new = named_members(after) - named_members(before)
        if new:
            self.session.execute(
                _insert(self.session)(ChatMember)
                .values([{"owner_id": self.owner.id, "user_id": user} for user in sorted(new)])
                .on_conflict_do_nothing(index_elements=["owner_id", "user_id"]))


def named_members(context: dict[str, Any]) -> set[str]:
    """Return the user ids a context has per-member entries for."""
    return {str(user) for key in MEMBER_TABLES if isinstance(context.get(key), dict)
            for user in context[key]}


def _insert(session: Session) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """Return the dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _lock_owner(session: Session, chat_id: str, chat_type: str, at: datetime, *,
                create: bool = True) -> Owner:
    """Lock the chat's row for this transaction, creating it on the chat's first event."""
    locked = select(Owner).where(Owner.id == chat_id).with_for_update()
    owner = session.scalar(locked)
    if owner is None:
        if not create:
            raise NoSuchChat(chat_id)
        values = dict(id=chat_id, kind=chat_type, state="new", context={}, created_at=at,
                      updated_at=at)
        # Two first events of one chat may race here: one inserts, the other waits on it.
        session.execute(_insert(session)(Owner).values(**values)
                        .on_conflict_do_nothing(index_elements=["id"]))
        owner = session.scalar(locked)
    assert owner is not None  # inserted just above, and we hold the lock
    return owner


def _claim_event(session: Session, event_id: str, at: datetime) -> None:
    """Record the event id; raise DuplicateEvent when it was recorded before."""
    # RETURNING says whether the row went in; rowcount reads -1 on PostgreSQL here.
    claimed = session.connection().execute(
        _insert(session)(ProcessedEvent).values(event_id=event_id, received_at=at)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)).first()
    if claimed is None:
        raise DuplicateEvent(event_id)


@contextmanager
def chat_store(database: Database, chat_id: str, chat_type: str, *,
               event_id: str | None = None, create: bool = True) -> Iterator[SqlStore]:
    """Open one transaction for one event of one chat and yield its store.

    Raises :class:`DuplicateEvent` (nothing changed) when ``event_id`` was processed
    before, :class:`NoSuchChat` when ``create`` is False and the chat does not exist, and
    :class:`StoreError` when the database fails.
    """
    now = datetime.now(UTC)
    try:
        with database.sessions() as session:
            with session.begin():
                owner = _lock_owner(session, chat_id, chat_type, now, create=create)
                if event_id:
                    _claim_event(session, event_id, now)
                yield SqlStore(session, owner)
            after_deletion(database, session)
    except (DuplicateEvent, NoSuchChat):
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StoreError(f"database error: {type(exc).__name__}") from exc


@dataclass(frozen=True)
class SqlStoreOpener:
    """Opens a :class:`SqlStore` per event on one database: the SQL :class:`StoreOpener`."""

    database: Database

    def open(self, chat_id: str, chat_type: str, *, event_id: str | None = None,
             create: bool = True) -> AbstractContextManager[SqlStore]:
        """Open one transaction for one event of one chat (see :func:`chat_store`)."""
        return chat_store(self.database, chat_id, chat_type, event_id=event_id, create=create)
