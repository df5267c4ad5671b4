"""Retention: unfollow and leave create nothing, ended chats, old event ids and idle
applications go when the policy says, the purge runs once at a time, and the wording says so.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import MEMORY, Chat
from sqlalchemy import func, inspect, select, text

from bot.cli import main
from bot.coach.messages import Event
from bot.coach.ports import NoSuchChat
from bot.coach.texts import default_texts
from bot.purging import PeriodicPurge, idle_notice, interval_hours, with_retention
from bot.store import Database
from bot.store.models import Application, Owner, ProcessedEvent
from bot.store.retention import (
    IdleApplication,
    RetentionPolicy,
    _purge_lock,
    purge,
    retention_policy,
)

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def chat_event(chat: Chat, kind: str, *, user: str = "U1", group: str | None = None,
               at: datetime | None = None) -> list[Any]:
    """Send a follow, unfollow, join or leave event; return the replies."""
    event = Event(user_id=user if kind in ("follow", "unfollow") else None,
                  chat_id=group or user, chat_type="group" if group else "user",
                  kind=kind, timestamp=at or chat.clock.tick(),  # type: ignore[arg-type]
                  event_id=uuid.uuid4().hex)
    return chat.service.process(event).replies


def stored_chats(chat: Chat) -> set[str]:
    """Return the ids of the chats the store holds."""
    if chat.memory is not None:
        return set(chat.memory.chats)
    with chat.service.database.session() as session:
        return set(session.scalars(select(Owner.id)))


def event_ids(chat: Chat) -> int:
    """Return how many processed event ids the store holds."""
    if chat.memory is not None:
        return len(chat.memory.events)
    with chat.service.database.session() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0


def ended_at(chat: Chat, chat_id: str) -> datetime | None:
    """Return when the store says the chat ended."""
    with chat.service.stores.open(chat_id, "user", create=False) as store:
        return store.conversation().ended_at


def start_application(chat: Chat, *, user: str = "U1", group: str | None = None) -> None:
    """Start an application with one answer."""
    for line in ("เริ่ม", "1.1", "โครงการเก็บรักษา", "คำตอบที่ต้องลบตามกำหนด"):
        chat.say(line, user=user, group=group)


# Unfollow and leave ------------------------------------------------------------------------

def removing_event(kind: str, chat_id: str, **fields: Any) -> Event:
    """Build an event that only takes something away, in chat ``chat_id``."""
    in_group = chat_id.startswith("C")
    return Event(user_id=None if kind in ("leave", "member_left") else "U9", chat_id=chat_id,
                 chat_type="group" if in_group else "user", kind=kind,  # type: ignore[arg-type]
                 timestamp=T0, event_id=uuid.uuid4().hex, **fields)


REMOVING = [("unfollow", "U9", {}), ("leave", "C9", {}),
            ("member_left", "C8", {"members": ("U7",)}),
            ("unsend", "C7", {"message_id": "M1"}), ("unsend", "U6", {"message_id": "M2"})]


def test_an_event_that_only_removes_stores_nothing_for_a_chat_never_seen(any_chat):
    for kind, chat_id, fields in REMOVING:
        assert any_chat.service.process(removing_event(kind, chat_id, **fields)).replies == []
    assert (stored_chats(any_chat), event_ids(any_chat)) == (set(), 0)


def test_a_member_leaving_a_group_that_exists_is_kept_as_processed(any_chat):
    start_application(any_chat, group="C8")
    before = event_ids(any_chat)
    left = removing_event("member_left", "C8", members=("U7",))
    any_chat.service.process(left)
    again = any_chat.service.process(left)
    assert (event_ids(any_chat), again.duplicate) == (before + 1, True)


def test_an_unfollow_after_deleting_my_data_does_not_bring_the_chat_back(any_chat):
    start_application(any_chat)
    any_chat.say("ลบข้อมูลของฉัน")
    any_chat.say("ยืนยัน")
    assert "U1" not in stored_chats(any_chat)
    chat_event(any_chat, "unfollow")
    assert "U1" not in stored_chats(any_chat)


def test_an_unfollow_marks_the_chat_ended_and_a_follow_brings_it_back(any_chat):
    start_application(any_chat)
    left = any_chat.clock.tick()
    chat_event(any_chat, "unfollow", at=left)
    assert ended_at(any_chat, "U1") == left
    greeting = chat_event(any_chat, "follow")
    assert greeting and ended_at(any_chat, "U1") is None
    assert any_chat.export()["applications"][0]["title"] == "โครงการเก็บรักษา"


def test_a_leave_marks_the_group_ended_and_a_join_brings_it_back(any_chat):
    start_application(any_chat, group="Cteam")
    left = any_chat.clock.tick()
    chat_event(any_chat, "leave", group="Cteam", at=left)
    with any_chat.service.stores.open("Cteam", "group", create=False) as store:
        assert store.conversation().ended_at == left
    chat_event(any_chat, "join", group="Cteam")
    with any_chat.service.stores.open("Cteam", "group", create=False) as store:
        assert store.conversation().ended_at is None


# Purging ended chats and event ids ---------------------------------------------------------

def every_value(database: Database) -> list[str]:
    """Return every value of every row of every table, as text."""
    values: list[str] = []
    with database.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(str(value) for value in row)
    return values


def test_after_an_unfollow_and_the_period_nothing_of_the_user_remains(chat):
    start_application(chat, user="Ugone")
    start_application(chat, user="Ustays")
    left = chat.clock.tick()
    chat_event(chat, "unfollow", user="Ugone", at=left)
    database = chat.service.database
    policy = RetentionPolicy(ended_days=30)
    early = purge(database, policy, now=left + timedelta(days=29))
    assert early.ended_chats == 0 and "Ugone" in every_value(database)
    late = purge(database, policy, now=left + timedelta(days=31))
    values = every_value(database)
    assert late.ended_chats == 1
    assert not [v for v in values if "Ugone" in v]
    assert sum("คำตอบที่ต้องลบตามกำหนด" in v for v in values) == 1   # Ustays's answer
    assert chat.export("Ustays")["applications"][0]["title"] == "โครงการเก็บรักษา"


def test_a_chat_followed_again_before_the_period_is_kept(chat):
    start_application(chat)
    chat_event(chat, "unfollow", at=T0)
    chat_event(chat, "follow", at=T0 + timedelta(days=10))
    report = purge(chat.service.database, RetentionPolicy(ended_days=30),
                   now=T0 + timedelta(days=60))
    assert report.ended_chats == 0
    assert len(chat.export()["applications"]) == 1


def add_events(database: Database, count: int, received: datetime) -> None:
    """Store ``count`` processed event ids received at ``received``."""
    with database.session() as session:
        session.add_all(ProcessedEvent(event_id=uuid.uuid4().hex, received_at=received)
                        for _ in range(count))


def test_event_ids_older_than_the_window_are_purged_in_batches(database_url):
    database = Database(database_url)
    database.upgrade()
    now = datetime.now(UTC)
    add_events(database, 7, now - timedelta(days=4))
    add_events(database, 2, now - timedelta(days=2))
    report = purge(database, RetentionPolicy(event_days=3, batch=3), now=now)
    with database.session() as session:
        left = session.scalar(select(func.count()).select_from(ProcessedEvent))
    database.dispose()
    assert (report.events, left) == (7, 2)


# Idle applications -------------------------------------------------------------------------

IDLE = RetentionPolicy(idle_days=30, notice_days=5)


def idle_chat(database_url: str) -> tuple[Chat, Database]:
    """Return a chat with one application started at the clock's T0."""
    chat = Chat(database_url)
    start_application(chat)
    return chat, chat.service.database


def test_idle_applications_are_kept_when_no_one_can_be_told(database_url):
    chat, database = idle_chat(database_url)
    report = purge(database, IDLE, now=T0 + timedelta(days=400))
    assert (report.notices, report.idle_applications) == (0, 0)
    assert len(chat.export()["applications"]) == 1
    chat.close()


def test_an_idle_application_goes_only_after_its_chat_was_told(database_url):
    chat, database = idle_chat(database_url)
    told: list[tuple[str, list[str]]] = []

    def notify(chat_id: str, applications) -> bool:
        told.append((chat_id, [a.title for a in applications]))
        return True

    assert purge(database, IDLE, notify=notify, now=T0 + timedelta(days=20)).notices == 0
    assert purge(database, IDLE, notify=notify, now=T0 + timedelta(days=26)).notices == 1
    assert purge(database, IDLE, notify=notify, now=T0 + timedelta(days=27)).notices == 0
    assert purge(database, IDLE, notify=notify,
                 now=T0 + timedelta(days=29)).idle_applications == 0
    gone = purge(database, IDLE, notify=notify, now=T0 + timedelta(days=31))
    assert told == [("U1", ["โครงการเก็บรักษา"])]
    assert (gone.idle_applications, chat.export()["applications"]) == (1, [])
    chat.close()


def test_an_application_changed_after_the_notice_is_kept_and_told_again_later(database_url):
    chat, database = idle_chat(database_url)
    calls: list[str] = []

    def notify(chat_id: str, applications) -> bool:
        calls.append(chat_id)
        return True

    purge(database, IDLE, notify=notify, now=T0 + timedelta(days=26))
    chat.clock.now = T0 + timedelta(days=27)
    chat.say("เพิ่มคำตอบอีกนิด")
    kept = purge(database, IDLE, notify=notify, now=T0 + timedelta(days=31))
    again = purge(database, IDLE, notify=notify, now=T0 + timedelta(days=53))
    assert (kept.idle_applications, again.notices, len(calls)) == (0, 1, 2)
    assert len(chat.export()["applications"]) == 1
    chat.close()


def test_an_idle_application_whose_notice_failed_is_kept(database_url):
    chat, database = idle_chat(database_url)
    for day in (26, 31, 60):
        purge(database, IDLE, notify=lambda chat_id, apps: False, now=T0 + timedelta(days=day))
    assert len(chat.export()["applications"]) == 1
    chat.close()


def test_the_idle_notice_names_the_applications_and_the_buddhist_date(memory_chat):
    texts = memory_chat.service.coach.texts
    notice = idle_notice(texts, [IdleApplication(1, "โครงการก", datetime(2026, 12, 16, 20, 0,
                                                                          tzinfo=UTC))])
    assert '"โครงการก"' in notice and "17/12/2569" in notice   # 03:00 on the 17th in Bangkok


# One purge at a time, the schedule, the settings -------------------------------------------

def test_a_purge_while_another_holds_the_lock_does_nothing(database_url):
    database = Database(database_url)
    database.upgrade()
    add_events(database, 3, datetime.now(UTC) - timedelta(days=10))
    with _purge_lock(database) as held:
        assert held
        report = purge(database, RetentionPolicy())
    after = purge(database, RetentionPolicy())
    database.dispose()
    assert (report.skipped, report.events, after.events) == (True, 0, 3)
    assert report.lines() == ["another purge is running; nothing done"]


def test_the_periodic_purge_starts_one_thread_per_process(sqlite_url):
    database = Database(sqlite_url)
    database.upgrade()
    purger = PeriodicPurge(database, RetentionPolicy(), hours=6)
    # Another test's app may still have its own purge thread running: count only new ones.
    before = {t for t in threading.enumerate() if t.name == "purge"}
    purger.ensure_running()
    purger.ensure_running()
    running = [t for t in threading.enumerate() if t.name == "purge" and t not in before]
    purger.stopped.set()
    for thread in running:
        thread.join(timeout=5)
    database.dispose()
    assert len(running) == 1


def test_the_schedule_is_off_under_test_unless_asked_and_every_six_hours_otherwise():
    assert interval_hours({"TESTING": True}) == 0
    assert interval_hours({"TESTING": True, "PURGE_INTERVAL_HOURS": "0.5"}) == 0.5
    assert interval_hours({}) == 6
    with pytest.raises(ValueError, match="PURGE_INTERVAL_HOURS"):
        interval_hours({"PURGE_INTERVAL_HOURS": "often"})


def test_the_policy_is_read_from_settings_and_refuses_a_late_notice():
    assert retention_policy({"RETENTION_ENDED_DAYS": "7", "PURGE_BATCH": "50"}) == \
        RetentionPolicy(ended_days=7, batch=50)
    with pytest.raises(ValueError, match="RETENTION_IDLE_DAYS"):
        retention_policy({"RETENTION_IDLE_DAYS": "a year"})
    with pytest.raises(ValueError, match="notice"):
        RetentionPolicy(idle_days=10, notice_days=10)


def test_the_greeting_and_help_state_the_periods_in_force(memory_chat):
    policy = RetentionPolicy(ended_days=7, idle_days=90, notice_days=10)
    texts = with_retention(default_texts(), policy)
    for key in ("greeting", "help"):
        line = texts.get(key).splitlines()[-1]
        assert ("7 วัน" in line, "90 วัน" in line, "10 วัน" in line,
                "ลบข้อมูลของฉัน" in line) == (True, True, True, True)
    greeting = memory_chat.say("สวัสดี")
    assert "30 วัน" in greeting and "365 วัน" in greeting and "{" not in greeting


def test_the_memory_store_opens_only_existing_chats_when_asked():
    chat = Chat(MEMORY)
    with pytest.raises(NoSuchChat):
        with chat.service.stores.open("U1", "user", create=False):
            pass
    assert stored_chats(chat) == set()


def test_the_purge_command_applies_the_policy_and_prints_counts_only(
        database_url, capsys, monkeypatch):
    monkeypatch.setenv("RETENTION_ENDED_DAYS", "1")
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    chat, database = idle_chat(database_url)
    chat_event(chat, "unfollow", at=T0)
    add_events(database, 4, datetime.now(UTC) - timedelta(days=30))
    code = main(["--database", database_url, "purge"])
    out = capsys.readouterr().out
    chat.close()
    assert code == 0
    assert "ended chats deleted: 1" in out and "processed event ids deleted: 4" in out
    assert "idle applications kept: no LINE channel access token" in out
    assert "U1" not in out and "โครงการ" not in out
    with Database(database_url).session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0


# The web app: the schedule, the settings, the notice through LINE --------------------------

def test_the_app_purges_only_when_asked_under_test_and_refuses_a_bad_setting(
        database_url, fake_line):
    from line_support import web_config

    from bot.web import ConfigError, create_app

    quiet = create_app(web_config(database_url, fake_line.url))
    assert quiet.extensions["purge"].hours == 0
    quiet.extensions["coaching"].database.dispose()
    asked = create_app(web_config(database_url, fake_line.url, PURGE_INTERVAL_HOURS="12",
                                  RETENTION_ENDED_DAYS="7"))
    purger = asked.extensions["purge"]
    asked.test_client().get("/healthz")
    running = [t for t in threading.enumerate() if t.name == "purge"]
    purger.stopped.set()
    for thread in running:
        thread.join(timeout=5)
    asked.extensions["coaching"].database.dispose()
    assert (purger.hours, purger.policy.ended_days, len(running) >= 1) == (12, 7, True)
    with pytest.raises(ConfigError, match="RETENTION_NOTICE_DAYS"):
        create_app(web_config(database_url, fake_line.url, RETENTION_NOTICE_DAYS="soon"))


def test_the_idle_notice_is_pushed_through_line_to_the_chat(database_url, fake_line):
    from line_support import ACCESS_TOKEN, PUSH_PATH

    from bot.purging import settings_notifier

    chat, database = idle_chat(database_url)
    notify = settings_notifier(default_texts(), {"LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
                                                 "LINE_API_HOST": fake_line.url})
    assert notify is not None
    report = purge(database, IDLE, notify=notify, now=T0 + timedelta(days=26))
    chat.close()
    (push,) = fake_line.requests(PUSH_PATH)
    assert (report.notices, push["to"]) == (1, "U1")
    assert "โครงการเก็บรักษา" in push["messages"][0]["text"]
    assert settings_notifier(default_texts(), {}) is None


def test_an_ended_chat_is_not_told_about_its_idle_applications(database_url):
    chat, database = idle_chat(database_url)
    chat_event(chat, "unfollow", at=T0 + timedelta(days=1))
    told: list[str] = []
    report = purge(database, IDLE, notify=lambda chat_id, apps: told.append(chat_id) or True,
                   now=T0 + timedelta(days=26))
    chat.close()
    assert (report.notices, told) == (0, [])


def test_migration_0005_adds_the_retention_columns_and_takes_them_back(database_url):
    from alembic import command

    database = Database(database_url)
    database.upgrade()
    with database.session() as session:   # a group whose context names a member, from before
        session.add(Owner(id="Cold", kind="group", state="answering",
                          context={"pending_text": {"Uold": {"text": "x"}}},
                          created_at=T0, updated_at=T0))

    def shape() -> tuple[bool, bool, bool]:
        with database.engine.connect() as connection:
            found = inspect(connection)
            return ("ended_at" in {c["name"] for c in found.get_columns("owners")},
                    "chat_members" in found.get_table_names(),
                    "ix_processed_events_received_at" in {
                        i["name"] for i in found.get_indexes("processed_events")})

    assert shape() == (True, True, True)
    command.downgrade(database.alembic_config(), "0004")
    assert shape() == (False, False, False)
    command.upgrade(database.alembic_config(), "0005")
    with database.engine.connect() as connection:
        members = connection.execute(text("SELECT owner_id, user_id FROM chat_members")).all()
    database.upgrade()
    database.dispose()
    assert (shape(), [tuple(m) for m in members]) == ((True, True, True), [("Cold", "Uold")])


# The app's settings reach the wording and the links ----------------------------------------

RETENTION_SETTINGS = ("RETENTION_ENDED_DAYS", "RETENTION_IDLE_DAYS", "RETENTION_NOTICE_DAYS")


def test_retention_settings_given_to_create_app_reach_the_greeting(
        database_url, fake_line, monkeypatch):
    from line_support import follow_event, post_events, web_config

    from bot.web import create_app

    for name in RETENTION_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    built = create_app(web_config(database_url, fake_line.url, RETENTION_ENDED_DAYS="9",
                                  RETENTION_IDLE_DAYS="120", RETENTION_NOTICE_DAYS="11"))
    post_events(built.test_client(), follow_event())
    built.extensions["coaching"].database.dispose()
    line = fake_line.texts()[-1].splitlines()[-1]
    assert ("9 วัน" in line, "120 วัน" in line, "11 วัน" in line, "30 วัน" in line) == (
        True, True, True, False)


def test_one_link_lifetime_reaches_the_card_the_signer_and_the_rows_the_purge_drops(
        database_url, fake_line):
    from line_support import post_events, text_event, web_config

    from bot.store.models import DraftLink
    from bot.web import create_app

    built = create_app(web_config(database_url, fake_line.url, LINK_MAX_AGE_DAYS="2"))
    client = built.test_client()
    for line in ("เริ่ม", "1.1", "โครงการลิงก์สั้น", "ดูร่าง"):
        post_events(client, text_event(line))
    database = built.extensions["coaching"].database
    with database.session() as session:
        (row,) = session.scalars(select(DraftLink)).all()
        issued, lifetime = row.created_at, row.expires_at - row.created_at
    (card,) = [m for m in fake_line.requests()[-1]["messages"] if m["type"] == "flex"]
    kept = purge(database, RetentionPolicy(), now=issued + timedelta(days=1))
    dropped = purge(database, RetentionPolicy(), now=issued + timedelta(days=2, minutes=1))
    database.dispose()
    assert (lifetime, built.extensions["drafts"].links.max_age) == (timedelta(days=2),) * 2
    assert "ใช้ได้ 2 วัน" in json.dumps(card, ensure_ascii=False)
    assert (kept.links, dropped.links) == (0, 1)
    assert "expired draft link rows deleted: 1" in dropped.lines()


def test_expired_link_rows_are_purged_in_batches_and_live_ones_kept(database_url):
    from bot.store import chat_store
    from bot.store.models import DraftLink

    database = Database(database_url)
    database.upgrade()
    with chat_store(database, "U1", "user") as store:
        application = store.create_application(track="public_service", year=2564,
                                               category="1.1", title="t", created_by="U1",
                                               at=T0)
        for days in (1, 1, 1, 1, 1, 30):
            store.issue_link(application.id, member_id="U1", at=T0,
                             expires_at=T0 + timedelta(days=days))
    report = purge(database, RetentionPolicy(batch=2), now=T0 + timedelta(days=2))
    with database.session() as session:
        left = [row.expires_at for row in session.scalars(select(DraftLink))]
    database.dispose()
    assert (report.links, [utc_of(moment) for moment in left]) == (5, [T0 + timedelta(days=30)])


def utc_of(moment: datetime) -> datetime:
    """Return a stored time in UTC (SQLite gives it back without a zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
