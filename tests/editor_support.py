"""Helpers for the editor's tests: an application begun through the webhook, its editor link
read from the card LINE received, the page's embedded data, and the page's JSON calls."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from line_support import ALICE, FakeLine, post_events, text_event

ORIGIN = "https://coach.example.go.th"  # line_support.web_config's PUBLIC_BASE_URL
ANSWER = "ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที ผู้รับบริการ 1,250 ราย"
_DATA = re.compile(r'<script type="application/json" id="editor-data">(.*?)</script>', re.S)
_CASES = Path(__file__).resolve().parent / "data" / "analysis_cases.yaml"


def case_text(case_id: str) -> str:
    """Return the text of one case of the analysis table."""
    cases = yaml.safe_load(_CASES.read_text(encoding="utf-8"))["cases"]
    (text,) = [case["text"] for case in cases if case["id"] == case_id]
    return str(text)


#: An answer to question 5 (results) the analysis finds nothing missing in, and a weak one.
STRONG = case_text("ldd_soil_results_full")
WEAK = case_text("vague_results_no_numbers")


def say(client: Any, text: str, *, user: str | None = ALICE, group: str | None = None) -> None:
    """Send one text message through the webhook."""
    assert post_events(client, text_event(text, user=user, group=group)).status_code == 200


def start(client: Any, *, user: str = ALICE, group: str | None = None) -> None:
    """Begin an application (category 1.1) and answer its first question."""
    for text in ("เริ่ม", "1.1", "ระบบคิวออนไลน์", ANSWER):
        say(client, text, user=user, group=group)


def card_uris(fake_line: FakeLine) -> list[str]:
    """Return the URIs of the buttons of the last card LINE received."""
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    return [button["action"]["uri"] for button in card["contents"]["footer"]["contents"]
            if "uri" in button["action"]]


def card_commands(fake_line: FakeLine) -> list[str]:
    """Return what the message buttons of the last card LINE received send."""
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    return [button["action"]["text"] for button in card["contents"]["footer"]["contents"]
            if button["action"]["type"] == "message"]


def editor_link(client: Any, fake_line: FakeLine, *, user: str | None = ALICE,
                group: str | None = None, word: str = "แก้บนเว็บ") -> str:
    """Ask for the editor in the chat; return the path of the link the card carried."""
    say(client, word, user=user, group=group)
    (path,) = [urlsplit(uri).path for uri in card_uris(fake_line)
               if urlsplit(uri).path.startswith("/e/")]
    return path


def page_data(client: Any, path: str) -> dict[str, Any]:
    """Open the editor page and return the data it embeds."""
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    match = _DATA.search(response.get_data(as_text=True))
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def call(client: Any, path: str, body: Any, *, csrf: str | None, origin: str | None = ORIGIN,
         headers: dict[str, str] | None = None) -> Any:
    """POST JSON as the page does: its CSRF token and this site's Origin."""
    sent = dict(headers or {})
    if csrf is not None:
        sent["X-CSRF-Token"] = csrf
    if origin is not None:
        sent["Origin"] = origin
    return client.post(path, json=body, headers=sent)


def question(data: dict[str, Any], number: int) -> dict[str, Any]:
    """Return one question of the page's data."""
    (entry,) = [q for q in data["questions"] if q["number"] == number]
    return entry
