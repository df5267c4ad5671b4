"""Who can open what, through the real app: draft links, groups, deleted data, the body limit.

Every link here is the one the bot really sent: "ดูร่าง" goes through the webhook, and the
URIs are read from the card that reached the fake LINE API.
"""

from __future__ import annotations

import json
import zlib
from urllib.parse import urlsplit

import pytest
from itsdangerous import base64_decode, base64_encode
from line_support import ALICE, BOB, GROUP, FakeLine, encode, payload, post_events, sign, text_event
from sqlalchemy import func, select

from bot.coach.texts import default_texts
from bot.store import answer_versions, export_owner
from bot.store.models import AnswerPart, Application, Base, Owner

TITLES = {ALICE: "ระบบคิวออนไลน์ของอลิซ", BOB: "ระบบนัดหมายของบ๊อบ", GROUP: "ศูนย์บริการร่วมของกลุ่ม"}
ANSWERS = {ALICE: "อลิซ: ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที",
           BOB: "บ๊อบ: ผู้รับบริการพึงพอใจร้อยละ 92",
           GROUP: "กลุ่ม: ประชาชน 1,250 รายใช้บริการในปี 2564"}
REVOKED = "ลิงก์นี้ถูกยกเลิกแล้ว"
EXPIRED = "ลิงก์หมดอายุแล้ว"
INVALID = "ลิงก์ไม่ถูกต้อง"


def database(app):
    return app.extensions["coaching"].database


def say(client, text: str, *, user: str = ALICE, group: str | None = None) -> None:
    assert post_events(client, text_event(text, user=user, group=group)).status_code == 200


def start(client, title: str, answer: str, *, user: str = ALICE, group: str | None = None) -> None:
    """Begin an application (category 1.1) and answer its first question."""
    for text in ("เริ่ม", "1.1", title, answer):
        say(client, text, user=user, group=group)


def draft_link(client, fake_line: FakeLine, *, user: str = ALICE, group: str | None = None) -> str:
    """Say "ดูร่าง" and return the path of the preview link the card carried."""
    say(client, "ดูร่าง", user=user, group=group)
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    uris = [button["action"]["uri"] for button in card["contents"]["footer"]["contents"]
            if "uri" in button["action"]]  # the editor's button sends a command
    paths = [urlsplit(uri).path for uri in uris]
    assert len({path.split("/")[2] for path in paths}) == 1  # one token for every button
    (preview,) = [path for path in paths if path.count("/") == 2]  # /d/<token>
    return preview


def page(client, path: str) -> tuple[int, str]:
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def text_file(client, path: str) -> str:
    response = client.get(path + "/txt")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def claims_of_unsigned(path: str) -> object:
    """Read a token's payload (its link id) without checking its signature."""
    token = path.rsplit("/", 1)[1]
    raw = base64_decode(token.lstrip(".").split(".")[0])
    return json.loads(zlib.decompress(raw) if token.startswith(".") else raw)


def edited(path: str, data: object) -> str:
    """Return the link with its token's payload replaced and its signature left as it was,
    encoded as itsdangerous encodes (so that no change gives back the very same link)."""
    prefix, token = path.rsplit("/", 1)
    _, timestamp, signature = token.lstrip(".").split(".")
    plain = json.dumps(data, separators=(",", ":")).encode()
    compressed = zlib.compress(plain)
    shorter = len(compressed) < len(plain) - 1
    changed = b"." + base64_encode(compressed) if shorter else base64_encode(plain)
    return f"{prefix}/{changed.decode()}.{timestamp}.{signature}"


def claims_of(app, path: str):
    """Return the row of the link a path opens: its application and chat."""
    from bot.store.links import find_link
    return find_link(database(app), app.extensions["drafts"].links.read(path.rsplit("/", 1)[1]))


def row_counts(app) -> dict[str, int]:
    with database(app).engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table))
                for table in Base.metadata.sorted_tables}


# Each link opens its own application only ----------------------------------------------------

def test_each_link_opens_its_own_application_and_no_other(client, fake_line):
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    alice_first = draft_link(client, fake_line)
    start(client, "ระบบที่สองของอลิซ", "อลิซ: ใบที่สอง ลดกระดาษลง 4,000 แผ่นต่อปี")
    alice_second = draft_link(client, fake_line)
    start(client, TITLES[BOB], ANSWERS[BOB], user=BOB)
    bob = draft_link(client, fake_line, user=BOB)

    assert len({alice_first, alice_second, bob}) == 3
    files = {name: text_file(client, path) for name, path in
             (("alice_first", alice_first), ("alice_second", alice_second), ("bob", bob))}
    assert [ANSWERS[ALICE] in t for t in files.values()] == [True, False, False]
    assert ["ใบที่สอง" in t for t in files.values()] == [False, True, False]
    assert [ANSWERS[BOB] in t for t in files.values()] == [False, False, True]
    status, preview = page(client, bob)
    assert (status, TITLES[BOB] in preview, TITLES[ALICE] in preview) == (200, True, False)


@pytest.mark.parametrize("forge", ["bob's link", "bob's application", "bob's chat", "no id"])
def test_a_token_edited_to_point_at_another_application_is_refused(app, client, fake_line, forge):
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    alice = draft_link(client, fake_line)
    start(client, TITLES[BOB], ANSWERS[BOB], user=BOB)
    bob = draft_link(client, fake_line, user=BOB)
    bob_link = claims_of_unsigned(bob)
    bob_id = claims_of(app, bob).application_id
    assert (edited(alice, claims_of_unsigned(alice)), page(client, alice)[0]) == (alice, 200)
    payload = {"bob's link": bob_link, "bob's application": {"a": bob_id, "o": ALICE, "t": 0},
               "bob's chat": {"a": bob_id, "o": BOB, "t": 0}, "no id": ""}[forge]
    forged = edited(alice, payload)  # the editing is exact: the same payload gives the same link
    assert claims_of_unsigned(forged) != claims_of_unsigned(alice)
    for path in (forged, forged + "/txt", forged + "/docx", forged + "/pdf"):
        status, body = page(client, path)
        assert (status, INVALID in body, ANSWERS[BOB] in body) == (403, True, False), path


# A group's application: only through links issued in the group ---------------------------------

def test_a_groups_application_opens_only_through_links_issued_in_the_group(app, client, fake_line):
    start(client, TITLES[GROUP], ANSWERS[GROUP], user=BOB, group=GROUP)
    say(client, "อลิซเสริม: ลดค่าเดินทาง 600 บาทต่อราย", group=GROUP)
    in_group = draft_link(client, fake_line, group=GROUP)
    status, preview = page(client, in_group)
    assert (status, TITLES[GROUP] in preview) == (200, True)
    assert "อลิซเสริม" in text_file(client, in_group)

    # In her 1:1 chat Alice has no application: no card, no link at all.
    say(client, "ดูร่าง")
    assert [m["type"] for m in fake_line.requests()[-1]["messages"]] == ["text"]
    # Her own application's link opens hers, never the group's.
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    one_to_one = draft_link(client, fake_line)
    status, preview = page(client, one_to_one)
    assert (status, TITLES[ALICE] in preview, TITLES[GROUP] in preview) == (200, True, False)
    assert ANSWERS[GROUP] not in text_file(client, one_to_one)

    group_claims = claims_of(app, in_group)
    assert group_claims.owner_id == GROUP
    # Her 1:1 link edited to the group's link is refused ...
    status, body = page(client, edited(one_to_one, claims_of_unsigned(in_group)))
    assert (status, TITLES[GROUP] in body) == (403, False)
    # ... and even a correctly signed token naming the group's application and her chat (as
    # links did before they carried only a link id, or as if the key had leaked) does not
    # open it, nor does a signed link id that was never given.
    links = app.extensions["drafts"].links
    signed_for_alice = links.serializer.dumps({"a": group_claims.application_id, "o": ALICE,
                                               "t": group_claims.created_at.timestamp()})
    for token in (signed_for_alice, links.token("A" * 22)):
        status, body = page(client, f"/d/{token}")
        assert (status, REVOKED in body, TITLES[GROUP] in body) == (410, True, False)


# Deleting my data ------------------------------------------------------------------------------

def test_after_deleting_my_data_my_link_is_gone_and_my_answers_and_versions_too(
        app, client, fake_line):
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    for text in ("แก้ข้อ 1", "อลิซ: ฉบับแก้ไข ลดเหลือ 15 นาที", "ถัดไป"):  # a second version of answer 1
        say(client, text)
    alice = draft_link(client, fake_line)
    start(client, TITLES[GROUP], ANSWERS[GROUP], user=BOB, group=GROUP)
    say(client, "อลิซในกลุ่ม: เพิ่มจุดบริการ 3 แห่ง", group=GROUP)
    group = draft_link(client, fake_line, user=BOB, group=GROUP)
    start(client, TITLES[BOB], ANSWERS[BOB], user=BOB)
    bob = draft_link(client, fake_line, user=BOB)
    assert page(client, alice)[0] == 200
    assert answer_versions(database(app), ALICE, 1) == [
        [ANSWERS[ALICE], "อลิซ: ฉบับแก้ไข ลดเหลือ 15 นาที"]]

    say(client, "ลบข้อมูลของฉัน")
    say(client, "ยืนยัน")

    for path in (alice, alice + "/txt", alice + "/docx", alice + "/pdf"):
        status, body = page(client, path)
        assert (status, REVOKED in body, "<html lang=\"th\">" in body) == (410, True, True), path
    assert answer_versions(database(app), ALICE, 1) == []
    assert export_owner(database(app), ALICE) == {"applications": []}
    with database(app).session() as session:
        assert session.scalar(select(func.count()).select_from(AnswerPart)
                              .where(AnswerPart.author_id == ALICE)) == 0
        assert session.scalar(select(func.count()).select_from(Application)
                              .where(Application.owner_id == ALICE)) == 0
        assert session.get(Owner, ALICE) is None
    # The others keep theirs; the group's application keeps everyone's parts but hers.
    assert ANSWERS[BOB] in text_file(client, bob)
    group_text = text_file(client, group)
    assert (ANSWERS[GROUP] in group_text, "อลิซในกลุ่ม" in group_text) == (True, False)


def test_an_expired_link_is_gone_with_a_thai_page(client, fake_line, monkeypatch):
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    alice = draft_link(client, fake_line)
    import itsdangerous.timed as timed
    later = timed.time.time() + 7 * 86400 + 60
    monkeypatch.setattr(timed.time, "time", lambda: later)
    status, body = page(client, alice)
    assert (status, EXPIRED in body, TITLES[ALICE] in body) == (410, True, False)
    wording = default_texts()
    # The page names the bot, the link's lifetime and the command that asks for a new link
    # from the wording and the settings, not from words written into the template.
    assert f"· {wording.bot_name}</title>" in body
    assert "ใช้ได้ 7 วัน" in body
    assert f"<strong>{wording.word('draft')}</strong>" in body


# The webhook's body limit ------------------------------------------------------------------------

def test_a_callback_body_over_the_limit_is_refused_and_nothing_is_stored_or_sent(
        app, client, fake_line):
    start(client, TITLES[ALICE], ANSWERS[ALICE])
    calls, before = len(fake_line.calls()), row_counts(app)
    events = [text_event(text) for text in ("ลบข้อมูลของฉัน", "ยืนยัน")]
    events.append(text_event("ก" * 350_000, user=BOB))  # the default limit: 1 MB
    raw = encode(payload(*events))
    assert len(raw) > app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
    response = post_events(client, raw=raw, signature=sign(raw))
    assert (response.status_code, len(fake_line.calls()), row_counts(app)) == (413, calls, before)
    assert export_owner(database(app), ALICE)["applications"][0]["answers"] == {"1": ANSWERS[ALICE]}
