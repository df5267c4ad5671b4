"""The editor's view of an application: its questions and answers, and the live analysis.

The analysis is the chat's (``service.coach.analyzer`` with the question, rubric and
category), so the page says what the chat would say, in the same words (each finding's
message, as :func:`bot.coach.views.findings_text` shows it). Spans become UTF-16 offsets,
which is how the page's JavaScript indexes its text (Thai is in the BMP: only an emoji or a
rare character outside it moves them).
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.analysis.analyzer import FIXED_PRIORITY, SEVERITY
from bot.analysis.length import budget
from bot.analysis.report import Finding, Report
from bot.coach.engine import Coach
from bot.coach.limits import DEFAULT_LIMITS, Limits
from bot.coach.ports import AnswerRecord, ApplicationRecord, has_text
from bot.coach.views import number as points_text
from bot.rubrics import Question, Rubric

#: Severity by how much of a question's points a finding puts at risk.
HIGH, MEDIUM, LOW = "high", "medium", "low"


def answer_limit(coach: Coach, question: Question) -> int:
    """Return how many characters an answer to ``question`` may hold (the chat's limit)."""
    limits = getattr(coach, "limits", None)
    return (limits if isinstance(limits, Limits) else DEFAULT_LIMITS).answer_chars(question)


def application_limit(coach: Coach) -> int:
    """Return how many characters an application's answers may hold together (the chat's)."""
    limits = getattr(coach, "limits", None)
    return (limits if isinstance(limits, Limits) else DEFAULT_LIMITS).application_chars


def digest(answer: AnswerRecord | None) -> str:
    """Return the base a page edits from: a digest of the stored answer's revision and text."""
    revision, text = (answer.revision, answer.text) if has_text(answer) else (0, "")
    return hashlib.sha256(f"{revision}\x00{text}".encode()).hexdigest()[:32]


def budget_of(coach: Coach, question: Question) -> dict[str, Any]:
    """Return the page budget of an answer to ``question`` and its hard limit."""
    sensible = budget(question)
    return {"min_chars": sensible.min_chars, "max_chars": sensible.max_chars,
            "pages": sensible.pages, "limit_chars": answer_limit(coach, question)}


def question_entry(coach: Coach, rubric: Rubric, question: Question,
                   answer: AnswerRecord | None) -> dict[str, Any]:
    """Return one question of the page: what it asks, its answer and the answer's base."""
    dimension = (rubric.dimension(question.dimension) if question.dimension is not None
                 else None)
    weight = float(points_text(question.weight))
    return {"number": question.number,
            "dimension": f"{dimension.number} {dimension.name}" if dimension else "",
            "points": int(weight) if weight.is_integer() else weight,
            "question": question.text,
            "guidance": [line.strip() for line in question.guidance.splitlines() if line.strip()],
            "text": answer.text if has_text(answer) else "",
            "revision": answer.revision if answer is not None else 0,
            "base": digest(answer), "budget": budget_of(coach, question)}


def application_entry(rubric: Rubric, application: ApplicationRecord) -> dict[str, Any]:
    """Return the application as the page heads it."""
    return {"title": application.title, "category": application.category,
            "category_name": rubric.category(application.category).name,
            "track_name": rubric.name}


def severity(finding: Finding) -> str:
    """Say how much a finding matters: high, medium or low."""
    if finding.code in FIXED_PRIORITY or SEVERITY.get(finding.code, 0) >= 0.75:
        return HIGH
    return MEDIUM if SEVERITY.get(finding.code, 0) >= 0.5 else LOW


def utf16_offset(text: str, index: int) -> int:
    """Return the UTF-16 offset of code point ``index`` of ``text``."""
    head = text[:max(0, min(index, len(text)))]
    return len(head) + sum(1 for char in head if ord(char) > 0xFFFF)


def findings_json(text: str, report: Report) -> list[dict[str, Any]]:
    """Return the findings, most important first, with spans in UTF-16 offsets."""
    entries = []
    for finding in sorted(report.findings, key=lambda f: -f.priority):
        spans = ([[utf16_offset(text, finding.span[0]), utf16_offset(text, finding.span[1])]]
                 if finding.span is not None else [])
        entries.append({"code": finding.code, "severity": severity(finding),
                        "message": finding.message, "quote": finding.quote, "spans": spans})
    return entries


def analyse(coach: Coach, rubric: Rubric, application: ApplicationRecord, question: Question,
            text: str) -> dict[str, Any]:
    """Analyse the text being edited as the chat analyses an answer."""
    findings: list[dict[str, Any]] = []
    if coach.analyzer is not None and text.strip():
        report = coach.analyzer(text, question, rubric, application.category)
        findings = findings_json(text, report)
    return {"chars": len(text), "budget": budget_of(coach, question), "findings": findings}
