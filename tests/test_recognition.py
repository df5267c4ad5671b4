"""Recognition: commands as people type them, near misses, courtesy, and real answers left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.coach.recognition import (
    NEAR_MISS_MAX,
    Heard,
    allowed_edits,
    classify,
    edit_distance,
)
from bot.coach.texts import (
    COMMANDS,
    NUMBERED,
    Command,
    TextsError,
    default_texts,
    load_texts,
)

TEXTS = default_texts()


def heard(text: str) -> Heard:
    return classify(text, TEXTS)


@pytest.mark.parametrize("typed,expected", [
    ("ถัดไป", Command("next")),
    ("ถัดไปครับ", Command("next")),
    ("ถัดไป ครับ", Command("next")),
    ("ข้ามค่ะ", Command("skip")),
    ("ถัดไปเลยครับ", Command("next")),
    ("ถัดไปนะคะ", Command("next")),
    ("ถัดไปคับ", Command("next")),
    ("ok next", Command("next")),
    ("OK, next please", Command("next")),
    ("โอเค ถัดไป", Command("next")),
    ("ไปข้อ 5 ครับ", Command("goto", 5)),
    ("ข้อ ๕ ค่ะ", Command("goto", 5)),
    ("แก้ข้อ 3 ค่ะ", Command("edit", 3)),
    ("ขอดูร่างหน่อยครับ", Command("draft")),
    ("ความคืบหน้าครับ", Command("progress")),
    ("ย้อนกลับด้วยครับ", Command("back")),
    ("ถัดไป 👍", Command("next")),
    ("ใช่ ถัดไป", Command("next")),   # what the "yes" chip's label reads, typed out
])
def test_a_command_counts_with_polite_particles_and_fillers(typed, expected):
    assert heard(typed) == Heard("command", command=expected)


@pytest.mark.parametrize("typed,expected", [
    ("ถัดไบ", Command("next")),            # a neighbouring key
    ("ถัดไบครับ", Command("next")),        # and a particle
    ("ย้อนกับ", Command("back")),          # a missing letter
    ("ความคืบหน้", Command("progress")),   # a missing vowel
    ("ดูราง", Command("draft")),           # a missing tone mark
    ("ดูร้าง", Command("draft")),          # the wrong tone mark
    ("ขัาม ไปก่อน".replace(" ", ""), Command("skip")),  # transposed vowel and tone mark
    ("ยกเลีก", Command("cancel")),
    ("cancle", Command("cancel")),         # transposed letters
    ("แกข้อ 3", Command("edit", 3)),       # a numbered command keeps its number
    ("ใบสมัครของฉน", Command("list")),
])
def test_one_small_typo_from_a_command_is_a_near_miss(typed, expected):
    assert heard(typed) == Heard("near_miss", suggestion=expected)


@pytest.mark.parametrize("typed", [
    "ขอบคุณ", "ขอบคุณครับ", "ขอบคุณมากครับ", "ขอบคุณมากๆ ค่ะ", "โอเค", "โอเคครับ", "ok", "OK!",
    "รับทราบ", "รับทราบครับ", "ครับ", "ค่ะ", "ครับผม", "555", "55555", "👍", "🙏🙏", "😀 😀 😀",
    "👍🏽", "Thanks!", "thank you", "ขอบคุณครับ 🙏", "^^",
])
def test_thanks_acknowledgements_and_emoji_are_courtesy(typed):
    assert heard(typed) == Heard("courtesy")


@pytest.mark.parametrize("typed", [
    # real answers that start or end with a command word, or a particle
    "ถัดไปคือการขยายผลไปยังอีก 5 จังหวัด",
    "ถัดไปเราจะพัฒนาแอปพลิเคชัน",
    "ข้ามขั้นตอนการกรอกเอกสารได้ทั้งหมด",
    "ย้อนกลับไปปี 2562 ยังไม่มีระบบนี้",
    "ลดขั้นตอนจาก 7 เหลือ 3 ขั้นตอน ถัดไป",
    "ประชาชนพอใจมากครับ",
    "ร่างกายแข็งแรงขึ้น",
    "ขอบคุณภาคีเครือข่ายที่ช่วยลงพื้นที่ 12 อำเภอ",
    "ความคืบหน้าของโครงการอยู่ที่ร้อยละ 80",
    "เริ่มต้นจากการสำรวจความต้องการ",
    # short answers that are real content
    "ไม่มี", "ไม่มีครับ", "มี 3 แห่ง", "ลดลง 50%", "ข้าว", "ข้า", "ย้อม", "ถัด", "ประมาณ 2 เดือน",
    "ข้อ 5 ทำแล้ว", "เปิด 2 แห่ง", "ข้อที่ 5 ค่ะ",
    # numbers and English
    "2566", "300", "1.5", "50%", "5", "hello", "next step is training", "we skip paper forms",
    "QR code", "ok we reduced the wait to 5 days",
])
def test_real_answers_stay_text(typed):
    assert heard(typed) == Heard("text")


@pytest.mark.parametrize("typed,reply", [
    ("ใช่", "yes"), ("ใช่ครับ", "yes"), ("yes", "yes"), ("ถูกต้องค่ะ", "yes"),
    ("ไม่ใช่", "no"), ("ไม่ครับ", "no"), ("ไม่ใช่ เป็นคำตอบ", "no"), ("no", "no"),
])
def test_yes_and_no_are_told_apart_from_answers(typed, reply):
    assert heard(typed) == Heard("text", reply=reply)


@pytest.mark.parametrize("typed", ["ลบข้อมูลของฉน", "ลบข้อมูลของฉันน", "ยืนยน", "ยืนยันน"])
def test_a_typo_never_leads_towards_deleting_data(typed):
    assert heard(typed) == Heard("text")


def test_a_long_message_is_never_a_near_miss():
    assert heard("ถัดไบ" + " " * 3 + "x" * 20).kind == "text"
    assert len("ความคืบหน้" * 2) > NEAR_MISS_MAX
    assert heard("ความคืบหน้" * 2).kind == "text"


@pytest.mark.parametrize("first,second,limit,expected", [
    ("ถัดไป", "ถัดไป", 1, 0),
    ("ถัดไบ", "ถัดไป", 1, 1),
    ("ย้อนกับ", "ย้อนกลับ", 1, 1),
    ("ขัาม", "ข้าม", 1, 1),      # tone mark and vowel swapped: one transposition
    ("abcd", "badc", 2, 2),
    ("abcd", "badc", 1, 2),      # past the limit: limit + 1
    ("", "abc", 1, 2),
    ("kitten", "sitting", 3, 3),
])
def test_edit_distance_is_optimal_string_alignment_capped_past_the_limit(first, second, limit,
                                                                         expected):
    assert edit_distance(first, second, limit=limit) == expected


@pytest.mark.parametrize("word,edits", [("ข้าม", 0), ("ถัดไป", 1), ("ย้อนกลับ", 1),
                                        ("ความคืบหน้า", 2)])
def test_longer_command_words_admit_more_typos(word, edits):
    assert allowed_edits(word) == edits


def test_every_particle_filler_and_courtesy_word_is_no_command_word():
    words = {word for word, _name in TEXTS.command_words()}
    wording = TEXTS.recognition
    for listed in (wording.leading, wording.trailing, wording.courtesy, wording.yes,
                   wording.no):
        assert sorted(set(listed) & words) == []


def test_the_near_miss_chips_fit_a_line_quick_reply():
    wording = TEXTS.recognition
    suggested = [TEXTS.word(name) + (" 13" if name in NUMBERED else "") for name in COMMANDS]
    for label in (*(wording.yes_label.format(command=word) for word in suggested),
                  wording.no_label):
        assert len(label.encode("utf-16-le")) // 2 <= 20, label
    assert classify(wording.no[0], TEXTS).reply == "no"


def test_a_recognition_list_that_is_not_a_list_of_words_names_the_file_and_key(tmp_path: Path):
    source = (Path(__file__).resolve().parent.parent / "conversations" / "th.yaml")
    text = source.read_text(encoding="utf-8").replace("  courtesy: [", "  courtesy: [\"\", ", 1)
    path = tmp_path / "th.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TextsError, match=r"th\.yaml: 'recognition\.courtesy\.1' must be"):
        load_texts(path)
