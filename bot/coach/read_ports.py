"""What the engine reads in one go: a chat's written questions, and answers read before the lock.

:class:`OverviewStore` is part of every :class:`~bot.coach.ports.Store`: the list of a chat's
applications counts each one's answered questions from one aggregate read, however many
applications and parts there are. :class:`ChatReader` is part of every
:class:`~bot.coach.ports.StoreOpener`: it reads a chat's active application and its answers
without locking the chat or waiting for one that is locked, so that the service can analyse
them (into the analysis cache) before it opens the chat's write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .ports import AnswerRecord, ApplicationRecord


@dataclass(frozen=True)
class ActiveAnswers:
    """A chat's active application and its current answers, as read outside the chat's lock."""

    application: ApplicationRecord
    answers: dict[int, AnswerRecord]


class OverviewStore(Protocol):
    """Reads about all of one chat's applications at once (part of the Store)."""

    def written_questions(self) -> dict[int, frozenset[int]]:
        """Return, per application of this chat (by id), the questions that have text.

        A question has text when its answer's current revision has parts (as
        :attr:`~bot.coach.ports.AnswerRecord.has_text`); a skipped or emptied one has none.
        Every application of the chat is a key, one with nothing written maps to an empty
        set; another chat's applications are not there.
        """
        ...


    def answer_lengths(self, application_id: int,
                       question: int | None = None) -> dict[int, int]:
        """Return the length in characters of answers' current text, by question number.

        The length is that of :attr:`~bot.coach.ports.AnswerRecord.text` (the current
        revision's parts joined one per line), without reading the text: what a limit on an
        answer's or an application's length needs. ``question`` asks for that one only.
        Questions with no text are left out; another chat's application gives nothing.
        """
        ...


class ChatReader(Protocol):
    """Reads a chat as it stands, without its lock (part of the StoreOpener)."""

    def active_answers(self, chat_id: str) -> ActiveAnswers | None:
        """Return the chat's active application and its current answers, by question number.

        Nothing is locked, created or claimed, and the read does not wait for an event of
        the chat being handled: what it returns may be changed by that event meanwhile.

        Returns:
            The application and answers, or None when the chat does not exist, has no
            active application, or its active application is gone.

        Raises:
            StoreError: The storage failed.
        """
        ...
