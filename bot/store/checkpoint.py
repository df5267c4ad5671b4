"""SQLite's WAL checkpoints, run by a thread of their own instead of by a commit.

In WAL mode a commit appends pages to the ``-wal`` file (the log), and a checkpoint copies
them back into the database file. By default SQLite runs the checkpoint itself, in the
commit that takes the log past 1,000 pages (about every hundred answers), and with
``synchronous = NORMAL`` that commit also syncs the log and the file to disk: 20–35 ms on
the machine measured, against under 2 ms for the other commits. It holds the write turn
(:mod:`bot.store.write_turn`) meanwhile, so every writer in line behind it waits as long.

So every connection moves SQLite's own checkpoint far out (:data:`BACKSTOP_PAGES`: it only
bounds the log should this thread not run), and each process that writes runs a
:class:`Checkpointer`, a daemon thread with a connection of its own. Every
:data:`INTERVAL_SECONDS` it runs a ``PASSIVE`` checkpoint, which waits for no reader and no
writer: writers go on appending to the log meanwhile and never wait for it.

Under steady writing a passive checkpoint never copies the last page (more are appended
while it copies), and SQLite starts the log over only once every page in it was copied; it
also syncs the database file only then, all the pages copied since at once. So when the
log holds :data:`RESTART_PAGES` or more, the thread checkpoints again until a pass finds
little new (:data:`FINAL_PAGES`: each pass copies what was written during the one before),
syncs the database file itself (:func:`sync_database_file`), and only then takes the write
turn for the last pass: a few pages and their sync. The next writer starts the log over.
With several processes one checkpoint runs at a time; the others find it busy and skip.

``bench/checkpoint.py`` writes one-row transactions from four threads both ways.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

log = logging.getLogger("bot.store")

#: The file's write turn (:class:`bot.store.write_turn.WriteTurn`), held to start the log over.
Turn = Callable[[], AbstractContextManager[None]]

#: How often a process that writes checkpoints the log (seconds).
INTERVAL_SECONDS = 0.5
#: From this many pages in the log (4 KB each: 16 MB) the thread starts it over.
RESTART_PAGES = 4_000
#: A pass without the turn that copies this few pages or fewer is the last one before the
#: pass holding it (which then copies about as few).
FINAL_PAGES = 64
#: Passes without the turn, at most, before the one holding it.
CATCH_UP_PASSES = 8
#: The automatic checkpoint, set on every connection: past what the thread lets the log
#: hold (about 40 MB).
BACKSTOP_PAGES = 10_000


class Checkpointer:
    """A thread that checkpoints one SQLite file's log, one per process that writes to it."""

    def __init__(self, database_file: Path, turn: Turn, *, interval: float = INTERVAL_SECONDS,
                 restart_pages: int = RESTART_PAGES) -> None:
        """Checkpoint ``database_file`` every ``interval`` seconds once started, holding
        ``turn`` (the file's write turn) to start over a log of ``restart_pages`` or more."""
        self.path = database_file
        self.turn = turn
        self.interval = interval
        self.restart_pages = restart_pages
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()  # the running thread's own

    def ensure_running(self) -> None:
        """Start this process's thread unless it runs already (cheap: called by each write)."""
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            # A forked child starts its own thread; its parent's thread is not in it.
            self._pid = os.getpid()
            self._stopped = threading.Event()
            self._thread = threading.Thread(
                target=_run, args=(self.path, self.turn, self.interval, self.restart_pages,
                                   self._stopped),
                name="sqlite-checkpoint", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        """Tell whether this process's thread is alive."""
        thread = self._thread
        return self._pid == os.getpid() and thread is not None and thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop this process's thread and close its connection (waiting at most ``timeout``
        seconds); the next write starts another."""
        with self._lock:
            self._stopped.set()
            thread, mine = self._thread, self._pid == os.getpid()
            self._pid = self._thread = None
        if thread is not None and mine and timeout > 0:
            thread.join(timeout)


#: A descriptor of each database file this process synced, by path and inode: never closed.
_SYNCED: dict[tuple[Path, int], int] = {}
_SYNCED_LOCK = threading.Lock()


def sync_database_file(path: Path) -> None:
    """Write the database file's pages that are still only in memory to the disk.

    SQLite syncs the file only in the checkpoint that copies the last page of the log, all
    the pages the passive ones copied before it at once (16 MB: 15–20 ms here), and that one
    runs holding the write turn; synced here first, it has only its own few pages left.

    The descriptor is kept open for the life of the process: closing any descriptor of the
    file would drop every lock this process's SQLite connections hold on it (POSIX locks
    belong to the process and the file, not the descriptor; SQLite's "How To Corrupt Your
    Database Files", 2.2).
    """
    try:
        key = (path, path.stat().st_ino)
        with _SYNCED_LOCK:
            descriptor = _SYNCED.get(key)
            if descriptor is None:
                descriptor = _SYNCED[key] = os.open(path, os.O_RDONLY)
        os.fsync(descriptor)
    except OSError:  # the file is gone: the checkpoint that follows says so
        return


def checkpoint(connection: sqlite3.Connection) -> tuple[int, int, int]:
    """Run one passive checkpoint; return SQLite's (busy, pages in the log, pages copied).

    ``busy`` is 1 when another connection's checkpoint was running: nothing was done.
    """
    row = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def catch_up(connection: sqlite3.Connection, path: Path, turn: Turn,
             restart_pages: int) -> None:
    """Checkpoint the log; when it holds ``restart_pages`` or more, copy the rest holding
    ``turn``, so that the next writer starts it over."""
    busy, pages, copied = checkpoint(connection)
    if busy or pages < restart_pages:
        return
    # What a pass copies is what was written during the pass before: passes get shorter.
    for _ in range(CATCH_UP_PASSES):
        busy, pages, now_copied = checkpoint(connection)
        if busy:
            return
        fresh, copied = now_copied - copied, now_copied
        if fresh <= FINAL_PAGES:
            break
    sync_database_file(path)  # the pages copied so far reach the disk outside the turn
    with turn():
        checkpoint(connection)


def _run(path: Path, turn: Turn, interval: float, restart_pages: int,
         stopped: threading.Event) -> None:
    """Checkpoint every ``interval`` seconds until ``stopped``; keep going after an error."""
    connection: sqlite3.Connection | None = None
    failing = False
    try:
        while not stopped.wait(interval):
            try:
                if connection is None:  # never creates the file (mode=rw)
                    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw",
                                                 uri=True, isolation_level=None, timeout=0)
                catch_up(connection, path, turn, restart_pages)
                failing = False
            except Exception as error:  # the file is gone, the disk is full …: try again
                if not failing:  # once, not every interval
                    log.warning("sqlite checkpoint failed: %s", type(error).__name__)
                failing = True
                if connection is not None:
                    connection.close()
                    connection = None
    finally:
        if connection is not None:
            connection.close()
