"""One event being handled, and what its handlers share: lookups, choices, member modes.

Handlers are module functions that receive the :class:`Turn`, as the callbacks of
python-telegram-bot's ``examples/conversationbot.py`` receive the update and context.
A handler that cannot go on raises :class:`StopTurn` with the replies to send instead
(python-telegram-bot's ``ApplicationHandlerStop``, Flask's ``abort``); the engine
catches it once, in dispatch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.rubrics import Category, Question, Rubric

from .messages import Choice, Event, Reply, Text
from .modes import FINISHED_MARK, DeleteConfirmation, Edit, EditWindow, MoveHistory
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
#: The per-member table of each member's last finished edit (when it began and ended).
EDIT_WINDOWS = "edit_windows"


class StopTurn(Exception):
    """Stop handling the event and send these replies instead."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__("turn stopped")
        self.replies = list(replies)


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

    def about_member(self, reply: Text, *, mention: bool = False, quote: bool = True) -> Text:
        """In a group, point a reply at this member's message: quote it, and mention them.

        A 1:1 chat needs neither, and a member LINE does not name cannot be mentioned.
        """
        if not self.event.in_group or not self.known_member:
            return reply
        quote_token = self.event.quote_token if quote else None
        return replace(reply, quote_token=quote_token or reply.quote_token,
                       mention=self.user if mention else reply.mention)

    def require_member(self) -> str:
        """Return the acting member's id, or stop: without one nobody can tell who is speaking."""
        if not self.known_member:
            raise StopTurn(Text(self.texts.get("member_unknown"), choices=self.answer_choices()))
        return self.user

    def member_entry(self, table: str) -> Any:
        """Return this member's entry in a per-member table of the context (None if none).

        Members LINE does not name never have an entry: they never share one slot.
        """
        if not self.known_member:
            return None
        return (self.conversation.context.get(table) or {}).get(self.user)

    def set_member_entry(self, table: str, value: Any) -> None:
        """Keep this member's entry in a per-member table (an empty value forgets it)."""
        if not self.known_member:
            return
        members = dict(self.conversation.context.get(table) or {})
        if value:
            members[self.user] = value
        else:
            members.pop(self.user, None)
        self.conversation.context[table] = members

    def _member(self, table: str) -> dict[str, Any]:
        entry = self.member_entry(table)
        return dict(entry) if isinstance(entry, dict) else {}

    def _set_member(self, table: str, value: dict[str, Any] | None) -> None:
        self.set_member_entry(table, value)

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

    @property
    def edit_window(self) -> EditWindow | None:
        """Return this member's last finished edit, if one is remembered."""
        return EditWindow.load(self._member(EDIT_WINDOWS))

    @edit_window.setter
    def edit_window(self, value: EditWindow | None) -> None:
        self._set_member(EDIT_WINDOWS, value.dump() if value is not None else None)

    def move(self, application: ApplicationRecord, number: int) -> None:
        """Make question ``number`` the open one, and remember since when (for late messages)."""
        self.store.set_current_question(application.id, number, at=self.at)
        self._record_move(application.id, number)

    def _record_move(self, application: int, number: int) -> None:
        history = MoveHistory.load(self.conversation.context.get(MOVES))
        history.record(application, number, self.at)
        self.conversation.context[MOVES] = history.dump()

    def mark_finished(self, application: ApplicationRecord) -> None:
        """Remember that from now on no question is open (the end of the questions)."""
        self._record_move(application.id, FINISHED_MARK)

    def open_at(self, at: datetime) -> tuple[int, int] | None:
        """Return (application, question) open when a message was sent at ``at``.

        None when the kept history does not reach back that far (or has nothing yet); the
        question is :data:`~bot.coach.modes.FINISHED_MARK` when the questions were over.
        """
        return MoveHistory.load(self.conversation.context.get(MOVES)).open_at(at)

    def has_moved_since(self, at: datetime) -> bool:
        """Tell whether the chat's open question has changed since ``at``, as far as kept."""
        moves = MoveHistory.load(self.conversation.context.get(MOVES)).moves
        return bool(moves) and moves[-1][0] > at

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
