"""A finding that points at one message quotes it: the findings after "ถัดไป" carry its token.

The engine's behaviour, in memory; tests/test_web_finding_quotes.py checks that LINE
receives the quote through the webhook.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.analysis.report import Finding, Report
from bot.coach.meaning import PendingText
from bot.coach.messages import Text
from bot.coach.ports import PartRecord
from bot.coach.quoting import quoted_part
from bot.coach.texts import Command

GROUP = "Cteam"
PARTS = ["ระยะเวลารอผลตรวจดินลดลงจาก 30 วันเหลือ 5 วัน",
         "หากสงสัยติดต่อคุณสมศรี โทร 081-234-5678",
         "เกษตรกรผู้รับบริการ 3,960 ราย"]
PLAIN = "ระยะเวลารอผลตรวจดินลดลงจาก 30 วันเหลือ 5 วัน"


def open_question_5(chat, *, user: str = "U1", group: str | None = None) -> None:
    for text in ["เริ่ม", "1.6", "ระบบขออนุญาตออนไลน์", "ข้อ 5"]:
        chat.say(text, user=user, group=group)


def write_three_parts(chat, *, user: str = "U1", group: str | None = None,
                      tokens: bool = True) -> None:
    for index, text in enumerate(PARTS, start=1):
        chat.say(text, user=user, group=group, message_id=f"m{index}",
                 quote_token=f"q{index}" if tokens else None)


def findings(chat) -> Text:
    """Return the findings reply, the first of what the bot said after "ถัดไป"."""
    reply = chat.last[0]
    assert isinstance(reply, Text) and reply.as_text().startswith("📝 ข้อสังเกตข้อ 5")
    return reply


def test_the_findings_quote_the_message_that_holds_the_phone_number(memory_chat):
    open_question_5(memory_chat)
    write_three_parts(memory_chat)
    memory_chat.say("ถัดไป")
    reply = findings(memory_chat)
    assert "081-xxx-xx78" in reply.as_text()
    assert reply.quote_token == "q2"


def test_in_a_group_the_findings_quote_the_message_and_mention_its_member(memory_chat):
    open_question_5(memory_chat, user="Ualice", group=GROUP)
    write_three_parts(memory_chat, user="Ualice", group=GROUP)
    memory_chat.say("ถัดไป", user="Ualice", group=GROUP, quote_token="q-next")
    reply = findings(memory_chat)
    assert (reply.quote_token, reply.mention) == ("q2", "Ualice")


def test_findings_without_a_quote_quote_nothing(memory_chat):
    open_question_5(memory_chat)
    memory_chat.say(PLAIN, message_id="m1", quote_token="q1")
    memory_chat.say("ถัดไป")
    assert findings(memory_chat).quote_token is None


def test_parts_without_a_token_as_from_the_terminal_quote_nothing(memory_chat):
    open_question_5(memory_chat)
    write_three_parts(memory_chat, tokens=False)
    memory_chat.say("ถัดไป")
    reply = findings(memory_chat)
    assert "081-xxx-xx78" in reply.as_text() and reply.quote_token is None


def test_a_rewritten_answer_quotes_the_message_typed_in_the_edit(memory_chat):
    open_question_5(memory_chat)
    write_three_parts(memory_chat)
    memory_chat.say("ถัดไป")
    memory_chat.say("แก้ข้อ 5")
    memory_chat.say(PLAIN, message_id="m4", quote_token="q4")
    memory_chat.say("ติดต่อคุณสมศรี 081-234-5678", message_id="m5", quote_token="q5")
    memory_chat.say("ถัดไป")
    quoted = [r.quote_token for r in memory_chat.last
              if isinstance(r, Text) and r.as_text().startswith("📝 ข้อสังเกตข้อ 5")]
    assert quoted == ["q5"]


def test_a_message_taken_back_and_restored_is_quoted_again(memory_chat):
    open_question_5(memory_chat)
    write_three_parts(memory_chat)
    memory_chat.say("ลบข้อความล่าสุด")
    memory_chat.say("ลบข้อความล่าสุด")
    memory_chat.say("เรียกคืน")
    memory_chat.say("เรียกคืน")
    memory_chat.say("ถัดไป")
    assert findings(memory_chat).quote_token == "q2"


def test_a_message_set_aside_keeps_its_quote_token():
    kept = PendingText(text="ถัดปิ", command=Command("next"), at=datetime(2026, 12, 1, tzinfo=UTC),
                       message_id="m1", quote_token="q1")
    assert PendingText.load(kept.dump()) == kept


# quoted_part, alone -----------------------------------------------------------------------

def part(text: str, token: str | None) -> PartRecord:
    return PartRecord(author_id="U1", text=text, sent_at=datetime(2026, 12, 1, tzinfo=UTC),
                      quote_token=token)


def finder(by_text: dict[str, tuple[Finding, ...]], calls: list[str]):
    """Return an analysis that finds what ``by_text`` says, and records what it analysed."""
    def analyse(text: str) -> Report:
        calls.append(text)
        return Report(words=1, chars=len(text), findings=by_text.get(text, ()))
    return analyse


PHONE = Finding("personal_data", "phone", quote="081-xxx-xx78", priority=1000)
VAGUE = Finding("vague_quantifier", "vague", quote="ดีขึ้นอย่างมาก", priority=50)
THIN = Finding("thin", "short", priority=10)


def test_the_most_important_finding_with_a_quote_chooses_the_part():
    calls: list[str] = []
    parts = [part("a", "qa"), part("b", "qb"), part("c", "qc")]
    found = quoted_part([PHONE, VAGUE], parts,
                        finder({"a": (VAGUE,), "c": (PHONE, THIN)}, calls))
    assert (found, calls) == (parts[2], ["a", "b", "c"])


def test_a_part_needs_the_same_quote_and_a_token_and_nothing_is_analysed_without_quotes():
    calls: list[str] = []
    other_phone = Finding("personal_data", "phone", quote="089-xxx-xx11")
    parts = [part("a", None), part("b", "qb")]
    analyse = finder({"a": (PHONE,), "b": (other_phone,)}, calls)
    assert quoted_part([PHONE], parts, analyse) is None
    assert calls == ["b"]
    calls.clear()
    assert quoted_part([THIN], parts, analyse) is None
    assert calls == []


def test_an_unproven_claim_quotes_the_message_that_makes_it(memory_chat):
    open_question_5(memory_chat)
    for index, text in enumerate(["ผู้รับบริการเพิ่มขึ้นจาก 1,150 รายเป็น 1,480 ราย",
                                  "ระบบใหม่ช่วยลดขั้นตอนการยื่นเอกสาร"], start=1):
        memory_chat.say(text, message_id=f"m{index}", quote_token=f"q{index}")
    memory_chat.say("ถัดไป")
    reply = findings(memory_chat)
    assert 'คุณเขียนว่า "ลดขั้นตอน"' in reply.as_text()
    assert reply.quote_token == "q2"


def test_a_vague_word_pasted_from_a_pdf_quotes_its_message_in_the_officers_words(memory_chat):
    open_question_5(memory_chat)
    damaged = "ทําให้ประชาชนจํานวนมากได้รับความสะดวกรวดเร็ว"  # decomposed sara am, from a PDF
    for index, text in enumerate([PLAIN, PARTS[2], damaged], start=1):
        memory_chat.say(text, message_id=f"m{index}", quote_token=f"q{index}")
    memory_chat.say("ถัดไป")
    reply = findings(memory_chat)
    assert "จํานวนมาก" in reply.as_text()
    assert reply.quote_token == "q3"
