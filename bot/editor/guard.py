"""What every request of the editor must show: a CSRF token, the same origin, a LIFF session.

- **CSRF.** The page gets a token made of a random per-page nonce and an HMAC (``SECRET_KEY``)
  over the link id and that nonce: it is good for that link only, and the server keeps
  nothing. Every POST sends it back in ``X-CSRF-Token``, from this origin (``Origin``, or
  ``Sec-Fetch-Site: same-origin`` when a browser sends no ``Origin``): otherwise 403.
- **LIFF session.** When ``LIFF_ID`` is set, the page proves who the LINE user is
  (:mod:`bot.editor.liff`) and gets a signed cookie binding that user to the link
  (HttpOnly, SameSite=Strict, Secure except on plain-HTTP loopback); edits then carry them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from flask import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

CSRF_HEADER = "X-CSRF-Token"
SESSION_COOKIE = "lertrat_editor"
SESSION_SALT = "lertrat-editor-session"
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _mac(secret_key: str, link_id: str, nonce: str) -> str:
    """Return the HMAC of a link id and a nonce, URL-safe."""
    digest = hmac.new(secret_key.encode(), f"editor-csrf|{link_id}|{nonce}".encode(),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def csrf_token(secret_key: str, link_id: str) -> str:
    """Return a new CSRF token for a page of this link."""
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_mac(secret_key, link_id, nonce)}"


def csrf_ok(secret_key: str, link_id: str, token: str | None) -> bool:
    """Tell whether ``token`` was made for this link."""
    nonce, _, mac = (token or "").partition(".")
    return bool(nonce and mac) and hmac.compare_digest(mac, _mac(secret_key, link_id, nonce))


def same_origin(request: Request, public_base_url: str) -> bool:
    """Tell whether the request comes from a page of this site."""
    origin = request.headers.get("Origin")
    if origin:
        allowed = {_origin(request.host_url), _origin(public_base_url)}
        return _origin(origin) in allowed
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def _origin(url: str) -> str:
    """Return a URL's scheme and host, lower case."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class Sessions:
    """Bind a LINE user to one editor link in a signed cookie."""

    def __init__(self, secret_key: str) -> None:
        """Sign with ``secret_key`` under the session's own salt."""
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SESSION_SALT)

    def user(self, request: Request, link_id: str, *, max_age: int) -> str | None:
        """Return the user the request's cookie binds to this link, or None."""
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or data.get("l") != link_id:
            return None
        user = data.get("u")
        return user if isinstance(user, str) and user else None

    def bind(self, response: Response, request: Request, link_id: str, user_id: str, *,
             max_age: int) -> None:
        """Set the cookie that binds ``user_id`` to this link on ``response``."""
        loopback = urlsplit(request.host_url).hostname in _LOOPBACK
        response.set_cookie(SESSION_COOKIE, self.serializer.dumps({"l": link_id, "u": user_id}),
                            max_age=max_age, path="/e/", httponly=True, samesite="Strict",
                            secure=not (request.scheme == "http" and loopback))
