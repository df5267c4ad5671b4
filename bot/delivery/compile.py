"""Build a :class:`~bot.draft.model.Draft` from a stored application and its answers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coach.ports import Analyzer, AnswerRecord, ApplicationRecord, has_text
from bot.draft.model import Draft, DraftAnswer
from bot.rubrics import Rubric, RubricSet


def compile_draft(application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                  rubrics: RubricSet, analyzer: Analyzer | None) -> Draft:
    """Put every question of the application's category in order with its answer and findings."""
    return compile_with_rubric(application, answers,
                               rubric=rubrics.get(application.track, application.year),
                               analyzer=analyzer)


def compile_with_rubric(application: ApplicationRecord, answers: dict[int, AnswerRecord], *,
                        rubric: Rubric, analyzer: Analyzer | None) -> Draft:
    """Compile the draft under ``rubric`` (the application's, looked up by the caller)."""
    entries = []
    for question in rubric.questions_for(application.category):
        answer = answers.get(question.number)
        text = answer.text if has_text(answer) else ""
        status = answer.status if has_text(answer) else (
            "skipped" if answer is not None and answer.status == "skipped" else "empty")
        report = analyzer(text, question, rubric, application.category) \
            if analyzer is not None and text.strip() else None
        entries.append(DraftAnswer(question=question, text=text, status=status, report=report))
    return Draft(application_id=application.id, title=application.title,
                 agency=application.agency, rubric=rubric,
                 category=rubric.category(application.category), answers=tuple(entries),
                 generated_at=datetime.now(UTC), contact=application.contact,
                 award_year=application.award_year)
