"""What every draft format says, in which order: sections, entries, gaps, facts."""

from __future__ import annotations

from dataclasses import replace

from bot.draft.model import DraftAnswer
from bot.draft.outline import outline, paragraphs
from bot.draft.samples import make_draft, participatory_draft
from bot.rubrics import default_rubrics


def test_question_missing_from_the_draft_still_shows_as_a_gap():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {2: "คำตอบข้อสอง"}, title="ทดสอบ")
    draft = replace(draft, answers=tuple(a for a in draft.answers if a.question.number in (2, 5)))

    entries = outline(draft).entries
    assert [(e.number, e.gap) for e in entries][:3] == [
        (1, "[ยังไม่ได้ตอบ]"), (2, None), (3, "[ยังไม่ได้ตอบ]")]
    assert len(entries) == 10


def test_answers_given_out_of_order_come_out_by_question_number():
    draft = participatory_draft()
    shuffled = replace(draft, answers=tuple(reversed(draft.answers)))

    assert [e.number for e in outline(shuffled).entries] == list(range(1, 14))


def test_answer_marked_answered_but_blank_is_a_gap_and_skipped_with_text_is_an_answer():
    rubric = default_rubrics().get("public_service", 2564)
    base = make_draft(rubric, "1.1", {}, title="ทดสอบ")
    answers = list(base.answers)
    answers[0] = DraftAnswer(question=answers[0].question, text="  \n ", status="answered")
    answers[1] = DraftAnswer(question=answers[1].question, text="ตอบแล้วภายหลัง", status="skipped")
    draft = replace(base, answers=tuple(answers))

    entries = outline(draft).entries
    assert [(e.gap, e.paragraphs) for e in entries[:2]] == [
        ("[ยังไม่ได้ตอบ]", ()), (None, ("ตอบแล้วภายหลัง",))]


def test_only_category_2_3_gets_question_13():
    rubric = default_rubrics().get("participatory", 2564)
    other = make_draft(rubric, "2.1", {}, title="ทดสอบ")

    assert [s.heading for s in outline(other).sections][-1] == "มิติที่ 4 ความยั่งยืน (10 คะแนน)"
    assert [s.heading for s in outline(participatory_draft()).sections][-1] == "ข้อมูลเพิ่มเติม"


def test_paragraphs_trim_lines_and_drop_empty_ones():
    assert paragraphs(" หนึ่ง \r\n\r\n สอง\rสาม\n\n") == ("หนึ่ง", "สอง", "สาม")


def test_facts_name_agency_contact_and_award_year_and_say_the_criteria_year_as_such():
    rubric = default_rubrics().get("public_service", 2564)
    draft = replace(make_draft(rubric, "1.1", {}, title="ทดสอบ", agency="สำนักงานเขตบางรัก"),
                    contact="นายสมชาย ใจดี โทร 02 123 4567", award_year=2570)

    facts = dict(outline(draft).facts)
    assert (facts["หน่วยงาน"], facts["ผู้ติดต่อ"], facts["ปีที่สมัคร"]) == (
        "สำนักงานเขตบางรัก", "นายสมชาย ใจดี โทร 02 123 4567", "2570")
    assert facts["เกณฑ์การประเมิน"] == "ตามเกณฑ์ปี 2564"


def test_facts_leave_out_details_not_given():
    rubric = default_rubrics().get("public_service", 2564)
    draft = make_draft(rubric, "1.1", {}, title="ทดสอบ", agency=None)

    labels = [label for label, _value in outline(draft).facts]
    assert not {"หน่วยงาน", "ผู้ติดต่อ", "ปีที่สมัคร"} & set(labels)
