"""The engine's replies become LINE messages the SDK accepts and LINE's limits allow."""

from __future__ import annotations

import pytest
from linebot.v3.messaging import (
    FlexMessage,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)

from bot.coach.messages import Button, Card, Choice, DimensionProgress, Progress, Text
from bot.web.line_messages import split_text, to_messages, truncate, utf16_len
from line_support import limit_violations

EMOJI = "😀"  # outside the BMP: two UTF-16 units


def as_json(messages) -> list[dict]:
    """Return the messages as the SDK sends them, after validating them in a request."""
    ReplyMessageRequest(reply_token="t" * 32, messages=messages)
    PushMessageRequest(to="U" + "0" * 32, messages=messages)
    return [message.to_dict() for message in messages]


def dimension(number: int, *, answered: int = 2, at_stake: float = 0.0) -> DimensionProgress:
    return DimensionProgress(number=number, name=f"มิติที่ {number} การพัฒนาบริการ", points=25,
                             questions=5, answered=answered, warned=1, skipped=1, empty=1,
                             points_at_stake=at_stake)


def progress(*dimensions: DimensionProgress, text: str = "ความคืบหน้า: ตอบแล้ว 8 จาก 20 ข้อ") -> Progress:
    return Progress(title="ความคืบหน้าใบสมัคร", dimensions=dimensions, text=text)


# Counting and cutting ---------------------------------------------------------------------

def test_utf16_len_counts_an_emoji_as_two_units():
    assert (len("สวัสดีครับ " + EMOJI), utf16_len("สวัสดีครับ " + EMOJI)) == (12, 13)


def test_truncate_keeps_text_within_the_limit():
    assert truncate("สวัสดี", 6) == "สวัสดี"


def test_truncate_ends_with_an_ellipsis():
    assert truncate("abcdefghij", 5) == "abcd…"


def test_truncate_never_cuts_an_emoji_in_half():
    assert truncate("ab" + EMOJI + "cd", 4) == "ab…"


def test_truncate_keeps_thai_vowels_with_their_consonant():
    assert truncate("กินข้าวหรือยัง", 5) == "กิน…"


def test_split_text_leaves_a_short_text_whole():
    assert split_text("คำถามข้อ 1\n\nตอบได้เลย") == ["คำถามข้อ 1\n\nตอบได้เลย"]


def test_split_text_cuts_at_a_paragraph_break_first():
    first, second = "ก" * 3000 + "\n" + "ข" * 100, "ค" * 3000
    assert split_text(first + "\n\n" + second) == [first, second]


def test_split_text_cuts_at_a_line_break_when_there_is_no_paragraph():
    assert split_text("ก" * 3000 + "\n" + "ข" * 3000) == ["ก" * 3000, "ข" * 3000]


def test_split_text_cuts_unbroken_thai_at_the_limit():
    assert [len(chunk) for chunk in split_text("ก" * 12000)] == [5000, 5000, 2000]


def test_split_text_counts_emoji_as_two_units_and_keeps_them_whole():
    chunks = split_text(EMOJI * 3000)
    assert (chunks, [utf16_len(c) for c in chunks]) == ([EMOJI * 2500, EMOJI * 500], [5000, 1000])


def test_split_text_does_not_separate_a_tone_mark_from_its_consonant():
    assert split_text("ก" * 4999 + "กี่" + "ข" * 10) == ["ก" * 4999, "กี่" + "ข" * 10]


# Texts and quick replies --------------------------------------------------------------------

def test_a_text_with_choices_becomes_a_text_message_with_quick_replies():
    messages = to_messages([Text("เลือกสาขา", choices=(Choice("บริการ", "1"), Choice("มีส่วนร่วม", "2")))])
    assert as_json(messages) == [{
        "type": "text", "text": "เลือกสาขา",
        "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": "บริการ", "text": "1"}},
            {"type": "action", "action": {"type": "message", "label": "มีส่วนร่วม", "text": "2"}},
        ]},
    }]


def test_quick_reply_labels_are_cut_to_twenty_characters():
    label = "ผลสัมฤทธิ์ของการพัฒนาบริการ"
    (message,) = to_messages([Text("เลือก", choices=(Choice(label, label),))])
    action = message.quick_reply.items[0].action
    assert (action.label, action.text) == ("ผลสัมฤทธิ์ของการพัฒ…", label)


def test_quick_replies_are_limited_to_thirteen():
    choices = tuple(Choice(f"ข้อ {n}", f"แก้ข้อ {n}") for n in range(1, 21))
    (message,) = to_messages([Text("แก้ข้อไหน", choices=choices)])
    assert [item.action.text for item in message.quick_reply.items] == [
        f"แก้ข้อ {n}" for n in range(1, 14)]


def test_quick_reply_message_text_is_cut_to_three_hundred():
    (message,) = to_messages([Text("เลือก", choices=(Choice("ยาว", "ก" * 400),))])
    assert utf16_len(message.quick_reply.items[0].action.text) == 300


def test_quick_replies_go_under_the_last_message_only():
    messages = to_messages([Text("บันทึกแล้ว", choices=(Choice("ต่อไป", "ต่อไป"),)),
                            Text("คำถามข้อ 2")])
    assert [m.quick_reply is not None for m in messages] == [False, True]
    assert messages[1].quick_reply.items[0].action.text == "ต่อไป"


def test_a_long_text_is_sent_as_several_messages():
    messages = to_messages([Text("ก" * 12000)])
    assert [len(m.text) for m in messages] == [5000, 5000, 2000]


def test_more_than_five_texts_are_merged_into_five_messages_in_order():
    messages = to_messages([Text(f"ข้อความ {n}") for n in range(1, 9)])
    assert [m.text for m in messages] == ["\n\n".join(f"ข้อความ {n}" for n in range(1, 9))]


def test_merging_keeps_each_message_within_five_thousand_units():
    replies = [Text("ก" * 2000 + str(n)) for n in range(8)]
    messages = to_messages(replies)
    assert (len(messages), limit_violations(as_json(messages))) == (4, [])
    assert "\n\n".join(m.text for m in messages) == "\n\n".join(r.text for r in replies)


def test_an_overlong_batch_is_cut_to_five_messages_with_an_ellipsis():
    messages = to_messages([Text("ก" * 4999) for _ in range(7)])
    assert (len(messages), messages[-1].text[-1], limit_violations(as_json(messages))) == (5, "…", [])


def test_empty_texts_are_not_sent():
    assert to_messages([Text("  "), Text("สวัสดี")])[0].text == "สวัสดี"


# Cards ----------------------------------------------------------------------------------------

DRAFT_URL = "https://coach.example.go.th/drafts/abc?openExternalBrowser=1"


def test_a_card_becomes_a_flex_bubble_with_link_and_command_buttons():
    card = Card(title="ร่างใบสมัคร", body="ร่างพร้อมแล้ว",
                buttons=(Button("ดาวน์โหลด", url=DRAFT_URL), Button("ทำต่อ", text="ทำต่อ")))
    (message,) = to_messages([card])
    assert isinstance(message, FlexMessage)
    assert as_json([message])[0] == {
        "type": "flex", "altText": card.as_text(),
        "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
                {"type": "text", "text": "ร่างใบสมัคร", "weight": "bold", "size": "lg", "wrap": True},
                {"type": "text", "text": "ร่างพร้อมแล้ว", "size": "sm", "wrap": True},
            ]},
            "footer": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": [
                {"type": "button", "style": "primary", "height": "sm",
                 "action": {"type": "uri", "label": "ดาวน์โหลด", "uri": DRAFT_URL}},
                {"type": "button", "style": "secondary", "height": "sm",
                 "action": {"type": "message", "label": "ทำต่อ", "text": "ทำต่อ"}},
            ]},
        },
    }


def test_card_button_labels_are_cut_to_forty_characters():
    card = Card(title="t", body="b", buttons=(Button("ก" * 50, text="x"),))
    (message,) = to_messages([card])
    assert message.contents.footer.contents[0].action.label == "ก" * 39 + "…"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://example.go.th/" + "a" * 1000])
def test_a_card_with_an_unusable_link_is_sent_as_text(url):
    card = Card(title="ร่าง", body="ดาวน์โหลด", buttons=(Button("เปิด", url=url),))
    assert [(type(m), m.text) for m in to_messages([card])] == [(TextMessage, card.as_text())]


def test_a_card_alt_text_is_cut_to_fifteen_hundred():
    (message,) = to_messages([Card(title="ร่าง", body="ข" * 3000)])
    assert (utf16_len(message.alt_text), message.alt_text[-1]) == (1500, "…")


def test_choices_on_a_card_go_under_the_bubble():
    (message,) = to_messages([Card(title="t", body="b", choices=(Choice("ต่อไป", "ต่อไป"),))])
    assert message.quick_reply.items[0].action.text == "ต่อไป"


# Progress -------------------------------------------------------------------------------------

def test_progress_becomes_a_bubble_with_a_bar_per_dimension_and_its_text_as_alt_text():
    (message,) = to_messages([progress(dimension(1, answered=3), dimension(2, answered=1, at_stake=12.5))])
    body = message.contents.body.contents
    assert message.alt_text == "ความคืบหน้า: ตอบแล้ว 8 จาก 20 ข้อ"
    assert body[0].text == "ความคืบหน้าใบสมัคร"
    assert body[-1].text == "คะแนนที่ยังเสี่ยงรวม ~12.5 คะแนน"
    rows = [[c.to_dict() for c in box.contents] for box in body[1:-1]]
    assert [[t["text"] for t in row[0]["contents"]] for row in rows] == [
        ["1. มิติที่ 1 การพัฒนาบริการ", "25 คะแนน"], ["2. มิติที่ 2 การพัฒนาบริการ", "25 คะแนน"]]
    assert [[(b["width"], b["backgroundColor"]) for b in row[1]["contents"]] for row in rows] == [
        [("60%", "#2E7D32"), ("20%", "#F9A825")], [("20%", "#2E7D32"), ("20%", "#F9A825")]]
    assert [row[2]["text"] for row in rows] == [
        "ตอบแล้ว 4/5 ข้อ · ควรเสริม 1 · ข้าม 1",
        "ตอบแล้ว 2/5 ข้อ · ควรเสริม 1 · ข้าม 1 · คะแนนที่ยังเสี่ยง ~12.5",
    ]


def test_a_dimension_with_nothing_answered_has_an_empty_bar():
    empty = DimensionProgress(number=1, name="มิติ", points=10, questions=4, answered=0, warned=0,
                              skipped=0, empty=4, points_at_stake=10.0)
    (message,) = to_messages([progress(empty)])
    assert message.contents.body.contents[1].contents[1].contents == []


def test_progress_without_dimensions_is_sent_as_its_text():
    assert [m.text for m in to_messages([progress(text="ยังไม่มีใบสมัคร")])] == ["ยังไม่มีใบสมัคร"]


def test_a_progress_bubble_over_thirty_kilobytes_falls_back_to_text():
    many = tuple(dimension(n) for n in range(1, 200))
    assert [type(m) for m in to_messages([progress(*many)])] == [TextMessage]


def test_progress_extra_is_written_at_the_bottom_of_the_bubble():
    reply = Progress(title="t", dimensions=(dimension(1),), text="alt", extra="ข้อ 21 (ข้อมูลเพิ่มเติม): ตอบแล้ว")
    (message,) = to_messages([reply])
    assert message.contents.body.contents[-1].text == "ข้อ 21 (ข้อมูลเพิ่มเติม): ตอบแล้ว"


def test_a_progress_with_nothing_at_stake_has_no_total_line():
    done = DimensionProgress(number=1, name="มิติ", points=10, questions=2, answered=2, warned=0,
                             skipped=0, empty=0, points_at_stake=0.0)
    (message,) = to_messages([progress(done)])
    assert [c.type for c in message.contents.body.contents] == ["text", "box"]


def test_bubbles_become_text_when_five_messages_are_not_enough():
    replies = [Card(title=f"การ์ด {n}", body="ก" * 100) for n in range(4)] + \
              [Text("ข" * 4000) for _ in range(3)]
    messages = to_messages(replies)
    assert (len(messages), {type(m) for m in messages}) == (3, {TextMessage})
    assert limit_violations(as_json(messages)) == []


# Every kind of reply, checked against the SDK and LINE's limits ------------------------------

ALL_KINDS = [
    Text("สวัสดีครับ " + EMOJI, choices=tuple(Choice(f"ตัวเลือกที่ยาวมากเกินยี่สิบ {n}", "x" * 350)
                                               for n in range(15))),
    Text("ก" * 11000),
    Card(title="ร่าง", body="ดาวน์โหลดได้", buttons=(Button("ก" * 60, url=DRAFT_URL),
                                                      Button("ข" * 60, text="ค" * 400))),
    progress(dimension(1), dimension(2, answered=5), dimension(3, answered=0, at_stake=25)),
]


@pytest.mark.parametrize("reply", ALL_KINDS, ids=["text", "long-text", "card", "progress"])
def test_every_reply_kind_passes_the_sdk_and_line_limits(reply):
    messages = to_messages([reply])
    assert limit_violations(as_json(messages)) == []


def test_all_reply_kinds_together_fit_one_call():
    messages = to_messages(ALL_KINDS)
    assert limit_violations(as_json(messages)) == []
