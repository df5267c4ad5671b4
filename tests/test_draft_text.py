"""The plain-text draft: one block per question, ready to paste into OPDC's form."""

from __future__ import annotations

import pytest

from bot.analysis.report import Finding
from bot.draft import build_text
from bot.draft.samples import (
    PARTICIPATORY_ANSWERS,
    PUBLIC_SERVICE_ANSWERS,
    make_draft,
    participatory_draft,
    public_service_draft,
)
from bot.draft.text import character_counts
from bot.rubrics import default_rubrics

RULE = "=" * 40


def small_draft():
    """Return a category 1.6 draft: questions 1 and 2 answered, 3 skipped, the rest empty."""
    rubric = default_rubrics().get("public_service", 2564)
    return make_draft(
        rubric, "1.6",
        {1: "ผู้พิการต้องเดินทางมาติดต่อด้วยตนเอง\nเฉลี่ย 3 ครั้งต่อคำขอ", 2: "บริการถึงบ้านโดยรถเคลื่อนที่"},
        {2: (Finding("no_statistics", "ยังไม่มีตัวเลขประกอบ", quote="ถึงบ้าน"),)},
        title="บริการถึงบ้าน", agency="สำนักงานเขตบางรัก", skipped=(3,),
    )


def test_small_draft_is_written_question_by_question_with_its_counts_exactly():
    draft = small_draft()
    q = {n: draft.rubric.question(n).text for n in range(1, 11)}

    assert build_text(draft, edition="clean") == (
        "ร่างใบสมัครรางวัลเลิศรัฐ ประจำปี พ.ศ. 2565\n"
        "ชื่อผลงาน: บริการถึงบ้าน\n"
        "หน่วยงาน: สำนักงานเขตบางรัก\n"
        "สาขา: รางวัลบริการภาครัฐ\n"
        "ประเภท: 1.6 ยกระดับการอำนวยความสะดวกในการให้บริการ\n"
        "เกณฑ์การประเมิน: ตามเกณฑ์ปี 2564\n"
        "จัดทำร่างเมื่อ: 15 มีนาคม 2564\n"
        "\n"
        f"มิติที่ 1 การวิเคราะห์ปัญหา (10 คะแนน)\n{RULE}\n"
        "\n"
        f"ข้อ 1 {q[1]}\n\nผู้พิการต้องเดินทางมาติดต่อด้วยตนเอง\nเฉลี่ย 3 ครั้งต่อคำขอ\n"
        "\n"
        "จำนวนตัวอักษร 57 ตัว (ไม่นับช่องว่าง 55 ตัว)\n"
        "\n"
        f"มิติที่ 2 แนวทางการแก้ไขปัญหาและการนำไปปฏิบัติ (20 คะแนน)\n{RULE}\n"
        "\n"
        f"ข้อ 2 {q[2]}\n\nบริการถึงบ้านโดยรถเคลื่อนที่\n"
        "\n"
        "จำนวนตัวอักษร 28 ตัว (ไม่นับช่องว่าง 28 ตัว)\n"
        "\n"
        f"ข้อ 3 {q[3]}\n\n[ข้ามไว้ ยังไม่ได้ตอบ]\n"
        "\n"
        f"ข้อ 4 {q[4]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"มิติที่ 3 ผลผลิต/ผลลัพธ์เชิงประจักษ์ (60 คะแนน)\n{RULE}\n"
        "\n"
        f"ข้อ 5 {q[5]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"ข้อ 6 {q[6]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"ข้อ 7 {q[7]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"ข้อ 8 {q[8]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"มิติที่ 4 ความยั่งยืนของโครงการ (10 คะแนน)\n{RULE}\n"
        "\n"
        f"ข้อ 9 {q[9]}\n\n[ยังไม่ได้ตอบ]\n"
        "\n"
        f"ข้อ 10 {q[10]}\n\n[ยังไม่ได้ตอบ]\n"
    )


def test_the_clean_text_keeps_the_character_counts_and_leaves_out_the_coach():
    text = build_text(small_draft(), edition="clean")

    assert ("ยังไม่มีตัวเลขประกอบ" in text, "ความยาว" in text,
            text.count("จำนวนตัวอักษร")) == (False, False, 2)


def test_the_working_text_adds_the_findings_under_the_counts():
    text = build_text(small_draft(), edition="working")

    block = text[text.index("บริการถึงบ้านโดยรถเคลื่อนที่"):text.index("ข้อ 3 ")]
    assert block == ("บริการถึงบ้านโดยรถเคลื่อนที่\n\n"
                     "จำนวนตัวอักษร 28 ตัว (ไม่นับช่องว่าง 28 ตัว)\n\n"
                     "ความยาว 6 คำ 28 ตัวอักษร\n"
                     "ข้อสังเกตจากผู้ช่วย\n"
                     "- ยังไม่มีตัวเลขประกอบ ข้อความที่พบ: “ถึงบ้าน”\n\n")


@pytest.mark.parametrize(("paragraphs", "expected"), [
    (("น้ำ ใส",), (6, 5)),  # vowel and tone marks count, as a web form counts them
    (("a b", "c\td"), (6, 4)),  # the break between paragraphs does not count; a tab does
    ((), (0, 0)),
    (("1,250 ราย",), (9, 8)),
])
def test_characters_are_counted_with_spaces_and_without(paragraphs, expected):
    assert character_counts(paragraphs) == expected


def test_the_counts_are_of_the_answer_as_pasted():
    draft = public_service_draft()
    text = build_text(draft, edition="clean")

    answer = PUBLIC_SERVICE_ANSWERS[1]
    after = text[text.index(answer) + len(answer):].split("\n\n")[1]
    lines = [line for line in answer.splitlines() if line.strip()]
    assert after == (f"จำนวนตัวอักษร {sum(map(len, lines)):,} ตัว "
                     f"(ไม่นับช่องว่าง {sum(len(''.join(line.split())) for line in lines):,} ตัว)")


def test_every_answer_is_present_in_question_order():
    text = build_text(public_service_draft())

    positions = [text.find(f"\n\n{PUBLIC_SERVICE_ANSWERS[n]}\n")
                 for n in sorted(PUBLIC_SERVICE_ANSWERS)]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_gaps_of_the_public_service_draft_are_marked():
    draft = public_service_draft()
    text = build_text(draft)

    gaps = [n for n in range(1, 11) if f"ข้อ {n} {draft.rubric.question(n).text}\n\n[" in text]
    assert gaps == [4, 8]


def test_question_13_comes_last_under_additional_information():
    draft = participatory_draft()
    text = build_text(draft)

    tail = text[text.index("ข้อมูลเพิ่มเติม"):]
    head = f"ข้อมูลเพิ่มเติม\n{RULE}\n\nข้อ 13 {draft.rubric.question(13).text}\n\n"
    assert tail.startswith(head + f"{PARTICIPATORY_ANSWERS[13]}\n\nจำนวนตัวอักษร ")


def test_text_has_no_byte_order_mark_and_unix_newlines():
    text = build_text(participatory_draft())

    assert (text[0], "\r" in text, text[-1]) == ("ร", False, "\n")


def test_the_labels_and_the_date_come_from_the_wording_file(tmp_path, monkeypatch):
    from bot.coach.texts import CONVERSATIONS_DIR, load_texts
    from bot.draft import labels

    source = (CONVERSATIONS_DIR / "th.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "th.yaml"
    source = (source.replace("  title: ชื่อผลงาน", "  title: ชื่อโครงการ")
                    .replace('  date: "{day} {month} {year}"', '  date: "{month} {day}, {year}"')
                    .replace("[ข้ามไว้ ยังไม่ได้ตอบ]", "[ข้ามไว้]"))
    edited.write_text(source, encoding="utf-8")
    monkeypatch.setattr(labels, "default_texts", lambda: load_texts(edited))

    text = build_text(small_draft())

    assert ("ชื่อโครงการ: บริการถึงบ้าน\n" in text, "จัดทำร่างเมื่อ: มีนาคม 15, 2564\n" in text,
            "\n\n[ข้ามไว้]\n" in text, "ชื่อผลงาน" in text) == (True, True, True, False)
