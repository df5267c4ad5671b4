"""Build the draft as an A4 PDF in Sarabun, with Thai shaped by HarfBuzz.

Same page and content as the DOCX (see :mod:`bot.draft.docx`): A4, margins top 2.5 cm,
bottom 2 cm, left 3 cm, right 2 cm, 16 pt text, "page N of M" (in Thai) in the footer.

What fpdf2 does not do for us, done here:

* **Line breaking.** Thai writes no spaces between words and fpdf2 breaks lines only at
  spaces, so a long Thai phrase would overflow or be cut inside a syllable. We split
  each paragraph into words with PyThaiNLP and fill lines ourselves, measuring every word
  with HarfBuzz on the same font (the widths are cached per process).
* **Copy and paste.** HarfBuzz turns one Thai cluster into several glyphs (the word for
  water, U+0E19 U+0E49 U+0E33, becomes no nu + nikhahit-with-tone + sara aa). fpdf2 maps
  the cluster's text to its first glyph and leaves the others out of the ``ToUnicode``
  map, so PDF readers invent a character for them (pypdf printed the word and a stray
  "."). :class:`_ThaiSubsetMap` maps those glyphs to the empty
  string instead, so the extracted text is exactly what the officer typed.
* **Font loading.** The Sarabun files are located once per process and HarfBuzz's
  measuring fonts are kept; each document still registers its own fpdf2 font objects
  (about 5 ms), because fpdf2 subsets them in place when it writes the file and they
  cannot be shared. After writing, the fonts are dropped from fpdf2's class-wide glyph
  memo (see :meth:`_DraftPDF.output`), so a long-running worker does not keep them.
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache
from typing import Any

import uharfbuzz as hb
from fpdf import FPDF
from fpdf.fonts import Glyph, SubsetMap, TTFFont

from bot.draft.fonts import font_path
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.draft.outline import MARGINS_MM, Edition, Entry, Outline, Section, outline

FAMILY = "Sarabun"
SIZE_PT = 16
#: Line height: Sarabun's ascender + descender (1.3 em) at 16 pt, in millimetres.
LINE_MM = SIZE_PT * 1.3 * 25.4 / 72
FIRST_LINE_INDENT_MM = 25
QUESTION_SPACE_MM = 2
BULLET_INDENT_MM = 10
GAP_FILL = (255, 235, 59)
MUTED = (89, 89, 89)
BLACK = (0, 0, 0)


def build_pdf(draft: Draft, *, edition: Edition = "working") -> bytes:
    """Render ``draft`` as a PDF file of one edition and return its bytes."""
    pdf = _DraftPDF(draft)
    plan = outline(draft, edition)
    writer = _Writer(pdf)
    writer.title_block(plan)
    for section in plan.sections:
        writer.section(section)
    if plan.working:
        writer.appendix(plan)
    return bytes(pdf.output())


class _NoText(int):
    """A code point that writes as nothing: the ToUnicode target of a cluster's extra glyphs."""

    def __format__(self, spec: str) -> str:
        """Write nothing, so fpdf2's ToUnicode entry for the glyph reads ``<code> <>``."""
        return ""


_NO_TEXT = _NoText(0)


#: fpdf2's glyph lookup without its memo; see :class:`_ThaiSubsetMap`.
_LOOKUP_GLYPH = SubsetMap.get_glyph.__wrapped__


class _ThaiSubsetMap(SubsetMap):
    """fpdf2's glyph subset, mapping glyphs without text of their own to the empty string."""

    # Memoised like fpdf2's own get_glyph, whose memo fpdf2 clears after each output.
    @cache  # noqa: B019
    def get_glyph(self, glyph: int | None = None,
                  unicode: int | tuple[int, ...] | None = None,
                  glyph_name: str | None = None,
                  glyph_width: int | None = None) -> Glyph | None:
        """Return the glyph, giving the cluster's extra glyphs an empty text."""
        if glyph is not None and unicode == ():
            unicode = (_NO_TEXT,)
        # Not super(): its class-wide memo would keep every document alive, because fpdf2
        # clears only this method's memo (``subset.get_glyph.cache_clear()``) after output.
        return _LOOKUP_GLYPH(self, glyph, unicode, glyph_name, glyph_width)


class _DraftPDF(FPDF):
    """An A4 page with the official margins, Sarabun, shaping and a page-number footer."""

    def __init__(self, draft: Draft) -> None:
        """Set up A4 pages, the official margins, both Sarabun weights and shaping."""
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_margins(MARGINS_MM["left"], MARGINS_MM["top"], MARGINS_MM["right"])
        self.set_auto_page_break(True, margin=MARGINS_MM["bottom"])
        # No padding inside cells: text starts and ends exactly at the margins, as in Word.
        self.c_margin = 0
        for style, weight in (("", "regular"), ("B", "bold")):
            self.add_font(FAMILY, style, str(font_path(weight)))
        for font in self.fonts.values():
            if isinstance(font, TTFFont):  # all of them: only Sarabun is added
                font.subset = _ThaiSubsetMap(font)
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

    def footer(self) -> None:
        """Write the page footer ("page N of M") centred at the foot of the page."""
        self.set_y(-MARGINS_MM["bottom"] + 4)
        self.set_font(FAMILY, "", SIZE_PT)
        self.set_text_color(*MUTED)
        # fpdf2 replaces its page-count alias when it writes the file.
        pages = self.str_alias_nb_pages
        footer = draft_labels().page.format(page=self.page_no(), pages=pages)
        self.cell(0, LINE_MM, footer, align="C")
        self.set_text_color(*BLACK)


class _Writer:
    """Lay the outline out on the pages: headings, wrapped paragraphs, gaps, counts."""

    def __init__(self, pdf: _DraftPDF) -> None:
        """Write on ``pdf``, starting with its first page."""
        self.pdf = pdf
        pdf.add_page()

    def title_block(self, plan: Outline) -> None:
        """Write the centred document heading and the labelled facts."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", SIZE_PT)
        for line in wrap(plan.heading, pdf.epw, bold=True):
            pdf.cell(0, LINE_MM, line, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        for label, value in plan.facts:
            self.labelled(f"{label}: ", value)

    def labelled(self, label: str, value: str) -> None:
        """Write a bold label and its value, wrapped under the value."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", SIZE_PT)
        label_w = _width(label, bold=True)
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
        """Write one paragraph of body text, wrapped at Thai word boundaries."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "", SIZE_PT)
        width = pdf.epw - indent
        for i, line in enumerate(wrap(text, width, first_width=width - first_indent)):
            pdf.set_x(pdf.l_margin + indent + (first_indent if i == 0 else 0))
            pdf.cell(0, LINE_MM, line, new_x="LMARGIN", new_y="NEXT")

    def gap(self, text: str) -> None:
        """Write a gap marker on a yellow band."""
        pdf = self.pdf
        pdf.set_font(FAMILY, "B", SIZE_PT)
        pdf.set_fill_color(*GAP_FILL)
        pdf.cell(_width(text, bold=True) + 4, LINE_MM, text, fill=True, align="C",
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
                self.bullet(finding.message)
                if finding.quote:
                    self.pdf.set_text_color(*MUTED)
                    self.paragraph(labels.finding_quote.format(quote=finding.quote),
                                   indent=BULLET_INDENT_MM)
                    self.pdf.set_text_color(*BLACK)

    def bullet(self, text: str) -> None:
        """Write a bulleted line with its continuation lines indented under the text."""
        pdf = self.pdf
        pdf.set_x(pdf.l_margin + BULLET_INDENT_MM - 5)
        pdf.cell(5, LINE_MM, "•")
        self.paragraph(text, indent=BULLET_INDENT_MM)

    def keep_room(self, height: float) -> None:
        """Start a new page when less than ``height`` mm is left on this one."""
        pdf = self.pdf
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()


# --- Thai line breaking ---------------------------------------------------------------

def wrap(text: str, width: float, *, first_width: float | None = None,
         bold: bool = False) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` mm, at Thai word boundaries."""
    limit = width if first_width is None else first_width
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for token in _tokens(text, min(width, limit), bold):
        token_w = _width(token, bold=bold)
        if line and not token.isspace() and used + token_w > limit:
            lines.append("".join(line).rstrip())
            line, used, limit = [], 0.0, width
        if not line and token.isspace():
            continue
        line.append(token)
        used += token_w
    if line:
        lines.append("".join(line).rstrip())
    return lines


def _tokens(text: str, width: float, bold: bool) -> list[str]:
    """Split ``text`` into words and spaces, cutting any word wider than a line."""
    tokens: list[str] = []
    for word in _words(text):
        if _width(word, bold=bold) <= width:
            tokens.append(word)
        else:
            tokens.extend(_clusters(word))
    return tokens


def _words(text: str) -> list[str]:
    """Segment ``text`` into words, keeping the spaces, with the analysis's tokenizer.

    The same nlpo3 dictionary the analysis loads: a second one (newmm's) would cost each
    worker about 100 MB.
    """
    from bot.analysis.tokens import tokenize

    return tokenize(text)


def _clusters(word: str) -> list[str]:
    """Split ``word`` into characters, keeping Thai vowels and tone marks on their base."""
    clusters: list[str] = []
    for ch in word:
        if clusters and unicodedata.category(ch) in ("Mn", "Mc"):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _width(text: str, *, bold: bool = False) -> float:
    """Return the shaped width of ``text`` at 16 pt, in millimetres."""
    return _advance(text, bold) * SIZE_PT / _units_per_em(bold) * 25.4 / 72


@lru_cache(maxsize=65536)
def _advance(text: str, bold: bool) -> int:
    """Return the advance of ``text`` after shaping, in font units."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(_hb_font(bold), buffer, {})
    return sum(position.x_advance for position in buffer.glyph_positions)


@lru_cache(maxsize=2)
def _hb_font(bold: bool) -> hb.Font:
    """Return the HarfBuzz font used for measuring, loaded once."""
    blob = hb.Blob.from_file_path(str(font_path("bold" if bold else "regular")))
    return hb.Font(hb.Face(blob))


def _units_per_em(bold: bool) -> int:
    """Return the font's units per em."""
    return _hb_font(bold).face.upem
