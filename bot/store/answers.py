"""One chat's answers on SQLAlchemy: the answer and correction methods of :class:`SqlStore`.

Split from :mod:`bot.store.repository`: writing a message into an answer (a new part, a
new revision, a skip), and the corrections (a LINE edit or unsend, undo and redo).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.coach.ports import AnswerRecord, AnswerSummary, PartChange, PartRecord, PlacedPart

from .applications import ApplicationRows
from .models import Answer, AnswerPart, Application, Owner
from .records import answer_record, placed_part, utc


class AnswerRows(ApplicationRows):
    """Write and correct the answers of one chat's applications (mixed into the SqlStore)."""

    session: Session
    owner: Owner

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
