"""Delete my data in memory: the deletion method of :class:`~bot.coach.memory.MemoryStore`.

Split from :mod:`bot.coach.memory`. It does what :mod:`bot.store.deletion` does on SQL,
reading every dict instead of indexes (memory has no other tenants to be slow for).
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

from .forgetting import Cleared, forget_member
from .memory_links import delete_member_links
from .memory_records import UnitOfWork

if TYPE_CHECKING:
    from .memory import MemoryDatabase
    from .memory_records import MemoryAnswer


class MemoryDeletion:
    """Delete one member's data (mixed into the MemoryStore)."""

    database: MemoryDatabase
    chat_id: str
    _work: UnitOfWork

    def _write(self, application_id: int, row: MemoryAnswer) -> None:
        """Store a changed answer."""
        self._work.put(self.database.answers[application_id], row.question, row)

    def delete_user_data(self, user_id: str, *, placeholder: str = "-") -> int:
        """Delete everything of one user: their chat, their parts, what they typed elsewhere."""
        removed = self._delete_parts(user_id)
        removed += self._delete_chat(user_id)
        cleared = self._clear_details(user_id, placeholder)
        self._forget_in_contexts(user_id, cleared)
        delete_member_links(self.database, self._work, user_id)
        return removed

    def _delete_parts(self, user_id: str) -> int:
        """Delete the user's parts everywhere; an answer left with none is empty again."""
        removed = 0
        for application_id, rows in self.database.answers.items():
            for row in list(rows.values()):
                kept = tuple(p for p in row.parts if p.author_id != user_id)
                if len(kept) == len(row.parts):
                    continue
                removed += len(row.parts) - len(kept)
                changed = replace(row, parts=kept)
                if changed.status == "answered" and not changed.current():
                    changed = replace(changed, status="empty")
                self._write(application_id, changed)
        return removed

    def _delete_chat(self, chat_id: str) -> int:
        """Delete a chat with its applications and their answers; return how many applications."""
        owned = self.database.applications.get(chat_id, {})
        for application_id in owned:
            self._work.pop(self.database.answers, application_id)
        self._work.pop(self.database.applications, chat_id)
        self._work.pop(self.database.chats, chat_id)
        return len(owned)

    def _clear_details(self, user_id: str, placeholder: str) -> dict[str, Cleared]:
        """Replace what the user typed in applications they created elsewhere; say where."""
        cleared: dict[str, Cleared] = {}
        for chat_id, owned in self.database.applications.items():
            for record in list(owned.values()):
                if record.created_by != user_id:
                    continue
                self._work.put(owned, record.id, replace(
                    record, created_by=None, title=placeholder,
                    agency=placeholder if record.agency else record.agency,
                    contact=placeholder if record.contact else record.contact))
                cleared.setdefault(chat_id, Cleared()).add(record.id, record.title,
                                                           record.agency, record.contact)
        return cleared

    def _forget_in_contexts(self, user_id: str, cleared: dict[str, Cleared]) -> None:
        """Forget the member in every group's and room's tables; note the applications cleared."""
        for chat in list(self.database.chats.values()):
            if chat.kind == "user":
                continue
            context = json.loads(chat.context)
            forgotten = forget_member(context, user_id, cleared.get(chat.id))
            if forgotten != context:
                self._work.put(self.database.chats, chat.id,
                               replace(chat, context=json.dumps(forgotten)))
