"""Where an answer event's CPU goes: thread CPU per piece of the webhook and the sender, in process.

    python bench/event_cpu.py [--database sqlite|URL] [--events 2000] [--runs 3]
                              [--other DIR]

Each run is a fresh interpreter that builds the web app (``create_app``) on a fresh database
(a SQLite file, or a fresh schema on the PostgreSQL URL, dropped afterwards) with the fake LINE
API of bench/fake_line.py in a thread, sets up 16 officers mid-application through the
webhook, and sends ``--events`` signed 1,000-character answers through Flask's test client,
one at a time, while the app's outbox thread replies through the fake LINE. Each piece below
is timed with ``time.thread_time`` (the CPU of the thread that runs it, so waiting for a lock
or for the database costs nothing) and divided by the events; pieces nest (the engine holds
the store's writes, the handling holds all of the webhook's pieces), except that the sender's
LINE calls may run on its call threads, outside the round's own thread. Last, the CPU
spent holding SQLite's write turn (``Database.writing``, from taking it to giving it back),
by the webhook and by the sender: one writer at a time holds it, so on SQLite this, not the
whole, bounds the events per second (on PostgreSQL no lock is held: the same span of code).

``--other DIR`` runs another checkout of the bot too, the two alternated run by run, and prints
the medians side by side: the machine's load falls on both alike. No gunicorn, no HTTP: what
is left out is the same for every code (bench/webhook.py measures the served whole).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
#: (label, module, owner or "", function): what is timed, in the order printed.
PIECES = [
    ("webhook: one event's handling", "bot.web.webhook", "", "_handle"),
    ("  the SDK reads the event", "linebot.v3.webhooks", "Event", "from_dict"),
    ("  words counted before the lock", "bot.service", "CoachService", "_warm"),
    ("  lock and read the chat", "bot.store.repository", "", "_read_chat"),
    ("  the engine's turn", "bot.coach.engine", "Coach", "handle"),
    ("    the part stored", "bot.store.answers", "AnswerRows", "append_part"),
    ("    the chat's state saved", "bot.store.repository", "SqlStore", "save_conversation"),
    ("  replies into the outbox row", "bot.web.webhook", "", "_queue"),
    ("  the event id claimed", "bot.store.repository", "", "_claim_event"),
    ("  the commit", "sqlalchemy.orm.session", "SessionTransaction", "commit"),
    ("sender: one round", "bot.outbox.sender", "Outbox", "deliver_due"),
    ("  the LINE call", "bot.outbox.sender", "Outbox", "_deliver"),
    ("  the outcomes recorded", "bot.outbox.rows", "", "record"),
]
#: The CPU spent holding SQLite's write turn (bot.store.write_turn), from taking it to giving
#: it back, by the thread that held it: on SQLite one writer at a time holds it, so this is
#: what bounds the events per second (on PostgreSQL the span of the same code, no lock held).
TURNS = ["write turn held: webhook", "write turn held: sender"]
#: Every figure printed, in order.
LABELS = [label for label, *_ in PIECES] + TURNS


def instrument(spent: dict[str, float]) -> None:
    """Wrap every piece so that the CPU of the thread running it adds to ``spent``."""
    import contextlib
    import functools
    import importlib
    import threading
    import time

    def timed(label: str, function):  # noqa: ANN001, ANN202 - any function
        @functools.wraps(function)
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] += time.thread_time() - start
        return wrapper

    for label, module_name, owner_name, name in PIECES:
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name) if owner_name else module
        setattr(owner, name, timed(label, getattr(owner, name)))

    from bot.store.database import Database

    writing = Database.writing

    @contextlib.contextmanager
    def held(self: Database):  # noqa: ANN202 - a context manager
        with writing(self):
            start = time.thread_time()
            try:
                yield
            finally:
                sender = threading.current_thread().name.startswith("outbox")
                spent[TURNS[sender]] += time.thread_time() - start

    Database.writing = held  # type: ignore[method-assign]


def run_once(database: str, events: int) -> dict[str, float]:
    """Measure in this process; return ms of thread CPU per event for each piece."""
    import threading
    import time

    sys.path[:0] = [str(PROJECT), str(PROJECT / "bench")]
    spent: dict[str, float] = dict.fromkeys(LABELS, 0.0)
    instrument(spent)

    import fake_line
    import webhook as bench

    from bot.web import create_app

    line = fake_line.FakeLineServer(("127.0.0.1", 0), fake_line.FakeLineHandler)
    threading.Thread(target=line.serve_forever, daemon=True).start()
    config = dict(LINE_CHANNEL_SECRET=bench.SECRET, LINE_CHANNEL_ACCESS_TOKEN=bench.TOKEN,
                  PUBLIC_BASE_URL=bench.PUBLIC_BASE_URL, SECRET_KEY=os.urandom(32).hex(),
                  DATABASE_URL=database, LINE_API_HOST=f"http://127.0.0.1:{line.server_port}",
                  **bench.RAISED_LIMITS)
    app = create_app(config, environ={})
    outbox = app.extensions.get("outbox")
    if outbox is not None:
        outbox.ensure_running()
    client = app.test_client()

    def send(number: int, text: str) -> None:
        body, signature = bench.signed_body(bench.user_id(number % 16), text)
        answer = client.post("/callback", data=body, headers={
            "X-Line-Signature": signature, "Content-Type": "application/json"})
        if answer.status_code != 200:
            raise SystemExit(f"the webhook answered {answer.status_code}")

    for number in range(16):  # 16 officers mid-application, then a warm-up
        for words in bench.SETUP:
            send(number, words)
    for number in range(100):  # caches, compiled statements, connections
        send(number, bench.ANSWER)
    time.sleep(0.5)
    spent.update(dict.fromkeys(spent, 0.0))
    for number in range(events):
        send(number, bench.ANSWER)
    time.sleep(0.5)  # the last replies
    if outbox is not None:
        outbox.stop()
    line.shutdown()
    return {label: 1000 * seconds / events for label, seconds in spent.items()}


def fresh_database(database: str, folder: Path) -> tuple[str, str | None]:
    """Return a fresh database's URL and, for PostgreSQL, the schema to drop afterwards."""
    if database == "sqlite":
        return f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}", None
    schema = f"bench_cpu_{uuid.uuid4().hex[:12]}"
    _psql(database, f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in database else "?"
    return f"{database}{separator}options=-csearch_path%3D{schema}", schema


def _psql(database: str, statement: str) -> None:
    """Run one statement on the PostgreSQL database, committed."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def child(checkout: Path, database: str, events: int, folder: Path) -> dict[str, float]:
    """Run one measurement of ``checkout`` in a fresh interpreter; return its figures."""
    url, schema = fresh_database(database, folder)
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(checkout), url,
             str(events)], capture_output=True, text=True, timeout=1800, check=False)
    finally:
        if schema is not None:
            _psql(database, f"DROP SCHEMA {schema} CASCADE")
    if done.returncode != 0:
        raise SystemExit(f"a run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="sqlite",
                        help=f"sqlite, or a PostgreSQL URL (e.g. {DEFAULT_POSTGRES_ADMIN})")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--other", type=Path, help="another checkout, alternated with this one")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        checkout, url, events = args.child
        global PROJECT  # noqa: PLW0603 - the child measures the checkout it was given
        PROJECT = Path(checkout)
        print(json.dumps(run_once(url, int(events))))
        return
    checkouts = {"this": PROJECT} | ({"other": args.other.resolve()} if args.other else {})
    figures: dict[str, list[dict[str, float]]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            for name, checkout in checkouts.items():
                print(f"run {run + 1}/{args.runs}: {name}", file=sys.stderr)
                figures[name].append(child(checkout, args.database, args.events, Path(folder)))
    print(f"\n{args.database.split(':')[0]}: ms of thread CPU per answer event, median of "
          f"{args.runs} runs of {args.events} events (range)")
    print(f"  {'':38}" + "".join(f"{name:>22}" for name in checkouts))
    for label in LABELS:
        cells = []
        for name in checkouts:
            values = [run[label] for run in figures[name]]
            cells.append(f"{statistics.median(values):.3f} ({min(values):.2f}-{max(values):.2f})")
        print(f"  {label:38}" + "".join(f"{cell:>22}" for cell in cells))


if __name__ == "__main__":
    main()
