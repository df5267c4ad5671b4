"""Honest progress: the points-at-stake rule, the question to fix first, one set of numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.analysis.messages import PLACEHOLDERS
from bot.analysis.report import Finding, Report
from bot.coach import views
from bot.coach.ports import AnswerRecord, PartRecord
from bot.coach.stakes import StakeRule, StakesError, default_stakes, load_stakes
from bot.coach.texts import default_texts
from bot.rubrics import default_rubrics

RUBRIC = default_rubrics().get("public_service", 2564)
QUESTIONS = RUBRIC.questions_for("1.1")
Q5 = RUBRIC.question(5)       # 20 points, 200 words expected


def report(*codes: str, words: int = 250) -> Report:
    return Report(words=words, chars=words * 5,
                  findings=tuple(Finding(code=code, message=code) for code in codes))


def test_every_finding_code_has_a_share_from_zero_to_one():
    assert set(default_stakes().shares) == set(PLACEHOLDERS)
    assert all(0 <= share <= 1 for share in default_stakes().shares.values())


def test_an_empty_question_puts_its_whole_weight_at_stake():
    assert default_stakes().at_stake(Q5, None, answered=False) == 20


def test_a_rich_answer_a_quarter_short_risks_a_little_not_the_question():
    at_stake = default_stakes().at_stake(Q5, report("thin", words=150), answered=True)
    assert at_stake == pytest.approx(20 * 0.6 * 0.25)      # 3 points, not 20


def test_findings_add_up_but_never_beyond_the_question():
    rule = StakeRule({"no_statistics": 0.4, "no_before_after": 0.3, "no_sdg": 0.5})
    assert rule.at_stake(Q5, report("no_statistics", "no_before_after"),
                         answered=True) == pytest.approx(14)
    assert rule.at_stake(Q5, report("no_statistics", "no_before_after", "no_sdg"),
                         answered=True) == 20


def test_a_finding_that_costs_no_points_puts_none_at_stake():
    rule = default_stakes()
    assert rule.at_stake(Q5, report("vague_quantifier", "personal_data"), answered=True) == 0


def test_the_shares_are_checked_when_loaded(tmp_path: Path):
    broken = tmp_path / "findings.yaml"
    broken.write_text("points_at_stake:\n  empty: 2\n", encoding="utf-8")
    with pytest.raises(StakesError, match="points_at_stake.empty"):
        load_stakes(broken)


def standings(stakes: dict[int, float], answered: set[int]) -> list[views.Standing]:
    return [views.Standing(number=n, dimension=1, answered=n in answered, skipped=False,
                           warned=n in answered and stakes.get(n, 0) > 0,
                           at_stake=stakes.get(n, 0.0)) for n in range(1, 6)]


def test_the_question_to_fix_first_has_the_most_points_at_stake_the_earliest_on_a_tie():
    found = views.fix_first(standings({2: 3.0, 3: 7.5, 5: 7.5}, answered={1, 2, 3, 4, 5}))
    assert found is not None and found.number == 3


def test_with_nothing_at_stake_the_first_empty_question_comes_first():
    found = views.fix_first(standings({}, answered={1, 2, 3, 5}))
    assert found is not None and found.number == 4


def test_a_complete_application_without_findings_has_nothing_to_fix():
    assert views.fix_first(standings({}, answered={1, 2, 3, 4, 5})) is None


def test_a_strong_draft_short_only_on_question_five_risks_a_few_points():
    at = datetime(2026, 1, 1, tzinfo=UTC)
    part = PartRecord(author_id="U1", text="x", sent_at=at)
    answers = {q.number: AnswerRecord(question=q.number, status="answered", parts=(part,),
                                      revision=1, updated_at=at)
               for q in QUESTIONS}
    reports = {5: report("thin", words=180)}
    rows, found = views.dimension_progress(RUBRIC, QUESTIONS, answers, reports, default_stakes())
    assert sum(row.points_at_stake for row in rows) == pytest.approx(1.2)
    assert [(row.answered, row.warned) for row in rows][2] == (3, 1)
    summary = views.progress_summary(default_texts(), RUBRIC, found)
    assert summary == ("คะแนนที่อาจเสียรวม ~1.2 จาก 100 คะแนน",
                       "👉 ควรแก้ข้อ 5 ก่อน: อาจเสีย ~1.2 คะแนน")
