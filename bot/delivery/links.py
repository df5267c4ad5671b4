"""Signed, expiring draft links that carry nothing but a random link id.

A token is one link id (:func:`bot.coach.link_ports.new_link_id`: 128 random bits) signed
with ``SECRET_KEY`` (itsdangerous, HMAC over a salted key) with the time it was signed.
Decoding a token shows the link id and that time, nothing about the chat, the member or
the application: those are in the link's row, which revoking deletes. Changing any
character breaks the signature, so no link can be derived from another.

Reading a link (:mod:`bot.delivery.routes`) goes: the signature (403 when it does not
hold), its age (410 "expired" after ``LINK_MAX_AGE_DAYS``), the link's row (410 "revoked"
when it is gone), then the application (410 "gone" when it no longer is the link's).
A token of the earlier kind (the application and chat ids, signed) is refused as revoked.

The token names no edition: one token opens both editions of every format, at
``/d/<token>/<edition>/<fmt>`` (``/d/<token>/<fmt>`` is the clean edition).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.draft import EDITIONS, FORMATS

DEFAULT_MAX_AGE = timedelta(days=7)
SALT = "lertrat-draft-link"
#: What a link id looks like: URL-safe base64 of 16 to 24 random bytes.
LINK_ID = re.compile(r"[A-Za-z0-9_-]{22,32}")


class LinkError(Exception):
    """A link that does not open: tampered (403), expired, revoked or gone (410)."""

    def __init__(self, status: int, reason: str) -> None:
        """Keep the HTTP status the page answers with and the reason logged."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


class SignedLinks:
    """Sign link ids into tokens with one kind's salt, and read them back.

    Each kind of link (draft, editor) has its own salt, so that no token of one kind opens
    another kind's pages.
    """

    salt = SALT
    kind = "download"

    def __init__(self, secret_key: str, base_url: str, *, max_age: timedelta) -> None:
        """Sign with ``secret_key``; links start with ``base_url`` and expire after ``max_age``."""
        if not secret_key:
            raise ValueError(f"SECRET_KEY is needed to sign {self.kind} links")
        self.serializer = URLSafeTimedSerializer(secret_key, salt=self.salt)
        self.base_url = base_url.rstrip("/")
        self.max_age = max_age

    def token(self, link_id: str) -> str:
        """Sign a token for one link id."""
        return self.serializer.dumps(link_id)

    def read(self, token: str) -> str:
        """Return the token's link id, or raise LinkError (403 tampered, 410 expired)."""
        try:
            data = self.serializer.loads(token, max_age=int(self.max_age.total_seconds()))
        except SignatureExpired as exc:
            raise LinkError(410, "expired") from exc
        except BadSignature as exc:
            raise LinkError(403, "invalid") from exc
        return link_id_of(data)


class DraftLinks(SignedLinks):
    """Sign link ids into draft URLs (the preview and every download), and read them back."""

    def __init__(self, secret_key: str, base_url: str, *,
                 max_age: timedelta = DEFAULT_MAX_AGE) -> None:
        """Sign with ``secret_key``; links start with ``base_url`` and expire after ``max_age``."""
        super().__init__(secret_key, base_url, max_age=max_age)

    @property
    def days(self) -> int:
        """Return how many whole days a link opens for."""
        return int(self.max_age.total_seconds() // 86400)

    def urls(self, link_id: str) -> dict[str, str]:
        """Return the preview and download URLs (by "<edition>/<fmt>") for the real browser."""
        base = f"{self.base_url}/d/{self.token(link_id)}"
        urls = {"preview": f"{base}?openExternalBrowser=1"}
        urls.update({f"{edition}/{fmt}": f"{base}/{edition}/{fmt}?openExternalBrowser=1"
                     for edition in EDITIONS for fmt in FORMATS})
        return urls


def link_id_of(data: Any) -> str:
    """Return the link id a correctly signed payload holds, or raise LinkError."""
    if isinstance(data, str) and LINK_ID.fullmatch(data):
        return data
    if isinstance(data, dict) and {"a", "o", "t"} <= data.keys():
        # Signed by us before links could be revoked: every such link was revoked at once.
        raise LinkError(410, "revoked")
    raise LinkError(403, "invalid")
