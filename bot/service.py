"""One event in, one transaction, replies out: the engine on a store.

Every transport (the LINE webhook, the terminal chat, the browser simulator) goes through
:meth:`CoachService.process`, so all of them store the same way: the service's
:class:`~bot.coach.ports.StoreOpener` opens the chat's store for the event (locking the
chat, claiming the webhook event id), the engine runs, and everything is kept together or
not at all. A redelivered event finds its id already claimed and changes nothing.

The store opener is SQL (:meth:`CoachService.create`, a :class:`~bot.store.Database`
from a URL) or memory (:meth:`CoachService.in_memory`, a
:class:`~bot.coach.memory.MemoryDatabase` that lives as long as the process).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from bot.coach.analysis_cache import AnalysisCache, analysis_scope, warm
from bot.coach.engine import Coach
from bot.coach.limits import DEFAULT_LIMITS, Limits
from bot.coach.memory import MemoryDatabase
from bot.coach.messages import Event, Outcome, Reply, clean_text
from bot.coach.ports import (
    ChatChanged,
    DraftPublisher,
    DuplicateEvent,
    NoSuchChat,
    Store,
    StoreError,
    StoreOpener,
)
from bot.coach.texts import Texts, default_texts
from bot.coach.word_counts import WordCounts
from bot.rubrics import RubricSet, default_rubrics
from bot.store import Database, SqlStoreOpener
from bot.store.models import ID_LENGTH
from bot.store.retention import RetentionPolicy, retention_policy

log = logging.getLogger("bot.service")

#: Events that only take something away (the chat ended, a member left, a message unsent):
#: they change a chat that exists and never create one, not even its event id.
REMOVING = ("unfollow", "leave", "member_left", "unsend")


def _ids_fit(event: Event) -> bool:
    """Tell whether the event's ids fit the database's id columns."""
    ids = (event.user_id, event.chat_id, event.event_id)
    return all(i is None or (0 < len(i) <= ID_LENGTH) for i in ids)


def _coach(publisher: DraftPublisher | None, rubrics: RubricSet | None,
           texts: Texts | None, retention: RetentionPolicy | None,
           limits: Limits = DEFAULT_LIMITS) -> Coach:
    """Load the content and the analysis, and build the engine that states the policy."""
    from bot.analysis import analyze, warm_up, word_count
    from bot.purging import with_retention

    warm_up()
    policy = retention if retention is not None else retention_policy(os.environ)
    return Coach(rubrics or default_rubrics(), with_retention(texts or default_texts(), policy),
                 analyzer=AnalysisCache(analyze), word_count=WordCounts(word_count),
                 publisher=publisher,
                 limits=limits)


@dataclass
class CoachService:
    """The conversation engine bound to a store opener (SQL or memory)."""

    stores: StoreOpener
    coach: Coach

    @classmethod
    def create(cls, database_url: str | None = None, *, publisher: DraftPublisher | None = None,
               rubrics: RubricSet | None = None, texts: Texts | None = None,
               migrate: bool = True, retention: RetentionPolicy | None = None,
               limits: Limits = DEFAULT_LIMITS) -> CoachService:
        """Load the content, connect, bring the schema up to date, and build the engine.

        ``retention`` is the policy the wording states (default: from the environment);
        ``limits`` what one chat may send (default: :data:`~bot.coach.limits.DEFAULT_LIMITS`).
        """
        coach = _coach(publisher, rubrics, texts, retention, limits)
        database = Database(database_url)
        if migrate:
            database.upgrade()
        return cls(stores=SqlStoreOpener(database), coach=coach)

    @classmethod
    def in_memory(cls, memory: MemoryDatabase | None = None, *,
                  publisher: DraftPublisher | None = None, rubrics: RubricSet | None = None,
                  texts: Texts | None = None, retention: RetentionPolicy | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> CoachService:
        """Load the content and build the engine on ``memory`` (a new, empty one by default)."""
        return cls(stores=memory if memory is not None else MemoryDatabase(),
                   coach=_coach(publisher, rubrics, texts, retention, limits))

    @property
    def database(self) -> Database:
        """Return the SQL database the service stores in (for exports, links and health).

        Raises :class:`StoreError` when the service keeps its data in memory.
        """
        if not isinstance(self.stores, SqlStoreOpener):
            raise StoreError("this service keeps its data in memory, not in a SQL database")
        return self.stores.database

    def _warm(self, event: Event) -> None:
        """Count the words of a message to be stored, and analyse what the event will show
        findings on, into the caches, before the chat's lock (bot.coach.word_counts,
        bot.coach.analysis_cache)."""
        counter = self.coach.word_count
        if event.kind in ("text", "message_edited") and isinstance(counter, WordCounts):
            text = clean_text(event.text or "").strip()
            if text:
                counter.warm(text)
        cache = self.coach.analyzer
        scope = analysis_scope(event, self.coach.texts)
        if scope is None or not isinstance(cache, AnalysisCache):
            return
        try:
            active = self.stores.active_answers(event.chat_id)
        except StoreError:
            return  # the event's own transaction meets the failure and says so
        if active is not None:
            warm(cache, self.coach.rubrics, active, scope)

    def process(self, event: Event, *,
                on_replies: Callable[[Store, list[Reply]], None] | None = None) -> Outcome:
        """Handle one event in one transaction; a repeated event id changes nothing.

        ``on_replies`` is called in the transaction with the store and the replies, so that
        what it writes (the webhook: the replies into the outbox) commits with the event.
        It may be called twice: the event first reads its chat without waiting for the
        chat's other events, and when one of them changed the chat meanwhile, the first
        transaction keeps nothing and the event runs again, waiting (the second call's
        transaction is the one kept).
        """
        if not _ids_fit(event):
            # LINE's ids are 33 (users, groups) and 26 (events) characters long.
            log.warning("event %.40s ignored: an id is longer than %d characters",
                        event.event_id, ID_LENGTH)
            return Outcome(replies=[])
        self._warm(event)
        try:
            try:
                replies = self._run(event, on_replies, reads_first=True)
            except ChatChanged:  # another event changed the chat while this one read it
                log.info("event %s read a chat that changed: run again in turn", event.event_id)
                replies = self._run(event, on_replies, reads_first=False)
        except DuplicateEvent:
            log.info("event %s already processed", event.event_id)
            return Outcome(replies=[], duplicate=True)
        except NoSuchChat:
            log.info("event %s removes from a chat with nothing stored", event.event_id)
            return Outcome(replies=[])
        return Outcome(replies=replies)

    def _run(self, event: Event, on_replies: Callable[[Store, list[Reply]], None] | None, *,
             reads_first: bool) -> list[Reply]:
        """Run the engine on the event in one transaction of its chat's store; return replies.

        ``reads_first``: the store may read before waiting for the chat's other events
        (:meth:`~bot.coach.ports.StoreOpener.open`), and raise ChatChanged, keeping nothing.
        """
        with self.stores.open(event.chat_id, event.chat_type, event_id=event.event_id,
                              create=event.kind not in REMOVING,
                              reads_first=reads_first) as store:
            replies = self.coach.handle(event, store)
            if on_replies is not None:
                on_replies(store, replies)
        return replies
