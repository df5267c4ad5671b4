"""LINE's webhook events become the engine's plain events (or are ignored)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from line_support import (
    ALICE,
    BOB,
    GROUP,
    ROOM,
    SECRET,
    encode,
    file_event,
    follow_event,
    image_event,
    join_event,
    leave_event,
    location_event,
    member_joined_event,
    payload,
    postback_event,
    sign,
    sticker_event,
    text_event,
    unfollow_event,
    unsend_event,
)
from linebot.v3 import WebhookParser
from linebot.v3.models import UnknownEvent

from bot.coach.messages import Event
from bot.web.events import is_standby, is_verify_event, reply_token, to_event

MOMENT = 1_764_000_000_123
AT = datetime.fromtimestamp(MOMENT / 1000, tz=UTC)


def edited_event(message_id: str, text: str, **options) -> dict:
    """A messageEdited event as LINE sends it: the original id, the new text (groups only)."""
    event = text_event(text, **{"group": GROUP, **options})
    return dict(event, type="messageEdited", message=dict(event["message"], id=message_id))


def unsend_of(message_id: str, **options) -> dict:
    """An unsend event of one known message."""
    return dict(unsend_event(**options), unsend={"messageId": message_id})


def member_left_event(*members: dict) -> dict:
    """Members left the group (BOB by default); no reply token."""
    return dict(join_event(), type="memberLeft", replyToken=None,
                left={"members": list(members) or [{"type": "user", "userId": BOB}]})


def video_play_complete_event() -> dict:
    """A video the bot sent was watched to the end: a type the bot does not handle."""
    return dict(text_event("x"), type="videoPlayComplete",
                videoPlayComplete={"trackingId": "t1"})


def parse(*events: dict):
    """Parse events the way the webhook does: signed raw body, as a payload."""
    raw = encode(payload(*events))
    return WebhookParser(SECRET).parse(raw.decode(), sign(raw), as_payload=True).events


def convert(event: dict) -> Event | None:
    (line_event,) = parse(event)
    return to_event(line_event)


FIXTURES = {
    "text": text_event("สวัสดี"),
    "postback": postback_event("action=next"),
    "follow": follow_event(unblocked=True),
    "unfollow": unfollow_event(),
    "join": join_event(),
    "leave": leave_event(),
    "member_joined": member_joined_event(BOB),
    "sticker": sticker_event(),
    "image": image_event(),
    "file": file_event(),
    "location": location_event(),
    "group text": text_event("สวัสดี", group=GROUP),
    "room text": text_event("สวัสดี", room=ROOM),
    "message edited": edited_event("600000000000000001", "สวัสดีครับ"),
    "unsend": unsend_of("600000000000000001", group=GROUP),
}


@pytest.mark.parametrize("name", FIXTURES)
def test_no_fixture_parses_to_unknown_event(name):
    (line_event,) = parse(FIXTURES[name])
    assert not isinstance(line_event, UnknownEvent)


def test_a_text_message_becomes_a_text_event_with_its_message_id_and_quote_token():
    event = text_event("ขอเริ่มครับ", user=ALICE, event_id="01KAT0000000000000000000AA",
                       timestamp=MOMENT)
    message = event["message"]
    assert convert(event) == Event(user_id=ALICE, chat_id=ALICE, chat_type="user", kind="text",
                                   timestamp=AT, text="ขอเริ่มครับ",
                                   event_id="01KAT0000000000000000000AA",
                                   message_id=message["id"], quote_token=message["quoteToken"])


def test_an_edited_message_carries_the_new_text_the_original_id_and_the_edit_time():
    event = edited_event("600000000000000002", "ข้อความที่แก้แล้ว", user=ALICE,
                         event_id="01KAT0000000000000000000AE", timestamp=MOMENT)
    assert convert(event) == Event(user_id=ALICE, chat_id=GROUP, chat_type="group",
                                   kind="message_edited", timestamp=AT,
                                   text="ข้อความที่แก้แล้ว", event_id="01KAT0000000000000000000AE",
                                   message_id="600000000000000002")


def test_an_unsend_carries_the_id_of_the_message_taken_back():
    event = unsend_of("600000000000000003", user=BOB, group=GROUP, timestamp=MOMENT,
                      event_id="01KAT0000000000000000000AF")
    assert convert(event) == Event(user_id=BOB, chat_id=GROUP, chat_type="group",
                                   kind="unsend", timestamp=AT,
                                   event_id="01KAT0000000000000000000AF",
                                   message_id="600000000000000003")


def test_a_postback_carries_its_data():
    event = postback_event("q=3&act=skip", timestamp=MOMENT, event_id="01KAT0000000000000000000AB")
    assert convert(event) == Event(user_id=ALICE, chat_id=ALICE, chat_type="user", kind="postback",
                                   timestamp=AT, postback="q=3&act=skip",
                                   event_id="01KAT0000000000000000000AB")


@pytest.mark.parametrize("name, kind", [("follow", "follow"), ("unfollow", "unfollow")])
def test_follow_and_unfollow_come_from_the_user(name, kind):
    event = convert(FIXTURES[name])
    assert (event.kind, event.chat_type, event.chat_id, event.user_id) == (
        kind, "user", ALICE, ALICE)


def test_join_and_leave_come_from_the_group_without_a_user():
    events = [convert(join_event()), convert(leave_event())]
    assert [(e.kind, e.chat_type, e.chat_id, e.user_id) for e in events] == [
        ("join", "group", GROUP, None), ("leave", "group", GROUP, None)]


def test_a_join_in_a_room_comes_from_the_room():
    event = convert(join_event(group=None, room=ROOM))
    assert (event.chat_type, event.chat_id) == ("room", ROOM)


def test_member_joined_names_the_member_who_joined():
    event = convert(member_joined_event(BOB))
    assert (event.kind, event.chat_id, event.user_id) == ("member_joined", GROUP, BOB)


def test_group_and_room_messages_keep_the_chat_and_the_author():
    events = [convert(FIXTURES["group text"]), convert(FIXTURES["room text"])]
    assert [(e.chat_type, e.chat_id, e.user_id) for e in events] == [
        ("group", GROUP, ALICE), ("room", ROOM, ALICE)]


@pytest.mark.parametrize("name", ["sticker", "image", "file", "location"])
def test_non_text_messages_are_unsupported_with_their_content_type(name):
    event = convert(FIXTURES[name])
    assert (event.kind, event.content_type, event.text) == ("unsupported", name, None)


def test_an_event_type_the_sdk_does_not_know_is_ignored():
    future = dict(unsend_event(), type="somethingNew")
    (line_event,) = parse(future)
    assert (isinstance(line_event, UnknownEvent), to_event(line_event)) == (True, None)


def test_an_event_type_the_bot_does_not_handle_is_ignored():
    (line_event,) = parse(video_play_complete_event())
    assert (type(line_event).__name__, to_event(line_event)) == ("VideoPlayCompleteEvent", None)


def test_members_who_left_are_named_so_their_links_can_be_revoked():
    (line_event,) = parse(member_left_event({"type": "user", "userId": BOB},
                                            {"type": "user", "userId": ALICE}))
    event = to_event(line_event)
    assert (event.kind, event.chat_id, event.user_id, event.members) == (
        "member_left", GROUP, None, (BOB, ALICE))


def test_reply_token_is_read_from_replyable_events_only():
    text, unfollow = parse(text_event("x", reply_token="a" * 32), unfollow_event())
    assert (reply_token(text), reply_token(unfollow)) == ("a" * 32, None)


@pytest.mark.parametrize("token", ["0" * 32, "f" * 32])
def test_dummy_verify_tokens_are_recognised_and_never_used(token):
    (line_event,) = parse(text_event("x", reply_token=token))
    assert (is_verify_event(line_event), reply_token(line_event)) == (True, None)


def test_standby_mode_is_recognised():
    active, standby = parse(text_event("x"), text_event("x", mode="standby"))
    assert (is_standby(active), is_standby(standby)) == (False, True)
