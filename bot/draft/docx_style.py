"""The styled, empty Word document every draft starts from, and the Thai run properties.

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

Page numbers, the official way: none on the first page (the cover), then "- 2 -" (in Thai
digits) centred at the top. The section has ``w:titlePg`` with an empty first-page header, and the
default header holds ``- `` PAGE `` -``; the digits come from the section's
``<w:pgNumType w:fmt="thaiNumbers"/>`` (ECMA-376 ST_NumberFormat), which Word applies to
the PAGE field. LibreOffice's import did not map ``thaiNumbers`` in the versions read
(it falls back to Arabic digits there). We use no ``\\* ThaiArabic`` field switch: a
switch Word does not know shows an error in place of the number.

Template leftovers cleaned: the letter-spacing (``w:spacing`` in a run's properties) of
the Title style, which spreads Thai apart; the linked character styles ("Heading 1
Char" …), which would stay blue at 13–14 pt when Word applies them; theme colours; and the
Japanese east-Asian theme language.
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
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from bot.draft.docx_thai import Digits, own_digits
from bot.draft.fonts import DOCX_FONT, FALLBACK_FONT, font_path
from bot.draft.labels import draft_labels
from bot.draft.outline import MARGINS_MM, PAGE_MM

#: 16 pt in Word's half-points.
SIZE_HALF_POINTS = 32
MUTED_COLOR = "595959"
#: ``w:pgNumType/@w:fmt`` by the document's digits.
PAGE_NUMBER_FORMATS = {"thai": "thaiNumbers", "arabic": "decimal"}

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
#: What may follow ``w:pgNumType`` in ``w:sectPr`` (CT_SectPr order).
_AFTER_PAGE_NUMBER_TYPE = ("cols", "formProt", "vAlign", "noEndnote", "titlePg",
                           "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")
_STYLED = ("Title", "Heading 1", "Heading 2", "Heading 3", "Header", "Footer")


@lru_cache(maxsize=2)
def base_document(digits: Digits) -> bytes:
    """Return an empty A4 document with Thai fonts, sizes, language and page numbers."""
    document = Document()
    _set_page(document)
    _set_styles(document)
    _set_font_table(document)
    _set_theme_language(document)
    _write_page_numbers(document, digits)
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
    """Put TH Sarabun New 16 pt in the defaults and every style, without template effects."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    thai_rpr(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")), lang=True)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    for rfonts in styles.iter(qn("w:rFonts")):
        _thai_fonts(rfonts)
    _clean_run_effects(styles)
    for name in _STYLED:
        _set_heading_style(document, name)
    _match_linked_styles(styles)
    _drop_styles_with_effects(document)


def _clean_run_effects(styles: etree._Element) -> None:
    """Drop letter-spacing and kerning from every style, and make theme colours black."""
    for rpr in list(styles.iter(qn("w:rPr"))):
        for tag in ("spacing", "kern"):
            for element in rpr.findall(qn(f"w:{tag}")):
                rpr.remove(element)
        for color in rpr.findall(qn("w:color")):
            if color.get(qn("w:themeColor")) is not None:
                color.attrib.clear()
                color.set(qn("w:val"), "000000")


def _match_linked_styles(styles: etree._Element) -> None:
    """Give each linked character style ("Heading 1 Char") its paragraph style's look."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    for style in by_id.values():
        link = style.find(qn("w:link"))
        if style.get(qn("w:type")) != "character" or link is None:
            continue
        linked = by_id.get(link.get(qn("w:val")))
        source = None if linked is None else linked.find(qn("w:rPr"))
        for old in style.findall(qn("w:rPr")):
            style.remove(old)
        rpr = copy.deepcopy(source) if source is not None else parse_xml(
            f"<w:rPr {nsdecls('w')}/>")
        style.append(thai_rpr(rpr))


def _set_heading_style(document: DocxDocument, name: str) -> None:
    """Make a style 16 pt, black, and bold when it is a heading."""
    style = document.styles[name]
    element = style.element
    rpr = element.get_or_add_rPr()
    heading = name.startswith("Heading") or name == "Title"
    thai_rpr(rpr, bold=heading, color="000000")
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
    """Tell Word the complex-script language is Thai and drop the Japanese east-Asian one."""
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is None:
        return
    lang.attrib.clear()
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:bidi"), "th-TH")


def _write_page_numbers(document: DocxDocument, digits: Digits) -> None:
    """Number pages "- 2 -" centred at the top from page 2, none on the first page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    sect_pr = section._sectPr
    number_type = parse_xml(
        f'<w:pgNumType {nsdecls("w")} w:fmt="{PAGE_NUMBER_FORMATS[digits]}"/>')
    following = [sect_pr.find(qn(f"w:{tag}")) for tag in _AFTER_PAGE_NUMBER_TYPE]
    anchor = next((el for el in following if el is not None), None)
    if anchor is None:
        sect_pr.append(number_type)
    else:
        anchor.addprevious(number_type)
    paragraph = section.header.paragraphs[0]
    paragraph.style = document.styles["Header"]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = draft_labels().page_number.split("{page}")
    add_run(paragraph, before)
    add_field(paragraph, "PAGE", own_digits("2", digits))
    add_run(paragraph, after)


def add_field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """Append a simple field (PAGE) whose shown run is in the Thai font."""
    field = parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}">'
                      f"<w:r><w:t>{shown}</w:t></w:r></w:fldSimple>")
    run = field.find(qn("w:r"))
    run.insert(0, copy.deepcopy(run_properties("plain")))
    paragraph._p.append(field)


# --- run and style properties ---------------------------------------------------------

def _thai_fonts(rfonts: etree._Element) -> None:
    """Name TH Sarabun New for every character class and drop theme fonts."""
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in _FONT_ATTRS:
        rfonts.set(qn(f"w:{attr}"), DOCX_FONT)
    rfonts.set(qn("w:hint"), "cs")


def thai_rpr(rpr: etree._Element, *, bold: bool = False, color: str | None = None,
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
def run_properties(kind: str) -> etree._Element:
    """Return the prototype ``w:rPr`` of a run kind: plain, bold, gap or muted."""
    rpr = parse_xml(f"<w:rPr {nsdecls('w')}/>")
    options: dict[str, dict[str, Any]] = {
        "plain": {},
        "bold": {"bold": True},
        "gap": {"bold": True, "highlight": "yellow"},
        "muted": {"color": MUTED_COLOR},
    }
    return thai_rpr(rpr, lang=True, **options[kind])


def add_run(paragraph: Paragraph, text: str, kind: str = "plain") -> None:
    """Append a run of ``text`` with the Thai properties of ``kind``."""
    run = paragraph.add_run(text)
    run._r.insert(0, copy.deepcopy(run_properties(kind)))


def thai_run(run: etree._Element) -> None:
    """Give a run python-docx made (a comment reference) the plain Thai properties."""
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        run.insert(0, copy.deepcopy(run_properties("plain")))
        return
    for child in run_properties("plain"):
        rpr.append(copy.deepcopy(child))
    _order(rpr)
