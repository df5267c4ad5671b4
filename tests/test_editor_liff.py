"""The editor as a LIFF app: the page's ID token verified with LINE (the fake LINE API on
loopback, through LINE_API_HOST) and its user checked against the chat, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from editor_support import ANSWER, STRONG, call, editor_link, page_data, question, start
from line_support import ALICE, BOB, GROUP, user, web_config
from sqlalchemy import select

from bot.store.models import AnswerPart
from bot.web import create_app

CHANNEL = "1657000000"
LIFF_ID = f"{CHANNEL}-AbCdEfGh"
CAROL = user("carol")  # in no group of the bot's


@pytest.fixture
def app(database_url, fake_line) -> Iterator:
    """The web app with LIFF_ID set; LINE verifies three members' tokens, two in the group."""
    fake_line.liff(CHANNEL, {"token-alice": ALICE, "token-bob": BOB, "token-carol": CAROL},
                   members={GROUP: {ALICE, BOB}})
    built = create_app(web_config(database_url, fake_line.url, LIFF_ID=LIFF_ID))
    yield built
    built.extensions["outbox"].stop()
    built.extensions["coaching"].database.dispose()


def sign_in(client, path: str, csrf: str, token: str, **options):
    return call(client, path + "/liff", {"id_token": token}, csrf=csrf, **options)


def verify_calls(fake_line) -> list[dict]:
    return [dict(request.form) for request, _ in fake_line.server.log
            if request.path == "/oauth2/v2.1/verify"]


def test_the_page_asks_for_liff_and_nothing_works_before(app, client, fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    data = page_data(client, path)
    # No answer in the page before LINE vouched for its user: they come with the sign-in.
    assert (data["liff_id"], data["needs_liff"], data["questions"]) == (LIFF_ID, True, [])
    policy = client.get(path).headers["Content-Security-Policy"]
    assert "script-src 'self' https://static.line-scdn.net;" in policy
    refused = call(client, path + "/analyze", {"question": 5, "text": "x"}, csrf=data["csrf"])
    assert refused.status_code == 403 and refused.get_json()["error"]


def test_a_group_members_token_binds_the_page_and_edits_carry_that_member(app, client,
                                                                          fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)  # Alice asked for it
    data = page_data(client, path)
    response = sign_in(client, path, data["csrf"], "token-bob")
    assert response.status_code == 200, response.get_json()
    questions = {"questions": response.get_json()["questions"]}  # the answers come now
    assert question(questions, 1)["text"] == ANSWER
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/e/" in cookie
    assert "Secure" not in cookie  # plain HTTP on loopback only
    assert verify_calls(fake_line) == [{"id_token": "token-bob", "client_id": CHANNEL}]
    assert page_data(client, path)["needs_liff"] is False
    saved = call(client, path + "/answers/5", {"text": STRONG,
                                                "base": question(questions, 5)["base"],
                                                "session": "session-1"}, csrf=data["csrf"])
    assert saved.status_code == 200
    with app.extensions["coaching"].database.session() as session:
        authors = set(session.scalars(select(AnswerPart.author_id)
                                      .where(AnswerPart.text == STRONG)))
    assert authors == {BOB}


def test_a_token_for_someone_outside_the_group_is_refused(app, client, fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    data = page_data(client, path)
    response = sign_in(client, path, data["csrf"], "token-carol")
    assert response.status_code == 403 and response.get_json()["error"]
    assert "Set-Cookie" not in response.headers
    assert call(client, path + "/analyze", {"question": 5, "text": "x"},
                csrf=data["csrf"]).status_code == 403


def test_a_bad_token_is_refused(app, client, fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    data = page_data(client, path)
    for token in ("forged-token", ""):
        response = sign_in(client, path, data["csrf"], token)
        assert response.status_code == 403 and "Set-Cookie" not in response.headers
    assert sign_in(client, path, "wrong.csrf", "token-alice").status_code == 403


def test_in_a_one_to_one_chat_only_its_user_signs_in(app, client, fake_line):
    start(client)
    path = editor_link(client, fake_line)
    data = page_data(client, path)
    assert sign_in(client, path, data["csrf"], "token-bob").status_code == 403
    assert sign_in(client, path, data["csrf"], "token-alice").status_code == 200


def test_the_session_is_bound_to_its_link(app, client, fake_line):
    start(client, group=GROUP)
    first = editor_link(client, fake_line, group=GROUP)
    second = editor_link(client, fake_line, group=GROUP)
    csrf = page_data(client, first)["csrf"]
    assert sign_in(client, first, csrf, "token-alice").status_code == 200
    assert page_data(client, second)["needs_liff"] is True


def test_over_https_the_cookie_is_secure(app, client, fake_line):
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    data = page_data(client, path)
    response = sign_in(client, path, data["csrf"], "token-alice",
                       headers={"X-Forwarded-Proto": "https",
                                "X-Forwarded-Host": "coach.example.go.th"})
    assert response.status_code == 200 and "Secure" in response.headers["Set-Cookie"]


def test_a_bad_liff_id_stops_start_up(database_url, fake_line):
    from bot.web import ConfigError
    with pytest.raises(ConfigError, match="LIFF_ID"):
        create_app(web_config(database_url, fake_line.url, LIFF_ID="not-a-liff-id"))
