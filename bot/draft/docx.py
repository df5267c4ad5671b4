"""Build the draft as a Word document that looks like a Thai government paper.

Page: A4 (210 × 297 mm) with the margins Thai official documents use by the convention of
the Regulation on Official Correspondence (Rabiap Ngan Saraban) — top 2.5 cm, bottom 2 cm,
left 3 cm, right 2 cm. The first page is a cover (the heading and the application's facts);
from page 2 the number is centred at the top as "- 2 -" in Thai digits (:mod:`bot.draft.docx_style`,
which also holds the fonts and the cleaned template).

Body: each of the officer's paragraphs is justified the Thai way (``w:jc
w:val="thaiDistribute"``: Word spreads a line between characters, not only at the rare
spaces of Thai) with a 2.5 cm first-line indent; a line typed as a list item (a Thai or
Arabic number and ")" or ".", a bullet, a Thai letter and ".") gets a hanging indent
instead, the marker followed by a tab to the indent so wrapped lines align after it
(:mod:`bot.draft.docx_thai`). A question's heading
(Heading 2, what the navigation pane lists) is its label and the first clause of the
question; the rest of the question follows as a paragraph.

Editions: the clean edition has nothing from the coach. The working edition puts each
answer's counts and findings in a Word comment anchored on the answer's paragraphs, and
ends with a page summarising the open findings.

Digits: the document's own labels use Thai digits unless ``digits="arabic"``; the officer's
text keeps the digits typed.
"""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from bot.draft.cleaning import document_text
from bot.draft.docx_style import add_run, base_document, thai_run
from bot.draft.docx_thai import Digits, list_item, own_digits
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.draft.outline import Edition, Entry, Outline, Section, outline

#: A Thai paragraph starts 2.5 cm in, as in official letters.
FIRST_LINE_INDENT = Cm(2.5)
#: A list item's marker starts where a paragraph does; its text 1 cm further in.
LIST_HANG = Cm(1)
#: A question heading keeps at most this many characters of the question.
HEADING_CHARS = 60


def build_docx(draft: Draft, *, edition: Edition = "working", digits: Digits = "thai") -> bytes:
    """Render ``draft`` as a DOCX file of one edition and return its bytes."""
    document = Document(BytesIO(base_document(digits)))
    plan = outline(draft, edition)
    _write_cover(document, plan, digits)
    for index, section in enumerate(plan.sections):
        _write_section(document, section, digits, new_page=index == 0)
        for entry in section.entries:
            paragraphs = _write_entry(document, entry, digits)
            if plan.working and paragraphs:
                _comment(document, entry, paragraphs, draft, digits)
    if plan.working:
        _write_summary(document, plan, digits)
    _set_properties(document, draft)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def question_heading(question: str) -> tuple[str, str]:
    """Split a question into its first clause, for the heading, and the rest."""
    head, sep, rest = question.partition(" (")
    rest = (sep.lstrip() + rest) if sep else ""
    if len(head) > HEADING_CHARS and " " in head:
        # The last space before the limit, or else the first one after it.
        cut = head.rfind(" ", 0, HEADING_CHARS)
        cut = cut if cut > 0 else head.index(" ")
        head, rest = head[:cut], f"{head[cut + 1:]} {rest}".strip()
    return head, rest


# --- the cover ------------------------------------------------------------------------

def _write_cover(document: DocxDocument, plan: Outline, digits: Digits) -> None:
    """Write the cover: the heading and the application's facts, centred."""
    add_run(document.add_paragraph(style="Title"), own_digits(plan.heading, digits), "bold")
    labels = draft_labels()
    officer_labels = {labels.title, labels.agency, labels.contact}
    for index, (label, value) in enumerate(plan.facts):
        value = document_text(value)
        if label not in officer_labels:
            value = own_digits(value, digits)
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(36 if index == 0 else 6)
        add_run(paragraph, f"{own_digits(label, digits)}: ", "bold")
        add_run(paragraph, value)


# --- the dimensions and questions -----------------------------------------------------

def _write_section(document: DocxDocument, section: Section, digits: Digits,
                   new_page: bool) -> None:
    """Write the heading of one dimension (or of the additional questions)."""
    heading = document.add_paragraph(style="Heading 1")
    heading.paragraph_format.page_break_before = new_page or None
    add_run(heading, own_digits(section.heading, digits), "bold")


def _write_entry(document: DocxDocument, entry: Entry, digits: Digits) -> list[Paragraph]:
    """Write a question and its answer paragraphs or gap; return the answer's paragraphs."""
    head, rest = question_heading(own_digits(entry.question, digits))
    add_run(document.add_paragraph(style="Heading 2"),
            f"{own_digits(entry.label, digits)} {head}", "bold")
    if rest:
        prompt = document.add_paragraph()
        prompt.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
        add_run(prompt, rest, "bold")
    if entry.gap is not None:
        add_run(document.add_paragraph(), entry.gap, "gap")
        return []
    return [_write_answer_paragraph(document, text) for text in entry.paragraphs]


def _write_answer_paragraph(document: DocxDocument, text: str) -> Paragraph:
    """Write one of the officer's paragraphs: justified, as prose or as a list item."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.THAI_JUSTIFY
    fmt = paragraph.paragraph_format
    item = list_item(text)
    if item is None:
        fmt.first_line_indent = FIRST_LINE_INDENT
        add_run(paragraph, text)
        return paragraph
    marker, body = item
    fmt.left_indent = FIRST_LINE_INDENT + LIST_HANG
    fmt.first_line_indent = -LIST_HANG
    fmt.tab_stops.add_tab_stop(FIRST_LINE_INDENT + LIST_HANG)
    add_run(paragraph, marker)
    paragraph.runs[-1].add_tab()
    add_run(paragraph, body)
    return paragraph


# --- the coach's notes (working edition) ----------------------------------------------

def _comment(document: DocxDocument, entry: Entry, paragraphs: list[Paragraph],
             draft: Draft, digits: Digits) -> None:
    """Anchor a comment with the answer's counts and findings on its paragraphs."""
    if entry.counts is None and not entry.findings:
        return
    labels = draft_labels()
    comment = document.add_comment([paragraphs[0].runs[0], paragraphs[-1].runs[-1]],
                                   text="", author=labels.author, initials=None)
    comment._comment_elm.set(qn("w:date"), draft.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
    first = comment.paragraphs[0]
    if entry.counts is not None:
        add_run(first, own_digits(entry.counts, digits), "muted")
    for number, finding in enumerate(entry.findings):
        paragraph = first if number == 0 and entry.counts is None else comment.add_paragraph()
        add_run(paragraph, f"\u2022 {own_digits(finding.message, digits)}")
        if finding.quote:
            add_run(comment.add_paragraph(), labels.finding_quote.format(quote=finding.quote),
                    "muted")
    for run in comment._comment_elm.iter(qn("w:r")):
        thai_run(run)
    for reference in paragraphs[-1]._p.iter(qn("w:commentReference")):
        thai_run(reference.getparent())


def _write_summary(document: DocxDocument, plan: Outline, digits: Digits) -> None:
    """Write a page with the open findings of each question, or say there are none."""
    heading = document.add_paragraph(style="Heading 1")
    heading.paragraph_format.page_break_before = True
    labels = draft_labels()
    add_run(heading, own_digits(labels.appendix, digits), "bold")
    if not plan.noted:
        add_run(document.add_paragraph(), labels.appendix_none)
    for entry in plan.noted:
        add_run(document.add_paragraph(style="Heading 2"), own_digits(entry.label, digits),
                "bold")
        for finding in entry.findings:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1)
            paragraph.paragraph_format.first_line_indent = Cm(-0.5)
            add_run(paragraph, f"\u2022 {own_digits(finding.message, digits)}")
            if finding.quote:
                quote = document.add_paragraph()
                quote.paragraph_format.left_indent = Cm(1)
                add_run(quote, labels.finding_quote.format(quote=finding.quote), "muted")


def _set_properties(document: DocxDocument, draft: Draft) -> None:
    """Fill the file's properties: title, Thai language, the time it was built."""
    core = document.core_properties
    core.title = document_text(draft.title)
    core.language = "th-TH"
    core.author = draft_labels().author
    core.last_modified_by = draft_labels().author
    core.comments = ""
    core.created = draft.generated_at
    core.modified = draft.generated_at
