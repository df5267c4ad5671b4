"""Property-based tests: random conversations never crash the engine and keep its invariants.

Random sequences of commands, answers, postbacks and stickers from random members of a
1:1 chat or a group. After every step: the chat's current question exists in its
category; every message the bot acknowledged as stored is in the database; each
answer's text is its current parts joined in send order; and after "delete my data" is
confirmed nothing written by that member is left.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.coach.messages import Event
from bot.rubrics import default_rubrics
from bot.service import CoachService
from bot.store.models import Answer, AnswerPart, Application, Owner

COMMANDS = ["เริ่ม", "ถัดไป", "ย้อนกลับ", "ข้าม", "ข้อ 3", "ข้อ 13", "ข้อ 0", "แก้ข้อ 2",
            "แก้ข้อ 12", "เพิ่ม", "ความคืบหน้า", "ดูร่าง", "ใบสมัครของฉัน", "เลือก 1",
            "เลือก 2", "ยกเลิก", "ลบข้อมูลของฉัน", "ยืนยัน", "ช่วยเหลือ", "ทำต่อ", "1", "2",
            "1.1", "2.3", "2.4", "บริการภาครัฐ", "next", "EDIT 1", "  ถัดไป . "]
THAI = st.text(alphabet=st.sampled_from(list("กขคงจฉชซดตถทนบปผพฟมยรลวสหอะาิีึืุูเแโใไ่้๊๋์ํ๐๑๒๓๔๕๖๗๘๙0123456789 ,.%\n😀")),
               min_size=1, max_size=80)
MESSAGE = st.one_of(st.sampled_from(COMMANDS), THAI)
STEP = st.tuples(st.sampled_from(["Ua", "Ub"]), st.booleans(),
                 st.sampled_from(["text", "text", "text", "postback", "sticker"]), MESSAGE)

_counter = itertools.count()


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.sqlite3'}"
    built = CoachService.create(url)
    yield built
    built.database.dispose()


def check_invariants(service, chats: set[str]) -> None:
    rubrics = default_rubrics()
    with service.database.session() as session:
        for owner in session.scalars(select(Owner).where(Owner.id.in_(chats))):
            assert owner.state in {"new", "choose_track", "choose_category", "name_project",
                                   "answering", "finished"}
            for application in owner.applications:
                rubric = rubrics.get(application.track, application.year)
                numbers = [q.number for q in rubric.questions_for(application.category)]
                assert application.current_question in numbers
                for answer in application.answers:
                    assert answer.question in numbers
                    current = [p for p in answer.parts if p.revision == answer.revision]
                    ordered = sorted(current, key=lambda p: (p.sent_at, p.id))
                    assert [p.text for p in current] == [p.text for p in ordered]
                    assert (answer.status == "answered") == bool(current)


def stored_texts(service, chats: set[str]) -> list[str]:
    with service.database.session() as session:
        rows = session.scalars(select(AnswerPart.text).join(Answer).join(Application)
                               .where(Application.owner_id.in_(chats)))
        return list(rows)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=40))
def test_random_conversations_never_raise_and_keep_the_invariants(service, steps):
    run = next(_counter)
    group = f"Cgroup{run}"
    clock = datetime(2026, 11, 24, tzinfo=timezone.utc)
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
        replies = service.process(event).replies
        assert replies or kind == "sticker"
        said = "\n".join(r.as_text() for r in replies)
        if said.startswith(("✓ บันทึกข้อ", "✓ เขียนข้อ", "✓ เพิ่มในข้อ")):
            acknowledged.append((member, text.strip()))
        if text.strip() == "ยืนยัน" and "ลบข้อมูล" in said and "แล้ว" in said:
            with service.database.session() as session:
                assert session.get(Owner, member) is None
                assert session.scalars(select(AnswerPart)
                                       .where(AnswerPart.author_id == member)).all() == []
            acknowledged = [(m, t) for m, t in acknowledged if m != member]
        check_invariants(service, chats)
    stored = Counter(stored_texts(service, chats))
    for text, count in Counter(t for _, t in acknowledged).items():
        assert stored[text] >= count, text
