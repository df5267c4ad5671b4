"""A simulator served on a loopback port in a thread, and a chat that gets draft links from it.

Draft links are issued the way an officer gets them (``ดูร่าง`` in the chat), so the tests
that open them do not depend on how a link is made.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from bot.simulator import create_simulator_app

ANSWER = "เราลดเวลารอคอยของประชาชนจาก 2 ชั่วโมงเหลือ 15 นาที ด้วยระบบจองคิวออนไลน์"
PROJECT_NAME = "ระบบจองคิวออนไลน์"


@contextmanager
def served_simulator(folder: Path) -> Iterator[Flask]:
    """Serve a simulator with its own database and instance folder until the block ends."""
    server = make_server("127.0.0.1", 0, lambda environ, start: [], threaded=True)
    app = create_simulator_app(server.port, database_url=f"sqlite:///{folder / 'sim.sqlite3'}",
                               instance_dir=folder / "instance")
    server.app = app
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["outbox"].stop()
        app.extensions["coaching"].database.dispose()


def new_user() -> str:
    """Return a new simulated user, as the page makes one."""
    return "sim-" + os.urandom(16).hex()


def say(client: FlaskClient, user: str, text: str) -> list[dict[str, Any]]:
    """Send one message as the page does; return the LINE messages the bot sent."""
    response = client.post("/sim/send", json={"user": user, "text": text})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["messages"]


def draft_paths(client: FlaskClient, user: str) -> list[str]:
    """Start an application, answer its first question, ask for the draft; return the links'
    paths, the preview (``/d/<token>``) first."""
    for text in ("เริ่ม", "1", "1.1", PROJECT_NAME, ANSWER):
        say(client, user, text)
    messages = say(client, user, "ดูร่าง")
    uris = [action["uri"] for message in messages if message["type"] == "flex"
            for action in _actions(message["contents"]) if action["type"] == "uri"]
    paths = sorted({urlsplit(uri).path for uri in uris}, key=lambda path: path.count("/"))
    assert paths and paths[0].startswith("/d/"), uris
    return paths


def _actions(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every button action in a Flex message's contents."""
    if isinstance(node, dict):
        if node.get("type") == "button":
            yield node["action"]
        for child in node.values():
            yield from _actions(child)
    elif isinstance(node, list):
        for child in node:
            yield from _actions(child)
