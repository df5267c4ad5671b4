"""The sender: claim due outbox rows, call LINE outside any transaction, record the outcome.

One :class:`Outbox` per app (``app.extensions["outbox"]``) or per ``python -m bot sender``
process. In a web process it runs a daemon thread, started lazily in each process (after a
gunicorn fork too: the pid is checked, as :class:`~bot.web.sender.LineSender` does for its
client), woken by :meth:`Outbox.wake` after the webhook's transactions commit and polling
every ``poll_seconds`` for rows that fell due (a retry, a row a killed sender left). Any
number of senders, threads or processes, on one database or many machines, can run at
once: a row is leased to one of them at a time (:mod:`bot.outbox.rows`), and a sender never
starts a call its lease could not cover. The policy is :mod:`bot.outbox.policy`'s.

A round's calls to different chats are made at once, ``OUTBOX_CALLS`` at a time (a small pool
of threads per process): in a busy web worker each call waits for the interpreter lock after
every network wait, and one call after another fell behind the webhook (replies 0.4-2 s late
at 250 answers a second on PostgreSQL, ``bench/webhook.py``). One chat's rows go in one
thread, in order, so a chat reads its replies in the order of its messages.

Only event ids, calls and outcomes are logged, never messages or chat ids.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from bot.store import Database, StoreError
from bot.web.sender import Attempt, LineSender

from . import rows
from .policy import Settings, judge, next_call

log = logging.getLogger("bot.outbox")

#: Longest wait after a database error before trying again.
MAX_ERROR_WAIT = 30.0


class Outbox:
    """Deliver the outbox's rows through LINE, in a thread per process or in the caller."""

    def __init__(self, database: Database, sender: LineSender, settings: Settings) -> None:
        """Deliver ``database``'s outbox through ``sender``; nothing starts until asked.

        Raise ValueError when the lease could not cover one call (LINE_TIMEOUT too long).
        """
        if settings.lease_seconds < sender.longest_call + 2:
            raise ValueError(f"invalid setting OUTBOX_LEASE_SECONDS={settings.lease_seconds:g}: "
                             f"a LINE call may take {sender.longest_call:g} s (LINE_TIMEOUT); "
                             "the lease must be longer by 2 s at least")
        self.database = database
        self.sender = sender
        self.settings = settings
        self._wakeup = threading.Event()
        self._stopped = threading.Event()
        self._round = threading.Lock()  # one round at a time per process: rows go out in order
        self._start = threading.Lock()
        self._pid: int | None = None
        self._queued: deque[rows.Claimed] = deque()  # leased to this process at commit
        self._unleased = False  # rows were committed without a lease: look in the database
        self._told = threading.Lock()  # _unleased is read and cleared at once
        self._backlog = False  # the last look found a full batch: look again at once
        self._polled = 0.0  # when the database was last asked for due rows (monotonic)
        self._calls: ThreadPoolExecutor | None = None  # this process's, made on first use
        self._calls_pid: int | None = None

    def local_lease(self) -> float | None:
        """Return the lease for rows this process's thread sends at once, or None (no thread:
        another process claims them from the database)."""
        return self.settings.lease_seconds if self.settings.thread else None

    def submit(self, row: rows.Claimed) -> None:
        """Take a row leased to this process when its transaction committed; sent next round."""
        self._queued.append(row)

    def note_unleased(self) -> None:
        """Say that a row was committed without a lease: the next round claims from the
        database (else the thread asks it only every ``poll_seconds``)."""
        with self._told:
            self._unleased = True

    def wake(self) -> None:
        """Say that rows were committed: the thread looks at once (started if need be)."""
        self.ensure_running()
        self._wakeup.set()

    def ensure_running(self) -> None:
        """Start this process's thread unless it runs already (cheap: call on every request)."""
        if not self.settings.thread or self._pid == os.getpid() or self._stopped.is_set():
            return
        with self._start:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._wakeup = threading.Event()  # a forked child's own, not the parent's
            threading.Thread(target=_run, args=(weakref.ref(self), self._wakeup, self._stopped),
                             name="outbox-sender", daemon=True).start()

    def stop(self) -> None:
        """Stop the thread after its current round; its call threads end with the round."""
        self._stopped.set()
        self._wakeup.set()
        calls, self._calls = self._calls, None  # a later drain() makes a new pool
        if calls is not None and self._calls_pid == os.getpid():
            calls.shutdown(wait=False)

    def run_forever(self) -> None:
        """Deliver in the calling thread until :meth:`stop` (``python -m bot sender``)."""
        _run(weakref.ref(self), self._wakeup, self._stopped)

    def drain(self, timeout: float = 10.0) -> bool:
        """Deliver until no row is left to send, for ``timeout`` seconds at most (tests, tools).

        Return whether everything was settled.
        """
        deadline = time.monotonic() + timeout
        while True:
            self.deliver_due()
            if rows.pending(self.database) == 0:
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)

    def deliver_due(self, *, look: bool = True) -> int:
        """Claim the due rows, send them, record the outcomes; return how many were claimed.

        The rows leased to this process go first. The database is asked for due rows every
        ``poll_seconds`` (retries, rows a dead sender left), when told of rows committed
        without a lease (:meth:`note_unleased`), again at once after it gave a full batch (a
        backlog), and with ``look`` whenever nothing was leased here (tools and tests, and
        ``drain``). The thread's rounds pass ``look=False``: it is woken after every
        commit, and a round that found the leased rows taken by the round before asked the
        database for nothing every time (a claiming UPDATE, on SQLite in the write lock).
        """
        with self._round:
            claimed = self._take_queued()
            with self._told:  # cleared before the claim, which then sees those rows
                told, self._unleased = self._unleased, False
            if (told or self._backlog or (look and not claimed)
                    or time.monotonic() - self._polled >= self.settings.poll_seconds):
                self._polled = time.monotonic()  # retries and rows of dead senders come due
                try:
                    found = rows.claim(self.database, now=_now(),
                                       lease=self.settings.lease_seconds,
                                       limit=self.settings.batch)
                except Exception:
                    if told:
                        self.note_unleased()  # still to be looked for
                    raise
                self._backlog = len(found) >= self.settings.batch
                claimed += found
            if not claimed:
                return 0
            rows.record(self.database, self._deliver_all(claimed), now=_now())
            return len(claimed)

    def _deliver_all(self, claimed: list[rows.Claimed]) -> list[rows.Record]:
        """Deliver the rows: chats at once, up to ``calls`` at a time; each chat's in order."""
        chats: dict[str, list[rows.Claimed]] = {}
        for row in claimed:
            chats.setdefault(row.chat_id or row.event_id, []).append(row)
        if len(chats) == 1 or self.settings.calls == 1:
            return [self._deliver(row) for row in claimed]
        done = self._pool().map(lambda chat: [self._deliver(row) for row in chat],
                                chats.values())
        return [record for chat in done for record in chat]

    def _pool(self) -> ThreadPoolExecutor:
        """Return this process's pool of call threads (a forked child makes its own)."""
        if self._calls is None or self._calls_pid != os.getpid():
            self._calls = ThreadPoolExecutor(self.settings.calls,
                                             thread_name_prefix="outbox-call")
            self._calls_pid = os.getpid()
        return self._calls

    def _take_queued(self) -> list[rows.Claimed]:
        """Take up to a batch of the rows leased to this process at commit, oldest first."""
        taken: list[rows.Claimed] = []
        while self._queued and len(taken) < self.settings.batch:
            taken.append(self._queued.popleft())
        return taken

    def _deliver(self, row: rows.Claimed) -> rows.Record:
        """Make the row's call, if its lease still covers one, and judge the outcome."""
        now = _now()
        if (row.claimed_until - now).total_seconds() < self.sender.longest_call + 1:
            log.info("event %s: released, the lease could not cover a call", row.event_id)
            return rows.Record(row, released=True)
        call = next_call(received_at=row.received_at, now=now, reply_token=row.reply_token,
                         chat_id=row.chat_id, settings=self.settings)
        if call in ("give_up", "unreachable"):
            delivery = "given_up" if call == "give_up" else "failed"
            log.warning("event %s: outbox %s after %d attempts", row.event_id, delivery,
                        row.attempts - 1)
            return rows.Record(row, delivery=delivery)
        attempt = self._call(call, row)
        verdict = judge(call, attempt, attempts=row.attempts, in_doubt=row.in_doubt,
                        settings=self.settings)
        _log(row, call, attempt, verdict.delivery, verdict.delay)
        if verdict.delivery is not None:
            return rows.Record(row, delivery=verdict.delivery)
        return rows.Record(row, next_attempt_at=_now() + timedelta(seconds=verdict.delay),
                           last_attempt=verdict.last_attempt, drop_token=verdict.drop_token)

    def _call(self, call: str, row: rows.Claimed) -> Attempt:
        """Make one reply or push call."""
        try:
            if call == "reply" and row.reply_token:
                return self.sender.reply_once(row.messages, reply_token=row.reply_token)
            assert row.chat_id is not None
            return self.sender.push_once(row.messages, chat_id=row.chat_id,
                                         retry_key=row.retry_key)
        except Exception as error:  # noqa: BLE001 - e.g. a stored message the SDK refuses
            log.error("event %s: %s could not be made: %s", row.event_id, call,
                      type(error).__name__)
            return Attempt("failed")


def _run(ref: weakref.ref[Outbox], wakeup: threading.Event, stopped: threading.Event) -> None:
    """Deliver rounds until stopped or the outbox is gone; sleep when nothing is due."""
    errors = 0
    while not stopped.is_set():
        outbox = ref()
        if outbox is None:
            return
        wait = outbox.settings.poll_seconds
        try:
            outbox.deliver_due(look=False)
            busy = bool(outbox._queued) or outbox._unleased or outbox._backlog
            errors = 0
        except StoreError as error:
            errors += 1
            wait = min(MAX_ERROR_WAIT, wait * 2 ** errors)
            log.warning("outbox: database error (%s), next try in %.0f s", error, wait)
            busy = False
        except Exception:  # keep the sender alive; the rows stay and are tried again
            log.exception("outbox: round failed")
            busy = False
        del outbox  # hold the outbox only during a round
        if not busy:
            wakeup.wait(wait)
            wakeup.clear()


def _log(row: rows.Claimed, call: str, attempt: Attempt, delivery: str | None,
         delay: float) -> None:
    """Log one call by event id: its outcome and what follows."""
    then = delivery or f"retry in {delay:.1f} s"
    level = logging.INFO if delivery in ("replied", "pushed") else logging.WARNING
    log.log(level, "event %s: %s attempt %d: %s (status %s%s): %s", row.event_id, call,
            row.attempts, attempt.kind, attempt.status, ", unsure" if attempt.unsure else "",
            then)


def _now() -> datetime:
    """Return the time now, in UTC."""
    return datetime.now(UTC)
