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

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.coach.editor_ports import EditorLink
from bot.coach.link_ports import EDITOR, LinkStore
from bot.coach.ports import ApplicationRecord
from bot.delivery.links import LinkError, link_id_of

SALT = "lertrat-editor-link"
DEFAULT_MINUTES = 120


class EditorLinks:
    """Sign link ids into editor URLs, and read tokens back."""

    def __init__(self, secret_key: str, base_url: str, *,
                 minutes: int = DEFAULT_MINUTES) -> None:
        """Sign with ``secret_key``; links start with ``base_url`` and open for ``minutes``."""
        if not secret_key:
            raise ValueError("SECRET_KEY is needed to sign editor links")
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.base_url = base_url.rstrip("/")
        self.minutes = minutes

    @property
    def max_age(self) -> timedelta:
        """Return how long a link opens."""
        return timedelta(minutes=self.minutes)

    def token(self, link_id: str) -> str:
        """Sign a token for one link id."""
        return self.serializer.dumps(link_id)

    def url(self, link_id: str) -> str:
        """Return the editor's URL for one link id."""
        return f"{self.base_url}/e/{self.token(link_id)}"

    def read(self, token: str) -> str:
        """Return the token's link id, or raise LinkError (403 tampered, 410 expired)."""
        try:
            data = self.serializer.loads(token, max_age=int(self.max_age.total_seconds()))
        except SignatureExpired as exc:
            raise LinkError(410, "expired") from exc
        except BadSignature as exc:
            raise LinkError(403, "invalid") from exc
        return link_id_of(data)


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
