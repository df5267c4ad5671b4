"""Text fit for a document: XML-safe, no emoji, names cut by bytes."""

from __future__ import annotations

import pytest

from bot.draft.cleaning import cut_bytes, document_text, without_emoji, xml_safe


@pytest.mark.parametrize(("raw", "clean"), [
    ("บรรทัดแรก\x0bบรรทัดสอง", "บรรทัดแรก\nบรรทัดสอง"),      # Shift+Enter pasted from Word
    ("หน้าหนึ่ง\x0cหน้าสอง", "หน้าหนึ่ง\nหน้าสอง"),            # a page break
    ("ก\x1bข\uffffค\x00ง", "กขคง"),
    ("ปกติ\tมีแท็บ", "ปกติ\tมีแท็บ"),
])
def test_what_xml_cannot_hold_is_left_out_and_line_breaks_stay_breaks(raw, clean):
    assert xml_safe(raw) == clean


@pytest.mark.parametrize(("raw", "clean"), [
    ("ผลงานดีมาก 👍 ครับ", "ผลงานดีมาก ครับ"),
    ("🎉 เปิดตัวระบบ", "เปิดตัวระบบ"),
    ("ธงไทย 🇹🇭 และ 👨‍👩‍👧 ครอบครัว", "ธงไทย และ ครอบครัว"),
    ("ไม่มีอีโมจิ  สองช่องเดิม", "ไม่มีอีโมจิ  สองช่องเดิม"),   # the officer's own spacing stays
])
def test_emoji_go_without_leaving_double_spaces(raw, clean):
    assert without_emoji(raw) == clean


def test_document_text_composes_thai_and_is_idempotent():
    raw = "ข้อความ\x0b😀 ต่อ"
    assert document_text(document_text(raw)) == document_text(raw) == "ข้อความ\nต่อ"


def test_a_thai_name_is_cut_by_bytes_not_in_the_middle_of_a_character():
    title = "ระบบ" * 40                       # 160 characters, 480 bytes
    cut = cut_bytes(title, 200)
    assert len(cut.encode("utf-8")) <= 200 and title.startswith(cut) and len(cut) == 66


def test_a_long_thai_title_gives_a_file_name_a_file_system_accepts(tmp_path):
    from dataclasses import replace

    from bot.draft import build
    from bot.draft.samples import public_service_draft

    draft = replace(public_service_draft(), title="ระบบนัดหมายออนไลน์ของสำนักงานที่ดิน" * 5 + " 🎉")
    path = tmp_path / f"{draft.file_stem}-{draft.application_id}.docx"
    path.write_bytes(build(draft, "docx"))          # "File name too long" before the cut
    assert len(path.name.encode("utf-8")) <= 255 and "🎉" not in path.name
