"""SQLite's checkpoints in the commit that fills the log, against a thread of their own.

    python bench/checkpoint.py [--runs 5] [--commits 4000] [--threads 4]

Each run writes ``--commits`` short transactions into a fresh SQLite file through the bot's
own :class:`~bot.store.Database` (its write turn, its pragmas), from ``--threads`` threads
as a gunicorn worker's threads write: one row of 1,000 Thai characters each (an answer's
part), in a table of its own. Two ways, alternated run by run (the machine's load falls on
both alike):

- ``commit``: SQLite's default, the commit that takes the log past 1,000 pages copies it back
  into the database file and syncs both to disk, holding the write turn;
- ``thread``: the bot's way (:mod:`bot.store.checkpoint`), a thread checkpoints every
  half second and no commit does.

It prints, per way, the medians over runs of transactions per second and of each run's
p50, p99, p99.9 and longest transaction (from asking for the write turn to the commit's
end: what a webhook waits), and the size of the ``-wal`` file at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

ROW = ("การพัฒนาระบบบริการประชาชนผ่านช่องทางออนไลน์ช่วยลดระยะเวลารอคอย " * 20)[:1000]
WAYS = ("commit", "thread")


def run_once(way: str, commits: int, threads: int, folder: Path) -> dict[str, float]:
    """Write ``commits`` transactions one way; return its figures."""
    from sqlalchemy import event, text

    from bot.store import Database

    database = Database(f"sqlite:///{folder / f'{way}-{time.monotonic_ns()}.db'}")
    if way == "commit":
        database.checkpointer = None  # no thread, and SQLite's own checkpoint back at 1,000

        @event.listens_for(database.engine, "connect")
        def _sqlite_default(dbapi_connection, _record) -> None:  # noqa: ANN001
            dbapi_connection.execute("PRAGMA wal_autocheckpoint = 1000")

    with database.transaction() as connection:
        connection.execute(text("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, body TEXT)"))
    times: list[float] = []
    lock = threading.Lock()
    per_thread = commits // threads

    def write() -> None:
        mine = []
        for _ in range(per_thread):
            start = time.perf_counter()
            with database.transaction() as connection:
                connection.execute(text("INSERT INTO bench_rows (body) VALUES (:body)"),
                                   {"body": ROW})
            mine.append(time.perf_counter() - start)
        with lock:
            times.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    wal = Path(f"{database.sqlite_path}-wal")
    wal_mb = wal.stat().st_size / 1e6 if wal.exists() else 0.0
    database.dispose()
    times.sort()

    def at(share: float) -> float:
        return 1000 * times[min(len(times) - 1, int(share * len(times)))]

    return {"tx/s": len(times) / elapsed, "p50": at(0.5), "p99": at(0.99),
            "p99.9": at(0.999), "max": 1000 * times[-1], "wal MB": wal_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--commits", type=int, default=4000)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {way: [] for way in WAYS}
    with tempfile.TemporaryDirectory(prefix="lertrat-checkpoint-") as folder:
        for run in range(args.runs):
            order = WAYS if run % 2 == 0 else WAYS[::-1]
            for way in order:
                results[way].append(run_once(way, args.commits, args.threads, Path(folder)))
                print(f"run {run + 1}/{args.runs} {way}: " + ", ".join(
                    f"{key} {value:.2f}" for key, value in results[way][-1].items()),
                    file=sys.stderr)
    keys = list(results[WAYS[0]][0])
    print(f"\n{args.commits} transactions of one 1,000-character row, {args.threads} threads, "
          f"medians of {args.runs} alternated runs (ms: from asking for the turn to the commit)")
    print(f"  {'checkpoint by':<14}" + "".join(f"{key:>10}" for key in keys))
    for way in WAYS:
        print(f"  {way:<14}" + "".join(
            f"{statistics.median(run[key] for run in results[way]):>10.2f}" for key in keys))


if __name__ == "__main__":
    main()
