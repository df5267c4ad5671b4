"""One event being handled, and what its handlers share: lookups, choices, member modes.

Handlers are module functions that receive the :class:`Turn`, as the callbacks of
python-telegram-bot's ``examples/conversationbot.py`` receive the update and context.
A handler that cannot go on raises :class:`StopTurn` with the replies to send instead
(python-telegram-bot's ``ApplicationHandlerStop``, Flask's ``abort``); the engine
catches it once, in dispatch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from bot.rubrics import Category, Question, Rubric

from .messages import Choice, Event, Reply, Text
from .ports import ApplicationRecord, Conversation, Store
from .texts import Command, Texts

if TYPE_CHECKING:
    from .engine import Coach

NEW, CHOOSE_TRACK, CHOOSE_CATEGORY, NAME_PROJECT = (
    "new", "choose_track", "choose_category", "name_project")
ANSWERING, FINISHED = "answering", "finished"
SETTING_UP = (CHOOSE_TRACK, CHOOSE_CATEGORY, NAME_PROJECT)
#: The choices made while setting up an application, kept until it is created.
SETUP_KEYS = ("track", "year", "category")
#: The per-member tables of the conversation's context (the stored shape is a dict per member).
EDITS, CONFIRM_DELETE = "edits", "confirm_delete"
#: The context's history of question changes, per application.
MOVES = "moves"
#: How many question changes are remembered per application, to file late messages.
MOVES_KEPT = 20


class StopTurn(Exception):
    """Stop handling the event and send these replies instead."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__("turn stopped")
        self.replies = list(replies)


@dataclass
class Edit:
    """One member's edit in progress: their next messages rewrite or extend answer N."""

    application: int
    question: int
    mode: Literal["replace", "append"] = "replace"
    written: bool = False

    @classmethod
    def load(cls, stored: dict[str, Any]) -> Edit | None:
        """Read a stored edit; a malformed one counts as no edit at all."""
        try:
            mode: Literal["replace", "append"] = (
                "append" if stored.get("mode") == "append" else "replace")
            return cls(application=int(stored["application"]), question=int(stored["question"]),
                       mode=mode, written=bool(stored.get("written", False)))
        except (KeyError, TypeError, ValueError):
            return None

    def dump(self) -> dict[str, Any]:
        """Return the edit as it is stored in the conversation's context."""
        return {"application": self.application, "question": self.question,
                "mode": self.mode, "written": self.written}


@dataclass
class DeleteConfirmation:
    """One member has asked to delete their data and must confirm it."""

    asked: bool = True

    @classmethod
    def load(cls, stored: dict[str, Any]) -> DeleteConfirmation | None:
        """Read a stored confirmation request."""
        return cls() if stored.get("asked") else None

    def dump(self) -> dict[str, Any]:
        """Return the request as it is stored in the conversation's context."""
        return {"asked": self.asked}


@dataclass
class MoveHistory:
    """When each application's open question changed, newest last, a few per application.

    LINE may deliver a message after a later one (a redelivery after a failure); the text
    belongs to the question that was open when it was sent, which this history tells.
    """

    moves: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls, stored: Any) -> MoveHistory:
        """Read the stored history; anything malformed counts as no history."""
        moves: dict[str, list[tuple[str, int]]] = {}
        if isinstance(stored, dict):
            for key, entries in stored.items():
                try:
                    moves[str(key)] = [(str(at), int(number)) for at, number in entries]
                except (TypeError, ValueError):
                    continue
        return cls(moves)

    def dump(self) -> dict[str, list[list[Any]]]:
        """Return the history as it is stored in the conversation's context."""
        return {key: [[at, number] for at, number in entries]
                for key, entries in self.moves.items()}

    def record(self, application_id: int, number: int, at: datetime) -> None:
        """Remember that question ``number`` was opened at ``at``."""
        entries = self.moves.setdefault(str(application_id), [])
        entries.append((at.isoformat(), number))
        entries.sort(key=lambda entry: datetime.fromisoformat(entry[0]))
        del entries[:-MOVES_KEPT]

    def question_at(self, application_id: int, at: datetime, *, current: int) -> int | None:
        """Return the question open at ``at``: None if the kept history starts after it."""
        entries = self.moves.get(str(application_id), [])
        if not entries:
            return current  # nothing recorded: the application never moved since it was read
        opened = None
        for moved_at, number in entries:
            if datetime.fromisoformat(moved_at) > at:
                break
            opened = number
        if opened is None and len(entries) >= MOVES_KEPT:
            return None  # older than the history reaches
        return opened if opened is not None else entries[0][1]


@dataclass
class Turn:
    """One event being handled: the engine, the event, its chat's store and conversation."""

    coach: Coach
    event: Event
    store: Store
    conversation: Conversation
    replies: list[Reply] = field(default_factory=list)

    @property
    def texts(self) -> Texts:
        """Return the wording."""
        return self.coach.texts

    @property
    def user(self) -> str:
        """Return the id of the member who acted ('' when LINE did not say)."""
        return self.event.user_id or ""

    @property
    def at(self) -> datetime:
        """Return when the event happened."""
        return self.event.timestamp

    @property
    def state(self) -> str:
        """Return the chat's state."""
        return self.conversation.state

    @state.setter
    def state(self, value: str) -> None:
        self.conversation.state = value

    # Per-member modes -------------------------------------------------------------------

    @property
    def known_member(self) -> bool:
        """Tell whether LINE said who acted (group members on LINE PC/Mac come without an id)."""
        return bool(self.event.user_id)

    def require_member(self) -> str:
        """Return the acting member's id, or stop: without one nobody can tell who is speaking."""
        if not self.known_member:
            raise StopTurn(Text(self.texts.get("member_unknown"), choices=self.answer_choices()))
        return self.user

    def _member(self, table: str) -> dict[str, Any]:
        if not self.known_member:
            return {}  # members without an id never share one slot
        entry = (self.conversation.context.get(table) or {}).get(self.user)
        return dict(entry) if isinstance(entry, dict) else {}

    def _set_member(self, table: str, value: dict[str, Any] | None) -> None:
        if not self.known_member:
            return
        members = dict(self.conversation.context.get(table) or {})
        if value:
            members[self.user] = value
        else:
            members.pop(self.user, None)
        self.conversation.context[table] = members

    @property
    def edit(self) -> Edit | None:
        """Return this member's edit in progress, if any."""
        return Edit.load(self._member(EDITS))

    @edit.setter
    def edit(self, value: Edit | None) -> None:
        self._set_member(EDITS, value.dump() if value is not None else None)

    @property
    def delete_confirmation(self) -> DeleteConfirmation | None:
        """Return this member's pending request to delete their data, if any."""
        return DeleteConfirmation.load(self._member(CONFIRM_DELETE))

    @delete_confirmation.setter
    def delete_confirmation(self, value: DeleteConfirmation | None) -> None:
        self._set_member(CONFIRM_DELETE, value.dump() if value is not None else None)

    def move(self, application: ApplicationRecord, number: int) -> None:
        """Make question ``number`` the open one, and remember since when (for late messages)."""
        self.store.set_current_question(application.id, number, at=self.at)
        history = MoveHistory.load(self.conversation.context.get(MOVES))
        history.record(application.id, number, self.at)
        self.conversation.context[MOVES] = history.dump()

    def question_at(self, application: ApplicationRecord, at: datetime) -> int | None:
        """Return the question that was open at ``at``, or None when the history is too short."""
        history = MoveHistory.load(self.conversation.context.get(MOVES))
        return history.question_at(application.id, at, current=application.current_question)

    def forget_setup(self) -> None:
        """Forget the branch and category chosen for an application not yet created."""
        for key in SETUP_KEYS:
            self.conversation.context.pop(key, None)

    # Lookups ----------------------------------------------------------------------------

    def application(self) -> ApplicationRecord | None:
        """Return the chat's active application (forgetting it if it was deleted)."""
        if self.conversation.application_id is None:
            return None
        application = self.store.application(self.conversation.application_id)
        if application is None:
            self.conversation.application_id = None
        return application

    def need_application(self) -> ApplicationRecord:
        """Return the active application, or stop with a way to start or choose one."""
        application = self.application()
        if application is None:
            raise StopTurn(Text(self.texts.get("no_active_application"),
                                choices=(self.choice("start"), self.choice("list"))))
        return application

    def rubric(self, application: ApplicationRecord) -> Rubric:
        """Return the rubric the application is written against."""
        return self.coach.rubrics.get(application.track, application.year)

    def questions(self, application: ApplicationRecord) -> tuple[Question, ...]:
        """Return the application's questions, in order."""
        return self.rubric(application).questions_for(application.category)

    def category(self, application: ApplicationRecord) -> Category:
        """Return the application's category."""
        return self.rubric(application).category(application.category)

    # Choices ----------------------------------------------------------------------------

    def choice(self, command: str, number: int | None = None, *,
               label: str | None = None) -> Choice:
        """Return the chip that sends ``command`` (with its number), labelled from the texts."""
        text = self.texts.label(label or command)
        word = self.texts.word(command)
        if number is None:
            return Choice(text, word)
        return Choice(text.format(number=number), f"{word} {number}")

    def answer_choices(self) -> tuple[Choice, ...]:
        """Return the chips that fit where the chat stands."""
        names: tuple[str, ...]
        if self.state == ANSWERING:
            names = ("next", "skip", "back", "progress", "draft", "help")
            application = self.application()
            if (application is not None  # no way back from the first question
                    and application.current_question == self.questions(application)[0].number):
                names = tuple(name for name in names if name != "back")
        elif self.state == FINISHED:
            names = ("draft", "progress", "list", "help")
        else:
            names = ("start", "list", "help")
        return tuple(self.choice(name) for name in names)

    def greeting(self, key: str = "greeting") -> Text:
        """Return a greeting with the ways to begin."""
        return Text(self.texts.get(key), choices=(self.choice("start"), self.choice("list"),
                                                  self.choice("help")))


#: A command handler: the turn and the recognised command in, the replies out.
CommandHandler = Callable[[Turn, Command], list[Reply]]
#: A state handler: the turn and the message text in, the replies out.
StateHandler = Callable[[Turn, str], list[Reply]]
