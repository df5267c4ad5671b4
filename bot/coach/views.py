"""Turn rubric content and stored answers into the engine's replies."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.analysis.report import Report
from bot.rubrics import Category, Question, Rubric

from .messages import Choice, DimensionProgress, Progress, Text
from .ports import AnswerRecord, ApplicationRecord, has_text
from .stakes import StakeRule
from .texts import Texts

#: The finding that asks to cut the answer, not to add to it.
TOO_LONG = "over_limit"

#: About how long the preview of an answer so far is, in characters.
PREVIEW_CHARS = 300
#: About how long a quoted passage under a finding is.
QUOTE_CHARS = 120
#: About how long the first line of a question is in its short form.
BRIEF_CHARS = 90
ELLIPSIS = "\u2026"
#: How far past the limit the text is tokenized, so the word across the limit stays whole.
PREVIEW_WINDOW = 40


def number(value: float) -> str:
    """Format points: 20 → "20", 2.5 → "2.5", 2.46 → "2.5"."""
    return f"{round(value, 1):g}"


def question_header(texts: Texts, rubric: Rubric, question: Question, position: int,
                    total: int) -> str:
    """Say where the question stands: its number of how many, its dimension and points."""
    where = (texts.get("question_of", total=total) if position == question.number
             else texts.get("question_position", position=position, total=total))
    if question.dimension is None:
        return texts.get("question_header_extra", number=question.number, where=where)
    dimension = rubric.dimension(question.dimension)
    return texts.get("question_header", number=question.number, where=where,
                     dimension=dimension.number, dimension_name=dimension.name,
                     points=dimension.points, weight=number(question.weight))


def question_text(texts: Texts, rubric: Rubric, category: Category, question: Question,
                  position: int, total: int, answer: AnswerRecord | None) -> str:
    """Show one question with its points, the guidance and any answer so far."""
    lines = [question_header(texts, rubric, question, position, total), "",
             question.text, "", texts.get("guidance", guidance=question.guidance)]
    limit = question.limit
    if limit is not None and f"{limit.max} {texts.draft.units[limit.unit]}" not in (
            question.guidance):  # said once: the guidance may already give the limit
        lines.append(texts.get("limit_" + limit.unit, max=limit.max))
    if category.hints and rubric.checks_for(category.code, question.number):
        lines.append(texts.get("category_hint", code=category.code, hint=category.hints[0]))
    if has_text(answer):
        lines += ["", texts.get("answer_so_far", number=question.number,
                                preview=preview(answer.text))]
    return "\n".join(lines)


def question_brief(texts: Texts, rubric: Rubric, question: Question, position: int,
                   total: int, answer: AnswerRecord | None) -> str:
    """Show a question seen before in short: where it stands, its first line, the answer."""
    lines = [question_header(texts, rubric, question, position, total),
             preview(question.text.splitlines()[0], BRIEF_CHARS)]
    if has_text(answer):
        lines.append(texts.get("answer_so_far_brief", preview=preview(answer.text, QUOTE_CHARS)))
    else:
        lines.append(texts.get("question_brief_empty"))
    return "\n".join(lines)


def clusters(text: str) -> int:
    """Count what a reader sees as characters: a Thai vowel or tone mark joins its consonant."""
    return sum(1 for char in text if unicodedata.category(char) not in ("Mn", "Me"))


def preview(text: str, limit: int = PREVIEW_CHARS, *,
            measure: Callable[[str], int] = len) -> str:
    """Shorten ``text`` to at most ``limit`` (by ``measure``), cut between two words, with "…"."""
    text = text.strip()
    if measure(text) <= limit:
        return text
    # Imported here: the tokenizer's dictionary is loaded only when a text needs cutting.
    from bot.analysis.tokens import tokenize

    kept = size = 0
    # A window past the limit, so that the word across it is tokenized whole.
    for token in tokenize(text[:limit + PREVIEW_WINDOW]):
        size += measure(token)
        if size > limit:
            break
        kept += len(token)
    # A single token longer than the limit (a link, a long number) is cut where it must be.
    return (text[:kept or limit]).rstrip() + ELLIPSIS


def findings_text(texts: Texts, question: Question, report: Report, limit: int = 3) -> str | None:
    """Say what the just-finished answer is missing, the most important first."""
    top = report.top(limit)
    if not top:
        return None
    lines = [texts.get("findings_header", number=question.number, words=report.words)]
    shown: set[str] = set()
    for finding in top:
        if finding.message in shown:
            continue  # the same advice twice says nothing new
        lines.append(f"\u2022 {finding.message}")
        # Two findings about one sentence quote it once, under the first.
        if finding.quote and finding.quote not in shown:
            lines.append(texts.get("finding_quote", quote=preview(finding.quote, QUOTE_CHARS)))
        shown.update(filter(None, (finding.message, finding.quote)))
    key = "findings_footer_cut" if TOO_LONG in report.codes else "findings_footer"
    lines.append(texts.get(key, number=question.number))
    return "\n".join(lines)


# Progress -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """Where one question stands: answered or not, with findings, and the points at stake."""

    number: int
    dimension: int | None
    answered: bool
    skipped: bool
    warned: bool
    at_stake: float


def standing(question: Question, answer: AnswerRecord | None, report: Report | None,
             rule: StakeRule) -> Standing:
    """Tell where ``question`` stands, its points at stake by ``rule``."""
    answered = has_text(answer)
    return Standing(number=question.number, dimension=question.dimension, answered=answered,
                    skipped=not answered and answer is not None and answer.status == "skipped",
                    warned=answered and report is not None and bool(report.findings),
                    at_stake=round(rule.at_stake(question, report, answered=answered), 2))


def dimension_progress(rubric: Rubric, questions: tuple[Question, ...],
                       answers: dict[int, AnswerRecord], reports: dict[int, Report],
                       rule: StakeRule) -> tuple[list[DimensionProgress], list[Standing]]:
    """Count answered, warned, skipped and empty questions per dimension, with points at stake.

    The one place the points-at-stake rule (:mod:`bot.coach.stakes`) is applied.
    """
    standings = [standing(q, answers.get(q.number), reports.get(q.number), rule)
                 for q in questions]
    rows = []
    for dimension in rubric.dimensions:
        mine = [s for s in standings if s.dimension == dimension.number]
        warned = sum(s.warned for s in mine)
        skipped = sum(s.skipped for s in mine)
        answered = sum(s.answered for s in mine) - warned
        rows.append(DimensionProgress(
            number=dimension.number, name=dimension.name, points=dimension.points,
            questions=len(mine), answered=answered, warned=warned, skipped=skipped,
            empty=len(mine) - answered - warned - skipped,
            points_at_stake=round(sum(s.at_stake for s in mine), 2)))
    return rows, standings


def fix_first(standings: list[Standing]) -> Standing | None:
    """Return the one question to work on first: most points at stake, the earliest on a tie.

    With nothing at stake, the first question without an answer, else the first with findings.
    """
    at_risk = [s for s in standings if s.at_stake > 0]
    if at_risk:
        return max(at_risk, key=lambda s: s.at_stake)  # max keeps the first of equals
    return next((s for s in standings if not s.answered),
                next((s for s in standings if s.warned), None))


def dimension_summary(texts: Texts, row: DimensionProgress) -> str:
    """Say a dimension's counts in words, the same in the card and in the text."""
    parts = [texts.get("progress_bubble_answered", answered=row.answered + row.warned,
                       questions=row.questions)]
    if row.warned:
        parts.append(texts.get("progress_bubble_warned", warned=row.warned))
    if row.skipped:
        parts.append(texts.get("progress_bubble_skipped", skipped=row.skipped))
    if row.points_at_stake > 0:
        parts.append(texts.get("progress_bubble_at_stake", points=number(row.points_at_stake)))
    return " \u00b7 ".join(parts)


def progress_summary(texts: Texts, rubric: Rubric, standings: list[Standing]) -> tuple[str, ...]:
    """Say the points at stake in all and the one question to fix first."""
    stake = sum(s.at_stake for s in standings)
    lines = []
    if stake > 0:
        lines.append(texts.get("progress_bubble_total", points=number(stake),
                               total=rubric.total_points))
    focus = fix_first(standings)
    if focus is None:
        return (texts.get("progress_complete"),)
    if focus.at_stake > 0:
        key = "progress_focus_weak" if focus.answered else "progress_focus_empty"
    else:
        key = "progress_focus_note" if focus.answered else "progress_focus_missing"
    lines.append(texts.get(key, number=focus.number, at_stake=number(focus.at_stake)))
    return tuple(lines)


def progress_view(texts: Texts, rubric: Rubric, application: ApplicationRecord,
                  questions: tuple[Question, ...], answers: dict[int, AnswerRecord],
                  reports: dict[int, Report], choices: tuple[Choice, ...],
                  rule: StakeRule) -> Progress:
    """Build the progress view per dimension, with points and the question to fix first."""
    rows, standings = dimension_progress(rubric, questions, answers, reports, rule)
    rows = [replace(row, summary=dimension_summary(texts, row)) for row in rows]
    lines = [texts.get("progress_title", title=application.title, category=application.category)]
    lines += [texts.get("progress_row", number=row.number, name=row.name, points=row.points,
                        summary=row.summary) for row in rows]
    extra = ""
    for item in standings:
        if item.dimension is None:
            state = "answered" if item.answered else "missing"
            extra = texts.get("progress_extra_" + state, number=item.number)
            lines.append(extra)
    summary = progress_summary(texts, rubric, standings)
    focus = fix_first(standings)
    if focus is not None:
        goto = Choice(texts.label("goto").format(number=focus.number),
                      f"{texts.word('goto')} {focus.number}")
        choices = (goto, *choices)
    return Progress(title=texts.get("progress_card_title", title=application.title),
                    dimensions=tuple(rows), text="\n".join([*lines, *summary]),
                    choices=choices, extra=extra, summary=summary)


def draft_text(texts: Texts, rubric: Rubric, category: Category, application: ApplicationRecord,
               questions: tuple[Question, ...], answers: dict[int, AnswerRecord]) -> str:
    """Write the whole application as text, question by question, gaps marked."""
    lines = [texts.get("draft_title", title=application.title),
             texts.get("draft_subtitle", track=rubric.name, code=category.code,
                       category=category.name, year=rubric.year)]
    current_dimension: int | None = -1
    for question in questions:
        if question.dimension != current_dimension:
            current_dimension = question.dimension
            lines.append("")
            if question.dimension is None:
                lines.append(texts.get("draft_extra_heading"))
            else:
                dimension = rubric.dimension(question.dimension)
                lines.append(texts.get("draft_dimension", number=dimension.number,
                                       name=dimension.name, points=dimension.points))
        answer = answers.get(question.number)
        lines.append(texts.get("draft_question", number=question.number, text=question.text))
        if has_text(answer):
            lines.append(answer.text)
        elif answer is not None and answer.status == "skipped":
            lines.append(texts.get("draft_gap_skipped"))
        else:
            lines.append(texts.get("draft_gap"))
    return "\n".join(lines)


def applications_text(texts: Texts, applications: list[ApplicationRecord], active: int | None,
                      answered: dict[int, tuple[int, int]]) -> Text:
    """List the chat's applications, each with the number the open command takes."""
    if not applications:
        return Text(texts.get("no_applications"),
                    choices=(Choice(texts.label("start"), texts.word("start")),))
    lines = [texts.get("applications_header")]
    choices: list[Choice] = []
    for index, application in enumerate(applications, start=1):
        done, total = answered.get(application.id, (0, 0))
        marker = " " + texts.get("applications_active") if application.id == active else ""
        lines.append(texts.get("applications_row", index=index, title=application.title,
                               category=application.category, done=done, total=total,
                               marker=marker))
        choices.append(Choice(texts.label("open").format(index=index),
                              f"{texts.word('open')} {index}"))
    lines.append(texts.get("applications_footer"))
    return Text("\n".join(lines), choices=tuple(choices))
