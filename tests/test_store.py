"""The SQL store on SQLite and PostgreSQL: its tables, exports, migrations and defaults.

What every store must do (parts, revisions, ownership, deletion, duplicate events) is in
tests/test_store_contract.py, which runs on SQLite and PostgreSQL as well as in memory;
here is what only the databases have: rows in tables, exports, the schema.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from bot.coach.ports import Conversation
from bot.store import Database, DuplicateEvent, answer_versions, chat_store, export_owner
from bot.store.models import AnswerPart, Owner, ProcessedEvent

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def new_application(database, owner="U1", kind="user"):
    with chat_store(database, owner, kind) as store:
        return store.create_application(track="public_service", year=2564, category="1.1",
                                        title="โครงการทดสอบ", created_by="U1", at=T0).id


def test_the_export_joins_parts_in_the_order_they_were_sent_not_stored(database):
    app = new_application(database)
    for text, seconds in [("สาม", 30), ("หนึ่ง", 10), ("สอง", 20)]:
        with chat_store(database, "U1", "user") as store:
            store.append_part(app, 1, author="U1", text=text, words=1,
                              at=T0 + timedelta(seconds=seconds))
    assert export_owner(database, "U1")["applications"][0]["answers"] == {"1": "หนึ่ง\nสอง\nสาม"}


def test_answer_versions_lists_every_revision_oldest_first(database):
    app = new_application(database)
    with chat_store(database, "U1", "user") as store:
        store.append_part(app, 2, author="U1", text="ฉบับแรก", words=1, at=T0)
        store.replace_answer(app, 2, author="U1", text="ฉบับสอง", words=1, at=T0 + timedelta(1))
        current = store.answers(app)[2]
    assert (current.text, current.revision) == ("ฉบับสอง", 2)
    assert answer_versions(database, "U1", 2) == [["ฉบับแรก", "ฉบับสอง"]]


def test_a_repeated_event_id_leaves_one_processed_event_row(database):
    app = new_application(database)
    with chat_store(database, "U1", "user", event_id="01EVENT") as store:
        store.append_part(app, 1, author="U1", text="ครั้งเดียว", words=1, at=T0)
    with pytest.raises(DuplicateEvent):
        with chat_store(database, "U1", "user", event_id="01EVENT") as store:
            store.append_part(app, 1, author="U1", text="ซ้ำ", words=1, at=T0)
    assert export_owner(database, "U1")["applications"][0]["answers"] == {"1": "ครั้งเดียว"}
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(ProcessedEvent)) == 1


def test_deleting_a_user_removes_their_owner_row_and_part_rows(database):
    own = new_application(database, owner="U1")
    team = new_application(database, owner="Cteam", kind="group")
    with chat_store(database, "Cteam", "group") as store:
        store.append_part(team, 1, author="U1", text="ของหนึ่ง", words=1, at=T0)
        store.append_part(team, 1, author="U2", text="ของสอง", words=1,
                          at=T0 + timedelta(seconds=1))
        store.replace_answer(team, 2, author="U1", text="ข้อสองของหนึ่ง", words=1, at=T0)
    with chat_store(database, "U1", "user") as store:
        store.append_part(own, 1, author="U1", text="ส่วนตัว", words=1, at=T0)
        store.delete_user_data("U1")
    with database.session() as session:
        assert session.get(Owner, "U1") is None
        assert session.scalars(select(AnswerPart).where(AnswerPart.author_id == "U1")).all() == []
    team_export = export_owner(database, "Cteam")["applications"][0]
    assert team_export["answers"] == {"1": "ของสอง"}
    with chat_store(database, "Cteam", "group") as store:
        assert store.answers(team)[2].status == "empty"
        assert store.application(team).created_by is None


def test_the_schema_matches_the_models(database):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from bot.store.models import Base

    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert database.is_up_to_date()


def test_migration_0003_adds_the_part_message_columns_and_takes_them_back(database):
    from alembic import command

    def columns() -> set[str]:
        with database.engine.connect() as connection:
            return {c["name"] for c in inspect(connection).get_columns("answer_parts")}

    added = {"message_id", "quote_token", "edited_at"}
    assert added <= columns()
    command.downgrade(database.alembic_config(), "0002")
    assert not added & columns()
    database.upgrade()
    assert added <= columns()


def test_migration_0004_adds_the_contact_and_award_year_and_takes_them_back(database):
    from alembic import command

    def columns() -> set[str]:
        with database.engine.connect() as connection:
            return {c["name"] for c in inspect(connection).get_columns("applications")}

    added = {"contact", "award_year"}
    assert added <= columns()
    command.downgrade(database.alembic_config(), "0003")
    assert not added & columns()
    assert "agency" in columns()
    database.upgrade()
    assert added <= columns()


@pytest.mark.slow
def test_two_processes_migrating_a_fresh_database_at_once_do_not_race(database_url):
    script = ("import sys; from bot.store import Database; "
              "Database(sys.argv[1]).upgrade(); print('ok')")
    processes = [subprocess.Popen([sys.executable, "-c", script, database_url], cwd=ROOT,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(3)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0], [err for _, err in results]
    database = Database(database_url)
    assert database.is_up_to_date()
    assert "owners" in inspect(database.engine).get_table_names()
    database.dispose()


def test_the_default_database_is_sqlite_in_wal_mode_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = Database()
    assert database.url.startswith("sqlite:///") and "/instance/" in database.url
    memo = Database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with memo.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    memo.dispose()
    database.dispose()


@pytest.mark.postgres
def test_deleting_a_member_keeps_what_another_event_committed_to_a_groups_context(postgres_url):
    """Delete-my-data rewrites group contexts under the rows' locks, never from a stale read."""
    import threading
    import time

    from sqlalchemy import text

    database = Database(postgres_url)
    database.upgrade()
    with chat_store(database, "Cteam", "group") as store:
        conversation = store.conversation()
        conversation.context = {"edits": {"U1": {"question": 2}, "U2": {"question": 5}}}
        store.save_conversation(conversation, at=T0)

    def waiting_on_a_lock() -> bool:
        with database.engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND datname = current_database()")).scalar())

    deletion = threading.Thread(target=lambda: _delete_in_own_chat(database, "U1"))
    with chat_store(database, "Cteam", "group") as store:   # U2's event holds the group
        conversation = store.conversation()
        conversation.context = {"edits": {"U1": {"question": 2}, "U2": {"question": 7}}}
        store.save_conversation(conversation, at=T0 + timedelta(seconds=1))
        store.session.flush()
        deletion.start()
        deadline = time.monotonic() + 30
        while not waiting_on_a_lock() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert waiting_on_a_lock(), "the deletion never waited for the group's lock"
    deletion.join(timeout=60)
    with chat_store(database, "Cteam", "group") as store:
        assert store.conversation().context == {"edits": {"U2": {"question": 7}}}
    database.dispose()


def _delete_in_own_chat(database: Database, user_id: str) -> None:
    """Confirm delete-my-data in the member's own chat."""
    with chat_store(database, user_id, "user") as store:
        store.delete_user_data(user_id)


def test_a_database_error_never_carries_the_values_it_was_given(database):
    from sqlalchemy.exc import IntegrityError

    secret = "ข้อความของเจ้าหน้าที่ 0812345678"
    now = datetime.now(UTC)
    with database.sessions() as session:
        session.add(ProcessedEvent(event_id="ev-1", received_at=now))
        session.commit()
    with database.sessions() as session, pytest.raises(IntegrityError) as raised:
        session.add(Owner(id=secret[:20], kind="user", state="new", context={"x": secret},
                          created_at=now, updated_at=now))
        session.add(ProcessedEvent(event_id="ev-1", received_at=now))
        session.commit()
    # PostgreSQL's own detail names the conflicting key (the event id); the statement's other
    # values — here an id and a context holding text — are never written into the error.
    assert secret[:20] not in str(raised.value) and "0812345678" not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)


def test_the_lock_read_gives_the_chat_and_its_application_as_loaded_rows_that_write_changes(
        database):
    app = new_application(database)
    with chat_store(database, "U1", "user") as store:
        store.save_conversation(Conversation(chat_id="U1", chat_type="user", state="answering",
                                             application_id=app, context={}, updated_at=T0),
                                at=T0)
    with chat_store(database, "U1", "user") as store:
        owner, application = store.owner, store._rows[app]
        states = [inspect(owner), inspect(application)]
        assert [(state.persistent, state.modified) for state in states] == [(True, False)] * 2
        assert (owner.state, application.current_question, application.title) == (
            "answering", 1, "โครงการทดสอบ")
        assert not store.session.dirty and not store.session.new
        store.set_current_question(app, 4, at=T0 + timedelta(minutes=1))
    with chat_store(database, "U1", "user") as store:
        assert store.application(app).current_question == 4
        assert [a.id for a in store.owner.applications] == [app]  # relationships load lazily
