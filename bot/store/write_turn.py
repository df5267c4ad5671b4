"""Writers on one SQLite file take turns in a queue instead of SQLite's busy loop.

SQLite lets one writer at a time hold a file, and a writer that finds it taken (every
transaction here begins ``BEGIN IMMEDIATE``) sleeps and retries in growing steps, up to
100 ms between tries: under load, with the threads of several gunicorn workers writing,
an event waits for the lock hundreds of milliseconds after it was free (the webhook's p99 in
``bench/webhook.py``). :class:`WriteTurn` puts the writers of one database in line first: the
threads of a process on a re-entrant lock (a thread that already writes may open another
session), the processes on an ``flock`` of ``<database>.write.lock`` beside the file, held by
one descriptor per process. Both wake the next writer as soon as the turn is given back, so
``BEGIN IMMEDIATE`` then finds the file free. A writer that does not take turns (another
program, a migration) is still waited for by SQLite's busy timeout: the turn is an order,
never what keeps the data safe.

The wait for a turn is bounded like SQLite's own busy timeout: past it the turn is skipped
and SQLite's own lock decides (it fails with "database is locked" if the file stays taken).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: How often a process looks whether another process gave the file's turn back (seconds).
_POLL = 0.0005


class WriteTurn:
    """The queue of writers on one SQLite file, within a process and across processes."""

    def __init__(self, database_file: Path, *, timeout: float) -> None:
        """Queue writers of ``database_file``; wait at most ``timeout`` seconds for a turn."""
        self.path = database_file.with_name(f"{database_file.name}.write.lock")
        self.timeout = timeout
        self._threads = threading.RLock()
        self._depth = 0
        self._fd: int | None = None
        self._pid: int | None = None
        self._held = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        """Wait for this process's and then this file's turn; give both back at the end."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            yield  # SQLite's busy timeout decides
            return
        try:
            if self._depth == 0:
                self._held = self._take_file(deadline)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._held:
                    fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
                    self._held = False
        finally:
            self._threads.release()

    def _take_file(self, deadline: float) -> bool:
        """Take the file's turn among processes; False when the wait ran out."""
        descriptor = self._descriptor()
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    return False
                time.sleep(_POLL)

    def _descriptor(self) -> int:
        """Return this process's descriptor of the lock file (a forked child opens its own)."""
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
            self._pid = os.getpid()
            self._depth, self._held = 0, False
        assert self._fd is not None
        return self._fd
