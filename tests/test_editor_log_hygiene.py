"""No log line of the editor carries a link token or id, what an officer wrote, or a LINE id.

Every path is driven for real (page, analysis, saves, a conflict, refusals, LIFF, a crash
inside a save) and every line captured is read.
"""

from __future__ import annotations

import json
import logging
import re

import pytest
from editor_support import WEAK, call, editor_link, page_data, question, say, start
from itsdangerous import base64_decode
from line_support import ALICE, BOB, GROUP, web_config

import bot.editor.routes
from bot.web import create_app

CHANNEL = "1657000000"
SECRET_TEXT = "ข้อความลับของเจ้าหน้าที่ 4821"
LINE_ID_RE = re.compile(r"[UCR][0-9a-f]{32}")


@pytest.fixture
def app(database_url, fake_line):
    fake_line.liff(CHANNEL, {"token-alice": ALICE, "token-bob-secret": BOB},
                   members={GROUP: {ALICE}})
    built = create_app(web_config(database_url, fake_line.url, LIFF_ID=f"{CHANNEL}-AbCdEfGh"))
    yield built
    built.extensions["outbox"].stop()
    built.extensions["coaching"].database.dispose()


def test_no_editor_path_logs_a_token_an_answer_or_an_id(app, client, fake_line, caplog,
                                                         monkeypatch):
    caplog.set_level(logging.DEBUG)
    start(client, group=GROUP)
    path = editor_link(client, fake_line, group=GROUP)
    token = path.rsplit("/", 1)[1]
    link_id = json.loads(base64_decode(token.split(".")[0]))
    data = page_data(client, path)
    assert call(client, path + "/liff", {"id_token": "token-bob-secret"},
                csrf=data["csrf"]).status_code == 403
    assert call(client, path + "/liff", {"id_token": "token-alice"},
                csrf=data["csrf"]).status_code == 200
    assert call(client, path + "/analyze", {"question": 5, "text": WEAK + SECRET_TEXT},
                csrf=data["csrf"]).status_code == 200
    base = question(page_data(client, path), 5)["base"]  # signed in: the page has answers
    body = {"text": SECRET_TEXT, "base": base, "session": "session-1"}
    assert call(client, path + "/answers/5", body, csrf=data["csrf"]).status_code == 200
    assert call(client, path + "/answers/5", {**body, "session": "session-2"},
                csrf=data["csrf"]).status_code == 409
    assert call(client, path + "/answers/5", body, csrf="bad.csrf").status_code == 403
    forged = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]  # changed for sure
    assert client.get("/e/" + forged).status_code == 403

    def crash(*args, **kwargs):
        raise RuntimeError(f"failed to store {SECRET_TEXT} for {ALICE}")
    monkeypatch.setattr(bot.editor.routes, "save_answer", crash)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # logged as in production
    assert call(client, path + "/answers/5", {**body, "session": "session-3"},
                csrf=data["csrf"]).status_code == 500
    say(client, "ยกเลิกลิงก์", group=GROUP)
    assert client.get(path).status_code == 410

    logged = caplog.text
    assert "editor answer saved" in logged and "Exception on /e/…/answers/5" in logged
    for secret in (token, link_id, SECRET_TEXT, "token-bob-secret", data["csrf"]):
        assert secret not in logged
    assert LINE_ID_RE.findall(logged) == []
