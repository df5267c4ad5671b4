"""Build the draft as plain UTF-8 text, question by question, ready for OPDC's form.

Officers paste each answer into its own field of OPDC's online form, so the text keeps
one block per question (its label and text, a blank line, the answer) and marks the
questions still to answer. Under every answer is its length in characters with spaces
and without (``draft.text_counts``), because the form's fields have character limits.
Those counts are for the form, not coaching, so the clean edition carries them too; only
the working edition adds the coach's notes (word counts against the rubric's limit, and
findings). Characters are Unicode code points, as a web form counts them: Thai vowel and
tone marks count, line breaks between paragraphs do not.
"""

from __future__ import annotations

from bot.draft.labels import draft_labels
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


def character_counts(paragraphs: tuple[str, ...]) -> tuple[int, int]:
    """Return the characters of an answer with spaces and without, line breaks left out."""
    with_spaces = sum(len(p) for p in paragraphs)
    without_spaces = sum(1 for p in paragraphs for ch in p if not ch.isspace())
    return with_spaces, without_spaces


def _section_heading(section: Section) -> str:
    """Return a section heading underlined with a rule."""
    return f"{section.heading}\n{RULE}"


def _entry(entry: Entry) -> str:
    """Return one question, a blank line, and its answer with its counts, or its gap marker."""
    head = f"{entry.label} {entry.question}"
    if entry.gap is not None:
        return f"{head}\n\n{entry.gap}"
    with_spaces, without_spaces = character_counts(entry.paragraphs)
    lines = ["\n".join(entry.paragraphs),
             draft_labels().text_counts.format(with_spaces=with_spaces,
                                               without_spaces=without_spaces)]
    return "\n\n".join([head, *lines, *_notes(entry)])


def _notes(entry: Entry) -> list[str]:
    """Return the coach's notes on an entry (the working edition only has any)."""
    labels = draft_labels()
    lines = [entry.counts] if entry.counts else []
    if entry.findings:
        lines.append(labels.findings_heading)
        for finding in entry.findings:
            quote = f" {labels.finding_quote.format(quote=finding.quote)}" if finding.quote else ""
            lines.append(f"- {finding.message}{quote}")
    return ["\n".join(lines)] if lines else []
