"""This chat's draft links in memory: the link methods of :class:`~bot.coach.memory.MemoryStore`.

The links live in ``MemoryDatabase.links`` by link id, shaped like the ``draft_links``
table; revoking deletes them, as :mod:`bot.store.links` does, through the unit of work so
that an event that raises gives them back.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

from .link_ports import DRAFT, LinkRecord, new_link_id
from .memory_records import UnitOfWork, utc
from .ports import StoreError

if TYPE_CHECKING:
    from .memory import MemoryDatabase


class MemoryLinks:
    """Issue and revoke the draft links of one chat (mixed into the MemoryStore)."""

    database: MemoryDatabase
    chat_id: str
    _work: UnitOfWork

    def issue_link(self, application_id: int, *, member_id: str | None, at: datetime,
                   expires_at: datetime, kind: str = DRAFT) -> str:
        """Record a new link to one of this chat's applications; drop the chat's expired ones."""
        if application_id not in self.database.applications.get(self.chat_id, {}):
            raise StoreError(f"application {application_id} does not belong to this chat")
        for link in list(self.database.links.values()):
            if link.owner_id == self.chat_id and link.expires_at <= utc(at):
                self._work.pop(self.database.links, link.id)
        link_id = new_link_id()
        self._work.put(self.database.links, link_id, LinkRecord(
            id=link_id, application_id=application_id, owner_id=self.chat_id,
            member_id=member_id or None, created_at=utc(at), expires_at=utc(expires_at),
            kind=kind))
        return link_id

    def revoke_links(self, *, at: datetime, members: Collection[str] | None = None) -> int:
        """Delete this chat's links, or those ``members`` asked for; count the ones still open."""
        chosen = [link for link in self.database.links.values()
                  if link.owner_id == self.chat_id
                  and (members is None or link.member_id in members)]
        for link in chosen:
            self._work.pop(self.database.links, link.id)
        return sum(1 for link in chosen if link.expires_at > utc(at))


def delete_member_links(database: MemoryDatabase, work: UnitOfWork, user_id: str) -> None:
    """Delete every link ``user_id`` asked for, and their 1:1 chat's (delete my data)."""
    for link in list(database.links.values()):
        if user_id in (link.member_id, link.owner_id):
            work.pop(database.links, link.id)
