"""The retention policy applied where the bot runs: its wording, its notices, its schedule.

:mod:`bot.store.retention` deletes; this module gives it what it needs from outside the
database: the numbers in the wording the officers read (:func:`with_retention`), the
notice pushed through LINE before an idle application goes (:func:`line_notifier`), and a
schedule without a second scheduler to install (:class:`PeriodicPurge`: a daemon thread
in each process that serves requests, started on its first request, so that gunicorn's
``--preload`` master forks no thread; the purge's own lock lets one run at a time).
"""

from __future__ import annotations

import copy
import logging
import os
import random
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta, timezone
from typing import Any

from bot.coach.texts import Texts
from bot.store import Database
from bot.store.retention import IdleApplication, Notifier, RetentionPolicy, purge

log = logging.getLogger("bot.purge")

#: The messages that state the policy, and so carry its numbers.
POLICY_MESSAGES = ("greeting", "help")
#: Dates in notices are Bangkok dates in the Buddhist era.
BANGKOK = timezone(timedelta(hours=7))
BUDDHIST_ERA = 543
#: Hours between purges in each process; 0 turns the schedule off.
DEFAULT_INTERVAL_HOURS = 6.0


def days(value: float) -> str:
    """Write a number of days without a needless fraction."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def with_retention(texts: Texts, policy: RetentionPolicy) -> Texts:
    """Return a copy of ``texts`` whose policy messages state ``policy``'s periods."""
    numbers = {"ended_days": days(policy.ended_days), "idle_days": days(policy.idle_days),
               "notice_days": days(policy.notice_days)}
    filled = copy.copy(texts)
    filled.messages = dict(texts.messages)
    for key in POLICY_MESSAGES:
        filled.messages[key] = texts.messages[key].format(**numbers)
    return filled


def line_notifier(texts: Texts, *, access_token: str, host: str | None = None,
                  timeout: float = 5.0) -> Notifier:
    """Return a notifier that pushes the idle notice to a chat through LINE (counted push)."""
    from linebot.v3.messaging import TextMessage

    from bot.web.sender import LineSender

    sender = LineSender(access_token=access_token, host=host, timeout=timeout)

    def notify(chat_id: str, applications: Sequence[IdleApplication]) -> bool:
        """Tell the chat which applications go when; say whether LINE took the message."""
        notice = idle_notice(texts, applications)
        return sender.push([TextMessage(text=notice)], chat_id=chat_id,
                           event_id=None) == "pushed"

    return notify


def idle_notice(texts: Texts, applications: Sequence[IdleApplication]) -> str:
    """Write the notice that idle applications will be deleted, and how to keep them."""
    when = min(a.delete_on for a in applications).astimezone(BANGKOK)
    titles = ", ".join(f'"{a.title}"' for a in applications)
    return texts.get("idle_notice", titles=titles,
                     date=f"{when.day}/{when.month}/{when.year + BUDDHIST_ERA}")


def settings_notifier(texts: Texts, settings: Mapping[str, Any]) -> Notifier | None:
    """Return the LINE notifier when a channel access token is set, else None."""
    token = settings.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not token:
        return None
    return line_notifier(texts, access_token=str(token), host=settings.get("LINE_API_HOST"),
                         timeout=float(settings.get("LINE_TIMEOUT") or 5.0))


def interval_hours(settings: Mapping[str, Any]) -> float:
    """Return ``PURGE_INTERVAL_HOURS``: 6 by default, 0 (off) under test unless it is set."""
    raw = settings.get("PURGE_INTERVAL_HOURS")
    if raw in (None, ""):
        return 0.0 if settings.get("TESTING") else DEFAULT_INTERVAL_HOURS
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise ValueError(f"invalid setting PURGE_INTERVAL_HOURS={raw!r}: "
                         "expected a number of hours (0 turns it off)") from None
    if value < 0:
        raise ValueError(f"invalid setting PURGE_INTERVAL_HOURS={raw!r}: expected 0 or more")
    return value


class PeriodicPurge:
    """Run :func:`~bot.store.retention.purge` every few hours in a daemon thread per process."""

    def __init__(self, database: Database, policy: RetentionPolicy, *, hours: float,
                 notifier: Callable[[], Notifier | None] = lambda: None) -> None:
        self.database = database
        self.policy = policy
        self.hours = hours
        self.notifier = notifier
        self._pid: int | None = None
        self._lock = threading.Lock()
        self.stopped = threading.Event()

    def ensure_running(self) -> None:
        """Start this process's thread unless it runs already (cheap: call on every request)."""
        if self.hours <= 0 or self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            threading.Thread(target=self._run, name="purge", daemon=True).start()

    def _run(self) -> None:
        """Purge, then wait the interval, until stopped; a failed purge is logged and retried."""
        notify = self.notifier()
        period = self.hours * 3600
        # Processes started together spread out their first purge.
        wait = random.uniform(60, 60 + min(period, 600))
        while not self.stopped.wait(wait):
            self.run_once(notify)
            wait = period

    def run_once(self, notify: Notifier | None) -> None:
        """Purge once and log the counts (never ids)."""
        try:
            report = purge(self.database, self.policy, notify=notify)
        except Exception:  # keep the schedule alive; the next run tries again
            log.exception("purge failed")
            return
        log.info("purge: %s", "; ".join(report.lines()))


def init_app(app: Any, database: Database, policy: RetentionPolicy, *,
             hours: float) -> PeriodicPurge:
    """Purge by ``policy`` every ``hours``, from the first request of each process."""
    settings = app.config
    purger = PeriodicPurge(database, policy, hours=hours,
                           notifier=lambda: settings_notifier(_texts(), settings))
    app.extensions["purge"] = purger
    app.before_request(purger.ensure_running)
    return purger


def _texts() -> Texts:
    """Return the wording of the notices."""
    from bot.coach.texts import default_texts

    return default_texts()
