"""Applying the limits of :mod:`bot.coach.limits`: refuse what is over, and say so in numbers.

Where text would enter an answer (a new part, the first message of an edit, a message
LINE delivers late, a text set aside as a possible typo and then kept, an edit made in
LINE) the length it would give is worked out first. What would be over a limit is not
stored, and the officer reads in Thai what the limit is, how far over they would be and
what to do; nothing already stored changes. A text that does not make an answer longer
is never refused for length.

The rate limit is applied first, before anything is read or analysed: the chat's context
keeps a small fixed window (when it began, how many text and postback events came in it,
whether the chat was told). The first message over the limit is told everything; later
ones in the same window get one line each, still saying that they were not kept, and
leave the window as it is (the chat is not written for them). Once the window has passed,
messages are handled as usual.

Lengths are read without the text (:meth:`~bot.coach.read_ports.OverviewStore.answer_lengths`:
the open answer's comes with the chat's lock); the application's total costs one aggregate
read, made only when the application's limit is below what its answers' own limits add up
to (otherwise those already keep it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .limits import WINDOW_SECONDS, Limits, joined_chars
from .messages import Reply, Text, clean_text
from .ports import AnswerRecord, ApplicationRecord
from .turn import StopTurn, Turn

#: The chat's rate window in its context.
RATE = "rate"
_WINDOW = timedelta(seconds=WINDOW_SECONDS)


@dataclass(frozen=True)
class Over:
    """What a text would be over: which limit, what it allows, and the lengths involved.

    ``chars`` is the text's own length; ``current`` and ``total`` the answer's (or the
    application's) length now and with the text in it.
    """

    kind: str  # "message", "answer" or "application"
    limit: int
    chars: int
    current: int = 0
    total: int = 0

    @property
    def over(self) -> int:
        """Return by how many characters the limit would be passed."""
        return (self.chars if self.kind == "message" else self.total) - self.limit


def _limits(turn: Turn) -> Limits:
    """Return the limits the engine applies."""
    return turn.coach.limits


# The rate and the message, before anything else -------------------------------------------

def refusal(turn: Turn) -> list[Reply] | None:
    """Refuse a text or postback over the chat's rate or the message limit (None: go on)."""
    if turn.event.kind not in ("text", "postback"):
        return None
    return over_rate(turn) or over_message(turn)


def over_rate(turn: Turn) -> list[Reply] | None:
    """Count the message in the chat's window; refuse it when the window holds too many."""
    limit = _limits(turn).messages_per_minute
    if limit <= 0:
        return None
    since, count, told = _window(turn.conversation.context.get(RATE), turn.at)
    count += 1
    if not told:  # once told, the window stays as it is: nothing to write per refusal
        turn.conversation.context[RATE] = {"since": since.isoformat(), "count": count,
                                           "told": count > limit}
    if count <= limit:
        return None
    wait = max(1, math.ceil((since + _WINDOW - turn.at).total_seconds()))
    key = "limit_rate_again" if told else "limit_rate"
    return [turn.about_member(Text(turn.texts.get(key, limit=limit, count=count,
                                                  over=count - limit, wait=wait)))]


def _window(stored: Any, at: datetime) -> tuple[datetime, int, bool]:
    """Return the window ``at`` falls in: when it began, what it counted, whether told."""
    try:
        since = datetime.fromisoformat(str(stored["since"]))
        count, told = int(stored["count"]), bool(stored["told"])
        if since - _WINDOW <= at < since + _WINDOW:
            return since, count, told
    except (KeyError, TypeError, ValueError):
        pass  # no window yet, or a malformed one: start afresh
    return at, 0, False


def over_message(turn: Turn) -> list[Reply] | None:
    """Refuse a message longer than one message may be."""
    raw = turn.event.text if turn.event.kind == "text" else turn.event.postback
    chars = len(clean_text(raw or "").strip())
    limit = _limits(turn).message_chars
    if chars <= limit:
        return None
    return [refused(turn, Over("message", limit, chars))]


# Text entering an answer ------------------------------------------------------------------

def check_append(turn: Turn, application: ApplicationRecord, number: int, text: str) -> None:
    """Stop the turn, saying why, when adding ``text`` to answer ``number`` is over a limit."""
    _check(turn, application, number, text, replace=False)


def check_replace(turn: Turn, application: ApplicationRecord, number: int, text: str) -> None:
    """Stop the turn, saying why, when ``text`` replacing answer ``number`` is over a limit."""
    _check(turn, application, number, text, replace=True)


def _check(turn: Turn, application: ApplicationRecord, number: int, text: str, *,
           replace: bool) -> None:
    """Stop the turn with the refusal when the text would be over a limit."""
    over = _over_answer(turn, application, number, text, replace=replace)
    if over is not None:
        raise StopTurn(refused(turn, over, number=number, title=application.title))


def _over_answer(turn: Turn, application: ApplicationRecord, number: int, text: str, *,
                 replace: bool) -> Over | None:
    """Return what writing ``text`` into answer ``number`` would be over, if anything."""
    limits = _limits(turn)
    chars = len(text)
    if chars > limits.message_chars:
        return Over("message", limits.message_chars, chars)
    lengths = _lengths(turn, application, number)
    current = lengths.get(number, 0)
    total = chars if replace or not current else current + 1 + chars
    return _over_totals(turn, application, number, lengths, chars, current, total)


def _lengths(turn: Turn, application: ApplicationRecord, number: int) -> dict[int, int]:
    """Return answer ``number``'s length, with every other one's when the total can bind."""
    limits = _limits(turn)
    if limits.application_chars < limits.questions_chars(turn.questions(application)):
        return turn.store.answer_lengths(application.id)
    return turn.store.answer_lengths(application.id, number)


def _over_totals(turn: Turn, application: ApplicationRecord, number: int,
                 lengths: dict[int, int], chars: int, current: int,
                 total: int) -> Over | None:
    """Return the limit an answer going from ``current`` to ``total`` characters passes.

    ``lengths`` holds the answers' lengths by question (every answer's when the
    application's total is to be checked).
    """
    if total <= current:
        return None  # no longer than it is: never refused for length
    limits = _limits(turn)
    most = limits.answer_chars(turn.rubric(application).question(number))
    if total > most:
        return Over("answer", most, chars, current, total)
    whole = sum(lengths.values())
    if whole - current + total > limits.application_chars:
        return Over("application", limits.application_chars, chars, whole,
                    whole - current + total)
    return None


# An edit made in LINE ---------------------------------------------------------------------

def refuse_edit(turn: Turn, message_id: str, text: str) -> list[Reply] | None:
    """Refuse an edit made in LINE that would put its answer over a limit (None: apply it)."""
    limits = _limits(turn)
    if len(text) > limits.message_chars:
        return [refused(turn, Over("message", limits.message_chars, len(text)), edit=True)]
    found = _part_of_message(turn, message_id)
    if found is None:
        return None
    application, number, answers, index = found
    parts = [part.text for part in answers[number].parts]
    current = joined_chars(parts)
    parts[index] = text
    lengths = {question: joined_chars([part.text for part in answer.parts])
               for question, answer in answers.items()}
    over = _over_totals(turn, application, number, lengths, len(text), current,
                        joined_chars(parts))
    if over is None:
        return None
    return [refused(turn, over, number=number, title=application.title, edit=True)]


def _part_of_message(turn: Turn, message_id: str
                     ) -> tuple[ApplicationRecord, int, dict[int, AnswerRecord], int] | None:
    """Find the current part of LINE message ``message_id``: its application, answer, place.

    Edits are rare (groups only), so reading the chat's answers here costs little.
    """
    for application in turn.store.applications():
        answers = turn.store.answers(application.id)
        for number, answer in answers.items():
            for index, part in enumerate(answer.parts):
                if part.message_id == message_id:
                    return application, number, answers, index
    return None


# Applications per chat --------------------------------------------------------------------

def new_application_refused(turn: Turn) -> Text | None:
    """Say why no new application can be started when the chat has as many as it may."""
    limit = _limits(turn).applications_per_chat
    count = len(turn.store.applications())
    if count < limit:
        return None
    return Text(turn.texts.get("limit_applications", count=count, limit=limit),
                choices=(turn.choice("list"), turn.choice("help")))


# The wording ------------------------------------------------------------------------------

def refused(turn: Turn, over: Over, *, number: int = 0, title: str = "",
            edit: bool = False) -> Text:
    """Say what is over which limit, that nothing was stored or changed, and what to do."""
    texts = turn.texts
    numbers = {"limit": over.limit, "chars": over.chars, "current": over.current,
               "total": over.total, "over": over.over}
    if over.kind == "message":
        said = texts.get("limit_over_message", **numbers)
        todo = texts.get("limit_todo_message", limit=over.limit)
    elif over.kind == "answer":
        said = texts.get("limit_over_answer", number=number, **numbers)
        todo = texts.get("limit_todo_answer", number=number)
    else:
        said = texts.get("limit_over_application", title=title, **numbers)
        todo = texts.get("limit_todo_application")
    outcome = (texts.get("limit_not_applied") if edit else texts.get("limit_not_kept"))
    reply = Text(f"{said} {outcome}\n{todo}", choices=() if edit else turn.answer_choices())
    return turn.about_member(reply, mention=edit, quote=not edit)
