"""Build the draft as an A4 PDF in Sarabun, with Thai shaped by HarfBuzz.

Same page and content as the DOCX (see :mod:`bot.draft.docx`): A4, margins top 2.5 cm,
bottom 2 cm, left 3 cm, right 2 cm, 16 pt text. The page style is the official one: the
title block alone on a cover page without a number, then "- 2 -" centred at the top of
every later page (in Thai digits unless the draft asks for Arabic ones).

What fpdf2 does not do for us, done here and beside it:

* **Line breaking and justification** (:mod:`bot.draft.pdf_text`, rules in
  :mod:`bot.draft.linebreak`): lines end only where a dictionary word ends, never after an
  opening bracket or between a number and its unit; body lines are justified.
* **Copy and paste** (:mod:`bot.draft.pdf_font`). HarfBuzz draws one Thai character
  with several glyphs (sara am is nikhahit + sara aa) and places vowels and tone marks
  without an advance; fpdf2 gives each character's text to its first glyph, so viewers
  read gaps inside words. :class:`~bot.draft.pdf_font.ThaiFont` gives the text to the
  glyph that takes the room (the sara aa; a consonant for its marks) and the empty
  string to the rest, so ``pdftotext`` and pasting give back what the officer typed.
* **Font loading.** The Sarabun files are located once per process and HarfBuzz's
  measuring fonts are kept; each document still registers its own fpdf2 font objects
  (about 5 ms), because fpdf2 subsets them in place when it writes the file and they
  cannot be shared. After writing, the fonts are dropped from fpdf2's class-wide glyph
  memo (see :meth:`_DraftPDF.output`), so a long-running worker does not keep them.
"""

from __future__ import annotations

from typing import Any, Literal

from fpdf import FPDF
from fpdf.fonts import SubsetMap

from bot.draft.fonts import font_path
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.draft.outline import MARGINS_MM, Edition, outline
from bot.draft.pdf_font import ThaiFont
from bot.draft.pdf_layout import FAMILY, LINE_MM, Writer
from bot.draft.pdf_text import SIZE_PT

#: How page numbers are written: Thai digits (the official style) or Arabic ones.
Digits = Literal["thai", "arabic"]
_TO_THAI_DIGITS = str.maketrans({str(i): chr(0x0E50 + i) for i in range(10)})
#: Where the page number sits, from the top of the page (the text starts at 25 mm).
PAGE_NUMBER_TOP_MM = 12


def build_pdf(draft: Draft, *, edition: Edition = "working", digits: Digits = "thai") -> bytes:
    """Render ``draft`` as a PDF file of one edition and return its bytes."""
    pdf = _DraftPDF(draft, digits=digits)
    plan = outline(draft, edition)
    writer = Writer(pdf)
    writer.cover(plan)
    for section in plan.sections:
        writer.section(section)
    if plan.working:
        writer.appendix(plan)
    return bytes(pdf.output())


class _DraftPDF(FPDF):
    """An A4 page with the official margins, Sarabun, shaping and a page-number footer."""

    def __init__(self, draft: Draft, *, digits: Digits = "thai") -> None:
        """Set up A4 pages, the official margins, both Sarabun weights and shaping."""
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.digits = digits
        self.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
        self.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
        # No padding inside cells: text starts and ends exactly at the margins, as in Word.
        self.c_margin = 0
        for style, weight in (("", "regular"), ("B", "bold")):
            # What add_font does for a TrueType file, with the font that copies out whole.
            fontkey = f"{FAMILY.lower()}{style}"
            self.fonts[fontkey] = ThaiFont(self, font_path(weight), fontkey, style)
        self.set_text_shaping(True)
        self.set_title(draft.title)
        self.set_lang("th-TH")
        self.set_creator(draft_labels().author)
        self.set_font(FAMILY, size=SIZE_PT)

    def output(self, *args: Any, **kwargs: Any) -> Any:
        """Write the file, then drop this document from fpdf2's class-wide glyph memo."""
        try:
            return super().output(*args, **kwargs)
        finally:
            # add_font built a plain SubsetMap before we swapped ours in, and fpdf2 clears
            # only the memo of the subset in use; clearing the base one too, as fpdf2 does
            # for its own documents, lets the parsed fonts be freed.
            SubsetMap.get_glyph.cache_clear()
            SubsetMap.pick.cache_clear()

    def header(self) -> None:
        """Write the page number, "- 2 -", centred at the top of every page but the first."""
        if self.page_no() < 2:
            return
        number = str(self.page_no())
        if self.digits == "thai":
            number = number.translate(_TO_THAI_DIGITS)
        self.set_y(PAGE_NUMBER_TOP_MM)
        self.set_font(FAMILY, "", SIZE_PT)
        self.cell(0, LINE_MM, draft_labels().page_number.format(page=number), align="C")
        self.set_xy(self.l_margin, self.t_margin)
