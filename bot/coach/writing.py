"""Writing: a message typed while a question is open becomes a part of its answer."""

from __future__ import annotations

from . import corrections
from .messages import Reply, Text
from .ports import AnswerSummary, ApplicationRecord
from .turn import NEW, Turn


def state_answering(turn: Turn, text: str) -> list[Reply]:
    """Append the message to the current answer and acknowledge it briefly."""
    application = turn.application()
    if application is None:
        turn.state = NEW
        return [turn.greeting()]
    text = text.strip()
    summary = turn.store.append_part(application.id, application.current_question,
                                     author=turn.event.user_id, text=text,
                                     words=turn.coach.word_count(text), at=turn.at,
                                     message_id=turn.event.message_id)
    corrections.forget_undone(turn)
    return [acknowledge(turn, application, summary)]


def acknowledge(turn: Turn, application: ApplicationRecord, summary: AnswerSummary) -> Text:
    """Say briefly that the part was kept, with the answer's length against the expected.

    A member LINE names can take the part back: the acknowledgement offers "undo".
    """
    question = turn.rubric(application).question(summary.question)
    key = "ack_short" if summary.words < question.min_words else "ack"
    choices = turn.answer_choices()
    if turn.known_member:
        choices = (*choices, turn.choice("undo"))
    return Text(turn.texts.get(key, number=summary.question, parts=summary.parts,
                               words=summary.words, expected=question.min_words),
                choices=choices)
