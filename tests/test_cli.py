"""The terminal chat and export, as an officer would use them: piped lines, new processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_bot(args: list[str], database_url: str, stdin: str = "") -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_terminal_chat_reads_piped_lines_shows_choices_and_exits_at_end_of_input(sqlite_url):
    said = run_bot(["chat", "--user", "Uterm"], sqlite_url,
                   "เริ่ม\n1\n1.1\nคลินิกดินเคลื่อนที่\nเกษตรกร 300 รายรอผลตรวจดิน 30 วัน\n")
    assert "เลือกสาขารางวัล" in said
    assert "[1 บริการภาครัฐ] [2 แบบมีส่วนร่วม]" in said
    assert "ข้อ 1 (1/10)" in said
    assert "[ถัดไป] [ข้าม]" in said
    assert "บันทึกข้อ 1 แล้ว" in said


def test_a_new_process_finds_every_word_and_the_place(sqlite_url):
    run_bot(["chat", "--user", "Uterm"], sqlite_url,
            "เริ่ม\n2.2\nป่าชุมชนบ้านนา\nส่วนแรก\nถัดไป\nส่วนของข้อสอง\n")
    said = run_bot(["chat", "--user", "Uterm"], sqlite_url, "ทำต่อ\nส่วนที่สองของข้อสอง\n")
    assert "ข้อ 2 (2/12)" in said
    exported = json.loads(run_bot(["export", "--user", "Uterm", "--format", "json"], sqlite_url))
    assert exported == {"applications": [{
        "id": 1, "track": "participatory", "year": 2564, "category": "2.2",
        "title": "ป่าชุมชนบ้านนา", "current_question": 2,
        "answers": {"1": "ส่วนแรก", "2": "ส่วนของข้อสอง\nส่วนที่สองของข้อสอง"}}]}


def test_group_chat_in_the_terminal_belongs_to_the_group(sqlite_url):
    run_bot(["chat", "--user", "U1", "--group", "Cteam"], sqlite_url,
            "เริ่ม\n1.5\nตรวจดินออนไลน์ช่วงโควิด\nของคนแรก\n")
    run_bot(["chat", "--user", "U2", "--group", "Cteam"], sqlite_url, "ของคนที่สอง\n")
    exported = json.loads(run_bot(["export", "--user", "U1", "--group", "Cteam"], sqlite_url))
    assert exported["applications"][0]["answers"] == {"1": "ของคนแรก\nของคนที่สอง"}
    assert json.loads(run_bot(["export", "--user", "U1"], sqlite_url)) == {"applications": []}
