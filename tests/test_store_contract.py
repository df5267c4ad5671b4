"""One contract for every Store: the memory store, SQLite and PostgreSQL behave the same.

Each test runs once per store (``store_url``: memory, SQLite, PostgreSQL) through its
:class:`~bot.coach.ports.StoreOpener`, and covers one method of the
:class:`~bot.coach.ports.Store` protocol or the per-event unit of work around it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import MEMORY

from bot.coach.memory import MemoryDatabase
from bot.coach.ports import (
    DELETION_NOTICE,
    MEMBER_TABLES,
    ApplicationRecord,
    DuplicateEvent,
    NoSuchChat,
    PartRecord,
    PlacedPart,
    Store,
    StoreError,
    StoreOpener,
)

ROOT = Path(__file__).resolve().parent.parent
T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
BANGKOK = timezone(timedelta(hours=7))


def at(seconds: float) -> datetime:
    """Return a moment ``seconds`` after T0."""
    return T0 + timedelta(seconds=seconds)


@dataclass
class Backend:
    """A store opener, and a way to read an answer's every revision, which no Store shows."""

    stores: StoreOpener
    versions: Callable[[str, int], list[list[str]]]

    def open(self, chat: str = "U1", kind: str = "user", *,
             event_id: str | None = None) -> AbstractContextManager[Store]:
        """Open one event's store of one chat."""
        return self.stores.open(chat, kind, event_id=event_id)

    def new_application(self, chat: str = "U1", kind: str = "user", *,
                        created_by: str | None = "U1") -> int:
        """Create an application in its own event; return its id."""
        with self.open(chat, kind) as store:
            return store.create_application(track="public_service", year=2564,
                                            category="1.1", title="โครงการทดสอบ",
                                            created_by=created_by, at=T0).id


@pytest.fixture
def backend(store_url: str) -> Iterator[Backend]:
    """Return a fresh store: in memory, on SQLite, on PostgreSQL."""
    if store_url == MEMORY:
        memory = MemoryDatabase()
        yield Backend(stores=memory, versions=memory.answer_versions)
        return
    from bot.store import Database, SqlStoreOpener, answer_versions
    database = Database(store_url)
    database.upgrade()
    yield Backend(stores=SqlStoreOpener(database),
                  versions=lambda owner, question: answer_versions(database, owner, question))
    database.dispose()


# The conversation -----------------------------------------------------------------------

def test_a_chat_seen_for_the_first_time_is_new_with_nothing_pending(backend):
    with backend.open("Cteam", "group") as store:
        conversation = store.conversation()
    assert (conversation.chat_id, conversation.chat_type, conversation.state,
            conversation.application_id, conversation.context) == (
        "Cteam", "group", "new", None, {})
    assert conversation.updated_at is not None and conversation.updated_at.tzinfo is not None


def test_a_saved_conversation_comes_back_in_the_next_event(backend):
    app = backend.new_application()
    with backend.open() as store:
        conversation = store.conversation()
        conversation.state = "answering"
        conversation.application_id = app
        conversation.context = {"edits": {"U1": {"question": 3, "mode": "replace"}}}
        store.save_conversation(conversation, at=at(60))
    with backend.open() as store:
        saved = store.conversation()
    assert (saved.state, saved.application_id, saved.context, saved.updated_at) == (
        "answering", app, {"edits": {"U1": {"question": 3, "mode": "replace"}}}, at(60))


def test_a_context_changed_but_not_saved_is_not_stored(backend):
    with backend.open() as store:
        conversation = store.conversation()
        conversation.context = {"edits": {"U1": {"question": 3}}}
        store.save_conversation(conversation, at=T0)
    with backend.open() as store:
        conversation = store.conversation()
        conversation.context["edits"] = {}
        conversation.context["new"] = True
        conversation.state = "finished"
    with backend.open() as store:
        assert (store.conversation().state, store.conversation().context) == (
            "new", {"edits": {"U1": {"question": 3}}})


def test_the_context_comes_back_as_json_data(backend):
    with backend.open() as store:
        conversation = store.conversation()
        conversation.context = {"pages": (1, 2), 3: "three"}
        store.save_conversation(conversation, at=T0)
    with backend.open() as store:
        assert store.conversation().context == {"pages": [1, 2], "3": "three"}


def test_a_context_that_is_not_json_cannot_be_stored(backend):
    with pytest.raises(StoreError):
        with backend.open() as store:
            conversation = store.conversation()
            conversation.context = {"when": object()}
            store.save_conversation(conversation, at=T0)
    with backend.open() as store:
        assert store.conversation().context == {}


def test_a_chat_keeps_the_type_of_its_first_event(backend):
    with backend.open("Croom", "room"):
        pass
    with backend.open("Croom", "group") as store:
        assert store.conversation().chat_type == "room"


def test_times_are_kept_as_the_same_moment_in_utc(backend):
    app = backend.new_application()
    with backend.open() as store:
        conversation = store.conversation()
        store.save_conversation(conversation, at=at(3600).astimezone(BANGKOK))
        store.append_part(app, 1, author="U1", text="เช้า", words=1,
                          at=at(7200).astimezone(BANGKOK))
    with backend.open() as store:
        part = store.answer(app, 1).parts[0]
        updated = store.conversation().updated_at
    assert (updated, part.sent_at) == (at(3600), at(7200))
    assert (updated.utcoffset(), part.sent_at.utcoffset()) == (timedelta(0), timedelta(0))


# Applications ---------------------------------------------------------------------------

def test_a_new_application_is_the_chats_at_its_first_question(backend):
    with backend.open("Cteam", "group") as store:
        created = store.create_application(track="participatory", year=2564, category="2.2",
                                           title="กองทุนน้ำชุมชน", created_by="Ua", at=T0)
        assert store.application(created.id) == created
    assert created == ApplicationRecord(
        id=created.id, owner_id="Cteam", track="participatory", year=2564, category="2.2",
        title="กองทุนน้ำชุมชน", current_question=1, created_by="Ua", created_at=T0,
        updated_at=T0, agency=None)
    with backend.open("Cteam", "group") as store:
        assert store.application(created.id) == created


def test_application_ids_are_new_and_unique_across_every_chat(backend):
    ids = [backend.new_application("U1"), backend.new_application("Cteam", "group"),
           backend.new_application("U2"), backend.new_application("U1")]
    assert len(set(ids)) == 4
    assert ids == sorted(ids)


def test_a_chat_lists_only_its_own_applications_oldest_first(backend):
    first = backend.new_application("U1")
    backend.new_application("U2")
    second = backend.new_application("U1")
    with backend.open("U1") as store:
        assert [a.id for a in store.applications()] == [first, second]
    with backend.open("U3") as store:
        assert store.applications() == []


def test_a_chat_cannot_reach_another_chats_application(backend):
    app = backend.new_application("U1")
    with backend.open("U2") as store:
        assert store.application(app) is None
        assert store.answers(app) == {}
        assert store.answer(app, 1) is None
    writes: list[Callable[[Store], object]] = [
        lambda s: s.set_current_question(app, 2, at=T0),
        lambda s: s.append_part(app, 1, author="U2", text="แอบเขียน", words=1, at=T0),
        lambda s: s.replace_answer(app, 1, author="U2", text="แอบเขียน", words=1, at=T0),
        lambda s: s.mark_skipped(app, 1, at=T0),
    ]
    for write in writes:
        with pytest.raises(StoreError), backend.open("U2") as store:
            write(store)
    with backend.open("U1") as store:
        assert (store.application(app).current_question, store.answers(app)) == (1, {})


def test_an_application_that_does_not_exist_is_none(backend):
    with backend.open() as store:
        assert store.application(424242) is None
        assert store.answers(424242) == {}


def test_setting_the_current_question_moves_the_application_as_of_then(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.set_current_question(app, 7, at=at(90))
    with backend.open() as store:
        moved = store.application(app)
    assert (moved.current_question, moved.updated_at, moved.created_at) == (7, at(90), T0)


def test_details_set_are_kept_and_details_not_given_stay_as_they_were(backend):
    app = backend.new_application()
    with backend.open() as store:
        assert store.application(app).award_year is None
        set_once = store.set_details(app, agency="สำนักงานเขตบางรัก", award_year=2570, at=at(5))
        assert store.application(app) == set_once
    with backend.open() as store:
        store.set_details(app, contact="นายสมชาย ใจดี โทร 02 123 4567", at=at(9))
    with backend.open() as store:
        details = store.application(app)
    assert (details.agency, details.contact, details.award_year, details.updated_at) == (
        "สำนักงานเขตบางรัก", "นายสมชาย ใจดี โทร 02 123 4567", 2570, at(9))
    assert (details.year, details.title, details.created_at) == (2564, "โครงการทดสอบ", T0)


def test_details_cannot_be_set_on_another_chats_application(backend):
    app = backend.new_application("U1")
    with pytest.raises(StoreError), backend.open("U2") as store:
        store.set_details(app, agency="แอบแก้", at=T0)
    with backend.open("U1") as store:
        assert store.application(app).agency is None


# Answers --------------------------------------------------------------------------------

def test_a_question_never_touched_has_no_answer(backend):
    app = backend.new_application()
    with backend.open() as store:
        assert store.answer(app, 1) is None
        assert store.answers(app) == {}


def test_an_answer_keeps_each_part_with_its_author_and_send_time(backend):
    app = backend.new_application("Cteam", "group")
    with backend.open("Cteam", "group") as store:
        store.append_part(app, 1, author="Ua", text="ส่วนแรก", words=1, at=at(10))
        store.append_part(app, 1, author=None, text="ส่วนสอง", words=1, at=at(20))
    with backend.open("Cteam", "group") as store:
        answer = store.answer(app, 1)
    assert answer.parts == (PartRecord(author_id="Ua", text="ส่วนแรก", sent_at=at(10)),
                            PartRecord(author_id=None, text="ส่วนสอง", sent_at=at(20)))
    assert (answer.question, answer.status, answer.revision, answer.updated_at) == (
        1, "answered", 1, at(20))
    assert (answer.text, answer.has_text) == ("ส่วนแรก\nส่วนสอง", True)


def test_parts_are_joined_in_the_order_they_were_sent_not_stored(backend):
    app = backend.new_application()
    for text, seconds in [("สาม", 30), ("หนึ่ง", 10), ("สอง", 20), ("สองด้วย", 20)]:
        with backend.open() as store:
            store.append_part(app, 1, author="U1", text=text, words=1, at=at(seconds))
    with backend.open() as store:
        assert store.answer(app, 1).text == "หนึ่ง\nสอง\nสองด้วย\nสาม"
        assert store.answers(app)[1].text == "หนึ่ง\nสอง\nสองด้วย\nสาม"


def test_appending_reports_the_current_revisions_parts_and_words(backend):
    app = backend.new_application()
    with backend.open() as store:
        first = store.append_part(app, 1, author="U1", text="สองคำ", words=2, at=T0)
        second = store.append_part(app, 1, author="U2", text="อีกสามคำ", words=3, at=T0)
        fresh = store.replace_answer(app, 1, author="U1", text="ใหม่", words=4, at=T0)
        other = store.append_part(app, 2, author="U1", text="ข้ออื่น", words=6, at=T0)
    assert [(s.question, s.parts, s.words) for s in (first, second, fresh, other)] == [
        (1, 1, 2), (1, 2, 5), (1, 1, 4), (2, 1, 6)]


def test_an_answer_read_again_in_the_same_event_shows_what_was_added(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.append_part(app, 1, author="U1", text="ก่อน", words=1, at=at(1))
    with backend.open() as store:
        before = store.answer(app, 1)
        listed = store.answers(app)[1]
        store.append_part(app, 1, author="U1", text="หลัง", words=1, at=at(2))
        after = store.answer(app, 1)
        store.replace_answer(app, 1, author="U1", text="ใหม่", words=1, at=at(3))
        replaced = store.answers(app)[1]
    assert (before.text, listed.text, after.text, replaced.text) == (
        "ก่อน", "ก่อน", "ก่อน\nหลัง", "ใหม่")


def test_replacing_an_answer_starts_a_new_revision_and_keeps_the_earlier_one(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.append_part(app, 2, author="U1", text="ฉบับแรก", words=1, at=at(1))
        store.append_part(app, 2, author="U1", text="ต่อ", words=1, at=at(2))
        store.replace_answer(app, 2, author="U1", text="ฉบับสอง", words=1, at=at(3))
    with backend.open() as store:
        store.replace_answer(app, 2, author="U1", text="ฉบับสาม", words=1, at=at(4))
        current = store.answer(app, 2)
    assert (current.text, current.revision, current.status, current.updated_at) == (
        "ฉบับสาม", 3, "answered", at(4))
    assert backend.versions("U1", 2) == [["ฉบับแรก\nต่อ", "ฉบับสอง", "ฉบับสาม"]]


def test_replacing_an_answer_with_nothing_written_writes_into_its_revision(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.mark_skipped(app, 4, at=at(1))
        store.replace_answer(app, 4, author="U1", text="ตอบแล้ว", words=1, at=at(2))
        answer = store.answer(app, 4)
    assert (answer.text, answer.revision, answer.status) == ("ตอบแล้ว", 1, "answered")


def test_skipping_marks_only_an_unanswered_question(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.append_part(app, 3, author="U1", text="มีคำตอบ", words=1, at=at(1))
        store.mark_skipped(app, 3, at=at(5))
        store.mark_skipped(app, 4, at=at(5))
    with backend.open() as store:
        answers = store.answers(app)
    assert sorted(answers) == [3, 4]
    assert (answers[3].status, answers[3].text, answers[3].updated_at) == (
        "answered", "มีคำตอบ", at(1))
    assert (answers[4].status, answers[4].parts, answers[4].revision, answers[4].updated_at,
            answers[4].has_text) == ("skipped", (), 1, at(5), False)


def test_writing_after_skipping_answers_the_question(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.mark_skipped(app, 5, at=at(1))
        store.append_part(app, 5, author="U1", text="กลับมาตอบ", words=1, at=at(2))
        store.mark_skipped(app, 5, at=at(3))
    with backend.open() as store:
        assert (store.answer(app, 5).status, store.answer(app, 5).text) == (
            "answered", "กลับมาตอบ")


# Parts of LINE messages: edited, removed, taken back, restored -------------------------

def three_messages(backend: Backend, chat: str = "Cteam", kind: str = "group") -> int:
    """Make an application whose question 1 has m1 (Ua), m2 (Ub), m3 (Ua); return its id."""
    app = backend.new_application(chat, kind)
    with backend.open(chat, kind) as store:
        for seconds, author, message in [(10, "Ua", "m1"), (20, "Ub", "m2"), (30, "Ua", "m3")]:
            store.append_part(app, 1, author=author, text=f"ข้อความ {message}", words=2,
                              at=at(seconds), message_id=message)
    return app


def test_a_part_keeps_its_message_id_and_a_message_is_stored_once(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        again = store.append_part(app, 1, author="Ua", text="ซ้ำ", words=1, at=at(40),
                                  message_id="m2")
        replaced = store.replace_answer(app, 1, author="Ua", text="ซ้ำ", words=1, at=at(41),
                                        message_id="m3")
        answer = store.answer(app, 1)
    assert [p.message_id for p in answer.parts] == ["m1", "m2", "m3"]
    assert (again.parts, replaced.parts, answer.revision) == (3, 3, 1)


def test_an_edited_message_changes_its_part_in_place(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        change = store.edit_part("m2", text="ข้อความสองที่แก้แล้ว", words=5, at=at(100))
        answer = store.answer(app, 1)
    assert answer.parts[1] == PartRecord(author_id="Ub", text="ข้อความสองที่แก้แล้ว",
                                         sent_at=at(20), message_id="m2")
    assert answer.text == "ข้อความ m1\nข้อความสองที่แก้แล้ว\nข้อความ m3"
    assert (change.current, change.revision, change.summary.parts, change.summary.words,
            change.placed.part.text, change.placed.question) == (
        True, 1, 3, 9, "ข้อความสองที่แก้แล้ว", 1)


def test_the_latest_edit_wins_whatever_order_edits_arrive_in(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        newer = store.edit_part("m1", text="ครั้งที่สอง", words=1, at=at(200))
    with backend.open("Cteam", "group") as store:
        older = store.edit_part("m1", text="ครั้งแรก", words=1, at=at(100))
        same = store.edit_part("m1", text="ครั้งที่สองซ้ำ", words=1, at=at(200))
        latest = store.edit_part("m1", text="ครั้งที่สาม", words=1, at=at(300))
    with backend.open("Cteam", "group") as store:
        text = store.answer(app, 1).parts[0].text
    assert (newer is not None, older, same, latest is not None, text) == (
        True, None, None, True, "ครั้งที่สาม")


def test_a_message_of_no_part_of_this_chat_is_neither_edited_nor_removed(backend):
    app = three_messages(backend)
    with backend.open("Cother", "group") as store:
        assert store.edit_part("m1", text="แอบแก้", words=1, at=at(100)) is None
        assert store.remove_part("m1") is None
    with backend.open("Cteam", "group") as store:
        assert store.edit_part("m-command", text="อื่น", words=1, at=at(100)) is None
        assert store.remove_part("m-command") is None
        assert store.answer(app, 1).text == "ข้อความ m1\nข้อความ m2\nข้อความ m3"


def test_a_removed_message_leaves_the_answer_and_removing_it_again_is_harmless(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        change = store.remove_part("m2")
        again = store.remove_part("m2")
        answer = store.answer(app, 1)
    assert (answer.text, answer.status) == ("ข้อความ m1\nข้อความ m3", "answered")
    assert (change.current, change.summary.parts, change.summary.words, again) == (
        True, 2, 4, None)
    assert change.placed == PlacedPart(application_id=app, question=1, revision=1, words=2,
                                       part=PartRecord(author_id="Ub", text="ข้อความ m2",
                                                       sent_at=at(20), message_id="m2"))
    assert backend.versions("Cteam", 1) == [["ข้อความ m1\nข้อความ m3"]]


def test_removing_the_last_part_empties_the_answer(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.append_part(app, 2, author="U1", text="เดียว", words=1, at=at(1), message_id="m9")
        change = store.remove_part("m9")
        answer = store.answer(app, 2)
    assert (answer.status, answer.parts, change.summary.parts, change.revision) == (
        "empty", (), 0, 1)


def test_removing_a_rewrite_brings_the_earlier_version_back(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        store.replace_answer(app, 1, author="Ua", text="ฉบับใหม่", words=1, at=at(50),
                             message_id="m4")
        change = store.remove_part("m4")
        answer = store.answer(app, 1)
    assert (answer.text, answer.revision, answer.status) == (
        "ข้อความ m1\nข้อความ m2\nข้อความ m3", 1, "answered")
    assert (change.current, change.placed.revision, change.revision, change.summary.parts) == (
        True, 2, 1, 3)


def test_a_part_of_an_earlier_version_is_edited_and_removed_there(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        store.replace_answer(app, 1, author="Ua", text="ฉบับใหม่", words=1, at=at(50),
                             message_id="m4")
        edited = store.edit_part("m1", text="m1 แก้", words=2, at=at(60))
        removed = store.remove_part("m2")
        answer = store.answer(app, 1)
    assert (answer.text, answer.revision) == ("ฉบับใหม่", 2)
    assert (edited.current, removed.current, removed.revision, removed.summary.parts) == (
        False, False, 2, 1)
    assert backend.versions("Cteam", 1) == [["m1 แก้\nข้อความ m3", "ฉบับใหม่"]]


def test_taking_back_removes_the_authors_last_part_of_the_current_revision(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        first = store.take_back_part(app, 1, author="Ua")
        second = store.take_back_part(app, 1, author="Ua")
        none_left = store.take_back_part(app, 1, author="Ua")
        untouched = store.take_back_part(app, 2, author="Ub")
        answer = store.answer(app, 1)
    assert [c.placed.part.message_id for c in (first, second)] == ["m3", "m1"]
    assert (none_left, untouched, answer.text) == (None, None, "ข้อความ m2")
    with backend.open("Cother", "group") as store:
        assert store.take_back_part(app, 1, author="Ub") is None


def test_a_part_taken_back_is_restored_in_its_place(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        taken = store.take_back_part(app, 1, author="Ub")
        store.append_part(app, 1, author="Ua", text="ต่อท้าย", words=1, at=at(40))
    with backend.open("Cteam", "group") as store:
        restored = store.restore_part(taken.placed)
        twice = store.restore_part(taken.placed)
        answer = store.answer(app, 1)
    assert answer.text == "ข้อความ m1\nข้อความ m2\nข้อความ m3\nต่อท้าย"
    assert answer.parts[1] == taken.placed.part
    assert (restored.current, restored.summary.parts, restored.summary.words, twice) == (
        True, 4, 7, None)


def test_restoring_a_rewrite_taken_back_makes_it_current_again(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        store.replace_answer(app, 1, author="Ua", text="ฉบับใหม่", words=1, at=at(50))
        taken = store.take_back_part(app, 1, author="Ua")
        back = store.answer(app, 1)
        store.restore_part(taken.placed)
        answer = store.answer(app, 1)
    assert (back.revision, taken.revision, answer.revision, answer.text) == (1, 1, 2, "ฉบับใหม่")


def test_a_part_keeps_its_quote_token_until_its_message_is_unsent(backend):
    app = backend.new_application("Cteam", "group")
    with backend.open("Cteam", "group") as store:
        store.append_part(app, 1, author="Ua", text="หนึ่ง", words=1, at=at(10),
                          message_id="m1", quote_token="q1")
        store.append_part(app, 1, author="Ub", text="สอง", words=1, at=at(20),
                          message_id="m2", quote_token="q2")
        store.append_part(app, 1, author="Ua", text="จากเทอร์มินัล", words=1, at=at(30))
    with backend.open("Cteam", "group") as store:
        stored = [p.quote_token for p in store.answer(app, 1).parts]
        store.edit_part("m2", text="สองที่แก้", words=1, at=at(100))
        taken = store.take_back_part(app, 1, author="Ub")
    with backend.open("Cteam", "group") as store:
        store.restore_part(taken.placed)
        restored = [p.quote_token for p in store.answer(app, 1).parts]
        store.replace_answer(app, 2, author="Ua", text="ใหม่", words=1, at=at(40),
                             message_id="m4", quote_token="q4")
        rewritten = store.answer(app, 2).parts[0].quote_token
    with backend.open("Cteam", "group") as store:
        unsent = store.remove_part("m2")
        left = [p.quote_token for p in store.answer(app, 1).parts]
    assert (stored, taken.placed.part.quote_token, restored, rewritten) == (
        ["q1", "q2", None], "q2", ["q1", "q2", None], "q4")
    assert (unsent.placed.part.quote_token, left) == ("q2", ["q1", None])


def test_a_part_cannot_be_restored_into_another_chats_application(backend):
    app = three_messages(backend)
    with backend.open("Cteam", "group") as store:
        taken = store.take_back_part(app, 1, author="Ub")
    with pytest.raises(StoreError), backend.open("Cother", "group") as store:
        store.restore_part(taken.placed)


# Deleting a user's data -----------------------------------------------------------------

def group_with_two_members(backend: Backend) -> int:
    """Make a group application with parts by U1 and U2, created by U1; return its id."""
    team = backend.new_application("Cteam", "group", created_by="U1")
    with backend.open("Cteam", "group") as store:
        store.append_part(team, 1, author="U1", text="ของหนึ่ง", words=1, at=at(1))
        store.append_part(team, 1, author="U2", text="ของสอง", words=1, at=at(2))
        store.append_part(team, 2, author="U2", text="ข้อสองของสอง", words=1, at=at(3))
        store.replace_answer(team, 2, author="U1", text="ข้อสองของหนึ่ง", words=1, at=at(4))
        store.append_part(team, 3, author="U1", text="ข้อสามของหนึ่ง", words=1, at=at(5))
    return team


def test_deleting_a_user_removes_their_chat_and_their_parts_everywhere(backend):
    team = group_with_two_members(backend)
    own = backend.new_application("U1")
    with backend.open("U1") as store:
        store.append_part(own, 1, author="U1", text="ส่วนตัว", words=1, at=at(6))
        store.append_part(own, 1, author="U1", text="ส่วนตัวอีก", words=1, at=at(7))
    with backend.open("Cteam", "group") as store:
        removed = store.delete_user_data("U1")
        answers = store.answers(team)
    assert removed == 3 + 2 + 1          # their parts in the group, in their chat; their app
    assert {n: (a.status, a.text, a.revision) for n, a in answers.items()} == {
        1: ("answered", "ของสอง", 1), 2: ("empty", "", 2), 3: ("empty", "", 1)}
    assert backend.versions("Cteam", 2) == [["ข้อสองของสอง"]]
    with backend.open("U1") as store:
        assert (store.conversation().state, store.applications()) == ("new", [])
        assert store.application(own) is None


def test_deleting_a_user_keeps_the_groups_application_but_forgets_its_creator(backend):
    team = group_with_two_members(backend)
    other = backend.new_application("Cother", "group", created_by="U2")
    with backend.open("U1") as store:
        store.delete_user_data("U1")
    with backend.open("Cteam", "group") as store:
        assert store.application(team).created_by is None
    with backend.open("Cother", "group") as store:
        assert store.application(other).created_by == "U2"


def test_deleting_a_user_forgets_them_in_every_groups_member_tables(backend):
    def save_context(chat: str, kind: str, context: dict) -> None:
        with backend.open(chat, kind) as store:
            conversation = store.conversation()
            conversation.context = context
            store.save_conversation(conversation, at=T0)

    member_tables = {"edits": {"U1": {"question": 2}, "U2": {"question": 5}},
                     "confirm_delete": {"U1": {"at": "2026-11-24"}}, "choices": ["U1"],
                     "undone": {"U1": {"parts": [{"text": "ถอนไว้"}]}}}
    save_context("Cteam", "group", member_tables)
    save_context("Croom", "room", {"edits": {"U1": {"question": 1}}})
    save_context("U2", "user", {"edits": {"U1": {"question": 4}}})
    with backend.open("U1") as store:
        assert store.delete_user_data("U1") == 0
    contexts = {}
    for chat, kind in [("Cteam", "group"), ("Croom", "room"), ("U2", "user")]:
        with backend.open(chat, kind) as store:
            contexts[chat] = store.conversation().context
    assert contexts == {
        "Cteam": {"edits": {"U2": {"question": 5}}, "confirm_delete": {}, "choices": ["U1"],
                  "undone": {}},
        "Croom": {"edits": {}},
        "U2": {"edits": {"U1": {"question": 4}}},   # a 1:1 chat's tables name only its user
    }


@pytest.mark.parametrize("table", MEMBER_TABLES)
def test_deleting_a_user_forgets_them_in_each_member_table(backend, table):
    with backend.open("Cteam", "group") as store:
        conversation = store.conversation()
        conversation.context = {table: {"U1": {"text": "ของ U1"}, "U2": {"text": "ของ U2"}}}
        store.save_conversation(conversation, at=T0)
    with backend.open("U1") as store:
        store.delete_user_data("U1")
    with backend.open("Cteam", "group") as store:
        assert store.conversation().context == {table: {"U2": {"text": "ของ U2"}}}


def test_deleting_a_user_with_nothing_stored_removes_nothing(backend):
    team = group_with_two_members(backend)
    with backend.open("U9") as store:
        assert store.delete_user_data("U9") == 0
    with backend.open("Cteam", "group") as store:
        assert store.answer(team, 1).text == "ของหนึ่ง\nของสอง"


def test_after_deleting_in_their_own_chat_saving_the_conversation_keeps_nothing(backend):
    own = backend.new_application("U1")
    with backend.open("U1") as store:
        conversation = store.conversation()
        conversation.state = "answering"
        conversation.application_id = own
        store.save_conversation(conversation, at=at(1))
    with backend.open("U1") as store:
        conversation = store.conversation()
        assert store.delete_user_data("U1") == 1
        conversation.context = {"confirm_delete": {}}
        store.save_conversation(conversation, at=at(2))
        assert store.applications() == []
    with backend.open("U1") as store:
        kept = store.conversation()
    assert (kept.state, kept.application_id, kept.context) == ("new", None, {})


def test_a_deleted_chat_cannot_create_an_application_and_the_event_changes_nothing(backend):
    own = backend.new_application("U1")
    with pytest.raises(StoreError):
        with backend.open("U1") as store:
            store.delete_user_data("U1")
            store.create_application(track="public_service", year=2564, category="1.1",
                                     title="ใหม่", created_by="U1", at=T0)
    with backend.open("U1") as store:
        assert [a.id for a in store.applications()] == [own]


# Draft links: issued, revoked, forgotten with their member ---------------------------------

WEEK = timedelta(days=7)


def issue(backend: Backend, app: int, member: str | None, *, chat: str = "U1",
          kind: str = "user", when: datetime = T0) -> str:
    """Issue one link in its own event; return its id."""
    with backend.open(chat, kind) as store:
        return store.issue_link(app, member_id=member, at=when, expires_at=when + WEEK)


def test_issued_link_ids_are_new_random_and_name_nobody(backend):
    # Ids long enough that a random id never holds them by chance ("U1" did, one run in 200).
    member, chat = "Umember0001", "Cteam00001"
    app = backend.new_application(chat, "group", created_by=member)
    ids = [issue(backend, app, member, chat=chat, kind="group") for _ in range(3)]
    assert len(set(ids)) == 3
    assert all(len(i) == 22 and member not in i and chat not in i for i in ids)


def test_a_link_to_another_chats_application_is_refused(backend):
    theirs = backend.new_application("U2", created_by="U2")
    with pytest.raises(StoreError), backend.open("U1") as store:
        store.issue_link(theirs, member_id="U1", at=T0, expires_at=T0 + WEEK)
    with backend.open("U2") as store:
        assert store.revoke_links(at=T0) == 0


def test_revoking_a_members_links_leaves_the_other_members_and_chats(backend):
    app = backend.new_application("Cteam", "group", created_by="U1")
    own = backend.new_application("U1")
    for member in ("U1", "U1", "U2", None):
        issue(backend, app, member, chat="Cteam", kind="group")
    issue(backend, own, "U1")
    with backend.open("Cteam", "group") as store:
        assert store.revoke_links(at=T0, members=["U1"]) == 2
        assert store.revoke_links(at=T0, members=["U1", "U3"]) == 0
    with backend.open("Cteam", "group") as store:
        assert store.revoke_links(at=T0) == 2  # U2's and the one LINE named nobody for
        assert store.revoke_links(at=T0) == 0
    with backend.open("U1") as store:
        assert store.revoke_links(at=T0) == 1


def test_expired_links_are_not_counted_and_go_when_the_chat_issues_another(backend):
    app = backend.new_application()
    issue(backend, app, "U1", when=T0)
    issue(backend, app, "U1", when=T0 + timedelta(days=5))
    with backend.open() as store:
        assert store.revoke_links(at=T0 + timedelta(days=8)) == 1
    issue(backend, app, "U1", when=T0)
    issue(backend, app, "U1", when=T0 + timedelta(days=8))  # drops the one of T0
    with backend.open() as store:
        assert store.revoke_links(at=T0) == 1


def test_deleting_a_users_data_revokes_their_links_in_every_chat(backend):
    team = backend.new_application("Cteam", "group", created_by="U2")
    own = backend.new_application("U1")
    issue(backend, team, "U1", chat="Cteam", kind="group")
    issue(backend, team, "U2", chat="Cteam", kind="group")
    issue(backend, own, "U1")
    with backend.open("Cteam", "group") as store:
        store.delete_user_data("U1")
    with backend.open("Cteam", "group") as store:
        assert store.revoke_links(at=T0) == 1  # U2's only
    with backend.open("U1") as store:
        assert store.revoke_links(at=T0) == 0


def test_a_link_issued_in_an_event_that_raises_is_not_kept(backend):
    app = backend.new_application()
    with pytest.raises(RuntimeError), backend.open() as store:
        store.issue_link(app, member_id="U1", at=T0, expires_at=T0 + WEEK)
        raise RuntimeError("the event failed")
    issue(backend, app, "U1")
    with pytest.raises(RuntimeError), backend.open() as store:
        assert store.revoke_links(at=T0) == 1
        raise RuntimeError("the event failed")
    with backend.open() as store:
        assert store.revoke_links(at=T0) == 1


# Ended chats and the scope of a deletion (issue 14) -------------------------------------

def test_a_chat_opened_only_if_it_exists_raises_and_stores_nothing(backend):
    with pytest.raises(NoSuchChat), backend.stores.open("U9", "user", event_id="E1",
                                                        create=False):
        pass
    with backend.open("U9", event_id="E1") as store:   # the event id was not claimed
        assert store.conversation().state == "new"


def test_a_chat_marked_ended_keeps_the_mark_until_it_is_cleared(backend):
    with backend.open() as store:
        conversation = store.conversation()
        assert conversation.ended_at is None
        conversation.ended_at = at(5).astimezone(BANGKOK)
        store.save_conversation(conversation, at=at(5))
    with backend.stores.open("U1", "user", create=False) as store:
        conversation = store.conversation()
        assert conversation.ended_at == at(5)
        conversation.ended_at = None
        store.save_conversation(conversation, at=at(6))
    with backend.open() as store:
        assert store.conversation().ended_at is None


def set_details(backend: Backend, chat: str, kind: str, app: int) -> None:
    """Give an application an agency and a contact in its own event."""
    with backend.open(chat, kind) as store:
        store.set_details(app, agency="กรมทดสอบ", contact="นายหนึ่ง 0812345678", at=T0)


def test_deleting_a_user_replaces_what_they_typed_in_group_applications(backend):
    mine = backend.new_application("Cteam", "group", created_by="U1")
    theirs = backend.new_application("Cteam", "group", created_by="U2")
    elsewhere = backend.new_application("Cother", "group", created_by="U1")
    for chat, app in (("Cteam", mine), ("Cteam", theirs), ("Cother", elsewhere)):
        set_details(backend, chat, "group", app)
    with backend.open("U1") as store:
        store.delete_user_data("U1", placeholder="(ลบแล้ว)")
    with backend.open("Cteam", "group") as store:
        replaced, kept = store.application(mine), store.application(theirs)
        noted = store.conversation().context
    assert (replaced.title, replaced.agency, replaced.contact, replaced.created_by) == (
        "(ลบแล้ว)", "(ลบแล้ว)", "(ลบแล้ว)", None)
    assert (kept.title, kept.agency, kept.contact, kept.created_by) == (
        "โครงการทดสอบ", "กรมทดสอบ", "นายหนึ่ง 0812345678", "U2")
    assert noted == {DELETION_NOTICE: [mine]}
    with backend.open("Cother", "group") as store:
        assert store.conversation().context == {DELETION_NOTICE: [elsewhere]}


def test_a_detail_never_given_stays_empty_after_the_deletion(backend):
    app = backend.new_application("Cteam", "group", created_by="U1")
    with backend.open("U1") as store:
        store.delete_user_data("U1", placeholder="(ลบแล้ว)")
    with backend.open("Cteam", "group") as store:
        record = store.application(app)
    assert (record.title, record.agency, record.contact) == ("(ลบแล้ว)", None, None)


def test_deleting_a_user_forgets_them_in_a_group_where_they_wrote_nothing(backend):
    with backend.open("Cquiet", "group") as store:
        conversation = store.conversation()
        conversation.context = {"pending_text": {"U1": {"text": "พักไว้"}}}
        store.save_conversation(conversation, at=T0)
    with backend.open("Cquiet", "group") as store:   # saved again: still named once
        store.save_conversation(store.conversation(), at=T0)
    with backend.open("U1") as store:
        store.delete_user_data("U1")
    with backend.open("Cquiet", "group") as store:
        assert store.conversation().context == {"pending_text": {}}


# One event, one unit of work ------------------------------------------------------------

def test_an_event_that_raises_changes_nothing(backend):
    app = backend.new_application()
    with pytest.raises(RuntimeError), backend.open(event_id="ev-fails") as store:
        store.append_part(app, 1, author="U1", text="ครึ่งทาง", words=1, at=T0)
        store.set_current_question(app, 2, at=T0)
        store.create_application(track="public_service", year=2564, category="1.2",
                                 title="ไม่มีวันเกิด", created_by="U1", at=T0)
        conversation = store.conversation()
        conversation.state = "answering"
        store.save_conversation(conversation, at=T0)
        raise RuntimeError("the engine failed half-way")
    with backend.open(event_id="ev-fails") as store:   # its id was not kept either
        assert store.conversation().state == "new"
        assert [(a.id, a.current_question) for a in store.applications()] == [(app, 1)]
        assert store.answers(app) == {}


def test_an_event_that_raises_after_deleting_a_user_deletes_nothing(backend):
    team = group_with_two_members(backend)
    own = backend.new_application("U1")
    with pytest.raises(RuntimeError), backend.open("U1") as store:
        store.delete_user_data("U1")
        raise RuntimeError("the reply could not be built")
    with backend.open("Cteam", "group") as store:
        assert store.answer(team, 1).text == "ของหนึ่ง\nของสอง"
        assert store.application(team).created_by == "U1"
    with backend.open("U1") as store:
        assert [a.id for a in store.applications()] == [own]


def test_a_repeated_event_id_raises_duplicate_event_and_changes_nothing(backend):
    app = backend.new_application()
    with backend.open(event_id="01EVENT") as store:
        store.append_part(app, 1, author="U1", text="ครั้งเดียว", words=1, at=T0)
    # Memory claims the id first and never runs the body; SQL claims it last, in the same
    # statement as the outbox row, and undoes the body: either way nothing changes.
    with pytest.raises(DuplicateEvent), backend.open(event_id="01EVENT") as store:
        store.append_part(app, 1, author="U1", text="ซ้ำ", words=1, at=T0)
    with backend.open() as store:
        assert store.answer(app, 1).text == "ครั้งเดียว"


def test_an_event_id_is_claimed_for_every_chat(backend):
    with backend.open("U1", event_id="02EVENT"):
        pass
    with pytest.raises(DuplicateEvent), backend.open("Cteam", "group", event_id="02EVENT"):
        pass


def test_the_first_event_of_a_chat_repeated_leaves_the_chat_as_the_first_left_it(backend):
    with backend.open("U5", event_id="03EVENT") as store:
        conversation = store.conversation()
        conversation.state = "choose_track"
        store.save_conversation(conversation, at=T0)
    with pytest.raises(DuplicateEvent), backend.open("U5", event_id="03EVENT"):
        pass
    with backend.open("U5") as store:
        assert store.conversation().state == "choose_track"


def test_events_without_an_id_are_never_duplicates(backend):
    app = backend.new_application()
    for text in ("หนึ่ง", "สอง"):
        with backend.open() as store:
            store.append_part(app, 1, author="U1", text=text, words=1, at=T0)
    with backend.open() as store:
        assert store.answer(app, 1).text == "หนึ่ง\nสอง"


def test_events_of_one_chat_run_one_at_a_time(backend):
    app = backend.new_application()
    order: list[str] = []
    first_open = threading.Event()

    def second_event() -> None:
        first_open.wait(timeout=30)
        with backend.open() as store:
            order.append("second starts")
            store.append_part(app, 1, author="U1", text="สอง", words=1, at=at(2))

    worker = threading.Thread(target=second_event)
    worker.start()
    with backend.open() as store:
        order.append("first starts")
        first_open.set()
        time.sleep(0.2)  # room for the second event to start, were it not held back
        store.append_part(app, 1, author="U1", text="หนึ่ง", words=1, at=at(1))
        order.append("first ends")
    worker.join(timeout=60)
    assert order == ["first starts", "first ends", "second starts"]
    with backend.open() as store:
        assert store.answer(app, 1).text == "หนึ่ง\nสอง"


# The engine's side stays pure -----------------------------------------------------------

def test_the_engine_and_the_memory_store_load_no_database_web_or_line_module():
    script = ("import sys, bot.coach, bot.coach.memory, bot.coach.ports; "
              "print(sorted({m.split('.')[0] for m in sys.modules} "
              "& {'sqlalchemy', 'flask', 'linebot', 'alembic', 'psycopg'}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == "[]"


# Reading in one go: written questions, and the active answers outside the lock (issue 13) ----

def activate(backend: Backend, app: int, chat: str = "U1", kind: str = "user") -> None:
    """Make ``app`` the chat's active application."""
    with backend.open(chat, kind) as store:
        conversation = store.conversation()
        conversation.application_id, conversation.state = app, "answering"
        store.save_conversation(conversation, at=T0)


def test_written_questions_name_per_application_the_questions_with_text(backend):
    first, second = backend.new_application(), backend.new_application()
    elsewhere = backend.new_application("U2")
    with backend.open() as store:
        store.append_part(first, 1, author="U1", text="หนึ่ง", words=1, at=at(1))
        store.append_part(first, 3, author="U1", text="สาม", words=1, at=at(2),
                          message_id="m3")
        store.mark_skipped(first, 2, at=at(3))
        store.append_part(first, 4, author="U1", text="สี่", words=1, at=at(4),
                          message_id="m4")
        store.remove_part("m4")
    with backend.open("U2") as store:
        store.append_part(elsewhere, 1, author="U2", text="ของคนอื่น", words=1, at=at(5))
    with backend.open() as store:
        assert store.written_questions() == {first: frozenset({1, 3}), second: frozenset()}
        store.remove_part("m3")
        store.replace_answer(second, 5, author="U1", text="ห้า", words=1, at=at(6))
        assert store.written_questions() == {first: frozenset({1}), second: frozenset({5})}


def test_the_active_answers_are_read_while_an_event_of_the_chat_is_open(backend):
    app = backend.new_application()
    with backend.open() as store:
        store.append_part(app, 1, author="U1", text="ส่วนแรก", words=1, at=at(1))
        store.append_part(app, 1, author="U1", text="ส่วนสอง", words=1, at=at(2))
    activate(backend, app)
    with backend.open() as store:   # holds the chat (on SQLite, the write lock) meanwhile
        store.append_part(app, 2, author="U1", text="ยังไม่บันทึก", words=1, at=at(3))
        active = backend.stores.active_answers("U1")
    assert active is not None and active.application.id == app
    assert (active.answers[1].text, active.answers[1].status) == ("ส่วนแรก\nส่วนสอง", "answered")


def test_there_are_no_active_answers_without_a_chat_or_an_application_of_its_own(backend):
    assert backend.stores.active_answers("U9") is None
    app = backend.new_application()
    assert backend.stores.active_answers("U1") is None   # the chat has no active application
    activate(backend, app, "U2")
    assert backend.stores.active_answers("U2") is None   # another chat's application


def test_answer_lengths_count_the_current_text_as_joined_also_in_the_same_event(backend):
    app = backend.new_application()
    activate(backend, app)   # question 1 is open: the SQL stores read it with the chat's lock
    with backend.open() as store:
        store.append_part(app, 1, author="U1", text="ส่วนแรก", words=1, at=at(1))
        store.append_part(app, 3, author="U1", text="สาม", words=1, at=at(2))
        store.mark_skipped(app, 2, at=at(3))
    with backend.open() as store:
        assert store.answer_lengths(app, 1) == {1: len("ส่วนแรก")}
        store.append_part(app, 1, author="U1", text="ส่วนสอง", words=1, at=at(4))
        store.append_part(app, 1, author="U1", text="ส่วนสอง", words=1, at=at(5),
                          message_id="m5")
        store.append_part(app, 1, author="U1", text="ซ้ำ", words=1, at=at(6), message_id="m5")
        joined = "ส่วนแรก\nส่วนสอง\nส่วนสอง"
        assert store.answer_lengths(app, 1) == {1: len(joined)}
        assert store.answer_lengths(app) == {1: len(joined), 3: len("สาม")}
        store.replace_answer(app, 1, author="U1", text="ใหม่", words=1, at=at(7))
        assert store.answer_lengths(app, 1) == {1: len("ใหม่")}
        assert store.answer_lengths(app, 2) == {}
    with backend.open("U2") as store:
        assert store.answer_lengths(app) == {}
