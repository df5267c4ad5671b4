"""The DOCX draft, opened again with python-docx: content, order, gaps, fonts, page."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from bot.draft import build_docx
from bot.draft.samples import (
    PARTICIPATORY_ANSWERS,
    PUBLIC_SERVICE_ANSWERS,
    make_draft,
    participatory_draft,
    public_service_draft,
)
from bot.rubrics import default_rubrics

FONT = "TH Sarabun New"


def open_docx(draft):
    """Build the DOCX of ``draft`` and open it again."""
    return Document(BytesIO(build_docx(draft)))


def texts(document, style: str) -> list[str]:
    """Return the text of every body paragraph in ``style``."""
    return [p.text for p in document.paragraphs if p.style.name == style]


def answer_paragraphs(document) -> list[str]:
    """Return the answer paragraphs: the ones indented like Thai body text."""
    return [p.text for p in document.paragraphs
            if p.paragraph_format.first_line_indent is not None
            and round(p.paragraph_format.first_line_indent.cm, 2) == 2.5]


def expected_paragraphs(answers: dict[int, str]) -> list[str]:
    """Split sample answers into their paragraphs, in question order."""
    return [line for n in sorted(answers) for line in answers[n].split("\n")]


def after(document, text: str) -> str:
    """Return the text of the paragraph that follows the one reading ``text``."""
    paragraphs = [p.text for p in document.paragraphs]
    return paragraphs[paragraphs.index(text) + 1]


def question_heading(draft, number: int) -> str:
    """Return the heading a question gets in the document."""
    return f"ข้อ {number} {draft.rubric.question(number).text}"


def test_every_answer_paragraph_appears_once_in_question_order():
    document = open_docx(public_service_draft())

    assert answer_paragraphs(document) == expected_paragraphs(PUBLIC_SERVICE_ANSWERS)


def test_participatory_application_keeps_all_thirteen_answers_in_order():
    document = open_docx(participatory_draft())

    assert answer_paragraphs(document) == expected_paragraphs(PARTICIPATORY_ANSWERS)


def test_title_block_names_title_agency_branch_category_and_year():
    document = open_docx(public_service_draft())

    assert [p.text for p in document.paragraphs[:7]] == [
        "ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. 2564",
        "ชื่อผลงาน: ที่ดินนัดได้ ไม่ต้องรอ: ระบบนัดหมายล่วงหน้าผ่าน LINE",
        "หน่วยงาน: สำนักงานที่ดินจังหวัดนครราชสีมา",
        "สาขา: รางวัลบริการภาครัฐ",
        "ประเภท: 1.1 นวัตกรรมการบริการ",
        "เกณฑ์การประเมิน: ตามเกณฑ์ปี 2564",
        "จัดทำร่างเมื่อ: 15 มีนาคม 2564",
    ]


def test_agency_line_is_left_out_when_the_draft_has_none():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.2", {1: "คำตอบ"}, title="โครงการทดสอบ", agency=None)

    lines = [p.text for p in open_docx(draft).paragraphs[:3]]

    assert lines == ["ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. 2564", "ชื่อผลงาน: โครงการทดสอบ",
                     "สาขา: รางวัลบริการภาครัฐ"]


def test_each_dimension_is_a_heading_with_its_points_then_the_appendix():
    document = open_docx(public_service_draft())

    assert texts(document, "Heading 1") == [
        "มิติที่ 1 การวิเคราะห์ปัญหา (10 คะแนน)",
        "มิติที่ 2 แนวทางการแก้ไขปัญหาและการนำไปปฏิบัติ (20 คะแนน)",
        "มิติที่ 3 ผลผลิต/ผลลัพธ์เชิงประจักษ์ (60 คะแนน)",
        "มิติที่ 4 ความยั่งยืนของโครงการ (10 คะแนน)",
        "ภาคผนวก ข้อสังเกตจากผู้ช่วย",
    ]


def test_question_13_of_category_2_3_has_its_own_additional_section():
    draft = participatory_draft()
    document = open_docx(draft)

    headings = texts(document, "Heading 1")
    assert headings[3:] == ["มิติที่ 4 ความยั่งยืน (10 คะแนน)", "ข้อมูลเพิ่มเติม",
                            "ภาคผนวก ข้อสังเกตจากผู้ช่วย"]
    assert after(document, "ข้อมูลเพิ่มเติม") == question_heading(draft, 13)


def test_questions_are_headings_in_number_order():
    draft = public_service_draft()
    document = open_docx(draft)

    questions = [t for t in texts(document, "Heading 2") if t.startswith("ข้อ ") and " " in t[4:]]
    assert questions == [question_heading(draft, n) for n in range(1, 11)]


@pytest.mark.parametrize("number, marker", [(4, "[ข้ามไว้ ยังไม่ได้ตอบ]"), (8, "[ยังไม่ได้ตอบ]")])
def test_unanswered_question_shows_a_highlighted_bold_gap(number, marker):
    draft = public_service_draft()
    document = open_docx(draft)
    paragraphs = document.paragraphs
    index = [p.text for p in paragraphs].index(question_heading(draft, number))

    gap = paragraphs[index + 1]
    assert gap.text == marker
    assert [(r.font.highlight_color.name if r.font.highlight_color else None, r.bold)
            for r in gap.runs] == [("YELLOW", True)]


def test_counts_line_follows_each_analysed_answer():
    draft = public_service_draft()
    document = open_docx(draft)
    report = draft.answers[0].report

    last_line = PUBLIC_SERVICE_ANSWERS[1].split("\n")[-1]
    assert after(document, last_line) == f"ความยาว {report.words:,} คำ {report.chars:,} ตัวอักษร"


def test_counts_line_states_the_one_page_limit_of_question_13():
    draft = participatory_draft()
    report = draft.answers[-1].report

    last_line = PARTICIPATORY_ANSWERS[13].split("\n")[-1]
    assert after(open_docx(draft), last_line) == (
        f"ความยาว {report.words:,} คำ {report.chars:,} ตัวอักษร (กำหนดไม่เกิน 1 หน้า)")


def test_appendix_lists_open_findings_per_question_with_quotes():
    document = open_docx(public_service_draft())
    paragraphs = [p.text for p in document.paragraphs]

    appendix = paragraphs[paragraphs.index("ภาคผนวก ข้อสังเกตจากผู้ช่วย") + 1:]
    assert appendix == [
        "ข้อ 2",
        "• ยังไม่มีตัวเลขประกอบ ลองระบุจำนวนผู้ใช้หรือระยะเวลาที่ลดลง",
        "ข้อ 6",
        "• ยังไม่เห็นการเปรียบเทียบก่อนและหลังการพัฒนา",
        "ข้อความที่พบ: “ไม่ต้องลางานทั้งวัน”",
        "• คำตอบสั้นกว่าที่ควร (ควรมีอย่างน้อย 150 คำ)",
    ]


def test_appendix_says_so_when_there_are_no_findings():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {1: "คำตอบข้อหนึ่ง"}, title="ไม่มีข้อสังเกต")
    paragraphs = [p.text for p in open_docx(draft).paragraphs]

    assert paragraphs[-2:] == ["ภาคผนวก ข้อสังเกตจากผู้ช่วย", "ไม่มีข้อสังเกตค้างอยู่"]


def all_runs(document) -> list[etree._Element]:
    """Return every ``w:r`` of the body and the footer."""
    footer = document.sections[0].footer._element
    return list(document.element.body.iter(qn("w:r"))) + list(footer.iter(qn("w:r")))


def run_fonts(run: etree._Element) -> dict[str, str | None]:
    """Read the font names and sizes a run declares, from its XML."""
    rpr = run.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    values = {attr: rfonts.get(qn(f"w:{attr}")) for attr in ("ascii", "hAnsi", "cs", "eastAsia")}
    values["sz"] = rpr.find(qn("w:sz")).get(qn("w:val"))
    values["szCs"] = rpr.find(qn("w:szCs")).get(qn("w:val"))
    values["rtl"] = None if rpr.find(qn("w:rtl")) is None else "set"
    values["bidi_lang"] = rpr.find(qn("w:lang")).get(qn("w:bidi"))
    return values


def test_every_run_is_th_sarabun_new_16pt_for_latin_and_thai():
    document = open_docx(participatory_draft())
    expected = {"ascii": FONT, "hAnsi": FONT, "cs": FONT, "eastAsia": FONT,
                "sz": "32", "szCs": "32", "rtl": None, "bidi_lang": "th-TH"}

    runs = all_runs(document)
    assert len(runs) > 50
    assert [run_fonts(r) for r in runs] == [expected] * len(runs)


def test_bold_runs_are_bold_for_thai_too():
    document = open_docx(public_service_draft())
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")

    rpr = heading.runs[0]._r.find(qn("w:rPr"))
    assert (rpr.find(qn("w:b")) is not None, rpr.find(qn("w:bCs")) is not None) == (True, True)


def test_document_defaults_and_headings_use_the_thai_font_and_language():
    document = open_docx(public_service_draft())
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))

    assert run_fonts(defaults.getparent()) == {
        "ascii": FONT, "hAnsi": FONT, "cs": FONT, "eastAsia": FONT,
        "sz": "32", "szCs": "32", "rtl": None, "bidi_lang": "th-TH"}
    for name in ("Title", "Heading 1", "Heading 2"):
        rpr = document.styles[name].element.rPr
        rfonts = rpr.find(qn("w:rFonts"))
        assert ([rfonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")],
                rpr.find(qn("w:sz")).get(qn("w:val")), rpr.find(qn("w:szCs")).get(qn("w:val")),
                rpr.find(qn("w:b")) is not None) == ([FONT] * 4, "32", "32", True), name


def test_no_style_falls_back_to_theme_fonts():
    styles_xml = etree.tostring(open_docx(public_service_draft()).styles.element).decode()

    assert [attr for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
            if f"w:{attr}=" in styles_xml] == []


def test_font_table_declares_sarabun_as_the_alternate_name():
    with zipfile.ZipFile(BytesIO(build_docx(public_service_draft()))) as package:
        table = etree.fromstring(package.read("word/fontTable.xml"))
        names = package.namelist()
    font = next(f for f in table.iter(qn("w:font")) if f.get(qn("w:name")) == FONT)

    assert (font.find(qn("w:altName")).get(qn("w:val")),
            font.find(qn("w:charset")).get(qn("w:val"))) == ("Sarabun", "DE")
    assert "word/stylesWithEffects.xml" not in names


def test_settings_name_thai_as_the_complex_script_language():
    settings = open_docx(public_service_draft()).settings.element

    assert settings.find(qn("w:themeFontLang")).get(qn("w:bidi")) == "th-TH"


def test_page_is_a4_with_the_official_margins():
    section = open_docx(public_service_draft()).sections[0]
    sect_pr = section._sectPr

    size = sect_pr.find(qn("w:pgSz"))
    margins = sect_pr.find(qn("w:pgMar"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
    assert {side: margins.get(qn(f"w:{side}")) for side in ("top", "bottom", "left", "right")} == {
        "top": "1417", "bottom": "1134", "left": "1701", "right": "1134"}
    margins_cm = [round(m.cm, 2) for m in (section.top_margin, section.bottom_margin,
                                           section.left_margin, section.right_margin)]
    assert margins_cm == [2.5, 2.0, 3.0, 2.0]


def test_footer_numbers_pages_with_word_fields():
    footer = open_docx(public_service_draft()).sections[0].footer._element

    instructions = [f.get(qn("w:instr")) for f in footer.iter(qn("w:fldSimple"))]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_file_properties_carry_title_and_thai_language():
    draft = public_service_draft()
    core = open_docx(draft).core_properties

    assert (core.title, core.language, core.author) == (draft.title, "th-TH", "เลิศรัฐโค้ช")


def test_answer_paragraphs_split_on_any_newline_and_drop_blank_lines():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {1: "ย่อหน้าแรก\r\n\r\nย่อหน้าที่สอง\rย่อหน้าที่สาม\n  \n"},
                       title="ทดสอบ")

    assert answer_paragraphs(open_docx(draft)) == ["ย่อหน้าแรก", "ย่อหน้าที่สอง", "ย่อหน้าที่สาม"]
