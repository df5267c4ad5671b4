"""The browser simulator: its events reach the real webhook and its fake LINE catches the replies.

/sim/send and /sim/follow post signed events to the app's own /callback over HTTP, so these
tests serve the app on a loopback port in a thread and call the simulator's routes through
Flask's test client.
"""

from __future__ import annotations

import json
import re
import socket
import stat
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from line_support import limit_violations
from linebot.v3 import WebhookParser
from linebot.v3.webhooks import (
    FollowEvent,
    ImageMessageContent,
    MessageEvent,
    PostbackEvent,
    StickerMessageContent,
    TextMessageContent,
)
from simulator_support import ANSWER, new_user, say, served_simulator

from bot.coach.texts import default_texts
from bot.simulator import events, main
from bot.simulator.app import SECRET_FILE, kept_secret_key
from bot.simulator.inbox import Inbox
from bot.web.richmenu import buttons


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Serve a simulator on a free loopback port, with its own database and instance folder."""
    with served_simulator(tmp_path_factory.mktemp("simulator")) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def user() -> str:
    """Return a new simulated user, as the page makes one."""
    return new_user()


def quick_reply_labels(messages: list[dict[str, Any]]) -> list[str]:
    """Return the labels of the chips under the last message."""
    return [item["action"]["label"] for item in messages[-1].get("quickReply", {}).get("items", [])]


def flex_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Return every button action in a Flex message."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "button":
                found.append(node["action"])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(message["contents"])
    return found


def start_application(client: FlaskClient, user: str) -> None:
    """Start an application for category 1.1 and answer its first question."""
    say(client, user, "เริ่ม")
    say(client, user, "1")
    say(client, user, "1.1")
    say(client, user, "ระบบจองคิวออนไลน์")
    say(client, user, ANSWER)


# Conversations through the real webhook


def test_follow_is_answered_with_the_greeting(client: FlaskClient, user: str) -> None:
    response = client.post("/sim/follow", json={"user": user})

    answer = response.get_json()
    assert (response.status_code, answer["delivery"], answer["webhookStatus"]) == (
        200, "reply", 200)
    assert [message["type"] for message in answer["messages"]] == ["text"]
    assert default_texts().bot_name in answer["messages"][0]["text"]
    quick_reply = answer["messages"][0]["quickReply"]["items"]
    assert "เริ่ม" in [item["action"]["text"] for item in quick_reply]


def test_start_is_answered_with_the_track_choices(client: FlaskClient, user: str) -> None:
    messages = say(client, user, "เริ่ม")

    assert messages[-1]["type"] == "text"
    assert quick_reply_labels(messages) == ["1 บริการภาครัฐ", "2 แบบมีส่วนร่วม", "ยกเลิก"]
    assert limit_violations(messages) == []


def test_conversation_continues_where_it_stopped(client: FlaskClient, user: str) -> None:
    say(client, user, "เริ่ม")
    say(client, user, "1")

    messages = say(client, user, "1.1")

    assert "ชื่ออะไร" in messages[-1]["text"]


def test_progress_is_a_flex_bubble_with_bars(client: FlaskClient, user: str) -> None:
    start_application(client, user)

    messages = say(client, user, "ความคืบหน้า")

    flex = [message for message in messages if message["type"] == "flex"]
    assert len(flex) == 1
    bars = re.findall(r'"width": "(\d+)%"', json.dumps(flex[0]["contents"]))
    assert bars  # the first dimension's bar is filled by the answer
    assert limit_violations(messages) == []


def test_draft_card_links_to_a_preview_showing_the_answer(client: FlaskClient, user: str,
                                                          app: Flask) -> None:
    start_application(client, user)

    messages = say(client, user, "ดูร่าง")

    card = next(message for message in messages if message["type"] == "flex")
    links = [action["uri"] for action in flex_buttons(card) if action["type"] == "uri"]
    (preview,) = [u for u in map(urlsplit, links) if u.path.count("/") == 2]  # /d/<token>
    assert f"{preview.scheme}://{preview.netloc}" == app.config["PUBLIC_BASE_URL"]
    page = client.get(f"{preview.path}?{preview.query}")
    assert page.status_code == 200
    assert ANSWER in page.get_data(as_text=True)


@pytest.mark.parametrize("message", ["sticker", "image"])
def test_a_sticker_or_photo_is_kept_out_and_answered_with_where_the_officer_is(
        client: FlaskClient, user: str, message: str) -> None:
    start_application(client, user)

    response = client.post("/sim/send", json={"user": user, "message": message})

    assert response.status_code == 200, response.get_json()
    said = "\n".join(m.get("text", "") for m in response.get_json()["messages"])
    assert "อ่านได้เฉพาะข้อความตัวอักษร" in said
    assert 'ตอนนี้อยู่ที่ใบสมัคร "ระบบจองคิวออนไลน์" (1.1) ข้อ 1' in said
    assert "ถัดไป" in quick_reply_labels(response.get_json()["messages"])
    # The answer had one part; the next message makes two: the sticker or photo was not one.
    assert "บันทึกข้อ 1 แล้ว (2 ข้อความ" in say(client, user, "ส่วนที่สอง")[0]["text"]


def test_webhook_failure_is_reported(client: FlaskClient, user: str, app: Flask,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_event: Any) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(app.extensions["coaching"], "process", fail)

    response = client.post("/sim/send", json={"user": user, "text": "เริ่ม"})

    answer = response.get_json()
    assert (response.status_code, answer["webhookStatus"], answer["messages"]) == (502, 500, [])
    assert "500" in answer["error"]


# Requests the simulator refuses


@pytest.mark.parametrize(("body", "content_type"), [
    ("เริ่ม", "text/plain"),
    ("{not json", "application/json"),
    ("[]", "application/json"),
    ('{"text": "เริ่ม"}', "application/json"),
    ('{"user": "alice", "text": "เริ่ม"}', "application/json"),
    ('{"user": "U' + "ab" * 16 + '", "text": "เริ่ม"}', "application/json"),
    ('{"user": "sim-' + "ab" * 16 + '"}', "application/json"),
    ('{"user": "sim-' + "ab" * 16 + '", "text": "   "}', "application/json"),
    ('{"user": "sim-' + "ab" * 16 + '", "text": "' + "ก" * 5001 + '"}', "application/json"),
    ('{"user": "sim-' + "ab" * 16 + '", "postback": {"data": "' + "x" * 301 + '"}}',
     "application/json"),
    ('{"user": "sim-' + "ab" * 16 + '", "message": "video"}', "application/json"),
], ids=["not-json", "broken-json", "not-an-object", "no-user", "bad-user", "line-user-id",
        "no-text", "blank-text", "text-too-long", "postback-too-long", "unknown-message"])
def test_bad_send_is_refused_with_400(client: FlaskClient, body: str, content_type: str) -> None:
    response = client.post("/sim/send", data=body.encode(), content_type=content_type)

    assert response.status_code == 400
    assert response.get_json()["error"]


def test_follow_without_a_user_is_refused_with_400(client: FlaskClient) -> None:
    assert client.post("/sim/follow", json={}).status_code == 400


@pytest.mark.parametrize("headers", [
    {"Host": "attacker.example:8000"},
    {"Host": "attacker.example", "X-Forwarded-Host": "127.0.0.1"},
], ids=["host", "forwarded-host"])
def test_other_host_names_are_refused(client: FlaskClient, user: str,
                                      headers: dict[str, str]) -> None:
    response = client.post("/sim/send", json={"user": user, "text": "เริ่ม"}, headers=headers)

    assert response.status_code == 403


def test_loopback_names_are_served(client: FlaskClient) -> None:
    assert [client.get("/", headers={"Host": host}).status_code
            for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000")] == [200, 200, 200]


# The page


def test_page_has_the_rich_menu_and_loads_nothing_from_elsewhere(client: FlaskClient) -> None:
    response = client.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'data-text="([^"]+)"', html) == [button.text for button in buttons()]
    assert re.findall(r'data-message="([^"]+)"', html) == ["sticker", "image"]
    assert re.findall(r'(?:src|href)="(?!/)', html) == []
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        assert client.get(asset).status_code == 200, asset


def test_page_names_the_bot_as_the_wording_file_does(client: FlaskClient, tmp_path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.coach.texts import CONVERSATIONS_DIR, load_texts
    from bot.simulator import routes

    name = default_texts().bot_name
    source = (CONVERSATIONS_DIR / "th.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "th.yaml"
    edited.write_text(source.replace(f"bot_name: {name}", "bot_name: โค้ชทดลอง"),
                      encoding="utf-8")
    monkeypatch.setattr(routes, "default_texts", lambda: load_texts(edited))

    html = client.get("/").get_data(as_text=True)

    assert ("<title>โค้ชทดลอง · " in html, "<h1>โค้ชทดลอง</h1>" in html,
            'data-bot-name="โค้ชทดลอง"' in html, name in html) == (True, True, True, False)


def test_page_script_never_writes_html() -> None:
    from pathlib import Path

    import bot.simulator
    script = (Path(bot.simulator.__file__).parent / "static" / "simulator.js").read_text()

    assert re.findall(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script) == []


# The fake LINE Messaging API


def _token(app: Flask) -> str:
    return app.extensions["simulator"].access_token


def test_fake_line_refuses_a_wrong_access_token(client: FlaskClient) -> None:
    response = client.post("/v2/bot/message/push", json={"to": "U1", "messages": [
        {"type": "text", "text": "hi"}]}, headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 401
    assert "Authentication failed" in response.get_json()["message"]


def test_fake_line_takes_one_reply_per_reply_token(client: FlaskClient, app: Flask) -> None:
    inbox = app.extensions["simulator"].inbox
    inbox.open("token-1", "U1")
    call = {"replyToken": "token-1", "messages": [{"type": "text", "text": "ครั้งแรก"}]}
    headers = {"Authorization": f"Bearer {_token(app)}"}

    first = client.post("/v2/bot/message/reply", json=call, headers=headers)
    second = client.post("/v2/bot/message/reply", json=call, headers=headers)

    assert first.status_code == 200
    assert [set(sent) for sent in first.get_json()["sentMessages"]] == [{"id", "quoteToken"}]
    assert (second.status_code, second.get_json()) == (400, {"message": "Invalid reply token"})
    assert inbox.collect("token-1").messages == [{"type": "text", "text": "ครั้งแรก"}]


def test_fake_line_refuses_six_messages(client: FlaskClient, app: Flask) -> None:
    response = client.post("/v2/bot/message/push", json={
        "to": "U1", "messages": [{"type": "text", "text": str(n)} for n in range(6)]},
        headers={"Authorization": f"Bearer {_token(app)}"})

    assert response.status_code == 400


def test_fake_line_answers_unknown_calls_with_404(client: FlaskClient) -> None:
    assert client.get("/v2/bot/profile/U1").status_code == 404


def test_inbox_returns_the_reply_then_the_pushes_of_its_chat() -> None:
    inbox = Inbox()
    inbox.open("t", "U1")
    inbox.push("U2", [{"type": "text", "text": "for U2"}])
    inbox.push("U1", [{"type": "text", "text": "pushed"}])
    assert inbox.reply("t", [{"type": "text", "text": "replied"}])

    collected = inbox.collect("t")

    assert [m["text"] for m in collected.messages] == ["replied", "pushed"]
    assert collected.delivery == "reply+push"
    assert not inbox.reply("t", [{"type": "text", "text": "late"}])
    assert inbox.collect("t").delivery == "none"


# Events, signatures and settings


def test_signature_matches_lines_known_vector() -> None:
    assert events.sign(b"bodybodybodybody", "channel_secret") == \
        "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="


def test_events_parse_as_the_sdks_own_types() -> None:
    secret = "0123456789abcdef0123456789abcdef"
    user = "sim-" + "cd" * 16
    body = events.encode(events.bot_user_id(secret), events.text_event(user, "เริ่ม", "r1"),
                         events.follow_event(user, "r2"), events.postback_event(user, "a=1", "r3"),
                         events.sticker_event(user, "r4"), events.image_event(user, "r5"))

    payload = WebhookParser(secret).parse(body.decode(), events.sign(body, secret), as_payload=True)

    assert [type(event) for event in payload.events] == [
        MessageEvent, FollowEvent, PostbackEvent, MessageEvent, MessageEvent]
    assert [type(payload.events[i].message) for i in (0, 3, 4)] == [
        TextMessageContent, StickerMessageContent, ImageMessageContent]
    assert [event.reply_token for event in payload.events] == ["r1", "r2", "r3", "r4", "r5"]
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{26}", event.webhook_event_id)
               for event in payload.events)
    assert len({event.webhook_event_id for event in payload.events}) == 5


def test_secret_key_is_kept_across_restarts(tmp_path) -> None:
    first, second = kept_secret_key(tmp_path), kept_secret_key(tmp_path)

    assert first == second and len(first) >= 40
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600


def test_a_kept_key_readable_by_others_is_made_private_again(tmp_path) -> None:
    key = kept_secret_key(tmp_path)
    (tmp_path / SECRET_FILE).chmod(0o644)

    assert kept_secret_key(tmp_path) == key
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600


def test_ids_the_simulator_makes_are_never_line_ids(app: Flask, user: str) -> None:
    line_id = re.compile(r"[UCR][0-9a-f]{32}")

    assert not line_id.fullmatch(user)
    assert not line_id.fullmatch(app.extensions["simulator"].destination)
    assert not line_id.fullmatch(events.bot_user_id("0123456789abcdef0123456789abcdef"))


def test_settings_point_line_and_links_at_the_simulator(app: Flask) -> None:
    base = app.config["PUBLIC_BASE_URL"]

    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
    assert app.config["LINE_API_HOST"] == base
    assert re.fullmatch(r"[0-9a-f]{32}", app.config["LINE_CHANNEL_SECRET"])


# The command


def test_serve_refuses_when_line_channel_secret_is_set(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LINE_CHANNEL_SECRET", "a-real-secret")

    status = main(["--port", "0"])

    error = capsys.readouterr().err
    assert status == 2
    assert "LINE_CHANNEL_SECRET" in error and "gunicorn" in error and "Procfile" in error


def test_serve_reports_a_port_in_use(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("LINE_CHANNEL_SECRET", raising=False)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        status = main(["--port", str(port)])

    assert status == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err
