"""Helpers for the web tests: LINE webhook events shaped exactly as LINE sends them, signed
bodies, a fake LINE Messaging API on loopback, and a check of LINE's message limits.

    events = [text_event("สวัสดี", user=ALICE)]
    response = post_events(client, *events)
    assert fake_line.texts() == ["..."]
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import os
import re
import threading
import time
import unicodedata
from collections.abc import Iterable
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SECRET = "test-channel-secret-0123456789ab"
ACCESS_TOKEN = "test-channel-access-token"
#: A SECRET_KEY strong enough for bot.web.config.check_secret_key (32 random bytes).
SECRET_KEY = "q8Zr3LwV1nXe6TdK0pJs9HbG2yMc5UaF7oQi4RtNvWk"
BOT_ID = "U" + "b0" * 16
SENT = {"sentMessages": [{"id": "1", "quoteToken": "q"}]}
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"
#: LINE Login's ID token verification (LIFF) and the Messaging API's member profiles.
VERIFY_PATH = "/oauth2/v2.1/verify"
MEMBER_PROFILE = re.compile(r"^/v2/bot/(group|room)/([^/]+)/member/([^/]+)$")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_counter = itertools.count(1)


def line_id(prefix: str, name: str) -> str:
    """Return a LINE id (U/C/R and 32 hex digits) derived from a readable name."""
    return prefix + hashlib.md5(name.encode()).hexdigest()


def user(name: str) -> str:
    """Return a user id for ``name``."""
    return line_id("U", name)


ALICE = user("alice")
BOB = user("bob")
GROUP = line_id("C", "group")
ROOM = line_id("R", "room")


def ulid() -> str:
    """Return a new ULID-like webhook event id (26 Crockford base-32 characters, time first)."""
    value = (int(time.time() * 1000) << 80) | (next(_counter) << 40) | int.from_bytes(os.urandom(5))
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def _source(user_id: str | None, group: str | None, room: str | None) -> dict[str, Any]:
    """Build the event's source: a user, a group or a room (userId only when given)."""
    if group:
        source: dict[str, Any] = {"type": "group", "groupId": group}
    elif room:
        source = {"type": "room", "roomId": room}
    else:
        return {"type": "user", "userId": user_id}
    if user_id:
        source["userId"] = user_id
    return source


def _event(kind: str, *, user: str | None = ALICE, group: str | None = None,
           room: str | None = None, event_id: str | None = None, redelivery: bool = False,
           mode: str = "active", timestamp: int | None = None, replyable: bool = True,
           reply_token: str | None = None, **fields: Any) -> dict[str, Any]:
    """Build the fields every webhook event carries, plus ``fields``."""
    event: dict[str, Any] = {
        "type": kind,
        "mode": mode,
        "timestamp": timestamp if timestamp is not None else int(time.time() * 1000),
        "source": _source(user, group, room),
        "webhookEventId": event_id or ulid(),
        "deliveryContext": {"isRedelivery": redelivery},
    }
    if replyable:
        event["replyToken"] = reply_token or hashlib.md5(
            event["webhookEventId"].encode()).hexdigest()
    event.update(fields)
    return event


def _message_id() -> str:
    return str(500_000_000_000_000 + next(_counter))


def text_event(text: str, **options: Any) -> dict[str, Any]:
    """A text message."""
    return _event("message", message={"id": _message_id(), "type": "text", "text": text,
                                      "quoteToken": "qt-" + _message_id()}, **options)


def postback_event(data: str, **options: Any) -> dict[str, Any]:
    """A tap on a postback button."""
    return _event("postback", postback={"data": data}, **options)


def follow_event(*, unblocked: bool = False, **options: Any) -> dict[str, Any]:
    """The user added (or unblocked) the bot."""
    return _event("follow", follow={"isUnblocked": unblocked}, **options)


def unfollow_event(**options: Any) -> dict[str, Any]:
    """The user blocked the bot (no reply token)."""
    return _event("unfollow", replyable=False, **options)


def join_event(*, group: str | None = GROUP, room: str | None = None,
               **options: Any) -> dict[str, Any]:
    """The bot was added to a group or room (no userId in the source)."""
    return _event("join", user=None, group=group, room=room, **options)


def leave_event(*, group: str | None = GROUP, **options: Any) -> dict[str, Any]:
    """The bot was removed from a group (no reply token)."""
    return _event("leave", user=None, group=group, replyable=False, **options)


def member_joined_event(*members: str, group: str | None = GROUP, **options: Any) -> dict[str, Any]:
    """Members joined a group the bot is in."""
    return _event("memberJoined", user=None, group=group,
                  joined={"members": [{"type": "user", "userId": m} for m in members]}, **options)


def sticker_event(**options: Any) -> dict[str, Any]:
    """A sticker."""
    return _event("message", message={
        "id": _message_id(), "type": "sticker", "quoteToken": "qt-" + _message_id(),
        "packageId": "446", "stickerId": "1988", "stickerResourceType": "STATIC",
        "keywords": ["Happy", "Yay"]}, **options)


def image_event(**options: Any) -> dict[str, Any]:
    """A photo sent from the phone."""
    return _event("message", message={
        "id": _message_id(), "type": "image", "quoteToken": "qt-" + _message_id(),
        "contentProvider": {"type": "line"}}, **options)


def file_event(**options: Any) -> dict[str, Any]:
    """A file."""
    return _event("message", message={"id": _message_id(), "type": "file",
                                      "fileName": "ผลงาน.docx", "fileSize": 20480}, **options)


def location_event(**options: Any) -> dict[str, Any]:
    """A shared location."""
    return _event("message", message={
        "id": _message_id(), "type": "location", "title": "ศาลากลาง", "address": "นครศรีธรรมราช",
        "latitude": 8.43, "longitude": 99.96}, **options)


def unsend_event(**options: Any) -> dict[str, Any]:
    """The user unsent a message: a type the bot does not handle."""
    return _event("unsend", replyable=False, unsend={"messageId": _message_id()}, **options)


def payload(*events: dict[str, Any]) -> dict[str, Any]:
    """Wrap events in a webhook request body."""
    return {"destination": BOT_ID, "events": list(events)}


def encode(body: dict[str, Any]) -> bytes:
    """Encode a body as LINE does: UTF-8 JSON, Thai left unescaped."""
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def sign(raw: bytes, secret: str = SECRET) -> str:
    """Return the X-Line-Signature for ``raw``: base64(HMAC-SHA256(secret, body))."""
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def post_events(client: Any, *events: dict[str, Any], secret: str = SECRET,
                signature: str | None = None, raw: bytes | None = None) -> Any:
    """POST a signed webhook request to /callback with the Flask test client."""
    raw = encode(payload(*events)) if raw is None else raw
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if signature != "":
        headers["X-Line-Signature"] = sign(raw, secret) if signature is None else signature
    response = client.post("/callback", data=raw, headers=headers)
    drain(client.application)
    return response


def drain(app: Any, timeout: float = 15.0) -> bool:
    """Wait until the app's outbox sent what the webhook stored (tests check what LINE got)."""
    outbox = app.extensions.get("outbox")
    return outbox.drain(timeout) if outbox is not None else True


class FakeLine:
    """A fake LINE Messaging API on loopback: reply and push answer like LINE does.

    Like LINE, a reply token works once (then 400 "Invalid reply token") and a push whose
    X-Line-Retry-Key was accepted before is answered 409 and not sent again.
    """

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.url = server.url_for("")
        self._lock = threading.Lock()
        self.used_tokens: set[str] = set()
        self.accepted_keys: set[str] = set()
        self.failing_until = 0.0
        self.failing_status = 500
        self.moments: list[float] = []  # when each call handled here arrived (monotonic)

    def accept_all(self) -> None:
        """Answer every reply and push as LINE does (once per token, once per retry key)."""
        self.server.expect_request(REPLY_PATH, method="POST").respond_with_handler(self._answer)
        self.server.expect_request(PUSH_PATH, method="POST").respond_with_handler(self._answer)

    def fail_for(self, seconds: float, status: int = 500) -> None:
        """Fail every reply and push with ``status`` for ``seconds``, then recover."""
        self.failing_status = status
        self.failing_until = time.monotonic() + seconds

    def rate_limit_once(self, path: str, retry_after: float) -> None:
        """Answer the next call to ``path`` with 429 and a Retry-After of ``retry_after`` s."""
        def limited(_request: Request) -> Response:
            self.moments.append(time.monotonic())
            response = _error(429, "The API rate limit has been exceeded. Try again later.")
            response.headers["Retry-After"] = f"{retry_after:g}"
            return response
        self.server.expect_oneshot_request(path, method="POST").respond_with_handler(limited)

    def _answer(self, request: Request) -> Response:
        """Answer one call as LINE would: sent, failing, used token or accepted key."""
        self.moments.append(time.monotonic())
        if time.monotonic() < self.failing_until:
            return _error(self.failing_status, "Internal server error")
        body = json.loads(request.get_data() or b"{}")
        with self._lock:
            if request.path == REPLY_PATH:
                if body.get("replyToken") in self.used_tokens:
                    return _error(400, "Invalid reply token")
                self.used_tokens.add(body.get("replyToken"))
            key = request.headers.get("X-Line-Retry-Key")
            if request.path == PUSH_PATH and key:
                if key in self.accepted_keys:
                    return _error(409, "The retry key is already accepted")
                self.accepted_keys.add(key)
        return Response(json.dumps(SENT), content_type="application/json")

    def delivered(self) -> list[tuple[str, dict[str, Any]]]:
        """Return each call LINE accepted and sent (2xx): path and JSON body."""
        return [(request.path, json.loads(request.get_data() or b"null"))
                for request, response in self.server.log if 200 <= response.status_code < 300]

    def delivered_texts(self) -> list[str]:
        """Return the text of every message LINE actually sent, in order."""
        return [m.get("text") or m.get("altText") or "" for _, body in self.delivered()
                for m in body["messages"]]

    def fail_once(self, path: str, status: int, message: str) -> None:
        """Answer the next call to ``path`` with an error, as LINE words it."""
        self.server.expect_oneshot_request(path, method="POST").respond_with_json(
            {"message": message}, status=status)

    def stall_once(self, path: str, seconds: float) -> None:
        """Answer the next call to ``path`` only after ``seconds``."""
        def slow(request: Request) -> Response:
            time.sleep(seconds)
            return self._answer(request)  # it lands: the token is used, the key accepted
        self.server.expect_oneshot_request(path, method="POST").respond_with_handler(slow)

    def wait_for_calls(self, count: int, timeout: float = 5.0) -> None:
        """Wait until LINE has finished answering ``count`` calls (a stalled one logs late)."""
        deadline = time.monotonic() + timeout
        while len(self.server.log) < count and time.monotonic() < deadline:
            time.sleep(0.02)

    def calls(self) -> list[tuple[str, dict[str, Any], dict[str, str]]]:
        """Return each call LINE received: path, JSON body and headers."""
        return [(request.path, json.loads(request.get_data() or b"null"), dict(request.headers))
                for request, _response in self.server.log]

    def requests(self, path: str | None = None) -> list[dict[str, Any]]:
        """Return the JSON bodies of the calls (to ``path`` only, when given)."""
        return [body for call_path, body, _ in self.calls() if path in (None, call_path)]

    def messages(self, path: str | None = None) -> list[dict[str, Any]]:
        """Return every message sent, in order."""
        return [message for body in self.requests(path) for message in body["messages"]]

    def texts(self, path: str | None = None) -> list[str]:
        """Return the text of every message (a Flex message's altText)."""
        return [m.get("text") or m.get("altText") or "" for m in self.messages(path)]

    def quick_replies(self) -> list[str]:
        """Return the quick-reply texts under the last message sent."""
        messages = self.messages()
        if not messages or "quickReply" not in messages[-1]:
            return []
        return [item["action"]["text"] for item in messages[-1]["quickReply"]["items"]]

    def liff(self, channel: str, tokens: dict[str, str],
             members: dict[str, Iterable[str]] | None = None) -> None:
        """Verify LIFF ID tokens as LINE does (``tokens``: token → user, for ``channel``) and
        answer member profiles of groups and rooms (``members``: chat → users; others 404)."""
        chats = {chat: set(users) for chat, users in (members or {}).items()}
        self.server.expect_request(VERIFY_PATH, method="POST").respond_with_handler(
            lambda request: _verify(request, channel, tokens))
        self.server.expect_request(MEMBER_PROFILE, method="GET").respond_with_handler(
            lambda request: _member_profile(request, chats))


def _verify(request: Request, channel: str, tokens: dict[str, str]) -> Response:
    """Answer POST /oauth2/v2.1/verify: the claims of a known token issued to ``channel``."""
    token, client = request.form.get("id_token"), request.form.get("client_id")
    if not client or not client.isdigit():
        return _login_error("invalid client_id")
    if token not in tokens:
        return _login_error("Invalid IdToken.")
    if client != channel:
        return _login_error("Invalid IdToken Audience.")
    now = int(time.time())
    claims = {"iss": "https://access.line.me", "sub": tokens[token], "aud": channel,
              "exp": now + 3600, "iat": now, "amr": ["linesso"], "name": "Officer"}
    return Response(json.dumps(claims), content_type="application/json")


def _login_error(description: str) -> Response:
    """Answer as LINE Login does when it refuses: 400 and an OAuth error."""
    return Response(json.dumps({"error": "invalid_request", "error_description": description}),
                    status=400, content_type="application/json")


def _member_profile(request: Request, chats: dict[str, set[str]]) -> Response:
    """Answer a group or room member's profile, or 404 as LINE does for a non-member."""
    match = MEMBER_PROFILE.match(request.path)
    assert match is not None
    _kind, chat, member = match.groups()
    if member not in chats.get(chat, set()):
        return Response(json.dumps({"message": "Not found"}), status=404,
                        content_type="application/json")
    return Response(json.dumps({"displayName": "Officer", "userId": member,
                                "pictureUrl": "https://example.invalid/p"}),
                    content_type="application/json")


def _error(status: int, message: str) -> Response:
    """Answer an error as LINE words it."""
    return Response(json.dumps({"message": message}), status=status,
                    content_type="application/json")


def utf16(text: str) -> int:
    """Count UTF-16 code units, as LINE counts message texts and alt texts."""
    return len(text.encode("utf-16-le")) // 2


def clusters(text: str) -> int:
    """Count grapheme clusters, as LINE counts action labels and texts (marks join their base)."""
    return sum(1 for index, char in enumerate(text)
               if index == 0 or not (unicodedata.category(char) in ("Mn", "Me")
                                     or char in "\u200c\u200d"))


def limit_violations(messages: Iterable[dict[str, Any]]) -> list[str]:
    """List every way ``messages`` (as sent, in JSON form) break LINE's documented limits."""
    messages = list(messages)
    problems = [] if 1 <= len(messages) <= 5 else [f"{len(messages)} messages"]
    for index, message in enumerate(messages):
        if message["type"] == "text" and not 1 <= utf16(message["text"]) <= 5000:
            problems.append(f"message {index}: text of {utf16(message['text'])} units")
        if message["type"] == "flex":
            if not 1 <= utf16(message["altText"]) <= 400:
                problems.append(f"message {index}: altText of {utf16(message['altText'])}")
            size = len(json.dumps(message["contents"], ensure_ascii=False,
                                  separators=(",", ":")).encode())
            if size > 30_000:
                problems.append(f"message {index}: bubble of {size} bytes")
            problems += _action_violations(message["contents"], label_limit=40)
        if "quickReply" in message:
            if index != len(messages) - 1:
                problems.append(f"message {index}: quick reply not on the last message")
            items = message["quickReply"]["items"]
            if not 1 <= len(items) <= 13:
                problems.append(f"message {index}: {len(items)} quick-reply items")
            for item in items:
                problems += _action_violations(item, label_limit=20)
    return problems


def _action_violations(node: Any, *, label_limit: int) -> list[str]:
    """Check every action inside ``node`` against LINE's limits."""
    problems: list[str] = []
    if isinstance(node, list):
        for child in node:
            problems += _action_violations(child, label_limit=label_limit)
    elif isinstance(node, dict):
        action = node.get("action")
        if isinstance(action, dict):
            problems += _one_action(action, label_limit)
        for key, child in node.items():
            if key != "action":
                problems += _action_violations(child, label_limit=label_limit)
    return problems


def _one_action(action: dict[str, Any], label_limit: int) -> list[str]:
    """Check one action: label, message text, postback data, URI."""
    problems = []
    if "label" in action and not 1 <= clusters(action["label"]) <= label_limit:
        problems.append(f"action label {action['label']!r}")
    if action["type"] == "message" and not 1 <= clusters(action.get("text", "")) <= 300:
        problems.append("message action text over 300")
    if action["type"] == "postback" and len(action.get("data", "")) > 300:
        problems.append("postback data over 300")
    scheme = action.get("uri", "").split(":", 1)[0]
    if action["type"] == "uri" and (len(action["uri"]) > 1000
                                    or scheme not in ("http", "https", "line", "tel")):
        problems.append("unusable uri")
    return problems


def web_config(database_url: str, line_url: str, **overrides: Any) -> dict[str, Any]:
    """Return the settings of a test app whose LINE API is the fake one."""
    return {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
            "PUBLIC_BASE_URL": "https://coach.example.go.th", "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": database_url, "LINE_API_HOST": line_url, "LINE_TIMEOUT": 2,
            "TESTING": True, "OUTBOX_RETRY_SECONDS": 0.05, "OUTBOX_RETRY_MAX_SECONDS": 0.5,
            "OUTBOX_POLL_SECONDS": 0.1, **overrides}
