"""Turn the SDK's webhook events into the engine's plain :class:`Event`."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from linebot.v3.webhooks import (
    AudioMessageContent,
    FileMessageContent,
    FollowEvent,
    GroupSource,
    ImageMessageContent,
    JoinEvent,
    LeaveEvent,
    LocationMessageContent,
    MemberJoinedEvent,
    MemberLeftEvent,
    MessageEditedEvent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    Source,
    StickerMessageContent,
    TextMessageContent,
    UnfollowEvent,
    UnsendEvent,
    UserSource,
    VideoMessageContent,
)
from linebot.v3.webhooks import Event as LineEvent

from bot.coach.messages import ChatType, Event, EventKind

log = logging.getLogger("bot.web")

#: Reply tokens LINE's old "Verify" button sent; replying to them fails.
DUMMY_REPLY_TOKENS = frozenset({"0" * 32, "f" * 32})

_UNSUPPORTED_CONTENT = (StickerMessageContent, ImageMessageContent, VideoMessageContent,
                        AudioMessageContent, FileMessageContent, LocationMessageContent)
_KINDS: tuple[tuple[type, EventKind], ...] = (
    (FollowEvent, "follow"),
    (UnfollowEvent, "unfollow"),
    (JoinEvent, "join"),
    (LeaveEvent, "leave"),
    (MemberJoinedEvent, "member_joined"),
    (MemberLeftEvent, "member_left"),
)


def to_event(line_event: LineEvent) -> Event | None:
    """Return the engine's event for a LINE event, or None when the bot ignores that kind."""
    what = _what(line_event)
    chat = _chat(line_event.source)
    if what is None or chat is None:
        return None
    chat_type, chat_id = chat
    return Event(
        user_id=_user_id(line_event),
        chat_id=chat_id,
        chat_type=chat_type,
        timestamp=_moment(line_event.timestamp),
        event_id=line_event.webhook_event_id,
        members=_members_left(line_event),
        **what,
    )


def _members_left(line_event: LineEvent) -> tuple[str, ...]:
    """Return who left, for ``memberLeft``: their links stop opening (LINE names only some)."""
    if not isinstance(line_event, MemberLeftEvent) or line_event.left is None:
        return ()
    return tuple(m.user_id for m in line_event.left.members if getattr(m, "user_id", None))


def _moment(milliseconds: int) -> datetime:
    """Return when the event happened; the time of receipt if LINE's stamp is impossible."""
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.now(UTC)


def _what(line_event: LineEvent) -> dict[str, Any] | None:
    """Return the event's kind with its text, message id, postback data or content type."""
    if isinstance(line_event, MessageEvent):
        message = line_event.message
        if isinstance(message, TextMessageContent):
            return {"kind": "text", "text": message.text, "message_id": message.id,
                    "quote_token": message.quote_token}
        if isinstance(message, _UNSUPPORTED_CONTENT):
            return {"kind": "unsupported", "content_type": message.type}
        return None
    if isinstance(line_event, MessageEditedEvent):
        # Only a text can be edited; the id is the original message's.
        edited = line_event.message
        if isinstance(edited, TextMessageContent):
            return {"kind": "message_edited", "text": edited.text, "message_id": edited.id}
        return None
    if isinstance(line_event, UnsendEvent):
        return {"kind": "unsend", "message_id": line_event.unsend.message_id}
    if isinstance(line_event, PostbackEvent):
        return {"kind": "postback", "postback": line_event.postback.data}
    for event_class, kind in _KINDS:
        if isinstance(line_event, event_class):
            return {"kind": kind}
    return None


def _chat(source: Source | None) -> tuple[ChatType, str] | None:
    """Return the chat an event happened in: a 1:1 chat, a group or a room."""
    if isinstance(source, UserSource) and source.user_id:
        return "user", source.user_id
    if isinstance(source, GroupSource):
        return "group", source.group_id
    if isinstance(source, RoomSource):
        return "room", source.room_id
    return None


def _user_id(line_event: LineEvent) -> str | None:
    """Return who acted: in groups LINE names the user on messages only, or who joined."""
    user_id = getattr(line_event.source, "user_id", None)
    if user_id is None and isinstance(line_event, MemberJoinedEvent):
        members = line_event.joined.members
        user_id = getattr(members[0], "user_id", None) if members else None
    return user_id


def reply_token(line_event: LineEvent) -> str | None:
    """Return the event's reply token, or None when it has none or it is a dummy verify token."""
    token = getattr(line_event, "reply_token", None)
    return None if not token or token in DUMMY_REPLY_TOKENS else token


def is_verify_event(line_event: LineEvent) -> bool:
    """Tell whether the event is one of the dummy events of LINE's old webhook "Verify" button."""
    return getattr(line_event, "reply_token", None) in DUMMY_REPLY_TOKENS


def is_standby(line_event: LineEvent) -> bool:
    """Tell whether the channel is in standby for this event (the bot must not send anything)."""
    return getattr(line_event.mode, "value", line_event.mode) == "standby"
