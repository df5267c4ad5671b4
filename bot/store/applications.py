"""This chat's applications on SQLAlchemy: the application methods of :class:`SqlStore`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.coach.ports import ApplicationRecord

from .database import StoreError
from .models import Application, Owner
from .records import application_record, utc


class ApplicationRows:
    """Create, read and change the applications of one chat (mixed into the SqlStore)."""

    session: Session
    owner: Owner
    #: This chat's application rows read in this event, held so that they are read once:
    #: the session's identity map holds unchanged rows weakly and would forget them.
    _rows: dict[int, Application]

    def _application_row(self, application_id: int) -> Application | None:
        row = self._rows.get(application_id)
        if row is None:
            row = self.session.get(Application, application_id)
            if row is None or row.owner_id != self.owner.id:
                return None
            self._rows[row.id] = row
        return row

    def create_application(self, *, track: str, year: int, category: str, title: str,
                           created_by: str | None, at: datetime) -> ApplicationRecord:
        """Create an application owned by this chat, at its first question."""
        row = Application(owner_id=self.owner.id, created_by=created_by, track=track,
                          year=year, category=category, title=title, current_question=1,
                          status="draft", created_at=utc(at), updated_at=utc(at))
        self.session.add(row)
        self.session.flush()
        self._rows[row.id] = row
        return application_record(row)

    def application(self, application_id: int) -> ApplicationRecord | None:
        """Return one of this chat's applications, or None."""
        row = self._application_row(application_id)
        return application_record(row) if row else None

    def applications(self) -> list[ApplicationRecord]:
        """Return this chat's applications, oldest first."""
        rows = list(self.session.scalars(select(Application)
                                         .where(Application.owner_id == self.owner.id)
                                         .order_by(Application.id)))
        self._rows.update((row.id, row) for row in rows)
        return [application_record(row) for row in rows]

    def set_current_question(self, application_id: int, number: int, *, at: datetime) -> None:
        """Move an application to question ``number``."""
        row = self._require(application_id)
        row.current_question = number
        row.updated_at = utc(at)

    def _require(self, application_id: int) -> Application:
        row = self._application_row(application_id)
        if row is None:
            raise StoreError(f"application {application_id} does not belong to this chat")
        return row

    def set_details(self, application_id: int, *, agency: str | None = None,
                    contact: str | None = None, award_year: int | None = None,
                    at: datetime) -> ApplicationRecord:
        """Set the agency, contact person or award year given; None leaves one as it is."""
        row = self._require(application_id)
        if agency is not None:
            row.agency = agency
        if contact is not None:
            row.contact = contact
        if award_year is not None:
            row.award_year = award_year
        row.updated_at = utc(at)
        self.session.flush()
        return application_record(row)
