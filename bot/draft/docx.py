"""Build the draft as a Word document that looks like a Thai government paper.

Page: A4 (210 × 297 mm) with the margins Thai official documents use by the convention of
the Regulation on Official Correspondence (Rabiap Ngan Saraban) — top 2.5 cm, bottom 2 cm,
left 3 cm, right 2 cm — and the page number centred in the footer.

Font: "TH Sarabun New" at 16 pt on every run. Word picks a run's font by the class of
each character: Latin text uses ``w:rFonts/@w:ascii`` / ``@w:hAnsi`` and ``w:sz``, while
Thai is a complex script and uses ``@w:cs`` and ``w:szCs`` (bold: ``w:bCs``). Setting only
the Latin half — all python-docx's ``run.font`` does — leaves Thai in the theme's Thai
font at 11 pt, so every run, the document defaults and the styles we use carry all four
names and both sizes, and the theme-font attributes (``w:asciiTheme`` …) that would
override them are removed. ``w:hint="cs"`` tells Word to treat shared punctuation such as
quotes as Thai too. We set neither ``w:cs`` (the per-character choice above is what we
want; forcing the whole run to complex script is not needed when both halves are the
same font) nor ``w:rtl``: Thai is written left to right, and ``w:rtl`` would reverse it.
The language is ``w:lang w:val="en-US" w:bidi="th-TH"``: Word takes the complex-script
language from ``w:bidi`` for Thai text (word breaking, spelling), and English for the
Latin words officers mix in.

Fallback: the font table declares "TH Sarabun New" with ``w:altName="Sarabun"``.
ECMA-376 §17.8.3.1 says an application that cannot find a font by its name should try
the alternate name before substituting by metrics. Word takes the value as one name
(no comma list, at most 31 characters) and, once it has resolved a missing font,
rewrites ``altName`` to the font it substituted (MS-OI29500 §2.1.262), so the hint
counts the first time the file is opened on a machine without TH Sarabun New. Sarabun
is the open successor of TH Sarabun New and the font of our PDF. Where neither is
installed, the table's other hints — Thai charset ``DE`` and the Unicode/code-page
signature taken from Sarabun — steer the substitution to a Thai-capable font, at the
same sizes. LibreOffice 7.4 ignores ``altName`` (checked: with only Sarabun and DejaVu
installed it took Thai glyphs from Sarabun and Latin from DejaVu, with or without the
entry); on Linux the fonts-tlwg package maps TH Sarabun New to Laksaman, its own
build of the same design. No font is embedded.
"""

from __future__ import annotations

import copy
from functools import cache, lru_cache
from io import BytesIO
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.draft.fonts import DOCX_FONT, FALLBACK_FONT, font_path
from bot.draft.labels import draft_labels
from bot.draft.model import Draft
from bot.draft.outline import MARGINS_MM, PAGE_MM, Edition, Entry, Outline, Section, outline

#: 16 pt in Word's half-points.
SIZE_HALF_POINTS = 32
#: A Thai paragraph starts 2.5 cm in, as in official letters.
FIRST_LINE_INDENT = Cm(2.5)
MUTED_COLOR = "595959"

#: Child order of ``w:rPr`` (ECMA-376 CT_RPr); Word rejects a file whose order differs.
_RPR_ORDER = (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath",
)
_THEME_FONT_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
_FONT_ATTRS = ("ascii", "hAnsi", "eastAsia", "cs")


def build_docx(draft: Draft, *, edition: Edition = "working") -> bytes:
    """Render ``draft`` as a DOCX file of one edition and return its bytes."""
    document = Document(BytesIO(_base_document()))
    plan = outline(draft, edition)
    _write_title_block(document, plan)
    for section in plan.sections:
        _write_section(document, section)
    if plan.working:
        _write_appendix(document, plan)
    _set_properties(document, draft)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- the styled, empty document every draft starts from -------------------------------

@lru_cache(maxsize=1)
def _base_document() -> bytes:
    """Return an empty A4 document with Thai fonts, sizes and language set, built once."""
    document = Document()
    _set_page(document)
    _set_styles(document)
    _set_font_table(document)
    _set_theme_language(document)
    _write_footer(document)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _set_page(document: DocxDocument) -> None:
    """Make the page A4 with the official margins."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(12.5)
    section.footer_distance = Mm(10)


def _set_styles(document: DocxDocument) -> None:
    """Put TH Sarabun New 16 pt in the defaults and in every style that names a font."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    _thai_rpr(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), lang=True)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    for rfonts in styles.iter(qn("w:rFonts")):
        _thai_fonts(rfonts)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer"):
        _set_heading_style(document, name)
    _drop_styles_with_effects(document)


def _set_heading_style(document: DocxDocument, name: str) -> None:
    """Make a style 16 pt, black, and bold when it is a heading."""
    style = document.styles[name]
    element = style.element
    rpr = element.get_or_add_rPr()
    heading = name.startswith("Heading") or name == "Title"
    _thai_rpr(rpr, bold=heading, color="000000")
    ppr = element.get_or_add_pPr()
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)
    if heading:
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(0 if name != "Title" else 6)
    if name == "Title":
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _drop_styles_with_effects(document: DocxDocument) -> None:
    """Remove the Word 2010 copy of the styles so no reader sees the untouched fonts."""
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects":
            document.part.drop_rel(rid)


def _set_font_table(document: DocxDocument) -> None:
    """Declare TH Sarabun New in the font table, with Sarabun as its alternate name."""
    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    table.insert(0, parse_xml(_font_entry_xml()))
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


@lru_cache(maxsize=1)
def _font_entry_xml() -> str:
    """Return the ``w:font`` entry for TH Sarabun New, with Sarabun's signature."""
    from fontTools.ttLib import TTFont

    os2 = TTFont(font_path("regular"), lazy=True)["OS/2"]
    usb = (os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4)
    csb = (os2.ulCodePageRange1, os2.ulCodePageRange2)
    return (
        f'<w:font {nsdecls("w")} w:name="{DOCX_FONT}">'
        f'<w:altName w:val="{FALLBACK_FONT}"/>'
        '<w:charset w:val="DE"/><w:family w:val="swiss"/><w:pitch w:val="variable"/>'
        f'<w:sig w:usb0="{usb[0]:08X}" w:usb1="{usb[1]:08X}" w:usb2="{usb[2]:08X}" '
        f'w:usb3="{usb[3]:08X}" w:csb0="{csb[0]:08X}" w:csb1="{csb[1]:08X}"/>'
        "</w:font>"
    )


def _set_theme_language(document: DocxDocument) -> None:
    """Tell Word the document's complex-script language is Thai."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        return
    lang.set(qn("w:bidi"), "th-TH")


def _write_footer(document: DocxDocument) -> None:
    """Put the page footer ("page N of M") in, with Word's page fields for the numbers."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, rest = draft_labels().page.split("{page}")
    middle, after = rest.split("{pages}")
    _add_run(paragraph, before)
    _add_field(paragraph, "PAGE")
    _add_run(paragraph, middle)
    _add_field(paragraph, "NUMPAGES")
    _add_run(paragraph, after)


def _add_field(paragraph: Paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) whose shown run is in the Thai font."""
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}">'
                      "<w:r><w:t>1</w:t></w:r></w:fldSimple>")
    run = field.find(qn("w:r"))
    run.insert(0, copy.deepcopy(_run_properties("plain")))
    paragraph._p.append(field)


# --- run and style properties ---------------------------------------------------------

def _thai_fonts(rfonts: etree._Element) -> None:
    """Name TH Sarabun New for every character class and drop theme fonts."""
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in _FONT_ATTRS:
        rfonts.set(qn(f"w:{attr}"), DOCX_FONT)
    rfonts.set(qn("w:hint"), "cs")


def _thai_rpr(rpr: etree._Element, *, bold: bool = False, color: str | None = None,
              highlight: str | None = None, lang: bool = False) -> etree._Element:
    """Set Thai font, 16 pt for Latin and Thai, and the given emphasis on ``rpr``."""
    _thai_fonts(_child(rpr, "rFonts"))
    if bold:
        _child(rpr, "b")
        _child(rpr, "bCs")
    if color is not None:
        color_el = _child(rpr, "color")
        color_el.attrib.clear()
        color_el.set(qn("w:val"), color)
    for tag in ("sz", "szCs"):
        _child(rpr, tag).set(qn("w:val"), str(SIZE_HALF_POINTS))
    if highlight is not None:
        _child(rpr, "highlight").set(qn("w:val"), highlight)
    if lang:
        lang_el = _child(rpr, "lang")
        lang_el.attrib.clear()
        lang_el.set(qn("w:val"), "en-US")
        lang_el.set(qn("w:eastAsia"), "en-US")
        lang_el.set(qn("w:bidi"), "th-TH")
    _order(rpr)
    return rpr


def _child(parent: etree._Element, tag: str) -> etree._Element:
    """Return ``parent``'s ``w:tag`` child, creating it when missing."""
    element = parent.find(qn(f"w:{tag}"))
    if element is None:
        element = etree.SubElement(parent, qn(f"w:{tag}"))
    return element


def _order(rpr: etree._Element) -> None:
    """Sort the children of ``rpr`` into the order the schema requires."""
    rank = {qn(f"w:{tag}"): i for i, tag in enumerate(_RPR_ORDER)}
    children = sorted(rpr, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        rpr.append(child)


@cache
def _run_properties(kind: str) -> etree._Element:
    """Return the prototype ``w:rPr`` of a run kind: plain, bold, gap or muted."""
    rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
    options: dict[str, dict[str, Any]] = {
        "plain": {},
        "bold": {"bold": True},
        "gap": {"bold": True, "highlight": "yellow"},
        "muted": {"color": MUTED_COLOR},
    }
    return _thai_rpr(rpr, lang=True, **options[kind])


def _add_run(paragraph: Paragraph, text: str, kind: str = "plain") -> None:
    """Append a run of ``text`` with the Thai properties of ``kind``."""
    run = paragraph.add_run(text)
    run._r.insert(0, copy.deepcopy(_run_properties(kind)))


# --- content --------------------------------------------------------------------------

def _write_title_block(document: DocxDocument, plan: Outline) -> None:
    """Write the document heading and the labelled facts under it."""
    heading = document.add_paragraph(style="Title")
    _add_run(heading, plan.heading, "bold")
    for label, value in plan.facts:
        paragraph = document.add_paragraph()
        _add_run(paragraph, f"{label}: ", "bold")
        _add_run(paragraph, value)


def _write_section(document: DocxDocument, section: Section) -> None:
    """Write one dimension (or the additional questions) with its entries."""
    _add_run(document.add_paragraph(style="Heading 1"), section.heading, "bold")
    for entry in section.entries:
        _write_entry(document, entry)


def _write_entry(document: DocxDocument, entry: Entry) -> None:
    """Write a question, its answer paragraphs or gap, and its counts."""
    question = document.add_paragraph(style="Heading 2")
    _add_run(question, f"{entry.label} {entry.question}", "bold")
    if entry.gap is not None:
        _add_run(document.add_paragraph(), entry.gap, "gap")
        return
    for text in entry.paragraphs:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = FIRST_LINE_INDENT
        _add_run(paragraph, text)
    if entry.counts is not None:
        counts = document.add_paragraph()
        counts.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_run(counts, entry.counts, "muted")


def _write_appendix(document: DocxDocument, plan: Outline) -> None:
    """Write the open findings of each question, or say there are none."""
    heading = document.add_paragraph(style="Heading 1")
    heading.paragraph_format.page_break_before = True
    labels = draft_labels()
    _add_run(heading, labels.appendix, "bold")
    if not plan.noted:
        _add_run(document.add_paragraph(), labels.appendix_none)
    for entry in plan.noted:
        _add_run(document.add_paragraph(style="Heading 2"), entry.label, "bold")
        for finding in entry.findings:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Cm(1)
            paragraph.paragraph_format.first_line_indent = Cm(-0.5)
            _add_run(paragraph, f"• {finding.message}")
            if finding.quote:
                quote = document.add_paragraph()
                quote.paragraph_format.left_indent = Cm(1)
                _add_run(quote, labels.finding_quote.format(quote=finding.quote), "muted")


def _set_properties(document: DocxDocument, draft: Draft) -> None:
    """Fill the file's properties: title, Thai language, the time it was built."""
    core = document.core_properties
    core.title = draft.title
    core.language = "th-TH"
    core.author = draft_labels().author
    core.last_modified_by = draft_labels().author
    core.comments = ""
    core.created = draft.generated_at
    core.modified = draft.generated_at
