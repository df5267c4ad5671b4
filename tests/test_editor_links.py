"""Editor links: signed, short-lived, revocable like draft links, and never a draft link.

On SQLite and PostgreSQL, through the real app: the links are those the bot's cards carried.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from editor_support import call, card_uris, editor_link, page_data, say, start
from itsdangerous import TimestampSigner, base64_decode
from line_support import ALICE, BOB, GROUP, leave_event, post_events, ulid, unfollow_event
from sqlalchemy import update

from bot.store.models import DraftLink

GONE = "ลิงก์แก้คำตอบนี้ใช้ไม่ได้"


def database(app):
    return app.extensions["coaching"].database


def link_id(path: str) -> str:
    """Return the link id a token carries."""
    return json.loads(base64_decode(path.rsplit("/", 1)[1].split(".")[0]))


def member_left_event(*members: str, group: str = GROUP) -> dict:
    """Members left a group: LINE's memberLeft, with no reply token."""
    return {"type": "memberLeft", "mode": "active", "timestamp": int(time.time() * 1000),
            "source": {"type": "group", "groupId": group}, "webhookEventId": ulid(),
            "deliveryContext": {"isRedelivery": False},
            "left": {"members": [{"type": "user", "userId": m} for m in members]}}


def test_a_tampered_link_is_403_and_an_editor_link_says_nothing(app, client, fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    assert len(link_id(path)) == 22 and ALICE not in path and GROUP not in path
    token = path.rsplit("/", 1)[1]
    flipped = token[:30] + ("A" if token[30] != "A" else "B") + token[31:]
    response = client.get("/e/" + flipped)
    assert response.status_code == 403 and GONE in response.get_data(as_text=True)
    assert client.get("/e/not-a-token").status_code == 403
    with database(app).session() as session:
        row = session.get(DraftLink, link_id(path))
        assert (row.kind, row.owner_id, row.member_id) == ("editor", GROUP, ALICE)
        assert row.expires_at - row.created_at == timedelta(minutes=120)


def test_an_expired_link_is_410(app, client, fake_line, monkeypatch):
    start(client)
    path = editor_link(client, fake_line)
    with database(app).session() as session:
        session.execute(update(DraftLink).values(expires_at=datetime.now(UTC)
                                                 - timedelta(minutes=1)))
    response = client.get(path)
    assert response.status_code == 410 and "120 นาที" in response.get_data(as_text=True)
    # A token signed longer ago than the links open for is expired by its signature alone.
    links = app.extensions["editor"].links
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: real(self) - 121 * 60)
    old = links.token(link_id(editor_link(client, fake_line)))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert client.get("/e/" + old).status_code == 410


def test_a_draft_token_never_opens_the_editor_nor_an_editor_token_the_drafts(app, client,
                                                                           fake_line):
    start(client)
    say(client, "ดูร่าง")
    draft = [uri for uri in card_uris(fake_line) if "/d/" in uri][0]
    draft_token = draft.split("/d/", 1)[1].split("/")[0].split("?")[0]
    editor = editor_link(client, fake_line)
    assert client.get("/e/" + draft_token).status_code == 403  # another salt: not signed for it
    assert client.get("/d/" + editor.rsplit("/", 1)[1]).status_code == 403
    # Even signed with the editor's key and salt, a draft link's row does not open the editor.
    forged = app.extensions["editor"].links.token(link_id("/d/" + draft_token))
    assert client.get("/e/" + forged).status_code == 410
    assert client.get(editor).status_code == 200


def test_revoking_the_chats_links_closes_the_editor_too(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    say(client, "ยกเลิกลิงก์")
    assert client.get(path).status_code == 410
    refused = call(client, path + "/analyze", {"question": 1, "text": "x"}, csrf=data["csrf"])
    assert refused.status_code == 410 and refused.get_json()["error"]


def test_a_member_who_left_loses_their_editor_link_and_others_keep_theirs(app, client,
                                                                          fake_line):
    start(client, group=GROUP)
    alice = editor_link(client, fake_line, group=GROUP)
    bob = editor_link(client, fake_line, user=BOB, group=GROUP)
    assert post_events(client, member_left_event(ALICE)).status_code == 200
    assert client.get(alice).status_code == 410
    assert client.get(bob).status_code == 200


def test_the_bot_removed_or_blocked_closes_the_editor(app, client, fake_line):
    start(client, group=GROUP)
    group_link = editor_link(client, fake_line, group=GROUP)
    start(client)
    own_link = editor_link(client, fake_line)
    assert post_events(client, leave_event(group=GROUP)).status_code == 200
    assert client.get(group_link).status_code == 410
    assert client.get(own_link).status_code == 200
    assert post_events(client, unfollow_event(user=ALICE)).status_code == 200
    assert client.get(own_link).status_code == 410


def test_delete_my_data_closes_the_members_editor_links_everywhere(app, client, fake_line):
    start(client, group=GROUP)
    group_link = editor_link(client, fake_line, group=GROUP)
    bob_link = editor_link(client, fake_line, user=BOB, group=GROUP)
    say(client, "ลบข้อมูลของฉัน")
    say(client, "ยืนยัน")
    assert client.get(group_link).status_code == 410
    assert client.get(bob_link).status_code == 200


def test_without_an_application_the_command_says_so_in_thai(app, client, fake_line):
    say(client, "แก้บนเว็บ")
    assert "ยังไม่มีใบสมัคร" in fake_line.texts()[-1]
    say(client, "edit on web")
    assert "ยังไม่มีใบสมัคร" in fake_line.texts()[-1]
