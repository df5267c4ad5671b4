"""The chat page and the two calls it makes: send a message, and add the bot as a friend.

A message is text, a tap on a postback button, or a sticker or photo (``"message":
"sticker"`` or ``"image"``), so that what the bot says to those can be tried without LINE.

Each call turns what the officer did into a LINE webhook event, signs it with the channel
secret and POSTs it to the app's own ``/callback`` over HTTP, the way LINE would. The
webhook stores the replies in the outbox and the sender delivers them through the fake LINE
API (:mod:`bot.simulator.fake_line`); the call waits (a bounded time) for the sender, and
the page gets back the exact LINE message objects the bot sent. What is sent later (a retry,
a push) waits in the inbox until the page asks for it (``GET /sim/pushes``, polled).
"""

from __future__ import annotations

import logging
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from werkzeug.routing import BuildError

from bot.coach.texts import default_texts

from . import events
from .state import LOOPBACK_NAMES, state

log = logging.getLogger("bot.simulator")

bp = Blueprint("simulator", __name__, template_folder="templates", static_folder="static",
               static_url_path="/sim/static")

#: A simulated user's id: "sim-" and 32 hex digits, which no LINE id (U, C or R and 32 hex
#: digits) can be, so that nothing the simulator stores or signs is ever a real officer's.
USER_ID = re.compile(r"sim-[0-9a-f]{32}")
MAX_TEXT = 5000
MAX_POSTBACK_DATA = 300
CALLBACK_TIMEOUT = 60.0
#: How long a send waits for the outbox's sender before answering the page (it polls after).
SENDER_WAIT = 10.0
#: The simulator reaches its own server directly, whatever proxy the environment names.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

EventBuilder = Callable[[str], dict[str, Any]]
#: What the page can send besides text: the event each kind of message becomes.
ATTACHMENTS: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "sticker": events.sticker_event, "image": events.image_event}
#: The page loads nothing from elsewhere and runs only its own script file (the rest of the
#: app's pages run none: see bot.web.headers.POLICY).
PAGE_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
               "font-src 'self'; style-src 'self' 'unsafe-inline'; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")


class BadRequest(Exception):
    """The page sent something the simulator cannot turn into a LINE event."""


@bp.errorhandler(BadRequest)
def bad_request(error: BadRequest) -> tuple[Response, int]:
    """Say what was wrong with the request."""
    return jsonify(error=str(error)), 400


@bp.before_request
def _local_only() -> None:
    """Refuse requests for another host name, so that no web page can rebind its name to us."""
    if state().loopback_only and _host_name() not in LOOPBACK_NAMES:
        abort(403)


def _host_name() -> str:
    """Return the Host header's name as the browser sent it, before ProxyFix trusted any
    X-Forwarded-Host (which a rebound page could set)."""
    original = request.environ.get("werkzeug.proxy_fix.orig", {})
    host = original.get("HTTP_HOST") or request.environ.get("HTTP_HOST", "")
    return host.rsplit(":", 1)[0] if not host.endswith("]") else host


@bp.get("/")
def page() -> Response:
    """Show the chat."""
    response = Response(render_template(
        "simulator/chat.html", bot_name=default_texts().bot_name, menu=rich_menu(),
        fonts={weight: _font_url(weight) for weight in ("regular", "bold")}))
    response.headers["Content-Security-Policy"] = PAGE_POLICY
    return response


@bp.post("/sim/send")
def send() -> tuple[Response, int]:
    """Send the officer's text, a sticker or photo, or a postback button's data, as a LINE event."""
    body = _json_body()
    user_id = _user_id(body)
    if "message" in body:
        attach = _attachment(body["message"])
        return _deliver(user_id, lambda token: attach(user_id, token))
    if "postback" in body:
        data = _postback_data(body["postback"])
        return _deliver(user_id, lambda token: events.postback_event(user_id, data, token))
    text = _text(body.get("text"))
    return _deliver(user_id, lambda token: events.text_event(user_id, text, token))


@bp.post("/sim/follow")
def follow() -> tuple[Response, int]:
    """Add the bot as a friend: LINE sends a follow event, the bot greets."""
    user_id = _user_id(_json_body())
    return _deliver(user_id, lambda token: events.follow_event(user_id, token))


@bp.get("/sim/pushes")
def pushes() -> Response:
    """Return what was sent to the chat since the page last looked (pushes, late replies)."""
    user_id = _user_id({"user": request.args.get("user")})
    return jsonify(messages=state().inbox.take_pushes(user_id))


@bp.get("/sim/richmenu.png")
def rich_menu_image() -> Response:
    """Serve the rich menu image the bot uploads to LINE, drawn by the same code."""
    response = Response(_rich_menu_png(), mimetype="image/png")
    response.cache_control.max_age = 3600
    return response


def rich_menu() -> dict[str, Any]:
    """Describe the rich menu for the page: chat-bar text and each area in percent."""
    from bot.web.richmenu import rich_menu_request

    menu = rich_menu_request()
    width, height = menu.size.width, menu.size.height
    areas = [{"label": area.action.label, "text": area.action.text,
              "left": 100 * area.bounds.x / width, "top": 100 * area.bounds.y / height,
              "width": 100 * area.bounds.width / width,
              "height": 100 * area.bounds.height / height} for area in menu.areas]
    return {"chat_bar_text": menu.chat_bar_text, "aspect": f"{width} / {height}", "areas": areas}


@lru_cache(maxsize=1)
def _rich_menu_png() -> bytes:
    """Draw the rich menu once per process."""
    from bot.web.richmenu import draw_image

    return draw_image()


def _font_url(weight: str) -> str | None:
    """Return the Sarabun font's URL when the draft pages are served, else None."""
    try:
        return url_for("drafts.font", weight=weight)
    except BuildError:
        return None


def _json_body() -> dict[str, Any]:
    """Return the request's JSON object; only JSON is accepted, so no plain form can post here."""
    if not request.is_json:
        raise BadRequest("expected Content-Type: application/json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    return body


def _user_id(body: dict[str, Any]) -> str:
    """Return the simulated user's id: "sim-" and 32 hexadecimal digits, never a LINE id."""
    user_id = body.get("user")
    if not isinstance(user_id, str) or not USER_ID.fullmatch(user_id):
        raise BadRequest('"user" must be "sim-" followed by 32 hexadecimal digits')
    return user_id


def _text(text: Any) -> str:
    """Return the message text: not blank, and no longer than a LINE message."""
    if not isinstance(text, str) or not text.strip():
        raise BadRequest('"text" must be a non-empty string')
    if len(text.encode("utf-16-le")) // 2 > MAX_TEXT:
        raise BadRequest(f'"text" is longer than {MAX_TEXT} characters')
    return text


def _attachment(kind: Any) -> Callable[[str, str], dict[str, Any]]:
    """Return the event builder of a message the page sends without text: sticker or image."""
    if not isinstance(kind, str) or kind not in ATTACHMENTS:
        raise BadRequest('"message" must be "sticker" or "image"')
    return ATTACHMENTS[kind]


def _postback_data(postback: Any) -> str:
    """Return a postback's data: a non-empty string of at most 300 characters."""
    data = postback.get("data") if isinstance(postback, dict) else None
    if not isinstance(data, str) or not data or len(data) > MAX_POSTBACK_DATA:
        raise BadRequest('"postback.data" must be a string of 1 to 300 characters')
    return data


def _deliver(user_id: str, build: EventBuilder) -> tuple[Response, int]:
    """Post one signed event to /callback and return the messages the bot sent for it."""
    simulator = state()
    token = events.reply_token()
    simulator.inbox.open(token, user_id)
    event = build(token)
    body = events.encode(simulator.destination, event)
    status = _post_callback(simulator.base_url, body, events.sign(body, simulator.channel_secret))
    outbox = current_app.extensions.get("outbox")
    if outbox is not None:
        outbox.drain(SENDER_WAIT)
    collected = simulator.inbox.collect(token)
    log.info("event %s type=%s: webhook %s, %s", event["webhookEventId"], event["type"], status,
             collected.delivery)
    answer = {"messages": collected.messages, "delivery": collected.delivery,
              "webhookStatus": status}
    if status != 200:
        answer["error"] = (f"the webhook answered {status}" if status
                           else "the webhook did not answer")
        return jsonify(answer), 502
    return jsonify(answer), 200


def _post_callback(base_url: str, body: bytes, signature: str) -> int:
    """POST the webhook body to the app's /callback; return the status (0: no answer)."""
    call = urllib.request.Request(f"{base_url}/callback", data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": signature,
        "User-Agent": "LineBotWebhook/2.0"})
    try:
        with _opener.open(call, timeout=CALLBACK_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, TimeoutError) as error:
        log.warning("/callback unreachable: %s", type(error).__name__)
        return 0
