"""Looking at the whole: progress per dimension, the compiled draft, the chat's applications."""

from __future__ import annotations

from dataclasses import replace

from bot.analysis.report import Report

from . import details, views
from .answering import analyse
from .messages import Choice, Progress, Reply, Text
from .ports import AnswerRecord, ApplicationRecord, has_text
from .stakes import default_stakes
from .texts import Command
from .turn import Turn


def cmd_progress(turn: Turn, command: Command) -> list[Reply]:
    """Show answered, warned, skipped and empty questions per dimension, with points."""
    application = turn.need_application()
    answers = turn.store.answers(application.id)
    return [views.progress_view(turn.texts, turn.rubric(application), application,
                                turn.questions(application), answers,
                                reports(turn, application, answers), turn.answer_choices(),
                                default_stakes())]


def cmd_draft(turn: Turn, command: Command) -> list[Reply]:
    """Deliver the draft, and remind when it names no agency yet."""
    application = turn.need_application()
    replies = draft_replies(turn, application)
    reminder = details.agency_reminder(turn, application)
    return replies if reminder is None else [*replies, reminder]


def draft_replies(turn: Turn, application: ApplicationRecord) -> list[Reply]:
    """Deliver the compiled draft: links (or files) when a publisher is set, else text."""
    answers = turn.store.answers(application.id)
    publisher = turn.coach.publisher
    if publisher is not None:
        replies = publisher(application, answers, chat_id=turn.conversation.chat_id,
                            member_id=turn.event.user_id, store=turn.store)
        return [*replies[:-1], with_choices(replies[-1], turn.answer_choices())]
    text = views.draft_text(turn.texts, turn.rubric(application), turn.category(application),
                            application, turn.questions(application), answers)
    return [Text(text, choices=turn.answer_choices())]


def cmd_list(turn: Turn, command: Command) -> list[Reply]:
    """List this chat's applications with how many questions each has answered."""
    applications = turn.store.applications()
    written = turn.store.written_questions()  # one read, however many applications
    answered = {}
    for application in applications:
        numbers = written.get(application.id, frozenset())
        questions = turn.questions(application)
        done = sum(1 for q in questions if q.number in numbers)
        answered[application.id] = (done, len(questions))
    return [views.applications_text(turn.texts, applications,
                                    turn.conversation.application_id, answered)]


def reports(turn: Turn, application: ApplicationRecord,
            answers: dict[int, AnswerRecord]) -> dict[int, Report]:
    """Analyse every answer that has text, by question number."""
    found = {}
    for question in turn.questions(application):
        answer = answers.get(question.number)
        if has_text(answer):
            report = analyse(turn, application, question, answer.text)
            if report is not None:
                found[question.number] = report
    return found


def with_choices(reply: Reply, choices: tuple[Choice, ...]) -> Reply:
    """Return ``reply`` with quick-reply choices, unless it has its own."""
    if reply.choices or isinstance(reply, Progress):
        return reply
    return replace(reply, choices=choices)
