"""Build the draft as plain UTF-8 text, question by question.

Officers paste each answer into its own field of OPDC's online form, so the text keeps
one block per question (its label and text, a blank line, the answer) and marks the
questions still to answer. It carries no counts or findings: whatever is here gets
pasted.
"""

from __future__ import annotations

from bot.draft.model import Draft
from bot.draft.outline import Edition, Entry, Section, outline

RULE = "=" * 40


def build_text(draft: Draft, *, edition: Edition = "working") -> str:
    """Render ``draft`` as plain text, ending with a newline."""
    plan = outline(draft, edition)
    blocks = ["\n".join([plan.heading, *(f"{label}: {value}" for label, value in plan.facts)])]
    for section in plan.sections:
        blocks.append(_section_heading(section))
        blocks.extend(_entry(entry) for entry in section.entries)
    return "\n\n".join(blocks) + "\n"


def _section_heading(section: Section) -> str:
    """Return a section heading underlined with a rule."""
    return f"{section.heading}\n{RULE}"


def _entry(entry: Entry) -> str:
    """Return one question, a blank line, and its answer or gap marker."""
    answer = entry.gap if entry.gap is not None else "\n".join(entry.paragraphs)
    return f"{entry.label} {entry.question}\n\n{answer}"
