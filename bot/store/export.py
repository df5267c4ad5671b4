"""Export one owner's applications as plain data (``python -m bot export``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from bot.coach.ports import AnswerRecord, ApplicationRecord

from .answers import read_answers
from .database import Database
from .models import Answer, AnswerPart, Application
from .records import answer_record, application_record


def _owned(owner_id: str) -> Select[tuple[Application]]:
    """Select an owner's applications, their answers and all their parts loaded with them."""
    return (select(Application).where(Application.owner_id == owner_id)
            .order_by(Application.id)
            .options(selectinload(Application.answers).selectinload(Answer.parts)))


def export_owner(database: Database, owner_id: str) -> dict[str, Any]:
    """Return ``{"applications": [...]}`` with each answer's text keyed by question number.

    Read-only, outside any lock, in three statements however large the owner's data.
    """
    with database.reading() as session:
        rows = session.scalars(_owned(owner_id))
        applications = []
        for row in rows:
            answers = {}
            for answer in row.answers:
                record = answer_record(answer)
                if record.parts:
                    answers[str(record.question)] = record.text
            applications.append({"id": row.id, "track": row.track, "year": row.year,
                                 "category": row.category, "title": row.title,
                                 "current_question": row.current_question,
                                 "answers": answers})
    return {"applications": applications}


def answer_versions(database: Database, owner_id: str, question: int) -> list[list[str]]:
    """Return, per application of an owner, every revision of one answer, oldest first
    (read-only, outside any lock, in three statements)."""
    with database.reading() as session:
        rows = session.scalars(_owned(owner_id))
        result = []
        for row in rows:
            revisions: dict[int, list[str]] = {}
            for answer in row.answers:
                if answer.question == question:
                    for part in answer.parts:
                        revisions.setdefault(part.revision, []).append(part.text)
            result.append(["\n".join(revisions[r]) for r in sorted(revisions)])
    return result


def load_application(database: Database, application_id: int
                     ) -> tuple[ApplicationRecord, dict[int, AnswerRecord]] | None:
    """Read one application and its current answers, or None when it no longer exists.

    Read-only: unlike :func:`~bot.store.repository.chat_store` it never creates the
    owner's row, so opening an old link after "delete my data" brings nothing back. It
    reads outside any lock (on SQLite it neither takes nor waits for the write lock: a
    download or the editor never holds the webhook up) in two statements, the application
    and its answers with their current parts in one join, however many answers it has.
    """
    with database.reading() as session:
        row = session.get(Application, application_id)
        if row is None:
            return None
        return application_record(row), read_answers(session, row.owner_id, row.id)


def count_parts(database: Database) -> int:
    """Return the number of stored answer parts (for checks and benchmarks)."""
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(AnswerPart)) or 0
