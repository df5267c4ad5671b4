"""What the engine needs to open the answer editor on the web: one small protocol.

The edit-on-web command (:mod:`bot.coach.web_editing`) asks an :class:`EditorPublisher` for
a link to the chat's active application. Like a draft link, an editor link is a random link
id recorded in the chat's :class:`~bot.coach.link_ports.LinkStore` (of kind
:data:`~bot.coach.link_ports.EDITOR`) with the member who asked, so that every way a draft
link is revoked (the revoke command, the member leaving, the chat ending, delete my data)
revokes it too. It opens for minutes, not days: it can change the answers, not only read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .link_ports import LinkStore
    from .ports import ApplicationRecord


@dataclass(frozen=True)
class EditorLink:
    """A link to the editor of one application: its URL and how many minutes it opens for."""

    url: str
    minutes: int


class EditorPublisher(Protocol):
    """Records a new editor link to one of the chat's applications and returns it.

    Called inside the event's transaction; ``member_id`` is the member who asked (the
    author of what the page saves, unless the page proves another member through LIFF).
    """

    def __call__(self, application: ApplicationRecord, *, chat_id: str,
                 member_id: str | None, store: LinkStore) -> EditorLink: ...
