"""The wording of the draft documents: the ``draft:`` section of ``conversations/th.yaml``.

DOCX, PDF, plain text and the HTML preview all take their labels from there, so a
domain expert fixes a phrase once and every format follows. The wording is loaded and
validated by :mod:`bot.coach.texts` on first use, once per process; callers pass nothing.
"""

from __future__ import annotations

from datetime import date

from bot.coach.texts import DraftWording, default_texts


def draft_labels() -> DraftWording:
    """Return the draft documents' wording, loaded once per process."""
    return default_texts().draft


def thai_date(day: date) -> str:
    """Write a date the Thai official way: day, month name, Buddhist year."""
    labels = draft_labels()
    return labels.date.format(day=day.day, month=labels.months[day.month - 1],
                              year=day.year + 543)
