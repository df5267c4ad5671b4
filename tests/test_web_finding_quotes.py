"""Through the webhook and the real SDK: the findings after "ถัดไป" quote the message they concern.

The engine's side is in tests/test_finding_quotes.py; here LINE must receive the quote
token of the very message that holds the phone number, in a 1:1 chat and in a group.
"""

from __future__ import annotations

from line_support import ALICE, BOB, GROUP, REPLY_PATH, post_events, text_event

SETUP = ["เริ่ม", "1.1", "ระบบขออนุญาตขุดดินออนไลน์"]
PARTS = ["เดิมประชาชนต้องเดินทางมายื่นคำขอ 3 ครั้ง",
         "สอบถามได้ที่คุณสมศรี โทร 081-234-5678",
         "ปัจจุบันยื่นคำขอออนไลน์ได้ครั้งเดียว"]


def findings_after_next(client, fake_line, *, group: str | None = None) -> tuple[dict, str]:
    """Write three parts, the second with a phone number, and say "ถัดไป".

    Return the findings message LINE received and the quote token of the phone number's
    message.
    """
    for text in SETUP:
        post_events(client, text_event(text, user=ALICE, group=group))
    events = [text_event(text, user=BOB if group else ALICE, group=group) for text in PARTS]
    for event in events:
        post_events(client, event)
    post_events(client, text_event("ถัดไป", user=BOB if group else ALICE, group=group))
    findings = fake_line.requests(REPLY_PATH)[-1]["messages"][0]
    assert "081-xxx-xx78" in findings["text"]
    return findings, events[1]["message"]["quoteToken"]


def test_in_a_one_to_one_chat_the_findings_quote_the_message_with_the_phone_number(
        client, fake_line):
    findings, token = findings_after_next(client, fake_line)
    assert findings["quoteToken"] == token


def test_in_a_group_the_findings_quote_that_message_and_mention_its_member(client, fake_line):
    findings, token = findings_after_next(client, fake_line, group=GROUP)
    assert (findings["type"], findings["quoteToken"]) == ("textV2", token)
    assert findings["substitution"]["member"]["mentionee"]["userId"] == BOB
