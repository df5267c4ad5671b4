"""Tests for bot.analysis: a table of Thai answers with the findings each must and must not get,
then the counts, the rules that are easier to state one by one, the wording file and ranking."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis import Finding, Report, analyze, warm_up
from bot.analysis.categories import CATEGORY_CHECKS
from bot.analysis.messages import PLACEHOLDERS, FindingsFileError, default_messages, load_messages
from bot.analysis.pages import CHARS_PER_LINE, INDENT_CHARS, LINES_PER_PAGE, estimate_pages
from bot.analysis.personal import is_valid_national_id
from bot.analysis.quantities import find_quantities
from bot.analysis.sentences import sentence_span
from bot.rubrics import Limit, default_rubrics

CASES_FILE = Path(__file__).parent / "data" / "analysis_cases.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))["cases"]
KNOWN_CODES = set(PLACEHOLDERS)


def case_text(case: dict) -> str:
    """Return a case's answer, repeated into paragraphs when the case asks for it."""
    return "\n".join([case["text"]] * case.get("repeat", 1))


def run(text: str, track: str = "public_service", question: int = 5,
        category: str | None = None, year: int | None = None) -> Report:
    """Analyse ``text`` against a question of ``track`` in ``year`` (default the newest)."""
    rubrics = default_rubrics()
    rubric = rubrics.get(track, year or rubrics.latest_year)
    return analyze(text, rubric.question(question), rubric, category)


def codes(text: str, **kwargs) -> set[str]:
    """Return the set of finding codes for ``text``."""
    return set(run(text, **kwargs).codes)


# --- The table ---------------------------------------------------------------------------


def test_case_table_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    assert len(CASES) >= 60
    for case in CASES:
        named = (set(case.get("must", [])) | set(case.get("must_not", []))
                 | set(case.get("expect", [])))
        assert named <= KNOWN_CODES, case["id"]
        assert named or "expect" in case, f"{case['id']} asserts nothing"
        assert not set(case.get("must", [])) & set(case.get("must_not", [])), case["id"]


def case_failures(case: dict) -> list[str]:
    """Return what the analysis gets wrong on a case: missing musts, given must_nots."""
    report = run(case_text(case), track=case["track"], question=case["question"],
                 category=case.get("category"), year=case.get("year"))
    actual = set(report.codes)
    wrong = [f"missed {code}" for code in sorted(set(case.get("must", [])) - actual)]
    wrong += [f"wrong {code}" for code in sorted(set(case.get("must_not", [])) & actual)]
    if "expect" in case and sorted(actual) != sorted(case["expect"]):
        wrong.append(f"expected exactly {sorted(case['expect'])}, got {sorted(actual)}")
    return wrong


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case):
    failures = case_failures(case)
    if "known_miss" in case:
        # Like pytest.xfail(strict=True): the case must still fail; once it passes, the
        # known_miss mark has to go.
        assert failures, f"{case['id']} passes now: remove its known_miss mark"
        pytest.xfail(f"known miss: {case['known_miss']} ({'; '.join(failures)})")
    assert failures == []


def test_case_table_is_large_real_and_covers_every_code():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if c.get("source")) * 2 >= len(CASES)
    for field in ("must", "must_not"):
        named = {code for c in CASES for code in c.get(field, [])}
        if field == "must":
            named |= {code for c in CASES for code in c.get("expect", [])}
        assert set(PLACEHOLDERS) - named == set(), field
    known = [c for c in CASES if "known_miss" in c]
    assert all(isinstance(c["known_miss"], str) and c["known_miss"] for c in known)
    assert len(known) * 15 <= len(CASES), "known misses must stay rare"


# --- Counts ------------------------------------------------------------------------------


def test_words_leave_out_spaces_punctuation_emoji_and_repetition_mark():
    assert run("ดิน , ดิน ( ดิน ) 😀 ต่าง ๆ").words == run("ดินดินดินต่าง").words


def test_words_keep_numbers_with_commas_as_one_word():
    assert run("เกษตรกร 1,250 ราย").words == 3


def test_chars_leave_out_whitespace_and_zero_width_spaces():
    assert run("ก ข\n\tค\u200bง").chars == 4


def test_chars_count_thai_vowel_and_tone_marks():
    assert run("น้ำ").chars == 3


def test_windows_line_ends_read_as_paragraphs():
    assert run("ดิน\r\nน้ำ").chars == run("ดิน\nน้ำ").chars == 6


def test_lone_surrogate_is_counted_but_not_a_word():
    report = run("ดิน\ud800 เกษตรกร 120 ราย", question=5)
    assert (report.words, report.chars) == (4, 17)
    assert "no_statistics" not in report.codes


def test_warm_up_twice_is_harmless():
    warm_up()
    warm_up()
    assert run("ดิน").words == 1


# --- Quantities --------------------------------------------------------------------------


@pytest.mark.parametrize("text, kind", [
    ("เกษตรกร ๑,๒๐๐ ราย", "people"),
    ("รวม10 แห่ง", "place"),
    ("ร้อยละห้าสิบ", "percent"),
    ("สองพันห้าร้อยบาท", "money"),
    ("1,250.50 บาท", "money"),
    ("เร็วขึ้น 3 เท่า", "ratio"),
    ("85 %", "percent"),
    ("จำนวน 387", "amount"),
    ("2564 ราย", "people"),
])
def test_quantity_is_found_with_its_kind(text, kind):
    assert [q.kind for q in find_quantities(text)] == [kind]


@pytest.mark.parametrize("text", [
    "พ.ศ. 2564", "ปี 2563", "ค.ศ. 2021", "12 มี.ค. 2564", "1 ตุลาคม", "ครั้งที่ 3", "ข้อ 5",
    "ระยะที่ 4", "มิติที่ 3", "ฉบับที่ 2", "หมู่ที่ 5 ตำบลท่าศาลา", "มาตรา 7", "ISO 9001",
    "เวอร์ชัน 2.0", "โทร. 0 7537 8609", "ไม่ถึง 100 %", "ไม่เกิน 7 วัน", "อย่างน้อย 2 พื้นที่",
    "ปี 2564 จังหวัดสงขลา", "PM2.5", "สามารถ", "เรียบร้อย", "พันธุ์ข้าว", "ครั้งที่ 1/2564",
])
def test_label_year_date_or_bound_is_not_a_quantity(text):
    assert find_quantities(text) == []


def test_number_words_have_values():
    assert [q.value for q in find_quantities("สามร้อยราย และ ๑,๒๐๐ ราย")] == [300.0, 1200.0]


# --- Sentences ---------------------------------------------------------------------------


def _sentence(text: str, phrase: str) -> str:
    start = text.index(phrase)
    left, right = sentence_span(text, start, start + len(phrase))
    return text[left:right]


def test_sentence_ends_at_a_space_between_clauses():
    text = "ผู้รับบริการพึงพอใจมาก ทั้งนี้เจ้าหน้าที่ทำงานเร็ว"
    assert _sentence(text, "พึงพอใจ") == "ผู้รับบริการพึงพอใจมาก"


def test_sentence_continues_over_a_connective_and_a_number():
    text = "ผู้รับบริการเพิ่มขึ้นอย่างมาก โดยเพิ่มเป็น 1,150 ราย"
    assert _sentence(text, "อย่างมาก") == text


def test_sentence_continues_over_the_space_before_mai_yamok():
    text = "ภาคส่วนต่าง ๆ ร่วมมือเป็นอย่างดี"
    assert _sentence(text, "เป็นอย่างดี") == text


def test_sentence_ends_at_a_newline_and_a_table_cell():
    assert _sentence("ดีมาก\nผู้ใช้ 500 ราย", "ดีมาก") == "ดีมาก"
    assert _sentence("ดีมาก|500 ราย", "ดีมาก") == "ดีมาก"


# --- Findings one by one -----------------------------------------------------------------


def test_thin_message_says_how_many_words_now_and_expected():
    report = run("เกษตรกร 40 ราย มีรายได้เพิ่มขึ้น", question=5)
    thin = next(f for f in report.findings if f.code == "thin")
    assert f"ประมาณ {report.words} คำ" in thin.message
    assert "200 คำ" in thin.message


def test_vague_quantifier_quotes_its_sentence():
    report = run("หน่วยงานปรับปรุงระบบใหม่ ผู้มาใช้บริการเพิ่มขึ้นเป็นจำนวนมาก", question=8)
    vague = [f for f in report.findings if f.code == "vague_quantifier"]
    assert [f.quote for f in vague] == ["ผู้มาใช้บริการเพิ่มขึ้นเป็นจำนวนมาก"]


def test_vague_quantifiers_are_capped_at_three():
    # Six different phrases: the same phrase is reported once (issue 11: the same finding is
    # never shown twice), so six copies of one sentence would give one finding, not three.
    text = "\n".join(["ผลผลิตดีขึ้นอย่างมาก", "ผู้ใช้บริการจำนวนมาก", "ชุมชนส่วนใหญ่เข้าร่วม",
                      "รายได้เพิ่มขึ้นอย่างชัดเจน", "ขยายไปหลายแห่ง", "ต้นทุนลดลงอย่างมีนัยสำคัญ"])
    assert run(text, question=8).codes.count("vague_quantifier") == 3


@pytest.mark.parametrize("text, masked", [
    ("เลขประจำตัวประชาชน 1-1017-00230-70-8", "1-xxxx-xxxxx-xx-8"),
    ("เลข 3100600123450", "3xxxxxxxxxxx0"),
    ("โทร 081-234-5678", "081-xxx-xx78"),
    ("โทร +66 89 123 4567", "+66 8x xxx xx67"),
])
def test_personal_data_is_quoted_masked(text, masked):
    report = run(text, question=4)
    found = [f for f in report.findings if f.code == "personal_data"]
    assert [f.quote for f in found] == [masked]


def test_personal_data_message_and_json_never_hold_the_full_number():
    report = run("ผู้นำกลุ่ม เลข 1101700230708 โทร 0812345678", question=4)
    dumped = str(report.to_dict())
    assert "1101700230708" not in dumped and "0812345678" not in dumped
    assert report.codes.count("personal_data") == 2


@pytest.mark.parametrize("number, valid", [
    ("1101700230708", True), ("1101700230701", False), ("๑๑๐๑๗๐๐๒๓๐๗๐๘", True),
    ("1-1017-00230-70-8", True), ("110170023070", False),
])
def test_national_id_checksum(number, valid):
    assert is_valid_national_id(number) is valid


def test_no_facilitation_names_the_missing_aspect():
    report = run("ยกเลิกระเบียบ ลดขั้นตอนจาก 6 ขั้นตอน เหลือ 2 ขั้นตอน ลดระยะเวลาจาก 20 วัน เหลือ 3 วัน",
                 question=3, category="1.6")
    found = next(f for f in report.findings if f.code == "no_facilitation")
    labels = default_messages().labels["facilitation"]
    assert labels["cost"] in found.message
    assert labels["steps"] not in found.message


def test_no_facilitation_lists_every_missing_aspect():
    found = next(f for f in run("พัฒนาระบบใหม่", question=3, category="1.6").findings
                 if f.code == "no_facilitation")
    labels = default_messages().labels["facilitation"]
    assert all(labels[a] in found.message for a in ("rules", "steps", "time", "cost"))


def test_participation_level_low_names_reached_and_expected_levels():
    report = run("ประชาสัมพันธ์ผ่านหอกระจายข่าว และจัดเวทีรับฟังความคิดเห็น",
                 track="participatory", question=6, category="2.2")
    low = next(f for f in report.findings if f.code == "participation_level_low")
    assert "(Consult)" in low.message
    assert "(Involve)" in low.message and "(Collaborate)" in low.message
    assert low.quote == "ประชาสัมพันธ์ผ่านหอกระจายข่าว และจัดเวทีรับฟังความคิดเห็น"


def test_few_areas_says_how_many_were_found():
    report = run("ขยายผลที่ตำบลนาแว อำเภอฉวาง", track="participatory", question=12, category="2.4")
    few = next(f for f in report.findings if f.code == "few_areas")
    assert "พบชื่อพื้นที่ 1 แห่ง" in few.message
    assert few.quote == "ตำบลนาแว, อำเภอฉวาง"


def test_category_checks_apply_only_to_their_questions():
    text = "ให้บริการตรวจหาเชื้อโควิด 19 แบบไดรฟ์ทรู"
    assert "no_readiness" in codes(text, question=2, category="1.5")
    assert "no_readiness" not in codes(text, question=8, category="1.5")


def test_unknown_category_gives_no_category_findings():
    assert codes("ประชาชนได้รับบริการ", question=3, category="9.9") == codes(
        "ประชาชนได้รับบริการ", question=3)


def test_every_category_check_in_the_rubrics_is_implemented():
    for rubric in default_rubrics():
        for category in rubric.categories:
            for check in category.checks:
                assert check.code in CATEGORY_CHECKS, (rubric.track, category.code, check.code)


def test_every_facilitation_aspect_has_a_label():
    labels = default_messages().labels["facilitation"]
    for rubric in default_rubrics():
        for category in rubric.categories:
            for check in category.checks:
                if check.code == "facilitation":
                    assert set(check.params["aspects"]) <= set(labels)


# --- Length limits -----------------------------------------------------------------------


def test_page_estimate_counts_indented_lines_per_paragraph():
    first_line = "ก" * (CHARS_PER_LINE - INDENT_CHARS)
    assert estimate_pages(first_line) == 1 / LINES_PER_PAGE
    assert estimate_pages(first_line + "ก") == 2 / LINES_PER_PAGE
    assert estimate_pages("\n\n".join(["ก"] * LINES_PER_PAGE)) == 1.0


def test_over_limit_message_gives_length_and_what_to_cut():
    text = "\n".join(["ก" * (CHARS_PER_LINE - INDENT_CHARS)] * (LINES_PER_PAGE + 10))
    report = run(text, track="participatory", question=13, category="2.3")
    over = next(f for f in report.findings if f.code == "over_limit")
    assert "ไม่เกิน 1 หน้า" in over.message
    assert "ประมาณ 1.3 หน้า" in over.message
    assert "ราว 650 ตัวอักษร" in over.message  # 10 lines of 62, rounded up to 50


def test_exactly_one_page_is_not_over_limit():
    text = "\n".join(["ก" * (CHARS_PER_LINE - INDENT_CHARS)] * LINES_PER_PAGE)
    assert "over_limit" not in codes(text, track="participatory", question=13, category="2.3")


@pytest.mark.parametrize("unit, maximum, text, over", [
    ("chars", 10, "ดินดีน้ำดีป่าดี", True),
    ("chars", 20, "ดินดีน้ำดีป่าดี", False),
    ("words", 3, "ดิน ดี น้ำ ดี", True),
    ("words", 4, "ดิน ดี น้ำ ดี", False),
])
def test_over_limit_in_chars_and_words(unit, maximum, text, over):
    rubric = default_rubrics().get("public_service", 2564)
    question = rubric.question(8)
    limited = type(question)(**{**question.__dict__, "limit": Limit(unit, maximum)})
    assert ("over_limit" in analyze(text, limited, rubric).codes) is over


# --- Ranking -----------------------------------------------------------------------------


def test_findings_come_most_important_first():
    report = run("ผลผลิตดีขึ้นเป็นจำนวนมาก โทร 081-234-5678", question=5)
    priorities = [f.priority for f in report.findings]
    assert priorities == sorted(priorities, reverse=True)
    assert report.findings[0].code == "personal_data"


def test_missing_statistics_on_big_question_outranks_thin_on_small_one():
    big = next(f for f in run("ผลผลิตดีขึ้น", question=5).findings if f.code == "no_statistics")
    small = next(f for f in run("ดี", track="participatory", question=1).findings
                 if f.code == "thin")
    assert big.priority > small.priority


def test_top_three_of_a_weak_results_answer():
    report = run("เกษตรกรพึงพอใจเป็นอย่างมาก", question=5)
    # The officer's own claim comes first: its figure would also be the missing statistic.
    assert [f.code for f in report.top(3)] == ["unproven_claim", "no_statistics",
                                               "no_before_after"]
    assert report.top(1)[0].quote is not None and "พึงพอใจ" in report.top(1)[0].quote


def test_empty_answer_gets_only_empty():
    report = run("   ", question=5)
    assert (report.words, report.chars, report.codes) == (0, 0, ["empty"])


# --- Wording file ------------------------------------------------------------------------


def test_every_finding_has_a_message_with_an_example():
    messages = default_messages().messages
    assert set(messages) == KNOWN_CODES
    for code, message in messages.items():
        if code not in ("empty", "personal_data", "over_limit", "too_long", "repeated_text",
                        "unproven_claim"):
            assert re.search(r"(เช่น|ตัวอย่าง)", message), code


def _write_findings(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(default_messages().path.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "findings.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_missing_code_in_findings_file_names_file_and_code(tmp_path):
    path = _write_findings(tmp_path, lambda d: d["findings"].pop("no_sdg"))
    with pytest.raises(FindingsFileError, match=r"findings\.yaml.*findings\.no_sdg.*missing"):
        load_messages(path)


def test_unknown_placeholder_in_findings_file_is_refused(tmp_path):
    def edit(d):
        d["findings"]["thin"]["message"] = "ตอนนี้ {wordz} คำ"

    with pytest.raises(FindingsFileError, match=r"findings\.thin\.message.*wordz"):
        load_messages(_write_findings(tmp_path, edit))


def test_missing_label_in_findings_file_is_refused(tmp_path):
    path = _write_findings(tmp_path, lambda d: d["labels"]["units"].pop("pages"))
    with pytest.raises(FindingsFileError, match=r"labels\.units\.pages.*missing"):
        load_messages(path)


def test_report_json_shape():
    data = run("ดี", question=5).to_dict()
    assert set(data) == {"words", "chars", "findings"}
    assert all(set(f) == {"code", "message", "quote", "span", "reason"}
               for f in data["findings"])
    assert isinstance(Finding("x", "y").priority, int)


# --- Any text at all ---------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("กขคงจฉชซดตถทนบปผพฟมยรลวศสหอฮะาำิีึืุูเแโใไ่้๊๋็์ๆฯ๐๑๒๓๔๕๖๗๘๙0123456789,.-%|/() \t\n")
    + ["ร้อยละ", "ราย", "ปี 2564", "ที่ ", "ไม่ถึง ", "จำนวนมาก", "SDG ", "ตำบล", "081", "จาก ", "เป็น "])
_THAI_TEXT = st.lists(_PIECES, max_size=120).map("".join)


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=200), _THAI_TEXT),
       target=st.sampled_from([("public_service", 5, "1.3"), ("public_service", 3, "1.6"),
                               ("public_service", 10, None), ("public_service", 7, "1.4"),
                               ("participatory", 10, "2.4"), ("participatory", 6, "2.2"),
                               ("participatory", 13, "2.3"), ("participatory", 2, "2.5")]))
def test_any_text_gives_a_well_formed_report(text, target):
    track, number, category = target
    report = run(text, track=track, question=number, category=category)
    assert 0 <= report.words <= report.chars <= len(text)
    assert set(report.codes) <= KNOWN_CODES
    assert [f.priority for f in report.findings] == sorted(
        (f.priority for f in report.findings), reverse=True)
    assert all(f.message and "{" not in f.message for f in report.findings)
