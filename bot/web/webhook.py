"""The LINE webhook: check the signature, store each event once with its replies, answer at once.

Delivery rules:
- a missing or wrong signature, or a body that is not LINE's JSON (an object whose
  ``events`` is a list), is refused with 400 before anything is stored;
- the signature is checked once, over the raw body; then each event is read on its own: an
  event the SDK cannot read (a type or field LINE added, a malformed one) is logged by its
  webhookEventId and type and skipped, and the others are processed;
- each event is processed once: the service records its webhookEventId at the end of the
  event's transaction, together with its replies (the outbox, :mod:`bot.outbox`), and a
  duplicate (a redelivery, or the same event twice) stores and sends nothing;
- no call to LINE is made here: once the transactions commit the request answers 200 and
  wakes the sender, which replies with the token while it is fresh and pushes otherwise;
- one failing event does not stop the others; if any event could not be stored the request
  answers 500 so that LINE redelivers it (the others are then recognised as duplicates);
- events in standby mode and the dummy events of LINE's "Verify" button are not processed;
- an unsend comes without a reply token, so what the bot says about it (which answer lost
  the message) is pushed to the chat; other events without a token send nothing.

Only event ids, event types and outcomes are logged, never what officers wrote.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import TYPE_CHECKING, Any, Literal

from flask import Blueprint, Response, abort, current_app, request
from linebot.v3.webhooks import Event as LineEvent

from bot.coach.messages import Event, Reply
from bot.coach.ports import Store
from bot.outbox.rows import Claimed, enqueue
from bot.web.events import is_standby, is_verify_event, reply_token, to_event
from bot.web.extensions import coaching, line
from bot.web.line_json import message_json
from bot.web.line_messages import to_messages

if TYPE_CHECKING:
    from bot.outbox.sender import Outbox

log = logging.getLogger("bot.web")

bp = Blueprint("webhook", __name__)

Result = Literal["queued", "duplicate", "silent", "ignored", "unreadable", "standby", "verify",
                 "not_stored"]
#: The most of an unreadable event's id and type that is logged (they are LINE's, not text).
_LOGGED = 40


@bp.post("/callback")
def callback() -> Response | tuple[str, int]:
    """Receive one webhook request from LINE."""
    body = request.get_data(as_text=True)
    _verify(body, request.headers.get("X-Line-Signature", ""))
    outbox = current_app.extensions.get("outbox")
    results = [_handle(raw, outbox) for raw in _raw_events(body)]
    if outbox is not None and "queued" in results:
        outbox.wake()
    if "not_stored" in results:
        return "some events could not be stored", 500
    return "OK", 200


def _verify(body: str, signature: str) -> None:
    """Abort with 400 unless ``signature`` is the channel's over the raw body."""
    if not signature or not line.channel.parser.signature_validator.validate(body, signature):
        log.warning("webhook refused: %s signature", "bad" if signature else "missing")
        abort(400)


def _raw_events(body: str) -> list[Any]:
    """Return the body's events as JSON, or abort with 400 when it is not LINE's payload."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        log.warning("webhook refused: unreadable payload")
        abort(400)
    return events


def _handle(raw: Any, outbox: Outbox | None) -> Result:
    """Read one event, process it, queue its replies; return what happened."""
    try:
        line_event = LineEvent.from_dict(raw)
    except Exception as error:  # noqa: BLE001 - any event the SDK cannot read is skipped
        event_id, kind = (_field(raw, "webhookEventId"), _field(raw, "type"))
        log.warning("event %s type=%s: unreadable, skipped (%s)", event_id, kind,
                    type(error).__name__)
        return "unreadable"
    result = _process(line_event, outbox)
    log.info("event %s type=%s redelivery=%s: %s", line_event.webhook_event_id, line_event.type,
             line_event.delivery_context.is_redelivery, result)
    return result


def _field(raw: Any, name: str) -> str:
    """Return one of an unreadable event's identifying fields, short, for the log."""
    value = raw.get(name) if isinstance(raw, dict) else None
    return value[:_LOGGED] if isinstance(value, str) else "?"


def _process(line_event: LineEvent, outbox: Outbox | None) -> Result:
    """Skip what must not be processed; process the rest once, its replies into the outbox."""
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
    queued: list[Claimed | bool] = []
    lease = outbox.local_lease() if outbox is not None else None

    def on_replies(store: Store, replies: list[Reply]) -> None:
        # Only the transaction that commits counts: an event run again queues anew.
        queued[:] = [_queue(store, line_event, event, replies, lease)]

    try:
        outcome = coaching.service.process(event, on_replies=on_replies)
    except Exception as error:  # noqa: BLE001 - the batch goes on; LINE redelivers this one
        log.error("event %s: not stored: %s", event.event_id, _describe(error))
        return "not_stored"
    if outcome.duplicate:
        return "duplicate"
    _hand_over(queued, outbox)
    return "queued" if any(queued) else "silent"


def _hand_over(queued: list[Claimed | bool], outbox: Outbox | None) -> None:
    """Tell the sender about the committed outbox rows."""
    for row in queued:  # committed: leased to this process's sender, which takes it now
        if outbox is not None and isinstance(row, Claimed):
            outbox.submit(row)
        elif outbox is not None and row:  # committed without a lease: a sender claims it
            outbox.note_unleased()


def _queue(store: Store, line_event: LineEvent, event: Event, replies: list[Reply],
           lease: float | None) -> Claimed | bool:
    """Put the event's replies in the outbox, in the event's transaction; say whether any.

    With a ``lease`` the row is leased to this process's sender at once and returned.
    """
    token = reply_token(line_event)
    if not replies:
        return False
    if token is None and event.kind != "unsend":
        log.info("event %s: no reply token, replies dropped", event.event_id)
        return False
    messages = [message_json(message) for message in to_messages(replies)]
    claimed = enqueue(store, event_id=event.event_id or "", chat_id=event.chat_id,
                      reply_token=token, messages=messages,
                      lease=lease if event.event_id else None)
    return claimed if claimed is not None else True


def _describe(error: BaseException) -> str:
    """Name an error and where it was raised, without its message (it may quote an answer)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}{where}"
