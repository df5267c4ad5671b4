"""What the bot "sent to LINE", kept in memory until the page collects it.

A reply token is opened when the simulator posts an event and closed when the page collects
the messages; like LINE, a token takes one reply only. Pushes wait per chat.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]
#: Pushes kept per chat before the oldest are dropped (nobody collected them).
MAX_WAITING_PUSHES = 100


@dataclass
class Collected:
    """The messages one simulated event produced: its reply, then pushes to its chat."""

    replied: list[Message] = field(default_factory=list)
    pushed: list[Message] = field(default_factory=list)

    @property
    def messages(self) -> list[Message]:
        """Return every message, in the order the chat shows them."""
        return self.replied + self.pushed

    @property
    def delivery(self) -> str:
        """Say how the messages came: "reply", "push", "reply+push" or "none"."""
        kinds = [name for name, sent in (("reply", self.replied), ("push", self.pushed)) if sent]
        return "+".join(kinds) or "none"


class Inbox:
    """Reply tokens in flight, the replies sent with them, and pushes waiting per chat."""

    def __init__(self) -> None:
        """Start with no tokens open and nothing sent."""
        self._lock = threading.Lock()
        self._open: dict[str, str] = {}  # reply token -> chat id
        self._replies: dict[str, list[Message]] = {}
        self._pushes: dict[str, list[Message]] = {}

    def open(self, token: str, chat_id: str) -> None:
        """Issue ``token`` for an event in ``chat_id``."""
        with self._lock:
            self._open[token] = chat_id

    def reply(self, token: str, messages: list[Message]) -> bool:
        """Keep a reply; False when the token was never issued, already used or collected."""
        with self._lock:
            if token not in self._open or token in self._replies:
                return False
            self._replies[token] = messages
            return True

    def push(self, chat_id: str, messages: list[Message]) -> None:
        """Keep a push until the chat's next collection."""
        with self._lock:
            waiting = self._pushes.setdefault(chat_id, [])
            waiting.extend(messages)
            del waiting[:-MAX_WAITING_PUSHES]

    def collect(self, token: str) -> Collected:
        """Close ``token`` and return its reply and the pushes waiting for its chat."""
        with self._lock:
            chat_id = self._open.pop(token, None)
            replied = self._replies.pop(token, [])
            pushed = self._pushes.pop(chat_id, []) if chat_id is not None else []
        return Collected(replied=replied, pushed=pushed)
