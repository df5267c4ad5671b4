"""The DOCX draft, opened again with python-docx: content, order, gaps, fonts, page."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from lxml import etree

from bot.draft import build_docx
from bot.draft.docx import question_heading
from bot.draft.samples import (
    PARTICIPATORY_ANSWERS,
    PUBLIC_SERVICE_ANSWERS,
    make_draft,
    participatory_draft,
    public_service_draft,
)
from bot.rubrics import default_rubrics

FONT = "TH Sarabun New"
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def thai(text: str) -> str:
    """Write ``text``'s digits as Thai digits."""
    return text.translate(THAI_DIGITS)


def page_number_format(document) -> str:
    """Return the section's page-number format (``w:pgNumType/@w:fmt``)."""
    return document.sections[0]._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt"))


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


def test_every_answer_paragraph_appears_once_in_question_order():
    document = open_docx(public_service_draft())

    assert answer_paragraphs(document) == expected_paragraphs(PUBLIC_SERVICE_ANSWERS)


def test_participatory_application_keeps_all_thirteen_answers_in_order():
    document = open_docx(participatory_draft())

    assert answer_paragraphs(document) == expected_paragraphs(PARTICIPATORY_ANSWERS)


def test_cover_names_title_agency_branch_category_criteria_year_and_date():
    document = open_docx(public_service_draft())
    styles = [p.style.name for p in document.paragraphs]
    cover = [p.text for p in document.paragraphs[:styles.index("Heading 1")]]

    # No award year given: the heading names the round after the draft's date (15 March
    # 2564 → 2565), never the criteria's year, which the cover states as what it is.
    assert cover[0] == "ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. ๒๕๖๕"
    assert [line for line in cover if line.split(": ")[0] in (
        "ชื่อผลงาน", "หน่วยงาน", "สาขา", "ประเภท", "จัดทำร่างเมื่อ")] == [
        "ชื่อผลงาน: ที่ดินนัดได้ ไม่ต้องรอ: ระบบนัดหมายล่วงหน้าผ่าน LINE",
        "หน่วยงาน: สำนักงานที่ดินจังหวัดนครราชสีมา",
        "สาขา: รางวัลบริการภาครัฐ",
        "ประเภท: ๑.๑ นวัตกรรมการบริการ",
        "จัดทำร่างเมื่อ: ๑๕ มีนาคม ๒๕๖๔",
    ]
    assert [line for line in cover if line.endswith("ตามเกณฑ์ปี ๒๕๖๔")] != []


def test_cover_ends_with_a_page_break_before_the_first_dimension():
    document = open_docx(public_service_draft())
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]

    assert [h.paragraph_format.page_break_before for h in headings[:2]] == [True, None]


def test_cover_names_the_award_year_applied_for_when_given():
    draft = replace(public_service_draft(), award_year=2567)
    document = open_docx(draft)

    assert "๒๕๖๗" in "\n".join(p.text for p in document.paragraphs[:10])
    assert document.paragraphs[0].text.endswith("ประจำปี พ.ศ. ๒๕๖๗")


def test_agency_line_is_left_out_when_the_draft_has_none():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.2", {1: "คำตอบ"}, title="โครงการทดสอบ", agency=None)

    lines = [p.text for p in open_docx(draft).paragraphs[:3]]

    assert lines == ["ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. ๒๕๖๕", "ชื่อผลงาน: โครงการทดสอบ",
                     "สาขา: รางวัลบริการภาครัฐ"]


def test_each_dimension_is_a_heading_with_its_points_then_the_summary():
    document = open_docx(public_service_draft())

    assert texts(document, "Heading 1") == [
        "มิติที่ ๑ การวิเคราะห์ปัญหา (๑๐ คะแนน)",
        "มิติที่ ๒ แนวทางการแก้ไขปัญหาและการนำไปปฏิบัติ (๒๐ คะแนน)",
        "มิติที่ ๓ ผลผลิต/ผลลัพธ์เชิงประจักษ์ (๖๐ คะแนน)",
        "มิติที่ ๔ ความยั่งยืนของโครงการ (๑๐ คะแนน)",
        "ภาคผนวก ข้อสังเกตจากผู้ช่วย",
    ]


def test_arabic_digits_can_be_chosen_for_the_documents_own_labels():
    document = Document(BytesIO(build_docx(public_service_draft(), digits="arabic")))

    assert texts(document, "Heading 1")[0] == "มิติที่ 1 การวิเคราะห์ปัญหา (10 คะแนน)"
    assert page_number_format(document) == "decimal"


def test_question_13_of_category_2_3_has_its_own_additional_section():
    draft = participatory_draft()
    document = open_docx(draft)

    headings = texts(document, "Heading 1")
    assert headings[3:] == ["มิติที่ ๔ ความยั่งยืน (๑๐ คะแนน)", "ข้อมูลเพิ่มเติม",
                            "ภาคผนวก ข้อสังเกตจากผู้ช่วย"]
    assert after(document, "ข้อมูลเพิ่มเติม").startswith("ข้อ ๑๓ ")


def test_question_headings_hold_the_label_and_first_clause_in_number_order():
    document = open_docx(public_service_draft())

    questions = [t for t in texts(document, "Heading 2") if " " in t[4:]]
    assert [q.split(" ")[1] for q in questions] == list("๑๒๓๔๕๖๗๘๙") + ["๑๐"]
    assert questions[0] == "ข้อ ๑ ความเป็นมาและความสำคัญของปัญหา"
    assert after(document, questions[0]).startswith("(ปัญหามีขอบเขตหรือผลกระทบในระดับใด")
    assert max(len(q) for q in questions) <= 80


def test_question_heading_splits_at_the_parenthesis_or_a_space_before_60_characters():
    assert question_heading("ก ข (ค ง)") == ("ก ข", "(ค ง)")
    assert question_heading("สั้น") == ("สั้น", "")
    long = "ก" * 50 + " " + "ข" * 20 + " " + "ค" * 5
    assert question_heading(long) == ("ก" * 50, "ข" * 20 + " " + "ค" * 5)
    no_early_space = "ก" * 70 + " " + "ข" * 5
    assert question_heading(no_early_space) == ("ก" * 70, "ข" * 5)


@pytest.mark.parametrize("number, marker", [(4, "[ข้ามไว้ ยังไม่ได้ตอบ]"), (8, "[ยังไม่ได้ตอบ]")])
def test_unanswered_question_shows_a_highlighted_bold_gap(number, marker):
    document = open_docx(public_service_draft())
    paragraphs = document.paragraphs
    label = f"ข้อ {'๔' if number == 4 else '๘'} "
    index = next(i for i, p in enumerate(paragraphs)
                 if p.style.name == "Heading 2" and p.text.startswith(label))

    gap = next(p for p in paragraphs[index + 1:] if p.text.startswith("["))
    assert gap.text == marker
    assert [(r.font.highlight_color.name if r.font.highlight_color else None, r.bold)
            for r in gap.runs] == [("YELLOW", True)]


def comments_by_anchor(document) -> dict[str, str]:
    """Map the text each comment is anchored on to the comment's text."""
    anchored: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for paragraph in document.paragraphs:
        for element in paragraph._p.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd")):
            if element.tag == qn("w:commentRangeStart"):
                open_ids.add(element.get(qn("w:id")))
        for comment_id in open_ids:
            anchored.setdefault(comment_id, []).append(paragraph.text)
        for element in paragraph._p.iter(qn("w:commentRangeEnd")):
            open_ids.discard(element.get(qn("w:id")))
    comments = {str(c.comment_id): c.text for c in document.comments}
    return {"\n".join(texts): comments[comment_id] for comment_id, texts in anchored.items()}


def test_working_edition_puts_counts_and_findings_in_comments_on_the_answers():
    draft = public_service_draft()
    report = {a.question.number: a.report for a in draft.answers}

    comments = comments_by_anchor(open_docx(draft))

    assert comments[PUBLIC_SERVICE_ANSWERS[6]] == (
        f"{thai(f'ความยาว {report[6].words:,} คำ {report[6].chars:,} ตัวอักษร')}\n"
        "• ยังไม่เห็นการเปรียบเทียบก่อนและหลังการพัฒนา\n"
        "ข้อความที่พบ: “ไม่ต้องลางานทั้งวัน”\n"
        "• คำตอบสั้นกว่าที่ควร (ควรมีอย่างน้อย ๑๕๐ คำ)")
    answered = [n for n in sorted(PUBLIC_SERVICE_ANSWERS)]
    assert sorted(comments) == sorted(PUBLIC_SERVICE_ANSWERS[n] for n in answered)


def test_counts_in_the_comment_state_the_one_page_limit_of_question_13():
    draft = participatory_draft()
    report = draft.answers[-1].report

    comment = comments_by_anchor(open_docx(draft))[PARTICIPATORY_ANSWERS[13]]
    assert comment == thai(
        f"ความยาว {report.words:,} คำ {report.chars:,} ตัวอักษร (กำหนดไม่เกิน 1 หน้า)")


def test_no_counts_line_under_the_answers():
    document = open_docx(public_service_draft())

    assert [p.text for p in document.paragraphs if p.text.startswith("ความยาว")] == []


def test_clean_edition_has_no_comments_counts_or_summary():
    draft = public_service_draft()
    data = build_docx(draft, edition="clean")
    document = Document(BytesIO(data))

    with zipfile.ZipFile(BytesIO(data)) as package:
        assert "word/comments.xml" not in package.namelist()
    assert list(document.element.body.iter(qn("w:commentRangeStart"))) == []
    assert "ภาคผนวก ข้อสังเกตจากผู้ช่วย" not in texts(document, "Heading 1")
    assert answer_paragraphs(document) == expected_paragraphs(PUBLIC_SERVICE_ANSWERS)


def test_summary_lists_open_findings_per_question_with_quotes():
    document = open_docx(public_service_draft())
    paragraphs = [p.text for p in document.paragraphs]

    summary = paragraphs[paragraphs.index("ภาคผนวก ข้อสังเกตจากผู้ช่วย") + 1:]
    assert summary == [
        "ข้อ ๒",
        "• ยังไม่มีตัวเลขประกอบ ลองระบุจำนวนผู้ใช้หรือระยะเวลาที่ลดลง",
        "ข้อ ๖",
        "• ยังไม่เห็นการเปรียบเทียบก่อนและหลังการพัฒนา",
        "ข้อความที่พบ: “ไม่ต้องลางานทั้งวัน”",
        "• คำตอบสั้นกว่าที่ควร (ควรมีอย่างน้อย ๑๕๐ คำ)",
    ]


def test_summary_says_so_when_there_are_no_findings():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {1: "คำตอบข้อหนึ่ง"}, title="ไม่มีข้อสังเกต")
    paragraphs = [p.text for p in open_docx(draft).paragraphs]

    assert paragraphs[-2:] == ["ภาคผนวก ข้อสังเกตจากผู้ช่วย", "ไม่มีข้อสังเกตค้างอยู่"]


def all_runs(document) -> list[etree._Element]:
    """Return every ``w:r`` of the body, the page header and the comments."""
    header = document.sections[0].header._element
    comments = document.part._comments_part.element
    return [*document.element.body.iter(qn("w:r")), *header.iter(qn("w:r")),
            *comments.iter(qn("w:r"))]


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


def test_first_page_has_no_number_and_page_two_shows_a_centred_thai_number_at_the_top():
    section = open_docx(public_service_draft()).sections[0]
    header = section.header._element
    first = (section.first_page_header._element, section.first_page_footer._element)

    assert section._sectPr.find(qn("w:titlePg")) is not None
    assert page_number_format(open_docx(public_service_draft())) == "thaiNumbers"
    assert [list(part.iter(qn("w:fldSimple"))) for part in first] == [[], []]
    assert "".join(t.text for p in first for t in p.iter(qn("w:t"))) == ""
    assert [f.get(qn("w:instr")) for f in header.iter(qn("w:fldSimple"))] == ["PAGE"]
    assert "".join(t.text for t in header.iter(qn("w:t"))) == "- ๒ -"
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert section.footer.paragraphs[0].text == ""


def test_file_properties_carry_title_and_thai_language():
    draft = public_service_draft()
    core = open_docx(draft).core_properties

    assert (core.title, core.language, core.author) == (draft.title, "th-TH", "เลิศรัฐโค้ช")


def test_answer_paragraphs_split_on_any_newline_and_drop_blank_lines():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {1: "ย่อหน้าแรก\r\n\r\nย่อหน้าที่สอง\rย่อหน้าที่สาม\n  \n"},
                       title="ทดสอบ")

    assert answer_paragraphs(open_docx(draft)) == ["ย่อหน้าแรก", "ย่อหน้าที่สอง", "ย่อหน้าที่สาม"]


def test_answer_paragraphs_are_justified_the_thai_way():
    document = open_docx(participatory_draft())
    body = [p for p in document.paragraphs if p.paragraph_format.first_line_indent is not None
            and p.paragraph_format.first_line_indent.cm > 0]

    assert len(body) == len(expected_paragraphs(PARTICIPATORY_ANSWERS))
    assert {p._p.pPr.find(qn("w:jc")).get(qn("w:val")) for p in body} == {"thaiDistribute"}


LIST_ANSWER = "\n".join([
    "ขั้นตอนมีดังนี้",
    "๑) ยื่นคำขอผ่าน LINE",
    "2. ตรวจเอกสาร",
    "3) นัดหมาย",
    "• แจ้งผล",
    "- ติดตาม",
    "ก. ภาคประชาชน",
    "พ.ศ. 2564 เริ่มใช้ระบบ",
])


def test_list_lines_get_hanging_indents_with_the_text_after_the_marker():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {2: LIST_ANSWER}, title="รายการ")
    paragraphs = [p for p in open_docx(draft).paragraphs
                  if p.paragraph_format.first_line_indent is not None]

    def shape(p):
        fmt = p.paragraph_format
        left = None if fmt.left_indent is None else round(fmt.left_indent.cm, 2)
        return p.text, left, round(fmt.first_line_indent.cm, 2)

    assert [shape(p) for p in paragraphs] == [
        ("ขั้นตอนมีดังนี้", None, 2.5),
        ("๑)\tยื่นคำขอผ่าน LINE", 3.5, -1.0),
        ("2.\tตรวจเอกสาร", 3.5, -1.0),
        ("3)\tนัดหมาย", 3.5, -1.0),
        ("•\tแจ้งผล", 3.5, -1.0),
        ("-\tติดตาม", 3.5, -1.0),
        ("ก.\tภาคประชาชน", 3.5, -1.0),
        ("พ.ศ. 2564 เริ่มใช้ระบบ", None, 2.5),
    ]
    tabs = [[round(t.position.cm, 2) for t in p.paragraph_format.tab_stops] for p in paragraphs]
    assert tabs == [[]] + [[3.5]] * 6 + [[]]


HARD_TITLE = "โครงการ" + "ก" * 83


def hard_draft():  # type: ignore[no-untyped-def]
    """Return an application with control characters, emoji, lists, a URL and Thai digits."""
    rubric = default_rubrics().get("public_service", 2564)
    return make_draft(rubric, "1.1", {1: HARD_ANSWER}, title=HARD_TITLE + " 🚀",
                      agency="สำนักงาน\vจังหวัด")


HARD_ANSWER = ("บรรทัดแรก\vบรรทัดสอง\fบรรทัดสาม 😀🙏\n" + LIST_ANSWER
               + "\nดูที่ https://www.opdc.go.th/content/Mjk?x=1&y=2 ปี ๒๕๖๔ จำนวน 1,200 คน")


def test_an_application_with_control_characters_emoji_lists_urls_and_thai_digits_builds():
    assert len(HARD_TITLE) == 90

    document = open_docx(hard_draft())

    text = "\n".join(p.text for p in document.paragraphs)
    assert "ชื่อผลงาน: " + HARD_TITLE in text
    assert ["บรรทัดแรก", "บรรทัดสอง", "บรรทัดสาม"] == answer_paragraphs(document)[:3]
    assert "ดูที่ https://www.opdc.go.th/content/Mjk?x=1&y=2 ปี ๒๕๖๔ จำนวน 1,200 คน" in text
    assert "2.\tตรวจเอกสาร" in text
    assert [ch for ch in text if ch in "😀🙏🚀\v\f"] == []


def test_template_leftovers_are_gone():
    document = open_docx(public_service_draft())
    styles = document.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))

    assert by_id["Title"].find(qn("w:rPr")).find(qn("w:spacing")) is None
    assert [s for s in styles.iter(qn("w:rPr")) if s.find(qn("w:spacing")) is not None] == []
    for char_style in ("TitleChar", "Heading1Char", "Heading2Char"):
        rpr = by_id[char_style].find(qn("w:rPr"))
        assert (rpr.find(qn("w:color")).get(qn("w:val")), rpr.find(qn("w:sz")).get(qn("w:val")),
                rpr.find(qn("w:rFonts")).get(qn("w:cs"))) == ("000000", "32", FONT), char_style
    assert [c for c in styles.iter(qn("w:color")) if c.get(qn("w:themeColor"))] == []
    assert (theme_lang.get(qn("w:eastAsia")), theme_lang.get(qn("w:bidi"))) == (None, "th-TH")


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("edition", ["clean", "working"])
@pytest.mark.parametrize("make", [public_service_draft, hard_draft], ids=["sample", "hard"])
def test_libreoffice_converts_the_docx_to_pdf_without_warnings(tmp_path, edition, make):
    source = tmp_path / "draft.docx"
    source.write_bytes(build_docx(make(), edition=edition))

    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    done = subprocess.run([SOFFICE, profile, "--headless", "--convert-to", "pdf", "--outdir",
                           str(tmp_path), str(source)], capture_output=True, text=True,
                          timeout=180, check=False)
    # LibreOffice's start-up says when it finds no Java; that is the machine, not the file.
    warnings = [line for line in done.stderr.splitlines()
                if line.strip() and "javaldx" not in line]

    assert (done.returncode, warnings) == (0, [])
    assert (tmp_path / "draft.pdf").read_bytes().startswith(b"%PDF")
    keep_pages(tmp_path / "draft.pdf", f"docx-{make.__name__}-{edition}")


def keep_pages(pdf: Path, name: str) -> None:
    """Keep PNGs of the first two pages, at A4 (100 dpi) and phone width, in test-artifacts/."""
    if shutil.which("pdftoppm") is None:
        return
    folder = ARTIFACTS / "draft"
    folder.mkdir(parents=True, exist_ok=True)
    for size, args in (("a4", ["-r", "100"]), ("phone", ["-scale-to-x", "390",
                                                         "-scale-to-y", "-1"])):
        subprocess.run(["pdftoppm", *args, "-f", "1", "-l", "2", "-png", str(pdf),
                        str(folder / f"{name}-{size}")], check=True, timeout=60)
