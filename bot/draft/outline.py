"""The content and order of a draft document, shared by every format.

:func:`outline` decides once what the document says — the title block, one section per
scoring dimension, the additional questions, the appendix of findings — and the DOCX,
PDF, text and HTML renderers only lay it out. That is how the formats stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.analysis.report import Finding
from bot.draft.cleaning import document_text
from bot.draft.labels import draft_labels, thai_date
from bot.draft.model import Draft, DraftAnswer
from bot.rubrics import Dimension, Question, coming_award_round

#: A clean edition carries nothing from the coach (no counts, no findings): it is what an
#: agency circulates and submits. A working edition adds the coach's counts and findings.
Edition = Literal["clean", "working"]
EDITIONS: tuple[Edition, ...] = ("clean", "working")
#: A4, (width, height) in millimetres, shared by the DOCX and the PDF.
PAGE_MM = (210, 297)
#: Margins of Thai official documents (ระเบียบงานสารบรรณ convention), in millimetres.
MARGINS_MM = {"top": 25, "bottom": 20, "left": 30, "right": 20}


@dataclass(frozen=True)
class Entry:
    """One question as the document shows it: its text, the answer or a gap, the counts."""

    number: int
    label: str                  # "ข้อ 5"
    question: str
    paragraphs: tuple[str, ...]  # the officer's paragraphs; empty for a gap
    gap: str | None              # the gap marker when the question has no answer
    counts: str | None           # "ความยาว 245 คำ 1,210 ตัวอักษร", when analysed
    findings: tuple[Finding, ...]

    @property
    def answered(self) -> bool:
        """Tell whether the question has an answer."""
        return self.gap is None


@dataclass(frozen=True)
class Section:
    """A scoring dimension (or the additional questions) with its entries."""

    heading: str
    dimension: Dimension | None
    entries: tuple[Entry, ...]

    @property
    def answered(self) -> int:
        """Count the entries that have an answer."""
        return sum(1 for e in self.entries if e.answered)


@dataclass(frozen=True)
class Outline:
    """The whole document: title block, sections, and the entries with findings."""

    heading: str
    title: str
    facts: tuple[tuple[str, str], ...]  # (label, value) lines under the title
    sections: tuple[Section, ...]
    edition: Edition = "working"

    @property
    def working(self) -> bool:
        """Tell whether the coach's counts and findings belong in the document."""
        return self.edition == "working"

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Return every entry in document order."""
        return tuple(e for s in self.sections for e in s.entries)

    @property
    def noted(self) -> tuple[Entry, ...]:
        """Return the entries that have findings, for the appendix."""
        return tuple(e for e in self.entries if e.findings)


def outline(draft: Draft, edition: Edition = "working") -> Outline:
    """Lay out what the document says about ``draft``, in order, for one edition."""
    rubric = draft.rubric
    labels = draft_labels()
    answers = _answers_by_question(draft)
    working = edition == "working"
    sections = [
        _section(labels.dimension.format(number=d.number, name=d.name, points=d.points),
                 d, [a for a in answers if a.question.dimension == d.number], working)
        for d in rubric.dimensions
    ]
    additional = [a for a in answers if a.question.dimension is None]
    sections.append(_section(labels.additional, None, additional, working))
    return Outline(
        heading=labels.heading.format(
            year=draft.award_year or coming_award_round(draft.generated_at)),
        title=document_text(draft.title),
        facts=_facts(draft),
        sections=tuple(s for s in sections if s.entries),
        edition=edition,
    )


def paragraphs(text: str) -> tuple[str, ...]:
    """Split an answer into the officer's paragraphs, dropping blank lines."""
    text = document_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = (line.strip() for line in text.split("\n"))
    return tuple(line for line in lines if line)


def _answers_by_question(draft: Draft) -> list[DraftAnswer]:
    """Return one answer per question of the category, gaps included, by number."""
    given = {a.question.number: a for a in draft.answers}
    for question in draft.rubric.questions_for(draft.category.code):
        given.setdefault(question.number, DraftAnswer(question=question, text="", status="empty"))
    return [given[n] for n in sorted(given)]


def _section(heading: str, dimension: Dimension | None, answers: list[DraftAnswer],
             working: bool) -> Section:
    """Build one section from its answers."""
    return Section(heading=heading, dimension=dimension,
                   entries=tuple(_entry(a, working) for a in answers))


def _entry(answer: DraftAnswer, working: bool) -> Entry:
    """Build the entry of one answer (the clean edition leaves out counts and findings)."""
    question = answer.question
    report = answer.report if working else None
    labels = draft_labels()
    gap = None
    if answer.is_gap:
        gap = labels.gap_skipped if answer.status == "skipped" else labels.gap_empty
    counts = None
    if report is not None and gap is None:
        counts = labels.counts.format(words=report.words, chars=report.chars)
        if question.limit is not None:
            counts += " " + _limit(question)
    return Entry(
        number=question.number,
        label=labels.question.format(number=question.number),
        question=question.text,
        paragraphs=paragraphs(answer.text),
        gap=gap,
        counts=counts,
        findings=report.findings if report is not None and gap is None else (),
    )


def _limit(question: Question) -> str:
    """Describe the length limit of ``question`` in Thai."""
    assert question.limit is not None
    labels = draft_labels()
    unit = labels.units.get(question.limit.unit, question.limit.unit)
    return labels.limit.format(max=question.limit.max, unit=unit)


def _facts(draft: Draft) -> tuple[tuple[str, str], ...]:
    """Return the labelled lines of the title block (details not given are left out)."""
    labels = draft_labels()
    facts = [(labels.title, document_text(draft.title))]
    given = ((labels.agency, draft.agency), (labels.contact, draft.contact),
             (labels.award_year, str(draft.award_year) if draft.award_year else None))
    facts += [(label, document_text(value).strip()) for label, value in given
              if value and document_text(value).strip()]
    facts += [
        (labels.branch, draft.rubric.name),
        (labels.category, f"{draft.category.code} {draft.category.name}"),
        (labels.criteria_label, labels.criteria_year.format(year=draft.rubric.year)),
        (labels.generated, thai_date(draft.generated_at.date())),
    ]
    return tuple(facts)
