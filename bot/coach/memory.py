"""The engine's :class:`~bot.coach.ports.Store` in memory, with no database at all.

:class:`MemoryDatabase` holds every chat in dicts shaped like the SQL tables and opens a
:class:`MemoryStore` bound to one chat for one event, with the unit of work of
:func:`bot.store.chat_store`: events run one at a time (one lock, as SQLite's ``BEGIN
IMMEDIATE``), the event id is claimed (:class:`~bot.coach.ports.DuplicateEvent` when it was
before), and an event that raises leaves everything as it found it. Stored values are
immutable (frozen records, tuples, the context as JSON text), so undoing an event is
putting back the values it replaced, the last first. ``tests/test_store_contract.py``
holds it and :class:`~bot.store.SqlStore` to the same behaviour. No SQLAlchemy here.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from .link_ports import LinkRecord
from .memory_applications import MemoryApplications
from .memory_deletion import MemoryDeletion
from .memory_links import MemoryLinks
from .memory_records import (
    MemoryAnswer,
    MemoryChat,
    MemoryPart,
    UnitOfWork,
    change,
    place_of,
    utc,
)
from .ports import (
    AnswerRecord,
    AnswerSummary,
    ApplicationRecord,
    Conversation,
    DuplicateEvent,
    NoSuchChat,
    PartChange,
    PartRecord,
    PlacedPart,
    StoreError,
)
from .read_ports import ActiveAnswers


class MemoryDatabase:
    """Every chat, application, answer and claimed event id, in memory.

    Its dicts are shaped like the SQL tables: :attr:`chats` by chat id,
    :attr:`applications` by owning chat then application id, :attr:`answers` by
    application id then question, and :attr:`events` by event id. Read them in tests;
    change them only through a :class:`MemoryStore` from :meth:`open`. Application ids
    and part serials count up across the whole database and are never given twice.
    """

    def __init__(self) -> None:
        self.chats: dict[str, MemoryChat] = {}
        self.applications: dict[str, dict[int, ApplicationRecord]] = {}
        self.answers: dict[int, dict[int, MemoryAnswer]] = {}
        self.events: dict[str, datetime] = {}
        self.links: dict[str, LinkRecord] = {}  # draft links by link id (memory_links)
        self.application_ids = itertools.count(1)
        self.part_serials = itertools.count(1)
        self._lock = threading.Lock()
        self._holder: int | None = None

    @contextmanager
    def open(self, chat_id: str, chat_type: str, *, event_id: str | None = None,
             create: bool = True, reads_first: bool = False) -> Iterator[MemoryStore]:
        """Open one transaction for one event of one chat and yield its store (its events run
        one at a time from the start: ``reads_first`` changes nothing).

        Raises :class:`DuplicateEvent` (nothing changed) when ``event_id`` was claimed
        before, :class:`NoSuchChat` when ``create`` is False and the chat does not exist,
        and :class:`StoreError` when this thread has a store of this database open already
        (it would wait for itself forever).
        """
        if self._holder == threading.get_ident():
            raise StoreError("a store of this memory database is already open in this thread")
        with self._lock:
            self._holder = threading.get_ident()
            work = UnitOfWork()
            try:
                now = datetime.now(UTC)
                if not create and chat_id not in self.chats:
                    raise NoSuchChat(chat_id)
                self._ensure_chat(work, chat_id, chat_type, now)
                if event_id:
                    self._claim(work, event_id, now)
                yield MemoryStore(self, chat_id, work)
            except BaseException:
                work.undo()
                raise
            finally:
                self._holder = None

    def _ensure_chat(self, work: UnitOfWork, chat_id: str, chat_type: str,
                     at: datetime) -> None:
        """Create the chat on its first event."""
        if chat_id not in self.chats:
            work.put(self.chats, chat_id, MemoryChat(
                id=chat_id, kind=chat_type, state="new", application_id=None, context="{}",
                created_at=at, updated_at=at))

    def _claim(self, work: UnitOfWork, event_id: str, at: datetime) -> None:
        """Record the event id; raise DuplicateEvent when it was recorded before."""
        if event_id in self.events:
            raise DuplicateEvent(event_id)
        work.put(self.events, event_id, at)

    def active_answers(self, chat_id: str) -> ActiveAnswers | None:
        """Return the chat's active application and its current answers, without the lock.

        Stored values are immutable and each dict is copied in one step, so this never waits
        for an event being handled; it may see what that event has written so far.
        """
        chat = self.chats.get(chat_id)
        if chat is None or chat.application_id is None:
            return None
        application = dict(self.applications.get(chat_id, {})).get(chat.application_id)
        if application is None:
            return None
        rows = dict(self.answers.get(application.id, {}))
        return ActiveAnswers(application, {number: row.record() for number, row in rows.items()})

    # Reading for exports and tests -------------------------------------------------------

    def export_owner(self, owner_id: str) -> dict[str, Any]:
        """Return an owner's applications as :func:`bot.store.export_owner` does."""
        exported = []
        for application in sorted(self.applications.get(owner_id, {}).values(),
                                  key=lambda a: a.id):
            answers = self.answers.get(application.id, {})
            texts = {str(number): answers[number].record().text for number in sorted(answers)
                     if answers[number].current()}
            exported.append({"id": application.id, "track": application.track,
                             "year": application.year, "category": application.category,
                             "title": application.title,
                             "current_question": application.current_question,
                             "answers": texts})
        return {"applications": exported}

    def answer_versions(self, owner_id: str, question: int) -> list[list[str]]:
        """Return, per application of an owner, every revision of one answer, oldest first."""
        result = []
        for application_id in sorted(self.applications.get(owner_id, {})):
            answer = self.answers.get(application_id, {}).get(question)
            revisions: dict[int, list[str]] = {}
            for part in sorted(answer.parts if answer else (),
                               key=lambda p: (p.revision, p.sent_at, p.serial)):
                revisions.setdefault(part.revision, []).append(part.text)
            result.append(["\n".join(revisions[r]) for r in sorted(revisions)])
        return result


class MemoryStore(MemoryApplications, MemoryDeletion, MemoryLinks):
    """Storage for one chat of a :class:`MemoryDatabase`, inside one event's unit of work."""

    def __init__(self, database: MemoryDatabase, chat_id: str, work: UnitOfWork) -> None:
        self.database = database
        self.chat_id = chat_id
        self._work = work
        self._last = database.chats[chat_id]

    # The conversation ---------------------------------------------------------------

    def conversation(self) -> Conversation:
        """Return where this chat stands."""
        chat = self.database.chats.get(self.chat_id, self._last)
        return Conversation(chat_id=chat.id, chat_type=chat.kind, state=chat.state,
                            application_id=chat.application_id,
                            context=json.loads(chat.context), updated_at=chat.updated_at,
                            ended_at=chat.ended_at)

    def save_conversation(self, conversation: Conversation, *, at: datetime) -> None:
        """Store the chat's state, active application and pending choices."""
        chat = self.database.chats.get(self.chat_id)
        if chat is None:
            return  # the user deleted their data: keep nothing, not even the state
        try:
            context = json.dumps(conversation.context)
        except (TypeError, ValueError) as exc:
            raise StoreError(f"the context is not JSON data: {type(exc).__name__}") from exc
        ended = conversation.ended_at
        self._last = replace(chat, state=conversation.state,
                             application_id=conversation.application_id,
                             context=context, updated_at=utc(at),
                             ended_at=utc(ended) if ended is not None else None)
        self._work.put(self.database.chats, self.chat_id, self._last)

    # Answers ------------------------------------------------------------------------

    def answers(self, application_id: int) -> dict[int, AnswerRecord]:
        """Return the current answers of an application by question number."""
        if self.application(application_id) is None:
            return {}
        rows = self.database.answers.get(application_id, {})
        return {number: row.record() for number, row in rows.items()}

    def answer(self, application_id: int, question: int) -> AnswerRecord | None:
        """Return the current answer to one question, or None when it was never touched."""
        if self.application(application_id) is None:
            return None
        row = self.database.answers.get(application_id, {}).get(question)
        return row.record() if row is not None else None

    def _answer_row(self, application_id: int, question: int, at: datetime) -> MemoryAnswer:
        """Return the answer to change, a new empty one when the question was never touched."""
        self._require(application_id)
        row = self.database.answers[application_id].get(question)
        if row is None:
            row = MemoryAnswer(question=question, status="empty", revision=1,
                               updated_at=utc(at))
        return row

    def _write(self, application_id: int, row: MemoryAnswer) -> None:
        """Store a changed answer."""
        self._work.put(self.database.answers[application_id], row.question, row)

    def append_part(self, application_id: int, question: int, *, author: str | None,
                    text: str, words: int, at: datetime, message_id: str | None = None,
                    quote_token: str | None = None) -> AnswerSummary:
        """Add one message to the current revision of an answer."""
        row = self._answer_row(application_id, question, at)
        if self._message_stored(message_id):
            return row.summary()
        part = PartRecord(author, text, at, message_id=message_id, quote_token=quote_token)
        return self._add_part(application_id, row, part, words).summary()

    def replace_answer(self, application_id: int, question: int, *, author: str | None,
                       text: str, words: int, at: datetime, message_id: str | None = None,
                       quote_token: str | None = None) -> AnswerSummary:
        """Start a new revision of an answer; the earlier parts stay as its earlier version."""
        row = self._answer_row(application_id, question, at)
        if self._message_stored(message_id):
            return row.summary()
        if row.current():
            row = replace(row, revision=row.revision + 1)
        part = PartRecord(author, text, at, message_id=message_id, quote_token=quote_token)
        return self._add_part(application_id, row, part, words).summary()

    def _message_stored(self, message_id: str | None) -> bool:
        """Tell whether a part of LINE message ``message_id`` is stored, in any chat."""
        return message_id is not None and any(
            part.message_id == message_id for rows in self.database.answers.values()
            for row in rows.values() for part in row.parts)

    def _add_part(self, application_id: int, row: MemoryAnswer, record: PartRecord,
                  words: int) -> MemoryAnswer:
        at = utc(record.sent_at)
        part = MemoryPart(revision=row.revision, author_id=record.author_id, text=record.text,
                          words=words, sent_at=at, serial=next(self.database.part_serials),
                          message_id=record.message_id, quote_token=record.quote_token)
        row = replace(row, status="answered", updated_at=at, parts=(*row.parts, part))
        self._write(application_id, row)
        return row

    def mark_skipped(self, application_id: int, question: int, *, at: datetime) -> None:
        """Mark an unanswered question as left for later."""
        row = self._answer_row(application_id, question, at)
        if not row.current():
            row = replace(row, status="skipped", updated_at=utc(at))
        self._write(application_id, row)

    # Corrections: edited, unsent, taken back and restored parts ---------------------

    def _part_of_message(self, message_id: str) -> tuple[int, MemoryAnswer, MemoryPart] | None:
        """Return this chat's part of LINE message ``message_id``, with its answer."""
        for application_id in self._own():
            for row in self.database.answers.get(application_id, {}).values():
                for part in row.parts:
                    if part.message_id == message_id:
                        return application_id, row, part
        return None

    def edit_part(self, message_id: str, *, text: str, words: int,
                  at: datetime) -> PartChange | None:
        """Give the part of LINE message ``message_id`` its edited text, unless a later edit did."""
        found = self._part_of_message(message_id)
        if found is None:
            return None
        application_id, row, part = found
        if part.edited_at is not None and part.edited_at >= utc(at):
            return None
        row = row.edited(part, text=text, words=words, at=utc(at))
        self._write(application_id, row)
        return change(row, place_of(application_id, row, replace(part, text=text, words=words)))

    def remove_part(self, message_id: str) -> PartChange | None:
        """Delete the part of LINE message ``message_id``, wherever it is in its answer."""
        found = self._part_of_message(message_id)
        return self._remove(*found) if found is not None else None

    def take_back_part(self, application_id: int, question: int, *,
                       author: str) -> PartChange | None:
        """Delete the last part ``author`` sent into the current revision of an answer."""
        if self.application(application_id) is None:
            return None
        row = self.database.answers.get(application_id, {}).get(question)
        mine = [p for p in row.current() if p.author_id == author] if row else []
        return self._remove(application_id, row, mine[-1]) if row and mine else None

    def _remove(self, application_id: int, row: MemoryAnswer, part: MemoryPart) -> PartChange:
        """Delete one part; a current revision left empty gives way to the newest earlier one."""
        left = row.without(part)
        self._write(application_id, left)
        return change(left, place_of(application_id, row, part),
                      was_current=part.revision == row.revision)

    def restore_part(self, placed: PlacedPart) -> PartChange | None:
        """Put a part taken back where it was; its revision is current again if it was later."""
        record = placed.part
        if self._message_stored(record.message_id):
            return None
        row = self._answer_row(placed.application_id, placed.question, record.sent_at)
        row = replace(row, revision=max(row.revision, placed.revision))
        row = self._add_part(placed.application_id, row, record, placed.words)
        return change(row, replace(placed, revision=row.revision))
