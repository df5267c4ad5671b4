"""Delete my data on a database of many tenants: nothing of the member left anywhere (every
table, and on SQLite the bytes of the file and its WAL), other tenants untouched, only the
member's rows looked up (SQLite's query plans use indexes), and the group told. The same
after the member blocks the bot and the retention period passes (unless they still write
in a group), and after the bot is removed from a group.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import Chat
from sqlalchemy import event, inspect, text

from bot.cli import main
from bot.coach.messages import Event
from bot.coach.texts import default_texts
from bot.store import Database, chat_store
from bot.store.retention import PurgeReport, _purge_ended_chats

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TARGET = "Utargetmember000000000000000001"
#: Everything the member typed or LINE gave about them, each unique to them.
TARGET_VALUES = [TARGET, "โครงการลับของเป้าหมาย", "กรมลับเป้าหมาย", "นายเป้าหมาย 0891112222",
                 "คำตอบลับเฉพาะเป้าหมายในกลุ่ม", "คำตอบส่วนตัวลับของเป้าหมาย",
                 "MSGtarget0001", "QTtarget0001"]
TENANTS = 40
#: What replaces the titles and details a deleted member typed, and the group's notice.
PLACEHOLDER = default_texts().get("deleted_placeholder")
NOTICE = default_texts().get("details_deleted", applications="@", placeholder="@").split("@")[0]


def build_tenants(database: Database) -> None:
    """Store TENANTS groups with two members each and a 1:1 chat per member."""
    for index in range(TENANTS):
        group, members = f"Cgroup{index:04d}", (f"Ua{index:04d}", f"Ub{index:04d}")
        with chat_store(database, group, "group") as store:
            app = store.create_application(track="public_service", year=2564, category="1.1",
                                           title=f"โครงการของกลุ่ม {index}",
                                           created_by=members[0], at=T0)
            store.set_details(app.id, agency=f"หน่วยงาน {index}", contact="ผู้ติดต่อ",
                              at=T0)
            for question in range(1, 4):
                for offset, member in enumerate(members):
                    store.append_part(app.id, question, author=member,
                                      text=f"คำตอบข้อ {question} ของ {member}", words=4,
                                      at=T0 + timedelta(seconds=question * 10 + offset),
                                      message_id=f"M{index:04d}{question}{offset}")
            conversation = store.conversation()
            conversation.state, conversation.application_id = "answering", app.id
            store.save_conversation(conversation, at=T0)
        with chat_store(database, members[1], "user") as store:
            own = store.create_application(track="participatory", year=2564, category="2.1",
                                           title=f"โครงการส่วนตัว {index}",
                                           created_by=members[1], at=T0)
            store.append_part(own.id, 1, author=members[1], text="คำตอบส่วนตัว", words=1,
                              at=T0)


def target_takes_part(chat: Chat) -> None:
    """The member writes in their 1:1 chat and in three groups, and names a project."""
    for line in ("เริ่ม", "1.1", "โครงการลับของเป้าหมายส่วนตัว", "คำตอบส่วนตัวลับของเป้าหมาย"):
        chat.say(line, user=TARGET)
    chat.say("คำตอบลับเฉพาะเป้าหมายในกลุ่ม", user=TARGET, group="Cgroup0001",
             message_id="MSGtarget0001", quote_token="QTtarget0001")
    chat.say("เริ่ม", user="Ua0002", group="Cgroup0002")
    chat.say("1.2", user="Ua0002", group="Cgroup0002")
    chat.say("โครงการลับของเป้าหมาย", user=TARGET, group="Cgroup0002")
    chat.say("หน่วยงาน กรมลับเป้าหมาย", user=TARGET, group="Cgroup0002")
    chat.say("ผู้ติดต่อ นายเป้าหมาย 0891112222", user=TARGET, group="Cgroup0002")
    chat.say("คำตอบของสมาชิกอื่นในกลุ่มสอง", user="Ub0002", group="Cgroup0002")
    chat.say("คำตอบลับเฉพาะเป้าหมายในกลุ่ม ต่อ", user=TARGET, group="Cgroup0002")
    chat.say("ถัดไบ", user=TARGET, group="Cgroup0003")   # a near miss, set aside


def snapshot(database: Database, owners: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of these owners: the chat, applications, answers and parts."""
    queries = {
        "owners": "SELECT * FROM owners WHERE id = :o",
        "applications": "SELECT * FROM applications WHERE owner_id = :o ORDER BY id",
        "answers": "SELECT a.* FROM answers a JOIN applications p ON a.application_id = p.id "
                   "WHERE p.owner_id = :o ORDER BY a.id",
        "parts": "SELECT t.* FROM answer_parts t JOIN answers a ON t.answer_id = a.id "
                 "JOIN applications p ON a.application_id = p.id WHERE p.owner_id = :o "
                 "ORDER BY t.id",
    }
    with database.engine.connect() as connection:
        return {f"{owner}:{name}": [tuple(row) for row in connection.execute(text(sql),
                                                                              {"o": owner})]
                for owner in owners for name, sql in queries.items()}


def every_value(database: Database) -> list[str]:
    """Return every value of every row of every table, as text (JSON as it is stored)."""
    values: list[str] = []
    with database.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                values.extend(json.dumps(v) if isinstance(v, dict | list) else str(v)
                              for v in row)
    return values


def found(values: list[str]) -> list[str]:
    """Return the member's values found among ``values`` (plain, or escaped in JSON)."""
    return [v for v in TARGET_VALUES
            if any(form in value for value in values for form in (v, json.dumps(v)[1:-1]))]


def encodings(value: str) -> list[bytes]:
    """Return the ways a value can sit in a file: UTF-8, and escaped inside JSON."""
    return [value.encode(), json.dumps(value)[1:-1].encode()]


def sqlite_bytes(database: Database) -> bytes:
    """Return the bytes of the SQLite file and its WAL."""
    path = database.sqlite_path
    assert path is not None
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


BYSTANDERS = [f"Cgroup{i:04d}" for i in range(4, TENANTS)] + [f"Ub{i:04d}" for i in range(TENANTS)]


def assert_member_gone(tenants: Chat, before: dict[str, list[tuple[Any, ...]]]) -> None:
    """Check that no value of the member is left (tables, SQLite file and WAL), the other
    tenants are as ``before``, and their group application keeps its other answer."""
    database = tenants.service.database
    assert found(every_value(database)) == []
    if database.is_sqlite:
        raw = sqlite_bytes(database)
        assert [v for v in TARGET_VALUES if any(e in raw for e in encodings(v))] == []
    assert snapshot(database, BYSTANDERS) == before
    group = tenants.export("Cgroup0002")["applications"]
    assert [a["answers"] for a in group if a["title"] == PLACEHOLDER] == [
        {"1": "คำตอบของสมาชิกอื่นในกลุ่มสอง"}]


@pytest.fixture
def tenants(database_url, clock):
    """Return a chat driver on a database of many tenants in which the member took part."""
    chat = Chat(database_url, clock)
    build_tenants(chat.service.database)
    target_takes_part(chat)
    yield chat
    chat.close()


def test_the_member_is_in_the_database_before_the_deletion(tenants):
    assert found(every_value(tenants.service.database)) == TARGET_VALUES


def test_nothing_of_the_member_remains_and_other_tenants_are_untouched(tenants):
    database = tenants.service.database
    before = snapshot(database, BYSTANDERS)
    tenants.say("ลบข้อมูลของฉัน", user=TARGET)
    assert "ลบข้อมูลทั้งหมดของคุณแล้ว" in tenants.say("ยืนยัน", user=TARGET)
    assert_member_gone(tenants, before)
    answers = tenants.export("Cgroup0001")["applications"][0]["answers"]
    assert answers["1"] == "คำตอบข้อ 1 ของ Ua0001\nคำตอบข้อ 1 ของ Ub0001"


def test_the_group_is_told_in_its_next_reply_once(tenants):
    tenants.say("ลบข้อมูลของฉัน", user=TARGET)
    tenants.say("ยืนยัน", user=TARGET)
    told = tenants.say("ความคืบหน้า", user="Ub0002", group="Cgroup0002")
    again = tenants.say("ความคืบหน้า", user="Ub0002", group="Cgroup0002")
    assert NOTICE in told and PLACEHOLDER in told
    assert NOTICE not in again


def test_a_member_deleting_inside_the_group_is_told_there_at_once(tenants):
    tenants.say("ลบข้อมูลของฉัน", user=TARGET, group="Cgroup0002")
    answer = tenants.say("ยืนยัน", user=TARGET, group="Cgroup0002")
    assert "ลบข้อมูลของคุณแล้ว" in answer and NOTICE in answer


def scans_of(database: Database, run: Callable[[], Any]) -> tuple[int, list[Any]]:
    """Run ``run``; return how many statements it issued and SQLite's table scans among them."""
    statements: list[tuple[str, Any]] = []

    def record(connection, cursor, statement, parameters, context, executemany) -> None:
        if re.match(r"\s*(SELECT|UPDATE|DELETE)", statement) and "EXPLAIN" not in statement:
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    scans = []
    with database.engine.connect() as connection:
        for statement, parameters in statements:
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters):
                if re.match(r"SCAN (?!CONSTANT)", row[-1]):
                    scans.append((row[-1], statement.split()[0:4]))
    return len(statements), scans


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_deletion_looks_up_only_through_indexes(tenants):
    database = tenants.service.database

    def delete() -> None:
        with chat_store(database, TARGET, "user") as store:
            store.delete_user_data(TARGET)

    count, scans = scans_of(database, delete)
    assert count and scans == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_purge_of_a_blocked_member_looks_up_only_through_indexes(tenants):
    database = tenants.service.database
    chat_ends(tenants, "unfollow", TARGET)
    report = PurgeReport()
    count, scans = scans_of(database, lambda: _purge_ended_chats(
        database, tenants.clock.now + timedelta(days=1), "-", report))
    assert (count > 5, scans, report.members_erased) == (True, [], 1)


def test_the_sqlite_file_is_readable_by_its_owner_only(sqlite_url):
    database = Database(sqlite_url)
    database.upgrade()
    with chat_store(database, "U1", "user"):
        pass
    path = database.sqlite_path
    assert path is not None
    modes = {name: oct(Path(f"{path}{name}").stat().st_mode & 0o777)
             for name in ("", "-wal", "-shm") if Path(f"{path}{name}").exists()}
    with database.engine.connect() as connection:
        secure = connection.exec_driver_sql("PRAGMA secure_delete").scalar()
    database.dispose()
    assert modes[""] == "0o600" and set(modes.values()) == {"0o600"} and secure == 1


def test_an_existing_world_readable_sqlite_file_is_made_private(tmp_path):
    path = tmp_path / "old.sqlite3"
    path.touch(mode=0o644)
    path.chmod(0o644)
    Database(f"sqlite:///{path}").dispose()
    assert oct(path.stat().st_mode & 0o777) == "0o600"


# Retention: the same after the member blocks the bot, or the bot leaves a group ------------

def chat_ends(chat: Chat, kind: str, chat_id: str) -> None:
    """The member blocks the bot (``unfollow``) or the bot is removed (``leave``)."""
    user = chat_id if kind == "unfollow" else None
    chat.service.process(Event(user_id=user, chat_id=chat_id,
                               chat_type="user" if user else "group", kind=kind,  # type: ignore[arg-type]
                               timestamp=chat.clock.tick(), event_id=uuid.uuid4().hex))


def purge_a_day_on(chat: Chat, monkeypatch, capsys) -> str:
    """Run ``python -m bot purge`` with a retention period of one day; return what it printed.

    The clock's events are days before the real now, so one day has passed for the purge.
    """
    monkeypatch.setenv("RETENTION_ENDED_DAYS", "1")
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    assert main(["--database", chat.database_url, "purge"]) == 0
    return capsys.readouterr().out


def test_after_blocking_the_bot_and_the_period_nothing_of_the_member_remains(
        tenants, monkeypatch, capsys):
    database = tenants.service.database
    before = snapshot(database, BYSTANDERS)
    chat_ends(tenants, "unfollow", TARGET)
    printed = purge_a_day_on(tenants, monkeypatch, capsys)
    assert "ended chats deleted: 1" in printed
    assert "blocked 1:1 chats whose member went everywhere: 1" in printed
    assert_member_gone(tenants, before)
    told = tenants.say("ความคืบหน้า", user="Ub0002", group="Cgroup0002")
    assert NOTICE in told and PLACEHOLDER in told


def test_a_member_who_writes_in_a_group_after_blocking_the_bot_keeps_their_group_work(
        tenants, monkeypatch, capsys):
    database = tenants.service.database
    chat_ends(tenants, "unfollow", TARGET)
    tenants.say("เขียนต่อในกลุ่มหลังบล็อกบอท", user=TARGET, group="Cgroup0001")
    printed = purge_a_day_on(tenants, monkeypatch, capsys)
    values = every_value(database)
    assert "blocked 1:1 chats whose member wrote in a group since (kept there): 1" in printed
    assert tenants.export(TARGET)["applications"] == []   # the 1:1 chat went
    assert not [v for v in values if "คำตอบส่วนตัวลับของเป้าหมาย" in v
                or "โครงการลับของเป้าหมายส่วนตัว" in v]
    assert found(values) == [v for v in TARGET_VALUES if v != "คำตอบส่วนตัวลับของเป้าหมาย"]
    titles = [a["title"] for a in tenants.export("Cgroup0002")["applications"]]
    assert "โครงการลับของเป้าหมาย" in titles


def test_an_edit_in_a_group_after_blocking_the_bot_counts_as_writing(tenants, monkeypatch,
                                                                        capsys):
    chat_ends(tenants, "unfollow", TARGET)
    tenants.say("คำตอบลับเฉพาะเป้าหมายในกลุ่ม แก้แล้ว", user=TARGET, group="Cgroup0001",
                kind="message_edited", message_id="MSGtarget0001")
    printed = purge_a_day_on(tenants, monkeypatch, capsys)
    assert "blocked 1:1 chats whose member wrote in a group since (kept there): 1" in printed
    answers = tenants.export("Cgroup0001")["applications"][0]["answers"]
    assert "คำตอบลับเฉพาะเป้าหมายในกลุ่ม แก้แล้ว" in answers["1"]


def test_after_the_bot_leaves_a_group_and_the_period_the_group_goes_whole(
        tenants, monkeypatch, capsys):
    database = tenants.service.database
    before = snapshot(database, BYSTANDERS)
    chat_ends(tenants, "leave", "Cgroup0002")
    printed = purge_a_day_on(tenants, monkeypatch, capsys)
    assert "ended chats deleted: 1" in printed
    values = every_value(database)
    gone = ["Cgroup0002", "คำตอบของสมาชิกอื่นในกลุ่มสอง", "คำตอบลับเฉพาะเป้าหมายในกลุ่ม ต่อ",
            "กรมลับเป้าหมาย", "นายเป้าหมาย 0891112222", "Ua0002", "Ub0002"]
    assert [v for v in gone if any(v in value for value in values)] == ["Ub0002"]  # own chat
    with database.engine.connect() as connection:
        members = connection.execute(text("SELECT user_id FROM chat_members "
                                          "WHERE owner_id = 'Cgroup0002'")).all()
    assert members == []
    assert snapshot(database, BYSTANDERS) == before
    assert "คำตอบส่วนตัวลับของเป้าหมาย" in found(values)   # the member's own chat stays
