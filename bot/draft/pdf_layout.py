"""Lay the outline out on the PDF's pages: cover, headings, justified paragraphs, lists.

The page itself (A4, margins, fonts, the page number) is :mod:`bot.draft.pdf`'s; the line
breaking and measuring are :mod:`bot.draft.pdf_text`'s.
"""

from __future__ import annotations

from fpdf import FPDF

from bot.draft.labels import draft_labels
from bot.draft.linebreak import list_marker
from bot.draft.outline import Entry, Outline, Section
from bot.draft.pdf_text import SIZE_PT, justify, text_width, wrap, wrap_pieces

FAMILY = "Sarabun"
#: Line height: Sarabun's ascender + descender (1.3 em) at 16 pt, in millimetres.
LINE_MM = SIZE_PT * 1.3 * 25.4 / 72
FIRST_LINE_INDENT_MM = 25
QUESTION_SPACE_MM = 2
BULLET_INDENT_MM = 10
#: Where the cover's heading starts, from the top of the page.
COVER_TOP_MM = 80
GAP_FILL = (255, 235, 59)
MUTED = (89, 89, 89)
BLACK = (0, 0, 0)


class Writer:
    """Lay the outline out on the pages: headings, wrapped paragraphs, gaps, counts."""

    def __init__(self, pdf: FPDF) -> None:
        """Write on ``pdf``, starting with its first page."""
        self.pdf = pdf
        pdf.add_page()

    def cover(self, plan: Outline) -> None:
        """Write the cover page: the heading, then the facts (agency, award year, criteria)."""
        pdf = self.pdf
        pdf.set_y(COVER_TOP_MM)
        self.centred(plan.heading, bold=True)
        pdf.ln(LINE_MM)
        for label, value in plan.facts:
            self.labelled(f"{label}: ", value)
        pdf.add_page()

    def centred(self, text: str, *, bold: bool = False) -> None:
        """Write ``text`` centred, wrapped at Thai line breaks."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if bold else "", SIZE_PT)
        for line in wrap(text, pdf.epw, bold=bold):
            pdf.cell(0, LINE_MM, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", SIZE_PT)

    def labelled(self, label: str, value: str) -> None:
        """Write a bold label and its value, wrapped under the value."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", SIZE_PT)
        label_w = text_width(label, bold=True)
        pdf.cell(label_w, LINE_MM, label)
        pdf.set_font(FAMILY, "", SIZE_PT)
        for line in wrap(value, pdf.epw - label_w) or [""]:
            pdf.set_x(pdf.l_margin + label_w)
            pdf.cell(0, LINE_MM, line, new_x="LMARGIN", new_y="NEXT")

    def section(self, section: Section) -> None:
        """Write a dimension heading, kept on the page of its first question, and its entries."""
        first = section.entries[0]
        first_lines = len(wrap(f"{first.label} {first.question}", self.pdf.epw, bold=True))
        self.heading(section.heading, space=4, keep_with=QUESTION_SPACE_MM + first_lines * LINE_MM)
        for entry in section.entries:
            self.entry(entry)

    def entry(self, entry: Entry) -> None:
        """Write a question, then its answer paragraphs or its gap, then the counts."""
        self.heading(f"{entry.label} {entry.question}", space=QUESTION_SPACE_MM)
        if entry.gap is not None:
            self.gap(entry.gap)
            return
        for text in entry.paragraphs:
            self.paragraph(text, first_indent=FIRST_LINE_INDENT_MM)
        if entry.counts is not None:
            self.pdf.set_text_color(*MUTED)
            self.pdf.cell(0, LINE_MM, entry.counts, align="R", new_x="LMARGIN", new_y="NEXT")
            self.pdf.set_text_color(*BLACK)

    def heading(self, text: str, *, space: float, keep_with: float = 0) -> None:
        """Write a bold heading, on a new page unless ``keep_with`` mm and 2 lines fit after it."""
        pdf = self.pdf
        lines = wrap(text, pdf.epw, bold=True)
        self.keep_room(space + (len(lines) + 2) * LINE_MM + keep_with)
        pdf.ln(space)
        pdf.set_font(FAMILY, "B", SIZE_PT)
        for line in lines:
            pdf.cell(0, LINE_MM, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", SIZE_PT)

    def paragraph(self, text: str, *, first_indent: float = 0, indent: float = 0) -> None:
        """Write a justified paragraph, or a list item when it starts with a list marker."""
        marker = list_marker(text)
        if marker is not None:
            self.list_item(marker, text[len(marker):], indent=indent)
            return
        self.lines(text, indent=indent, first_indent=first_indent)

    def list_item(self, marker: str, text: str, *, indent: float = 0) -> None:
        """Write a list item with a hanging indent: wrapped lines align after the marker."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "", SIZE_PT)
        hang = text_width(marker)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(hang, LINE_MM, marker.rstrip())
        self.lines(text, indent=indent + hang)

    def lines(self, text: str, *, indent: float, first_indent: float = 0) -> None:
        """Write ``text`` justified between ``indent`` and the right margin, last line flush."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "", SIZE_PT)
        width = pdf.epw - indent
        lines = wrap_pieces(text, width, first_width=width - first_indent)
        for i, line in enumerate(lines):
            start = indent + (first_indent if i == 0 else 0)
            if i == len(lines) - 1:
                pdf.set_x(pdf.l_margin + start)
                pdf.cell(0, LINE_MM, "".join(line), new_x="LMARGIN", new_y="NEXT")
                continue
            for placed in justify(line, pdf.epw - start):
                pdf.set_x(pdf.l_margin + start + placed.x)
                pdf.cell(text_width(placed.text), LINE_MM, placed.text)
            pdf.ln(LINE_MM)

    def gap(self, text: str) -> None:
        """Write a gap marker on a yellow band."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", SIZE_PT)
        pdf.set_fill_color(*GAP_FILL)
        pdf.cell(text_width(text, bold=True) + 4, LINE_MM, text, fill=True, align="C",
                 new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", SIZE_PT)

    def appendix(self, plan: Outline) -> None:
        """Write the open findings per question on a new page, or say there are none."""
        self.pdf.add_page()
        labels = draft_labels()
        self.heading(labels.appendix, space=0)
        if not plan.noted:
            self.paragraph(labels.appendix_none)
        for entry in plan.noted:
            self.heading(entry.label, space=2)
            for finding in entry.findings:
                self.list_item("• ", finding.message, indent=BULLET_INDENT_MM - 5)
                if finding.quote:
                    self.pdf.set_text_color(*MUTED)
                    self.lines(labels.finding_quote.format(quote=finding.quote),
                               indent=BULLET_INDENT_MM)
                    self.pdf.set_text_color(*BLACK)

    def keep_room(self, height: float) -> None:
        """Start a new page when less than ``height`` mm is left on this one."""
        pdf = self.pdf
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
