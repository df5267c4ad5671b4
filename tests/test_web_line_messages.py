"""The engine's replies become LINE messages the SDK accepts and LINE's limits allow."""

from __future__ import annotations

import logging

import pytest
from line_support import clusters, limit_violations
from linebot.v3.messaging import (
    FlexMessage,
    Message,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)

from bot.coach.messages import Button, Card, Choice, DimensionProgress, Progress, Reply, Text
from bot.web.line_messages import (
    cluster_len,
    split_text,
    to_messages,
    truncate,
    truncate_clusters,
    utf16_len,
)

EMOJI = "😀"  # outside the BMP: two UTF-16 units


def as_json(messages) -> list[dict]:
    """Return the messages as the SDK sends them, after validating them in a request."""
    ReplyMessageRequest(reply_token="t" * 32, messages=messages)
    PushMessageRequest(to="U" + "0" * 32, messages=messages)
    return [message.to_dict() for message in messages]


def dimension(number: int, *, answered: int = 2, at_stake: float = 0.0) -> DimensionProgress:
    return DimensionProgress(number=number, name=f"มิติที่ {number} การพัฒนาบริการ", points=25,
                             questions=5, answered=answered, warned=1, skipped=1, empty=1,
                             points_at_stake=at_stake, summary=f"สรุปมิติที่ {number}")


def progress(*dimensions: DimensionProgress,
             text: str = "ความคืบหน้า: ตอบแล้ว 8 จาก 20 ข้อ",
             summary: tuple[str, ...] = ()) -> Progress:
    return Progress(title="ความคืบหน้าใบสมัคร", dimensions=dimensions, text=text,
                    summary=summary)


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


def test_a_thai_consonant_with_its_vowel_and_tone_marks_counts_as_one_cluster():
    assert [cluster_len(text) for text in ("กี่", "ที่นี่", "น้ำ", "สวัสดี")] == [1, 2, 2, 4]


def test_an_emoji_counts_as_one_cluster_though_it_is_two_utf16_units():
    assert (cluster_len(EMOJI * 3), utf16_len(EMOJI * 3)) == (3, 6)


def test_a_mark_after_a_line_break_is_a_cluster_of_its_own():
    assert cluster_len("\n\u0e49") == 2


def test_truncate_clusters_keeps_a_label_of_twenty_clusters_whole():
    label = "ที่นี่มีสิ่งดีให้ผู้สูงอายุทุกคนนะ"
    assert (len(label) > 20, cluster_len(label), truncate_clusters(label, 20)) == (True, 20, label)


def test_truncate_clusters_never_separates_a_mark_from_its_consonant():
    assert truncate_clusters("กี่" * 30, 20) == "กี่" * 19 + "…"


# Texts and quick replies --------------------------------------------------------------------

def test_a_text_with_choices_becomes_a_text_message_with_quick_replies():
    choices = (Choice("บริการ", "1"), Choice("มีส่วนร่วม", "2"))
    messages = to_messages([Text("เลือกสาขา", choices=choices)])
    assert as_json(messages) == [{
        "type": "text", "text": "เลือกสาขา",
        "quickReply": {"items": [
            {"type": "action", "action": {"type": "message", "label": "บริการ", "text": "1"}},
            {"type": "action", "action": {"type": "message", "label": "มีส่วนร่วม", "text": "2"}},
        ]},
    }]


def test_quick_reply_labels_are_cut_to_twenty_characters_as_line_counts_them():
    label = "ผลสัมฤทธิ์ของการพัฒนาบริการ"  # 27 code points, 22 grapheme clusters
    (message,) = to_messages([Text("เลือก", choices=(Choice(label, label),))])
    action = message.quick_reply.items[0].action
    assert (action.label, action.text) == ("ผลสัมฤทธิ์ของการพัฒนาบริ…", label)


def test_quick_replies_are_limited_to_thirteen():
    choices = tuple(Choice(f"ข้อ {n}", f"แก้ข้อ {n}") for n in range(1, 21))
    (message,) = to_messages([Text("แก้ข้อไหน", choices=choices)])
    assert [item.action.text for item in message.quick_reply.items] == [
        f"แก้ข้อ {n}" for n in range(1, 14)]


def test_the_same_chips_are_built_once_but_chips_that_copy_an_answer_every_time():
    menu = (Choice("ถัดไป", "ถัดไป"), Choice("ความคืบหน้า", "ความคืบหน้า"))
    first, again = (to_messages([Text(text, choices=menu)])[0] for text in ("ข้อ 1", "ข้อ 2"))
    copy = (Choice("คัดลอกคำตอบ", "คัดลอก", clipboard="เดิมประชาชนต้องเดินทางมายื่นคำขอ 3 ครั้ง"),)
    copied, copied_again = (to_messages([Text("คัดลอก", choices=copy)])[0] for _ in range(2))
    assert first.quick_reply.items[0] is again.quick_reply.items[0]
    assert as_json([first])[0]["quickReply"] == as_json([again])[0]["quickReply"]
    assert copied.quick_reply.items[0] is not copied_again.quick_reply.items[0]
    assert as_json([copied]) == as_json([copied_again])


def test_quick_reply_message_text_is_cut_to_three_hundred_and_the_cut_is_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        (message,) = to_messages([Text("เลือก", choices=(Choice("ยาว", "กี่" * 400),))])
    assert (message.quick_reply.items[0].action.text, caplog.messages) == (
        "กี่" * 299 + "…", ["an action's text was cut to 300 characters"])


def test_a_fill_in_chip_becomes_a_postback_that_opens_the_keyboard_with_its_sentence():
    chip = Choice("เติมข้อ 5: ขั้นตอน", "ข้อ 5", fill_in="ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน")
    messages = to_messages([Text("ข้อ 6", choices=(chip, Choice("ถัดไป", "ถัดไป")))])
    assert as_json(messages)[0]["quickReply"]["items"][0]["action"] == {
        "type": "postback", "label": "เติมข้อ 5: ขั้นตอน", "data": "ข้อ 5",
        "displayText": "เติมข้อ 5: ขั้นตอน", "inputOption": "openKeyboard",
        "fillInText": "ลดขั้นตอนจาก __ ขั้นตอน เหลือ __ ขั้นตอน"}
    assert limit_violations(as_json(messages)) == []


def test_a_fill_in_chip_label_is_cut_like_any_other():
    chip = Choice("เติมข้อ 12: ความพึงพอใจของผู้รับบริการ", "ข้อ 12", fill_in="ร้อยละ __")
    (message,) = to_messages([Text("ข้อ 13", choices=(chip,))])
    action = message.quick_reply.items[0].action
    assert cluster_len(action.label) == 20 and action.display_text == action.label


def test_a_fill_in_sentence_longer_than_line_takes_falls_back_to_sending_the_command(caplog):
    chip = Choice("เติมข้อ 5: ขั้นตอน", "ข้อ 5", fill_in="__ " * 120)
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        (message,) = to_messages([Text("ข้อ 6", choices=(chip,))])
    action = message.quick_reply.items[0].action
    assert (action.type, action.text) == ("message", "ข้อ 5")
    assert caplog.messages == ["a fill-in chip did not fit LINE's limits; sent as a message action"]


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
    assert (len(messages), messages[-1].text[-1], limit_violations(as_json(messages))) == (
        5, "…", [])


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


def test_a_card_alt_text_is_cut_to_four_hundred():
    (message,) = to_messages([Card(title="ร่าง", body="ข" * 3000)])
    assert (utf16_len(message.alt_text), message.alt_text[-1]) == (400, "…")


def test_choices_on_a_card_go_under_the_bubble():
    (message,) = to_messages([Card(title="t", body="b", choices=(Choice("ต่อไป", "ต่อไป"),))])
    assert message.quick_reply.items[0].action.text == "ต่อไป"


# Progress -------------------------------------------------------------------------------------

def test_progress_becomes_a_bubble_with_a_bar_per_dimension_and_its_text_as_alt_text():
    (message,) = to_messages([progress(dimension(1, answered=3),
                                       dimension(2, answered=1, at_stake=12.5),
                                       summary=("รวมอาจเสีย ~12.5", "ควรแก้ข้อ 5 ก่อน"))])
    body = message.contents.body.contents
    assert message.alt_text == "ความคืบหน้า: ตอบแล้ว 8 จาก 20 ข้อ"
    assert body[0].text == "ความคืบหน้าใบสมัคร"
    assert [line.text for line in body[-2:]] == ["รวมอาจเสีย ~12.5", "ควรแก้ข้อ 5 ก่อน"]
    rows = [[c.to_dict() for c in box.contents] for box in body[1:3]]
    assert [[t["text"] for t in row[0]["contents"]] for row in rows] == [
        ["1. มิติที่ 1 การพัฒนาบริการ", "25 คะแนน"], ["2. มิติที่ 2 การพัฒนาบริการ", "25 คะแนน"]]
    assert [[(b["width"], b["backgroundColor"]) for b in row[1]["contents"]] for row in rows] == [
        [("60%", "#2E7D32"), ("20%", "#F9A825")], [("20%", "#2E7D32"), ("20%", "#F9A825")]]
    # The counts are the engine's words, the same as in the text alternative.
    assert [row[2]["text"] for row in rows] == ["สรุปมิติที่ 1", "สรุปมิติที่ 2"]


def test_the_progress_bubble_has_a_key_to_its_colours():
    (message,) = to_messages([progress(dimension(1))])
    key = message.contents.body.contents[2].to_dict()
    swatches = [(item["contents"][0]["backgroundColor"], item["contents"][1]["text"])
                for item in key["contents"]]
    assert swatches == [("#2E7D32", "ตอบแล้ว"), ("#F9A825", "ตอบแล้ว ควรเสริม"),
                        ("#E0E0E0", "ยังไม่ได้ตอบ")]


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
    reply = Progress(title="t", dimensions=(dimension(1),), text="alt",
                     extra="ข้อ 21 (ข้อมูลเพิ่มเติม): ตอบแล้ว", summary=("ควรแก้ข้อ 3 ก่อน",))
    (message,) = to_messages([reply])
    assert [c.text for c in message.contents.body.contents[-2:]] == [
        "ข้อ 21 (ข้อมูลเพิ่มเติม): ตอบแล้ว", "ควรแก้ข้อ 3 ก่อน"]


def test_a_progress_without_summary_lines_ends_with_the_key():
    done = DimensionProgress(number=1, name="มิติ", points=10, questions=2, answered=2, warned=0,
                             skipped=0, empty=0, points_at_stake=0.0)
    (message,) = to_messages([progress(done)])
    assert [c.type for c in message.contents.body.contents] == ["text", "box", "box"]


def test_bubbles_become_text_when_five_messages_are_not_enough():
    replies = [Card(title=f"การ์ด {n}", body="ก" * 100) for n in range(4)] + \
              [Text("ข" * 4000) for _ in range(3)]
    messages = to_messages(replies)
    assert (len(messages), {type(m) for m in messages}) == (3, {TextMessage})
    assert limit_violations(as_json(messages)) == []


# Every kind of reply, checked against the SDK and LINE's limits ------------------------------

ALL_KINDS: list[Reply] = [
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


# An oversized reply: every limit holds and no text is lost ------------------------------------

LONG_LABEL = "ระบบนัดหมายออนไลน์ของสำนักงานเขตพื้นที่การศึกษาเพื่อประชาชน"
OVERSIZED_TEXT = "\n\n".join(f"ย่อหน้าที่ {n} " + "ข" * 1190 for n in range(10))  # 12,000+


def forty_clusters(n: int) -> str:
    """Return a Thai label of exactly 40 grapheme clusters, numbered ``n``."""
    label = f"{n:02d} {LONG_LABEL}"
    while clusters(label) > 40:
        label = label[:-1]
    assert clusters(label) == 40
    return label


OVERSIZED_CHOICES = tuple(Choice(forty_clusters(n), f"แก้ข้อ {n}") for n in range(1, 21))
OVERSIZED: list[Reply] = [
    Text("บันทึกคำตอบข้อ 3 แล้ว"),
    Text(OVERSIZED_TEXT),
    Text("คำแนะนำ: ระบุตัวเลขก่อนและหลังการพัฒนา"),
    Card(title="ร่างใบสมัคร", body="ร่างพร้อมแล้ว",
         buttons=(Button("ดาวน์โหลดร่างใบสมัครฉบับเต็มพร้อมคำแนะนำทุกข้อ" * 2, url=DRAFT_URL),)),
    Text("ความคืบหน้า: ตอบแล้ว 8 จาก 20 ข้อ"),
    Text("ข้อ 4 " + "ค" * 3000),
    Text("เลือกข้อที่ต้องการแก้", choices=OVERSIZED_CHOICES),
]


def visible(texts: list[str]) -> str:
    """Join texts without whitespace: what a reader sees, wherever a message was split or merged."""
    return "".join("".join(texts).split())


def message_texts(messages: list[Message]) -> list[str]:
    """Return the text each message shows: its text, or a bubble's text alternative."""
    return [m.text if isinstance(m, TextMessage) else m.alt_text for m in messages]


def test_an_oversized_reply_has_seven_replies_a_long_text_and_twenty_long_choices():
    assert (len(OVERSIZED), utf16_len(OVERSIZED_TEXT) > 12_000, len(OVERSIZED_CHOICES),
            {clusters(c.label) for c in OVERSIZED_CHOICES}) == (7, True, 20, {40})


def test_an_oversized_reply_stays_within_every_line_limit():
    messages = to_messages(OVERSIZED)
    assert (len(messages) <= 5, limit_violations(as_json(messages))) == (True, [])


def test_an_oversized_reply_loses_no_text_and_keeps_its_order():
    messages = to_messages(OVERSIZED)
    assert visible(message_texts(messages)) == visible([r.as_text() for r in OVERSIZED])


def test_an_oversized_reply_keeps_its_card_as_a_bubble_when_texts_merging_is_enough():
    messages = to_messages(OVERSIZED)
    assert [type(m).__name__ for m in messages].count("FlexMessage") == 1


def test_oversized_choices_keep_the_first_thirteen_whole_and_cut_only_their_labels(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        items = to_messages(OVERSIZED)[-1].quick_reply.items
    labels = [item.action.label for item in items]
    assert [item.action.text for item in items] == [f"แก้ข้อ {n}" for n in range(1, 14)]
    assert [(clusters(label), label[-1]) for label in labels] == [(20, "…")] * 13
    assert all(choice.label.startswith(label[:-1])
               for choice, label in zip(OVERSIZED_CHOICES, labels, strict=False))
    assert "quick replies cut from 20 to 13" in caplog.messages


def test_a_card_button_label_is_cut_to_forty_clusters():
    card = next(reply for reply in OVERSIZED if isinstance(reply, Card))
    (message,) = to_messages([card])
    label = message.contents.footer.contents[0].action.label
    assert (clusters(label), label[-1], card.buttons[0].label.startswith(label[:-1])) == (
        40, "…", True)


def test_more_text_than_five_messages_hold_is_cut_visibly_and_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.web"):
        messages = to_messages([Text("ก" * 4999) for _ in range(7)])
    assert (len(messages), messages[-1].text[-1]) == (5, "…")
    assert caplog.messages == ["reply too long: 7 text messages cut to 5"]
