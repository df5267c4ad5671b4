"""Migration 0002 counts the words of stored parts the same way whenever it is replayed."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest
from alembic import command
from sqlalchemy import Connection, text

import bot.analysis
import bot.analysis.tokens
from bot.store import Database
from bot.store.database import MIGRATIONS_DIR

#: Thai sentences and their word counts on 2026-11-24 (PyThaiNLP 5.4.0, nlpo3 1.4.0),
#: when the migration was written: the numbers it must give forever.
FROZEN_COUNTS = [
    ("ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที", 10),
    ("ผู้รับบริการพึงพอใจร้อยละ 92", 5),
    ("ประชาชน 1,250 รายใช้บริการในปี 2564 ผ่านระบบขออนุญาตขุดดินออนไลน์", 14),
    ("หน่วยงานต่าง ๆ ร่วมกันพัฒนา (ระยะที่ 1) เพื่อให้บริการได้รวดเร็วขึ้น!", 12),
    ("เราทำงานกันอย่างหนัก😀 เพื่อประชาชน\n\nและชุมชน", 9),
    ("ทดสอบ\ud800ข้อความ", 2),
    ("   ", 0),
    ("", 0),
]
T0 = datetime(2026, 11, 1, tzinfo=UTC)


def load_migration() -> ModuleType:
    """Import the migration file the way Alembic does, as a module of its own."""
    path = MIGRATIONS_DIR / "versions" / "0002_part_words.py"
    spec = importlib.util.spec_from_file_location("migration_0002", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("sentence", "words"), FROZEN_COUNTS)
def test_the_migration_counts_words_as_on_the_day_it_was_written(sentence: str, words: int) -> None:
    assert load_migration().count_words(sentence) == words


def test_the_migration_does_not_follow_the_live_tokenizer(monkeypatch: pytest.MonkeyPatch) -> None:
    def changed_tokenizer(text: str) -> list[str]:
        raise AssertionError("the migration used the live tokenizer")

    monkeypatch.setattr(bot.analysis.tokens, "tokenize", changed_tokenizer)
    monkeypatch.setattr(bot.analysis, "word_count", lambda text: -1)
    counts = [load_migration().count_words(sentence) for sentence, _ in FROZEN_COUNTS]
    assert counts == [words for _, words in FROZEN_COUNTS]


def test_upgrading_a_database_with_answers_stores_the_frozen_counts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.analysis, "word_count", lambda text: -1)
    database = Database(f"sqlite:///{tmp_path / 'at-0001.sqlite3'}")
    command.upgrade(database.alembic_config(), "0001")
    storable = [(sentence, words) for sentence, words in FROZEN_COUNTS if is_storable(sentence)]
    with database.engine.begin() as connection:
        insert_answer(connection)
        for sentence, _ in storable:
            connection.execute(text(
                "INSERT INTO answer_parts (answer_id, revision, text, sent_at, created_at) "
                "VALUES (1, 1, :text, :at, :at)"), {"text": sentence, "at": T0})
    database.upgrade()
    with database.engine.connect() as connection:
        stored = connection.execute(text("SELECT words FROM answer_parts ORDER BY id")).scalars()
        assert list(stored) == [words for _, words in storable]
    database.dispose()


def insert_answer(connection: Connection) -> None:
    """Store one owner, one application and one answer in the schema of revision 0001."""
    connection.execute(text(
        "INSERT INTO owners (id, kind, state, context, created_at, updated_at) "
        "VALUES ('U1', 'user', 'idle', '{}', :at, :at)"), {"at": T0})
    connection.execute(text(
        "INSERT INTO applications (owner_id, track, year, category, title, current_question, "
        "status, created_at, updated_at) "
        "VALUES ('U1', 'public_service', 2564, '1.1', 'ระบบคิว', 1, 'open', :at, :at)"),
        {"at": T0})
    connection.execute(text(
        "INSERT INTO answers (application_id, question, status, revision, updated_at) "
        "VALUES (1, 1, 'answered', 1, :at)"), {"at": T0})


def is_storable(sentence: str) -> bool:
    """Tell whether a database can hold ``sentence`` (no lone surrogate: the bot cleans those)."""
    try:
        sentence.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
