"""The plain values that cross the engine's boundary: events in, replies out.

Transports (the LINE webhook, the terminal chat, the browser simulator) turn their own
input into an :class:`Event` and render the :data:`Reply` values the engine returns.
Nothing here knows about LINE, Flask or SQLAlchemy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

ChatType = Literal["user", "group", "room"]
EventKind = Literal[
    "text",          # a text message
    "postback",      # a tap on one of the bot's postback buttons
    "follow",        # the user added the bot as a friend (or unblocked it)
    "unfollow",      # the user blocked the bot
    "join",          # the bot was added to a group or room
    "leave",         # the bot was removed from a group or room
    "member_joined", # someone joined a group or room the bot is in
    "unsupported",   # a sticker, image, file, audio, video or location
    "message_edited", # a member edited a text they sent (groups only): new text, its message id
    "unsend",        # a member took back a message they sent: its message id
    "member_left",   # members left a group or room (or were removed): their ids in members
]


@dataclass(frozen=True)
class Event:
    """Something an officer did: who, in which chat, what, and when."""

    user_id: str | None
    chat_id: str
    chat_type: ChatType
    kind: EventKind
    timestamp: datetime
    text: str | None = None
    postback: str | None = None
    event_id: str | None = None
    content_type: str | None = None  # for "unsupported": sticker, image, file, ...
    #: LINE's id of the message: a text's own, or the one a "message_edited"/"unsend" concerns.
    message_id: str | None = None
    quote_token: str | None = None  # LINE's token for quoting this text in a reply
    members: tuple[str, ...] = ()  # for "member_left": who left (LINE names only some)

    @property
    def in_group(self) -> bool:
        """Tell whether the event comes from a group or room rather than a 1:1 chat."""
        return self.chat_type != "user"


#: Characters XML 1.0 does not allow (tab, newline and carriage return it does), and the
#: non-characters U+FFFE and U+FFFF: the rules of ``bot.draft.cleaning.xml_safe``, kept here
#: so that the engine imports nothing of the draft.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Vertical tab and form feed end a line (Shift+Enter in Word, a pasted page break).
_LINE_BREAKS = re.compile("[\x0b\x0c]")


def clean_text(text: str) -> str:
    """Make typed text storable anywhere: XML 1.0 characters only, no lone surrogate halves.

    PostgreSQL's text cannot hold NUL, a lone surrogate (which JSON can carry escaped)
    cannot be encoded as UTF-8, and the Word draft cannot hold what XML 1.0 refuses; such
    characters are left out rather than the message refused, so nothing typed around them
    is lost. A vertical tab or form feed becomes a line break.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A surrogate pair split into two code points joins again; a lone half becomes U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _NOT_XML.sub("", _LINE_BREAKS.sub("\n", text))


@dataclass(frozen=True)
class Choice:
    """A quick-reply chip: a short label and the text it sends when tapped."""

    label: str
    text: str
    #: When set, tapping the chip puts this text on the phone's clipboard instead of
    #: sending ``text`` (LINE's clipboard action; other transports show the label).
    clipboard: str | None = None
    #: When set, tapping the chip sends ``text`` as a postback, never as an answer, and opens
    #: the keyboard with this sentence to complete (blanks ``__``); the officer's message
    #: then is an ordinary one (LINE's openKeyboard; the simulator fills its input box).
    fill_in: str | None = None


@dataclass(frozen=True)
class Button:
    """A button on a card: it either sends ``text`` or opens ``url``."""

    label: str
    text: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Text:
    """A text message, optionally with quick-reply choices under it.

    In a group, a reply about one member's message may ``mention`` that member (their LINE
    user id) and quote their message (its ``quote_token``); transports without either
    show the text alone.
    """

    text: str
    choices: tuple[Choice, ...] = ()
    mention: str | None = None
    quote_token: str | None = None

    def as_text(self) -> str:
        """Return the message as plain text."""
        return self.text


@dataclass(frozen=True)
class Card:
    """A card with a title, a body and buttons (links or commands)."""

    title: str
    body: str
    buttons: tuple[Button, ...] = ()
    choices: tuple[Choice, ...] = ()

    def as_text(self) -> str:
        """Return the card as plain text, links written out."""
        lines = [self.title, self.body]
        lines += [f"{b.label}: {b.url}" for b in self.buttons if b.url]
        return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class DimensionProgress:
    """Progress on one scoring dimension."""

    number: int
    name: str
    points: int
    questions: int
    answered: int
    warned: int
    skipped: int
    empty: int
    points_at_stake: float
    #: The counts in words ("answered 3/4 · could be stronger 1 …"), as the text view says them.
    summary: str = ""


@dataclass(frozen=True)
class Progress:
    """The progress view of one application, per dimension, with a text alternative."""

    title: str
    dimensions: tuple[DimensionProgress, ...]
    text: str
    choices: tuple[Choice, ...] = ()
    extra: str = ""
    #: The closing lines: the points at stake in all, and the one question to fix first.
    summary: tuple[str, ...] = ()

    def as_text(self) -> str:
        """Return the text alternative."""
        return self.text


Reply = Text | Card | Progress


@dataclass
class Outcome:
    """What processing one event produced."""

    replies: list[Reply] = field(default_factory=list)
    duplicate: bool = False
