"""Count the SQL statements each kind of event costs, on SQLite and PostgreSQL, small and large.

Run: ``/tmp/venv/bin/python bench/statements.py [--rounds 15] [--no-postgres]``

For each database (a fresh SQLite file; a fresh schema on the PostgreSQL of ``TEST_POSTGRES_URL``
or ``postgresql+psycopg://postgres@127.0.0.1:5432/test``, dropped afterwards) it drives one
chat through :meth:`bot.service.CoachService.process`, with the web app's draft-link publisher,
and counts what the engine sends to the database per event (SQLAlchemy's
``before_cursor_execute`` on the engine). Transaction control (BEGIN, COMMIT, ROLLBACK,
SAVEPOINT, RELEASE) is counted apart, as are the pool's pre-ping round trips (``do_ping``) and
the DBAPI-level commits and rollbacks, which never pass through a cursor.

Each event is measured twice: early (an application with three one-line parts) and after 50
parts of about 1,000 characters spread over ten questions, so that what grows with the
application shows. "list 3" is the list after two more applications were created.

Then, on the application with 50 parts, it times ``progress`` against an anchor measured
interleaved in the same run (a bare ``SELECT 1`` round trip through the same engine), the order
flipped every round, and prints medians, their ratio, and the analysis cache's counters
(analyses done inside the chat's lock, that is cache misses there).

Figures only; nothing here asserts on wall-clock time (tests/test_statements.py asserts the
counts, which are deterministic).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bot.coach.messages import Event  # noqa: E402
from bot.service import CoachService  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]
PARAGRAPH = ("เดิมประชาชนต้องเดินทางมายื่นคำขออนุญาตที่สำนักงานอย่างน้อย 3 ครั้ง ใช้เวลาพิจารณาเฉลี่ย 45 วัน "
             "หลังเปิดระบบยื่นคำขอออนไลน์ผ่านเว็บไซต์และ LINE ระยะเวลาลดลงเหลือ 7 วัน ค่าเดินทางลดลงเฉลี่ย "
             "600 บาทต่อราย ผู้รับบริการพึงพอใจร้อยละ 92 จากแบบสำรวจ 1,250 ราย ในปีงบประมาณ 2564 ")
#: The events measured, in the order they are sent: (name, what the officer types).
EVENTS = [("answer", None), ("next", "ถัดไป"), ("progress", "ความคืบหน้า"), ("draft link", "ดูร่าง"),
          ("list 1", "ใบสมัครของฉัน"), ("goto", "ข้อ 3"), ("edit", "แก้ข้อ 3"),
          ("cancel", "ยกเลิก")]
TRANSACTION_WORDS = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@dataclass
class Tally:
    """What one event sent to the database."""

    statements: int = 0
    reads: int = 0  # of the statements, those read before the chat's lock (Database.reading)
    transaction: int = 0
    pings: int = 0
    commits: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def row(self) -> str:
        """Return the statements, then the rest in brackets."""
        extra = f"tx {self.transaction}+{self.commits}"
        if self.reads:
            extra = f"{self.reads} before lock, {extra}"
        if self.pings:
            extra += f", ping {self.pings}"
        return f"{self.statements:>3} ({extra})"


class Counting:
    """Count the statements an engine runs while ``tally`` is set."""

    def __init__(self, engine: Engine) -> None:
        self.tally: Tally | None = None
        event.listen(engine, "before_cursor_execute", self._statement)
        # The answer path's writes run on the driver (bot.store.driver), which tells its own.
        from bot.store import driver
        driver.LISTENERS.append(lambda conn, statement, _arguments: self._statement(
            conn, None, statement))
        event.listen(engine, "commit", self._commit)
        event.listen(engine, "rollback", self._commit)
        ping = engine.dialect.do_ping

        def counted_ping(dbapi_connection: Any) -> bool:
            if self.tally is not None:
                self.tally.pings += 1
            return ping(dbapi_connection)

        engine.dialect.do_ping = counted_ping  # type: ignore[method-assign]

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.tally is None:
            return
        reading = bool(conn.get_execution_options().get("lertrat_read_only"))
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if word in TRANSACTION_WORDS:
            self.tally.transaction += 1
        else:
            self.tally.statements += 1
            self.tally.reads += reading
            self.tally.kinds[word] += 1

    def _commit(self, *_: Any) -> None:
        if self.tally is not None:
            self.tally.commits += 1

    @contextmanager
    def counting(self) -> Iterator[Tally]:
        """Count what runs inside the block."""
        self.tally = Tally()
        try:
            yield self.tally
        finally:
            self.tally = None


class Officer:
    """One officer's 1:1 chat, driven through the service."""

    def __init__(self, service: CoachService) -> None:
        self.service = service
        self.user = "U" + uuid.uuid4().hex  # a chat of its own
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
        self.serial = 0

    def say(self, words: str) -> str:
        """Send one text message; return the replies as text."""
        self.serial += 1
        self.now += timedelta(seconds=5)
        event = Event(user_id=self.user, chat_id=self.user, chat_type="user", kind="text",
                      timestamp=self.now, text=words, event_id=uuid.uuid4().hex[:26],
                      message_id=f"{self.user[:12]}m{self.serial}",
                      quote_token=f"q{self.serial}")
        return "\n".join(r.as_text() for r in self.service.process(event).replies)


def answer_text(serial: int, long: bool) -> str:
    """Return a part: one line, or about 1,000 characters."""
    if not long:
        return f"ผู้รับบริการ {serial * 10} รายต่อเดือน"
    return f"ครั้งที่ {serial} " + (PARAGRAPH * 4)[:1000]


def measure(officer: Officer, counting: Counting, *, parts: int, long: bool) -> dict[str, Tally]:
    """Fill ``parts`` parts over up to ten questions, then count each event once."""
    for index in range(parts):
        officer.say(f"ข้อ {index % 10 + 1}")
        officer.say(answer_text(index, long))
    officer.say("ข้อ 3")
    officer.say(answer_text(900, long))  # the answer event measured is not the first part
    found: dict[str, Tally] = {}
    for name, words in EVENTS:
        with counting.counting() as tally:
            officer.say(words if words is not None else answer_text(901, long))
        found[name] = tally
    return found


def measure_lists(officer: Officer, counting: Counting) -> dict[str, Tally]:
    """Create two more applications; count the list of three, and opening the first again."""
    for title in ("โครงการสอง", "โครงการสาม"):
        for words in [*SETUP[:2], title]:
            officer.say(words)
        officer.say(answer_text(1, False))
    found = {}
    for name, words in (("list 3", "ใบสมัครของฉัน"), ("open", "เลือก 1")):
        with counting.counting() as tally:
            officer.say(words)
        found[name] = tally
    return found


def service_on(url: str) -> CoachService:
    """Return a service with the web app's draft-link publisher, on a migrated database."""
    from bot.coach.texts import default_texts
    from bot.delivery import LinkPublisher
    from bot.delivery.links import DraftLinks
    publisher = LinkPublisher(DraftLinks(secrets.token_urlsafe(32), "http://bench.invalid"),
                              default_texts())
    return CoachService.create(url, publisher=publisher)


def run_database(url: str, rounds: int) -> dict[str, dict[str, Tally]]:
    """Measure one database: the small application, the large one, the lists; time progress."""
    columns: dict[str, dict[str, Tally]] = {}
    for label, parts, long in (("3 parts", 3, False), ("50 parts", 50, True)):
        service = service_on(url)
        counting = Counting(service.database.engine)
        officer = Officer(service)
        for words in SETUP:
            officer.say(words)
        found = measure(officer, counting, parts=parts, long=long)
        found.update(measure_lists(officer, counting))
        columns[label] = found
        if parts == 50:
            time_progress(officer, service, rounds)
        service.database.dispose()
    return columns


def time_progress(officer: Officer, service: CoachService, rounds: int) -> None:
    """Time progress on the 50-part application against a bare SELECT 1, interleaved."""
    officer.say("ข้อ 3")  # the chat answering again
    engine = service.database.engine

    def anchor() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def progress() -> None:
        officer.say("ความคืบหน้า")

    progress()  # the first one fills whatever caches there are
    times: dict[str, list[float]] = {"progress": [], "anchor": []}
    for index in range(rounds):
        pair = [("progress", progress), ("anchor", anchor)]
        for name, call in (pair if index % 2 == 0 else pair[::-1]):
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    p, a = statistics.median(times["progress"]), statistics.median(times["anchor"])
    print(f"  progress after 50 parts: median {p:.2f} ms; SELECT 1 anchor median {a:.3f} ms; "
          f"ratio {p / a:.1f}x ({rounds} rounds, interleaved)")
    cache = getattr(service.coach.analyzer, "stats", None)
    if callable(cache):
        print(f"  analysis cache: {cache()}")


def print_table(name: str, columns: dict[str, dict[str, Tally]]) -> None:
    """Print statements per event per column."""
    labels = list(columns)
    events = list(columns[labels[0]])
    print(f"\n{name}: statements per event (tx: BEGIN/COMMIT/... statements + DBAPI commits)")
    print(f"  {'event':<12}" + "".join(f"{label:>30}" for label in labels))
    for event_name in events:
        print(f"  {event_name:<12}" + "".join(f"{columns[label][event_name].row():>30}"
                                            for label in labels))
    big = columns[labels[-1]]
    print("  by kind (50 parts): " + "; ".join(
        f"{e} {dict(t.kinds)}" for e, t in big.items()))


@contextmanager
def postgres_schema() -> Iterator[str]:
    """Yield the URL of a fresh PostgreSQL schema, dropped afterwards."""
    base = os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    """Measure SQLite, then PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with TemporaryDirectory() as folder:
        print("SQLite")
        sqlite = run_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", args.rounds)
        print_table("SQLite", sqlite)
    if not args.no_postgres:
        with postgres_schema() as url:
            print("\nPostgreSQL")
            print_table("PostgreSQL", run_database(url, args.rounds))


if __name__ == "__main__":
    main()
