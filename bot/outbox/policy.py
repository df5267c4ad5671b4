"""What to do with an outbox row: which call to make, and what its outcome means.

Pure functions over a claimed row and the outcome of one LINE call; no database, no network.

- **Reply while the token is fresh.** LINE asks for a reply within one minute of receipt; the
  sender replies while the row is younger than ``reply_window`` (50 s by default, leaving room
  for the call itself), else pushes with the row's fixed ``X-Line-Retry-Key``.
- **A push never goes twice.** Every push of a row carries the same retry key; LINE answers
  409 to a key it accepted before, which counts as sent.
- **A reply whose outcome is unknown** (a timeout, a dropped connection, a 5xx, or a sender
  killed between the call and recording it) is tried again as a reply while the token is
  fresh. A reply token works once, so LINE answering 400 "Invalid reply token" to a fresh
  token that one of our own earlier attempts may have used means that attempt landed: it
  counts as sent, and nothing is pushed (the officer would read it twice). The same answer
  with no earlier attempt in doubt means LINE refused the token itself: the row is pushed
  at once. Once the token is stale an attempt in doubt can only be followed by a push; if
  the reply had in fact landed the officer reads it twice: the one duplicate left, and only
  after a reply that neither answered nor failed for 50 s.
- **Backoff.** A failed call is retried after ``retry_base * 2**(attempts-1)`` seconds (at
  most ``retry_max``), each delay drawn between half and all of that (jitter, so that senders
  do not retry in step); a 429 waits at least its Retry-After.
- **Failed** (not retried): LINE refused the messages themselves (another 4xx).
- **Given up** ``give_up_hours`` after receipt (the retry key's life): logged by event id.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from bot.web.sender import Attempt

Call = Literal["reply", "push", "give_up", "unreachable"]
#: What the last attempt is known to have done (the row's ``last_attempt``). ``sending`` is
#: written when a sender claims the row and stays if the sender dies before recording.
MAY_HAVE_LANDED = frozenset({"sending", "unknown"})
SETTINGS = ("OUTBOX_THREAD", "OUTBOX_LEASE_SECONDS", "OUTBOX_GIVE_UP_HOURS",
            "OUTBOX_RETRY_SECONDS", "OUTBOX_RETRY_MAX_SECONDS", "OUTBOX_POLL_SECONDS",
            "OUTBOX_CALLS")


@dataclass(frozen=True)
class Settings:
    """How the sender delivers: its lease, its patience, its pace."""

    thread: bool = True  # a sender thread in each web process (else: python -m bot sender)
    lease_seconds: float = 60.0
    give_up_hours: float = 24.0
    retry_seconds: float = 1.0
    retry_max_seconds: float = 60.0
    poll_seconds: float = 1.0
    reply_window_seconds: float = 50.0
    batch: int = 20
    calls: int = 4  # LINE calls a process makes at once (to different chats)


@dataclass(frozen=True)
class Verdict:
    """What to record after one call: settled (``delivery``) or when to try again."""

    delivery: str | None = None  # replied, pushed, failed, given_up; None: not settled
    delay: float = 0.0  # seconds until the next attempt, when not settled
    last_attempt: str | None = None  # unknown or not_sent, when not settled
    drop_token: bool = False  # LINE refused the token: push from now on


def next_call(*, received_at: datetime, now: datetime, reply_token: str | None,
              chat_id: str | None, settings: Settings) -> Call:
    """Return the call to make for a row received at ``received_at``."""
    age = (now - received_at).total_seconds()
    if age >= settings.give_up_hours * 3600:
        return "give_up"
    if reply_token and age < settings.reply_window_seconds:
        return "reply"
    return "push" if chat_id else "unreachable"


def judge(call: Call, attempt: Attempt, *, attempts: int, in_doubt: bool, settings: Settings,
          rng: random.Random | None = None) -> Verdict:
    """Return what one call's outcome means for the row.

    ``attempts`` counts this one; ``in_doubt`` tells whether an earlier attempt may have
    landed (the row's ``last_attempt`` was sending or unknown when it was claimed).
    """
    if attempt.kind == "sent":
        return Verdict(delivery="replied" if call == "reply" else "pushed")
    if attempt.kind == "used_token":
        if in_doubt:  # our own earlier reply used it: see the module's docstring
            return Verdict(delivery="replied")
        return Verdict(drop_token=True, last_attempt="not_sent")
    if attempt.kind == "failed":
        return Verdict(delivery="failed")
    delay = max(backoff(attempts, settings, rng), attempt.retry_after or 0.0)
    doubt = attempt.unsure or in_doubt
    return Verdict(delay=delay, last_attempt="unknown" if doubt else "not_sent")


def backoff(attempts: int, settings: Settings, rng: random.Random | None = None) -> float:
    """Return the delay after ``attempts`` failed attempts: exponential, capped, with jitter."""
    ceiling = min(settings.retry_max_seconds,
                  settings.retry_seconds * 2 ** min(max(attempts - 1, 0), 30))
    return ceiling * (rng or random).uniform(0.5, 1.0)


def settings_from(config: Mapping[str, Any]) -> Settings:
    """Read the OUTBOX_* settings; raise ValueError naming a bad one."""
    values: dict[str, Any] = {}
    for name, field in (("OUTBOX_LEASE_SECONDS", "lease_seconds"),
                        ("OUTBOX_GIVE_UP_HOURS", "give_up_hours"),
                        ("OUTBOX_RETRY_SECONDS", "retry_seconds"),
                        ("OUTBOX_RETRY_MAX_SECONDS", "retry_max_seconds"),
                        ("OUTBOX_POLL_SECONDS", "poll_seconds")):
        raw = config.get(name)
        if raw in (None, ""):
            continue
        try:
            values[field] = float(raw)
        except (TypeError, ValueError):
            raise ValueError(f"invalid setting {name}={raw!r}: expected a number") from None
        if values[field] <= 0:
            raise ValueError(f"invalid setting {name}={raw!r}: expected a positive number")
    calls = config.get("OUTBOX_CALLS")
    if calls not in (None, ""):
        try:
            values["calls"] = int(str(calls))
        except ValueError:
            raise ValueError(f"invalid setting OUTBOX_CALLS={calls!r}: expected a whole number"
                             ) from None
        if not 1 <= values["calls"] <= 32:
            raise ValueError(f"invalid setting OUTBOX_CALLS={calls!r}: expected 1 to 32")
    thread = str(config.get("OUTBOX_THREAD", "1")).strip().lower()
    if thread not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ValueError(f"invalid setting OUTBOX_THREAD={thread!r}: expected 1 or 0")
    values["thread"] = thread in ("1", "true", "yes", "on")
    return Settings(**values)
