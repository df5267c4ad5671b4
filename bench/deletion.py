"""How long "delete my data" takes on an empty database and on one with 400,000 parts.

    python bench/deletion.py [--db sqlite|postgres|both] [--parts 400000] [--rounds 9]

For each database kind, two databases: one holding nothing but the schema, one holding
``--parts`` answer parts of other tenants (1,000 groups and 1,000 1:1 chats, 13 answers per
application). Each round gives both databases one new member with the same footprint (a
1:1 application with 13 answers, parts in two groups, a group application they named, a
set-aside message in a third group), then deletes that member on each, the two interleaved
(alternating which goes first), as the store does it for "ลบข้อมูลของฉัน": one transaction
with the row locks, the commit and, on SQLite, the WAL checkpoint. Prints the median and
the spread of each, and their ratio. PostgreSQL: ``TEST_POSTGRES_URL`` or the local server
(a schema is created and dropped here).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, insert, text  # noqa: E402 - after the path is set

from bot.store import Database, chat_store  # noqa: E402
from bot.store.models import Answer, AnswerPart, Application, Owner  # noqa: E402

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
PART_TEXT = ("ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที ผู้รับบริการพึงพอใจร้อยละ 92 "
             "โดยเชื่อมข้อมูลกับกรมการปกครองผ่านระบบกลาง") * 2
QUESTIONS = 13
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def fill(database: Database, parts: int) -> int:
    """Store about ``parts`` parts of other tenants, in bulk; return how many."""
    owners = [(f"Cbench{i:05d}", "group") for i in range(1000)] + [
        (f"Ubench{i:05d}", "user") for i in range(1000)]
    per_answer = max(1, parts // (len(owners) * QUESTIONS))
    with database.engine.begin() as connection:
        connection.execute(insert(Owner), [
            {"id": owner, "kind": kind, "state": "answering", "context": {},
             "created_at": T0, "updated_at": T0} for owner, kind in owners])
        connection.execute(insert(Application), [
            {"id": index + 1, "owner_id": owner, "created_by": f"Uother{index:05d}",
             "track": "public_service", "year": 2564, "category": "1.1",
             "title": f"โครงการ {index}", "current_question": 1, "status": "draft",
             "created_at": T0, "updated_at": T0} for index, (owner, _) in enumerate(owners)])
        connection.execute(insert(Answer), [
            {"id": app * QUESTIONS + q + 1, "application_id": app + 1, "question": q + 1,
             "status": "answered", "revision": 1, "updated_at": T0}
            for app in range(len(owners)) for q in range(QUESTIONS)])
    rows = []
    for answer in range(1, len(owners) * QUESTIONS + 1):
        for part in range(per_answer):
            rows.append({"answer_id": answer, "revision": 1, "author_id": f"Uauth{answer % 3000}",
                         "text": PART_TEXT, "words": 30,
                         "sent_at": T0 + timedelta(seconds=part), "created_at": T0})
            if len(rows) == 20_000:
                _insert_parts(database, rows)
                rows = []
    _insert_parts(database, rows)
    if not database.is_sqlite:
        with database.engine.begin() as connection:
            for table in ("applications", "answers"):  # ids were given: move the sequences on
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                                        f" (SELECT max(id) FROM {table}))"))
            connection.execute(text("ANALYZE"))
    return per_answer * len(owners) * QUESTIONS


def _insert_parts(database: Database, rows: list[dict[str, object]]) -> None:
    """Insert a batch of parts."""
    if rows:
        with database.engine.begin() as connection:
            connection.execute(insert(AnswerPart), rows)


def seed_member(database: Database, member: str) -> None:
    """Give ``member`` the same footprint in any database."""
    groups = [f"Cmember{member}{n}" for n in range(3)]
    with chat_store(database, member, "user") as store:
        own = store.create_application(track="public_service", year=2564, category="1.1",
                                       title="โครงการของฉัน", created_by=member, at=T0)
        for question in range(1, QUESTIONS + 1):
            store.append_part(own.id, question, author=member, text=PART_TEXT, words=30,
                              at=T0)
    for index, group in enumerate(groups):
        with chat_store(database, group, "group") as store:
            app = store.create_application(
                track="public_service", year=2564, category="1.2", title="โครงการกลุ่ม",
                created_by=member if index == 0 else "Uothermember", at=T0)
            for question in (1, 2):
                store.append_part(app.id, question, author=member, text=PART_TEXT, words=30,
                                  at=T0)
                store.append_part(app.id, question, author="Uothermember", text=PART_TEXT,
                                  words=30, at=T0)
            conversation = store.conversation()
            conversation.context = {"pending_text": {member: {"text": "ถัดไบ"}}}
            store.save_conversation(conversation, at=T0)


def delete_member(database: Database, member: str) -> float:
    """Delete ``member``'s data as "delete my data" does; return the seconds it took."""
    started = time.perf_counter()
    with chat_store(database, member, "user") as store:
        store.delete_user_data(member, placeholder="(ลบแล้ว)")
    return time.perf_counter() - started


@contextmanager
def databases(kind: str) -> Iterator[tuple[Database, Database]]:
    """Yield an empty database and a full one of ``kind``, removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            pair = (Database(f"sqlite:///{folder}/empty.sqlite3"),
                    Database(f"sqlite:///{folder}/full.sqlite3"))
            yield pair
            for database in pair:
                database.dispose()
        return
    base = os.environ.get("TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    admin = create_engine(base)
    schemas = [f"bench_{uuid.uuid4().hex[:10]}" for _ in range(2)]
    with admin.begin() as connection:
        for schema in schemas:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    pair = tuple(Database(f"{base}?options=-csearch_path%3D{schema}") for schema in schemas)
    try:
        yield pair  # type: ignore[misc]
    finally:
        for database in pair:
            database.dispose()
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(kind: str, parts: int, rounds: int) -> None:
    """Measure one database kind and print the figures."""
    with databases(kind) as (empty, full):
        for database in (empty, full):
            database.upgrade()
        started = time.perf_counter()
        stored = fill(full, parts)
        print(f"{kind}: {stored:,} parts stored in {time.perf_counter() - started:.1f} s")
        timings: dict[str, list[float]] = {"empty": [], "full": []}
        for round_ in range(rounds):
            member = f"Umember{round_:04d}"
            seed_member(empty, member)
            seed_member(full, member)
            order = [("empty", empty), ("full", full)]
            for name, database in order if round_ % 2 == 0 else reversed(order):
                timings[name].append(delete_member(database, member))
        for name in ("empty", "full"):
            values = sorted(timings[name])
            print(f"  {name:5}: median {statistics.median(values) * 1000:7.1f} ms "
                  f"(min {values[0] * 1000:.1f}, max {values[-1] * 1000:.1f}, {rounds} rounds)")
        ratio = statistics.median(timings["full"]) / statistics.median(timings["empty"])
        print(f"  full / empty: {ratio:.2f}")


def main() -> int:
    """Parse the arguments and measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--parts", type=int, default=400_000)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        run(kind, args.parts, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
