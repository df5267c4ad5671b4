"""The application's details for its cover: the agency, the contact person, the award year.

``agency <name>``, ``contact <name and phone>`` and ``award year <year>`` set them at any
time (:meth:`bot.coach.texts.Texts.command` says when a message is one of these). The word
alone asks for the text: the member's next message that is no command is taken for it
(``context["awaiting_detail"]``, per member, forgotten on any command). The agency is
remembered for the chat (``context["agency"]``) and given to its later applications; the
award year defaults to the coming round, the year after the event's, in the Buddhist era.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.rubrics import coming_award_round

from .messages import Choice, Reply, Text
from .ports import ApplicationRecord
from .texts import MAX_ARGUMENT, Command
from .turn import Turn

#: The chat's agency, given to each application created after it was said.
AGENCY = "agency"
#: The per-member table of a detail asked for: the member's next text is that detail.
AWAITING = "awaiting_detail"
#: The award years accepted (Buddhist era).
FIRST_YEAR, LAST_YEAR = 2560, 2700


def default_award_year(at: datetime) -> int:
    """Return the coming award round for a moment: next year, in the Buddhist era."""
    return coming_award_round(at)


def agency_choice(turn: Turn) -> Choice:
    """Return the chip that asks for the agency."""
    return turn.choice("agency")


def cmd_agency(turn: Turn, command: Command) -> list[Reply]:
    """Set the agency of the active application, and remember it for the chat's next ones."""
    if command.argument is None:
        return await_detail(turn, "agency")
    return set_agency(turn, command.argument)


def cmd_contact(turn: Turn, command: Command) -> list[Reply]:
    """Set the contact person of the active application."""
    if command.argument is None:
        return await_detail(turn, "contact")
    return set_contact(turn, command.argument)


def cmd_award_year(turn: Turn, command: Command) -> list[Reply]:
    """Set the award round the active application applies for (Buddhist year)."""
    application = turn.need_application()
    example = application.award_year or default_award_year(turn.at)
    if command.argument is None:
        return [Text(turn.texts.get("award_year_prompt", year=example),
                     choices=turn.answer_choices())]
    year = int(command.argument)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return [Text(turn.texts.get("award_year_invalid", first=FIRST_YEAR, last=LAST_YEAR,
                                    year=example), choices=turn.answer_choices())]
    turn.store.set_details(application.id, award_year=year, at=turn.at)
    return [Text(turn.texts.get("award_year_set", title=application.title, year=year,
                                criteria=application.year), choices=turn.answer_choices())]


def set_agency(turn: Turn, agency: str) -> list[Reply]:
    """Store the agency on the active application (if any) and as the chat's default."""
    agency = " ".join(agency.split())
    turn.conversation.context[AGENCY] = agency
    application = turn.application()
    if application is None:
        return [Text(turn.texts.get("agency_remembered", agency=agency),
                     choices=turn.answer_choices())]
    turn.store.set_details(application.id, agency=agency, at=turn.at)
    return [Text(turn.texts.get("agency_set", agency=agency, title=application.title),
                 choices=turn.answer_choices())]


def set_contact(turn: Turn, contact: str) -> list[Reply]:
    """Store the contact person on the active application."""
    application = turn.need_application()
    contact = " ".join(contact.split())
    turn.store.set_details(application.id, contact=contact, at=turn.at)
    return [Text(turn.texts.get("contact_set", contact=contact, title=application.title),
                 choices=turn.answer_choices())]


def await_detail(turn: Turn, detail: str) -> list[Reply]:
    """Ask for a detail: the member's next message that is no command is taken for it."""
    if detail == "contact":
        turn.need_application()
    turn.require_member()
    turn.set_member_entry(AWAITING, detail)
    return [Text(turn.texts.get(f"{detail}_prompt"), choices=(turn.choice("cancel"),))]


def awaited(turn: Turn) -> str | None:
    """Return the detail this member was asked for, if any."""
    detail = turn.member_entry(AWAITING)
    return detail if detail in ("agency", "contact") else None


def forget_awaited(turn: Turn) -> bool:
    """Stop waiting for this member's detail; tell whether one was awaited."""
    if turn.member_entry(AWAITING) is None:
        return False
    turn.set_member_entry(AWAITING, None)
    return True


def take_awaited(turn: Turn, detail: str, text: str) -> list[Reply]:
    """Take the member's message for the detail they were asked for."""
    value = " ".join(text.split())
    if "\n" in text.strip() or len(value) > MAX_ARGUMENT:
        return [Text(turn.texts.get("detail_too_long", max=MAX_ARGUMENT),
                     choices=(turn.choice("cancel"),))]
    forget_awaited(turn)
    return set_agency(turn, value) if detail == "agency" else set_contact(turn, value)


def on_created(turn: Turn, application: ApplicationRecord, intro: Text,
               question: Text) -> list[Reply]:
    """Give a new application the chat's agency and the coming round; offer the agency chip."""
    agency = turn.conversation.context.get(AGENCY)
    year = default_award_year(turn.at)
    turn.store.set_details(application.id, agency=agency if isinstance(agency, str) else None,
                           award_year=year, at=turn.at)
    if isinstance(agency, str) and agency:
        line = turn.texts.get("agency_default", agency=agency, year=year)
        return [replace(intro, text=f"{intro.text}\n{line}"), question]
    return [intro, replace(question, choices=(*question.choices, agency_choice(turn)))]


def agency_reminder(turn: Turn, application: ApplicationRecord) -> Text | None:
    """Remind that the application names no agency yet, with the chip to give it."""
    if application.agency:
        return None
    return Text(turn.texts.get("agency_missing"),
                choices=(agency_choice(turn), *turn.answer_choices()))
