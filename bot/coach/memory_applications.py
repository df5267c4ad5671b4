"""This chat's applications in memory: the application methods of :class:`MemoryStore`."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .memory_records import UnitOfWork, utc
from .ports import ApplicationRecord, StoreError

if TYPE_CHECKING:
    from .memory import MemoryDatabase


class MemoryApplications:
    """Create, read and change the applications of one chat (mixed into the MemoryStore)."""

    database: MemoryDatabase
    chat_id: str
    _work: UnitOfWork

    def _own(self) -> dict[int, ApplicationRecord]:
        """Return this chat's applications by id (empty when it has none)."""
        return self.database.applications.get(self.chat_id, {})

    def create_application(self, *, track: str, year: int, category: str, title: str,
                           created_by: str | None, at: datetime) -> ApplicationRecord:
        """Create an application owned by this chat, at its first question."""
        if self.chat_id not in self.database.chats:
            raise StoreError("this chat was deleted")
        record = ApplicationRecord(
            id=next(self.database.application_ids), owner_id=self.chat_id, track=track,
            year=year, category=category, title=title, current_question=1,
            created_by=created_by, created_at=utc(at), updated_at=utc(at))
        if self.chat_id not in self.database.applications:
            self._work.put(self.database.applications, self.chat_id, {})
        self._work.put(self.database.applications[self.chat_id], record.id, record)
        self._work.put(self.database.answers, record.id, {})
        return record

    def application(self, application_id: int) -> ApplicationRecord | None:
        """Return one of this chat's applications, or None."""
        return self._own().get(application_id)

    def applications(self) -> list[ApplicationRecord]:
        """Return this chat's applications, oldest first."""
        return sorted(self._own().values(), key=lambda a: a.id)

    def written_questions(self) -> dict[int, frozenset[int]]:
        """Return, per application of this chat, the questions whose current revision has parts."""
        return {application_id: frozenset(
                    number for number, row in self.database.answers.get(application_id, {}).items()
                    if row.current())
                for application_id in self._own()}

    def answer_lengths(self, application_id: int,
                       question: int | None = None) -> dict[int, int]:
        """Return the length of answers' current text by question (those with text)."""
        if application_id not in self._own():
            return {}
        rows = self.database.answers.get(application_id, {})
        return {number: len(row.record().text) for number, row in rows.items()
                if row.current() and question in (None, number)}

    def set_current_question(self, application_id: int, number: int, *, at: datetime) -> None:
        """Move an application to question ``number``."""
        record = self._require(application_id)
        self._work.put(self.database.applications[self.chat_id], application_id,
                       replace(record, current_question=number, updated_at=utc(at)))

    def _require(self, application_id: int) -> ApplicationRecord:
        record = self.application(application_id)
        if record is None:
            raise StoreError(f"application {application_id} does not belong to this chat")
        return record

    def set_details(self, application_id: int, *, agency: str | None = None,
                    contact: str | None = None, award_year: int | None = None,
                    at: datetime) -> ApplicationRecord:
        """Set the agency, contact person or award year given; None leaves one as it is."""
        record = self._require(application_id)
        record = replace(record, updated_at=utc(at),
                         agency=record.agency if agency is None else agency,
                         contact=record.contact if contact is None else contact,
                         award_year=record.award_year if award_year is None else award_year)
        self._work.put(self.database.applications[self.chat_id], application_id, record)
        return record
