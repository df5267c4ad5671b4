"""Words counted once, before the chat's lock: the cache in front of the word counter."""

from __future__ import annotations

import pickle
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import select

from bot.coach.word_counts import WordCounts
from bot.store.models import AnswerPart

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]
ANSWER = "เดิมประชาชนต้องเดินทางมายื่นคำขอ 3 ครั้ง ปัจจุบันยื่นออนไลน์ได้ครั้งเดียว"


class Counter:
    """A word counter that records each text it counted and whether the chat was locked."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, bool]] = []
        self.locked = False
        self.lock = threading.Lock()

    def __call__(self, text: str) -> int:
        with self.lock:
            self.calls.append((text, self.locked))
        return len(text.split())


def counted_chat(chat) -> Counter:
    """Give the chat's engine a recording counter; mark when the chat's store is open."""
    counter = Counter()
    chat.service.coach.word_count = WordCounts(counter)
    stores = chat.service.stores
    opening = stores.open

    @contextmanager
    def open_marked(*args, **kwargs):
        with opening(*args, **kwargs) as store:
            counter.locked = True
            try:
                yield store
            finally:
                counter.locked = False

    object.__setattr__(stores, "open", open_marked)  # the SQL opener is a frozen dataclass
    for text in SETUP:
        chat.say(text)
    return counter


def test_a_text_is_counted_once_and_the_same_count_comes_back():
    counter = Counter()
    counts = WordCounts(counter)
    assert (counts.warm("ก ข ค"), counts("ก ข ค"), counts("ก ข ค")) == (3, 3, 3)
    assert [text for text, _ in counter.calls] == ["ก ข ค"]


def test_the_cache_keeps_at_most_its_entries_and_drops_the_least_recently_used():
    counter = Counter()
    counts = WordCounts(counter, entries=2)
    counts("a"), counts("b"), counts("a"), counts("c")   # "b" is the least recently used
    counts("a"), counts("b")
    assert (len(counts), [text for text, _ in counter.calls]) == (2, ["a", "b", "c", "b"])


def test_a_cache_without_room_is_refused():
    with pytest.raises(ValueError):
        WordCounts(len, entries=0)


def test_threads_share_one_bounded_cache():
    counts = WordCounts(lambda text: len(text.split()), entries=50)
    texts = [f"คำ {n} " * (n % 7 + 1) for n in range(200)]

    def count_all() -> None:
        for text in texts:
            assert counts(text) == len(text.split())

    threads = [threading.Thread(target=count_all) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counts) == 50


def test_a_cache_pickles_as_an_empty_cache_around_the_same_counter():
    counts = WordCounts(len, entries=7)
    counts("ก ข")
    copy = pickle.loads(pickle.dumps(counts))
    assert (len(copy), copy.entries, copy("ก ข ค")) == (0, 7, 5)


def test_an_answer_is_counted_before_the_chats_lock_and_only_once(memory_chat):
    counter = counted_chat(memory_chat)
    counter.calls.clear()
    said = memory_chat.say("  " + ANSWER + "  ")
    assert "ข้อ 1" in said
    assert counter.calls == [(ANSWER, False)]   # counted outside the lock, not again inside


def test_a_stored_part_keeps_the_count_made_before_the_lock(chat):
    counter = counted_chat(chat)
    counter.calls.clear()
    chat.say(ANSWER)
    with chat.service.database.reading() as session:
        stored = session.scalars(select(AnswerPart.words)).all()
    assert (stored, counter.calls) == ([len(ANSWER.split())], [(ANSWER, False)])


def test_an_edited_message_is_counted_before_the_lock(memory_chat):
    counter = counted_chat(memory_chat)
    memory_chat.say(ANSWER, message_id="m1")
    counter.calls.clear()
    memory_chat.say(ANSWER + " เพิ่มเติม", kind="message_edited", message_id="m1")
    assert (ANSWER + " เพิ่มเติม", False) in counter.calls
    assert all(not locked for _, locked in counter.calls)
