"""Writing: a message typed while a question is open becomes a part of its answer."""

from __future__ import annotations

from . import answering, corrections, limiting
from .messages import Reply, Text
from .modes import FINISHED_MARK
from .ports import AnswerSummary, ApplicationRecord
from .turn import ANSWERING, NEW, Turn


def state_answering(turn: Turn, text: str) -> list[Reply]:
    """Append the message to the answer that was open when it was sent, and acknowledge it."""
    application = turn.application()
    if application is None:
        turn.state = NEW
        return [turn.greeting()]
    placed = where_sent(turn, application)
    if placed is None:
        return [Text(turn.texts.get("late_after_end"), choices=turn.answer_choices())]
    target, number, note = placed
    replies: list[Reply] = [note] if note is not None else []
    return [*replies, write_part(turn, target, number, text)]


def where_sent(turn: Turn, application: ApplicationRecord
               ) -> tuple[ApplicationRecord, int, Text | None] | None:
    """Return where a message belongs by when LINE says it was sent, with a note if late.

    A message sent before a later one moved the chat on (LINE redelivers after a failure)
    goes to the question open at the time; one older than the kept history goes to the
    open question, and the officer is told; one sent after the questions were over is
    not written (None).
    """
    opened = turn.open_at(turn.at)
    if opened is None:
        if turn.has_moved_since(turn.at):
            return application, application.current_question, Text(turn.texts.get(
                "late_unplaced", number=application.current_question))
        return application, application.current_question, None
    application_id, number = opened
    if number == FINISHED_MARK:
        return None
    if application_id != application.id:
        earlier = turn.store.application(application_id)
        if earlier is None:
            return application, application.current_question, None
        return earlier, number, Text(turn.texts.get("late_filed_other", title=earlier.title,
                                                    number=number))
    if number != application.current_question or turn.state != ANSWERING:
        return application, number, Text(turn.texts.get("late_filed", number=number))
    return application, number, None


def state_finished(turn: Turn, text: str) -> list[Reply]:
    """Write a message sent before the questions were over; say any later one was not kept."""
    application = turn.need_application()
    placed = where_sent(turn, application)
    if placed is None or not turn.has_moved_since(turn.at):
        return answering.state_finished(turn, text)
    target, number, note = placed
    return [*([note] if note is not None else []), write_part(turn, target, number, text)]


def write_part(turn: Turn, application: ApplicationRecord, number: int, text: str) -> Text:
    """Store the message as the newest part of answer ``number`` and acknowledge it."""
    text = text.strip()
    limiting.check_append(turn, application, number, text)
    summary = turn.store.append_part(application.id, number, author=turn.event.user_id,
                                     text=text, words=turn.coach.word_count(text), at=turn.at,
                                     message_id=turn.event.message_id,
                                     quote_token=turn.event.quote_token)
    corrections.forget_undone(turn)
    return acknowledge(turn, application, summary)


def acknowledge(turn: Turn, application: ApplicationRecord, summary: AnswerSummary) -> Text:
    """Say briefly that the part was kept, with the answer's length against the expected.

    A member LINE names can take the part back: the acknowledgement offers "undo".
    """
    question = turn.rubric(application).question(summary.question)
    key = "ack_short" if summary.words < question.min_words else "ack"
    choices = turn.answer_choices()
    if turn.known_member:
        choices = (*choices, turn.choice("undo"))
    return turn.about_member(Text(turn.texts.get(key, number=summary.question,
                                                 parts=summary.parts, words=summary.words,
                                                 expected=question.min_words),
                                  choices=choices))
