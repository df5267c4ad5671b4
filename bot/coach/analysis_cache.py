"""Analysis computed once: a bounded cache of reports, filled before the chat's lock is taken.

Analysing an answer of 5,000 characters takes milliseconds, and progress analyses every
answer of the application. Inside the chat's write transaction that time holds the chat's
lock (on SQLite, the whole database's), so other officers wait. Two things keep it out:

* :class:`AnalysisCache` wraps the analyzer (it is an :class:`~bot.coach.ports.Analyzer`
  itself) and keeps its reports in a least-recently-used table bounded by entries, keyed by
  a digest of what a report depends on: the text, the question's number, the category, the
  rubric's track and year, and :data:`ANALYSIS_VERSION`. An answer's text is its current
  revision's parts joined, so any change to its parts (a new part, an edit, an unsend, a
  rewrite) changes the key: nothing is ever invalidated by hand. One cache serves every
  thread of a process (gunicorn ``gthread`` workers); reports are frozen, so sharing them is
  safe. It lives as long as the process, so a new version of the analysis, which needs a
  restart to load, starts empty anyway; the version is in the key for a cache kept longer.
* :func:`warm` runs before the chat's transaction (:meth:`bot.service.CoachService.process`):
  for an event that will show findings (:func:`analysis_scope`: next, progress), it analyses
  the answers the event will read, as read outside the lock, into the cache. Inside the lock
  the engine's calls then find their reports; one whose text changed in between (another
  event of the chat came first) is analysed there, and counted as a miss.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from enum import Enum

from bot.analysis.report import Report
from bot.rubrics import Question, Rubric, RubricSet

from .messages import Event, clean_text
from .ports import Analyzer, has_text
from .read_ports import ActiveAnswers
from .recognition import classify
from .texts import Texts

#: Part of every key: raise it when the analysis changes while reports are kept elsewhere.
ANALYSIS_VERSION = "1"
#: Reports kept per process: a chat's progress needs ten to thirteen.
DEFAULT_ENTRIES = 1024


class Scope(Enum):
    """Which answers of the active application an event will analyse."""

    OPEN = "open"  # the open question's (next)
    ALL = "all"    # every answer with text (progress)


#: The commands that show findings, and what they analyse.
SCOPES = {"next": Scope.OPEN, "progress": Scope.ALL}


class AnalysisCache:
    """An analyzer that analyses each text once: reports kept in a bounded LRU, thread-safe."""

    def __init__(self, analyzer: Analyzer, *, entries: int = DEFAULT_ENTRIES,
                 version: str = ANALYSIS_VERSION) -> None:
        """Analyse with ``analyzer``; keep at most ``entries`` reports."""
        if entries < 1:
            raise ValueError("the analysis cache needs room for at least one report")
        self.analyzer = analyzer
        self.entries = entries
        self.version = version
        self._reports: OrderedDict[bytes, Report] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0  # analysed when asked: inside the chat's lock, when asked by the engine
        self.warmed = 0  # analysed ahead, by warm()

    def key(self, text: str, question: Question, rubric: Rubric, category: str | None) -> bytes:
        """Return the digest of everything a report depends on."""
        digest = hashlib.blake2b(digest_size=20)
        for piece in (self.version, rubric.track, str(rubric.year), str(question.number),
                      category or "", text):
            encoded = piece.encode("utf-8")
            digest.update(len(encoded).to_bytes(8, "big") + encoded)
        return digest.digest()

    def __call__(self, text: str, question: Question, rubric: Rubric,
                 category: str | None = None) -> Report:
        """Return the report on ``text``: the kept one, or a new one (a miss) that is kept."""
        key = self.key(text, question, rubric, category)
        report = self._get(key)
        if report is not None:
            with self._lock:
                self.hits += 1
            return report
        report = self.analyzer(text, question, rubric, category)
        self._put(key, report, miss=True)
        return report

    def warm(self, text: str, question: Question, rubric: Rubric,
             category: str | None = None) -> bool:
        """Analyse ``text`` into the cache unless its report is kept; tell whether it analysed."""
        key = self.key(text, question, rubric, category)
        if self._get(key) is not None:
            return False
        self._put(key, self.analyzer(text, question, rubric, category), miss=False)
        return True

    def _get(self, key: bytes) -> Report | None:
        with self._lock:
            report = self._reports.get(key)
            if report is not None:
                self._reports.move_to_end(key)
            return report

    def _put(self, key: bytes, report: Report, *, miss: bool) -> None:
        with self._lock:
            if miss:
                self.misses += 1
            else:
                self.warmed += 1
            self._reports[key] = report
            self._reports.move_to_end(key)
            while len(self._reports) > self.entries:
                self._reports.popitem(last=False)

    def __reduce__(self) -> tuple[type[AnalysisCache], tuple[Analyzer], dict[str, object]]:
        """Pickle as an empty cache around the same analyzer: a draft build process, which
        gets the analyzer pickled, starts with its own reports (a lock does not pickle)."""
        return (AnalysisCache, (self.analyzer,), {"entries": self.entries, "version": self.version})

    def __setstate__(self, state: dict[str, object]) -> None:
        """Take the bound and version of the pickled cache."""
        self.entries = int(state["entries"])  # type: ignore[call-overload]
        self.version = str(state["version"])

    def __len__(self) -> int:
        """Return how many reports are kept."""
        with self._lock:
            return len(self._reports)

    def stats(self) -> dict[str, int]:
        """Return the counters: reports kept, hits, misses (analysed when asked), warmed."""
        with self._lock:
            return {"kept": len(self._reports), "hits": self.hits, "misses": self.misses,
                    "warmed": self.warmed}


def analysis_scope(event: Event, texts: Texts) -> Scope | None:
    """Return which answers the event will analyse, or None when it analyses none."""
    if event.kind not in ("text", "postback"):
        return None
    text = clean_text((event.text if event.kind == "text" else event.postback) or "")
    if not text.strip():
        return None
    heard = classify(text, texts)
    if heard.kind != "command" or heard.command is None:
        return None
    return SCOPES.get(heard.command.name)


def warm(cache: AnalysisCache, rubrics: RubricSet, active: ActiveAnswers,
         scope: Scope) -> int:
    """Analyse into the cache the answers an event of ``scope`` will read; count the new ones."""
    application = active.application
    try:
        rubric = rubrics.get(application.track, application.year)
    except KeyError:
        return 0  # the engine tells the officer; nothing to analyse ahead
    if scope is Scope.OPEN:
        numbers = [application.current_question]
    else:
        numbers = [q.number for q in rubric.questions_for(application.category)]
    analysed = 0
    for number in numbers:
        answer = active.answers.get(number)
        if has_text(answer) and answer.text.strip():
            try:
                question = rubric.question(number)
            except KeyError:
                continue
            analysed += cache.warm(answer.text, question, rubric, application.category)
    return analysed
