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

What a writer does while it holds the turn bounds the events per second, so an event reads
first (:class:`ReadFirst`): its transaction begins deferred and reads a snapshot without
the turn, and its first write ends the snapshot, takes the turn, begins ``IMMEDIATE`` and
checks that what was read still holds (the chat's version, migration 0012), or the event
runs again holding the turn from the start.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.orm import Session

#: The execution option that holds a writer's :class:`ReadFirst` (``Database.writer``).
READ_FIRST = "lertrat_read_first"
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


def writes(statement: str) -> bool:
    """Tell whether a statement writes rows, or opens a savepoint the snapshot's end would
    drop (what makes a :class:`ReadFirst` take the turn).

    A write this missed would still be safe: SQLite refuses to write from a snapshot another
    writer has moved past (``SQLITE_BUSY_SNAPSHOT``), so the event would fail, keep nothing,
    and be delivered again by LINE.
    """
    return statement.lstrip()[:9].upper().startswith(
        ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT"))


class ReadFirst:
    """A SQLite writer that reads in a snapshot first and takes the write turn at its first
    write (:meth:`Database.writer` with ``reads_first``).

    At its first write (or :func:`hold_turn`) the snapshot's transaction ends, the turn is
    taken, ``BEGIN IMMEDIATE`` starts the writing one, and :attr:`check` is called with the
    driver's connection: it raises when what was read in the snapshot is no longer so (the
    chat's store: :class:`~bot.coach.ports.ChatChanged`), and the caller runs again.
    """

    def __init__(self, turn: Callable[[], AbstractContextManager[None]], held: ExitStack) -> None:
        """Take ``turn`` when writing begins, and keep it on ``held`` until the writer ends."""
        self._turn = turn
        self._held = held
        self.writing = False
        self.check: Callable[[Any], None] | None = None

    def take_turn(self, driver_connection: Any) -> None:
        """End the snapshot, take the turn, begin writing, and check what was read."""
        if driver_connection.in_transaction:
            driver_connection.execute("COMMIT")  # a snapshot's: nothing was written
        self._held.enter_context(self._turn())
        self.writing = True
        driver_connection.execute("BEGIN IMMEDIATE")
        if self.check is not None:
            self.check(driver_connection)


def reading(connection: Connection) -> ReadFirst | None:
    """Return the connection's :class:`ReadFirst` while it still reads (has not taken the
    turn); None when it holds the turn, or does not read first."""
    reader = connection.get_execution_options().get(READ_FIRST)
    return reader if reader is not None and not reader.writing else None


def hold_turn(session: Session) -> None:
    """Make the session's transaction hold the write turn now, if it reads first: what it
    reads next is read under the turn (a deletion reaching into other chats)."""
    connection = session.connection()
    if (reader := reading(connection)) is not None:
        reader.take_turn(connection.connection.driver_connection)


def read_first(session: Session) -> ReadFirst | None:
    """Return the session's :class:`ReadFirst` while it still reads (see :func:`reading`)."""
    return reading(session.connection())
