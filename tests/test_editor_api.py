"""The editor's page and JSON calls through the real app, on SQLite and PostgreSQL.

Every link is the one the bot sent: "แก้บนเว็บ" goes through the webhook as a signed LINE
event and the URI is read from the card the fake LINE API received.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from editor_support import (
    STRONG,
    WEAK,
    call,
    card_commands,
    card_uris,
    editor_link,
    page_data,
    question,
    say,
    start,
)
from line_support import ALICE, BOB, GROUP

from bot.store import answer_versions, export_owner


def database(app):
    return app.extensions["coaching"].database


def test_the_page_opens_with_the_applications_questions_and_the_editor_headers(app, client,
                                                                                fake_line):
    start(client)
    path = editor_link(client, fake_line)
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "connect-src 'self';" in policy
    assert "line-scdn" not in policy and "'unsafe-inline'" not in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    data = page_data(client, path)
    assert data["application"]["title"] == "ระบบคิวออนไลน์"
    assert [q["number"] for q in data["questions"]] == list(range(1, 11))
    first = question(data, 1)
    assert first["text"].startswith("ลดเวลารอคิว") and first["revision"] == 1
    assert (data["needs_liff"], data["liff_id"]) == (False, None)
    assert first["budget"]["limit_chars"] == first["budget"]["max_chars"] * 3


def test_analysis_finds_spans_in_a_weak_answer_and_nothing_in_a_strong_one(app, client,
                                                                          fake_line):
    start(client)
    path = editor_link(client, fake_line)
    csrf = page_data(client, path)["csrf"]
    weak = call(client, path + "/analyze", {"question": 5, "text": WEAK}, csrf=csrf)
    assert weak.status_code == 200
    findings = weak.get_json()["findings"]
    spans = [span for finding in findings for span in finding["spans"]]
    assert spans and all(0 <= start < end <= len(WEAK) for start, end in spans)
    assert all(finding["message"] and finding["severity"] in ("high", "medium", "low")
               for finding in findings)
    assert "vague_quantifier" in {finding["code"] for finding in findings}
    strong = call(client, path + "/analyze", {"question": 5, "text": STRONG}, csrf=csrf)
    assert (strong.status_code, strong.get_json()["findings"]) == (200, [])
    assert strong.get_json()["chars"] == len(STRONG)


def test_spans_are_utf16_offsets_when_an_emoji_comes_first(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    csrf = page_data(client, path)["csrf"]
    plain = call(client, path + "/analyze", {"question": 5, "text": WEAK}, csrf=csrf).get_json()
    emoji = call(client, path + "/analyze", {"question": 5, "text": "📈" + WEAK},
                 csrf=csrf).get_json()
    shifted = [[s + 2, e + 2] for f in plain["findings"] for s, e in f["spans"]]
    # The emoji may be a finding of its own (chat style): every other span moved by two units.
    assert [span for f in emoji["findings"] for span in f["spans"] if span[0] >= 2] == shifted


def test_a_save_is_a_new_revision_and_the_export_keeps_the_old_one(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    first = question(data, 1)
    saved = call(client, path + "/answers/1", {"text": "ฉบับแก้บนเว็บ ลดเวลาเหลือ 15 นาที",
                                                 "base": first["base"], "session": "s" * 16},
                 csrf=data["csrf"])
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert (body["saved"], body["revision"]) == (True, 2) and body["base"] != first["base"]
    assert answer_versions(database(app), ALICE, 1) == [[first["text"],
                                                          "ฉบับแก้บนเว็บ ลดเวลาเหลือ 15 นาที"]]
    exported = export_owner(database(app), ALICE)["applications"][0]["answers"]
    assert exported["1"] == "ฉบับแก้บนเว็บ ลดเวลาเหลือ 15 นาที"
    assert question(page_data(client, path), 1)["base"] == body["base"]


def test_autosaves_of_one_session_update_one_revision(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    base = question(data, 1)["base"]
    for text in ("ร่าง", "ร่างที่สอง", "ร่างที่สาม ลดเวลาเหลือ 10 นาที"):
        response = call(client, path + "/answers/1",
                        {"text": text, "base": base, "session": "autosave-1"}, csrf=data["csrf"])
        assert response.status_code == 200
        base = response.get_json()["base"]
    versions = answer_versions(database(app), ALICE, 1)
    assert versions == [[question(data, 1)["text"], "ร่างที่สาม ลดเวลาเหลือ 10 นาที"]]


def test_a_change_in_the_chat_meanwhile_is_a_conflict_and_nothing_is_lost(app, client,
                                                                          fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    base = question(data, 1)["base"]
    say(client, "แก้ข้อ 1")
    say(client, "ฉบับจากแชต ลดเวลาเหลือ 5 นาที")
    mine = {"text": "ฉบับจากเว็บ ลดเวลาเหลือ 12 นาที", "base": base, "session": "page-one"}
    conflict = call(client, path + "/answers/1", mine, csrf=data["csrf"])
    assert conflict.status_code == 409
    theirs = conflict.get_json()["theirs"]
    assert theirs["text"] == "ฉบับจากแชต ลดเวลาเหลือ 5 นาที" and theirs["author"]
    assert conflict.get_json()["message"]
    # "Keep mine": saved again from their base, as a new revision; theirs stays stored.
    kept = call(client, path + "/answers/1", {**mine, "base": theirs["base"]}, csrf=data["csrf"])
    assert kept.status_code == 200
    versions = answer_versions(database(app), ALICE, 1)[0]
    assert versions[-2:] == ["ฉบับจากแชต ลดเวลาเหลือ 5 นาที", "ฉบับจากเว็บ ลดเวลาเหลือ 12 นาที"]
    assert versions[0] == question(data, 1)["text"]


def test_a_second_page_editing_the_same_answer_gets_the_conflict(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    one, two = page_data(client, path), page_data(client, path)
    base = question(one, 1)["base"]
    assert call(client, path + "/answers/1", {"text": "หน้าแรก", "base": base,
                                               "session": "page-one"},
                csrf=one["csrf"]).status_code == 200
    second = call(client, path + "/answers/1", {"text": "หน้าที่สอง", "base": base,
                                                 "session": "page-two"}, csrf=two["csrf"])
    assert second.status_code == 409
    assert second.get_json()["theirs"]["text"] == "หน้าแรก"


def test_csrf_and_origin_are_checked_on_every_post(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    body = {"question": 5, "text": WEAK}
    assert call(client, path + "/analyze", body, csrf=None).status_code == 403
    assert call(client, path + "/analyze", body, csrf="x.y").status_code == 403
    assert call(client, path + "/analyze", body, csrf=data["csrf"],
                origin="https://evil.example").status_code == 403
    assert call(client, path + "/analyze", body, csrf=data["csrf"], origin=None).status_code == 403
    assert call(client, path + "/analyze", body, csrf=data["csrf"], origin=None,
                headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200
    other = editor_link(client, fake_line)  # a token made for another link does not fit
    assert call(client, other + "/analyze", body, csrf=data["csrf"]).status_code == 403
    save = {"text": "x", "base": question(data, 1)["base"], "session": "session-1"}
    refused = call(client, path + "/answers/1", save, csrf="nope")
    assert refused.status_code == 403 and refused.get_json()["error"]
    assert answer_versions(database(app), ALICE, 1) == [[question(data, 1)["text"]]]


def test_over_the_limit_is_413_in_thai_and_bad_input_400(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    limit = question(data, 5)["budget"]["limit_chars"]
    long = "ก" * (limit + 1)
    analysed = call(client, path + "/analyze", {"question": 5, "text": long}, csrf=data["csrf"])
    assert analysed.status_code == 413 and "ตัวอักษร" in analysed.get_json()["error"]
    saved = call(client, path + "/answers/5", {"text": long, "base": question(data, 5)["base"],
                                                "session": "session-1"}, csrf=data["csrf"])
    assert saved.status_code == 413
    assert call(client, path + "/analyze", {"question": 99, "text": "x"},
                csrf=data["csrf"]).status_code == 400
    assert call(client, path + "/answers/5", {"text": "x"}, csrf=data["csrf"]).status_code == 400


def test_the_chat_acknowledges_a_web_save_and_progress_and_draft_reflect_it(app, client,
                                                                            fake_line):
    start(client, group=GROUP)
    say(client, "สวัสดี", user=BOB, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    data = page_data(client, path)
    saved = call(client, path + "/answers/5", {"text": STRONG, "base": question(data, 5)["base"],
                                                "session": "session-1"}, csrf=data["csrf"])
    assert saved.status_code == 200
    with database(app).session() as session:
        from sqlalchemy import select

        from bot.store.models import AnswerPart
        authors = set(session.scalars(select(AnswerPart.author_id)
                                      .where(AnswerPart.text == STRONG)))
    assert authors == {ALICE}  # the member who asked for the link
    say(client, "ความคืบหน้า", user=BOB, group=GROUP)
    texts = fake_line.texts()
    acknowledged = [t for t in texts if "บันทึกจากหน้าเว็บแล้ว" in t]
    assert len(acknowledged) == 1 and "ข้อ 5" in acknowledged[0]
    progress = fake_line.requests()[-1]["messages"]
    assert "บันทึกจากหน้าเว็บแล้ว" in (progress[0].get("text") or "")
    assert "(60 คะแนน): ตอบแล้ว 1/4" in progress[1]["altText"]  # dimension 3: questions 5–8
    say(client, "ความคืบหน้า", user=BOB, group=GROUP)  # said once, not again
    assert sum("บันทึกจากหน้าเว็บแล้ว" in t for t in fake_line.texts()) == 1


def test_the_draft_card_opens_the_editor_and_the_draft_shows_a_web_save(app, client, fake_line):
    start(client)
    say(client, "ดูร่าง")
    (command,) = card_commands(fake_line)  # the draft card's editor button sends the command
    path = editor_link(client, fake_line, word=command)
    data = page_data(client, path)
    assert call(client, path + "/answers/5", {"text": STRONG, "base": question(data, 5)["base"],
                                               "session": "session-1"},
                csrf=data["csrf"]).status_code == 200
    say(client, "ดูร่าง")
    (text_file,) = [urlsplit(uri).path for uri in card_uris(fake_line)
                    if urlsplit(uri).path.startswith("/d/")
                    and urlsplit(uri).path.endswith("/working/docx")]
    preview = client.get(text_file.rsplit("/", 2)[0])
    assert preview.status_code == 200
    assert STRONG[:40] in preview.get_data(as_text=True)


def test_a_save_that_would_make_the_application_too_long_is_413_and_writes_nothing(
        database_url, fake_line):
    from line_support import web_config

    from bot.web import create_app

    app = create_app(web_config(database_url, fake_line.url, LIMIT_APPLICATION_CHARS=300))
    client = app.test_client()
    start(client)  # question 1 holds the chat's answer
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    written = len(question(data, 1)["text"])
    too_long = "ก" * (301 - written)
    before = answer_versions(database(app), ALICE, 5)
    saved = call(client, path + "/answers/5", {"text": too_long, "base": question(data, 5)["base"],
                                                "session": "session-1"}, csrf=data["csrf"])
    assert saved.status_code == 413
    assert "301" in saved.get_json()["error"] and "300" in saved.get_json()["error"]
    assert answer_versions(database(app), ALICE, 5) == before  # nothing written
    fits = call(client, path + "/answers/5", {"text": too_long[1:],
                                               "base": question(data, 5)["base"],
                                               "session": "session-1"}, csrf=data["csrf"])
    assert fits.status_code == 200
    app.extensions["outbox"].stop()
    app.extensions["coaching"].database.dispose()
