"""The terminal chat and export, as an officer would use them: piped lines, new processes."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from bot.cli import build_parser, cmd_rubrics, main, run_chat
from bot.coach.messages import Text
from bot.coach.texts import default_texts

ROOT = Path(__file__).resolve().parent.parent


def run_bot(args: list[str], database_url: str, stdin: str = "") -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_terminal_chat_reads_piped_lines_shows_choices_and_exits_at_end_of_input(sqlite_url):
    said = run_bot(["chat", "--user", "Uterm"], sqlite_url,
                   "เริ่ม\n1\n1.1\nคลินิกดินเคลื่อนที่\nเกษตรกร 300 รายรอผลตรวจดิน 30 วัน\n")
    assert "เลือกสาขารางวัล" in said
    assert "[1 บริการภาครัฐ] [2 แบบมีส่วนร่วม]" in said
    assert "ข้อ 1 จาก 10" in said
    assert "[ถัดไป] [ข้าม]" in said
    assert "บันทึกข้อ 1 แล้ว" in said


@pytest.mark.slow
def test_a_new_process_finds_every_word_and_the_place(sqlite_url):
    run_bot(["chat", "--user", "Uterm"], sqlite_url,
            "เริ่ม\n2.2\nป่าชุมชนบ้านนา\nส่วนแรก\nถัดไป\nส่วนของข้อสอง\n")
    said = run_bot(["chat", "--user", "Uterm"], sqlite_url, "ทำต่อ\nส่วนที่สองของข้อสอง\n")
    assert "ข้อ 2 จาก 12" in said
    exported = json.loads(run_bot(["export", "--user", "Uterm", "--format", "json"], sqlite_url))
    assert exported == {"applications": [{
        "id": 1, "track": "participatory", "year": 2564, "category": "2.2",
        "title": "ป่าชุมชนบ้านนา", "current_question": 2,
        "answers": {"1": "ส่วนแรก", "2": "ส่วนของข้อสอง\nส่วนที่สองของข้อสอง"}}]}


@pytest.mark.slow
def test_group_chat_in_the_terminal_belongs_to_the_group(sqlite_url):
    run_bot(["chat", "--user", "U1", "--group", "Cteam"], sqlite_url,
            "เริ่ม\n1.5\nตรวจดินออนไลน์ช่วงโควิด\nของคนแรก\n")
    run_bot(["chat", "--user", "U2", "--group", "Cteam"], sqlite_url, "ของคนที่สอง\n")
    exported = json.loads(run_bot(["export", "--user", "U1", "--group", "Cteam"], sqlite_url))
    assert exported["applications"][0]["answers"] == {"1": "ของคนแรก\nของคนที่สอง"}
    assert json.loads(run_bot(["export", "--user", "U1"], sqlite_url)) == {"applications": []}


def test_the_terminal_prompt_comes_from_the_wording_file():
    out = StringIO()
    run_chat(["สวัสดี\n"], out, process=lambda event: [], user="Uterm", group=None, prompt=True)

    prompt = default_texts().cli.prompt
    assert out.getvalue() == f"{prompt}\n> > \n"
    assert prompt.startswith(f"{default_texts().bot_name} — ")


def test_rubrics_are_listed_in_the_wording_of_the_file(capsys):
    assert cmd_rubrics(argparse.Namespace(json=False)) == 0

    lines = capsys.readouterr().out.splitlines()
    assert "2564 public_service: รางวัลบริการภาครัฐ (100 คะแนน)" in lines
    assert "  มิติที่ 1 การวิเคราะห์ปัญหา: 10 คะแนน, 1 ข้อ" in lines


def test_the_help_names_the_bot_and_the_command_words(capsys):
    parser = build_parser()
    with pytest.raises(SystemExit):
        parser.parse_args(["chat", "--help"])

    assert parser.description == default_texts().bot_name
    assert "folder where ดูร่าง writes the files" in capsys.readouterr().out


#: An officer's morning, typed as people type: a typo of "next" (then "yes"), thanks and a
#: polite "next" between the parts of answers, a typo of "draft" they go on past, and a
#: message sent by mistake, taken back with undo.
TYPED_AS_PEOPLE_TYPE = [
    "เริ่ม", "1.1", "คลินิกดินเคลื่อนที่",
    "เกษตรกร 300 ราย", "รอผลตรวจดิน 30 วัน", "ถัดไบ", "ใช่",
    "ข้อสองส่วนแรก", "ขอบคุณครับ", "ข้อสองส่วนที่สอง", "ถัดไปครับ",
    "ข้อสามส่วนเดียว", "ดูราง", "ข้อสามต่อ", "ข้อความที่ส่งผิดข้อ", "ลบข้อความล่าสุด",
    "ขอบคุณมากครับ 🙏", "ถัดไป",
]
#: What each answer must hold, exactly: only the messages meant for it.
MEANT_ANSWERS = {"1": "เกษตรกร 300 ราย\nรอผลตรวจดิน 30 วัน",
                 "2": "ข้อสองส่วนแรก\nข้อสองส่วนที่สอง",
                 "3": "ข้อสามส่วนเดียว\nข้อสามต่อ"}
NOT_MEANT = ("ถัดไบ", "ถัดไป", "ขอบคุณ", "ดูราง", "ใช่", "🙏", "ส่งผิดข้อ", "ลบข้อความ")


def check_meant_answers(exported: dict) -> None:
    """Assert each answer holds exactly its messages, and no command or courtesy word."""
    answers = exported["applications"][0]["answers"]
    assert answers == MEANT_ANSWERS
    written = json.dumps(answers, ensure_ascii=False)
    assert [word for word in NOT_MEANT if word in written] == []


def test_a_piped_chat_echoes_each_line_before_the_answer():
    out = StringIO()
    run_chat(["สวัสดี\n", "\n", "ถัดไป\n"], out, process=lambda event: [Text(f"={event.text}")],
             user="Uterm", group=None, prompt=False, echo=True)

    assert out.getvalue() == "> สวัสดี\n=สวัสดี\n\n> ถัดไป\n=ถัดไป\n\n"


def test_typos_polite_commands_and_thanks_stay_out_of_the_answers(sqlite_url, capsys):
    from bot.service import CoachService

    service = CoachService.create(sqlite_url)
    out = StringIO()
    run_chat([f"{line}\n" for line in TYPED_AS_PEOPLE_TYPE], out,
             process=lambda event: service.process(event).replies, user="Uterm", group=None,
             prompt=False, echo=True)
    said = out.getvalue()
    assert '> ถัดไบ\nหมายถึง "ถัดไป" ใช่ไหมครับ' in said
    assert "[ใช่ ถัดไป] [ไม่ใช่ เป็นคำตอบ]" in said
    assert '> ลบข้อความล่าสุด\nข้อความ "ดูราง" ที่พักไว้ไม่ได้บันทึกครับ' in said
    assert 'เอาข้อความล่าสุดของคุณออกแล้วครับ “ข้อความที่ส่งผิดข้อ”' in said

    assert main(["--database", sqlite_url, "export", "--user", "Uterm"]) == 0
    check_meant_answers(json.loads(capsys.readouterr().out))


@pytest.mark.slow
def test_typos_polite_commands_and_thanks_piped_to_python_m_bot_stay_out_of_the_export(
        sqlite_url):
    said = run_bot(["chat", "--user", "Uterm"], sqlite_url,
                   "".join(f"{line}\n" for line in TYPED_AS_PEOPLE_TYPE))
    assert "> ขอบคุณครับ\n🙏 ครับ (ข้อความนี้ไม่ได้บันทึกในคำตอบ)" in said
    check_meant_answers(json.loads(run_bot(["export", "--user", "Uterm"], sqlite_url)))


def write_one_application(database_url: str) -> None:
    """Start an application in the terminal chat and answer its first question."""
    from bot.service import CoachService

    service = CoachService.create(database_url)
    run_chat([f"{line}\n" for line in ("เริ่ม", "1.1", "คลินิกดินเคลื่อนที่",
                                        "เกษตรกร 300 รายรอผลตรวจดิน 30 วัน")], StringIO(),
             process=lambda event: service.process(event).replies, user="Uterm", group=None,
             prompt=False, echo=False)


@pytest.mark.parametrize(("flags", "coached"), [([], False), (["--edition", "clean"], False),
                                                (["--edition", "working"], True)])
def test_draft_writes_the_clean_edition_unless_told_working(sqlite_url, tmp_path, capsys,
                                                            flags, coached):
    write_one_application(sqlite_url)
    output = tmp_path / "draft.txt"

    status = main(["--database", sqlite_url, "draft", "--user", "Uterm", "--format", "txt",
                   "-o", str(output), *flags])

    text = output.read_text(encoding="utf-8")
    assert (status, capsys.readouterr().out) == (0, f"{output}\n")
    assert ("เกษตรกร 300 ราย" in text, "จำนวนตัวอักษร" in text, "ความยาว" in text) == (
        True, True, coached)


def test_draft_refuses_an_unknown_edition(sqlite_url, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--database", sqlite_url, "draft", "--user", "Uterm", "--format", "pdf",
              "-o", str(tmp_path / "d.pdf"), "--edition", "final"])

    assert (exit_.value.code, "invalid choice: 'final'" in capsys.readouterr().err) == (2, True)


def test_cli_editions_are_the_draft_editions():
    import bot.draft
    from bot import cli

    assert cli.DRAFT_EDITIONS == bot.draft.EDITIONS


@pytest.mark.parametrize("argv", [
    ["--database", "sqlite:///sim.sqlite3", "serve", "--port", "0"],
    ["--database=sqlite:///sim.sqlite3", "serve", "--port", "0"],
    ["serve", "--port", "0", "--database", "sqlite:///sim.sqlite3"],
])
def test_serve_takes_the_database_given_before_or_after_the_command(
        argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.simulator

    seen: list[list[str]] = []
    monkeypatch.setattr(bot.simulator, "main", lambda args: seen.append(args) or 0)

    assert main(argv) == 0
    (given,) = seen
    database = given[given.index("--database") + 1] if "--database" in given else next(
        arg.split("=", 1)[1] for arg in given if arg.startswith("--database="))
    assert (database, given[:2]) == ("sqlite:///sim.sqlite3", ["--port", "0"])
