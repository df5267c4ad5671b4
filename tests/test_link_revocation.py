"""Draft links that can be revoked and say nothing, through the real app on SQLite and PostgreSQL.

Every link is the one the bot really sent: "ดูร่าง" goes through the webhook as a signed LINE
event, and the URI is read from the card that reached the fake LINE API. Members leaving,
the bot removed or blocked, the revoke command and delete-my-data arrive the same way.
"""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from itsdangerous import base64_decode
from line_support import (
    ALICE,
    BOB,
    GROUP,
    FakeLine,
    leave_event,
    line_id,
    post_events,
    text_event,
    ulid,
    unfollow_event,
    web_config,
)
from sqlalchemy import func, select

from bot.store.links import purge_expired_links
from bot.store.models import DraftLink

REVOKED = "ลิงก์นี้ถูกยกเลิกแล้ว"
INVALID = "ลิงก์ไม่ถูกต้อง"
EXPIRED = "ลิงก์หมดอายุแล้ว"
ANSWER = "ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที ผู้รับบริการ 1,250 ราย"
OTHER_GROUP = line_id("C", "another group")


def database(app):
    return app.extensions["coaching"].database


def say(client, text: str, *, user: str | None = ALICE, group: str | None = None) -> None:
    assert post_events(client, text_event(text, user=user, group=group)).status_code == 200


def start(client, *, user: str = ALICE, group: str | None = None) -> None:
    """Begin an application (category 1.1) and answer its first question."""
    for text in ("เริ่ม", "1.1", "ระบบคิวออนไลน์", ANSWER):
        say(client, text, user=user, group=group)


def draft_link(client, fake_line: FakeLine, *, user: str | None = ALICE,
               group: str | None = None) -> str:
    """Say "ดูร่าง" and return the path of the preview link the card carried."""
    say(client, "ดูร่าง", user=user, group=group)
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    uris = [button["action"]["uri"] for button in card["contents"]["footer"]["contents"]
            if "uri" in button["action"]]  # the editor's button sends a command
    (preview,) = [urlsplit(uri).path for uri in uris if urlsplit(uri).path.count("/") == 2]
    return preview


def last_text(fake_line: FakeLine) -> str:
    return fake_line.texts()[-1]


def status(client, path: str) -> int:
    return client.get(path).status_code


def member_left_event(*members: str, group: str = GROUP) -> dict:
    """Members left a group (or were removed): LINE's memberLeft, with no reply token."""
    return {"type": "memberLeft", "mode": "active", "timestamp": 1764000000000,
            "source": {"type": "group", "groupId": group}, "webhookEventId": ulid(),
            "deliveryContext": {"isRedelivery": False},
            "left": {"members": [{"type": "user", "userId": m} for m in members]}}


def link_rows(app) -> int:
    with database(app).session() as session:
        return session.scalar(select(func.count()).select_from(DraftLink)) or 0


def test_a_link_opens_and_its_payload_names_no_line_id(app, client, fake_line):
    start(client, group=GROUP)
    path = draft_link(client, fake_line, group=GROUP)
    assert status(client, path) == 200
    token = path.rsplit("/", 1)[1]
    payload = base64_decode(token.split(".")[0])
    link_id = json.loads(payload)
    assert isinstance(link_id, str) and len(link_id) == 22
    for secret in (ALICE, GROUP, ALICE[1:], GROUP[1:]):
        assert secret.encode() not in payload and secret not in token
    with database(app).session() as session:
        row = session.get(DraftLink, link_id)
        assert (row.owner_id, row.member_id) == (GROUP, ALICE)


def test_a_members_links_stop_after_they_leave_and_the_others_keep_theirs(app, client, fake_line):
    start(client, group=GROUP)
    alice = draft_link(client, fake_line, group=GROUP)
    bob = draft_link(client, fake_line, user=BOB, group=GROUP)
    calls = len(fake_line.calls())
    assert post_events(client, member_left_event(ALICE)).status_code == 200
    assert len(fake_line.calls()) == calls  # nothing is said: memberLeft has no reply token
    response = client.get(alice)
    body = response.get_data(as_text=True)
    assert (response.status_code, REVOKED in body, '<html lang="th">' in body) == (410, True, True)
    for suffix in ("/txt", "/docx", "/pdf", "/working/docx"):
        assert status(client, alice + suffix) == 410
    assert status(client, bob) == 200
    assert link_rows(app) == 1  # nothing about the revoked link is kept


def test_a_member_leaving_another_group_changes_nothing_here(app, client, fake_line):
    start(client, group=GROUP)
    alice = draft_link(client, fake_line, group=GROUP)
    assert post_events(client, member_left_event(ALICE, group=OTHER_GROUP)).status_code == 200
    assert status(client, alice) == 200


def test_the_revoke_command_stops_the_chats_links_and_says_how_many(client, fake_line):
    start(client)
    first, second = draft_link(client, fake_line), draft_link(client, fake_line)
    say(client, "ยกเลิกลิงก์")
    said = last_text(fake_line)
    assert "2 ครั้ง" in said and "ดูร่าง" in said
    assert (status(client, first), status(client, second)) == (410, 410)
    say(client, "revoke links")
    assert "ไม่มีลิงก์ร่างที่ยังเปิดได้" in last_text(fake_line)
    fresh = draft_link(client, fake_line)
    assert status(client, fresh) == 200


def test_in_a_group_any_member_revokes_the_groups_links_and_no_others(client, fake_line):
    start(client, group=GROUP)
    group_links = [draft_link(client, fake_line, group=GROUP),
                   draft_link(client, fake_line, user=BOB, group=GROUP)]
    start(client)
    own = draft_link(client, fake_line)
    say(client, "ยกเลิกลิงก์", user=None, group=GROUP)  # a member on LINE for PC: no user id
    assert "2 ครั้ง" in last_text(fake_line)
    assert [status(client, path) for path in group_links] == [410, 410]
    assert status(client, own) == 200


def test_deleting_my_data_stops_my_links_everywhere_and_no_one_elses(app, client, fake_line):
    start(client)
    own = draft_link(client, fake_line)
    start(client, user=BOB, group=GROUP)
    in_group = draft_link(client, fake_line, group=GROUP)
    bobs = draft_link(client, fake_line, user=BOB, group=GROUP)
    say(client, "ลบข้อมูลของฉัน")
    say(client, "ยืนยัน")
    assert (status(client, own), status(client, in_group), status(client, bobs)) == (410, 410, 200)
    with database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(DraftLink)
                              .where(DraftLink.member_id == ALICE)) == 0


def test_the_bot_removed_from_a_group_stops_all_its_links(app, client, fake_line):
    start(client, group=GROUP)
    links = [draft_link(client, fake_line, group=GROUP),
             draft_link(client, fake_line, user=BOB, group=GROUP)]
    start(client)
    own = draft_link(client, fake_line)
    assert post_events(client, leave_event(group=GROUP)).status_code == 200
    assert [status(client, path) for path in links] == [410, 410]
    assert status(client, own) == 200


def test_blocking_the_bot_stops_the_chats_links(client, fake_line):
    start(client)
    own = draft_link(client, fake_line)
    start(client, user=BOB)
    bobs = draft_link(client, fake_line, user=BOB)
    assert post_events(client, unfollow_event(user=ALICE)).status_code == 200
    assert (status(client, own), status(client, bobs)) == (410, 200)


def test_a_token_of_the_old_kind_answers_410_and_a_forged_one_403(app, client, fake_line):
    start(client)
    path = draft_link(client, fake_line)
    links = app.extensions["drafts"].links
    old = links.serializer.dumps({"a": 1, "o": ALICE, "t": 1764000000.0})
    response = client.get(f"/d/{old}")
    assert (response.status_code, REVOKED in response.get_data(as_text=True)) == (410, True)
    assert status(client, f"/d/{old}/pdf") == 410
    other_key = links.serializer.dumps("x" * 22, salt="another-salt")
    response = client.get(f"/d/{other_key}")
    assert (response.status_code, INVALID in response.get_data(as_text=True)) == (403, True)
    # A character with all six bits in the signature, changed for sure ("xx" over the last two
    # was the same signature about once in a thousand runs: the last one's low bits are unused).
    forged = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert status(client, forged) == 403


def test_a_signed_id_that_was_never_given_is_revoked(app, client):
    links = app.extensions["drafts"].links
    assert status(client, f"/d/{links.token('A' * 22)}") == 410


@pytest.fixture
def short_lived(database_url, fake_line):
    from bot.web import create_app
    built = create_app(web_config(database_url, fake_line.url, LINK_MAX_AGE_DAYS="2"))
    yield built
    built.extensions["coaching"].database.dispose()


def test_the_lifetime_is_a_setting_told_on_the_card_and_the_page(short_lived, fake_line,
                                                                  monkeypatch):
    client = short_lived.test_client()
    start(client)
    path = draft_link(client, fake_line)
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    assert "ใช้ได้ 2 วัน" in json.dumps(card, ensure_ascii=False)
    assert status(client, path) == 200
    import itsdangerous.timed as timed
    later = timed.time.time() + 2 * 86400 + 60
    monkeypatch.setattr(timed.time, "time", lambda: later)
    body = client.get(path).get_data(as_text=True)
    assert EXPIRED in body and "ใช้ได้ 2 วัน" in body


def test_expired_links_rows_are_purged_and_live_ones_kept(app, client, fake_line):
    from datetime import UTC, datetime
    start(client)
    path = draft_link(client, fake_line)
    now = datetime.now(UTC)
    assert purge_expired_links(database(app), now=now) == 0
    assert purge_expired_links(database(app), now=now + timedelta(days=7, minutes=1)) == 1
    assert status(client, path) == 410


def test_every_revocation_looks_rows_up_through_an_index(sqlite_url):
    """Read SQLite's plan of each statement that issues, revokes or purges links: no scan."""
    from datetime import UTC, datetime

    from sqlalchemy import event

    from bot.store import Database, SqlStoreOpener
    from bot.store.links import delete_member_links

    db = Database(sqlite_url)
    db.upgrade()
    stores = SqlStoreOpener(db)
    now = datetime.now(UTC)
    with stores.open(GROUP, "group") as store:
        app_id = store.create_application(track="public_service", year=2564, category="1.1",
                                          title="t", created_by=ALICE, at=now).id
    statements: list[tuple[str, tuple]] = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "draft_links" in statement and not statement.startswith(("INSERT", "EXPLAIN")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    with stores.open(GROUP, "group") as store:
        store.issue_link(app_id, member_id=ALICE, at=now, expires_at=now + timedelta(days=7))
        store.revoke_links(at=now, members=[ALICE, BOB])
        store.revoke_links(at=now)
        delete_member_links(store.session, ALICE)
    purge_expired_links(db, now=now)
    event.remove(db.engine, "before_cursor_execute", keep)
    assert len(statements) == 7  # issue: 1; revoke: 2 + 2; member: 1; purge: 1
    with db.engine.connect() as connection:
        for statement, parameters in statements:
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, (statement, plan)
            assert "SCAN draft_links" not in plan, (statement, plan)
    db.dispose()


@pytest.mark.parametrize(("value", "days"), [(None, 7), ("3", 3), ("30.0", 30)])
def test_the_lifetime_setting_is_whole_days_seven_by_default(value, days):
    from bot.web.config import load_settings
    environ = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
               "PUBLIC_BASE_URL": "https://x", "SECRET_KEY": secrets.token_urlsafe(32)}
    overrides = {} if value is None else {"LINK_MAX_AGE_DAYS": value}
    assert load_settings(overrides, environ)["LINK_MAX_AGE_DAYS"] == days


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "a week"])
def test_a_lifetime_that_is_no_whole_number_of_days_is_refused_by_name(value):
    from bot.web.config import ConfigError, load_settings
    environ = {"LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
               "PUBLIC_BASE_URL": "https://x", "SECRET_KEY": secrets.token_urlsafe(32),
               "LINK_MAX_AGE_DAYS": value}
    with pytest.raises(ConfigError, match="LINK_MAX_AGE_DAYS"):
        load_settings({}, environ)
