"""The PDF draft, read back with pypdf: the text, Thai marks, pages, fonts, and a render."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from pypdf import PdfReader

from bot.draft import build_pdf
from bot.draft.pdf_text import text_width, wrap
from bot.draft.samples import (
    PARTICIPATORY_ANSWERS,
    PUBLIC_SERVICE_ANSWERS,
    make_draft,
    participatory_draft,
    public_service_draft,
)
from bot.rubrics import default_rubrics

TRICKY = "น้ำใจ ผู้ใหญ่บ้าน ปั้นป้ำ ฤๅษี กำนัน ญี่ปุ่น ฎีกา ศูนย์ ที่ปรึกษา ผู้รับบริการ “เลิศรัฐ” 2,500 บาท"
#: The page number at the top of every page but the first: "- ๒ -".
PAGE_NUMBER = re.compile(r"^\s*-\s*([๐-๙0-9]+)\s*-\s*")


def squash(text: str) -> str:
    """Drop all whitespace: PDF readers break lines and guess spaces their own way."""
    return re.sub(r"\s+", "", text)


def read(draft) -> PdfReader:
    """Build the PDF of ``draft`` and open it again."""
    return PdfReader(BytesIO(build_pdf(draft)))


def page_texts(reader: PdfReader) -> list[str]:
    """Return the extracted text of each page."""
    return [page.extract_text() for page in reader.pages]


def body_text(reader: PdfReader) -> str:
    """Return the text of all pages without their page numbers."""
    return "".join(PAGE_NUMBER.sub("", text) for text in page_texts(reader))


def expected_body(draft) -> str:
    """Write out what the document must say, in order, from the draft itself."""
    rubric = draft.rubric
    parts = ["ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. 2565", f"ชื่อผลงาน: {draft.title}"]
    if draft.agency:
        parts.append(f"หน่วยงาน: {draft.agency}")
    parts += [f"สาขา: {rubric.name}", f"ประเภท: {draft.category.code} {draft.category.name}",
              "เกณฑ์การประเมิน: ตามเกณฑ์ปี 2564", "จัดทำร่างเมื่อ: 15 มีนาคม 2564"]
    for dimension in [*rubric.dimensions, None]:
        answers = [a for a in draft.answers
                   if a.question.dimension == (dimension.number if dimension else None)]
        if not answers:
            continue
        parts.append(f"มิติที่ {dimension.number} {dimension.name} ({dimension.points} คะแนน)"
                     if dimension else "ข้อมูลเพิ่มเติม")
        for answer in answers:
            parts += expected_entry(answer)
    return "".join(parts + expected_appendix(draft))


def expected_entry(answer) -> list[str]:
    """Write out one question: its text, then the answer and its counts, or the gap."""
    parts = [f"ข้อ {answer.question.number} {answer.question.text}"]
    if answer.status == "skipped":
        return parts + ["[ข้ามไว้ ยังไม่ได้ตอบ]"]
    if not answer.text:
        return parts + ["[ยังไม่ได้ตอบ]"]
    parts += [answer.text,
              f"ความยาว {answer.report.words:,} คำ {answer.report.chars:,} ตัวอักษร"]
    if answer.question.limit:
        parts.append("(กำหนดไม่เกิน 1 หน้า)")
    return parts


def expected_appendix(draft) -> list[str]:
    """Write out the appendix: each question's findings with their quotes."""
    parts = ["ภาคผนวก ข้อสังเกตจากผู้ช่วย"]
    for answer in draft.answers:
        if answer.report and answer.report.findings:
            parts.append(f"ข้อ {answer.question.number}")
            for finding in answer.report.findings:
                parts.append(f"• {finding.message}")
                if finding.quote:
                    parts.append(f"ข้อความที่พบ: “{finding.quote}”")
    return parts


@pytest.mark.parametrize("make", [public_service_draft, participatory_draft])
def test_extracted_text_is_the_whole_document_in_order(make):
    draft = make()

    assert squash(body_text(read(draft))) == squash(expected_body(draft))


@pytest.mark.parametrize("answers, make", [(PUBLIC_SERVICE_ANSWERS, public_service_draft),
                                           (PARTICIPATORY_ANSWERS, participatory_draft)])
def test_every_answer_comes_back_in_question_order(answers, make):
    text = squash(body_text(read(make())))

    positions = [text.find(squash(answers[n])) for n in sorted(answers)]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_thai_vowels_and_tone_marks_survive_shaping_and_extraction():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {1: TRICKY}, title="ทดสอบสระและวรรณยุกต์")

    text = body_text(read(draft))
    assert squash(TRICKY) in squash(text)
    assert "ผู้รับบริการ" in text


def test_the_cover_has_no_number_and_later_pages_say_their_number_at_the_top():
    pages = page_texts(read(participatory_draft()))

    numbers = [m.group(1) if (m := PAGE_NUMBER.match(text)) else None for text in pages]
    thai = "๐๑๒๓๔๕๖๗๘๙"
    assert len(pages) > 2
    assert numbers == [None] + ["".join(thai[int(d)] for d in str(i))
                                for i in range(2, len(pages) + 1)]


def test_page_numbers_can_be_arabic():
    reader = PdfReader(BytesIO(build_pdf(public_service_draft(), digits="arabic")))

    assert PAGE_NUMBER.match(reader.pages[1].extract_text()).group(1) == "2"


def test_the_title_block_is_alone_on_the_cover():
    draft = public_service_draft()
    cover, second = page_texts(read(draft))[:2]

    assert squash(draft.title) in squash(cover)
    assert "ข้อ 1" not in cover
    assert "มิติที่ 1" in second


def test_pages_are_a4():
    reader = read(public_service_draft())

    sizes = {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
             for p in reader.pages}
    assert sizes == {(595.3, 841.9)}


def test_text_starts_at_the_three_centimetre_left_margin():
    page = read(public_service_draft()).pages[0]
    lefts: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            lefts.append(tm[4] * cm[0] + cm[4])

    page.extract_text(visitor_text=visit)
    assert round(min(lefts) / 72 * 2.54, 1) == 3.0


def test_sarabun_regular_and_bold_are_embedded():
    page = read(public_service_draft()).pages[0]

    fonts = sorted(str(f.get_object()["/BaseFont"]).split("+")[-1]
                   for f in page["/Resources"]["/Font"].values())
    assert fonts == ["Sarabun", "SarabunBold"]


def test_long_thai_text_wraps_at_word_boundaries_within_the_width():
    text = PARTICIPATORY_ANSWERS[13].replace("\n", " ") * 3

    lines = wrap(text, 80)
    assert len(lines) > 5
    assert max(text_width(line) for line in lines) <= 80
    assert squash("".join(lines)) == squash(text)
    assert [line for line in lines if line[0] in "ัิีึืุู่้๊๋็์ำะา"] == []


def test_a_word_wider_than_the_line_is_cut_between_letters_not_marks():
    word = "ที่" * 40

    lines = wrap(word, 30)
    assert "".join(lines) == word
    assert all(line.startswith("ท") for line in lines)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_first_page_renders_to_a_png_with_text_on_it(tmp_path):
    from PIL import Image

    pdf = tmp_path / "draft.pdf"
    pdf.write_bytes(build_pdf(public_service_draft()))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)

    [png] = sorted(tmp_path.glob("page*.png"))
    with Image.open(png) as image:
        dark = sum(image.convert("L").histogram()[:128])
        assert (image.format, image.size) == ("PNG", (662, 936))
    assert dark > 5000


@pytest.mark.parametrize("make", [public_service_draft, participatory_draft])
def test_no_page_ends_with_a_heading(make):
    from bot.draft.outline import outline

    plan = outline(make())
    headings = [squash(s.heading) for s in plan.sections]
    headings += [squash(f"{e.label} {e.question}") for e in plan.entries]

    endings = [squash(PAGE_NUMBER.sub("", text)) for text in page_texts(read(make()))]
    assert [(i, h) for i, body in enumerate(endings, 1) for h in headings if body.endswith(h)] == []


def test_an_indented_first_line_never_runs_past_the_margin():
    url = "https://www.opdc.go.th/content/" + "ก" * 70

    lines = wrap(url + " สรุปผล", 100, first_width=75)
    assert text_width(lines[0]) <= 75
    assert max(text_width(line) for line in lines[1:]) <= 100
    assert squash("".join(lines)) == squash(url + "สรุปผล")


def test_a_built_pdf_leaves_nothing_in_fpdf2s_glyph_memos():
    from fpdf.fonts import SubsetMap

    from bot.draft.pdf_font import _ThaiSubsetMap

    build_pdf(public_service_draft())

    memos = [SubsetMap.get_glyph, SubsetMap.pick, _ThaiSubsetMap.get_glyph]
    assert [memo.cache_info().currsize for memo in memos] == [0, 0, 0]


# --- line ends, checked on the text read back ------------------------------------------

WORDS = None
#: Units a number is written with in the samples: a line may not start with one after a number.
UNITS = {"ราย", "คน", "บาท", "นาที", "ชั่วโมง", "วัน", "เดือน", "ปี", "แห่ง", "เรื่อง", "ไร่",
         "ครัวเรือน", "คะแนน", "ตัวอย่าง", "หมู่บ้าน", "ตำบล", "ครั้ง", "คำ", "ตัวอักษร", "จาก"}


def line_end_faults(text: str) -> list[str]:
    """List the line ends of ``text`` that break a word, a bracket or a number and unit."""
    global WORDS
    from pythainlp.corpus import thai_words

    from bot.analysis.tokens import tokenize

    WORDS = WORDS or thai_words()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    faults = []
    for before, after in zip(lines, lines[1:], strict=False):
        last, first = tokenize(before)[-1], tokenize(after)[0]
        if (last + first in WORDS or before[-1] in "(“‘[" or after[0] in ")”’],.;:ๆ"
                or (re.search(r"[0-9๐-๙]$", before) and first in UNITS)
                or re.search(r"(พ\.ศ\.|ค\.ศ\.|ร้อยละ)$", before)):
            faults.append(f"{before[-15:]} | {after[:15]}")
    return faults


@pytest.mark.parametrize("make", [public_service_draft, participatory_draft])
def test_no_line_of_the_samples_ends_inside_a_word_a_bracket_or_a_number_and_unit(make):
    pages = page_texts(read(make()))

    assert [fault for text in pages for fault in line_end_faults(PAGE_NUMBER.sub("", text))] == []


def test_the_line_end_check_finds_a_broken_word():
    assert line_end_faults("ใช้เวลา 30 นา\nทีต่อราย\nมี 25\nราย (\nก)") == [
        "ใช้เวลา 30 นา | ทีต่อราย", "มี 25 | ราย (", "ราย ( | ก)"]


MESSY = ("๑) ข้อแรก\v1. ข้อสอง\f• ข้อสาม 🙂 ยาว" + " ผู้รับบริการ" * 12 + "\n- ก. ข้อย่อย\n"
         "ดู https://www.opdc.go.th/content/Nzk4?lang=th&x=1 ร้อยละ ๒๕ และ ๖,๔๓๒ ราย (พ.ศ. ๒๕๖๔)")


def test_a_messy_application_builds_and_reads_back():
    rubric = default_rubrics().get("public_service", 2564)
    title = ("ระบบนัดหมายล่วงหน้าเพื่อลดเวลารอคอยของผู้รับบริการสำนักงานที่ดินจังหวัด"
             "นครราชสีมาทุกสาขาอำเภอ")
    draft = make_draft(rubric, "1.1", {1: MESSY, 2: "สั้น"}, title=title[:90])

    text = body_text(read(draft))
    assert len(title[:90]) == 90
    assert squash("ผู้รับบริการ" * 12) in squash(text)
    assert "https://www.opdc.go.th/" in squash(text)
    assert line_end_faults(text) == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("name, args", [("a4", ["-r", "100"]), ("phone", ["-scale-to-x", "390",
                                                                          "-scale-to-y", "-1"])])
def test_screenshots_of_the_first_two_pages_are_kept(name, args):
    from pathlib import Path

    out = Path(__file__).resolve().parent.parent / "test-artifacts" / "draft"
    out.mkdir(parents=True, exist_ok=True)
    pdf = out / "public_service.pdf"
    pdf.write_bytes(build_pdf(public_service_draft()))
    for old in out.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", *args, "-png", "-f", "1", "-l", "2", str(pdf), str(out / name)],
                   check=True, timeout=60)

    assert len(list(out.glob(f"{name}-*.png"))) == 2
