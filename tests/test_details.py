"""The application's agency, contact person and award year, as officers give them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.coach.details import default_award_year
from bot.coach.recognition import classify
from bot.coach.texts import Command, default_texts

SETUP = ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]


def application(chat, owner: str = "U1", index: int = 0):  # type: ignore[no-untyped-def]
    """Return one of the owner's stored applications."""
    stores = chat.memory.applications[owner]
    return sorted(stores.values(), key=lambda a: a.id)[index]


@pytest.mark.parametrize(("text", "expected"), [
    ("หน่วยงาน สำนักงานเขตบางรัก", Command("agency", argument="สำนักงานเขตบางรัก")),
    ("  agency  Bangrak District Office ", Command("agency", argument="Bangrak District Office")),
    ("หน่วยงาน สำนักงานจังหวัดเลย ครับ", Command("agency", argument="สำนักงานจังหวัดเลย")),
    ("หน่วยงาน สำนักงานจังหวัดเลย", Command("agency", argument="สำนักงานจังหวัดเลย")),
    ("ผู้ติดต่อ นายสมชาย ใจดี โทร 02 123 4567",
     Command("contact", argument="นายสมชาย ใจดี โทร 02 123 4567")),
    ("ปีที่สมัคร ๒๕๗๐", Command("award_year", argument="2570")),
    ("award year 2571", Command("award_year", argument="2571")),
    ("หน่วยงาน", Command("agency")),
    ("หน่วยงานครับ", Command("agency")),
])
def test_a_message_that_starts_with_the_word_and_a_space_gives_the_detail(text, expected):
    assert classify(text, default_texts()).command == expected


@pytest.mark.parametrize("text", [
    "หน่วยงานของเราลดเวลารอจาก 30 วันเหลือ 7 วัน",          # no space after the word
    "หน่วยงาน ร่วมกับ อบต. 12 แห่ง\nจัดบริการถึงบ้าน",          # more than one line
    "หน่วยงาน " + "ก" * 201,                                # longer than a name
    "ok หน่วยงาน สำนักงานเขต",                              # the word does not start it
    "ปีที่สมัคร ปีหน้า",                                     # a year is four digits
    "เราเป็นหน่วยงาน สำนักงานเขต",
])
def test_an_answer_that_merely_holds_the_word_stays_an_answer(text):
    heard = classify(text, default_texts())
    assert heard.kind != "command"


def test_the_default_award_year_is_next_years_round_in_the_buddhist_era():
    assert default_award_year(datetime(2026, 11, 24, 9, tzinfo=UTC)) == 2570
    # 31 December, 18:00 UTC is already 1 January in Bangkok.
    assert default_award_year(datetime(2026, 12, 31, 18, tzinfo=UTC)) == 2571


def test_a_new_application_offers_the_agency_chip_and_applies_for_the_coming_round(memory_chat):
    for text in SETUP:
        memory_chat.say(text)
    assert "ระบุหน่วยงาน" in memory_chat.choices()
    created = application(memory_chat)
    assert (created.agency, created.award_year, created.year) == (None, 2570, 2564)


def test_the_agency_chip_asks_and_the_next_message_is_the_agency(memory_chat):
    for text in SETUP:
        memory_chat.say(text)
    assert "ชื่อหน่วยงาน" in memory_chat.say("หน่วยงาน")
    said = memory_chat.say("สำนักงานเขตบางรัก กรุงเทพมหานคร")
    assert "บันทึกหน่วยงาน" in said
    assert application(memory_chat).agency == "สำนักงานเขตบางรัก กรุงเทพมหานคร"
    assert "บันทึกข้อ 1" in memory_chat.say("เกษตรกรรอผลตรวจดิน 30 วัน")
    assert memory_chat.export()["applications"][0]["answers"] == {
        "1": "เกษตรกรรอผลตรวจดิน 30 วัน"}


def test_cancel_stops_waiting_for_the_agency_and_changes_nothing(memory_chat):
    for text in [*SETUP, "หน่วยงาน"]:
        memory_chat.say(text)
    assert "ยกเลิกแล้ว" in memory_chat.say("ยกเลิก")
    assert "บันทึกข้อ 1" in memory_chat.say("สำนักงานเขตบางรัก")
    assert application(memory_chat).agency is None


def test_the_agency_is_remembered_for_the_chats_next_application(memory_chat):
    for text in [*SETUP, "หน่วยงาน สำนักงานเขตบางรัก", "เริ่ม", "1.2"]:
        memory_chat.say(text)
    said = memory_chat.say("ศูนย์บริการร่วม")
    assert "หน่วยงาน: สำนักงานเขตบางรัก" in said
    assert "ระบุหน่วยงาน" not in memory_chat.choices()
    assert application(memory_chat, index=1).agency == "สำนักงานเขตบางรัก"


def test_contact_and_award_year_are_set_on_the_active_application(memory_chat):
    for text in SETUP:
        memory_chat.say(text)
    assert "บันทึกผู้ติดต่อ" in memory_chat.say("ผู้ติดต่อ นางสาวสมศรี ใจดี โทร 02 123 4567")
    assert "ประจำปี พ.ศ. 2571" in memory_chat.say("ปีที่สมัคร 2571")
    assert "ระหว่าง 2560 ถึง 2700" in memory_chat.say("ปีที่สมัคร 1999")
    stored = application(memory_chat)
    assert (stored.contact, stored.award_year) == ("นางสาวสมศรี ใจดี โทร 02 123 4567", 2571)
    assert memory_chat.export()["applications"][0]["answers"] == {}


def test_the_draft_reminds_of_a_missing_agency_with_its_chip(memory_chat):
    for text in SETUP:
        memory_chat.say(text)
    assert "ยังไม่มีชื่อหน่วยงาน" in memory_chat.say("ดูร่าง")
    assert memory_chat.choices()[0] == "ระบุหน่วยงาน"
    memory_chat.say("หน่วยงาน สำนักงานเขตบางรัก")
    assert "ยังไม่มีชื่อหน่วยงาน" not in memory_chat.say("ดูร่าง")
