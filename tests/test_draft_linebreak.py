"""Where Thai lines may break: a table of passages and the pieces they must stay in."""

from __future__ import annotations

import pytest
from pythainlp.corpus import thai_words

from bot.analysis.tokens import tokenize
from bot.draft.linebreak import Rules, chunks, list_marker

RULES = Rules(words=thai_words(), before_number=frozenset({"ร้อยละ"}))


def fake_tokens(text: str) -> list[str]:
    """Split at "|" and spaces, standing in for a tokenizer that cuts words in pieces."""
    out: list[str] = []
    for i, part in enumerate(text.split(" ")):
        out += [" "] if i else []
        out += [p for p in part.split("|") if p]
    return out


@pytest.mark.parametrize("text, expected", [
    ("นา|ที", ["นาที"]),
    ("ตั้ง|แต่|เช้า", ["ตั้งแต่", "เช้า"]),
    ("คณะ|กรรม|การ", ["คณะกรรมการ"]),
    ("ลุ่ม|น้ำ|โขง", ["ลุ่มน้ำ", "โขง"]),
    ("บ้าน|โคก|สะ|อาด", ["บ้าน", "โคก", "สะอาด"]),
])
def test_tokenizer_pieces_that_spell_a_dictionary_word_are_joined(text, expected):
    assert chunks(text, fake_tokens, RULES) == expected


@pytest.mark.parametrize("text, kept", [
    ("ใช้เวลา 30 นาทีต่อราย", "30 นาที"),
    ("ผู้ป่วย ๖,๔๓๒ ราย", "๖,๔๓๒ ราย"),
    ("คิดเป็นร้อยละ 25 ของทั้งหมด", "ร้อยละ 25"),
    ("ในปี พ.ศ. 2562 มี", "พ.ศ. 2562"),
    ("ในปี ค.ศ. 2021 มี", "ค.ศ. 2021"),
    ("ลดลง (ร้อยละ 25) ต่อปี", "(ร้อยละ 25)"),
    ("ผลงาน “เลิศรัฐ” ดีเด่น", "“เลิศ"),
    ("ผลงาน “เลิศรัฐ” ดีเด่น", "รัฐ”"),
    ('ผลงาน "ที่ดินนัดได้" เป็น', '"ที่ดิน'),
    ('ผลงาน "ที่ดินนัดได้" เป็น', 'ได้"'),
    ("ทุกวันๆ ไป", "ทุกวันๆ"),
    ("คะแนน 4.62 จาก 5", "4.62 จาก"),
    ("ระบบ LINE API's ของ", "API's"),
])
def test_a_run_that_must_stay_on_one_line_is_inside_one_piece(text, kept):
    assert [piece for piece in chunks(text, tokenize, RULES) if kept in piece] != []


@pytest.mark.parametrize("text, not_kept", [
    ("ใช้เวลา 30 นาทีต่อราย", "เวลา 30"),  # an ordinary word before a number may part
    ("ดีมาก แล้ว", "ดีมาก แล้ว"),           # a plain space is a break
])
def test_a_plain_space_stays_a_break(text, not_kept):
    assert [piece for piece in chunks(text, tokenize, RULES) if not_kept in piece] == []


def test_a_url_breaks_only_after_a_slash_or_before_a_question_mark():
    url = "https://www.opdc.go.th/content/Nzk4?lang=th"

    pieces = chunks(f"ดู {url} ต่อ", tokenize, RULES)
    assert pieces == ["ดู", " ", "https://", "www.opdc.go.th/", "content/", "Nzk4", "?lang=th",
                      " ", "ต่อ"]


def test_pieces_give_back_the_text():
    text = "ลำห้วย (ร้อยละ 25) “เลิศรัฐ” https://a.b/c?d ๖,๔๓๒ ราย"

    assert "".join(chunks(text, tokenize, RULES)) == text


@pytest.mark.parametrize("text, marker", [
    ("๑) ข้อแรก", "๑) "), ("1. ข้อแรก", "1. "), ("1) ข้อแรก", "1) "), ("(2) ข้อสอง", "(2) "),
    ("• ข้อแรก", "• "), ("- ข้อแรก", "- "), ("ก. ข้อแรก", "ก. "),
    ("1.5 ล้านบาท", None), ("กข. ค", None), ("-", None), ("ปี 2564", None),
])
def test_list_markers(text, marker):
    assert list_marker(text) == marker
