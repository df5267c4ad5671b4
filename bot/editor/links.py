"""Signed, short-lived editor links, and the publisher that gives them out.

An editor link is a draft link's sibling (:mod:`bot.delivery.links`): its token is one random
link id signed with ``SECRET_KEY`` and the time it was signed, under its own salt, so that a
draft token never opens the editor nor an editor token the drafts (the signature fails: 403).
Its row in ``draft_links`` has kind "editor" (:func:`bot.store.links.find_link` looks rows up
by kind), the application and chat it opens, the member who asked and when it expires
(``EDITOR_LINK_MINUTES``, 120 by default): a link that can change the answers opens for
hours, not days. Revoking deletes the row, as for a draft link.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.coach.editor_ports import EditorLink
from bot.coach.link_ports import EDITOR, LinkStore
from bot.coach.ports import ApplicationRecord
from bot.delivery.links import SignedLinks

SALT = "lertrat-editor-link"
DEFAULT_MINUTES = 120


class EditorLinks(SignedLinks):
    """Sign link ids into editor URLs, and read tokens back (a draft token never opens one)."""

    salt = SALT
    kind = "editor"

    def __init__(self, secret_key: str, base_url: str, *,
                 minutes: int = DEFAULT_MINUTES) -> None:
        """Sign with ``secret_key``; links start with ``base_url`` and open for ``minutes``."""
        super().__init__(secret_key, base_url, max_age=timedelta(minutes=minutes))
        self.minutes = minutes

    def url(self, link_id: str) -> str:
        """Return the editor's URL for one link id."""
        return f"{self.base_url}/e/{self.token(link_id)}"


class EditorLinkPublisher:
    """Record a new editor link in the chat's store and return its URL (the engine's port)."""

    def __init__(self, links: EditorLinks) -> None:
        """Sign with ``links``."""
        self.links = links

    def __call__(self, application: ApplicationRecord, *, chat_id: str,
                 member_id: str | None, store: LinkStore) -> EditorLink:
        """Record the link for the member who asked; it expires with its token."""
        now = datetime.now(UTC)
        link_id = store.issue_link(application.id, member_id=member_id, at=now,
                                   expires_at=now + self.links.max_age, kind=EDITOR)
        return EditorLink(url=self.links.url(link_id), minutes=self.links.minutes)
