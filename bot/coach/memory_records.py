"""The rows of :class:`~bot.coach.memory.MemoryDatabase`: immutable records and their undo log.

Split from :mod:`bot.coach.memory` to keep each module small: the chat, answer and part
records shaped like the SQL tables, the unit of work that undoes an event that raised,
and what the corrections (an edited, unsent, taken back or restored part) do to an answer.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from .ports import (
    MEMBER_TABLES,
    AnswerRecord,
    AnswerSummary,
    PartChange,
    PartRecord,
    PlacedPart,
)

__all__ = ["MEMBER_TABLES", "MemoryAnswer", "MemoryChat", "MemoryPart", "UnitOfWork",
           "change", "place_of", "utc"]
_MISSING = object()


def utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime (naive ones are taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class MemoryChat:
    """One chat, as a row of the ``owners`` table: its kind, state and context."""

    id: str
    kind: str
    state: str
    application_id: int | None
    context: str  # JSON text, so that it comes back as JSON data, as from the database
    created_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None  # when the chat ended (unfollow, leave)


@dataclass(frozen=True)
class MemoryPart:
    """One message of an answer, with its revision, its word count and its storing order."""

    revision: int
    author_id: str | None
    text: str
    words: int
    sent_at: datetime
    serial: int  # the order parts were stored in, as the autoincrement id in SQL
    message_id: str | None = None
    quote_token: str | None = None
    edited_at: datetime | None = None  # when the edit that gave it its text was made

    def record(self) -> PartRecord:
        """Return the part as the engine sees it."""
        return PartRecord(author_id=self.author_id, text=self.text, sent_at=self.sent_at,
                          message_id=self.message_id, quote_token=self.quote_token)


@dataclass(frozen=True)
class MemoryAnswer:
    """The answer to one question: its status, its revision and the parts of every revision."""

    question: int
    status: str
    revision: int
    updated_at: datetime
    parts: tuple[MemoryPart, ...] = ()

    def current(self) -> list[MemoryPart]:
        """Return the current revision's parts in the order they were sent."""
        return sorted((p for p in self.parts if p.revision == self.revision),
                      key=lambda p: (p.sent_at, p.serial))

    def record(self) -> AnswerRecord:
        """Return the answer as the engine sees it."""
        parts = tuple(p.record() for p in self.current())
        return AnswerRecord(question=self.question, status=self.status, parts=parts,
                            revision=self.revision, updated_at=self.updated_at)

    def summary(self) -> AnswerSummary:
        """Count the current revision's parts and words."""
        current = self.current()
        return AnswerSummary(question=self.question, parts=len(current),
                             words=sum(p.words for p in current))

    def without(self, part: MemoryPart) -> MemoryAnswer:
        """Drop one part; a current revision left empty gives way to the newest earlier one."""
        row = replace(self, parts=tuple(p for p in self.parts if p.serial != part.serial))
        if part.revision != row.revision or row.current():
            return row
        earlier = [p.revision for p in row.parts if p.revision < row.revision]
        if earlier:
            return replace(row, revision=max(earlier))
        return replace(row, status="empty") if row.status == "answered" else row

    def edited(self, part: MemoryPart, *, text: str, words: int, at: datetime) -> MemoryAnswer:
        """Give one part a new text, as of the edit made at ``at``."""
        changed = replace(part, text=text, words=words, edited_at=at)
        return replace(self, parts=tuple(changed if p.serial == part.serial else p
                                         for p in self.parts))


def place_of(application_id: int, row: MemoryAnswer, part: MemoryPart) -> PlacedPart:
    """Return a part with its place."""
    return PlacedPart(application_id=application_id, question=row.question,
                      revision=part.revision, part=part.record(), words=part.words)


def change(row: MemoryAnswer, where: PlacedPart, *,
           was_current: bool | None = None) -> PartChange:
    """Describe a part and what its answer (``row``, as it is now) amounts to."""
    current = where.revision == row.revision if was_current is None else was_current
    return PartChange(placed=where, current=current, revision=row.revision,
                      summary=row.summary())


class UnitOfWork:
    """The values one event replaced, so that the event can be undone."""

    def __init__(self) -> None:
        self._journal: list[tuple[MutableMapping[Any, Any], Any, Any]] = []

    def put(self, table: MutableMapping[Any, Any], key: Any, value: Any) -> None:
        """Set ``table[key]``, remembering what was there."""
        self._journal.append((table, key, table.get(key, _MISSING)))
        table[key] = value

    def pop(self, table: MutableMapping[Any, Any], key: Any) -> None:
        """Remove ``table[key]``, remembering what was there."""
        if key in table:
            self._journal.append((table, key, table.pop(key)))

    def undo(self) -> None:
        """Put back every replaced value, the last first."""
        for table, key, old in reversed(self._journal):
            if old is _MISSING:
                table.pop(key, None)
            else:
                table[key] = old
        self._journal.clear()
