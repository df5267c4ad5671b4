"""The engine's plain records of stored rows: applications, answers and their parts.

Times are stored in UTC: SQLite keeps a datetime's wall time without its offset and hands
back naive ones, which are therefore UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, Table, TextClause, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from bot.coach.ports import AnswerRecord, ApplicationRecord, PartRecord, PlacedPart

from .models import Answer, AnswerPart, Application, Base


def dialect_insert(session: Session) -> Callable[[Any], postgresql.Insert | sqlite.Insert]:
    """Return the dialect's INSERT, which knows ON CONFLICT DO NOTHING."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def insert_or_skip(model: type[Base], columns: Sequence[str], *, conflict: str,
                   returning: str) -> TextClause:
    """Build ``INSERT … ON CONFLICT (conflict) DO NOTHING RETURNING returning`` once, typed.

    The same text works on SQLite (3.35 and later) and PostgreSQL. SQLAlchemy's dialect
    ``insert().on_conflict_do_nothing()`` has no cache key, so it is compiled again on every
    execution (a millisecond each, on the answer path twice); a text statement is compiled
    once. Every value is bound with its column's type (JSON's None as SQL NULL, as the ORM
    writes it), so the rows are the ones the ORM would write.
    """
    table = cast(Table, model.__table__)
    names = ", ".join(columns)
    values = ", ".join(f":{name}" for name in columns)
    binds = [bindparam(name, type_=_bind_type(table.c[name].type)) for name in columns]
    return text(f"INSERT INTO {table.name} ({names}) VALUES ({values}) "  # noqa: S608 - names
                f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {returning}").bindparams(*binds)


def _bind_type(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """Return the type to bind a column's value with: JSON with None as SQL NULL."""
    return JSON(none_as_null=True) if isinstance(column_type, JSON) else column_type


def utc(moment: datetime) -> datetime:
    """Return ``moment`` as an aware UTC datetime.

    Times are stored in UTC: SQLite keeps a datetime's wall time without its offset and
    hands back naive ones, which are therefore UTC.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def application_record(row: Application) -> ApplicationRecord:
    """Return the engine's plain record of a stored application."""
    return ApplicationRecord(
        id=row.id, owner_id=row.owner_id, track=row.track, year=row.year,
        category=row.category, title=row.title, current_question=row.current_question,
        created_by=row.created_by, created_at=utc(row.created_at),
        updated_at=utc(row.updated_at), agency=row.agency,
        contact=row.contact, award_year=row.award_year)


def part_record(row: AnswerPart) -> PartRecord:
    """Return the engine's plain record of a stored part."""
    return PartRecord(author_id=row.author_id, text=row.text, sent_at=utc(row.sent_at),
                      message_id=row.message_id, quote_token=row.quote_token)


def answer_record(row: Answer) -> AnswerRecord:
    """Return the engine's plain record of a stored answer, with its current revision's parts."""
    parts = tuple(part_record(p) for p in row.parts if p.revision == row.revision)
    return AnswerRecord(question=row.question, status=row.status, parts=parts,
                        revision=row.revision, updated_at=utc(row.updated_at))


def placed_part(row: Answer, part: AnswerPart) -> PlacedPart:
    """Return a stored part with its place."""
    return PlacedPart(application_id=row.application_id, question=row.question,
                      revision=part.revision, part=part_record(part), words=part.words)


@dataclass
class OpenAnswer:
    """The answer to an application's open question as the chat's lock read it, and its counts.

    ``parts``, ``words`` and ``chars`` count its current revision; appending adds to them, so
    that acknowledging a message needs no second read. ``answer_id`` is None when the
    question has no answer row yet.
    """

    application_id: int
    question: int
    answer_id: int | None
    revision: int
    parts: int
    words: int
    chars: int = 0  # of its text: the parts joined one per line


@dataclass
class ChatState:
    """What locking a chat read besides its row: its active application and open answer."""

    application: Application | None
    answer: OpenAnswer | None


def answer_records(rows: Iterable[Any]) -> dict[int, AnswerRecord]:
    """Return answer records from rows of an answer's columns and one current part's each.

    Each row holds ``question, status, revision, updated_at`` and the part's ``author_id,
    text, sent_at, message_id, quote_token`` (all None for an answer without parts), in
    the parts' order.
    """
    heads: dict[int, tuple[str, int, datetime]] = {}
    parts: dict[int, list[PartRecord]] = {}
    for row in rows:
        heads.setdefault(row.question, (row.status, row.revision, row.updated_at))
        found = parts.setdefault(row.question, [])
        if row.text is not None:
            found.append(PartRecord(author_id=row.author_id, text=row.text,
                                    sent_at=utc(row.sent_at), message_id=row.message_id,
                                    quote_token=row.quote_token))
    return {question: AnswerRecord(question=question, status=status, parts=tuple(parts[question]),
                                   revision=revision, updated_at=utc(updated))
            for question, (status, revision, updated) in heads.items()}
