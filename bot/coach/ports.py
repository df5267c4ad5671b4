"""What the engine needs from the outside, as small protocols over plain records.

The engine never sees a SQLAlchemy session: it gets a :class:`Store` bound to one chat
(a user's 1:1 chat, or a group or room) for the length of one event, and reads and writes
plain records through it. A :class:`StoreOpener` opens that store for each event.
bot/store implements both on SQLAlchemy (:class:`~bot.store.SqlStore`, opened by
:func:`~bot.store.chat_store`); :mod:`bot.coach.memory` implements them on dicts, for
tests and for running without a database. ``tests/test_store_contract.py`` holds every
implementation to the same behaviour.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeGuard

from bot.analysis.report import Report
from bot.rubrics import Question, Rubric

# DraftPublisher lives beside the link store it records links in; re-exported here.
from .link_ports import DraftPublisher as DraftPublisher
from .link_ports import LinkStore
from .read_ports import ChatReader, OverviewStore

#: The per-member tables of a group's context, keyed by user id, that delete-my-data forgets:
#: an edit in progress, a delete confirmation, parts taken back, a message set aside as a
#: possible typo, the last edit's window (for late messages), and a detail asked for.
MEMBER_TABLES = ("edits", "confirm_delete", "undone", "pending_text", "edit_windows",
                 "awaiting_detail")
#: Context: applications whose creator's data was deleted (they asked, or the retention
#: purge after they blocked the bot); the group is told in its next reply.
DELETION_NOTICE = "details_deleted"


class StoreError(RuntimeError):
    """The store could not store or read what it was asked to."""


class DuplicateEvent(Exception):
    """The webhook event was processed before; opening its store changed nothing."""


class ChatChanged(Exception):
    """The chat changed after a store opened ``reads_first`` read it; nothing was kept."""


class NoSuchChat(Exception):
    """The chat was opened only if it exists (``create=False``), and it does not."""


@dataclass
class Conversation:
    """Where one chat stands: its state, its active application, and pending choices."""

    chat_id: str
    chat_type: str
    state: str
    application_id: int | None
    context: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None
    ended_at: datetime | None = None  # unfollowed or left then: purged a retention period on


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
    contact: str | None = None  # the contact person: a name and a phone number, as typed
    award_year: int | None = None  # the round applied for (B.E.); ``year`` is the criteria's


@dataclass(frozen=True)
class PartRecord:
    """One message that became part of an answer (LINE's message id when it came from LINE)."""

    author_id: str | None
    text: str
    sent_at: datetime
    message_id: str | None = None
    quote_token: str | None = None  # LINE's token for quoting the message in a reply


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


def has_text(answer: AnswerRecord | None) -> TypeGuard[AnswerRecord]:
    """Tell whether ``answer`` exists and has something written in it."""
    return answer is not None and answer.has_text


@dataclass(frozen=True)
class AnswerSummary:
    """What an answer amounts to after a message was added: how many parts, how many words."""

    question: int
    parts: int
    words: int


@dataclass(frozen=True)
class PlacedPart:
    """A part with its place: which application, question and revision, and its words."""

    application_id: int
    question: int
    revision: int
    part: PartRecord
    words: int


@dataclass(frozen=True)
class PartChange:
    """What editing or taking out a part did: the part, and what its answer amounts to now.

    ``current`` tells whether the part is (or, taken out, was) in its answer's current
    revision; ``revision`` is the answer's current revision after the change (lower than
    the part's when taking it out brought an earlier version back), and ``summary`` counts
    that revision's parts and words.
    """

    placed: PlacedPart
    current: bool
    revision: int
    summary: AnswerSummary


class Store(LinkStore, OverviewStore, Protocol):
    """Storage for one chat, inside one transaction.

    A store is bound to one chat (a user's 1:1 chat, or a group or room) and lives for one
    event: a :class:`StoreOpener` opens it, the engine reads and writes through it, and
    when the event is handled everything it wrote is kept together, or nothing is (when
    the event raises). Records handed out are copies: changing one changes nothing
    stored until it is passed back (as :meth:`save_conversation` does).

    An application belongs to the chat that created it; a store reads and writes only its
    own chat's applications, except :meth:`delete_user_data`, which reaches every chat.
    Answers are never overwritten: each message is a part with its author and send time,
    and :meth:`replace_answer` starts a new revision, keeping the earlier parts as the
    answer's earlier version. Times are stored and handed back as aware UTC datetimes.
    """

    def conversation(self) -> Conversation:
        """Return where this chat stands.

        A chat seen for the first time is in state ``"new"`` with no application and an
        empty context. The context is a copy: save it back with :meth:`save_conversation`.

        Returns:
            The chat's :class:`Conversation`.
        """
        ...

    def save_conversation(self, conversation: Conversation, *, at: datetime) -> None:
        """Store the chat's state, active application and context, as of ``at``.

        The context must be JSON data (it is stored as JSON and comes back as such).
        After :meth:`delete_user_data` deleted this very chat (a user deleting their own
        data in their 1:1 chat), this keeps nothing, not even the state.

        Raises:
            StoreError: The context could not be stored.
        """
        ...

    def create_application(self, *, track: str, year: int, category: str, title: str,
                           created_by: str | None, at: datetime) -> ApplicationRecord:
        """Create an application owned by this chat, at its first question.

        Its id is new and unique across every chat, never one given before.

        Returns:
            The new :class:`ApplicationRecord`, created and updated at ``at``.

        Raises:
            StoreError: This chat was deleted in this event.
        """
        ...

    def set_details(self, application_id: int, *, agency: str | None = None,
                    contact: str | None = None, award_year: int | None = None,
                    at: datetime) -> ApplicationRecord:
        """Set an application's agency, contact or award year; None leaves one as it is.

        Returns it as it is now, updated at ``at``; StoreError when it is not this chat's."""
        ...

    def application(self, application_id: int) -> ApplicationRecord | None:
        """Return one of this chat's applications.

        Returns:
            The application, or None when there is none with that id in this chat
            (another chat's application is None too).
        """
        ...

    def applications(self) -> list[ApplicationRecord]:
        """Return this chat's applications, oldest (lowest id) first; empty when none."""
        ...

    def set_current_question(self, application_id: int, number: int, *, at: datetime) -> None:
        """Move one of this chat's applications to question ``number``, updated at ``at``.

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def answers(self, application_id: int) -> dict[int, AnswerRecord]:
        """Return the current answers of one of this chat's applications.

        Every question that was ever written, skipped or opened for writing has an
        answer, even one with no parts (status ``"skipped"`` or ``"empty"``).

        Returns:
            The answers by question number; empty for an application that is not this
            chat's.
        """
        ...

    def answer(self, application_id: int, question: int) -> AnswerRecord | None:
        """Return the current answer to one question.

        Returns:
            The answer, or None when the question was never touched or the application
            is not this chat's.
        """
        ...

    def append_part(self, application_id: int, question: int, *, author: str | None,
                    text: str, words: int, at: datetime, message_id: str | None = None,
                    quote_token: str | None = None) -> AnswerSummary:
        """Add one message to the current revision of an answer; it becomes ``"answered"``.

        Parts are joined in the order they were sent (``at``), not stored; parts sent at
        the same moment keep the order they were stored in. ``message_id`` is LINE's id
        of the message (None from the terminal), ``quote_token`` LINE's token for quoting
        it, kept with the part; a message id that is already stored, anywhere, is not
        stored a second time (the answer is left as it is).

        Returns:
            How many parts and words the current revision has now.

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def replace_answer(self, application_id: int, question: int, *, author: str | None,
                       text: str, words: int, at: datetime, message_id: str | None = None,
                       quote_token: str | None = None) -> AnswerSummary:
        """Start a new revision of an answer with this one message.

        The earlier parts stay as the answer's earlier version. When the current revision
        has no parts yet, the message goes into it instead of starting another. The
        ``quote_token`` is kept, and a ``message_id`` already stored is not stored again,
        as in :meth:`append_part`.

        Returns:
            How many parts and words the new revision has (one part).

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def mark_skipped(self, application_id: int, question: int, *, at: datetime) -> None:
        """Mark a question as left for later, unless its current revision has parts.

        An answered question keeps its answer and its status.

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def edit_part(self, message_id: str, *, text: str, words: int,
                  at: datetime) -> PartChange | None:
        """Give the part this chat stored from LINE message ``message_id`` its edited text.

        The part keeps its place, author and send time; only its text and word count
        change. Edits may arrive out of order: the one made last (``at``) wins, so an
        edit made at or before the one that gave the part its text changes nothing.

        Returns:
            What changed, or None when nothing did: no part of this chat came from that
            message, or a later (or the same) edit was applied already.
        """
        ...

    def remove_part(self, message_id: str) -> PartChange | None:
        """Delete the part this chat stored from LINE message ``message_id``, in any revision.

        When that leaves the answer's current revision without parts, the newest earlier
        revision that has parts becomes current again; with none, the answer is
        ``"empty"`` again.

        Returns:
            The part taken out and its answer after, or None when no part of this chat
            came from that message (so removing twice is harmless).
        """
        ...

    def take_back_part(self, application_id: int, question: int, *,
                       author: str) -> PartChange | None:
        """Delete the last part ``author`` sent into the current revision of an answer.

        "Last" is by send time (then storing order). The answer then settles as after
        :meth:`remove_part`.

        Returns:
            The part taken out and its answer after, or None when the author has no part
            in the current revision (or the application is not this chat's).
        """
        ...

    def restore_part(self, placed: PlacedPart) -> PartChange | None:
        """Put a part taken out by :meth:`take_back_part` back where it was.

        It goes back into its own revision, in send-time order, with its message id and
        quote token; when the answer went back to an earlier revision meanwhile, the
        part's revision is current again, and when a later revision was started
        meanwhile, it goes into that one. The answer is ``"answered"``.

        Returns:
            The part restored and its answer after, or None when its message id is
            stored again already.

        Raises:
            StoreError: The application is not this chat's.
        """
        ...

    def delete_user_data(self, user_id: str, *, placeholder: str = "-") -> int:
        """Delete one user's 1:1 chat and parts everywhere; return how many parts and apps.

        An answer left with no current part is ``"empty"``; an application they created in
        a group (typed its title) gets ``placeholder`` as title, agency and contact, no
        creator, and its id in ``context[DELETION_NOTICE]``; :data:`MEMBER_TABLES` forget them.
        """
        ...


class StoreOpener(ChatReader, Protocol):
    """Opens the store of one chat for one event: the unit of work of the engine."""

    def open(self, chat_id: str, chat_type: str, *, event_id: str | None = None,
             create: bool = True, reads_first: bool = False) -> AbstractContextManager[Store]:
        """Open one transaction for one event of one chat and return its store.

        The chat is created (state ``"new"``) on its first event, unless ``create`` is
        False: then a chat that does not exist raises :class:`NoSuchChat`, storing nothing.
        Events of one chat are handled one at a time. When the ``with`` block ends normally
        everything the store wrote is kept, with ``event_id``; when it raises, nothing is.

        Raises:
            DuplicateEvent: ``event_id`` was processed before (nothing changed).
            ChatChanged: (``reads_first`` only) another event changed the chat after it read.
            StoreError: The storage failed.
        """
        ...


class Analyzer(Protocol):
    """Analyses one answer (bot.analysis.analyze)."""

    def __call__(self, text: str, question: Question, rubric: Rubric,
                 category: str | None = None) -> Report: ...

