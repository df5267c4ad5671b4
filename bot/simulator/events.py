"""Webhook requests shaped and signed exactly as LINE sends them, for the simulated chat.

The simulator drives the real ``/callback``: every field the SDK requires is present
(``webhookEventId``, ``deliveryContext``, ``mode``, ``quoteToken`` …), otherwise the SDK would
quietly turn the event into an ``UnknownEvent`` and the page would show nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import secrets
import time
from typing import Any

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_message_ids = itertools.count(int(time.time() * 1000) * 1000)


def ulid() -> str:
    """Return a new ULID: 48 bits of milliseconds then 80 random bits, in Crockford base 32."""
    value = (int(time.time() * 1000) << 80) | int.from_bytes(os.urandom(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def reply_token() -> str:
    """Return a new reply token (32 hexadecimal digits, as LINE's look)."""
    return secrets.token_hex(16)


def quote_token() -> str:
    """Return a new quote token (LINE's are long opaque base64url strings)."""
    return secrets.token_urlsafe(48)


def message_id() -> str:
    """Return a new message id: LINE's are decimal strings of 18 digits or so."""
    return str(next(_message_ids))


def bot_user_id(secret: str) -> str:
    """Return the bot's own id (the webhook's ``destination``), derived from the secret.

    Like the simulated users' ids it starts with "sim-", so it can never be a LINE id.
    """
    return "sim-bot-" + hashlib.sha256(b"destination:" + secret.encode()).hexdigest()[:32]


def _event(kind: str, user_id: str, token: str, **fields: Any) -> dict[str, Any]:
    """Build the fields every replyable event of a 1:1 chat carries, plus ``fields``."""
    return {"type": kind, "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "user", "userId": user_id}, "webhookEventId": ulid(),
            "deliveryContext": {"isRedelivery": False}, "replyToken": token, **fields}


def text_event(user_id: str, text: str, token: str) -> dict[str, Any]:
    """Build a text message event."""
    return _event("message", user_id, token, message={
        "id": message_id(), "type": "text", "text": text, "quoteToken": quote_token()})


def sticker_event(user_id: str, token: str, *, package_id: str = "446",
                  sticker_id: str = "1988") -> dict[str, Any]:
    """Build a sticker message event (by default LINE's free "thumbs up" sticker)."""
    return _event("message", user_id, token, message={
        "id": message_id(), "type": "sticker", "packageId": package_id, "stickerId": sticker_id,
        "stickerResourceType": "STATIC", "keywords": ["thumbs up"], "quoteToken": quote_token()})


def image_event(user_id: str, token: str) -> dict[str, Any]:
    """Build a photo message event, its content kept on LINE's side as a phone's photo is."""
    return _event("message", user_id, token, message={
        "id": message_id(), "type": "image", "contentProvider": {"type": "line"},
        "quoteToken": quote_token()})


def postback_event(user_id: str, data: str, token: str) -> dict[str, Any]:
    """Build the event of a tap on a postback button."""
    return _event("postback", user_id, token, postback={"data": data})


def follow_event(user_id: str, token: str) -> dict[str, Any]:
    """Build the event of a user adding the bot as a friend."""
    return _event("follow", user_id, token, follow={"isUnblocked": False})


def encode(destination: str, *events: dict[str, Any]) -> bytes:
    """Encode a webhook body as LINE does: UTF-8 JSON with the Thai left unescaped."""
    return json.dumps({"destination": destination, "events": list(events)},
                      ensure_ascii=False).encode("utf-8")


def sign(body: bytes, secret: str) -> str:
    """Return the ``X-Line-Signature`` of ``body``: base64(HMAC-SHA256(channel secret, body))."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
