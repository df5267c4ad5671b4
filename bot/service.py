"""One event in, one transaction, replies out: the engine on the database.

Every transport (the LINE webhook, the terminal chat, the browser simulator) goes through
:meth:`CoachService.process`, so all of them store the same way: the chat's row is
locked, the webhook event id is recorded, the engine runs, and everything commits
together. A redelivered event finds its id already recorded and changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.coach.engine import Coach
from bot.coach.messages import Event, Outcome
from bot.coach.ports import DraftPublisher
from bot.coach.texts import Texts, default_texts
from bot.rubrics import RubricSet, default_rubrics
from bot.store import Database, DuplicateEvent, chat_store
from bot.store.models import ID_LENGTH

log = logging.getLogger("bot.service")


def _ids_fit(event: Event) -> bool:
    """Tell whether the event's ids fit the database's id columns."""
    ids = (event.user_id, event.chat_id, event.event_id)
    return all(i is None or (0 < len(i) <= ID_LENGTH) for i in ids)


@dataclass
class CoachService:
    """The conversation engine bound to a database."""

    database: Database
    coach: Coach

    @classmethod
    def create(cls, database_url: str | None = None, *, publisher: DraftPublisher | None = None,
               rubrics: RubricSet | None = None, texts: Texts | None = None,
               migrate: bool = True) -> "CoachService":
        """Load the content, connect, bring the schema up to date, and build the engine."""
        from bot.analysis import analyze, warm_up, word_count

        warm_up()
        database = Database(database_url)
        if migrate:
            database.upgrade()
        coach = Coach(rubrics or default_rubrics(), texts or default_texts(), analyzer=analyze,
                      word_count=word_count, publisher=publisher)
        return cls(database=database, coach=coach)

    def process(self, event: Event) -> Outcome:
        """Handle one event in one transaction; a repeated event id changes nothing."""
        if not _ids_fit(event):
            # LINE's ids are 33 (users, groups) and 26 (events) characters long.
            log.warning("event %.40s ignored: an id is longer than %d characters",
                        event.event_id, ID_LENGTH)
            return Outcome(replies=[])
        try:
            with chat_store(self.database, event.chat_id, event.chat_type,
                            event_id=event.event_id) as store:
                replies = self.coach.handle(event, store)
        except DuplicateEvent:
            log.info("event %s already processed", event.event_id)
            return Outcome(replies=[], duplicate=True)
        return Outcome(replies=replies)
