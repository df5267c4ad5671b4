"""The Draft compiled from a stored application carries what the application says."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.coach.ports import AnswerRecord, ApplicationRecord, PartRecord
from bot.delivery.compile import compile_draft
from bot.rubrics import default_rubrics

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def application(**details: object) -> ApplicationRecord:
    """Return an application of category 1.1 with the details given."""
    return ApplicationRecord(id=7, owner_id="U1", track="public_service", year=2564,
                             category="1.1", title="บริการถึงบ้าน", current_question=1,
                             created_by="U1", created_at=T0, updated_at=T0, **details)  # type: ignore[arg-type]


def test_the_draft_carries_the_agency_contact_and_award_year():
    stored = application(agency="สำนักงานเขตบางรัก", contact="คุณสมศรี โทร 02 123 4567",
                         award_year=2570)
    answers = {1: AnswerRecord(question=1, status="answered",
                               parts=(PartRecord("U1", "คำตอบ", T0),), revision=1,
                               updated_at=T0)}

    draft = compile_draft(stored, answers, rubrics=default_rubrics(), analyzer=None)

    assert (draft.agency, draft.contact, draft.award_year, draft.rubric.year) == (
        "สำนักงานเขตบางรัก", "คุณสมศรี โทร 02 123 4567", 2570, 2564)
    assert draft.answers[0].text == "คำตอบ"


def test_an_application_without_details_compiles_without_them():
    draft = compile_draft(application(), {}, rubrics=default_rubrics(), analyzer=None)

    assert (draft.agency, draft.contact, draft.award_year) == (None, None, None)
