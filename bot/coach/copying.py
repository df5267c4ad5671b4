"""Copying an answer for OPDC's online form: chips that put it on the phone's clipboard.

LINE's clipboard action holds at most 1,000 characters and a reply at most 13 chips, so
an answer is cut into pieces between paragraphs (else between words) and the officer is
told when it is longer than the chips can hold.
"""

from __future__ import annotations

from .answering import valid_question
from .messages import Choice, Reply, Text
from .ports import has_text
from .texts import Command
from .turn import Turn

#: The most characters one clipboard action holds (LINE 14.0 and later).
PIECE = 1000
#: The most chips one reply carries.
MAX_PIECES = 13


def cmd_copy(turn: Turn, command: Command) -> list[Reply]:
    """Offer answer N in clipboard chips of at most 1,000 characters each."""
    application = turn.need_application()
    number = valid_question(turn, application, command.number)
    answer = turn.store.answer(application.id, number)
    if not has_text(answer):
        return [Text(turn.texts.get("copy_empty", number=number), choices=turn.answer_choices())]
    pieces = split_pieces(answer.text)
    shown = pieces[:MAX_PIECES]
    # A transport without a clipboard sends the chip's text: asking again is harmless.
    again = f"{turn.texts.word('copy')} {number}"
    choices = tuple(
        Choice(turn.texts.label("copy_piece").format(index=index, count=len(pieces)), again,
               clipboard=piece)
        for index, piece in enumerate(shown, start=1))
    replies: list[Reply] = [Text(turn.texts.get("copy_ready", number=number,
                                                chars=len(answer.text), count=len(pieces),
                                                size=PIECE), choices=choices)]
    if len(pieces) > MAX_PIECES:
        copied = sum(len(piece) for piece in shown)
        replies.insert(0, Text(turn.texts.get("copy_too_long", number=number,
                                              chars=len(answer.text), shown=MAX_PIECES,
                                              copied=copied)))
    return replies


def split_pieces(text: str, size: int = PIECE) -> list[str]:
    """Cut ``text`` into pieces of at most ``size`` characters that join back into it."""
    pieces = []
    rest = text
    while len(rest) > size:
        cut = _cut_point(rest, size)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, size: int) -> int:
    """Return where to cut: after the last line break, else the last space, in ``size``."""
    window = text[:size]
    for mark in ("\n", " "):
        at = window.rfind(mark)
        if at > size // 2:
            return at + 1
    return size
