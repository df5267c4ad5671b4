"""LIFF: the LINE user behind an editor page, verified by LINE and checked against the chat.

Inside LINE the page runs as a LIFF app and sends the ID token ``liff.getIDToken()`` gave it.
The page's word is never taken: the server asks LINE (``POST {LINE_API_HOST or
https://api.line.me}/oauth2/v2.1/verify`` with ``id_token`` and ``client_id``, the LIFF app's
channel id: the part of ``LIFF_ID`` before "-"), checks that the token was issued to that
channel (``aud``) and has not expired (``exp``), and then that its user (``sub``) belongs to the
chat that owns the application: in a 1:1 chat the user is the chat; in a group or room LINE's
Messaging API says whether they are a member (its member-profile call answers 404 when not).
"""

from __future__ import annotations

import json
import time

import urllib3
from linebot.v3.messaging import ApiClient, ApiException, Configuration, MessagingApi

DEFAULT_HOST = "https://api.line.me"
VERIFY_PATH = "/oauth2/v2.1/verify"
_CONNECT_TIMEOUT = 3.0


class LiffRefused(Exception):
    """The ID token does not prove a member of the chat (403), or LINE could not say (502)."""

    def __init__(self, status: int, reason: str) -> None:
        """Keep the HTTP status to answer with and the reason logged."""
        super().__init__(reason)
        self.status = status
        self.reason = reason


def channel_id(liff_id: str) -> str:
    """Return the channel id a LIFF id starts with ("1234567890-AbcdEfgh" → "1234567890")."""
    channel, separator, rest = liff_id.strip().partition("-")
    if not (channel.isdigit() and separator and rest):
        raise ValueError(f"LIFF_ID {liff_id!r} is not <channel id>-<id> as LINE gives it")
    return channel


class LiffVerifier:
    """Verify LIFF ID tokens with LINE and check chat membership through the Messaging API."""

    def __init__(self, liff_id: str, *, access_token: str, host: str | None = None,
                 timeout: float = 5.0) -> None:
        """Verify for the channel of ``liff_id``, at ``host`` (LINE's own when None)."""
        self.liff_id = liff_id.strip()
        self.channel_id = channel_id(self.liff_id)
        self.host = (host or DEFAULT_HOST).rstrip("/")
        self.access_token = access_token
        self.timeout = timeout

    def user_of(self, id_token: str) -> str:
        """Return the LINE user id the token proves, or raise LiffRefused."""
        if not id_token or len(id_token) > 4096:
            raise LiffRefused(403, "no token")
        pool = urllib3.PoolManager(retries=False)
        try:
            response = pool.request(
                "POST", self.host + VERIFY_PATH, encode_multipart=False,
                fields={"id_token": id_token, "client_id": self.channel_id},
                timeout=urllib3.Timeout(connect=min(_CONNECT_TIMEOUT, self.timeout),
                                        read=self.timeout))
        except urllib3.exceptions.HTTPError as exc:
            raise LiffRefused(502, "verify unreachable") from exc
        finally:
            pool.clear()
        if response.status != 200:
            raise LiffRefused(403 if response.status < 500 else 502, f"verify {response.status}")
        return self._claims_user(response.data)

    def _claims_user(self, body: bytes) -> str:
        """Check the verified claims: this channel, not expired, a user; return the user."""
        try:
            claims = json.loads(body)
        except ValueError as exc:
            raise LiffRefused(502, "verify answer unreadable") from exc
        if not isinstance(claims, dict) or str(claims.get("aud")) != self.channel_id:
            raise LiffRefused(403, "other channel")
        expires = claims.get("exp")
        if not isinstance(expires, int | float) or expires <= time.time():
            raise LiffRefused(403, "expired")
        user = claims.get("sub")
        if not isinstance(user, str) or not user:
            raise LiffRefused(403, "no user")
        return user

    def is_member(self, chat_kind: str, chat_id: str, user_id: str) -> bool:
        """Tell whether ``user_id`` belongs to the chat (a 1:1 chat is its user)."""
        if chat_kind == "user":
            return user_id == chat_id
        configuration = Configuration(access_token=self.access_token, host=self.host)
        try:
            with ApiClient(configuration) as client:
                api = MessagingApi(client)
                timeout = (min(_CONNECT_TIMEOUT, self.timeout), self.timeout)
                if chat_kind == "group":
                    api.get_group_member_profile(chat_id, user_id, _request_timeout=timeout)
                else:
                    api.get_room_member_profile(chat_id, user_id, _request_timeout=timeout)
        except ApiException as exc:
            if exc.status == 404:
                return False
            raise LiffRefused(502, f"member check {exc.status}") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise LiffRefused(502, "member check unreachable") from exc
        return True
