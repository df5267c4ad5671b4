"""What the bot "sent to LINE", kept in memory until the page collects it.

A reply token is opened when the simulator posts an event and closed when the page collects
the messages; like LINE, a token takes one reply only. Pushes wait per chat, and so does a
reply that comes after its token was collected (the outbox's sender retried it): the page
polls for them. Like LINE, a push with a retry key accepted before is refused (409).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]
#: Pushes kept per chat before the oldest are dropped (nobody collected them).
MAX_WAITING_PUSHES = 100
#: Reply tokens and retry keys remembered (a late reply, a repeated push) before the oldest go.
MAX_TOKENS = 10_000


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
        self._chats: dict[str, str] = {}  # reply token -> chat id, open or collected
        self._open: set[str] = set()
        self._used: set[str] = set()
        self._replies: dict[str, list[Message]] = {}
        self._pushes: dict[str, list[Message]] = {}
        self._retry_keys: dict[str, None] = {}

    def open(self, token: str, chat_id: str) -> None:
        """Issue ``token`` for an event in ``chat_id``."""
        with self._lock:
            self._chats[token] = chat_id
            self._open.add(token)
            _bound(self._chats, self._used)

    def reply(self, token: str, messages: list[Message]) -> bool:
        """Keep a reply; False when the token was never issued or already used.

        A reply that comes after the page collected its token waits with the pushes.
        """
        with self._lock:
            if token not in self._chats or token in self._used:
                return False
            self._used.add(token)
            if token in self._open:
                self._replies[token] = messages
            else:
                self._add_push(self._chats[token], messages)
            return True

    def accept_key(self, retry_key: str | None) -> bool:
        """Tell whether a push with ``retry_key`` is new (False: accepted before, like 409)."""
        with self._lock:
            if retry_key is None:
                return True
            if retry_key in self._retry_keys:
                return False
            self._retry_keys[retry_key] = None
            _bound(self._retry_keys, set())
            return True

    def push(self, chat_id: str, messages: list[Message]) -> None:
        """Keep a push until the chat's next collection."""
        with self._lock:
            self._add_push(chat_id, messages)

    def _add_push(self, chat_id: str, messages: list[Message]) -> None:
        """Keep messages for the chat (the lock is held)."""
        waiting = self._pushes.setdefault(chat_id, [])
        waiting.extend(messages)
        del waiting[:-MAX_WAITING_PUSHES]

    def take_pushes(self, chat_id: str) -> list[Message]:
        """Return and forget what waits for the chat."""
        with self._lock:
            return self._pushes.pop(chat_id, [])

    def collect(self, token: str) -> Collected:
        """Close ``token`` and return its reply and the pushes waiting for its chat."""
        with self._lock:
            self._open.discard(token)
            chat_id = self._chats.get(token)
            replied = self._replies.pop(token, [])
            pushed = self._pushes.pop(chat_id, []) if chat_id is not None else []
        return Collected(replied=replied, pushed=pushed)


def _bound(kept: dict[str, Any], also: set[str]) -> None:
    """Forget the oldest entries beyond :data:`MAX_TOKENS` (a long-running simulator)."""
    while len(kept) > MAX_TOKENS:
        oldest = next(iter(kept))
        del kept[oldest]
        also.discard(oldest)
