"""Moving between questions: next, back, skip, goto, open and resume; asking a question."""

from __future__ import annotations

from bot.analysis.report import Report
from bot.rubrics import Question

from . import views
from .messages import Reply, Text
from .ports import ApplicationRecord, has_text
from .texts import Command
from .turn import ANSWERING, FINISHED, StopTurn, Turn

#: How many "go to question N" chips the finish message offers for the gaps left.
GAP_CHOICES = 8
#: How many of the usual chips follow "add to N" and "rewrite N" after a weak answer.
CHOICES_AFTER_FINDINGS = 4


# States ---------------------------------------------------------------------------------

def state_finished(turn: Turn, text: str) -> list[Reply]:
    """Explain that every question has been reached, and what to do next."""
    return [Text(turn.texts.get("finished_hint"), choices=turn.answer_choices())]


# Commands -------------------------------------------------------------------------------

def next_question(turn: Turn) -> list[Reply]:
    """Finish the current answer, say what it is missing, and go to the next question."""
    application = turn.need_application()
    if turn.state != ANSWERING:
        return go(turn, application, application.current_question)
    finished = application.current_question
    findings, weak = findings_reply(turn, application, finished)
    before: list[Reply] = [findings] if findings is not None else []
    following = neighbour(turn, application, +1)
    if following is None:
        return finish(turn, application, before)
    replies = go(turn, application, following, before)
    if weak:
        asked = replies[-1]
        replies[-1] = Text(asked.as_text(), choices=(
            turn.choice("goto", finished, label="goto_add"), turn.choice("edit", finished),
            *turn.answer_choices()[:CHOICES_AFTER_FINDINGS]))
    return replies


def cmd_back(turn: Turn, command: Command) -> list[Reply]:
    """Go to the previous question."""
    turn.edit = None
    application = turn.need_application()
    if turn.state == FINISHED:
        return go(turn, application, application.current_question)
    previous = neighbour(turn, application, -1)
    if previous is None:
        return go(turn, application, application.current_question,
                  [Text(turn.texts.get("already_first"))])
    return go(turn, application, previous)


def cmd_skip(turn: Turn, command: Command) -> list[Reply]:
    """Leave the current question for later and go on."""
    turn.edit = None
    application = turn.need_application()
    turn.store.mark_skipped(application.id, application.current_question, at=turn.at)
    following = neighbour(turn, application, +1)
    note: list[Reply] = [Text(turn.texts.get("skipped", number=application.current_question))]
    if following is None:
        return finish(turn, application, note)
    return go(turn, application, following, note)


def cmd_goto(turn: Turn, command: Command) -> list[Reply]:
    """Jump to question N."""
    turn.edit = None
    application = turn.need_application()
    return go(turn, application, valid_question(turn, application, command.number))


def cmd_open(turn: Turn, command: Command) -> list[Reply]:
    """Switch to application N of the list."""
    turn.edit = None
    applications = turn.store.applications()
    index = command.number or 0
    if not 1 <= index <= len(applications):
        return [Text(turn.texts.get("no_such_application", number=index,
                                    count=len(applications)),
                     choices=(turn.choice("list"),))]
    application = applications[index - 1]
    turn.conversation.application_id = application.id
    turn.forget_setup()
    note = Text(turn.texts.get("application_opened", title=application.title,
                               category=application.category))
    return go(turn, application, application.current_question, [note])


def cmd_resume(turn: Turn, command: Command) -> list[Reply]:
    """Show the question the chat is on (the rich menu's resume button)."""
    application = turn.application()
    if application is None:
        applications = turn.store.applications()
        if not applications:
            return [turn.greeting()]
        application = applications[-1]
        turn.conversation.application_id = application.id
    if turn.state == FINISHED:
        return finish(turn, application, [])
    return go(turn, application, application.current_question)


# Moving ---------------------------------------------------------------------------------

def go(turn: Turn, application: ApplicationRecord, number: int,
       before: list[Reply] | None = None) -> list[Reply]:
    """Make question ``number`` the current one and ask it."""
    turn.move(application, number)
    turn.state = ANSWERING
    return [*(before or []), ask(turn, application, number)]


def neighbour(turn: Turn, application: ApplicationRecord, step: int) -> int | None:
    """Return the question ``step`` away from the current one, or None past either end."""
    numbers = [q.number for q in turn.questions(application)]
    try:
        index = numbers.index(application.current_question) + step
    except ValueError:
        return numbers[0]
    return numbers[index] if 0 <= index < len(numbers) else None


def valid_question(turn: Turn, application: ApplicationRecord, number: int | None) -> int:
    """Return ``number`` if the application has that question, else stop and say the range."""
    numbers = [q.number for q in turn.questions(application)]
    if number in numbers:
        return number
    raise StopTurn(Text(turn.texts.get("no_such_question", number=number, first=numbers[0],
                                       last=numbers[-1])))


def finish(turn: Turn, application: ApplicationRecord, before: list[Reply]) -> list[Reply]:
    """Say every question has been reached, naming those still without an answer."""
    turn.state = FINISHED
    answers = turn.store.answers(application.id)
    missing = [q.number for q in turn.questions(application)
               if not has_text(answers.get(q.number))]
    if missing:
        text = turn.texts.get("finished_with_gaps", gaps=", ".join(map(str, missing)))
        choices = tuple(turn.choice("goto", n) for n in missing[:GAP_CHOICES])
        choices += (turn.choice("draft"), turn.choice("progress"))
    else:
        text = turn.texts.get("finished_all")
        choices = (turn.choice("draft"), turn.choice("progress"), turn.choice("list"))
    return [*before, Text(text, choices=choices)]


# What the officer sees of a question ---------------------------------------------------

def ask(turn: Turn, application: ApplicationRecord, number: int) -> Text:
    """Show question ``number`` with its dimension, points and guidance."""
    questions = turn.questions(application)
    position = next(i for i, q in enumerate(questions, start=1) if q.number == number)
    answer = turn.store.answer(application.id, number)
    body = views.question_text(turn.texts, turn.rubric(application), turn.category(application),
                               questions[position - 1], position, len(questions), answer)
    return Text(body, choices=turn.answer_choices())


def analyse(turn: Turn, application: ApplicationRecord, question: Question,
            text: str) -> Report | None:
    """Analyse one answer, or return None when there is no analyzer or no text."""
    analyzer = turn.coach.analyzer
    if analyzer is None or not text.strip():
        return None
    return analyzer(text, question, turn.rubric(application), application.category)


def findings_reply(turn: Turn, application: ApplicationRecord,
                   number: int) -> tuple[Text | None, bool]:
    """Say what the answer to ``number`` is missing; tell whether anything is."""
    answer = turn.store.answer(application.id, number)
    if not has_text(answer):
        return None, False
    question = turn.rubric(application).question(number)
    report = analyse(turn, application, question, answer.text)
    if report is None:
        return None, False
    text = views.findings_text(turn.texts, question, report)
    if text is None:
        return Text(turn.texts.get("answer_looks_good", number=number,
                                   words=report.words)), False
    return Text(text), True
