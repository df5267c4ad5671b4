"""The webhook end to end: signed bodies in, the real SDK client calling a fake LINE API out."""

from __future__ import annotations

import json
import uuid

import pytest
from line_support import (
    ALICE,
    BOB,
    GROUP,
    PUSH_PATH,
    REPLY_PATH,
    ROOM,
    encode,
    follow_event,
    image_event,
    join_event,
    limit_violations,
    payload,
    post_events,
    sign,
    sticker_event,
    text_event,
    unfollow_event,
    unsend_event,
    web_config,
)
from sqlalchemy import func, select

from bot.store import StoreError, export_owner
from bot.store.models import ProcessedEvent
from bot.web import create_app

SETUP = ["เริ่ม", "บริการภาครัฐ", "ยกระดับการอำนวยความสะดวกในการให้บริการ", "ระบบขออนุญาตขุดดินออนไลน์"]
ONLY_TEXT = "อ่านได้เฉพาะข้อความ"


def service(app):
    return app.extensions["coaching"]


def processed_events(app) -> int:
    with service(app).database.session() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent))


def applications(app, owner: str = ALICE) -> list[dict]:
    return export_owner(service(app).database, owner)["applications"]


def set_up_application(client, user: str = ALICE) -> None:
    for text in SETUP:
        assert post_events(client, text_event(text, user=user)).status_code == 200


# A whole conversation -----------------------------------------------------------------------

CONVERSATION = [
    # (officer says, a phrase the bot's answer must contain)
    ("เริ่ม", "เลือกสาขารางวัล"),
    ("บริการภาครัฐ", "1.6 ยกระดับการอำนวยความสะดวกในการให้บริการ"),
    ("ยกระดับการอำนวยความสะดวกในการให้บริการ", "ชื่ออะไร"),
    ("ระบบขออนุญาตขุดดินออนไลน์", "ข้อ 1 จาก 10"),
    ("เดิมประชาชนต้องเดินทางมายื่นคำขอที่สำนักงาน 3 ครั้ง ใช้เวลา 45 วัน", "บันทึกข้อ 1 แล้ว"),
    ("ผู้ยื่นคำขอปีละ 1,250 ราย ส่วนใหญ่เป็นเกษตรกร", "2 ข้อความ"),
    ("ถัดไป", "ข้อ 2 จาก 10"),
    ("ความคืบหน้า", "อาจเสีย ~"),
    ("ช่วยเหลือ", "ดูร่าง"),
]


def test_a_whole_conversation_is_answered_through_line(client, app, fake_line):
    for says, expected in CONVERSATION:
        event = text_event(says)
        assert post_events(client, event).status_code == 200
        path, body, headers = fake_line.calls()[-1]
        assert (path, body["replyToken"], headers["Authorization"]) == (
            REPLY_PATH, event["replyToken"], "Bearer test-channel-access-token")
        assert expected in "\n".join(fake_line.texts(REPLY_PATH)[-len(body["messages"]):]), says
        assert limit_violations(body["messages"]) == []
    assert len(fake_line.calls()) == len(CONVERSATION)
    assert applications(app)[0]["answers"] == {
        "1": "เดิมประชาชนต้องเดินทางมายื่นคำขอที่สำนักงาน 3 ครั้ง "
             "ใช้เวลา 45 วัน\nผู้ยื่นคำขอปีละ 1,250 ราย ส่วนใหญ่เป็นเกษตรกร"}


def test_progress_arrives_as_a_flex_bubble_with_choices_under_it(client, fake_line):
    set_up_application(client)
    post_events(client, text_event("ความคืบหน้า"))
    messages = fake_line.requests()[-1]["messages"]
    assert [m["type"] for m in messages][:1] == ["flex"]
    assert messages[0]["altText"].startswith("📊 ความคืบหน้า")
    assert "quickReply" in messages[-1]


def test_quick_replies_reach_line_under_the_last_message(client, fake_line):
    post_events(client, text_event("เริ่ม"))
    assert fake_line.quick_replies() == ["1", "2", "ยกเลิก"]


def test_the_draft_arrives_as_a_card_of_links_that_open(client, fake_line):
    set_up_application(client)
    post_events(client, text_event("ลดเวลาจาก 45 วันเหลือ 7 วัน"))
    post_events(client, text_event("ดูร่าง"))
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    actions = [c["action"] for c in card["contents"]["footer"]["contents"]]
    uris = [a["uri"] for a in actions if a["type"] == "uri"]
    assert [u.startswith("https://coach.example.go.th/d/") for u in uris] == [True] * 4
    assert [a["text"] for a in actions if a["type"] == "message"] == ["แก้บนเว็บ"]
    page = client.get(uris[-1].removeprefix("https://coach.example.go.th"))  # the preview
    assert (page.status_code, "ระบบขออนุญาตขุดดินออนไลน์" in page.text) == (200, True)


# Signatures and bodies ------------------------------------------------------------------------

def test_a_bad_signature_is_refused_and_nothing_is_stored_or_sent(client, app, fake_line):
    events = [text_event(text) for text in SETUP]
    response = post_events(client, *events, signature=sign(b"something else"))
    assert (response.status_code, fake_line.calls(), processed_events(app), applications(app)) == (
        400, [], 0, [])


def test_events_refused_for_their_signature_are_processed_when_signed(client, app, fake_line):
    events = [text_event(text) for text in SETUP]
    post_events(client, *events, secret="not-the-channel-secret")
    assert post_events(client, *events).status_code == 200
    assert [a["title"] for a in applications(app)] == ["ระบบขออนุญาตขุดดินออนไลน์"]


def test_a_missing_signature_is_refused(client, app, fake_line):
    response = post_events(client, text_event("เริ่ม"), signature="")
    assert (response.status_code, fake_line.calls(), processed_events(app)) == (400, [], 0)


def test_a_signature_over_re_serialised_json_is_refused(client, app, fake_line):
    body = payload(text_event("สวัสดี 😀"))
    escaped = json.dumps(body).encode()  # \u escapes: other bytes than the ones signed
    response = post_events(client, raw=encode(body), signature=sign(escaped))
    assert (response.status_code, fake_line.calls()) == (400, [])


@pytest.mark.parametrize("raw", [b'{"destination": "U1", "events": [', b"[]",
                                 b'{"events": null}', b""])
def test_a_signed_body_that_is_not_a_webhook_payload_is_refused(client, fake_line, raw):
    assert (post_events(client, raw=raw).status_code, fake_line.calls()) == (400, [])


def test_an_empty_event_list_is_acknowledged(client, fake_line):
    assert (post_events(client).status_code, fake_line.calls()) == (200, [])


def test_a_body_over_the_size_limit_is_refused(client, app, fake_line):
    huge = text_event("ก" * 400_000)  # 1.2 MB of UTF-8
    response = post_events(client, huge)
    assert (response.status_code, fake_line.calls(), processed_events(app)) == (413, [], 0)


# Each event once -----------------------------------------------------------------------------

def test_the_same_event_twice_in_one_batch_is_processed_once(client, app, fake_line):
    event = text_event("เริ่ม")
    assert post_events(client, event, event).status_code == 200
    assert (len(fake_line.calls()), processed_events(app)) == (1, 1)


def test_the_same_event_in_two_requests_is_processed_once(client, app, fake_line):
    event = text_event("เริ่ม")
    statuses = [post_events(client, event).status_code, post_events(client, event).status_code]
    assert (statuses, len(fake_line.calls()), processed_events(app)) == ([200, 200], 1, 1)


def test_a_redelivered_event_is_processed_once(client, app, fake_line):
    set_up_application(client)
    answer = text_event("ระยะเวลาพิจารณาลดลงจาก 45 วันเหลือ 7 วัน")
    redelivered = dict(answer, deliveryContext={"isRedelivery": True})
    post_events(client, answer)
    assert post_events(client, redelivered).status_code == 200
    assert applications(app)[0]["answers"] == {"1": "ระยะเวลาพิจารณาลดลงจาก 45 วันเหลือ 7 วัน"}
    assert len(fake_line.calls()) == len(SETUP) + 1


def test_standby_events_are_not_processed_and_nothing_is_sent(client, app, fake_line):
    response = post_events(client, text_event("เริ่ม", mode="standby"))
    assert (response.status_code, fake_line.calls(), processed_events(app)) == (200, [], 0)


@pytest.mark.parametrize("token", ["0" * 32, "f" * 32])
def test_the_dummy_verify_events_get_no_reply(client, app, fake_line, token):
    response = post_events(client, text_event("Hello, world", reply_token=token))
    assert (response.status_code, fake_line.calls(), processed_events(app)) == (200, [], 0)


def test_event_types_the_bot_does_not_handle_are_skipped_and_the_rest_processed(client, fake_line):
    known = text_event("เริ่ม")
    response = post_events(client, unsend_event(), dict(unsend_event(), type="somethingNew"), known)
    assert (response.status_code, [b["replyToken"] for b in fake_line.requests()]) == (
        200, [known["replyToken"]])


def test_an_event_with_an_impossible_timestamp_does_not_fail_the_batch(client, fake_line):
    known = text_event("เริ่ม")
    response = post_events(client, text_event("เริ่ม", user=BOB, timestamp=10 ** 20), known)
    tokens = [b["replyToken"] for b in fake_line.requests()]
    assert (response.status_code, known["replyToken"] in tokens) == (200, True)


# Who is talking --------------------------------------------------------------------------------

def test_one_batch_from_two_users_answers_each_with_their_own_token(client, app, fake_line):
    alice, bob = text_event("เริ่ม", user=ALICE), text_event("ช่วยเหลือ", user=BOB)
    assert post_events(client, alice, bob).status_code == 200
    # Two chats: their replies go out at once, in either order (bot.outbox.sender).
    replies = {r["replyToken"]: r["messages"] for r in fake_line.requests(REPLY_PATH)}
    assert sorted(replies) == sorted([alice["replyToken"], bob["replyToken"]])
    assert "เลือกสาขารางวัล" in replies[alice["replyToken"]][0]["text"]
    assert "ดูร่าง" in "\n".join(m.get("text", "") for m in replies[bob["replyToken"]])


def test_a_group_builds_its_own_application(client, app, fake_line):
    for text in SETUP:
        post_events(client, text_event(text, user=ALICE if len(text) % 2 else BOB, group=GROUP))
    assert ([a["title"] for a in applications(app, GROUP)], applications(app, ALICE)) == (
        ["ระบบขออนุญาตขุดดินออนไลน์"], [])
    assert len(fake_line.requests(REPLY_PATH)) == len(SETUP)


def test_the_bot_greets_a_room_it_joins(client, fake_line):
    event = join_event(group=None, room=ROOM)
    post_events(client, event)
    (reply,) = fake_line.requests(REPLY_PATH)
    assert (reply["replyToken"], bool(reply["messages"][0]["text"])) == (event["replyToken"], True)


def test_a_follow_is_welcomed_and_an_unfollow_sends_nothing(client, fake_line):
    follow = follow_event()
    post_events(client, follow, unfollow_event())
    assert [r["replyToken"] for r in fake_line.requests()] == [follow["replyToken"]]


@pytest.mark.parametrize("event", [sticker_event, image_event], ids=["sticker", "image"])
def test_a_sticker_or_an_image_gets_a_friendly_thai_reply(client, fake_line, event):
    post_events(client, event())
    assert ONLY_TEXT in fake_line.texts()[0]


# When LINE says no ---------------------------------------------------------------------------

def test_a_refused_reply_token_is_followed_by_a_push_with_a_retry_key(client, fake_line):
    fake_line.fail_once(REPLY_PATH, 400, "Invalid reply token")
    post_events(client, text_event("เริ่ม"))
    (reply, push) = fake_line.calls()
    assert (reply[0], push[0], push[1]["to"], push[1]["messages"]) == (
        REPLY_PATH, PUSH_PATH, ALICE, reply[1]["messages"])
    assert str(uuid.UUID(push[2]["X-Line-Retry-Key"])) == push[2]["X-Line-Retry-Key"]


def test_a_push_that_failed_is_retried_once_with_the_same_key_and_409_means_sent(client, fake_line):
    fake_line.fail_once(REPLY_PATH, 400, "Invalid reply token")
    fake_line.fail_once(PUSH_PATH, 500, "Internal server error")
    fake_line.fail_once(PUSH_PATH, 409, "The retry key is already accepted")
    assert post_events(client, text_event("เริ่ม")).status_code == 200
    keys = [headers["X-Line-Retry-Key"] for path, _, headers in fake_line.calls()
            if path == PUSH_PATH]
    assert (len(keys), len(set(keys))) == (2, 1)


def test_a_push_line_answers_429_is_tried_again_with_the_same_key(client, fake_line):
    fake_line.fail_once(REPLY_PATH, 400, "Invalid reply token")
    fake_line.fail_once(PUSH_PATH, 429, "You have reached your monthly limit.")
    assert post_events(client, text_event("เริ่ม")).status_code == 200
    calls = fake_line.calls()
    assert [path for path, _, _ in calls] == [REPLY_PATH, PUSH_PATH, PUSH_PATH]
    assert calls[1][2]["X-Line-Retry-Key"] == calls[2][2]["X-Line-Retry-Key"]
    assert [path for path, _ in fake_line.delivered()] == [PUSH_PATH]


@pytest.mark.parametrize("status, message, then", [
    # The token is still fresh: the reply is tried again (free, and never shown twice).
    (500, "Internal server error", [REPLY_PATH, REPLY_PATH]),
    (429, "The API rate limit has been exceeded. Try again later.", [REPLY_PATH, REPLY_PATH]),
    (400, "The request body has 1 error(s)", [REPLY_PATH]),  # a push would be refused alike
])
def test_the_answer_is_kept_when_line_fails_to_deliver_the_reply(client, app, fake_line, status,
                                                                  message, then):
    set_up_application(client)
    before = len(fake_line.calls())
    fake_line.fail_once(REPLY_PATH, status, message)
    response = post_events(client, text_event("ลดเวลาจาก 45 วันเหลือ 7 วัน"))
    assert (response.status_code, applications(app)[0]["answers"]) == (
        200, {"1": "ลดเวลาจาก 45 วันเหลือ 7 วัน"})
    assert [path for path, _, _ in fake_line.calls()][before:] == then


def test_the_answer_is_kept_when_line_times_out(database_url, fake_line):
    app = create_app(web_config(database_url, fake_line.url, LINE_TIMEOUT=0.3))
    client = app.test_client()
    set_up_application(client)
    fake_line.stall_once(REPLY_PATH, 1.0)
    response = post_events(client, text_event("ลดเวลาจาก 45 วันเหลือ 7 วัน"))
    assert (response.status_code, applications(app)[0]["answers"]) == (
        200, {"1": "ลดเวลาจาก 45 วันเหลือ 7 วัน"})
    fake_line.wait_for_calls(len(SETUP) + 1)  # the stalled call must not land in the next test
    # It landed although the sender gave up waiting: its second reply finds the token used,
    # which counts as sent, and nothing is pushed.
    assert [path for path, _ in fake_line.delivered()] == [REPLY_PATH] * (len(SETUP) + 1)
    app.extensions["outbox"].stop()
    service(app).database.dispose()


# When the database says no -------------------------------------------------------------------

def test_an_event_that_cannot_be_stored_makes_line_redeliver_and_the_rest_is_not_repeated(
        client, app, fake_line, monkeypatch):
    first, failing, last = text_event("เริ่ม", user=ALICE), text_event("เริ่ม", user=BOB), \
        text_event("ช่วยเหลือ", user=user_c())
    process = service(app).process

    def flaky(event, **options):
        if event.event_id == failing["webhookEventId"]:
            raise StoreError("database error: OperationalError")
        return process(event, **options)

    monkeypatch.setattr(service(app), "process", flaky)
    assert post_events(client, first, failing, last).status_code == 500
    assert sorted(r["replyToken"] for r in fake_line.requests()) == sorted([
        first["replyToken"], last["replyToken"]])  # two chats: in either order

    monkeypatch.setattr(service(app), "process", process)
    again = [dict(e, deliveryContext={"isRedelivery": True}) for e in (first, failing, last)]
    assert post_events(client, *again).status_code == 200
    tokens = [r["replyToken"] for r in fake_line.requests()]
    assert (sorted(tokens[:2]), tokens[2:]) == (
        sorted([first["replyToken"], last["replyToken"]]), [failing["replyToken"]])


def user_c() -> str:
    from line_support import user
    return user("carol")


# Personal data --------------------------------------------------------------------------------

def test_nothing_officers_wrote_reaches_the_logs(client, app, fake_line, caplog, monkeypatch):
    secret_answer = "งบประมาณโครงการ 2,345,678 บาท ผู้รับผิดชอบนางสาวสมหญิง"
    caplog.set_level("DEBUG")
    set_up_application(client)
    post_events(client, text_event(secret_answer))
    fake_line.fail_once(REPLY_PATH, 400, "Invalid reply token")
    fake_line.fail_once(PUSH_PATH, 500, "Internal server error")
    fake_line.fail_once(PUSH_PATH, 500, "Internal server error")
    post_events(client, text_event(secret_answer + " ต่อ"))

    def failing(event, **options):
        raise StoreError(f"database error: {event.text}")  # even an error quoting the answer
    monkeypatch.setattr(service(app), "process", failing)
    post_events(client, text_event(secret_answer))
    post_events(client, text_event(secret_answer), signature="bad")
    logged = "\n".join(record.getMessage() for record in caplog.records
                       if record.name.startswith("bot"))
    assert ("event " in logged, "สมหญิง" in logged, "2,345,678" in logged) == (True, False, False)


# Messages edited or unsent in LINE ----------------------------------------------------------

def edited_event(message_id: str, text: str, **options) -> dict:
    """A messageEdited event as LINE sends it: the original id, the new text (groups only)."""
    event = text_event(text, **{"group": GROUP, **options})
    return dict(event, type="messageEdited", message=dict(event["message"], id=message_id))


def unsend_of(message_id: str, **options) -> dict:
    """An unsend event of one known message (no reply token)."""
    return dict(unsend_event(**{"group": GROUP, **options}), unsend={"messageId": message_id})


def group_answer(client, *texts: str) -> list[dict]:
    """Set up a group application and write ``texts`` into question 1; return their events."""
    for text in SETUP:
        post_events(client, text_event(text, user=ALICE, group=GROUP))
    events = [text_event(text, user=ALICE, group=GROUP) for text in texts]
    for event in events:
        assert post_events(client, event).status_code == 200
    return events


def part_rows(app) -> list[tuple[str | None, str]]:
    """Return every stored part's message id and text."""
    from bot.store.models import AnswerPart
    with service(app).database.session() as session:
        return [(p.message_id, p.text) for p in session.scalars(
            select(AnswerPart).order_by(AnswerPart.id))]


def test_a_group_part_edited_in_line_shows_the_edited_text_in_the_export(
        client, app, fake_line, capsys):
    first, _ = group_answer(client, "ลดเวลาจาก 45 วันเหลือ 7 วน", "ผู้ใช้ปีละ 1,250 ราย")
    edit = edited_event(first["message"]["id"], "ลดเวลาจาก 45 วันเหลือ 7 วัน",
                        timestamp=first["timestamp"] + 60_000)
    assert post_events(client, edit).status_code == 200
    expected = {"1": "ลดเวลาจาก 45 วันเหลือ 7 วัน\nผู้ใช้ปีละ 1,250 ราย"}
    assert applications(app, GROUP)[0]["answers"] == expected
    assert "ข้อ 1: แก้ข้อความตามที่แก้ใน LINE" in fake_line.texts(REPLY_PATH)[-1]
    from bot.cli import main
    assert main(["--database", service(app).database.url, "export", "--user", ALICE,
                 "--group", GROUP]) == 0
    assert json.loads(capsys.readouterr().out)["applications"][0]["answers"] == expected


def test_an_older_edit_delivered_after_a_newer_one_changes_nothing(client, app, fake_line):
    (part,) = group_answer(client, "ฉบับพิมพ์")
    message_id, sent = part["message"]["id"], part["timestamp"]
    newer = edited_event(message_id, "ฉบับแก้ครั้งที่สอง", timestamp=sent + 20_000)
    older = edited_event(message_id, "ฉบับแก้ครั้งแรก", timestamp=sent + 10_000)
    calls = len(fake_line.calls())
    assert post_events(client, newer, older).status_code == 200
    assert applications(app, GROUP)[0]["answers"] == {"1": "ฉบับแก้ครั้งที่สอง"}
    assert len(fake_line.calls()) == calls + 1   # only the newer edit was acknowledged


def test_an_unsent_part_is_gone_from_the_export_and_the_database(client, app, fake_line):
    first, second = group_answer(client, "ข้อความที่ตั้งใจ", "ข้อความที่ส่งผิดกลุ่ม")
    unsend = unsend_of(second["message"]["id"])
    assert post_events(client, unsend, dict(unsend, webhookEventId=str(uuid.uuid4())[:26])
                       ).status_code == 200
    assert applications(app, GROUP)[0]["answers"] == {"1": "ข้อความที่ตั้งใจ"}
    assert part_rows(app) == [(first["message"]["id"], "ข้อความที่ตั้งใจ")]
    # No reply token on an unsend: the note goes out as one push, the repeat says nothing.
    (push,) = fake_line.requests(PUSH_PATH)
    assert "เอาข้อความที่ยกเลิกการส่งออกจากคำตอบแล้ว" in push["messages"][0]["text"]


def test_unsending_a_message_that_is_no_part_of_an_answer_sends_nothing(client, app, fake_line):
    command = text_event("ความคืบหน้า", user=ALICE, group=GROUP)
    group_answer(client, "คำตอบ")
    post_events(client, command)
    calls = len(fake_line.calls())
    assert post_events(client, unsend_of(command["message"]["id"])).status_code == 200
    assert (len(fake_line.calls()), applications(app, GROUP)[0]["answers"]) == (
        calls, {"1": "คำตอบ"})
