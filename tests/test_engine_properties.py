"""Property-based tests: random conversations never crash the engine and keep its invariants.

Random sequences of commands, answers, postbacks and stickers from random members of a
1:1 chat or a group. After every step: the chat's current question exists in its
category; every message the bot acknowledged as stored is in the store; each answer's
text is its current parts joined in send order; and after "delete my data" is confirmed
nothing written by that member is left.

The engine runs in memory for many examples, and on SQLite for fewer, so that random
conversations still reach the SQL store too.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.coach.memory import MemoryDatabase
from bot.coach.messages import Event
from bot.rubrics import default_rubrics
from bot.service import CoachService
from bot.store.models import Answer, AnswerPart, Application, Owner
from bot.store.repository import answer_record

COMMANDS = ["เริ่ม", "ถัดไป", "ย้อนกลับ", "ข้าม", "ข้อ 3", "ข้อ 13", "ข้อ 0", "แก้ข้อ 2",
            "แก้ข้อ 12", "เพิ่ม", "ความคืบหน้า", "ดูร่าง", "ใบสมัครของฉัน", "เลือก 1",
            "เลือก 2", "ยกเลิก", "ลบข้อมูลของฉัน", "ยืนยัน", "ช่วยเหลือ", "ทำต่อ", "1", "2",
            "1.1", "2.3", "2.4", "บริการภาครัฐ", "next", "EDIT 1", "  ถัดไป . "]
LETTERS = "กขคงจฉชซดตถทนบปผพฟมยรลวสหอะาิีึืุูเแโใไ่้๊๋์ํ" "๐๑๒๓๔๕๖๗๘๙0123456789 ,.%\n😀"
THAI = st.text(alphabet=st.sampled_from(list(LETTERS)), min_size=1, max_size=80)
MESSAGE = st.one_of(st.sampled_from(COMMANDS), THAI)
STEP = st.tuples(st.sampled_from(["Ua", "Ub"]), st.booleans(),
                 st.sampled_from(["text", "text", "text", "postback", "sticker"]), MESSAGE)

_counter = itertools.count()
STATES = {"new", "choose_track", "choose_category", "name_project", "answering", "finished"}


@dataclass(frozen=True)
class StoredAnswer:
    """One stored answer: its status, the text the store hands out, its parts in send order."""

    question: int
    status: str
    text: str
    sent_in_order: str
    has_parts: bool


@dataclass(frozen=True)
class StoredApplication:
    """One stored application and its answers."""

    track: str
    year: int
    category: str
    current_question: int
    answers: tuple[StoredAnswer, ...]


class Inspector(Protocol):
    """Reads what a store holds, below the Store protocol, to check the invariants."""

    def states(self, chats: set[str]) -> dict[str, tuple[str, list[StoredApplication]]]: ...

    def has_chat(self, chat: str) -> bool: ...

    def parts_by(self, author: str) -> int: ...

    def texts(self, chats: set[str]) -> list[str]: ...


class SqlInspector:
    """Reads the SQL tables."""

    def __init__(self, service: CoachService) -> None:
        self.database = service.database

    def states(self, chats: set[str]) -> dict[str, tuple[str, list[StoredApplication]]]:
        found = {}
        with self.database.session() as session:
            for owner in session.scalars(select(Owner).where(Owner.id.in_(chats))):
                found[owner.id] = (owner.state, [
                    StoredApplication(a.track, a.year, a.category, a.current_question,
                                      tuple(self._answer(answer) for answer in a.answers))
                    for a in owner.applications])
        return found

    @staticmethod
    def _answer(row: Answer) -> StoredAnswer:
        current = sorted((p for p in row.parts if p.revision == row.revision),
                         key=lambda p: (p.sent_at, p.id))
        return StoredAnswer(row.question, row.status, answer_record(row).text,
                            "\n".join(p.text for p in current), bool(current))

    def has_chat(self, chat: str) -> bool:
        with self.database.session() as session:
            return session.get(Owner, chat) is not None

    def parts_by(self, author: str) -> int:
        with self.database.session() as session:
            return session.scalar(select(func.count()).select_from(AnswerPart)
                                  .where(AnswerPart.author_id == author)) or 0

    def texts(self, chats: set[str]) -> list[str]:
        with self.database.session() as session:
            return list(session.scalars(select(AnswerPart.text).join(Answer).join(Application)
                                        .where(Application.owner_id.in_(chats))))


class MemoryInspector:
    """Reads the memory database's dicts."""

    def __init__(self, memory: MemoryDatabase) -> None:
        self.memory = memory

    def states(self, chats: set[str]) -> dict[str, tuple[str, list[StoredApplication]]]:
        found = {}
        for chat in chats & set(self.memory.chats):
            applications = []
            for a in sorted(self.memory.applications.get(chat, {}).values(), key=lambda a: a.id):
                rows = self.memory.answers[a.id]
                answers = []
                for number in sorted(rows):
                    row = rows[number]
                    current = sorted((p for p in row.parts if p.revision == row.revision),
                                     key=lambda p: (p.sent_at, p.serial))
                    answers.append(StoredAnswer(number, row.status, row.record().text,
                                                "\n".join(p.text for p in current),
                                                bool(current)))
                applications.append(StoredApplication(a.track, a.year, a.category,
                                                      a.current_question, tuple(answers)))
            found[chat] = (self.memory.chats[chat].state, applications)
        return found

    def has_chat(self, chat: str) -> bool:
        return chat in self.memory.chats

    def parts_by(self, author: str) -> int:
        return sum(1 for rows in self.memory.answers.values() for row in rows.values()
                   for part in row.parts if part.author_id == author)

    def texts(self, chats: set[str]) -> list[str]:
        return [part.text for chat in chats
                for application in self.memory.applications.get(chat, {})
                for row in self.memory.answers[application].values() for part in row.parts]


@dataclass
class Target:
    """A service on one store, how to inspect it, and how many random conversations to try."""

    service: CoachService
    inspector: Inspector
    examples: int


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def target(request, tmp_path_factory) -> Iterator[Target]:
    if request.param == "memory":
        memory = MemoryDatabase()
        yield Target(CoachService.in_memory(memory), MemoryInspector(memory), examples=200)
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.sqlite3'}"
    built = CoachService.create(url)
    yield Target(built, SqlInspector(built), examples=30)
    built.database.dispose()


def check_invariants(inspector: Inspector, chats: set[str]) -> None:
    rubrics = default_rubrics()
    for state, applications in inspector.states(chats).values():
        assert state in STATES
        for application in applications:
            rubric = rubrics.get(application.track, application.year)
            numbers = [q.number for q in rubric.questions_for(application.category)]
            assert application.current_question in numbers
            for answer in application.answers:
                assert answer.question in numbers
                assert answer.text == answer.sent_in_order
                assert (answer.status == "answered") == answer.has_parts


def play(target: Target, steps: list[tuple[str, bool, str, str]]) -> None:
    """Play one random conversation, checking the invariants after every step."""
    run = next(_counter)
    group = f"Cgroup{run}"
    clock = datetime(2026, 11, 24, tzinfo=UTC)
    chats: set[str] = set()
    acknowledged: list[tuple[str, str]] = []
    for user, in_group, kind, text in steps:
        member = f"{user}{run}"
        chat = group if in_group else member
        chats.add(chat)
        clock += timedelta(seconds=3)
        event = Event(user_id=member, chat_id=chat, chat_type="group" if in_group else "user",
                      kind="unsupported" if kind == "sticker" else kind,  # type: ignore[arg-type]
                      timestamp=clock, text=text if kind == "text" else None,
                      postback=text if kind == "postback" else None,
                      event_id=f"e{run}-{len(acknowledged)}-{clock.timestamp()}",
                      content_type="sticker" if kind == "sticker" else None)
        replies = target.service.process(event).replies
        assert replies or kind == "sticker"
        said = "\n".join(r.as_text() for r in replies)
        if said.startswith(("✓ บันทึกข้อ", "✓ เขียนข้อ", "✓ เพิ่มในข้อ")):
            acknowledged.append((member, text.strip()))
        if text.strip() == "ยืนยัน" and "ลบข้อมูล" in said and "แล้ว" in said:
            assert not target.inspector.has_chat(member)
            assert target.inspector.parts_by(member) == 0
            acknowledged = [(m, t) for m, t in acknowledged if m != member]
        check_invariants(target.inspector, chats)
    stored = Counter(target.inspector.texts(chats))
    for text, count in Counter(t for _, t in acknowledged).items():
        assert stored[text] >= count, text


def test_random_conversations_never_raise_and_keep_the_invariants(target):
    @settings(max_examples=target.examples, deadline=None)
    @given(steps=st.lists(STEP, min_size=1, max_size=40))
    def random_conversation(steps):
        play(target, steps)

    random_conversation()
