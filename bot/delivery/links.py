"""Signed, expiring download links, each scoped to one application of one chat.

A token is the application's id, its owner (the user, group or room the link was issued
in) and its creation time, signed with ``SECRET_KEY`` (itsdangerous, HMAC-SHA1 over a
salted key). Changing any character breaks the signature, so no link can be derived from
another. A link to an application that was deleted — or deleted and its id reused — no
longer opens: the creation time would not match.

The token names no edition: one token opens both editions of every format, at
``/d/<token>/<edition>/<fmt>`` (``/d/<token>/<fmt>`` is the clean edition), so the
signature's scope stays one application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.coach.ports import ApplicationRecord
from bot.draft import EDITIONS, FORMATS

DEFAULT_MAX_AGE = timedelta(days=7)
SALT = "lertrat-draft-link"


class LinkError(Exception):
    """A link that does not open: tampered (403), expired (410) or gone (410)."""

    def __init__(self, status: int, reason: str) -> None:
        """Keep the HTTP status the page answers with and the reason logged."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class LinkClaims:
    """What a valid token says: which application, of which chat, created when."""

    application_id: int
    owner_id: str
    created: float


class DraftLinks:
    """Sign and read draft links."""

    def __init__(self, secret_key: str, base_url: str, *,
                 max_age: timedelta = DEFAULT_MAX_AGE) -> None:
        """Sign with ``secret_key``; links start with ``base_url`` and expire after ``max_age``."""
        if not secret_key:
            raise ValueError("SECRET_KEY is needed to sign download links")
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.base_url = base_url.rstrip("/")
        self.max_age = max_age

    def token(self, application: ApplicationRecord) -> str:
        """Sign a token for one application."""
        return self.serializer.dumps({"a": application.id, "o": application.owner_id,
                                      "t": round(application.created_at.timestamp(), 3)})

    def urls(self, application: ApplicationRecord) -> dict[str, str]:
        """Return the preview and download URLs (by "<edition>/<fmt>") for the real browser."""
        base = f"{self.base_url}/d/{self.token(application)}"
        urls = {"preview": f"{base}?openExternalBrowser=1"}
        urls.update({f"{edition}/{fmt}": f"{base}/{edition}/{fmt}?openExternalBrowser=1"
                     for edition in EDITIONS for fmt in FORMATS})
        return urls

    def read(self, token: str) -> LinkClaims:
        """Return the token's claims, or raise LinkError."""
        try:
            data = self.serializer.loads(token, max_age=int(self.max_age.total_seconds()))
        except SignatureExpired as exc:
            raise LinkError(410, "expired") from exc
        except BadSignature as exc:
            raise LinkError(403, "invalid") from exc
        try:
            return LinkClaims(application_id=int(data["a"]), owner_id=str(data["o"]),
                              created=float(data["t"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise LinkError(403, "invalid") from exc

    @staticmethod
    def matches(claims: LinkClaims, application: ApplicationRecord) -> bool:
        """Tell whether the application is the very one the link was issued for."""
        return (application.owner_id == claims.owner_id
                and abs(application.created_at.timestamp() - claims.created) < 0.01)
