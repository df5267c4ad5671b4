"""When the LINE API fails: the answer is stored once, the bot goes on, the officer hears back.

tests/test_web_webhook.py already checks that an answer is kept when the reply fails with
500, 429 or 400 or times out, and what the outbox sends after it. Here, for each
fault, what comes after it: in the same batch another officer's event is still stored and
answered, LINE's redelivery of the failed event changes nothing, and the next event is served
normally. The last test: the officer whose reply failed hears back, exactly once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from line_support import (
    ALICE,
    BOB,
    PUSH_PATH,
    REPLY_PATH,
    FakeLine,
    post_events,
    text_event,
    web_config,
)
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select

from bot.store import export_owner
from bot.store.models import AnswerPart
from bot.web import create_app

SETUP = ["เริ่ม", "1.1", "ระบบคิวออนไลน์"]
TIMEOUT = 0.4
FAULTS = {
    "500": lambda line: line.fail_once(REPLY_PATH, 500, "Internal server error"),
    "429": lambda line: line.fail_once(
        REPLY_PATH, 429, "The API rate limit has been exceeded. Try again later."),
    "timeout": lambda line: line.stall_once(REPLY_PATH, TIMEOUT * 2.5),
    "refused token": lambda line: line.fail_once(REPLY_PATH, 400, "Invalid reply token"),
}


@pytest.fixture(scope="module")
def line_server() -> Iterator[HTTPServer]:
    # Threaded, so that a stalled reply does not hold up the calls made after it.
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake_line(line_server) -> Iterator[FakeLine]:
    line = FakeLine(line_server)
    line.accept_all()  # a fault ordered with fail_once or stall_once comes first, once
    yield line
    line_server.clear()


@pytest.fixture
def app(database_url, fake_line) -> Iterator:
    app = create_app(web_config(database_url, fake_line.url, LINE_TIMEOUT=TIMEOUT))
    yield app
    app.extensions["outbox"].stop()
    app.extensions["coaching"].database.dispose()


@pytest.fixture
def client(app, fake_line):
    client = app.test_client()
    for user in (ALICE, BOB):
        for text in SETUP:
            assert post_events(client, text_event(text, user=user)).status_code == 200
    fake_line.server.clear_log()
    return client


def answers(app, user: str) -> dict[str, str]:
    return export_owner(app.extensions["coaching"].database, user)["applications"][0]["answers"]


def parts(app) -> int:
    with app.extensions["coaching"].database.session() as session:
        return session.scalar(select(func.count()).select_from(AnswerPart))


def replied_tokens(fake_line: FakeLine) -> list[str]:
    return [body["replyToken"] for path, body, _ in fake_line.calls() if path == REPLY_PATH]


@pytest.mark.parametrize("fault", FAULTS)
def test_after_line_fails_the_answer_is_stored_once_and_the_bot_goes_on(
        app, client, fake_line, fault):
    FAULTS[fault](fake_line)
    failing = text_event("อลิซ: ลดเวลารอจาก 3 ชั่วโมงเหลือ 20 นาที", user=ALICE)
    same_batch = text_event("บ๊อบ: ผู้รับบริการ 1,250 ราย", user=BOB)
    assert post_events(client, failing, same_batch).status_code == 200
    fake_line.wait_for_calls(3)  # the failed reply (a stalled one logs late), the push, Bob's reply
    assert same_batch["replyToken"] in replied_tokens(fake_line)

    calls = len(fake_line.calls())
    redelivered = dict(failing, deliveryContext={"isRedelivery": True})
    assert post_events(client, redelivered).status_code == 200
    assert len(fake_line.calls()) == calls  # a redelivery sends nothing more

    following = text_event("อลิซ: ค่าเดินทางลดลง 600 บาทต่อราย", user=ALICE)
    assert post_events(client, following).status_code == 200
    assert replied_tokens(fake_line)[-1] == following["replyToken"]
    both = f"{failing['message']['text']}\n{following['message']['text']}"
    assert answers(app, ALICE) == {"1": both}
    assert answers(app, BOB) == {"1": same_batch["message"]["text"]}
    assert parts(app) == 3


@pytest.mark.parametrize("fault, delivered_by", [
    # While the token is fresh a failed reply is tried again as a reply (free); one that
    # timed out but landed finds its token used, which counts as sent. Only a token LINE
    # refuses outright is followed by a push.
    ("500", REPLY_PATH), ("429", REPLY_PATH), ("timeout", REPLY_PATH),
    ("refused token", PUSH_PATH)])
def test_the_officer_whose_reply_failed_hears_back_exactly_once(app, client, fake_line, fault,
                                                                 delivered_by):
    FAULTS[fault](fake_line)
    assert post_events(client, text_event("อลิซ: ลดเวลารอจาก 3 ชั่วโมงเหลือ 20 นาที")).status_code == 200
    fake_line.wait_for_calls(2)  # a stalled reply logs late, after the call that followed it
    first = fake_line.calls()[0][1]
    ((path, body),) = fake_line.delivered()
    assert (path, body["messages"]) == (delivered_by, first["messages"])
    assert body.get("to", ALICE) == ALICE
