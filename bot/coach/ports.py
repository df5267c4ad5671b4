"""What the engine needs from the outside, as small protocols over plain records.

The engine never sees a SQLAlchemy session: it gets a :class:`Store` bound to one chat
(a user's 1:1 chat, or a group or room) for the length of one event, and reads and writes
plain records through it. bot/store implements it on SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.analysis.report import Report
from bot.rubrics import Question, Rubric

from .messages import Reply


@dataclass
class Conversation:
    """Where one chat stands: its state, its active application, and pending choices."""

    chat_id: str
    chat_type: str
    state: str
    application_id: int | None
    context: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ApplicationRecord:
    """One application as the engine sees it."""

    id: int
    owner_id: str
    track: str
    year: int
    category: str
    title: str
    current_question: int
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    agency: str | None = None


@dataclass(frozen=True)
class PartRecord:
    """One message that became part of an answer."""

    author_id: str | None
    text: str
    sent_at: datetime


@dataclass(frozen=True)
class AnswerRecord:
    """The current answer to one question: its parts joined in order."""

    question: int
    status: str  # "answered", "skipped" or "empty"
    parts: tuple[PartRecord, ...]
    revision: int
    updated_at: datetime | None

    @property
    def text(self) -> str:
        """Join the parts, in order, one per paragraph."""
        return "\n".join(p.text for p in self.parts)

    @property
    def has_text(self) -> bool:
        """Tell whether anything has been written for this question."""
        return bool(self.parts)


def has_text(answer: AnswerRecord | None) -> bool:
    """Tell whether ``answer`` exists and has something written in it."""
    return answer is not None and answer.has_text


@dataclass(frozen=True)
class AnswerSummary:
    """What an answer amounts to after a message was added: how many parts, how many words."""

    question: int
    parts: int
    words: int


class Store(Protocol):
    """Storage for one chat, inside one transaction."""

    def conversation(self) -> Conversation: ...

    def save_conversation(self, conversation: Conversation, *, at: datetime) -> None: ...

    def create_application(self, *, track: str, year: int, category: str, title: str,
                           created_by: str | None, at: datetime) -> ApplicationRecord: ...

    def application(self, application_id: int) -> ApplicationRecord | None: ...

    def applications(self) -> list[ApplicationRecord]: ...

    def set_current_question(self, application_id: int, number: int, *, at: datetime) -> None: ...

    def answers(self, application_id: int) -> dict[int, AnswerRecord]: ...

    def answer(self, application_id: int, question: int) -> AnswerRecord | None: ...

    def append_part(self, application_id: int, question: int, *, author: str | None,
                    text: str, words: int, at: datetime) -> AnswerSummary: ...

    def replace_answer(self, application_id: int, question: int, *, author: str | None,
                       text: str, words: int, at: datetime) -> AnswerSummary: ...

    def mark_skipped(self, application_id: int, question: int, *, at: datetime) -> None: ...

    def delete_user_data(self, user_id: str) -> int: ...


class Analyzer(Protocol):
    """Analyses one answer (bot.analysis.analyze)."""

    def __call__(self, text: str, question: Question, rubric: Rubric,
                 category: str | None = None) -> Report: ...


class DraftPublisher(Protocol):
    """Turns an application into the replies that deliver its draft (links, or files).

    It is called inside the event's transaction, so it gets the answers from the engine
    instead of reading the database itself.
    """

    def __call__(self, application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                 chat_id: str) -> list[Reply]: ...
