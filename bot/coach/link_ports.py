"""What the engine needs to hand out draft links and take them back: two small protocols.

A draft link's token carries only a random link id (:func:`new_link_id`); the store keeps
which application of which chat it opens, who asked for it and until when. Revoking a link
deletes that record, so a revoked link keeps nothing about anyone: the link then answers
410. :class:`LinkStore` is part of every :class:`~bot.coach.ports.Store`;
:class:`DraftPublisher` turns an application into the replies that deliver its draft.

Besides :meth:`LinkStore.revoke_links`, a store's ``delete_user_data`` deletes every link
the user asked for, in every chat, and deleting a chat or an application deletes its links.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .messages import Reply
    from .ports import AnswerRecord, ApplicationRecord

#: Random bytes in a link id: 128 bits, 22 URL-safe characters.
LINK_ID_BYTES = 16
#: What a link opens: the draft pages (``/d/``) or the answer editor (``/e/``).
DRAFT, EDITOR = "draft", "editor"


def new_link_id() -> str:
    """Return a new random link id that says nothing about the chat, member or application."""
    return secrets.token_urlsafe(LINK_ID_BYTES)


@dataclass(frozen=True)
class LinkRecord:
    """One draft link given out: which application of which chat, who asked, until when.

    The shape of a ``draft_links`` row, shared by the SQL store and the in-memory one.
    """

    id: str
    application_id: int
    owner_id: str
    member_id: str | None
    created_at: datetime
    expires_at: datetime
    kind: str = DRAFT


class LinkStore(Protocol):
    """The draft links of one chat, inside the event's transaction (part of the Store)."""

    def issue_link(self, application_id: int, *, member_id: str | None, at: datetime,
                   expires_at: datetime, kind: str = DRAFT) -> str:
        """Record a new link (``kind`` :data:`DRAFT` or :data:`EDITOR`) and return its id.

        The id comes from :func:`new_link_id` and was never given before. ``member_id``
        is who asked (None when LINE did not say who). This chat's links that expired by
        ``at`` are deleted on the way, so a chat keeps only links that still open.

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def revoke_links(self, *, at: datetime, members: Collection[str] | None = None) -> int:
        """Delete this chat's links (every one, or those ``members`` asked for).

        Returns:
            How many of them would still have opened at ``at`` (issued, not yet expired).
        """
        ...


class DraftPublisher(Protocol):
    """Turns an application into the replies that deliver its draft (links, or files).

    It is called inside the event's transaction, so it gets the answers from the engine
    instead of reading the database itself, and records the links it hands out in
    ``store`` (for ``member_id``, the member who asked), where revoking finds them.
    """

    def __call__(self, application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                 chat_id: str, member_id: str | None, store: LinkStore) -> list[Reply]: ...
