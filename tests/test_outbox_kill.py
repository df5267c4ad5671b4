"""A real ``python -m bot sender`` process, SIGKILLed in the middle of a reply: the reply it
sent is not sent again by the sender that takes the row over once the lease ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from line_support import ACCESS_TOKEN, REPLY_PATH, encode, payload, sign, text_event, web_config
from werkzeug import Request, Response

from bot.web import create_app

PROJECT = Path(__file__).resolve().parent.parent
LEASE = 11  # LINE_TIMEOUT 2 s: a call takes at most 3 x 2 s to connect and 2 s to read, +2


@pytest.mark.slow
def test_a_sender_process_killed_mid_reply_leaves_nothing_sent_twice(database_url, fake_line):
    arrived, release = threading.Event(), threading.Event()

    def slow_reply(request: Request) -> Response:
        arrived.set()
        release.wait(120)
        return fake_line._answer(request)  # it lands after its sender died: the token is used
    fake_line.server.expect_oneshot_request(REPLY_PATH, method="POST").respond_with_handler(
        slow_reply)
    config = web_config(database_url, fake_line.url, OUTBOX_THREAD=0, LINE_TIMEOUT=2,
                        OUTBOX_LEASE_SECONDS=LEASE)
    app = create_app(config)
    raw = encode(payload(text_event("เริ่ม")))
    assert app.test_client().post("/callback", data=raw, headers={
        "Content-Type": "application/json", "X-Line-Signature": sign(raw)}).status_code == 200

    env = dict(os.environ, LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN, LINE_API_HOST=fake_line.url,
               LINE_TIMEOUT="2", OUTBOX_LEASE_SECONDS=str(LEASE))
    sender = subprocess.Popen([sys.executable, "-m", "bot", "--database", database_url,
                               "sender"], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL,
                              stderr=open(os.environ.get("SENDER_LOG", os.devnull), "w"))
    try:
        assert arrived.wait(90)  # the reply is on its way (the process starts slowly under load)
        os.kill(sender.pid, signal.SIGKILL)
        sender.wait(10)
    finally:
        if sender.poll() is None:
            sender.kill()
    release.set()
    fake_line.wait_for_calls(1)

    outbox = app.extensions["outbox"]
    assert outbox.deliver_due() == 0  # leased to the dead sender
    time.sleep(LEASE)
    assert outbox.drain(10)
    statuses = [(r.path, response.status_code) for r, response in fake_line.server.log]
    assert statuses == [(REPLY_PATH, 200), (REPLY_PATH, 400)]  # the second finds it used
    assert [p for p, _ in fake_line.delivered()] == [REPLY_PATH]
    app.extensions["coaching"].database.dispose()
