"""Moving between questions: next, back, skip, goto, open and resume; asking a question."""

from __future__ import annotations

from collections.abc import Sequence

from bot.analysis.report import Finding, Report
from bot.rubrics import Question

from . import views
from .messages import Choice, Reply, Text
from .ports import ApplicationRecord, has_text
from .quoting import quoted_part
from .texts import Command
from .turn import ANSWERING, FINISHED, StopTurn, Turn

#: How many "go to question N" chips the end of the questions offers for the gaps left.
GAP_CHOICES = 3
#: How many of the usual chips follow "add to N" and "rewrite N" after a weak answer.
CHOICES_AFTER_FINDINGS = 4
#: How many fill-in chips (a sentence with blanks, for a finding that asks for a figure) come
#: first after a weak answer: more would crowd out the ways on.
FILL_IN_CHOICES = 2
#: The context's record of the questions already shown in full, per application: a question
#: seen before is asked again in short, with a chip for its full text.
SHOWN = "shown"


# States ---------------------------------------------------------------------------------

def state_finished(turn: Turn, text: str) -> list[Reply]:
    """Say the message was not kept, since no question is open, and what to do next."""
    application = turn.need_application()
    _, choices = completion(turn, application)
    return [Text(turn.texts.get("finished_hint"), choices=choices)]


# Commands -------------------------------------------------------------------------------

def next_question(turn: Turn) -> list[Reply]:
    """Finish the current answer, say what it is missing, and go to the next question."""
    application = turn.need_application()
    if turn.state != ANSWERING:
        return finish(turn, application, [])
    finished = application.current_question
    findings, report = findings_and_report(turn, application, finished)
    codes = tuple(report.codes) if report is not None else ()
    before: list[Reply] = []
    if findings is not None:
        # In a group, the member who finished the answer hears what it is missing.
        before.append(turn.about_member(findings, mention=bool(codes), quote=False))
    following = neighbour(turn, application, +1)
    if following is None:
        return finish(turn, application, before)
    replies = go(turn, application, following, before)
    if codes:
        asked = replies[-1]
        replies[-1] = Text(asked.as_text(), choices=(
            *fill_in_choices(turn, report.top() if report else [], finished),
            *ways_back(turn, codes, finished),
            *turn.answer_choices()[:CHOICES_AFTER_FINDINGS]))
    return replies


def fill_in_choices(turn: Turn, findings: Sequence[Finding], number: int) -> tuple[Choice, ...]:
    """Offer chips that reopen answer ``number`` with a sentence to complete, one per template.

    Tapping one goes to question ``number`` (its text is the goto command, sent as a postback
    where the transport has them), so the completed sentence the officer sends next is added
    to that answer like any other message.
    """
    goto = turn.choice("goto", number)
    chips: list[Choice] = []
    for finding in findings:
        if finding.fill_in and finding.fill_in_label and all(
                chip.fill_in != finding.fill_in for chip in chips):
            chips.append(Choice(finding.fill_in_label, goto.text, fill_in=finding.fill_in))
    return tuple(chips[:FILL_IN_CHOICES])


def ways_back(turn: Turn, codes: tuple[str, ...], number: int) -> tuple[Choice, ...]:
    """Offer to add to answer ``number`` or rewrite it; only to rewrite one that is too long."""
    rewrite = turn.choice("edit", number)
    if views.TOO_LONG in codes:
        return (rewrite,)
    return (turn.choice("goto", number, label="goto_add"), rewrite)


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
    number = valid_question(turn, application, command.number)
    # Asking for the open question again is asking to read it whole.
    whole = turn.state == ANSWERING and number == application.current_question
    return go(turn, application, number, full=whole or None)


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
    return go(turn, application, application.current_question, full=True)


# Moving ---------------------------------------------------------------------------------

def go(turn: Turn, application: ApplicationRecord, number: int,
       before: list[Reply] | None = None, *, full: bool | None = None) -> list[Reply]:
    """Make question ``number`` the current one and ask it (``full``: see :func:`ask`)."""
    turn.move(application, number)
    turn.state = ANSWERING
    return [*(before or []), ask(turn, application, number, full=full)]


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
                                       last=numbers[-1]), choices=turn.answer_choices()))


def finish(turn: Turn, application: ApplicationRecord, before: list[Reply]) -> list[Reply]:
    """Say the end of the questions is reached: all answered, or which are still empty."""
    turn.state = FINISHED
    turn.mark_finished(application)
    text, choices = completion(turn, application)
    return [*before, Text(text, choices=choices)]


def completion(turn: Turn, application: ApplicationRecord) -> tuple[str, tuple[Choice, ...]]:
    """Say whether every question has an answer, naming the empty ones, with the ways on."""
    answers = turn.store.answers(application.id)
    missing = [q.number for q in turn.questions(application)
               if not has_text(answers.get(q.number))]
    if not missing:
        return turn.texts.get("finished_all"), (
            turn.choice("draft"), turn.choice("progress"), turn.choice("list"))
    text = turn.texts.get("finished_with_gaps", count=len(missing),
                          gaps=", ".join(map(str, missing)))
    choices = tuple(turn.choice("goto", n) for n in missing[:GAP_CHOICES])
    return text, (*choices, turn.choice("draft"), turn.choice("progress"))


# What the officer sees of a question ---------------------------------------------------

def ask(turn: Turn, application: ApplicationRecord, number: int, *,
        full: bool | None = None) -> Text:
    """Show question ``number``: in full the first time in the chat or when ``full``, else short."""
    questions = turn.questions(application)
    position = next(i for i, q in enumerate(questions, start=1) if q.number == number)
    question = questions[position - 1]
    answer = turn.store.answer(application.id, number)
    shown = dict(turn.conversation.context.get(SHOWN) or {})
    seen = list(shown.get(str(application.id)) or [])
    if full is None:
        full = number not in seen
    if full:
        body = views.question_text(turn.texts, turn.rubric(application),
                                   turn.category(application), question, position,
                                   len(questions), answer)
        if number not in seen:
            shown[str(application.id)] = [*seen, number]
            turn.conversation.context[SHOWN] = shown
        return Text(body, choices=turn.answer_choices())
    body = views.question_brief(turn.texts, turn.rubric(application), question, position,
                                len(questions), answer)
    whole = turn.choice("goto", number, label="question_full")
    return Text(body, choices=(whole, *turn.answer_choices()))


def analyse(turn: Turn, application: ApplicationRecord, question: Question,
            text: str) -> Report | None:
    """Analyse one answer, or return None when there is no analyzer or no text."""
    analyzer = turn.coach.analyzer
    if analyzer is None or not text.strip():
        return None
    return analyzer(text, question, turn.rubric(application), application.category)


def findings_reply(turn: Turn, application: ApplicationRecord,
                   number: int) -> tuple[Text | None, tuple[str, ...]]:
    """Say what the answer to ``number`` is missing; return the codes of what it is missing."""
    text, report = findings_and_report(turn, application, number)
    return text, tuple(report.codes) if report is not None else ()


def findings_and_report(turn: Turn, application: ApplicationRecord,
                        number: int) -> tuple[Text | None, Report | None]:
    """Say what the answer to ``number`` is missing; return the report when it misses anything."""
    answer = turn.store.answer(application.id, number)
    if not has_text(answer):
        return None, None
    question = turn.rubric(application).question(number)
    report = analyse(turn, application, question, answer.text)
    if report is None:
        return None, None
    text = views.findings_text(turn.texts, question, report)
    if text is None:
        return Text(turn.texts.get("answer_looks_good", number=number, words=report.words)), None
    # The findings shown are report.top()'s, as views.findings_text shows them.
    part = quoted_part(report.top(), answer.parts,
                       lambda alone: analyse(turn, application, question, alone))
    return Text(text, quote_token=part.quote_token if part else None), report
