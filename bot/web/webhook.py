"""The LINE webhook: check the signature, process each event once, send its replies.

Delivery rules:
- a missing or wrong signature, or a body that is not LINE's JSON, is refused with 400
  before anything is stored or sent;
- each event is processed once: the service records its webhookEventId with the state change,
  and a duplicate (a redelivery, or the same event twice) sends nothing;
- one failing event does not stop the others; if any event could not be stored the request
  answers 500 so that LINE redelivers it (the others are then recognised as duplicates);
- an event that was stored but whose reply failed answers 200: the answer is safe, and
  redelivering would not send the reply again anyway;
- events in standby mode and the dummy events of LINE's "Verify" button are not processed;
- an unsend comes without a reply token, so what the bot says about it (which answer lost
  the message) is pushed to the chat; other events without a token send nothing.

Only event ids, event types and outcomes are logged, never what officers wrote.
"""

from __future__ import annotations

import logging
import traceback
from typing import Literal

from flask import Blueprint, Response, abort, request
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.webhooks import Event as LineEvent

from bot.coach.messages import Event, Reply
from bot.web.events import is_standby, is_verify_event, reply_token, to_event
from bot.web.extensions import coaching, line
from bot.web.line_messages import to_messages

log = logging.getLogger("bot.web")

bp = Blueprint("webhook", __name__)

Result = Literal["replied", "pushed", "failed", "dropped", "duplicate", "silent",
                 "ignored", "unreadable", "standby", "verify", "not_stored", "reply_error"]


@bp.post("/callback")
def callback() -> Response | tuple[str, int]:
    """Receive one webhook request from LINE."""
    events = _parse(request.get_data(as_text=True), request.headers.get("X-Line-Signature", ""))
    results = [_handle(line_event) for line_event in events]
    if "not_stored" in results:
        return "some events could not be stored", 500
    return "OK", 200


def _parse(body: str, signature: str) -> list[LineEvent]:
    """Check the signature and parse the events, or abort with 400."""
    try:
        return line.channel.parser.parse(body, signature, as_payload=True).events
    except InvalidSignatureError:
        log.warning("webhook refused: %s signature", "bad" if signature else "missing")
        abort(400)
    except Exception as error:  # noqa: BLE001 - a signed body LINE's parser cannot read
        log.warning("webhook refused: unreadable payload (%s)", type(error).__name__)
        abort(400)


def _handle(line_event: LineEvent) -> Result:
    """Process one event and send its replies; return what happened."""
    event_id = line_event.webhook_event_id
    result = _process_and_send(line_event)
    log.info("event %s type=%s redelivery=%s: %s", event_id, line_event.type,
             line_event.delivery_context.is_redelivery, result)
    return result


def _process_and_send(line_event: LineEvent) -> Result:
    """Skip what must not be processed, process the rest once, and deliver the replies."""
    if is_standby(line_event):
        return "standby"
    if is_verify_event(line_event):
        return "verify"
    try:
        event = to_event(line_event)
    except (ValueError, OverflowError, OSError) as error:  # e.g. a timestamp no clock can hold
        log.warning("event %s: unreadable: %s", line_event.webhook_event_id, _describe(error))
        return "unreadable"
    if event is None:
        return "ignored"
    try:
        outcome = coaching.service.process(event)
    except Exception as error:  # noqa: BLE001 - the batch goes on; LINE redelivers this one
        log.error("event %s: not stored: %s", event.event_id, _describe(error))
        return "not_stored"
    if outcome.duplicate:
        return "duplicate"
    if not outcome.replies:
        return "silent"
    try:
        return _deliver(line_event, event, outcome.replies)
    except Exception as error:  # noqa: BLE001 - the answer is stored; only the reply is lost
        log.error("event %s: reply not sent: %s", event.event_id, _describe(error))
        return "reply_error"


def _deliver(line_event: LineEvent, event: Event, replies: list[Reply]) -> Result:
    """Reply with the event's token; push what the bot says about an unsend, which has none."""
    messages = to_messages(replies)
    token = reply_token(line_event)
    sender = line.channel.sender
    if token is None and event.kind == "unsend":
        return sender.push(messages, chat_id=event.chat_id, event_id=event.event_id)
    return sender.send(messages, reply_token=token, chat_id=event.chat_id,
                       event_id=event.event_id)


def _describe(error: BaseException) -> str:
    """Name an error and where it was raised, without its message (it may quote an answer)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"
