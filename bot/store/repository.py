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
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import (
    Row,
    Select,
    and_,
    bindparam,
    func,
    inspect,
    literal_column,
    select,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, aliased, make_transient_to_detached
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from bot.coach.ports import (
    MEMBER_TABLES,
    ChatChanged,
    Conversation,
    DuplicateEvent,
    NoSuchChat,
)
from bot.coach.read_ports import ActiveAnswers

from .answers import AnswerRows, read_answers
from .database import Database, StoreError
from .deletion import UserDeletion, after_deletion
from .driver import DriverStatement
from .links import LinkRows
from .models import Answer, AnswerPart, Application, Base, ChatMember, Owner, ProcessedEvent
from .records import ChatState, OpenAnswer, application_record, insert_or_skip, utc
from .records import answer_record as answer_record  # re-exported: tests read records here
from .write_turn import read_first


class SqlStore(AnswerRows, UserDeletion, LinkRows):
    """Storage for one chat inside one open session."""

    def __init__(self, session: Session, owner: Owner) -> None:
        self.session = session
        self.owner = owner
        state = session.info.pop(CHAT_STATE, None)
        self._rows = {}
        self._open = None
        self._saved = False  # the chat's row was written by save_conversation
        if isinstance(state, ChatState) and state.application is not None:
            self._rows[state.application.id] = state.application
            self._open = state.answer

    def touch_owner(self) -> None:
        """Give the chat's row a new version in every transaction that held its lock (call
        before committing).

        An event that waited for the lock tells by the row's version whether what it read
        with the lock is current (:func:`_chat_state`), so a holder that wrote anything
        must leave a new version; the engine's events write the row anyway (its state).
        """
        state = inspect(self.owner)
        if not (self._saved or state.deleted or state.was_deleted or state.detached):
            flag_modified(self.owner, "updated_at")

    def delete_user_data(self, user_id: str, *, placeholder: str = "-") -> int:
        """Delete one user's data everywhere (see :class:`UserDeletion`); forget what was read."""
        self._rows.clear()
        self._open = None
        return super().delete_user_data(user_id, placeholder=placeholder)

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
        ended = conversation.ended_at
        values = {"state": conversation.state,
                  "active_application_id": conversation.application_id,
                  "context": dict(conversation.context), "updated_at": utc(at),
                  "ended_at": utc(ended) if ended is not None else None}
        # One prepared UPDATE, not the ORM's unit of work at commit (a third of the commit's
        # time on an answer); the loaded row takes the values as the database's.
        _SAVE_OWNER.execute(
            self.session.connection(),
            {f"new_{name}": value for name, value in values.items()} | {"chat_id": self.owner.id})
        for name, value in values.items():
            set_committed_value(self.owner, name, value)
        self._saved = True

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


#: What :meth:`SqlStore.save_conversation` writes: where the chat stands, all of it, and one
#: change more to its version (migration 0012: its trigger then need not count it).
_SAVE_OWNER = DriverStatement(
    update(Owner).where(Owner.id == bindparam("chat_id"))
    .values({name: bindparam(f"new_{name}")
             for name in ("state", "active_application_id", "context", "updated_at",
                          "ended_at")} | {"version": Owner.version + 1}))


def named_members(context: dict[str, Any]) -> set[str]:
    """Return the user ids a context has per-member entries for."""
    return {str(user) for key in MEMBER_TABLES if isinstance(context.get(key), dict)
            for user in context[key]}


def _insert(session: Session) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """Return the dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


_Model = TypeVar("_Model", bound=Base)

#: Where :func:`_lock_owner` leaves what it read besides the chat's row, for the SqlStore.
CHAT_STATE = "lertrat_chat_state"


def _chat_state(*, postgres: bool) -> Select[Any]:
    """Return the one statement that locks a chat (``:chat_id``) and reads where it stands.

    The chat's row (locked ``FOR UPDATE OF owners`` on PostgreSQL; SQLite's transaction holds
    the write lock already), its active application, and the answer to that application's
    open question with the count, words and characters of its current revision's parts
    (characters of the parts alone: the newlines joining them are added); last, whether
    all of it is current (``fresh``).

    On PostgreSQL a statement that waited for the lock sees the locked row as the other
    event left it, but the rows it joined as they were when the statement began: ``fresh``
    compares the row's version (``xmin``) with the one the statement began with (the same
    row joined again, unlocked), and :func:`_read_chat` reads again when they differ.
    """
    current = (AnswerPart.answer_id == Answer.id, AnswerPart.revision == Answer.revision)
    parts = select(func.count(AnswerPart.id)).where(*current).scalar_subquery()
    words = select(func.coalesce(func.sum(AnswerPart.words), 0)).where(*current).scalar_subquery()
    chars = select(func.coalesce(func.sum(AnswerPart.chars), 0)).where(*current).scalar_subquery()
    fresh = literal_column("owners.xmin = seen.xmin") if postgres else true()
    query = select(*_labelled(Owner, "owner_"), *_labelled(Application, "application_"),
                   Answer.id.label("answer_id"), Answer.revision.label("revision"),
                   parts.label("parts"), words.label("words"), chars.label("chars"),
                   fresh.label("fresh")).select_from(Owner)
    if postgres:
        seen = aliased(Owner, name="seen")
        query = query.join(seen, seen.id == Owner.id)
    return (query
            .outerjoin(Application, and_(Application.id == Owner.active_application_id,
                                         Application.owner_id == Owner.id))
            .outerjoin(Answer, and_(Answer.application_id == Application.id,
                                    Answer.question == Application.current_question))
            .where(Owner.id == bindparam("chat_id"))
            .with_for_update(of=Owner))


@cache
def _attributes(model: type[Base]) -> tuple[str, ...]:
    """Return the model's column attributes, in the mapper's order (worked out once)."""
    return tuple(inspect(model).columns.keys())


def _labelled(model: type[Base], prefix: str) -> list[Any]:
    """Return the model's mapped columns, each labelled with ``prefix`` and its attribute."""
    columns = inspect(model).columns
    return [columns[key].label(prefix + key) for key in _attributes(model)]


def _attached(session: Session, model: type[_Model], found: Row[Any], prefix: str) -> _Model:
    """Make the model's object from its columns in ``found`` and add it to the session as
    the row it was read from (persistent, nothing to write): what the ORM's loading would
    give, without its machinery (0.27 ms of the 0.41 the chat's lock read took with it)."""
    values = found._mapping
    instance = model(**{key: values[prefix + key] for key in _attributes(model)})
    make_transient_to_detached(instance)
    session.add(instance)
    return instance


#: Built once: SQLAlchemy then finds their compiled form without working out a cache key.
CHAT_STATE_QUERIES = {"postgresql": _chat_state(postgres=True),
                      "sqlite": _chat_state(postgres=False)}


def _read_chat(session: Session, chat_id: str) -> Row[Any] | None:
    """Lock the chat and read where it stands (see :func:`_chat_state`); None: no such chat."""
    query = CHAT_STATE_QUERIES[session.get_bind().dialect.name]
    connection = session.connection()
    found = connection.execute(query, {"chat_id": chat_id}).first()
    if found is not None and not found.fresh:
        # Another event of the chat committed while this one waited for the lock: now that
        # it is held, a new statement sees everything that event wrote.
        found = connection.execute(query, {"chat_id": chat_id}).first()
    return found


def _lock_owner(session: Session, chat_id: str, chat_type: str, at: datetime, *,
                create: bool = True) -> Owner:
    """Lock the chat's row for this transaction, creating it on the chat's first event.

    What the same statement read besides (:class:`ChatState`) waits in ``session.info``
    for the :class:`SqlStore`, so that an answer needs no further read.
    """
    found = _read_chat(session, chat_id)
    reader = read_first(session)
    if reader is not None:  # read in a snapshot: the first write checks the chat is as read
        reader.check = _unchanged(chat_id, None if found is None else found.owner_version)
    if found is None:
        if not create:
            raise NoSuchChat(chat_id)
        values = dict(id=chat_id, kind=chat_type, state="new", context={}, created_at=at,
                      updated_at=at)
        # Two first events of one chat may race here: one inserts, the other waits on it.
        session.execute(_insert(session)(Owner).values(**values)
                        .on_conflict_do_nothing(index_elements=["id"]))
        found = _read_chat(session, chat_id)
    assert found is not None  # inserted just above, and we hold the lock
    owner = _attached(session, Owner, found, "owner_")
    application = (_attached(session, Application, found, "application_")
                   if found.application_id is not None else None)
    parts = int(found.parts or 0)
    answer = None if application is None else OpenAnswer(
        application_id=application.id, question=application.current_question,
        answer_id=found.answer_id, revision=found.revision or 1, parts=parts,
        words=int(found.words or 0), chars=int(found.chars or 0) + max(parts - 1, 0))
    session.info[CHAT_STATE] = ChatState(application=application, answer=answer)
    return owner


#: The chat's version, as SQLite's driver runs it (see :func:`_unchanged`).
_VERSION = str(select(Owner.version).where(Owner.id == bindparam("chat_id"))
               .compile(dialect=sqlite.dialect()))


def _unchanged(chat_id: str, version: int | None) -> Callable[[Any], None]:
    """Return the check that the chat is still at ``version`` (None: still not there), run on
    the driver's connection once the write turn is held (:class:`ReadFirst`).

    Migration 0012's triggers count every change to a row of the chat, so an unchanged
    version means that what the event read in its snapshot is still what is stored.
    """
    def check(driver_connection: Any) -> None:
        row = driver_connection.execute(_VERSION, (chat_id,)).fetchone()
        if (None if row is None else row[0]) != version:
            raise ChatChanged(chat_id)
    return check


#: The event id's claim with its outbox row (bot.outbox.rows names the outbox's columns).
_CLAIM_COLUMNS = ("event_id", "received_at", "chat_id", "reply_token", "messages", "retry_key",
                  "attempts", "next_attempt_at", "claimed_until", "last_attempt")
_CLAIM = DriverStatement(insert_or_skip(ProcessedEvent, _CLAIM_COLUMNS, conflict="event_id",
                                        returning="event_id"))


def _claim_event(session: Session, event_id: str, at: datetime) -> None:
    """Record the event id with its outbox row; raise DuplicateEvent when it was recorded before.

    Done last in the transaction, in one statement, so that the replies commit with the event.
    """
    outbox = session.info.pop("outbox", None) or {}  # bot.outbox.rows.enqueue puts it there
    row = dict.fromkeys(_CLAIM_COLUMNS) | {"attempts": 0} | outbox
    # RETURNING says whether the row went in; rowcount reads -1 on PostgreSQL here.
    claimed = _CLAIM.execute(session.connection(),
                             row | {"event_id": event_id, "received_at": at}).fetchone()
    if claimed is None:
        raise DuplicateEvent(event_id)


@contextmanager
def chat_store(database: Database, chat_id: str, chat_type: str, *,
               event_id: str | None = None, create: bool = True,
               reads_first: bool = False) -> Iterator[SqlStore]:
    """Open one transaction for one event of one chat and yield its store.

    Raises :class:`DuplicateEvent` (nothing changed) when ``event_id`` was processed
    before, :class:`NoSuchChat` when ``create`` is False and the chat does not exist, and
    :class:`StoreError` when the database fails.

    With ``reads_first``, on a SQLite file, the chat is read in a snapshot without waiting
    for the write turn, and the turn is taken at the first write, which first checks that
    the chat's version did not move (:func:`_unchanged`); when it did, nothing is kept and
    :class:`ChatChanged` is raised: the caller runs the event again without ``reads_first``.
    What is read before the first write is then read outside the turn, which one writer at
    a time holds. On PostgreSQL and in-memory SQLite it changes nothing.
    """
    now = datetime.now(UTC)
    try:
        with database.writer(reads_first=reads_first) as session:
            with session.begin():
                owner = _lock_owner(session, chat_id, chat_type, now, create=create)
                store = SqlStore(session, owner)
                yield store
                if event_id:
                    _claim_event(session, event_id, now)
                store.touch_owner()
            after_deletion(database, session)
    except (DuplicateEvent, NoSuchChat, ChatChanged):
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StoreError(f"database error: {type(exc).__name__}") from exc


@dataclass(frozen=True)
class SqlStoreOpener:
    """Opens a :class:`SqlStore` per event on one database: the SQL :class:`StoreOpener`."""

    database: Database

    def open(self, chat_id: str, chat_type: str, *, event_id: str | None = None,
             create: bool = True, reads_first: bool = False) -> AbstractContextManager[SqlStore]:
        """Open one transaction for one event of one chat (see :func:`chat_store`)."""
        return chat_store(self.database, chat_id, chat_type, event_id=event_id, create=create,
                          reads_first=reads_first)

    def active_answers(self, chat_id: str) -> ActiveAnswers | None:
        """Read the chat's active application and its answers outside its lock (no waiting)."""
        with self.database.reading() as session:
            application = session.scalar(
                select(Application).join(Owner, and_(Owner.id == Application.owner_id,
                                                     Owner.active_application_id
                                                     == Application.id))
                .where(Owner.id == chat_id))
            if application is None:
                return None
            return ActiveAnswers(application_record(application),
                                 read_answers(session, chat_id, application.id))
