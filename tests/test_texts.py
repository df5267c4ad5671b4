"""The Thai wording file: every key the engine uses exists, labels fit LINE, commands parse."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.coach.texts import COMMANDS, Command, TextsError, default_texts, load_texts
from bot.rubrics import LIMIT_UNITS

ROOT = Path(__file__).resolve().parent.parent
#: The engine's modules (engine.py, views.py and whatever they are split into).
ENGINE_SOURCES = sorted((ROOT / "bot" / "coach").glob("*.py"))


def used_keys(pattern: str) -> set[str]:
    """Return the literal keys passed to texts.get / texts.label in the engine's source."""
    keys = set()
    for path in ENGINE_SOURCES:
        keys |= set(re.findall(pattern, path.read_text(encoding="utf-8")))
    return keys


def test_every_message_the_engine_uses_exists():
    texts = default_texts()
    keys = used_keys(r'texts\.get\(\s*"([a-z_]+)"\s*[,)]')
    keys |= {k for pair in re.findall(r'key = "([a-z_]+)"(?: if .* else "([a-z_]+)")?',
                                      "".join(p.read_text("utf-8") for p in ENGINE_SOURCES))
             for k in pair if k}
    keys |= {f"limit_{unit}" for unit in LIMIT_UNITS}
    keys |= {"progress_extra_answered", "progress_extra_missing"}
    keys |= {f"progress_bubble_{k}"  # bot/web/progress_card.py
             for k in ("answered", "warned", "skipped", "at_stake", "total", "points")}
    assert len(keys) > 60
    missing = sorted(k for k in keys if k not in texts.messages)
    assert missing == []


def test_every_label_fits_a_line_quick_reply():
    texts = default_texts()
    for key, label in texts.labels.items():
        shown = label.format(number=13, index=12, count=13)
        assert len(shown.encode("utf-16-le")) // 2 <= 20, (key, shown)


@pytest.mark.parametrize("typed,expected", [
    ("ถัดไป", Command("next")),
    ("  ถัดไป . ", Command("next")),
    ("NEXT!", Command("next")),
    ("ข้อ 5", Command("goto", 5)),
    ("ข้อ๕", Command("goto", 5)),
    ("แก้ข้อ 3", Command("edit", 3)),
    ("edit 12", Command("edit", 12)),
    ("เลือก 2", Command("open", 2)),
    ("delete my data", Command("delete")),
    ("ลบข้อมูลของฉัน", Command("delete")),
    ("ความคืบหน้า?", Command("progress")),
    ("ข้อ", None),
    ("ข้อ 5 ของเราคือการลดขั้นตอน", None),
    ("ถัดไปเราจะพัฒนาระบบ", None),
])
def test_commands_are_recognised_tolerantly_and_only_as_whole_messages(typed, expected):
    assert default_texts().command(typed) == expected


def test_every_command_has_a_thai_word_first():
    texts = default_texts()
    for command in COMMANDS:
        assert re.search(r"[\u0e00-\u0e7f]", texts.word(command)), command


def test_a_missing_command_names_the_file_and_key(tmp_path):
    source = (ROOT / "conversations" / "th.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "th.yaml"
    broken.write_text(source.replace("  skip: [ข้าม, skip, ข้ามไปก่อน]\n", ""), encoding="utf-8")
    with pytest.raises(TextsError, match=r"th\.yaml: 'commands\.skip'"):
        load_texts(broken)


def test_a_word_given_to_two_commands_is_an_error(tmp_path):
    source = (ROOT / "conversations" / "th.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "th.yaml"
    broken.write_text(source.replace("[ข้าม, skip,", "[ข้าม, next,"), encoding="utf-8")
    with pytest.raises(TextsError, match="'next'"):
        load_texts(broken)


@pytest.mark.parametrize("typed", ["ข้อ ²", "แก้ข้อ ①", "เลือก ⁵", "ข้อ 99999"])
def test_odd_digits_are_not_a_command(typed):
    assert default_texts().command(typed) is None


@pytest.mark.parametrize("raw,stored", [
    ("คำตอบ\x00มี NUL", "คำตอบมี NUL"),
    ("คำตอบ \ud83d", "คำตอบ \ufffd"),
    ("ยิ้ม \ud83d\ude00", "ยิ้ม 😀"),
    ("ปกติ 😀", "ปกติ 😀"),
    ("บรรทัดแรก\x0bบรรทัดสอง\x0cหน้าใหม่", "บรรทัดแรก\nบรรทัดสอง\nหน้าใหม่"),
    ("ลด\x01ลง\x08 \x1bร้อยละ\x7f 30\ufffe\uffff", "ลดลง ร้อยละ\x7f 30"),
    ("แท็บ\tขึ้นบรรทัด\r\nใหม่", "แท็บ\tขึ้นบรรทัด\r\nใหม่"),
])
def test_typed_text_is_made_storable_without_losing_the_rest(raw, stored):
    from bot.coach.messages import clean_text
    assert clean_text(raw) == stored


def test_stored_text_agrees_with_the_drafts_xml_rules():
    from bot.coach.messages import clean_text
    from bot.draft.cleaning import xml_safe
    every = "".join(map(chr, range(0x00, 0x80))) + "\ufffd\ufffe\uffff\u0e01"
    assert clean_text(every) == xml_safe(every)


# The sections beyond the chat, and the bot's name


def wording_with(tmp_path: Path, old: str, new: str) -> Path:
    """Write a copy of th.yaml with ``old`` replaced by ``new`` (which must be there)."""
    source = (ROOT / "conversations" / "th.yaml").read_text(encoding="utf-8")
    assert old in source
    broken = tmp_path / "th.yaml"
    broken.write_text(source.replace(old, new, 1), encoding="utf-8")
    return broken


def test_the_bot_name_is_written_once_and_put_where_a_text_says_bot():
    source = (ROOT / "conversations" / "th.yaml").read_text(encoding="utf-8")
    texts = default_texts()
    assert re.findall(r"^bot_name: (.+)$", source, flags=re.M) == [texts.bot_name]
    written = [line for line in source.splitlines()
               if texts.bot_name in line and not line.lstrip().startswith("#")]
    assert written == [f"bot_name: {texts.bot_name}"]
    assert texts.get("greeting").startswith(f"สวัสดีครับ ผมคือ{texts.bot_name} ")
    assert texts.get("help").startswith(f"คำสั่งของ{texts.bot_name} ")
    assert (texts.draft.author, texts.cli.prompt.split(" — ")[0]) == (texts.bot_name,) * 2


def test_a_new_bot_name_reaches_every_text_that_names_the_bot(tmp_path):
    name = default_texts().bot_name
    texts = load_texts(wording_with(tmp_path, f"bot_name: {name}", "bot_name: โค้ชทดลอง"))
    assert texts.bot_name == "โค้ชทดลอง"
    assert "ผมคือโค้ชทดลอง 🏅" in texts.get("greeting")
    assert "ผมคือโค้ชทดลอง 🏅" in texts.get("group_greeting")
    assert texts.draft.author == "โค้ชทดลอง"
    assert texts.cli.prompt.startswith("โค้ชทดลอง — ")
    assert name not in " ".join([*texts.messages.values(), *texts.labels.values()])


def test_the_bot_name_keeps_the_other_placeholders_and_escaped_braces(tmp_path):
    texts = load_texts(wording_with(tmp_path, "  already_first: ",
                                    '  braces: "{bot} {{เครื่องหมาย}} ข้อ {number:>3}"\n'
                                    "  already_first: "))
    assert texts.get("braces", number=7) == f"{texts.bot_name} {{เครื่องหมาย}} ข้อ   7"


@pytest.mark.parametrize("name", ["", "โค้ช {x}", "สอง\nบรรทัด"])
def test_a_bot_name_that_cannot_go_into_a_text_is_an_error(tmp_path, name):
    with pytest.raises(TextsError, match=r"th\.yaml: 'bot_name'"):
        load_texts(wording_with(tmp_path, f"bot_name: {default_texts().bot_name}",
                                f"bot_name: {json.dumps(name, ensure_ascii=False)}"))


@pytest.mark.parametrize("old,new,error", [
    ("  appendix_none: ไม่มีข้อสังเกตค้างอยู่\n", "", r"no text 'draft\.appendix_none'"),
    ('  page: "หน้า {page} จาก {pages}"', '  page: "หน้า {page}"',
     r"'draft\.page' must use the placeholders \{page\} \{pages\}; it uses \{page\}"),
    ('  question: "ข้อ {number}"', '  question: "ข้อ {numbr}"',
     r"'draft\.question' must use the placeholders \{number\}; it uses \{numbr\}"),
    ("  title: ชื่อผลงาน", '  title: "ชื่อผลงาน {title}"',
     r"'draft\.title' must use the placeholders none; it uses \{title\}"),
    ('  counts: "ความยาว {words:,} คำ', '  counts: "ความยาว {words:q} คำ', r"'draft\.counts'"),
    ('  limit: "(กำหนดไม่เกิน {max:,} {unit})"', '  limit: "(กำหนดไม่เกิน {max:,} {unit)"',
     r"'draft\.limit'"),
    ("มกราคม, ", "", r"'draft\.months' must list 12 texts"),
    ("words: คำ}", "words: คำ, lines: บรรทัด}", r"'draft\.units\.lines' is not a text"),
    ("pdf: ไฟล์ PDF, ", "", r"no text 'draft\.downloads\.pdf'"),
    ("  gap_empty:", "  gap_emtpy:", r"'draft\.gap_emtpy' is not a text the bot uses"),
    ("  rubric_dimension:", "  rubric_dimensions:", r"'cli\.rubric_dimensions' is not a text"),
    ("  chat_bar: เมนูโค้ช", '  chat_bar: ""', r"'richmenu\.chat_bar' must be non-empty text"),
    ("richmenu:\n  chat_bar: เมนูโค้ช", "", r"'richmenu' must be a mapping"),
    ('  greeting: |-', '  greeting: "{oops"\n  x: |-', r"'messages\.greeting'"),
])
def test_a_malformed_section_text_names_the_file_and_the_key(tmp_path, old, new, error):
    with pytest.raises(TextsError, match=r"th\.yaml: " + error):
        load_texts(wording_with(tmp_path, old, new))


def test_the_draft_units_and_downloads_are_the_ones_the_code_knows():
    from bot.draft import FORMATS

    draft = default_texts().draft
    assert (set(draft.units), tuple(draft.downloads)) == (LIMIT_UNITS, FORMATS)
    assert len(set(draft.months)) == 12


def test_thai_digits_and_punctuation_fold_as_before():
    assert default_texts().command("ข้อ ๑๒ฯ") == Command("goto", 12)
    assert default_texts().command("ถัดไปๆ") == Command("next")
