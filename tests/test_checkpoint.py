"""SQLite's log is checkpointed by a thread of each writing process, never by a commit."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import checkpoint as checkpoints
from bot.store.checkpoint import Checkpointer, catch_up, sync_database_file
from bot.store.database import Database

ROW = "ก" * 4000  # about three pages of the log each


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with db.transaction() as connection:
        connection.execute(text("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT)"))
    yield db
    db.dispose()


def _write(database: Database, transactions: int) -> None:
    for _ in range(transactions):
        with database.transaction() as connection:
            connection.execute(text("INSERT INTO rows (body) VALUES (:body)"), {"body": ROW})


def _log(path: Path) -> tuple[int, int]:
    """Return the pages in the log and those copied, as a passive checkpoint finds them."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        _busy, pages, copied = checkpoints.checkpoint(connection)
        return pages, copied
    finally:
        connection.close()


def _wait_for(condition, seconds: float = 10.0) -> bool:  # noqa: ANN001 - a callable
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_no_commit_copies_the_log_into_the_file(database: Database, monkeypatch):
    monkeypatch.setattr(Checkpointer, "ensure_running", lambda self: None)  # no thread
    path = database.sqlite_path
    assert path is not None
    with database.transaction():
        pass
    size = path.stat().st_size
    _write(database, 500)  # some 1,500 pages: past SQLite's own checkpoint at 1,000
    assert path.stat().st_size == size  # every page is still only in the log
    pages, copied = _log(path)  # what the thread runs
    assert pages == copied > 1000
    assert path.stat().st_size > size


def test_the_process_s_thread_copies_the_log(database: Database):
    path = database.sqlite_path
    assert path is not None and database.checkpointer is not None
    database.checkpointer.stop()
    database.checkpointer = Checkpointer(path, database.writing, interval=0.05)
    _write(database, 50)
    assert database.checkpointer.running
    size = path.stat().st_size
    assert _wait_for(lambda: path.stat().st_size > size)
    threads = [t for t in threading.enumerate() if t.name == "sqlite-checkpoint"]
    _write(database, 5)
    assert [t for t in threading.enumerate() if t.name == "sqlite-checkpoint"] == threads


@contextmanager
def _recorded_turn(database: Database, seen: list[str]) -> Iterator[None]:
    seen.append("turn taken")
    with database.writing():
        yield
    seen.append("turn given back")


def test_a_long_log_is_started_over_holding_the_write_turn(database: Database, monkeypatch):
    monkeypatch.setattr(Checkpointer, "ensure_running", lambda self: None)
    path = database.sqlite_path
    assert path is not None
    _write(database, 200)  # some 600 pages
    connection = sqlite3.connect(path, isolation_level=None)
    seen: list[str] = []
    try:
        catch_up(connection, path, lambda: _recorded_turn(database, seen), restart_pages=5000)
        assert seen == []  # short enough: copied without the turn
        _write(database, 200)
        assert _log(path)[0] >= 400
        catch_up(connection, path, lambda: _recorded_turn(database, seen), restart_pages=100)
        assert seen == ["turn taken", "turn given back"]
        _write(database, 1)  # the next writer starts the log over
        assert _log(path)[0] < 10
    finally:
        connection.close()


def test_a_missing_file_is_not_created_and_is_reported_once(tmp_path: Path, caplog):
    gone = tmp_path / "gone.sqlite3"
    checkpointer = Checkpointer(gone, lambda: _nothing(), interval=0.02)
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        checkpointer.ensure_running()
        time.sleep(0.3)
        assert checkpointer.running  # it keeps trying
        checkpointer.stop()
    assert not checkpointer.running
    assert not gone.exists()
    failures = [r for r in caplog.records if "checkpoint failed" in r.getMessage()]
    assert len(failures) == 1
    assert "gone" not in failures[0].getMessage()  # no path in the log


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def test_dispose_stops_the_thread_and_the_next_write_starts_one(database: Database):
    _write(database, 1)
    assert database.checkpointer is not None and database.checkpointer.running
    database.dispose()
    assert not database.checkpointer.running
    _write(database, 1)
    assert database.checkpointer.running


def _child_writes(database: Database, answer: multiprocessing.queues.Queue) -> None:
    database.engine.dispose(close=False)  # the parent's connections stay the parent's
    _write(database, 1)
    assert database.checkpointer is not None
    answer.put(database.checkpointer.running)


def test_a_forked_worker_runs_its_own_thread(database: Database):
    _write(database, 1)  # the parent's thread runs
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    child = context.Process(target=_child_writes, args=(database, answer))
    child.start()
    try:
        assert answer.get(timeout=20) is True
    finally:
        child.join(20)
    assert child.exitcode == 0


def test_postgresql_and_memory_have_no_thread():
    for url in ("sqlite://", "postgresql+psycopg://postgres@127.0.0.1:5432/test"):
        database = Database(url)
        assert database.checkpointer is None
        database.dispose()


def test_every_connection_leaves_the_checkpoint_to_the_thread(database: Database):
    with database.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == checkpoints.BACKSTOP_PAGES


def _leave_wal(path: str, answer: multiprocessing.queues.Queue) -> None:
    connection = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    try:
        answer.put(connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0])
    except sqlite3.OperationalError:
        answer.put("locked")
    finally:
        connection.close()


def test_syncing_the_file_keeps_this_process_s_locks_on_it(tmp_path: Path):
    # Closing a descriptor of the file would drop them: another process could then take the
    # file out of WAL mode under a reader here (what a plain os.close(os.open(...)) allows).
    path = tmp_path / "db.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("CREATE TABLE rows (body TEXT)")
    writer.execute("INSERT INTO rows VALUES ('x')")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT * FROM rows").fetchall()
    try:
        sync_database_file(path)
        sync_database_file(path)  # the same descriptor again
        context = multiprocessing.get_context("spawn")
        answer = context.Queue()
        other = context.Process(target=_leave_wal, args=(str(path), answer))
        other.start()
        assert answer.get(timeout=30) == "locked"
        other.join(30)
    finally:
        reader.close()
        writer.close()
