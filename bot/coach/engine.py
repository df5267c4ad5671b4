"""The coaching conversation: plain events in, plain replies out.

The engine knows no transport and no database. Each event arrives with a
:class:`~bot.coach.ports.Store` bound to its chat (a user's 1:1 chat, or a group or
room) inside one transaction; the engine reads and writes through it and returns replies.
It does not fit them to a channel: LINE's limits (five messages a reply, 20-character
labels, 13 chips) are applied by ``bot/web``.

Commands (next, edit N, draft …, with their Thai words in ``conversations/th.yaml``) are
recognised in every state and dispatched from :data:`COMMANDS` before the state
handlers of :data:`STATES`. The handlers live in one module per concern:

- :mod:`bot.coach.setup`: the branch, the category and the project's name;
- :mod:`bot.coach.writing`: a message becomes part of the open question's answer;
- :mod:`bot.coach.answering`: next, back, skip, goto, open and resume;
- :mod:`bot.coach.overview`: progress, the draft and the list of applications;
- :mod:`bot.coach.editing`: edit, append, finishing or cancelling an edit;
- :mod:`bot.coach.privacy`: deleting a member's data;
- :mod:`bot.coach.links`: draft links that stop opening (revoke, a member left, the end);
- :mod:`bot.coach.limiting`: what is over a limit (:mod:`bot.coach.limits`) is refused, and said.

```mermaid
stateDiagram-v2
    [*] --> new
    new --> choose_track: start
    choose_track --> choose_category: a branch (its name or number)
    choose_track --> name_project: a category code (1.1 … 2.5)
    choose_category --> name_project: a category code, number or name
    name_project --> answering: the project's name
    answering --> answering: text (appended) / next / back / skip / goto N
    answering --> finished: next on the last question
    finished --> answering: goto N / back / open N
    choose_track --> new: cancel (no application yet)
    choose_category --> answering: cancel (back to the active application)
    name_project --> answering: cancel (back to the active application)
```

Two modes belong to one member rather than the whole chat, so that in a group one
officer's edit never captures another officer's message: an :class:`~bot.coach.turn.Edit`
(edit N: the member's next messages replace the answer, append adds instead, next
finishes) and the :class:`~bot.coach.turn.DeleteConfirmation` of delete-my-data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.rubrics import RubricSet

from . import (
    answering,
    copying,
    corrections,
    details,
    editing,
    limiting,
    links,
    meaning,
    overview,
    privacy,
    recognition,
    setup,
    web_editing,
    writing,
)
from .editor_ports import EditorPublisher
from .limits import DEFAULT_LIMITS, Limits
from .messages import Event, Reply, Text, clean_text
from .ports import Analyzer, DraftPublisher, Store
from .texts import Command, Texts
from .turn import (
    ANSWERING,
    CHOOSE_CATEGORY,
    CHOOSE_TRACK,
    FINISHED,
    NAME_PROJECT,
    NEW,
    CommandHandler,
    StateHandler,
    StopTurn,
    Turn,
)

#: A returning officer is reminded where they left off after this long away.
RESUME_AFTER = timedelta(hours=3)


class Coach:
    """The conversation engine: the rubrics, the wording and the helpers it answers with."""

    def __init__(self, rubrics: RubricSet, texts: Texts, *, analyzer: Analyzer | None = None,
                 word_count: Callable[[str], int] = lambda text: len(text.split()),
                 publisher: DraftPublisher | None = None,
                 resume_after: timedelta = RESUME_AFTER,
                 editor: EditorPublisher | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.rubrics = rubrics
        self.texts = texts
        self.analyzer = analyzer
        self.word_count = word_count
        self.publisher = publisher
        self.resume_after = resume_after
        self.limits = limits
        self.editor = editor  # links to the answer editor (bot.editor sets it on the web)

    def handle(self, event: Event, store: Store) -> list[Reply]:
        """Handle one event and return the replies to send."""
        turn = Turn(coach=self, event=event, store=store, conversation=store.conversation())
        window = turn.conversation.context.get(limiting.RATE)
        refused = limiting.refusal(turn)  # too fast or too long: refused before anything else
        if refused is not None:
            if turn.conversation.context.get(limiting.RATE) != window:
                store.save_conversation(turn.conversation, at=event.timestamp)
            return refused
        reminder = reminder_for(turn)
        replies = privacy.with_deletion_notice(turn, dispatch(turn))
        if reminder is not None and replies:
            replies.insert(0, reminder)
        web_editing.acknowledge_web_saves(turn, replies)
        store.save_conversation(turn.conversation, at=event.timestamp)
        return replies


def dispatch(turn: Turn) -> list[Reply]:
    """Route the event to its handler; a handler that stops early gives its replies."""
    try:
        return route(turn)
    except StopTurn as stop:
        return stop.replies


def route(turn: Turn) -> list[Reply]:
    """Answer what happened in the chat: a follow, a join, a sticker, or text."""
    kind = turn.event.kind
    if kind in ("follow", "join", "unfollow", "leave"):
        # An ended chat's data is purged a retention period on, unless it comes back.
        turn.conversation.ended_at = turn.at if kind in ("unfollow", "leave") else None
    if kind == "follow":
        return [turn.greeting()]
    if kind == "join":
        return [turn.greeting("group_greeting")]
    if kind == "member_joined":
        return [Text(turn.texts.get("member_welcome"))]
    if kind in ("unfollow", "leave", "member_left"):
        return links.on_someone_left(turn)
    if kind == "message_edited":
        return corrections.on_message_edited(turn)
    if kind == "unsend":
        return corrections.on_unsend(turn)
    if kind == "unsupported":
        return meaning.on_unsupported(turn)
    text = clean_text((turn.event.text if kind == "text" else turn.event.postback) or "")
    if not text.strip():
        return [Text(turn.texts.get("empty_message"))]
    return on_text(turn, text)


def on_text(turn: Turn, text: str) -> list[Reply]:
    """Answer a message: a pending confirmation first, then what it means (commands first).

    A command counts with polite particles around it; thanks and near misses of a command
    are never written into an answer (:mod:`bot.coach.recognition`, :mod:`bot.coach.meaning`).
    """
    heard = recognition.classify(text, turn.texts)
    if heard.kind == "command" and details.forget_awaited(turn):
        if heard.command is not None and heard.command.name == "cancel":
            return [Text(turn.texts.get("detail_cancelled"), choices=turn.answer_choices())]
    if turn.delete_confirmation is not None:
        return on_delete_confirmation(turn, heard.command, text)
    return meaning.respond(turn, heard, text, commands=COMMANDS, write=write_message)


def write_message(turn: Turn, text: str) -> list[Reply]:
    """Write a message that is no command: into the member's edit, or by the chat's state.

    What counts is when LINE says the message was sent: one sent before the member's edit
    began is no part of it, and one sent while their last edit was open still joins it.
    A postback's data (a chip's command, such as a fill-in chip's) is never an answer: one
    the commands do not know is said not to be kept.
    """
    if turn.event.kind == "postback":
        return [meaning.courtesy(turn, "courtesy_reply")]
    detail = details.awaited(turn)
    if detail is not None:
        return details.take_awaited(turn, detail, text)
    edit = turn.edit
    if edit is not None and not edit.began_after(turn.at):
        application = turn.store.application(edit.application)
        if application is not None:
            return editing.edit_text(turn, edit, application, text)
        turn.edit = None
    window = turn.edit_window if edit is None else None
    if window is not None and window.holds(turn.at):
        application = turn.store.application(window.application)
        if application is not None:
            return editing.late_edit_text(turn, window, application, text)
    return STATES.get(turn.state, state_new)(turn, text)


def on_delete_confirmation(turn: Turn, command: Command | None, text: str) -> list[Reply]:
    """Delete on a confirmation; anything else keeps the data and is handled as usual."""
    turn.delete_confirmation = None
    if command is not None and command.name == "confirm":
        return privacy.delete_user_data(turn)
    notice = Text(turn.texts.get("delete_kept"))
    if command is not None and command.name == "cancel":
        return [notice]
    return [notice, *on_text(turn, text)]


def reminder_for(turn: Turn) -> Text | None:
    """Remind a returning officer where they left off."""
    last = turn.conversation.updated_at
    if (last is None or turn.event.kind not in ("text", "postback")
            or turn.at - last < turn.coach.resume_after
            or turn.state not in (ANSWERING, FINISHED)):
        return None
    application = turn.application()
    if application is None:
        return None
    return Text(turn.texts.get("welcome_back", title=application.title,
                               category=application.category,
                               number=application.current_question))


def state_new(turn: Turn, text: str) -> list[Reply]:
    """Greet an officer who has not started yet."""
    return [turn.greeting()]


def cmd_help(turn: Turn, command: Command) -> list[Reply]:
    """List the commands."""
    return [Text(turn.texts.get("help"), choices=turn.answer_choices())]


#: Every command's handler, by the command's name in ``conversations/th.yaml``; a test holds
#: these names equal to :data:`bot.coach.texts.COMMANDS`, whose words the wording gives.
COMMANDS: dict[str, CommandHandler] = {
    "start": setup.cmd_start,
    "next": editing.cmd_next,
    "back": answering.cmd_back,
    "skip": answering.cmd_skip,
    "goto": answering.cmd_goto,
    "edit": editing.cmd_edit,
    "append": editing.cmd_append,
    "progress": overview.cmd_progress,
    "draft": overview.cmd_draft,
    "list": overview.cmd_list,
    "open": answering.cmd_open,
    "cancel": editing.cmd_cancel,
    "delete": privacy.cmd_delete,
    "confirm": privacy.cmd_confirm,
    "help": cmd_help,
    "resume": answering.cmd_resume,
    "undo": corrections.cmd_undo,
    "redo": corrections.cmd_redo,
    "agency": details.cmd_agency,
    "contact": details.cmd_contact,
    "award_year": details.cmd_award_year,
    "copy": copying.cmd_copy,
    "revoke_links": links.cmd_revoke_links,
    "edit_on_web": web_editing.cmd_edit_on_web,
}

#: What a message that is no command means, by the chat's state.
STATES: dict[str, StateHandler] = {
    NEW: state_new,
    CHOOSE_TRACK: setup.state_choose_track,
    CHOOSE_CATEGORY: setup.state_choose_category,
    NAME_PROJECT: setup.state_name_project,
    ANSWERING: writing.state_answering,
    FINISHED: writing.state_finished,
}
