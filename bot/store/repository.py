"""The engine's :class:`~bot.coach.ports.Store` on SQLAlchemy, bound to one chat.

:func:`chat_store` opens one transaction for one event of one chat: it locks the chat's
row, claims the webhook event id, and hands the engine a :class:`SqlStore`. Everything
the engine writes commits together with the event id, or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from typing import cast as cast_type

from sqlalchemy import CursorResult, Text, cast, delete, func, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.coach.ports import (
    MEMBER_TABLES,
    AnswerRecord,
    AnswerSummary,
    Conversation,
    DuplicateEvent,
    PartChange,
    PartRecord,
    PlacedPart,
)

from .applications import ApplicationRows
from .database import Database, StoreError
from .models import Answer, AnswerPart, Application, Owner, ProcessedEvent
from .records import answer_record, placed_part, utc


class SqlStore(ApplicationRows):
    """Storage for one chat inside one open session."""

    def __init__(self, session: Session, owner: Owner) -> None:
        self.session = session
        self.owner = owner

    # The conversation ---------------------------------------------------------------

    def conversation(self) -> Conversation:
        """Return where this chat stands."""
        return Conversation(chat_id=self.owner.id, chat_type=self.owner.kind,
                            state=self.owner.state,
                            application_id=self.owner.active_application_id,
                            context=dict(self.owner.context or {}),
                            updated_at=utc(self.owner.updated_at))

    def save_conversation(self, conversation: Conversation, *, at: datetime) -> None:
        """Store the chat's state, active application and pending choices."""
        if inspect(self.owner).deleted or inspect(self.owner).was_deleted:
            return  # the user deleted their data: keep nothing, not even the state
        try:
            # Fail here alike on every database: psycopg would raise a bare TypeError at commit.
            json.dumps(conversation.context)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"the context is not JSON data: {type(exc).__name__}") from exc
        self.owner.state = conversation.state
        self.owner.active_application_id = conversation.application_id
        self.owner.context = dict(conversation.context)
        self.owner.updated_at = utc(at)

    # Answers ------------------------------------------------------------------------

    def answers(self, application_id: int) -> dict[int, AnswerRecord]:
        """Return the current answers of an application by question number."""
        if self._application_row(application_id) is None:
            return {}
        rows = self.session.scalars(select(Answer)
                                    .where(Answer.application_id == application_id))
        return {row.question: answer_record(row) for row in rows}

    def answer(self, application_id: int, question: int) -> AnswerRecord | None:
        """Return the current answer to one question, or None when it was never touched."""
        if self._application_row(application_id) is None:
            return None
        row = self.session.scalar(select(Answer).where(Answer.application_id == application_id,
                                                       Answer.question == question))
        return answer_record(row) if row is not None else None

    def _answer_row(self, application_id: int, question: int, at: datetime) -> Answer:
        application = self._require(application_id)
        row = self.session.scalar(select(Answer).where(Answer.application_id == application.id,
                                                       Answer.question == question))
        if row is None:
            row = Answer(application_id=application.id, question=question, status="empty",
                         revision=1, updated_at=utc(at))
            self.session.add(row)
            self.session.flush()
        return row

    def _current_parts(self, row: Answer) -> tuple[int, int]:
        """Count the parts and words of an answer's current revision."""
        count, words = self.session.execute(
            select(func.count(), func.coalesce(func.sum(AnswerPart.words), 0))
            .where(AnswerPart.answer_id == row.id, AnswerPart.revision == row.revision)).one()
        return int(count), int(words)

    def append_part(self, application_id: int, question: int, *, author: str | None,
                    text: str, words: int, at: datetime, message_id: str | None = None,
                    quote_token: str | None = None) -> AnswerSummary:
        """Add one message to the current revision of an answer."""
        row = self._answer_row(application_id, question, at)
        part = PartRecord(author, text, at, message_id=message_id, quote_token=quote_token)
        if not self._message_stored(message_id):
            self._add_part(row, part, words)
        return self._summary(row)

    def replace_answer(self, application_id: int, question: int, *, author: str | None,
                       text: str, words: int, at: datetime, message_id: str | None = None,
                       quote_token: str | None = None) -> AnswerSummary:
        """Start a new revision of an answer; the earlier parts stay as its earlier version."""
        row = self._answer_row(application_id, question, at)
        part = PartRecord(author, text, at, message_id=message_id, quote_token=quote_token)
        if not self._message_stored(message_id):
            if self._current_parts(row)[0]:
                row.revision += 1
            self._add_part(row, part, words)
        return self._summary(row)

    def _message_stored(self, message_id: str | None) -> bool:
        """Tell whether a part of LINE message ``message_id`` is stored, in any chat."""
        return message_id is not None and self.session.scalar(
            select(AnswerPart.id).where(AnswerPart.message_id == message_id).limit(1)) is not None

    def _add_part(self, row: Answer, part: PartRecord, words: int) -> None:
        # A plain INSERT: appending through ``row.parts`` would load every earlier part.
        self.session.execute(insert(AnswerPart).values(
            answer_id=row.id, revision=row.revision, author_id=part.author_id, text=part.text,
            words=words, sent_at=utc(part.sent_at), created_at=datetime.now(UTC),
            message_id=part.message_id, quote_token=part.quote_token))
        row.status = "answered"
        row.updated_at = utc(part.sent_at)
        self.session.flush()

    def _summary(self, row: Answer) -> AnswerSummary:
        """Count what the current revision of an answer amounts to."""
        parts, total = self._current_parts(row)
        return AnswerSummary(question=row.question, parts=parts, words=total)

    def mark_skipped(self, application_id: int, question: int, *, at: datetime) -> None:
        """Mark an unanswered question as left for later."""
        row = self._answer_row(application_id, question, at)
        if not self._current_parts(row)[0]:
            row.status = "skipped"
            row.updated_at = utc(at)

    # Corrections: edited, unsent, taken back and restored parts ---------------------

    def _part_of_message(self, message_id: str) -> tuple[AnswerPart, Answer] | None:
        """Return this chat's part of LINE message ``message_id``, with its answer."""
        found = self.session.execute(
            select(AnswerPart, Answer).join(Answer, AnswerPart.answer_id == Answer.id)
            .join(Application, Answer.application_id == Application.id)
            .where(AnswerPart.message_id == message_id,
                   Application.owner_id == self.owner.id)).first()
        return (found[0], found[1]) if found is not None else None

    def _change(self, row: Answer, placed: PlacedPart, *,
                was_current: bool | None = None) -> PartChange:
        """Describe a part and what its answer amounts to now."""
        self.session.expire(row, ["parts"])
        current = placed.revision == row.revision if was_current is None else was_current
        return PartChange(placed=placed, current=current, revision=row.revision,
                          summary=self._summary(row))

    def edit_part(self, message_id: str, *, text: str, words: int,
                  at: datetime) -> PartChange | None:
        """Give the part of LINE message ``message_id`` its edited text, unless a later edit did."""
        found = self._part_of_message(message_id)
        if found is None:
            return None
        part, row = found
        if part.edited_at is not None and utc(part.edited_at) >= utc(at):
            return None
        part.text, part.words, part.edited_at = text, words, utc(at)
        self.session.flush()
        return self._change(row, placed_part(row, part))

    def remove_part(self, message_id: str) -> PartChange | None:
        """Delete the part of LINE message ``message_id``, wherever it is in its answer."""
        found = self._part_of_message(message_id)
        if found is None:
            return None
        return self._remove(*found)

    def take_back_part(self, application_id: int, question: int, *,
                       author: str) -> PartChange | None:
        """Delete the last part ``author`` sent into the current revision of an answer."""
        if self._application_row(application_id) is None:
            return None
        row = self.session.scalar(select(Answer).where(Answer.application_id == application_id,
                                                       Answer.question == question))
        if row is None:
            return None
        part = self.session.scalar(
            select(AnswerPart).where(AnswerPart.answer_id == row.id,
                                     AnswerPart.revision == row.revision,
                                     AnswerPart.author_id == author)
            .order_by(AnswerPart.sent_at.desc(), AnswerPart.id.desc()).limit(1))
        return self._remove(part, row) if part is not None else None

    def _remove(self, part: AnswerPart, row: Answer) -> PartChange:
        """Delete one part; a current revision left empty gives way to the newest earlier one."""
        placed = placed_part(row, part)
        was_current = placed.revision == row.revision
        self.session.delete(part)
        self.session.flush()
        if was_current and not self._current_parts(row)[0]:
            earlier = self.session.scalar(
                select(func.max(AnswerPart.revision))
                .where(AnswerPart.answer_id == row.id, AnswerPart.revision < row.revision))
            if earlier is not None:
                row.revision = earlier
            elif row.status == "answered":
                row.status = "empty"
            self.session.flush()
        return self._change(row, placed, was_current=was_current)

    def restore_part(self, placed: PlacedPart) -> PartChange | None:
        """Put a part taken back where it was; its revision is current again if it was later."""
        record = placed.part
        if self._message_stored(record.message_id):
            return None
        row = self._answer_row(placed.application_id, placed.question, record.sent_at)
        row.revision = max(row.revision, placed.revision)
        self._add_part(row, record, placed.words)
        return self._change(row, replace(placed, revision=row.revision))

    # Privacy ------------------------------------------------------------------------

    def delete_user_data(self, user_id: str) -> int:
        """Delete everything of one user: their chat, and their parts in every group."""
        # A DELETE's result is a CursorResult, which has the row count; execute() says Result.
        deleted = cast_type(CursorResult[Any], self.session.execute(
            delete(AnswerPart).where(AnswerPart.author_id == user_id)))
        removed = deleted.rowcount or 0
        own = self.session.get(Owner, user_id)
        if own is not None:
            removed += len(own.applications)
            self.session.delete(own)
        for application in self.session.scalars(select(Application)
                                                .where(Application.created_by == user_id)):
            application.created_by = None
        self._forget_in_contexts(user_id)
        self._refresh_statuses()
        self.session.flush()
        return removed

    def _forget_in_contexts(self, user_id: str) -> None:
        """Forget the member in the per-member tables of every group and room that names them.

        Other events may be changing those groups' contexts meanwhile: the rows are locked
        (in id order, so two deletions cannot deadlock) and read again under the lock, so
        that what another member's event committed is not overwritten by a stale copy.
        """
        named = (select(Owner.id).where(Owner.kind != "user",
                                        cast(Owner.context, Text).contains(user_id,
                                                                           autoescape=True))
                 .order_by(Owner.id))
        candidates = list(self.session.scalars(named))
        if not candidates:
            return
        locked = (select(Owner).where(Owner.id.in_(candidates)).order_by(Owner.id)
                  .with_for_update().execution_options(populate_existing=True))
        for owner in self.session.scalars(locked):
            context = dict(owner.context or {})
            changed = False
            for key in MEMBER_TABLES:
                members = context.get(key)
                if isinstance(members, dict) and user_id in members:
                    context[key] = {k: v for k, v in members.items() if k != user_id}
                    changed = True
            if changed:
                owner.context = context

    def _refresh_statuses(self) -> None:
        """Mark answers whose current revision lost all its parts as empty again."""
        live = (select(AnswerPart.answer_id)
                .where(AnswerPart.answer_id == Answer.id, AnswerPart.revision == Answer.revision)
                .exists())
        for answer in self.session.scalars(select(Answer).where(Answer.status == "answered",
                                                                ~live)):
            answer.status = "empty"


def _insert(session: Session) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """Return the dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _lock_owner(session: Session, chat_id: str, chat_type: str, at: datetime) -> Owner:
    """Lock the chat's row for this transaction, creating it on the chat's first event."""
    locked = select(Owner).where(Owner.id == chat_id).with_for_update()
    owner = session.scalar(locked)
    if owner is None:
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
               event_id: str | None = None) -> Iterator[SqlStore]:
    """Open one transaction for one event of one chat and yield its store.

    Raises :class:`DuplicateEvent` (nothing changed) when ``event_id`` was processed
    before, and :class:`StoreError` when the database fails.
    """
    now = datetime.now(UTC)
    try:
        with database.sessions() as session, session.begin():
            owner = _lock_owner(session, chat_id, chat_type, now)
            if event_id:
                _claim_event(session, event_id, now)
            yield SqlStore(session, owner)
    except DuplicateEvent:
        raise
    except (DBAPIError, SQLAlchemyError) as exc:
        raise StoreError(f"database error: {type(exc).__name__}") from exc


@dataclass(frozen=True)
class SqlStoreOpener:
    """Opens a :class:`SqlStore` per event on one database: the SQL :class:`StoreOpener`."""

    database: Database

    def open(self, chat_id: str, chat_type: str, *,
             event_id: str | None = None) -> AbstractContextManager[SqlStore]:
        """Open one transaction for one event of one chat (see :func:`chat_store`)."""
        return chat_store(self.database, chat_id, chat_type, event_id=event_id)

