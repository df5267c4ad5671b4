"""Draft and editor links on SQLAlchemy: issued and revoked inside a chat's event, looked up.

:class:`LinkRows` is the :class:`~bot.coach.link_ports.LinkStore` part of
:class:`~bot.store.SqlStore`. Every revocation is one DELETE through an index of
``draft_links`` (by chat; chat and member; member; expiry), so it touches only the rows it
removes, and nothing about a revoked link is left behind. :func:`find_link` is what a
draft page reads (an editor link's row, of kind "editor", only for the editor, which asks
for that kind); :func:`purge_expired_links` removes the rows of links that expired, of both
kinds. Revoking deletes both kinds: an editor link goes wherever the chat's draft links go.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, delete, func, select
from sqlalchemy.orm import Session

from bot.coach.link_ports import DRAFT, LinkRecord, new_link_id

from .database import Database, StoreError
from .models import Application, DraftLink, Owner
from .records import utc


def _deleted(session: Session, *conditions: ColumnElement[bool]) -> int:
    """Delete the link rows that meet ``conditions``; return how many went."""
    # A DELETE's result is a CursorResult, which has the row count; execute() says Result.
    result = cast(CursorResult[Any], session.execute(delete(DraftLink).where(*conditions)))
    return result.rowcount or 0


class LinkRows:
    """Issue and revoke the draft links of one chat (mixed into the SqlStore)."""

    session: Session
    owner: Owner

    def issue_link(self, application_id: int, *, member_id: str | None, at: datetime,
                   expires_at: datetime, kind: str = DRAFT) -> str:
        """Record a new link to one of this chat's applications; drop the chat's expired ones."""
        application = self.session.get(Application, application_id)
        if application is None or application.owner_id != self.owner.id:
            raise StoreError(f"application {application_id} does not belong to this chat")
        _deleted(self.session, DraftLink.owner_id == self.owner.id,
                 DraftLink.expires_at <= utc(at))
        link_id = new_link_id()
        self.session.add(DraftLink(id=link_id, application_id=application_id,
                                   owner_id=self.owner.id, member_id=member_id or None,
                                   created_at=utc(at), expires_at=utc(expires_at), kind=kind))
        self.session.flush()
        return link_id

    def revoke_links(self, *, at: datetime, members: Collection[str] | None = None) -> int:
        """Delete this chat's links, or those ``members`` asked for; count the ones still open."""
        conditions = [DraftLink.owner_id == self.owner.id]
        if members is not None:
            conditions.append(DraftLink.member_id.in_(list(members)))
        still_open = self.session.scalar(
            select(func.count()).select_from(DraftLink)
            .where(*conditions, DraftLink.expires_at > utc(at))) or 0
        _deleted(self.session, *conditions)
        return int(still_open)


def delete_member_links(session: Session, user_id: str) -> int:
    """Delete every link ``user_id`` asked for, in every chat (part of delete my data)."""
    return _deleted(session, DraftLink.member_id == user_id)


def find_link(database: Database, link_id: str, *, kind: str = DRAFT) -> LinkRecord | None:
    """Return the link of ``kind`` with this id, or None when it was revoked (or never given).

    A link of another kind is None too: a draft link never opens the editor, nor the reverse.
    Read outside any lock (on SQLite without the write lock: opening a link never holds the
    webhook up).
    """
    with database.reading() as session:
        row = session.get(DraftLink, link_id)
        if row is None or (row.kind or DRAFT) != kind:
            return None
        return LinkRecord(id=row.id, application_id=row.application_id, owner_id=row.owner_id,
                          member_id=row.member_id, created_at=utc(row.created_at),
                          expires_at=utc(row.expires_at), kind=row.kind or DRAFT)


def owner_kind(database: Database, owner_id: str) -> str | None:
    """Return what kind of chat ``owner_id`` is ("user", "group", "room"), None when gone."""
    with database.reading() as session:
        row = session.get(Owner, owner_id)
        return row.kind if row is not None else None


def purge_expired_links(database: Database, *, now: datetime | None = None,
                        batch: int = 500) -> int:
    """Delete the rows of every link that expired by ``now``, ``batch`` a transaction; count."""
    moment = utc(now or datetime.now(UTC))
    deleted = 0
    while True:
        with database.session() as session:
            expired = (select(DraftLink.id).where(DraftLink.expires_at <= moment)
                       .order_by(DraftLink.expires_at).limit(batch))
            count = _deleted(session, DraftLink.id.in_(expired))
        deleted += count
        if count < batch:
            return deleted
