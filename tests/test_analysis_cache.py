"""Analysis computed once: the bounded report cache, and the warm-up before the chat's lock."""

from __future__ import annotations

import pickle
import threading
from collections.abc import Callable

import pytest
from conftest import Chat

from bot.analysis.report import Report
from bot.coach.analysis_cache import AnalysisCache, Scope, analysis_scope, warm
from bot.coach.messages import Event
from bot.coach.read_ports import ActiveAnswers
from bot.coach.texts import default_texts
from bot.rubrics import Question, Rubric, default_rubrics

RUBRIC = default_rubrics().get("public_service", 2564)
SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]


class Recorder:
    """An analyzer that counts its calls and says which text it analysed."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, text: str, question: Question, rubric: Rubric,
                 category: str | None = None) -> Report:
        with self.lock:
            self.calls.append(text)
        return Report(words=len(text.split()), chars=len(text), findings=())


def test_a_text_is_analysed_once_and_the_same_report_comes_back():
    analyzer = Recorder()
    cache = AnalysisCache(analyzer)
    first = cache("ผู้รับบริการ 300 ราย", RUBRIC.question(1), RUBRIC, "1.1")
    again = cache("ผู้รับบริการ 300 ราย", RUBRIC.question(1), RUBRIC, "1.1")
    assert again is first and analyzer.calls == ["ผู้รับบริการ 300 ราย"]
    assert cache.stats() == {"kept": 1, "hits": 1, "misses": 1, "warmed": 0}


@pytest.mark.parametrize("change", [
    lambda text, q, c: (text + " เพิ่ม", q, c),          # a part added, edited or unsent
    lambda text, q, c: (text, RUBRIC.question(2), c),    # another question
    lambda text, q, c: (text, q, "1.2"),                 # another category
])
def test_anything_a_report_depends_on_makes_another_key(change: Callable):
    analyzer = Recorder()
    cache = AnalysisCache(analyzer)
    cache("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1")
    text, question, category = change("คำตอบ", RUBRIC.question(1), "1.1")
    cache(text, question, RUBRIC, category)
    assert len(analyzer.calls) == 2


def test_another_analysis_version_or_rubric_year_makes_another_key():
    cache = AnalysisCache(Recorder())
    key = cache.key("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1")
    newer = AnalysisCache(Recorder(), version="2").key("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1")
    assert key != newer
    other = next(r for r in default_rubrics() if (r.track, r.year) != (RUBRIC.track, RUBRIC.year))
    assert cache.key("คำตอบ", other.questions[0], other, "1.1") != cache.key(
        "คำตอบ", RUBRIC.question(other.questions[0].number), RUBRIC, "1.1")


def test_the_cache_keeps_at_most_its_entries_and_drops_the_least_recently_used():
    analyzer = Recorder()
    cache = AnalysisCache(analyzer, entries=2)
    question = RUBRIC.question(1)
    for text in ["หนึ่ง", "สอง", "หนึ่ง", "สาม", "หนึ่ง", "สอง"]:
        cache(text, question, RUBRIC, "1.1")
    assert len(cache) == 2
    assert analyzer.calls == ["หนึ่ง", "สอง", "สาม", "สอง"]   # สอง went when สาม came


def test_threads_share_one_bounded_cache():
    analyzer = Recorder()
    cache = AnalysisCache(analyzer, entries=8)
    question = RUBRIC.question(1)

    def work(offset: int) -> None:
        for index in range(200):
            cache(f"ข้อความ {(index + offset) % 12}", question, RUBRIC, "1.1")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = cache.stats()
    assert stats["kept"] == 8 and stats["hits"] + stats["misses"] == 800
    assert stats["misses"] == len(analyzer.calls)


def test_warming_analyses_ahead_and_the_call_then_hits():
    analyzer = Recorder()
    cache = AnalysisCache(analyzer)
    assert cache.warm("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1") is True
    assert cache.warm("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1") is False
    cache("คำตอบ", RUBRIC.question(1), RUBRIC, "1.1")
    assert cache.stats() == {"kept": 1, "hits": 1, "misses": 0, "warmed": 1}


def event(text: str) -> Event:
    from datetime import UTC, datetime
    return Event(user_id="U1", chat_id="U1", chat_type="user", kind="text",
                 timestamp=datetime(2026, 12, 1, tzinfo=UTC), text=text)


@pytest.mark.parametrize(("text", "scope"), [
    ("ถัดไป", Scope.OPEN), ("ความคืบหน้า", Scope.ALL), ("ความคืบหน้าครับ", Scope.ALL),
    ("ดูร่าง", None), ("ใบสมัครของฉัน", None), ("ผู้รับบริการ 300 ราย", None), ("", None)])
def test_only_the_events_that_show_findings_are_analysed_ahead(text, scope):
    assert analysis_scope(event(text), default_texts()) is scope


def chat_on(memory_chat: Chat) -> AnalysisCache:
    """Set a chat up with three answers; return its service's analysis cache, emptied."""
    for text in SETUP:
        memory_chat.say(text)
    for number in (1, 2, 3):
        memory_chat.say(f"ข้อ {number}")
        memory_chat.say(f"ผู้รับบริการ {number * 100} ราย ลดเวลารอจาก 45 วันเหลือ 7 วัน")
    cache = memory_chat.service.coach.analyzer
    assert isinstance(cache, AnalysisCache)
    return cache


def test_progress_finds_every_report_analysed_before_the_lock(memory_chat):
    cache = chat_on(memory_chat)
    before = cache.stats()
    said = memory_chat.say("ความคืบหน้า")
    after = cache.stats()
    assert "ข้อ" in said
    assert after["misses"] == before["misses"]            # nothing analysed inside the lock
    assert after["hits"] - before["hits"] >= 3
    memory_chat.say("ความคืบหน้า")
    assert cache.stats()["warmed"] == after["warmed"]     # nothing changed: nothing new


def test_an_answer_changed_after_the_warm_up_is_analysed_in_the_lock_and_counted(memory_chat):
    cache = chat_on(memory_chat)
    service = memory_chat.service
    stale = service.stores.active_answers("U1")
    assert stale is not None
    memory_chat.say("ข้อ 3")
    memory_chat.say("อีกส่วนหนึ่งที่ส่งมาระหว่างนั้น")
    service.stores.active_answers = lambda chat_id: stale   # the read before the change
    before = cache.stats()
    memory_chat.say("ความคืบหน้า")
    assert cache.stats()["misses"] == before["misses"] + 1   # question 3 changed meanwhile


def test_warm_reads_the_open_question_for_next_and_every_answer_for_progress(memory_chat):
    chat_on(memory_chat)
    active = memory_chat.service.stores.active_answers("U1")
    assert isinstance(active, ActiveAnswers) and active.application.current_question == 3
    fresh = AnalysisCache(Recorder())
    rubrics = default_rubrics()
    assert warm(fresh, rubrics, active, Scope.OPEN) == 1
    assert warm(fresh, rubrics, active, Scope.ALL) == 2
    assert warm(fresh, rubrics, active, Scope.ALL) == 0


def test_a_cache_pickles_as_an_empty_cache_around_the_same_analyzer():
    """A draft build process gets the analyzer pickled: the cache goes as its function."""
    from bot.analysis import analyze

    cache = AnalysisCache(analyze, entries=7)
    cache("ลดเวลาจาก 45 วันเหลือ 7 วัน", RUBRIC.question(1), RUBRIC, "1.1")
    copy = pickle.loads(pickle.dumps(cache))
    assert isinstance(copy, AnalysisCache)
    assert copy.analyzer is analyze
    assert (copy.entries, copy.version, len(copy)) == (7, cache.version, 0)
