"""A fake LINE Messaging API inside the simulator: the bot's replies and pushes land here.

``LINE_API_HOST`` points the bot's sender at this same server, so the real SDK serialises
the real messages and sends them over HTTP. Like LINE, the fake checks the access token,
takes one reply per reply token (a second one gets 400 "Invalid reply token", which makes
the sender push instead), and answers ``{"sentMessages": [...]}``.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .events import message_id
from .inbox import Message
from .state import state

bp = Blueprint("fake_line", __name__, url_prefix="/v2/bot")

MAX_MESSAGES = 5


class LineApiError(Exception):
    """An error answered as LINE words it: a status and ``{"message": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        """Keep the HTTP ``status`` beside the message."""
        super().__init__(message)
        self.status = status
        self.message = message


@bp.errorhandler(LineApiError)
def line_api_error(error: LineApiError) -> tuple[Response, int]:
    """Answer an error with LINE's error body."""
    return jsonify(message=error.message), error.status


@bp.post("/message/reply")
def reply() -> Response:
    """Keep a reply, once per reply token."""
    body = _authorised_body()
    messages = _messages(body)
    token = body.get("replyToken")
    if not isinstance(token, str) or not state().inbox.reply(token, messages):
        raise LineApiError(400, "Invalid reply token")
    return _sent(messages)


@bp.post("/message/push")
def push() -> Response:
    """Keep a push for the chat it is addressed to."""
    body = _authorised_body()
    messages = _messages(body)
    chat_id = body.get("to")
    if not isinstance(chat_id, str) or not chat_id:
        raise LineApiError(400, "The property, 'to', in the request body is invalid")
    if not state().inbox.accept_key(request.headers.get("X-Line-Retry-Key")):
        raise LineApiError(409, "The retry key is already accepted")
    state().inbox.push(chat_id, messages)
    return _sent(messages)


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "DELETE"])
def unknown(rest: str) -> Response:
    """Answer any other Messaging API call as LINE answers an unknown path."""
    raise LineApiError(404, "Not found")


def _authorised_body() -> dict[str, Any]:
    """Check the channel access token and return the JSON body."""
    if request.headers.get("Authorization", "") != f"Bearer {state().access_token}":
        raise LineApiError(401, "Authentication failed. Confirm that the access token in the "
                                "authorization header is valid.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise LineApiError(400, "The request body has 1 error(s)")
    return body


def _messages(body: dict[str, Any]) -> list[Message]:
    """Return the body's messages: one to five objects, each with a type."""
    messages = body.get("messages")
    if (not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES
            or not all(isinstance(m, dict) and isinstance(m.get("type"), str) for m in messages)):
        raise LineApiError(400, "The request body has 1 error(s)")
    return messages


def _sent(messages: list[Message]) -> Response:
    """Answer as LINE does: an id and a quote token per message sent."""
    response = jsonify(sentMessages=[{"id": message_id(), "quoteToken": secrets.token_urlsafe(48)}
                                     for _ in messages])
    response.headers["X-Line-Request-Id"] = secrets.token_hex(16)
    return response
