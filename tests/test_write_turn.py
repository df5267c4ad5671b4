"""SQLite's writers take turns: within a process (threads) and across processes (flock)."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

from conftest import record_turns
from sqlalchemy import event, text

from bot.store.database import Database
from bot.store.write_turn import WriteTurn


def test_threads_write_one_at_a_time_and_a_thread_may_nest(tmp_path: Path):
    turn = WriteTurn(tmp_path / "db.sqlite3", timeout=5)
    inside, most = [0], [0]
    lock = threading.Lock()

    def write() -> None:
        for _ in range(20):
            with turn():
                with turn():  # a session opened while writing: no deadlock
                    with lock:
                        inside[0] += 1
                        most[0] = max(most[0], inside[0])
                    time.sleep(0.0005)
                    with lock:
                        inside[0] -= 1

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1


def _hold(path: str, taken: multiprocessing.synchronize.Event, seconds: float) -> None:
    with WriteTurn(Path(path), timeout=5)():
        taken.set()
        time.sleep(seconds)


def test_another_process_waits_for_the_file_s_turn_then_gets_it(tmp_path: Path):
    database = str(tmp_path / "db.sqlite3")
    taken = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(target=_hold,
                                                         args=(database, taken, 0.3))
    holder.start()
    assert taken.wait(5)
    started = time.monotonic()
    with WriteTurn(Path(database), timeout=5)():
        waited = time.monotonic() - started
    holder.join()
    assert waited >= 0.1  # it waited for the other process's turn (not a speed assertion)


def test_a_turn_not_given_within_the_timeout_leaves_it_to_sqlite(tmp_path: Path):
    database = str(tmp_path / "db.sqlite3")
    taken = multiprocessing.get_context("fork").Event()
    holder = multiprocessing.get_context("fork").Process(target=_hold,
                                                         args=(database, taken, 1.0))
    holder.start()
    assert taken.wait(5)
    with WriteTurn(Path(database), timeout=0.05)():
        entered = True  # went on without the turn; SQLite's own lock would decide
    holder.join()
    assert entered


def test_a_sqlite_file_database_queues_its_writers_and_postgres_does_not(tmp_path: Path,
                                                                           postgres_url: str):
    assert Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")._write_turn is not None
    assert Database("sqlite://")._write_turn is None
    assert Database(postgres_url)._write_turn is None


def test_a_write_holds_the_turn_only_for_its_transaction_not_for_the_pool(tmp_path: Path):
    # One writer at a time holds SQLite's turn: checking a connection out of the pool and
    # giving it back (its reset) are done outside it, every statement inside it.
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    seen: list[str] = []
    record_turns(database, seen)
    event.listen(database.engine, "checkout", lambda *_: seen.append("checked out"))
    event.listen(database.engine, "checkin", lambda *_: seen.append("checked in"))
    event.listen(database.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: seen.append(statement.split()[0]))
    with database.session() as session:
        session.execute(text("SELECT 1"))
    assert seen == ["checked out", "turn taken", "BEGIN", "SELECT", "turn given back",
                    "checked in"]
    seen.clear()
    with database.transaction() as connection:
        connection.execute(text("SELECT 1"))
    assert seen == ["checked out", "turn taken", "BEGIN", "SELECT", "turn given back",
                    "checked in"]


def test_the_writer_holding_the_turn_gets_a_connection_while_every_other_waits_with_one(
        tmp_path: Path, monkeypatch):
    # Writers wait for the turn with their connection checked out: with every thread of a
    # worker waiting so (WEB_THREADS, the sender, the purge), the one holding the turn can
    # still open one more (a WAL checkpoint after a deletion) without waiting for the pool.
    monkeypatch.setenv("WEB_THREADS", "16")
    database = Database(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    pool = database.engine.pool
    pool._timeout = 2  # type: ignore[attr-defined]  # a starved checkout fails in 2 s, not 30

    def write() -> None:
        with database.session() as session:
            session.execute(text("SELECT 1"))

    writers = [threading.Thread(target=write) for _ in range(16 + 2)]
    with database.writer():
        for thread in writers:
            thread.start()
        deadline = time.monotonic() + 5
        while pool.checkedout() < 1 + len(writers) and time.monotonic() < deadline:
            time.sleep(0.01)
        database.checkpoint()  # raises sqlalchemy's TimeoutError when the pool is starved
        assert pool.checkedout() == 1 + len(writers)
    for thread in writers:
        thread.join()
