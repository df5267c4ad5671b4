"""One chat's answers on SQLAlchemy: the answer and correction methods of :class:`SqlStore`.

Split from :mod:`bot.store.repository`: writing a message into an answer (a new part, a
new revision, a skip), and the corrections (a LINE edit or unsend, undo and redo).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from bot.coach.ports import AnswerRecord, AnswerSummary, PartChange, PartRecord, PlacedPart

from .applications import ApplicationRows
from .driver import DriverStatement
from .models import Answer, AnswerPart, Application, Owner
from .records import OpenAnswer, answer_records, insert_or_skip, placed_part, utc


def _answers_query() -> Select[Any]:
    """Return the statement that reads an application's answers with their current parts.

    Only the parts of each answer's current revision are read, joined to their answer, and
    only when the application (``:application_id``) is the chat's (``:owner_id``).
    """
    return (select(Answer.question, Answer.status, Answer.revision, Answer.updated_at,
                   AnswerPart.author_id, AnswerPart.text, AnswerPart.sent_at,
                   AnswerPart.message_id, AnswerPart.quote_token)
            .join(Application, Application.id == Answer.application_id)
            .outerjoin(AnswerPart, and_(AnswerPart.answer_id == Answer.id,
                                        AnswerPart.revision == Answer.revision))
            .where(Answer.application_id == bindparam("application_id"),
                   Application.owner_id == bindparam("owner_id"))
            .order_by(Answer.question, AnswerPart.sent_at, AnswerPart.id))


#: Built once, so that SQLAlchemy finds their compiled form without working out a cache key.
ANSWERS_QUERY = _answers_query()
ANSWER_QUERY = ANSWERS_QUERY.where(Answer.question == bindparam("question"))


def read_answers(session: Session, owner_id: str, application_id: int,
                 question: int | None = None) -> dict[int, AnswerRecord]:
    """Read an application's answers (or one) with their current revision's parts, in one go."""
    values = {"owner_id": owner_id, "application_id": application_id}
    if question is None:
        return answer_records(session.execute(ANSWERS_QUERY, values))
    return answer_records(session.execute(ANSWER_QUERY, {**values, "question": question}))


#: A part goes in unless its LINE message is stored (the unique index on message_id).
_INSERT_PART = DriverStatement(insert_or_skip(
    AnswerPart, ("answer_id", "revision", "author_id", "text", "words", "sent_at",
                           "created_at", "message_id", "quote_token"),
    conflict="message_id", returning="id"))

class AnswerRows(ApplicationRows):
    """Write and correct the answers of one chat's applications (mixed into the SqlStore)."""

    session: Session
    owner: Owner
    #: The open question's answer as locking the chat read it (None: read it when needed).
    _open: OpenAnswer | None

    def _answer_records(self, application_id: int,
                        question: int | None = None) -> dict[int, AnswerRecord]:
        """Read this chat's answers with their current revision's parts, in one statement."""
        return read_answers(self.session, self.owner.id, application_id, question)

    def answers(self, application_id: int) -> dict[int, AnswerRecord]:
        """Return the current answers of an application by question number."""
        return self._answer_records(application_id)

    def answer(self, application_id: int, question: int) -> AnswerRecord | None:
        """Return the current answer to one question, or None when it was never touched."""
        return self._answer_records(application_id, question).get(question)

    def written_questions(self) -> dict[int, frozenset[int]]:
        """Return, per application of this chat, the questions whose current revision has parts."""
        written = (select(AnswerPart.id).where(AnswerPart.answer_id == Answer.id,
                                               AnswerPart.revision == Answer.revision)
                   .exists())
        rows = self.session.execute(
            select(Application.id, Answer.question)
            .outerjoin(Answer, and_(Answer.application_id == Application.id, written))
            .where(Application.owner_id == self.owner.id))
        found: dict[int, set[int]] = {}
        for application_id, question in rows:
            numbers = found.setdefault(application_id, set())
            if question is not None:
                numbers.add(question)
        return {application_id: frozenset(numbers) for application_id, numbers in found.items()}

    def answer_lengths(self, application_id: int,
                       question: int | None = None) -> dict[int, int]:
        """Return the length of answers' current text by question; the open one as locked."""
        found = self._open
        if (question is not None and found is not None
                and (found.application_id, found.question) == (application_id, question)):
            return {question: found.chars} if found.parts else {}  # none: no row, no text
        query = (select(Answer.question, func.count(AnswerPart.id),
                        func.sum(AnswerPart.chars))
                 .join(AnswerPart, and_(AnswerPart.answer_id == Answer.id,
                                        AnswerPart.revision == Answer.revision))
                 .join(Application, Application.id == Answer.application_id)
                 .where(Answer.application_id == application_id,
                        Application.owner_id == self.owner.id)
                 .group_by(Answer.question))
        if question is not None:
            query = query.where(Answer.question == question)
        return {number: int(chars) + int(parts) - 1
                for number, parts, chars in self.session.execute(query)}

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

    def _open_answer(self, application_id: int, question: int, at: datetime) -> OpenAnswer:
        """Return the answer a part goes into, with its counts: as locking the chat read it."""
        found = self._open
        same = found is not None and (found.application_id, found.question) == (application_id,
                                                                               question)
        if same and found is not None and found.answer_id is not None:
            return found
        row = self._answer_row(application_id, question, at)
        if same:
            # The lock read no answer to this question: its row is new (or was made empty in
            # this transaction; every write of a part sets _open again), so it holds nothing.
            parts, words, chars = 0, 0, 0
        else:
            parts, words = self._current_parts(row)
            chars = self.answer_lengths(application_id, question).get(question, 0)
        self._open = found = OpenAnswer(application_id=application_id, question=question,
                                        answer_id=row.id, revision=row.revision, parts=parts,
                                        words=words, chars=chars)
        return found

    def append_part(self, application_id: int, question: int, *, author: str | None,
                    text: str, words: int, at: datetime, message_id: str | None = None,
                    quote_token: str | None = None) -> AnswerSummary:
        """Add one message to the current revision of an answer.

        In the usual case, a message to the open question, this is one INSERT: the chat's
        lock read the answer and its counts, a message id stored before is skipped by the
        unique index (ON CONFLICT DO NOTHING), and a trigger (migration 0008) marks the
        answer answered as of the part's send time.
        """
        found = self._open_answer(application_id, question, at)
        assert found.answer_id is not None  # _open_answer creates the row when there is none
        part = PartRecord(author, text, at, message_id=message_id, quote_token=quote_token)
        if self._insert_part(found.answer_id, found.revision, part, words):
            found.chars += len(text) + (1 if found.parts else 0)
            found.parts += 1
            found.words += words
        return AnswerSummary(question=question, parts=found.parts, words=found.words)

    def replace_answer(self, application_id: int, question: int, *, author: str | None,
                       text: str, words: int, at: datetime, message_id: str | None = None,
                       quote_token: str | None = None) -> AnswerSummary:
        """Start a new revision of an answer; the earlier parts stay as its earlier version."""
        self._open = None
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

    def _insert_part(self, answer_id: int, revision: int, part: PartRecord, words: int) -> bool:
        """Insert a part unless its message id is stored; tell whether it went in."""
        # A plain INSERT: appending through ``row.parts`` would load every earlier part.
        inserted = _INSERT_PART.execute(self.session.connection(), {
            "answer_id": answer_id, "revision": revision, "author_id": part.author_id,
            "text": part.text, "words": words, "sent_at": utc(part.sent_at),
            "created_at": datetime.now(UTC), "message_id": part.message_id,
            "quote_token": part.quote_token}).fetchone()
        if inserted is None:
            return False
        # The trigger changed the answer's status and time: a loaded row must read them again.
        loaded = self.session.identity_map.get(identity_key(Answer, answer_id))
        if loaded is not None:
            self.session.expire(loaded, ["status", "updated_at"])
        return True

    def _add_part(self, row: Answer, part: PartRecord, words: int) -> None:
        self.session.flush()  # the row's revision, as the part's, is in the database
        self._insert_part(row.id, row.revision, part, words)

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
        self._open = None
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
        self._open = None
        found = self._part_of_message(message_id)
        if found is None:
            return None
        return self._remove(*found)

    def take_back_part(self, application_id: int, question: int, *,
                       author: str) -> PartChange | None:
        """Delete the last part ``author`` sent into the current revision of an answer."""
        self._open = None
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
        self._open = None
        record = placed.part
        if self._message_stored(record.message_id):
            return None
        row = self._answer_row(placed.application_id, placed.question, record.sent_at)
        row.revision = max(row.revision, placed.revision)
        self._add_part(row, record, placed.words)
        return self._change(row, replace(placed, revision=row.revision))
