"""Spans, quotes and reasons of findings: where each finding is, in the officer's own words.

Issue 11: each finding carries the span of text it concerns (offsets in the answer as
stored, so a page can highlight it), a quote in the officer's words, and a one-line reason.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.cli import main
from bot.analysis.personal import find_personal_data
from bot.analysis.report import Finding, Report
from bot.analysis.sentences import QUOTE_LENGTH, quote, sentence_span
from bot.analysis.tokens import tokenize
from bot.coach.ports import PartRecord
from bot.coach.quoting import quoted_part
from bot.rubrics import default_rubrics

#: Findings about the answer as a whole: no one place to highlight.
WHOLE = {"no_statistics", "no_before_after", "no_beneficiaries", "no_sdg", "no_evaluation",
         "thin", "empty", "too_long", "few_areas", "no_participation_level",
         "no_facilitation", "no_extension_scope", "no_interoperability", "no_data_security",
         "no_consent", "no_readiness", "no_poverty"}
#: Findings about one place: they must say where.
PLACED = {"vague_quantifier", "unproven_claim", "personal_data", "repeated_text", "informal",
          "over_limit", "participation_level_low"}

# A realistic answer pasted from a PDF (decomposed sara am "ํา", a doubled sara e, a
# no-break space, a zero-width space), with a phone number, an ID, an emoji, vague words,
# unproven claims and a paragraph pasted twice.
REPEATED = ("สำนักงานเกษตรอำเภอได้จัดอบรมเชิงปฏิบัติการให้แก่เกษตรกรในพื้นที่ทุกตำบล "
            "เพื่อถ่ายทอดความรู้การใช้แอปพลิเคชันตรวจสอบสถานะคำขอรับรองมาตรฐานสินค้าเกษตร "
            "และการยื่นเอกสารประกอบคำขอผ่านระบบออนไลน์แทนการเดินทางมายื่นเอกสารที่สำนักงาน")
LONG = "\n".join([
    "ศูนย์บริการร่วมได้พัฒนาระบบขออนุญาตออนไลน์ เพื่ออํานวยความสะดวกให้ประชาชนในพื้นที่",
    "ประชาชนจํานวนมากได้รับประโยชน์จากระบบใหม่ และหน่วยงานเครือข่ายหลายแห่งเข้าร่วมโครงการ",
    "ระบบใหม่ช่วยลดขั้นตอนการยื่นเอกสาร และทําให้ผู้รับบริการพึงพอใจมากขึ้นอย่างมาก 😊",
    REPEATED,
    "ต่อมาได้ขยายผล\u00a0ไปยังอําเภอใกล้เคียง เเละลดค่าใช้จ่ายในการเดินทางของประชาชน\u200b",
    REPEATED,
    "หากมีข้อสงสัยติดต่อคุณสมศรี โทร 081-234-5678 หรือเลขประจำตัวประชาชน 1-1037-00001-23-9",
])


def rubric(track: str = "public_service"):
    rubrics = default_rubrics()
    return rubrics.get(track, rubrics.latest_year)


def run(text: str, *, track: str = "public_service", question: int = 5,
        category: str | None = None) -> Report:
    r = rubric(track)
    return analyze(text, r.question(question), r, category)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def check_finding(finding: Finding, original: str) -> None:
    """Hold one finding to the rules: span in the text, quote from it, a reason."""
    assert finding.reason.strip(), finding.code
    assert "\n" not in finding.reason, finding.code
    if finding.code in WHOLE:
        assert finding.span is None, finding.code
        return
    assert finding.code in PLACED, f"{finding.code}: say whether it is placed or whole"
    assert finding.span is not None, finding.code
    start, end = finding.span
    assert 0 <= start < end <= len(original), finding
    if finding.quote is None:
        return
    body = finding.quote.strip("…")
    if finding.code == "personal_data":
        assert len(body) == end - start
        assert all(q == o or (q == "x" and o.isdigit()) for q, o in zip(body, original[start:end],
                                                                        strict=True))
        return
    assert body in squeeze(original)
    around = squeeze(original[max(0, start - 400):end + 400])
    assert body in around and squeeze(original[start:end])[:10] in squeeze(
        original[max(0, start - 400):end + 400]), finding


# --- Every finding of a long damaged answer -----------------------------------------------


def test_every_finding_of_a_long_answer_has_its_span_quote_and_reason():
    report = run(LONG)
    codes = set(report.codes)
    assert {"personal_data", "vague_quantifier", "unproven_claim", "repeated_text",
            "informal", "no_statistics"} <= codes
    for finding in report.findings:
        check_finding(finding, LONG)


def test_placed_quotes_are_the_officers_own_words_around_their_span():
    report = run(LONG)
    for finding in report.findings:
        if finding.code in {"vague_quantifier", "unproven_claim", "repeated_text", "informal"}:
            assert finding.span is not None and finding.quote is not None
            start, end = finding.span
            line_start = LONG.rfind("\n", 0, start) + 1
            line_end = LONG.find("\n", end)
            line = squeeze(LONG[line_start:line_end if line_end >= 0 else None])
            assert finding.quote.strip("…") in line, finding
            if finding.code != "repeated_text":
                assert squeeze(LONG[start:end]) in finding.quote


def test_a_vague_word_in_damaged_text_is_quoted_as_typed():
    vague = next(f for f in run(LONG).findings
                 if f.code == "vague_quantifier" and "จํานวนมาก" in (f.quote or ""))
    assert vague.span is not None
    assert LONG[slice(*vague.span)] == "จํานวนมาก"  # decomposed sara am, as pasted
    assert vague.quote is not None and "จำนวนมาก" not in vague.quote


def test_personal_data_spans_cover_the_number_and_nothing_shows_it():
    report = run(LONG)
    found = {LONG[slice(*f.span)]: f for f in report.findings
             if f.code == "personal_data" and f.span}
    assert set(found) == {"081-234-5678", "1-1037-00001-23-9"}
    dumped = json.dumps(report.to_dict(), ensure_ascii=False)
    for number, finding in found.items():
        digits = re.sub(r"\D", "", number)
        assert number not in dumped and digits not in re.sub(r"\D", "", finding.reason)
        assert number not in finding.message and number not in (finding.quote or "")


def test_analyze_json_prints_the_same_spans_quotes_and_reasons():
    r = rubric()
    out = io.StringIO()
    status = main(["--track", "public_service", "--question", "5", "--json"],
                  stdin=io.StringIO(LONG), stdout=out, stderr=io.StringIO())
    assert status == 0
    printed = json.loads(out.getvalue())
    expected = analyze(LONG, r.question(5), r).to_dict()
    assert printed == expected
    assert any(f["span"] is not None for f in printed["findings"])
    assert all(f["reason"] for f in printed["findings"])


def test_carriage_returns_keep_spans_on_the_stored_text():
    text = LONG.replace("\n", "\r\n")
    for finding in run(text).findings:
        check_finding(finding, text)
    phone = next(f for f in run(text).findings if f.quote == "081-xxx-xx78")
    assert phone.span is not None and text[slice(*phone.span)] == "081-234-5678"


def test_over_limit_and_participation_level_low_say_where():
    short = "ประชาสัมพันธ์ผ่านหอกระจายข่าว และจัดเวทีรับฟังความคิดเห็น"
    low = next(f for f in run(short, track="participatory", question=6,
                              category="2.2").findings if f.code == "participation_level_low")
    check_finding(low, short)
    over = "\n".join([REPEATED.replace("ทุกตำบล", f"ตำบลที่ {n}") for n in range(60)])
    limited = rubric("participatory").question(13)
    if limited.limit is None:
        pytest.skip("question 13 has no limit in this rubric")
    found = next(f for f in analyze(over, limited, rubric("participatory"), "2.3").findings
                 if f.code == "over_limit")
    check_finding(found, over)


# --- Personal data positions --------------------------------------------------------------


@pytest.mark.parametrize("text,number", [
    ("โทร 081-234-5678 ได้ทุกวัน", "081-234-5678"),
    ("โทร +66 81 234 5678", "+66 81 234 5678"),
    ("เลขประจำตัว 1103700001239 ของผู้ขอ", "1103700001239"),
    ("เลข ๑-๑๐๓๗-๐๐๐๐๑-๒๓-๙ ของผู้ขอ", "๑-๑๐๓๗-๐๐๐๐๑-๒๓-๙"),
])
def test_personal_data_gives_the_numbers_position_and_keeps_it_masked(text, number):
    (data,) = find_personal_data(text)
    assert text[data.start:data.end] == number
    assert len(data.masked) == len(number) and data.masked != number


# --- Sentences ----------------------------------------------------------------------------


@pytest.mark.parametrize("text,phrase,sentence", [
    ("เริ่มโครงการนำร่องที่อำเภอเมือง ต่อมาได้ขยายผลจำนวนมาก", "จำนวนมาก",
     "ต่อมาได้ขยายผลจำนวนมาก"),
    ("ลดต้นทุนการผลิต ต่อหน่วยได้มาก", "ได้มาก", "ลดต้นทุนการผลิต ต่อหน่วยได้มาก"),
    ("ดำเนินการเสร็จแล้ว ทั้งนี้ประชาชนพอใจมาก", "พอใจมาก", "ทั้งนี้ประชาชนพอใจมาก"),
    ("ประชาชนได้ประโยชน์ ทั้งผู้สูงอายุและเด็กจำนวนมาก", "จำนวนมาก",
     "ประชาชนได้ประโยชน์ ทั้งผู้สูงอายุและเด็กจำนวนมาก"),
    ("ระบบเดิมล่าช้า\nต่อมาพัฒนาระบบใหม่จำนวนมาก", "จำนวนมาก", "ต่อมาพัฒนาระบบใหม่จำนวนมาก"),
])
def test_sentence_span_table(text, phrase, sentence):
    start = text.index(phrase)
    left, right = sentence_span(text, start, start + len(phrase))
    assert text[left:right] == sentence


def boundaries(text: str) -> set[int]:
    edges, at = {0}, 0
    for token in tokenize(text):
        at += len(token)
        edges.add(at)
    return edges


def test_a_long_quote_is_cut_between_words():
    text = ("การให้บริการประชาชนในพื้นที่ห่างไกลได้ดำเนินการอย่างต่อเนื่องตลอดทั้งปีงบประมาณ"
            "โดยเจ้าหน้าที่ออกหน่วยบริการเคลื่อนที่ไปยังหมู่บ้านต่างๆเพื่อรับคำขอและตรวจสอบเอกสาร"
            "ทำให้ประชาชนจำนวนมากไม่ต้องเดินทางมายังสำนักงานอำเภอซึ่งอยู่ห่างไกลและเสียค่าใช้จ่าย"
            "ในการเดินทางไปกลับหลายร้อยบาทต่อครั้งโดยเฉพาะผู้สูงอายุและผู้พิการที่เดินทางลำบาก")
    start = text.index("จำนวนมาก")
    span = sentence_span(text, start, start + 8)
    assert span[1] - span[0] > QUOTE_LENGTH
    shown = quote(Answer(text), start, start + 8, span)
    assert shown.startswith("…") and shown.endswith("…")
    body = shown.strip("…")
    at = text.index(body)
    edges = boundaries(text)
    assert at in edges and at + len(body) in edges
    assert len(body) <= QUOTE_LENGTH + 40


def test_a_short_sentence_is_quoted_whole_in_the_original_spacing():
    text = "ผลการดำเนินงาน\nประชาชน\u00a0\u00a0จํานวนมากพอใจ\nจบ"
    answer = Answer(text)
    start = answer.text.index("จำนวนมาก")
    span = sentence_span(answer.text, start, start + 8)
    assert quote(answer, start, start + 8, span) == "ประชาชน จํานวนมากพอใจ"


# --- Which stored message a quote comes from -----------------------------------------------


def part(text: str, token: str | None) -> PartRecord:
    return PartRecord(author_id="U1", text=text, sent_at=datetime(2026, 12, 1, tzinfo=UTC),
                      quote_token=token)


DAMAGED_PARTS = ["ศูนย์บริการร่วมพัฒนาระบบขออนุญาตออนไลน์ให้บริการ 24 ชั่วโมง",
                 "ทําให้ประชาชนจํานวนมากได้รับความสะดวกรวดเร็ว ไม่ต้องเดินทางมาที่สำนักงาน",
                 "ผู้รับบริการ 3,960 ราย"]


def test_a_damaged_pdf_part_is_found_by_its_quote():
    parts = [part(text, f"q{n}") for n, text in enumerate(DAMAGED_PARTS)]
    joined = "\n".join(DAMAGED_PARTS)
    report = run(joined)
    vague = next(f for f in report.findings if f.code == "vague_quantifier")
    assert vague.quote is not None and vague.quote.strip("…") in squeeze(DAMAGED_PARTS[1])
    calls: list[str] = []

    def analyse(text: str) -> Report:
        calls.append(text)
        return run(text)

    assert quoted_part([vague], parts, analyse) is parts[1]
    assert calls == []  # the span says where: nothing analysed again
    unplaced = Finding(vague.code, vague.message, quote=vague.quote)
    assert quoted_part([unplaced], parts, analyse) is parts[1]


def test_a_placed_finding_in_a_part_without_a_token_leaves_the_next_to_try():
    parts = [part("a", None), part("bb", "qb")]
    first = Finding("vague_quantifier", "m", quote="a", span=(0, 1))
    second = Finding("vague_quantifier", "m", quote="bb", span=(2, 4))
    outside = Finding("vague_quantifier", "m", quote="zz", span=(9, 11))
    assert quoted_part([first, second], parts, lambda _: None) is parts[1]
    assert quoted_part([first, outside], parts, lambda _: None) is None


def test_a_paragraph_pasted_twice_quotes_the_message_with_the_second_copy():
    texts = [REPEATED, "ผู้รับบริการ 3,960 ราย", REPEATED]
    parts = [part(text, f"q{n}") for n, text in enumerate(texts)]
    report = run("\n".join(texts))
    repeated = next(f for f in report.findings if f.code == "repeated_text")
    assert quoted_part([repeated], parts, lambda text: run(text)) is parts[2]
