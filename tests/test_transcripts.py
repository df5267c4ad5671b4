"""Replay the golden conversations in conversations/transcripts/ on every store.

Each one runs in memory, on SQLite and on PostgreSQL (``any_chat``): the memory store is
what the engine tests use, and the transcripts hold it to what the databases do.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml

TRANSCRIPTS = sorted((Path(__file__).resolve().parent.parent / "conversations" / "transcripts")
                     .glob("*.yaml"))


def check_reply(step: dict, said: str, choices: list[str], where: str) -> None:
    """Assert what must and must not appear in the bot's answer."""
    if step.get("silent"):
        assert said == "", f"{where}: expected no answer, got:\n{said}"
    for expected in step.get("expect", []):
        assert str(expected) in said, f"{where}: expected {expected!r} in:\n{said}"
    for unexpected in step.get("absent", []):
        assert str(unexpected) not in said, f"{where}: did not expect {unexpected!r} in:\n{said}"
    for label in step.get("choices", []):
        assert label in choices, f"{where}: expected choice {label!r} in {choices}"


def check_export(chat, step: dict, where: str) -> None:
    """Assert what is stored for an owner."""
    applications = chat.export(step["export"])["applications"]
    if "applications" in step:
        assert len(applications) == step["applications"], where
    if "titles" in step:
        assert [a["title"] for a in applications] == step["titles"], where
    current = applications[0] if applications else {"answers": {}}
    for number, text in (step.get("answers") or {}).items():
        assert current["answers"].get(str(number)) == text, where
    for number in step.get("empty", []):
        assert str(number) not in current["answers"], where
    for number, versions in (step.get("versions") or {}).items():
        stored = chat.versions(step["export"], int(number))
        assert stored[0] == versions, where


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: p.stem)
def test_transcript(any_chat, path: Path) -> None:
    chat = any_chat
    script = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert script["steps"], f"{path.name} has no steps"
    for index, step in enumerate(script["steps"], start=1):
        where = f"{path.name} step {index}"
        if step.get("restart"):
            chat.restart()
        elif "wait" in step:
            chat.clock.advance(**step["wait"])
        elif "export" in step:
            check_export(chat, step, where)
        else:
            said = chat.say(str(step["say"]), user=step.get("as", "U1"), group=step.get("in"),
                            kind=step.get("kind", "text"), message_id=step.get("message"),
                            at=(chat.clock.now - timedelta(seconds=step["earlier"])
                                if "earlier" in step else None))
            check_reply(step, said, chat.choices(), where)
