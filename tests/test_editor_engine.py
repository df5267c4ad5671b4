"""The edit-on-web command and web saves in the engine, on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from line_support import SECRET_KEY

from bot.coach.messages import Card
from bot.editor.analysis import digest
from bot.editor.links import EditorLinkPublisher, EditorLinks
from bot.editor.saving import Conflict, SaveRequest, save_answer

ANSWER = "ลดเวลารอคิวจาก 3 ชั่วโมงเหลือ 20 นาที ผู้รับบริการ 1,250 ราย"


def begin(chat, *, user: str = "U1", group: str | None = None) -> None:
    chat.service.coach.editor = EditorLinkPublisher(EditorLinks(SECRET_KEY, "https://x.test"))
    for text in ("เริ่ม", "1.1", "ระบบคิวออนไลน์", ANSWER):
        chat.say(text, user=user, group=group)


def application_id(chat, owner: str = "U1") -> int:
    return chat.export(owner)["applications"][0]["id"]


def current(chat, owner: str, number: int):
    application = application_id(chat, owner)
    with chat.service.stores.open(owner, "group" if owner.startswith("G") else "user") as store:
        return store.answer(application, number)


def save(chat, text: str, *, base: str, session: str = "session-1", owner: str = "U1",
         number: int = 1):
    request = SaveRequest(link_id="L" * 22, chat_id=owner,
                          chat_type="group" if owner.startswith("G") else "user",
                          application_id=application_id(chat, owner), question=number,
                          text=text, base=base, session=session, author="U1")
    return save_answer(chat.service.stores, request, secret_key=SECRET_KEY,
                       word_count=chat.service.coach.word_count)


def test_the_command_answers_with_a_card_that_opens_the_editor(any_chat):
    begin(any_chat)
    said = any_chat.say("แก้บนเว็บ")
    (card,) = any_chat.last
    assert isinstance(card, Card) and card.buttons[0].url.startswith("https://x.test/e/")
    assert "120 นาที" in said


def test_in_a_group_a_member_line_does_not_name_gets_no_link(memory_chat):
    begin(memory_chat, group="G1")
    said = memory_chat.say("แก้บนเว็บ", user=None, group="G1")
    assert "/e/" not in said and not isinstance(memory_chat.last[0], Card)


def test_without_an_editor_the_command_says_it_cannot(memory_chat):
    for text in ("เริ่ม", "1.1", "ระบบคิวออนไลน์"):
        memory_chat.say(text)
    assert "แก้ข้อ N" in memory_chat.say("edit on web")


def test_autosaves_make_one_revision_and_the_chat_hears_of_them_once(any_chat):
    begin(any_chat)
    base = digest(current(any_chat, "U1", 1))
    for text in ("ฉบับเว็บ", "ฉบับเว็บ แก้ต่อ"):
        saved = save(any_chat, text, base=base)
    assert saved.revision == 2
    assert any_chat.versions("U1", 1) == [[ANSWER, "ฉบับเว็บ แก้ต่อ"]]
    said = any_chat.say("ความคืบหน้า")
    assert said.startswith("💾 บันทึกจากหน้าเว็บแล้ว") and "ข้อ 1" in said
    assert "บันทึกจากหน้าเว็บ" not in any_chat.say("ความคืบหน้า")


def test_a_chat_edit_meanwhile_is_a_conflict_that_keeps_both(any_chat):
    begin(any_chat)
    base = digest(current(any_chat, "U1", 1))
    any_chat.say("แก้ข้อ 1")
    any_chat.say("ฉบับจากแชต")
    with pytest.raises(Conflict) as raised:
        save(any_chat, "ฉบับจากเว็บ", base=base)
    assert raised.value.answer.text == "ฉบับจากแชต"
    save(any_chat, "ฉบับจากเว็บ", base=digest(raised.value.answer))
    assert any_chat.versions("U1", 1) == [[ANSWER, "ฉบับจากแชต", "ฉบับจากเว็บ"]]
