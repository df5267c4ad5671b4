"""Only what the officer meant goes into an answer: typos of commands, thanks, stickers.

:mod:`bot.coach.recognition` tells what a message means; this module answers it.

- A command runs, polite particles and fillers around it or not.
- Courtesy (thanks, okay, a lone particle, laughter, emoji) and a sticker are never
  written anywhere: the bot answers briefly and says where the officer is (the open
  application and question, or the edit, with the usual chips).
- A near miss of a command typed where it would be written into an answer (a question is
  open, or the member is editing) is set aside for that member, a :class:`PendingText` in
  the conversation's context, and the bot asks "did you mean <command>?" with two chips.

What happens to the set-aside text (per member; the reply never claims more than this):

- **yes** (the chip sends the command's word; "yes" or the suggested command typed out do
  the same): the command runs and the text is dropped: it was the command.
- **no** (the chip "no, it is part of my answer", or "no"): the text is written where it
  would have gone, with the time it was sent, and the reply says so before the usual
  acknowledgement.
- **another command**: it runs, and the reply first says the set-aside text was not saved.
- **another near miss**: it takes the place of the first, and the reply says so.
- **an ordinary message**: the officer went on without answering. The message is written as
  usual and the text stays aside; the first time only, the bot asks once more below the
  acknowledgement, so nothing is dropped silently and nobody is asked again and again.
- **courtesy**: answered as usual; the text stays aside.

A member LINE does not name (LINE on a computer, in a group) has no slot to keep text in,
so their near misses are written as before.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .messages import Choice, Reply, Text
from .recognition import Heard
from .texts import Command, normalise
from .turn import ANSWERING, FINISHED, SETTING_UP, CommandHandler, StopTurn, Turn

#: A blank of a fill-in sentence that was not completed (two or more underscores).
_BLANK = re.compile(r"_{2,}")

#: The per-member table of set-aside texts in the conversation's context.
PENDING = "pending_text"

#: Writes a message the usual way: into the member's edit or by the chat's state.
Writer = Callable[[Turn, str], list[Reply]]


@dataclass
class PendingText:
    """A member's message that looked like a typo of a command, kept aside until they say."""

    text: str
    command: Command
    at: datetime
    event_id: str | None = None
    message_id: str | None = None
    quote_token: str | None = None
    reminded: bool = False

    @classmethod
    def load(cls, stored: dict[str, Any]) -> PendingText | None:
        """Read a stored set-aside text; a malformed one counts as none."""
        try:
            number = stored.get("number")
            command = Command(str(stored["command"]), int(number) if number is not None else None)
            return cls(text=str(stored["text"]), command=command,
                       at=datetime.fromisoformat(str(stored["at"])),
                       event_id=_optional(stored.get("event_id")),
                       message_id=_optional(stored.get("message_id")),
                       quote_token=_optional(stored.get("quote_token")),
                       reminded=bool(stored.get("reminded", False)))
        except (KeyError, TypeError, ValueError):
            return None

    def dump(self) -> dict[str, Any]:
        """Return the set-aside text as it is stored in the conversation's context."""
        return {"text": self.text, "command": self.command.name, "number": self.command.number,
                "at": self.at.isoformat(), "event_id": self.event_id,
                "message_id": self.message_id, "quote_token": self.quote_token,
                "reminded": self.reminded}


def _optional(value: Any) -> str | None:
    """Return a stored optional string as one, None as None."""
    return str(value) if value is not None else None


def pending(turn: Turn) -> PendingText | None:
    """Return the acting member's set-aside text, if any."""
    stored = turn.member_entry(PENDING)
    return PendingText.load(stored) if isinstance(stored, dict) else None


def set_pending(turn: Turn, value: PendingText | None) -> None:
    """Keep (or forget) the acting member's set-aside text."""
    turn.set_member_entry(PENDING, value.dump() if value is not None else None)


# Answering a message by what it means --------------------------------------------------

def respond(turn: Turn, heard: Heard, text: str, *, commands: Mapping[str, CommandHandler],
            write: Writer) -> list[Reply]:
    """Answer a message by what it means; a set-aside text is settled first."""
    kept = pending(turn)
    if kept is not None:
        replies = settle(turn, kept, heard, text, commands=commands, write=write)
        if replies is not None:
            return replies
    if heard.command is not None:
        return commands[heard.command.name](turn, heard.command)
    if heard.kind == "courtesy":
        return [courtesy(turn, "courtesy_reply")]
    if heard.suggestion is not None and writes_answer(turn):
        return [ask(turn, heard.suggestion, text)]
    if kept is None and heard.reply == "no" and text_is_no_chip(turn, text):
        return [Text(turn.texts.get("meant_nothing"), choices=turn.answer_choices())]
    blanks = unfilled(turn, text)
    if blanks is not None:
        return [blanks]
    return write(turn, text)


def unfilled(turn: Turn, text: str) -> Text | None:
    """Refuse to write a fill-in sentence whose blanks ``__`` are still empty.

    The sentence came from a fill-in chip; sent as it is, it would put "__" into the
    answer. Nothing is written: the bot says so and offers the same sentence back, as it
    was sent, so the officer completes it instead of typing it again.
    """
    if _BLANK.search(text) is None or turn.event.kind == "postback":
        return None  # a postback is never written anyway (engine.write_message)
    if turn.edit is not None:
        number = turn.edit.question
    elif turn.state == ANSWERING and (application := turn.application()) is not None:
        number = application.current_question
    else:
        return None
    goto = turn.choice("goto", number)
    chip = Choice(turn.texts.label("blanks_fill"), goto.text, fill_in=text)
    return Text(turn.texts.get("blanks_unfilled"), choices=(chip, *turn.answer_choices()))


def settle(turn: Turn, kept: PendingText, heard: Heard, text: str, *,
           commands: Mapping[str, CommandHandler], write: Writer) -> list[Reply] | None:
    """Settle the member's set-aside text, or return None to answer the message as usual."""
    if heard.reply == "yes" or heard.command == kept.command:
        set_pending(turn, None)
        return commands[kept.command.name](turn, kept.command)
    if heard.reply == "no":
        set_pending(turn, None)
        return keep(turn, kept, write)
    if heard.command is not None or (heard.suggestion is not None and writes_answer(turn)):
        set_pending(turn, None)
        dropped = Text(turn.texts.get("meant_dropped", text=kept.text))
        try:
            return [dropped, *respond(turn, heard, text, commands=commands, write=write)]
        except StopTurn as stop:
            return [dropped, *stop.replies]
    if heard.kind == "text" and not kept.reminded:
        replies = write(turn, text)
        kept.reminded = True
        set_pending(turn, kept)
        return [*replies, still_aside(turn, kept)]
    return None


def keep(turn: Turn, kept: PendingText, write: Writer) -> list[Reply]:
    """Write the set-aside text as it was sent (its time, its LINE message), and say so."""
    event = dataclasses.replace(turn.event, kind="text", text=kept.text, postback=None,
                                timestamp=kept.at, event_id=kept.event_id,
                                message_id=kept.message_id, quote_token=kept.quote_token)
    replayed = dataclasses.replace(turn, event=event)
    return [Text(turn.texts.get("meant_kept", text=kept.text)), *write(replayed, kept.text)]


def writes_answer(turn: Turn) -> bool:
    """Tell whether a message from this member would be written into an answer."""
    if not turn.known_member:
        return False
    return turn.edit is not None or (turn.state == ANSWERING
                                     and turn.conversation.application_id is not None)


def text_is_no_chip(turn: Turn, text: str) -> bool:
    """Tell whether the message is what the "no" chip sends (a tap on an old chip)."""
    return normalise(text) == turn.texts.recognition.no[0]


# Asking "did you mean …?" ----------------------------------------------------------------

def ask(turn: Turn, suggestion: Command, text: str) -> Text:
    """Set the message aside and ask whether it was meant as the command."""
    kept = PendingText(text=text.strip(), command=suggestion, at=turn.at,
                       event_id=turn.event.event_id, message_id=turn.event.message_id,
                       quote_token=turn.event.quote_token)
    set_pending(turn, kept)
    return turn.about_member(Text(turn.texts.get("meant_command",
                                                 command=command_text(turn, suggestion),
                                                 text=kept.text),
                                  choices=meant_choices(turn, suggestion)), mention=True)


def still_aside(turn: Turn, kept: PendingText) -> Text:
    """Ask once more about a text still set aside."""
    return Text(turn.texts.get("meant_still_aside", text=kept.text,
                               command=command_text(turn, kept.command)),
                choices=meant_choices(turn, kept.command))


def command_text(turn: Turn, command: Command) -> str:
    """Return the command as the officer would type it: its word, and its number."""
    word = turn.texts.word(command.name)
    return word if command.number is None else f"{word} {command.number}"


def meant_choices(turn: Turn, command: Command) -> tuple[Choice, ...]:
    """Return the chips "yes, <command>" (it sends the command) and "no, it is my answer"."""
    wording = turn.texts.recognition
    typed = command_text(turn, command)
    return (Choice(wording.yes_label.format(command=typed), typed),
            Choice(wording.no_label, wording.no[0]))


# Courtesy, stickers and where the officer is ----------------------------------------------

def courtesy(turn: Turn, key: str) -> Text:
    """Answer thanks or a sticker briefly (message ``key``) and say where the officer is."""
    here = where(turn)
    return Text(f"{turn.texts.get(key)}\n{here.text}", choices=here.choices)


def on_unsupported(turn: Turn) -> list[Reply]:
    """Say that a sticker, photo or file is not kept, and where the officer is."""
    return [courtesy(turn, "unsupported")]


def where(turn: Turn) -> Text:
    """Say which application and question are open (or the edit), with the usual chips."""
    edit = turn.edit
    edited = turn.store.application(edit.application) if edit is not None else None
    if edit is not None and edited is not None:
        return Text(turn.texts.get("where_editing", number=edit.question, title=edited.title),
                    choices=(turn.choice("next"), turn.choice("cancel")))
    if turn.state in SETTING_UP:
        return Text(turn.texts.get("where_setup"),
                    choices=(turn.choice("cancel"), turn.choice("help")))
    application = turn.application()
    if application is None or turn.state not in (ANSWERING, FINISHED):
        return Text(turn.texts.get("where_nothing"), choices=(
            turn.choice("start"), turn.choice("list"), turn.choice("help")))
    if turn.state == FINISHED:
        return Text(turn.texts.get("where_finished", title=application.title,
                                   category=application.category),
                    choices=turn.answer_choices())
    return Text(turn.texts.get("where_answering", title=application.title,
                               category=application.category,
                               number=application.current_question),
                choices=turn.answer_choices())
