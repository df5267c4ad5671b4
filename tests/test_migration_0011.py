"""Migration 0011: each part's length is kept by the database, and sums read an index.

An answer's length was ``sum(length(text))`` over its parts, which read every part's text
on every message. ``answer_parts.chars`` is a stored generated column (``length(text)``) and
``ix_answer_parts_counts`` holds (answer, revision, words, chars). On SQLite the table is
rebuilt to add the column, which drops a table's triggers: migration 0008's trigger must be
there afterwards. These tests run the migration over stored parts and back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.dialects import sqlite

from bot.store import Database
from bot.store.repository import CHAT_STATE_QUERIES

SENT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LONG = "เดิมประชาชนต้องเดินทางมายื่นคำขออนุญาต 3 ครั้ง " * 25


def _schema(database: Database) -> dict[str, Any]:
    """Return answer_parts' columns and indexes, and whether 0008's trigger is there."""
    with database.engine.connect() as connection:
        found = inspect(connection)
        columns = {c["name"] for c in found.get_columns("answer_parts")}
        indexes = {i["name"]: tuple(i["column_names"]) for i in found.get_indexes("answer_parts")}
        keys = [(k["referred_table"], tuple(k["constrained_columns"]), k["options"])
                for k in found.get_foreign_keys("answer_parts")]
        if database.is_sqlite:
            trigger = connection.scalar(text(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name = 'answer_parts_touch_answer' AND tbl_name = 'answer_parts'"))
        else:
            trigger = connection.scalar(text(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'answer_parts_touch_answer' "
                "AND tgrelid = 'answer_parts'::regclass"))  # this schema's table, no other
    return {"columns": columns, "indexes": indexes, "keys": keys, "trigger": trigger}


def _answer(connection: Any) -> int:
    """Store a chat, an application and an empty answer; return the answer's id."""
    connection.execute(text(
        "INSERT INTO owners (id, kind, state, context, created_at, updated_at) "
        "VALUES ('U1', 'user', 'answering', '{}', :at, :at)"), {"at": SENT})
    connection.execute(text(
        "INSERT INTO applications (owner_id, track, year, category, title, current_question, "
        "status, created_at, updated_at) VALUES ('U1', 'public_service', 2569, '1.1', 'ทดสอบ', "
        "1, 'draft', :at, :at)"), {"at": SENT})
    application = connection.scalar(text("SELECT max(id) FROM applications"))
    connection.execute(text(
        "INSERT INTO answers (application_id, question, status, revision, updated_at) "
        "VALUES (:application, 1, 'empty', 1, :at)"), {"application": application, "at": SENT})
    return int(connection.scalar(text("SELECT max(id) FROM answers")))


def _add_part(connection: Any, answer: int, words: str, sent: datetime) -> None:
    connection.execute(text(
        "INSERT INTO answer_parts (answer_id, revision, text, words, sent_at, created_at) "
        "VALUES (:answer, 1, :text, 3, :sent, :sent)"),
        {"answer": answer, "text": words, "sent": sent})


def test_parts_stored_before_the_migration_get_their_length_and_the_trigger_stays(database):
    from alembic import command
    fresh = _schema(database)
    command.downgrade(database.alembic_config(), "0010")
    before = _schema(database)
    with database.engine.begin() as connection:
        answer = _answer(connection)
        for words in ("สั้น", LONG, "ร้อยละ 92 จาก 1,250 ราย"):
            _add_part(connection, answer, words, SENT)
    database.upgrade()
    after = _schema(database)
    later = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    with database.engine.begin() as connection:
        _add_part(connection, answer, "ข้อความหลังย้ายฐานข้อมูล", later)  # the trigger's work
        lengths = connection.execute(text(
            "SELECT chars, length(text) FROM answer_parts ORDER BY id")).all()
        status, touched = connection.execute(text(
            "SELECT status, updated_at FROM answers WHERE id = :id"), {"id": answer}).one()
    assert "chars" not in before["columns"] and before["trigger"] == 1
    assert after == fresh
    assert after["indexes"]["ix_answer_parts_counts"] == ("answer_id", "revision", "words",
                                                          "chars")
    assert after["trigger"] == 1
    assert before["indexes"].items() <= after["indexes"].items()  # the rebuild kept them all
    assert after["keys"] == before["keys"] == [("answers", ("answer_id",), {"ondelete": "CASCADE"})]
    assert [chars for chars, _ in lengths] == [4, len(LONG), len("ร้อยละ 92 จาก 1,250 ราย"),
                                              len("ข้อความหลังย้ายฐานข้อมูล")]
    assert all(chars == length for chars, length in lengths)
    assert status == "answered" and str(touched).startswith("2026-12-03")


def test_an_edited_part_s_length_follows_its_text(database):
    with database.engine.begin() as connection:
        answer = _answer(connection)
        _add_part(connection, answer, LONG, SENT)
        connection.execute(text("UPDATE answer_parts SET text = 'แก้แล้ว'"))
        chars = connection.scalar(text("SELECT chars FROM answer_parts"))
    assert chars == len("แก้แล้ว")


def test_the_downgrade_drops_the_column_and_the_index_and_keeps_the_trigger(database):
    from alembic import command
    command.downgrade(database.alembic_config(), "0010")
    schema = _schema(database)
    assert "chars" not in schema["columns"]
    assert "ix_answer_parts_counts" not in schema["indexes"]
    assert schema["trigger"] == 1


def test_locking_a_chat_sums_its_answer_from_the_counts_index(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'plan.db'}")
    database.upgrade()
    compiled = CHAT_STATE_QUERIES["sqlite"].compile(dialect=sqlite.dialect())
    values = [("U1" if name == "chat_id" else compiled.params[name])
              for name in compiled.positiontup or []]
    with database.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        cursor.execute("EXPLAIN QUERY PLAN " + str(compiled), values)
        plan = [row[-1] for row in cursor.fetchall()]
    database.dispose()
    sums = [line for line in plan if "answer_parts" in line]
    assert len(sums) == 3, plan
    assert all("ix_answer_parts_counts" in line for line in sums), plan
