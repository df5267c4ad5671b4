"""Turn rubric content and stored answers into the engine's replies."""

from __future__ import annotations

from bot.analysis.report import Report
from bot.rubrics import Category, Question, Rubric

from .messages import Choice, DimensionProgress, Progress, Text
from .ports import AnswerRecord, ApplicationRecord, has_text
from .texts import Texts

PREVIEW_CHARS = 300


def number(value: float) -> str:
    """Format points: 20 → "20", 2.5 → "2.5"."""
    return f"{value:g}"


def question_header(texts: Texts, rubric: Rubric, question: Question, position: int,
                    total: int) -> str:
    """Say where the question stands: its number, its dimension and points."""
    if question.dimension is None:
        return texts.get("question_header_extra", number=question.number, position=position,
                         total=total)
    dimension = rubric.dimension(question.dimension)
    return texts.get("question_header", number=question.number, position=position, total=total,
                     dimension=dimension.number, dimension_name=dimension.name,
                     points=dimension.points, weight=number(question.weight))


def question_text(texts: Texts, rubric: Rubric, category: Category, question: Question,
                  position: int, total: int, answer: AnswerRecord | None) -> str:
    """Show one question with its points, the guidance and any answer so far."""
    lines = [question_header(texts, rubric, question, position, total), "",
             question.text, "", texts.get("guidance", guidance=question.guidance)]
    if question.limit is not None:
        lines.append(texts.get("limit_" + question.limit.unit, max=question.limit.max))
    if category.hints and rubric.checks_for(category.code, question.number):
        lines.append(texts.get("category_hint", code=category.code, hint=category.hints[0]))
    if has_text(answer):
        lines += ["", texts.get("answer_so_far", preview=preview(answer.text))]
    return "\n".join(lines)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """Shorten ``text`` to about ``limit`` characters."""
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def findings_text(texts: Texts, question: Question, report: Report, limit: int = 3) -> str | None:
    """Say what the just-finished answer is missing, the most important first."""
    top = report.top(limit)
    if not top:
        return None
    lines = [texts.get("findings_header", number=question.number, words=report.words)]
    for finding in top:
        lines.append(f"• {finding.message}")
        if finding.quote:
            lines.append(texts.get("finding_quote", quote=preview(finding.quote, 120)))
    lines.append(texts.get("findings_footer", number=question.number))
    return "\n".join(lines)


def dimension_progress(rubric: Rubric, questions: tuple[Question, ...],
                       answers: dict[int, AnswerRecord],
                       reports: dict[int, Report]) -> list[DimensionProgress]:
    """Count answered, warned, skipped and empty questions per dimension."""
    rows = []
    for dimension in rubric.dimensions:
        mine = [q for q in questions if q.dimension == dimension.number]
        answered = warned = skipped = empty = 0
        at_stake = 0.0
        for question in mine:
            answer = answers.get(question.number)
            if has_text(answer):
                if reports.get(question.number) and reports[question.number].findings:
                    warned += 1
                    at_stake += question.weight
                else:
                    answered += 1
            else:
                at_stake += question.weight
                if answer is not None and answer.status == "skipped":
                    skipped += 1
                else:
                    empty += 1
        rows.append(DimensionProgress(
            number=dimension.number, name=dimension.name, points=dimension.points,
            questions=len(mine), answered=answered, warned=warned, skipped=skipped,
            empty=empty, points_at_stake=round(at_stake, 2)))
    return rows


def progress_view(texts: Texts, rubric: Rubric, application: ApplicationRecord,
                  questions: tuple[Question, ...], answers: dict[int, AnswerRecord],
                  reports: dict[int, Report], choices: tuple[Choice, ...]) -> Progress:
    """Build the progress view of an application, per dimension, with points."""
    rows = dimension_progress(rubric, questions, answers, reports)
    lines = [texts.get("progress_title", title=application.title, category=application.category)]
    for row in rows:
        lines.append(texts.get("progress_row", number=row.number, name=row.name,
                               points=row.points, answered=row.answered, warned=row.warned,
                               skipped=row.skipped, empty=row.empty, total=row.questions,
                               at_stake=number(row.points_at_stake)))
    extra = ""
    extras = [q for q in questions if q.dimension is None]
    for question in extras:
        answer = answers.get(question.number)
        state = "answered" if has_text(answer) else "missing"
        extra = texts.get("progress_extra_" + state, number=question.number)
        lines.append(extra)
    stake = sum(r.points_at_stake for r in rows)
    focus = max(rows, key=lambda r: r.points_at_stake)
    if stake > 0:
        lines.append(texts.get("progress_focus", at_stake=number(round(stake, 2)),
                               total=rubric.total_points, dimension=focus.number,
                               dimension_name=focus.name,
                               dimension_stake=number(focus.points_at_stake)))
    else:
        lines.append(texts.get("progress_complete"))
    return Progress(title=texts.get("progress_card_title", title=application.title),
                    dimensions=tuple(rows), text="\n".join(lines), choices=choices, extra=extra)


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
