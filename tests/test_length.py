"""Tests for bot.analysis.length and pages: the length budget of every question, thin answers
(figures count), answers far too long for their points, and spans past a limit."""

from __future__ import annotations

import pytest

from bot.analysis import analyze
from bot.analysis.answer import Answer
from bot.analysis.length import (
    CHARS_PER_WORD,
    FORM_PAGES,
    Budget,
    budget,
    check_thin,
    check_too_long,
)
from bot.analysis.pages import (
    CHARS_PER_LINE,
    CHARS_PER_PAGE,
    INDENT_CHARS,
    LINES_PER_PAGE,
    offset_after_lines,
)
from bot.analysis.tokens import count_chars
from bot.rubrics import Limit, default_rubrics

PS = default_rubrics().get("public_service", 2564)
PG = default_rubrics().get("participatory", 2564)


@pytest.mark.parametrize("rubric, number, expected", [
    (PS, 5, Budget(1_000, 6_000, 2.0)),    # 20 points: two pages, three at most
    (PS, 6, Budget(750, 4_500, 1.5)),      # 15 points
    (PS, 1, Budget(600, 3_000, 1.0)),      # 10 points
    (PS, 3, Budget(500, 2_100, 0.7)),      # 7 points
    (PS, 10, Budget(400, 2_000, 0.5)),     # 5 points: half a page, never flagged under a page
    (PG, 1, Budget(300, 2_000, 0.5)),      # 2.5 points: the least share
    (PG, 13, Budget(600, 2_000, 1.0)),     # no points, a one-page limit: the limit
], ids=["ps5", "ps6", "ps1", "ps3", "ps10", "pg1", "pg13"])
def test_budget_follows_points(rubric, number, expected):
    assert budget(rubric.question(number)) == expected


def test_page_shares_of_a_track_add_up_to_the_form():
    for rubric in (PS, PG):
        shares = [q.weight / 100 * FORM_PAGES for q in rubric.questions]
        assert sum(shares) == pytest.approx(FORM_PAGES)


@pytest.mark.parametrize("rubric", [PS, PG], ids=["ps", "pg"])
def test_every_budget_is_a_range_of_at_least_one_page(rubric):
    for question in rubric.questions:
        b = budget(question)
        assert b.min_chars == min(question.min_words * CHARS_PER_WORD, b.max_chars)
        assert CHARS_PER_PAGE <= b.max_chars
        assert b.min_chars < b.max_chars


def test_a_character_limit_caps_the_budget():
    question = PS.question(8)
    limited = type(question)(**{**question.__dict__, "limit": Limit("chars", 1_200)})
    assert budget(limited).max_chars == 1_200


@pytest.mark.parametrize("words, figures, thin", [
    (40, 0, True),     # really short: thin whatever the figures
    (90, 30, True),    # under half the 200 words expected: thin even when dense
    (150, 0, True),    # 150 of 200 words, no figures
    (150, 4, True),    # 150 + 4 × 8 = 182 < 200
    (150, 7, False),   # 150 + 7 × 8 = 206: short but dense with evidence
    (200, 0, False),   # enough words
])
def test_thin_counts_figures_unless_really_short(words, figures, thin):
    gaps = list(check_thin(words, PS.question(5), figures=figures))
    assert bool(gaps) is thin
    assert all(0 < g.scale <= 1 and g.reason.startswith("length:") for g in gaps)


def test_dense_short_answer_is_not_thin_but_a_sparse_one_is():
    dense = ("ผู้รับบริการ 3,420 ราย ได้รับผลภายใน 3 วัน จากเดิม 15 วัน คิดเป็นร้อยละ 96 "
             "ค่าใช้จ่ายลดลง 350 บาทต่อราย ลดขั้นตอนจาก 8 ขั้นตอน เหลือ 3 ขั้นตอน ")
    report = analyze(dense * 4, PS.question(5), PS)
    assert report.words < PS.question(5).min_words
    assert "thin" not in report.codes
    sparse = "หน่วยงานพัฒนาระบบบริการใหม่เพื่อประชาชน ทำให้สะดวกขึ้น "
    assert "thin" in analyze(sparse * 8, PS.question(5), PS).codes


def _prose(chars: int) -> str:
    """Return paragraphs of Thai words holding about ``chars`` characters."""
    line = "หน่วยงานพัฒนาระบบบริการให้ประชาชนติดต่อได้สะดวกขึ้น " * 3
    text = ""
    while count_chars(text) < chars:
        text += line.strip() + "\n\n"
    return text


def test_too_long_for_its_points():
    question = PS.question(10)  # 5 points: 2,000 characters at most
    answer = Answer(_prose(2_600))
    gap = next(check_too_long(answer, count_chars(answer.text), question))
    assert gap.values["max_chars"] == 2_000 and gap.values["points"] == 5
    assert gap.values["chars"] > 2_000 and gap.values["pages"] > 1
    assert count_chars(answer.text[:gap.span[0]]) == 2_000 and gap.span[1] == len(answer.text)


def test_long_answer_within_the_budget_of_a_big_question_is_not_too_long():
    assert "too_long" not in analyze(_prose(2_600), PS.question(5), PS).codes
    assert "too_long" in analyze(_prose(2_600), PS.question(10), PS).codes


def test_question_with_a_limit_gets_over_limit_never_too_long():
    text = "\n".join(["ก" * (CHARS_PER_LINE - INDENT_CHARS)] * (LINES_PER_PAGE + 10))
    report = analyze(text, PG.question(13), PG, "2.3")
    assert "over_limit" in report.codes and "too_long" not in report.codes
    over = next(f for f in report.findings if f.code == "over_limit")
    assert over.span[0] == offset_after_lines(text, LINES_PER_PAGE)
    assert text[:over.span[0]].count("\n") == LINES_PER_PAGE


def test_too_long_message_names_points_and_budget():
    found = next(f for f in analyze(_prose(2_600), PS.question(10), PS).findings
                 if f.code == "too_long")
    assert "(5 คะแนน)" in found.message and "2,000 ตัวอักษร" in found.message


@pytest.mark.parametrize("text, lines, expected", [
    ("ก" * 10, 1, 10),                                     # fits: the end
    ("ก" * (2 * CHARS_PER_LINE), 1, CHARS_PER_LINE - INDENT_CHARS),
    ("ข\n\n" + "ก" * (2 * CHARS_PER_LINE), 1, 3),          # the second paragraph starts line 2
    ("  ข\nค", 1, 4),                                       # the next paragraph's first letter
])
def test_offset_after_lines(text, lines, expected):
    assert offset_after_lines(text, lines) == min(expected, len(text))
