"""The durable outbox: replies stored with their event, delivered exactly once, whatever fails.

The webhook answers LINE at once and the sender delivers; these tests make LINE fail for a
while, kill a sender between its call and its record, restart the app, and check what LINE
actually sent (``FakeLine.delivered``): every reply once, never twice. Each runs on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from line_support import (
    ALICE,
    BOB,
    PUSH_PATH,
    REPLY_PATH,
    drain,
    post_events,
    text_event,
    unsend_event,
    user,
    web_config,
)
from sqlalchemy import select, update

from bot.outbox import rows
from bot.outbox.policy import Settings, backoff, judge, next_call
from bot.store.models import ProcessedEvent
from bot.web import create_app
from bot.web.sender import Attempt

SETUP = ["เริ่ม", "1.1", "ระบบคิวออนไลน์"]


@pytest.fixture
def quiet_app(database_url, fake_line) -> Iterator:
    """The web app with no sender thread: only ``drain`` (the test) delivers."""
    built = create_app(web_config(database_url, fake_line.url, OUTBOX_THREAD=0, LINE_TIMEOUT=1))
    yield built
    built.extensions["coaching"].database.dispose()


def outbox_rows(app) -> list[ProcessedEvent]:
    with app.extensions["coaching"].database.session() as session:
        return list(session.scalars(select(ProcessedEvent).order_by(ProcessedEvent.received_at)))


def post_only(client, *events):
    """POST a signed request without waiting for the sender."""
    from line_support import encode, payload, sign
    raw = encode(payload(*events))
    return client.post("/callback", data=raw, headers={
        "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": sign(raw)})


def delivered_per_event(fake_line, events) -> Counter:
    """Count, per event, the calls LINE accepted that carried its replies."""
    by_token = {e["replyToken"]: e["webhookEventId"] for e in events}
    texts = {}
    for path, body in fake_line.delivered():
        if path == REPLY_PATH:
            texts.setdefault(by_token[body["replyToken"]], []).append(path)
    return Counter({event: len(calls) for event, calls in texts.items()})


# One unreadable event loses nothing else ---------------------------------------------------

def test_an_unreadable_event_is_skipped_and_logged_and_the_others_are_answered(
        client, fake_line, caplog):
    caplog.set_level(logging.INFO)
    first, last = text_event("เริ่ม", user=ALICE), text_event("ช่วยเหลือ", user=BOB)
    broken = dict(text_event("ข้อความลับ 0812345678"), source=5)
    no_type = {k: v for k, v in text_event("ลับ").items() if k != "type"}
    newer = dict(text_event("ลับ"), mode="someNewMode")
    response = post_events(client, first, broken, no_type, 42, newer, last)
    assert response.status_code == 200
    # Two chats: their replies go out at once, in either order (bot.outbox.sender).
    assert sorted(b["replyToken"] for b in fake_line.requests(REPLY_PATH)) == sorted([
        first["replyToken"], last["replyToken"]])
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert f"event {broken['webhookEventId']} type=message: unreadable" in logged
    assert f"event {newer['webhookEventId']} type=message: unreadable" in logged
    assert f"event {no_type['webhookEventId']} type=?: unreadable" in logged
    assert ("ลับ" in logged, "0812345678" in logged) == (False, False)


# LINE down, then back ---------------------------------------------------------------------

def test_line_failing_for_a_while_then_recovering_delivers_every_reply_exactly_once(
        client, app, fake_line):
    fake_line.fail_for(1.5)
    events = [text_event(text, user=user(f"officer{n}")) for n in range(4) for text in SETUP]
    for event in events:
        assert post_only(client, event).status_code == 200  # at once, LINE down or not
    assert drain(app, timeout=20)
    assert delivered_per_event(fake_line, events) == Counter(
        {e["webhookEventId"]: 1 for e in events})
    failed = [r for r, response in fake_line.server.log if response.status_code >= 500]
    assert failed  # LINE really was down for some of them
    assert all(row.delivery == "replied" and row.messages is None and row.reply_token is None
               for row in outbox_rows(app))


def test_line_failing_past_the_token_s_freshness_leads_to_one_push_per_event(
        quiet_app, fake_line):
    client = quiet_app.test_client()
    outbox = quiet_app.extensions["outbox"]
    event = text_event("เริ่ม")
    fake_line.fail_for(60)
    post_only(client, event)
    outbox.deliver_due()
    with quiet_app.extensions["coaching"].database.session() as session:  # a minute later
        session.execute(update(ProcessedEvent).values(
            received_at=datetime.now(UTC) - timedelta(seconds=70),
            next_attempt_at=datetime.now(UTC)))
    fake_line.fail_for(0)
    assert outbox.drain(5)
    calls = fake_line.calls()
    assert [path for path, _, _ in calls] == [REPLY_PATH, PUSH_PATH]
    assert calls[1][1]["to"] == ALICE


# A sender killed between its call and its record --------------------------------------------

def _claim_and_die(app, *, call: str) -> rows.Claimed:
    """Be a sender that claims a row with a short lease, calls LINE, and dies unrecorded."""
    database = app.extensions["coaching"].database
    (row,) = rows.claim(database, now=datetime.now(UTC), lease=0.3, limit=5)
    sender = app.extensions["line"].sender
    if call == "reply":
        assert sender.reply_once(row.messages, reply_token=row.reply_token).kind == "sent"
    else:
        assert sender.push_once(row.messages, chat_id=row.chat_id,
                                retry_key=row.retry_key).kind == "sent"
    time.sleep(0.4)  # its lease runs out
    return row


def test_a_reply_sent_by_a_sender_killed_before_recording_it_is_not_sent_again(
        quiet_app, fake_line):
    post_only(quiet_app.test_client(), text_event("เริ่ม"))
    _claim_and_die(quiet_app, call="reply")
    assert quiet_app.extensions["outbox"].drain(5)  # the next sender takes the row over
    # Its reply finds the token used: the earlier attempt landed, so it counts as sent.
    assert [(path, response.status_code) for path, response in (
        (r.path, resp) for r, resp in fake_line.server.log)] == [(REPLY_PATH, 200),
                                                                (REPLY_PATH, 400)]
    (row,) = outbox_rows(quiet_app)
    assert (row.delivery, row.attempts, row.messages) == ("replied", 2, None)


def test_a_push_sent_by_a_killed_sender_is_repeated_with_its_key_and_409_counts_as_sent(
        quiet_app, fake_line):
    client = quiet_app.test_client()
    for text in SETUP + ["ลดเวลารอจาก 3 ชั่วโมงเหลือ 20 นาที"]:
        post_events(client, text_event(text, user=ALICE, group=None))
    quiet_app.extensions["outbox"].drain(5)
    fake_line.server.clear_log()
    part = text_event("ผู้รับบริการ 1,250 ราย")
    post_events(client, part)
    fake_line.server.clear_log()
    post_only(client, dict(unsend_event(), unsend={"messageId": part["message"]["id"]}))
    row = _claim_and_die(quiet_app, call="push")
    assert quiet_app.extensions["outbox"].drain(5)
    pushes = [(resp.status_code, r.headers["X-Line-Retry-Key"])
              for r, resp in fake_line.server.log]
    assert pushes == [(200, row.retry_key), (409, row.retry_key)]
    assert outbox_rows(quiet_app)[-1].delivery == "pushed"


def test_a_restarted_app_delivers_what_the_stopped_one_left_unsent(database_url, fake_line):
    first = create_app(web_config(database_url, fake_line.url, OUTBOX_THREAD=0))
    fake_line.fail_for(60)
    events = [text_event("เริ่ม", user=user(f"o{n}")) for n in range(3)]
    for event in events:
        post_only(first.test_client(), event)
    first.extensions["outbox"].deliver_due()  # fails: LINE is down
    first.extensions["coaching"].database.dispose()  # the process stops
    fake_line.fail_for(0)
    again = create_app(web_config(database_url, fake_line.url))
    with again.test_client() as client:
        client.get("/healthz")  # any first request starts the sender
        assert drain(again, timeout=10)
    assert delivered_per_event(fake_line, events) == Counter(
        {e["webhookEventId"]: 1 for e in events})
    again.extensions["outbox"].stop()
    again.extensions["coaching"].database.dispose()


def test_a_reply_is_leased_to_its_own_process_at_commit_and_sent_without_a_claim(
        database_url, fake_line, monkeypatch):
    app = create_app(web_config(database_url, fake_line.url, OUTBOX_THREAD=1))
    outbox = app.extensions["outbox"]
    outbox.stop()  # no thread: the test makes the rounds
    event = text_event("เริ่ม")
    post_only(app.test_client(), event)
    (row,) = outbox_rows(app)
    assert (row.attempts, row.last_attempt, row.claimed_until is not None) == (1, "sending", True)
    claims: list[int] = []
    monkeypatch.setattr(rows, "claim", lambda *a, **k: claims.append(1) or [])
    outbox._polled = time.monotonic()  # the database was just asked: only the leased row goes
    assert outbox.deliver_due() == 1 and claims == []
    assert delivered_per_event(fake_line, [event]) == Counter({event["webhookEventId"]: 1})
    assert [(r.delivery, r.messages, r.claimed_until) for r in outbox_rows(app)] == [
        ("replied", None, None)]
    app.extensions["coaching"].database.dispose()


def test_a_reply_leased_to_a_process_that_died_before_sending_goes_out_after_its_lease(
        database_url, fake_line):
    dead = create_app(web_config(database_url, fake_line.url, OUTBOX_THREAD=1,
                                 OUTBOX_LEASE_SECONDS=12, LINE_TIMEOUT=1))
    dead.extensions["outbox"].stop()
    event = text_event("เริ่ม")
    post_only(dead.test_client(), event)  # leased at commit; the process dies before sending
    dead.extensions["coaching"].database.dispose()
    other = create_app(web_config(database_url, fake_line.url, OUTBOX_THREAD=0))
    assert other.extensions["outbox"].deliver_due() == 0  # the lease still holds
    with other.extensions["coaching"].database.session() as session:
        session.execute(update(ProcessedEvent).values(
            claimed_until=datetime.now(UTC) - timedelta(seconds=1)))  # ... until it ends
    assert drain(other, timeout=10)
    assert delivered_per_event(fake_line, [event]) == Counter({event["webhookEventId"]: 1})
    other.extensions["coaching"].database.dispose()


# What LINE says ---------------------------------------------------------------------------

def test_a_429_waits_at_least_its_retry_after(client, fake_line):
    fake_line.rate_limit_once(REPLY_PATH, 0.6)
    post_events(client, text_event("เริ่ม"))
    assert [(r.path, resp.status_code) for r, resp in fake_line.server.log] == [
        (REPLY_PATH, 429), (REPLY_PATH, 200)]
    first, second = fake_line.moments
    assert second - first >= 0.6


def test_a_push_that_timed_out_but_landed_is_sent_once(quiet_app, fake_line):
    client = quiet_app.test_client()
    fake_line.fail_once(REPLY_PATH, 400, "Invalid reply token")
    fake_line.stall_once(PUSH_PATH, 1.5)  # LINE_TIMEOUT is 1 s: the sender stops waiting
    post_only(client, text_event("เริ่ม"))
    assert quiet_app.extensions["outbox"].drain(10)
    fake_line.wait_for_calls(4)
    keys = {r.headers["X-Line-Retry-Key"] for r, _ in fake_line.server.log if r.path == PUSH_PATH}
    assert (len(keys), [p for p, _ in fake_line.delivered()]) == (1, [PUSH_PATH])


def test_messages_line_refuses_fail_once_and_are_not_kept(quiet_app, fake_line, caplog):
    fake_line.fail_once(REPLY_PATH, 400, "The request body has 1 error(s)")
    event = text_event("เริ่ม")
    post_only(quiet_app.test_client(), event)
    assert quiet_app.extensions["outbox"].drain(5)
    (row,) = outbox_rows(quiet_app)
    assert (row.delivery, row.messages, len(fake_line.calls())) == ("failed", None, 1)


def test_a_row_older_than_the_retry_key_s_life_is_given_up_and_cleared(quiet_app, fake_line):
    fake_line.fail_for(60)
    post_only(quiet_app.test_client(), text_event("เริ่ม"))
    with quiet_app.extensions["coaching"].database.session() as session:
        session.execute(update(ProcessedEvent).values(
            received_at=datetime.now(UTC) - timedelta(hours=25)))
    assert quiet_app.extensions["outbox"].drain(5)
    (row,) = outbox_rows(quiet_app)
    assert (row.delivery, row.messages, row.reply_token, fake_line.calls()) == (
        "given_up", None, None, [])


def test_deleting_my_data_leaves_no_text_in_unsent_rows(quiet_app, fake_line):
    client = quiet_app.test_client()
    fake_line.fail_for(60)
    post_only(client, text_event("เริ่ม"))
    post_only(client, text_event("ลบข้อมูลของฉัน"))
    post_only(client, text_event("ยืนยัน"))
    unsent = [row for row in outbox_rows(quiet_app) if row.messages is not None]
    assert len(unsent) <= 1  # at most the confirmation of the deletion itself
    assert all(row.delivery in (None, "erased") for row in outbox_rows(quiet_app))


# The policy, alone ------------------------------------------------------------------------

SETTINGS = Settings(retry_seconds=1, retry_max_seconds=60)


def test_backoff_doubles_up_to_its_cap_with_jitter():
    rng = random.Random(1)
    delays = [backoff(n, SETTINGS, rng) for n in range(1, 12)]
    ceilings = [min(60, 2 ** (n - 1)) for n in range(1, 12)]
    assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings, strict=True))


@pytest.mark.parametrize("in_doubt, expected", [(True, "replied"), (False, None)])
def test_a_used_token_counts_as_sent_only_after_an_attempt_that_may_have_landed(
        in_doubt, expected):
    verdict = judge("reply", Attempt("used_token", status=400), attempts=2, in_doubt=in_doubt,
                    settings=SETTINGS)
    assert (verdict.delivery, verdict.drop_token) == (expected, not in_doubt)


def test_an_unsure_failure_keeps_the_doubt_and_429_waits_its_retry_after():
    unsure = judge("reply", Attempt("retry", status=None, unsure=True), attempts=1,
                   in_doubt=False, settings=SETTINGS)
    later = judge("reply", Attempt("retry", status=None), attempts=2, in_doubt=True,
                  settings=SETTINGS)
    limited = judge("push", Attempt("retry", status=429, retry_after=30), attempts=1,
                    in_doubt=False, settings=SETTINGS)
    assert (unsure.last_attempt, later.last_attempt, limited.delay >= 30) == (
        "unknown", "unknown", True)


def test_the_call_follows_the_token_s_freshness_and_the_key_s_life():
    now = datetime.now(UTC)
    def call(age: float, token: str | None = "t") -> str:
        return next_call(received_at=now - timedelta(seconds=age), now=now, reply_token=token,
                         chat_id="U1", settings=SETTINGS)
    assert [call(1), call(49), call(51), call(1, None), call(25 * 3600)] == [
        "reply", "reply", "push", "push", "give_up"]
