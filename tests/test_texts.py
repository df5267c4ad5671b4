"""The Thai wording file: every key the engine uses exists, labels fit LINE, commands parse."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.rubrics import LIMIT_UNITS
from bot.coach.texts import COMMANDS, Command, TextsError, default_texts, load_texts

ROOT = Path(__file__).resolve().parent.parent
ENGINE_SOURCES = [ROOT / "bot" / "coach" / name for name in ("engine.py", "views.py")]


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
    keys |= {f"progress_bubble_{k}"  # bot/web/line_messages.py
             for k in ("answered", "warned", "skipped", "at_stake", "total", "points")}
    assert len(keys) > 60
    missing = sorted(k for k in keys if k not in texts.messages)
    assert missing == []


def test_every_label_fits_a_line_quick_reply():
    texts = default_texts()
    for key, label in texts.labels.items():
        shown = label.format(number=13, index=12)
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
])
def test_typed_text_is_made_storable_without_losing_the_rest(raw, stored):
    from bot.coach.messages import clean_text
    assert clean_text(raw) == stored
