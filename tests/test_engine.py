"""The engine's own shape: its command table, its member modes, early stops, module sizes."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.coach import engine, texts
from bot.coach.messages import Text
from bot.coach.turn import DeleteConfirmation, Edit, StopTurn

BOT = Path(__file__).resolve().parent.parent / "bot"


def test_every_command_the_wording_names_has_a_handler_and_no_handler_lacks_words():
    assert sorted(engine.COMMANDS) == sorted(texts.COMMANDS)
    wording = texts.default_texts()
    for name in engine.COMMANDS:
        word = wording.word(name)
        command = wording.command(f"{word} 1" if name in texts.NUMBERED else word)
        assert command is not None and command.name == name, name


def test_every_state_has_a_handler_and_the_diagram_names_it():
    for state in engine.STATES:
        assert state in (engine.__doc__ or ""), state


def test_an_edit_survives_the_round_trip_through_the_stored_context():
    edit = Edit(application=7, question=3, mode="append", written=True)
    assert Edit.load(edit.dump()) == edit
    assert DeleteConfirmation.load(DeleteConfirmation().dump()) == DeleteConfirmation()


@pytest.mark.parametrize("stored", [{}, {"question": 3}, {"application": "x", "question": 1},
                                    {"application": None, "question": 2}])
def test_a_malformed_stored_edit_counts_as_no_edit(stored):
    assert Edit.load(stored) is None


def test_an_unknown_stored_edit_mode_falls_back_to_replacing():
    assert Edit.load({"application": 1, "question": 2, "mode": "weird"}) == Edit(1, 2)


def test_a_stop_carries_its_replies():
    stop = StopTurn(Text("a"), Text("b"))
    assert stop.replies == [Text("a"), Text("b")]


def test_engine_stays_small_and_no_module_outgrows_the_house():
    assert len((BOT / "coach" / "engine.py").read_text(encoding="utf-8").splitlines()) < 350
    for path in BOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 400, f"{path.relative_to(BOT.parent)} has {lines} lines"


# In a conversation, on the memory store --------------------------------------------------

def test_the_engine_offers_a_chip_per_application_and_leaves_lines_limit_to_bot_web(memory_chat):
    for number in range(1, 15):
        for text in ["เริ่ม", "1.1", f"โครงการที่ {number}"]:
            memory_chat.say(text)
    memory_chat.say("ใบสมัครของฉัน")
    labels = memory_chat.choices()
    assert len(labels) == 14   # LINE shows at most 13 quick replies: bot/web cuts, not the engine
    assert labels[-1] == "เลือก 14"


def test_a_malformed_stored_edit_lets_the_message_go_to_the_open_question(memory_chat):
    for text in ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]:
        memory_chat.say(text)
    row = memory_chat.memory.chats["U1"]
    broken = {**json.loads(row.context), "edits": {"U1": {"question": "x"}}}
    memory_chat.memory.chats["U1"] = replace(row, context=json.dumps(broken))
    said = memory_chat.say("เกษตรกร 300 รายรอผลตรวจดิน 30 วัน")
    assert "บันทึกข้อ 1 แล้ว" in said
    answers = memory_chat.export()["applications"][0]["answers"]
    assert answers == {"1": "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน"}


def test_a_command_that_needs_an_application_stops_with_a_way_to_start(memory_chat):
    said = memory_chat.say("ถัดไป")
    assert "ยังไม่มีใบสมัคร" in said
    assert memory_chat.choices()[:2] == ["เริ่มใบสมัครใหม่", "ใบสมัครของฉัน"]


@pytest.mark.parametrize("odd", ["፩", "²", "①"])
def test_a_digit_int_cannot_read_at_the_branch_prompt_is_not_understood_not_a_failure(
        memory_chat, odd):  # found by tests/test_web_fuzz.py: it was a ValueError, a 500
    memory_chat.say("เริ่ม")
    choices = memory_chat.choices()
    memory_chat.say(odd)
    assert memory_chat.choices() == choices  # asked again, nothing chosen


def test_goto_a_question_the_category_lacks_says_the_range_and_stays_put(memory_chat):
    for text in ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]:
        memory_chat.say(text)
    said = memory_chat.say("ข้อ 99")
    assert "ไม่มีข้อ 99" in said and "ข้อ 1 ถึง 10" in said
    assert "บันทึกข้อ 1" in memory_chat.say("ยังอยู่ข้อหนึ่ง")


def test_the_move_history_keeps_a_bounded_window_and_says_when_it_does_not_reach():
    from datetime import UTC, datetime, timedelta

    from bot.coach.modes import MOVES_KEPT, MoveHistory

    start = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    history = MoveHistory()
    for step in range(MOVES_KEPT + 5):
        history.record(1, step + 1, start + timedelta(minutes=step))
    assert len(history.moves) == MOVES_KEPT
    assert history.open_at(start) is None                       # older than what is kept
    assert history.open_at(start + timedelta(minutes=10, seconds=30)) == (1, 11)
    assert MoveHistory.load(history.dump()) == history
    history.record(1, MOVES_KEPT + 5, start + timedelta(hours=2))    # the same question again
    assert len(history.moves) == MOVES_KEPT and history.moves[-1][2] == MOVES_KEPT + 5
