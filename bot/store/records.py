"""The engine's plain records of stored rows: applications, answers and their parts.

Times are stored in UTC: SQLite keeps a datetime's wall time without its offset and hands
back naive ones, which are therefore UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coach.ports import AnswerRecord, ApplicationRecord, PartRecord, PlacedPart

from .models import Answer, AnswerPart, Application


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
