"""Tests for bot.analysis.normalize: Thai pasted from PDF files and OCR is repaired for the
checks, the officer's text is kept, and every span maps back to the same words."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis.answer import Answer
from bot.analysis.normalize import normalize

# (as pasted, as the checks read it)
REPAIRS = [
    ("น้ํามันเชื้อเพลิง", "น้ำมันเชื้อเพลิง"),                      # nikhahit + sara aa after a tone
    ("นํ้าประปา", "น้ำประปา"),                                     # tone between nikhahit and sara aa
    ("การดําเนินงาน", "การดำเนินงาน"),                             # decomposed sara am, no tone
    ("น ํ ้ า ดื่ม", "น้ำ ดื่ม"),                                    # the pieces spaced out as well
    ("เเผนพัฒนาตำบล", "แผนพัฒนาตำบล"),                             # sara ae drawn as two sara e
    ("ท ี่ดินทำกิน", "ที่ดินทำกิน"),                                # a vowel detached by a space
    ("ท่ีดินทำกิน", "ที่ดินทำกิน"),                                 # tone before its vowel
    ("ก า ร พั ฒ น า  ร ะ บ บ", "การพัฒนา  ระบบ"),                  # letters spaced, words by two
    ("สั งค ม โล ก ที่ กำลั ง", "สังคมโลกที่กำลัง"),                  # spaced in pieces of one or two
    ("ผู้รับ\u200bบริการ\u00a0120 ราย", "ผู้รับบริการ 120 ราย"),        # zero-width and no-break space
    ("จังĀüัดปทุมธานี", "จังหวัดปทุมธานี"),                          # Latin-1 glyphs for Thai letters
    ("ผลการสำำ\ufffdรวจ ปีี 2562", "ผลการสำรวจ ปี 2562"),             # doubled marks, replacement char
    ("พบว่า\nิ\nี\n่\nมีผู้ใช้ 500 ราย", "พบว่า\nมีผู้ใช้ 500 ราย"),      # marks set apart on own lines
    ("ความพึ\nงพอใจต่\nอผลการดำเนิ\nนงานของรั\nฐบาล\nประชาชนร้\nอยละ 98.9",
     "ความพึงพอใจต่อผลการดำเนินงานของรัฐบาลประชาชนร้อยละ 98.9"),    # lines broken inside words
]

UNCHANGED = [
    "ผู้รับบริการเพิ่มขึ้นจาก ๑๒๐ ราย เป็น ๔๕๐ ราย",              # Thai digits stay readable
    "ณ ที่ว่าการอำเภอ",                                            # one lone letter is a word
    "ณ ที่ ว่าการอำเภอ",                                           # two lone letters are Thai
    "ภาคส่วนต่าง ๆ ก็ได้ร่วมมือ",                                    # mai yamok between spaces
    "ตัวชี้วัด    ปี 2565    ปี 2566\nผู้รับบริการ    120 ราย    450 ราย",  # table columns
    "ผลผลิตเพิ่มขึ้น\nต้นทุนลดลง\nรายได้ดีขึ้น",                          # paragraphs stay paragraphs
    "",
]


@pytest.mark.parametrize("pasted, repaired", REPAIRS)
def test_damaged_thai_is_repaired(pasted, repaired):
    assert normalize(pasted).text == repaired


@pytest.mark.parametrize("text", UNCHANGED)
def test_sound_thai_is_left_alone(text):
    assert normalize(text).text == text


@pytest.mark.parametrize("pasted, repaired", REPAIRS)
def test_a_word_maps_back_to_the_same_word_in_the_original(pasted, repaired):
    normalized = normalize(pasted)
    for word in repaired.split():
        start = repaired.index(word)
        left, right = normalized.to_original((start, start + len(word)))
        assert normalize(pasted[left:right]).text.strip() == word, (word, pasted[left:right])


def test_highlight_of_a_quantity_covers_it_in_the_pasted_text():
    pasted = "ก า ร พั ฒ น า ระบบ ทำให้ประชาชน\u200b ๑,๒๕๐ ราย ได้รับบริการ"
    answer = Answer(pasted)
    start = answer.text.index("๑,๒๕๐ ราย")
    left, right = answer.to_original((start, start + len("๑,๒๕๐ ราย")))
    assert pasted[left:right] == "๑,๒๕๐ ราย"


def test_answer_keeps_the_officers_text_and_reads_the_repaired_one():
    answer = Answer("นํ้าประปา ท่ีดิน")
    assert (answer.original, answer.text) == ("นํ้าประปา ท่ีดิน", "น้ำประปา ที่ดิน")


def test_spans_of_undamaged_text_are_unchanged():
    answer = Answer("ผู้รับบริการ 120 ราย")
    assert answer.to_original((13, 20)) == (13, 20)
    assert answer.to_original(None) is None


_PIECES = st.sampled_from(list("กขคนมรวสหอาำิีึืุู่้๊๋็์ํเแโใไๆ0123456789 \n") + [
    "\u200b", "\u00a0", "\ufffd", "ÿ", "ü", "เเ", "ํา", " ่", "ก า ร", "ร้\n", "\nิ\n"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=60).map("".join))
def test_any_span_maps_inside_the_original_in_order(pasted):
    normalized = normalize(pasted)
    n = len(normalized.text)
    for start in range(n + 1):
        for end in (start, min(n, start + 1), n):
            if end < start:
                continue
            left, right = normalized.to_original((start, end))
            assert 0 <= left <= right <= len(pasted)
    if n:
        assert normalized.to_original((0, n)) == (
            normalized.to_original((0, 1))[0], normalized.to_original((n - 1, n))[1])
