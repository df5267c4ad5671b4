"""Several worker processes take one chat's events at once: nothing lost, nothing twice.

LINE may deliver an officer's quick messages to different gunicorn workers at the same
moment, and redeliver some. Events of one chat are serialised through the database (a row
lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so every part lands once, in the order of
the events' timestamps, whatever order the workers got them in.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from bot.coach.messages import Event

#: Every test here starts worker processes.
pytestmark = pytest.mark.slow

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
WORKERS = 4
_service = None


def _start_worker(database_url: str) -> None:
    global _service
    from bot.service import CoachService
    _service = CoachService.create(database_url, migrate=False)


def _deliver(event: Event, start_at: float) -> bool:
    """Wait for the common start, then process; tell whether it was a duplicate."""
    time.sleep(max(0.0, start_at - time.time()))
    return _service.process(event).duplicate


def message(text: str, seconds: float, *, user: str = "U1", group: str | None = None,
            event_id: str | None = None) -> Event:
    return Event(user_id=user, chat_id=group or user, chat_type="group" if group else "user",
                 kind="text", timestamp=T0 + timedelta(seconds=seconds), text=text,
                 event_id=event_id or f"ev-{user}-{seconds}")


def set_up(chat, steps: list[str], **where) -> None:
    for text in steps:
        chat.say(text, **where)


def deliver_at_once(database_url: str, events: list[Event]) -> list[bool]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WORKERS, mp_context=context, initializer=_start_worker,
                             initargs=(database_url,)) as pool:
        # Let every worker finish starting before the common start.
        list(pool.map(time.sleep, [0.01] * WORKERS))
        start_at = time.time() + 1.0
        futures = [pool.submit(_deliver, event, start_at) for event in events]
        return [f.result(timeout=120) for f in futures]


def test_ten_quick_messages_land_once_each_in_timestamp_order(chat):
    set_up(chat, ["เริ่ม", "1.2", "ศูนย์เรียนรู้การพัฒนาที่ดิน"])
    parts = [f"ส่วนที่ {n} ของคำตอบ" for n in range(1, 11)]
    events = [message(text, 3600 + n) for n, text in enumerate(parts, start=1)]
    shuffled = random.Random(7).sample(events, len(events))
    duplicates = deliver_at_once(chat.database_url, shuffled + shuffled[:3])
    assert sorted(duplicates) == [False] * 10 + [True] * 3
    assert chat.export()["applications"][0]["answers"] == {"1": "\n".join(parts)}


def test_two_group_members_answering_at_the_same_moment_lose_nothing(chat):
    set_up(chat, ["เริ่ม", "2.2", "กองทุนน้ำชุมชน"], group="Cteam")
    events = []
    for n in range(1, 7):
        events.append(message(f"คุณเอ ส่วน {n}", 100 + 2 * n, user="Ua", group="Cteam"))
        events.append(message(f"คุณบี ส่วน {n}", 101 + 2 * n, user="Ub", group="Cteam"))
    deliver_at_once(chat.database_url, random.Random(3).sample(events, len(events)))
    answer = chat.export("Cteam")["applications"][0]["answers"]["1"]
    assert answer.split("\n") == [e.text for e in sorted(events, key=lambda e: e.timestamp)]


@pytest.mark.parametrize("attempt", range(2))
def test_a_burst_of_navigation_never_skips_a_question(chat, attempt):
    set_up(chat, ["เริ่ม", "1.1", "คิวออนไลน์"])
    events = [message("ถัดไป", 500 + n, event_id=f"next-{attempt}-{n}") for n in range(4)]
    deliver_at_once(chat.database_url, events)
    assert chat.export()["applications"][0]["current_question"] == 5
