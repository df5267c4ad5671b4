"""What a draft is made of: a stored application, its rubric, and the analysis of each answer.

bot/draft turns a :class:`Draft` into DOCX, PDF, plain text and an HTML preview; it
never reads the database itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.analysis.report import Report
from bot.draft.cleaning import cut_bytes, document_text
from bot.draft.labels import draft_labels
from bot.rubrics import Category, Question, Rubric

#: The longest file name stem, in UTF-8 bytes (file systems allow 255 for the whole name).
FILE_STEM_BYTES = 200


@dataclass(frozen=True)
class DraftAnswer:
    """One question of the draft with its answer (empty text when unanswered)."""

    question: Question
    text: str
    status: str  # "answered", "skipped" or "empty"
    report: Report | None = None

    @property
    def is_gap(self) -> bool:
        """Tell whether the question still has no answer."""
        return not self.text.strip()


@dataclass(frozen=True)
class Draft:
    """A whole application, ready to be rendered."""

    application_id: int
    title: str
    agency: str | None
    rubric: Rubric
    category: Category
    answers: tuple[DraftAnswer, ...]
    generated_at: datetime
    contact: str | None = None
    #: The award round applied for (Buddhist year); the rubric's year is the criteria's.
    award_year: int | None = None

    @property
    def file_stem(self) -> str:
        """Return a file name (without extension) for the draft, in Thai."""
        title = document_text(self.title)
        safe = "".join(ch for ch in title if ch not in '\\/:*?"<>|\n\r\t').strip()
        # File systems count bytes (255 at most) and Thai takes three each; leave room for
        # "-<id>.docx" and the like.
        return cut_bytes(draft_labels().file_stem.format(title=safe or self.application_id),
                         FILE_STEM_BYTES).strip()
