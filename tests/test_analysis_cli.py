"""Tests for ``python -m bot analyze`` (bot.analysis.cli): called directly, then in a subprocess."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.analysis import analyze
from bot.analysis.cli import main
from bot.analysis.messages import default_messages
from bot.analysis.report import Report
from bot.rubrics import default_rubrics

ROOT = Path(__file__).resolve().parent.parent
WEAK = "ผลผลิตข้าวเพิ่มขึ้นเป็นจำนวนมาก ติดต่อ 081-234-5678"
GOOD = "ผู้รับบริการเพิ่มขึ้นจาก 120 ราย เป็น 450 ราย"


def call(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """Run the command in-process and return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def analyze_one(text: str, track: str, number: int, category: str | None = None) -> Report:
    """Return the library's own report on ``text``."""
    rubrics = default_rubrics()
    rubric = rubrics.get(track, rubrics.latest_year)
    return analyze(text, rubric.question(number), rubric, category)


def expected_report(text: str, track: str, number: int, category: str | None = None) -> dict:
    """Return what the library itself says about ``text``."""
    return analyze_one(text, track, number, category).to_dict()


# --- One answer --------------------------------------------------------------------------


def test_json_prints_exactly_the_report_object():
    status, out, _ = call(["--track", "public_service", "--question", "5", "--json"], WEAK)
    assert status == 0
    assert out.count("\n") == 1
    assert json.loads(out) == expected_report(WEAK, "public_service", 5)


def test_json_findings_have_code_message_and_quote():
    _, out, _ = call(["--track", "public_service", "--question", "5", "--json"], WEAK)
    findings = json.loads(out)["findings"]
    assert {k: findings[0][k] for k in ("code", "quote")} == {
        "code": "personal_data", "quote": "081-xxx-xx78"}
    assert [f["code"] for f in findings if f["quote"] is None][:3] == [
        "no_statistics", "no_before_after", "no_beneficiaries"]


def test_category_turns_on_its_checks():
    argv = ["--track", "public_service", "--question", "3", "--json"]
    text = "ยกเลิกระเบียบ และลดขั้นตอนจาก 6 ขั้นตอน เหลือ 2 ขั้นตอน"
    without = {f["code"] for f in json.loads(call(argv, text)[1])["findings"]}
    with_category = {f["code"]
                     for f in json.loads(call(argv + ["--category", "1.6"], text)[1])["findings"]}
    assert with_category - without == {"no_facilitation"}


def test_human_report_lists_counts_and_findings_in_order_with_quotes():
    status, out, _ = call(["--track", "public_service", "--question", "5"], WEAK)
    cli = default_messages().cli
    report = expected_report(WEAK, "public_service", 5)
    lines = out.splitlines()
    assert status == 0
    assert lines[0] == cli["heading"].format(track="รางวัลบริการภาครัฐ", question=5, weight="20")
    assert lines[1] == cli["counts"].format(words=report["words"], chars=report["chars"])
    numbered = [line for line in lines if line[:1].isdigit()]
    assert numbered == [cli["finding"].format(number=i, message=f["message"])
                        for i, f in enumerate(report["findings"], start=1)]
    assert cli["quote"].format(quote="081-xxx-xx78") in lines


def test_human_report_without_findings_says_so():
    # Twenty different lines: one line pasted twenty times would be repeated text.
    names = ["ผู้รับบริการ", "ผู้ป่วยนอก", "ผู้ยื่นคำขอ", "นักเรียน", "ผู้ประกอบการ"]
    text = "\n".join(f"ปี 2563 มี{names[i % 5]}สาขาที่ {i + 1} จำนวน {3200 + 17 * i:,} ราย "
                     f"ปี 2564 เพิ่มเป็น {5800 + 23 * i:,} ราย หรือเพิ่มขึ้นร้อยละ {40 + i}"
                     for i in range(20))
    status, out, _ = call(["--track", "public_service", "--question", "6"], text)
    assert status == 0
    assert default_messages().cli["none"] in out


def test_human_report_gives_the_sentence_to_complete_and_explain_gives_each_rule():
    text = "ผู้รับบริการ 400 ราย\nระบบช่วยลดขั้นตอนการขออนุญาต"
    argv = ["--track", "public_service", "--question", "5"]
    cli = default_messages().cli
    report = analyze_one(text, "public_service", 5)
    _, plain, _ = call(argv, text)
    _, explained, _ = call(argv + ["--explain"], text)
    claim = next(f for f in report.findings if f.code == "unproven_claim")
    assert cli["quote"].format(quote=claim.quote) in plain.splitlines()
    assert claim.fill_in in plain
    assert all(cli["reason"].format(reason=f.reason) not in plain for f in report.findings)
    assert [cli["reason"].format(reason=f.reason) for f in report.findings] == [
        line for line in explained.splitlines() if line.startswith(cli["reason"][:6])]


def test_a_fill_in_not_in_the_message_gets_its_own_line():
    _, out, _ = call(["--track", "public_service", "--question", "5"], "ผู้รับบริการ 400 ราย")
    template = default_messages().fill_ins["no_before_after"].text
    assert default_messages().cli["fill_in"].format(fill_in=template) in out.splitlines()


def test_json_gives_each_findings_span_in_the_text_and_its_reason():
    text = "ปี 2564 เปิดบริการออนไลน์ ระบบช่วยลดขั้นตอนการขออนุญาต"
    _, out, _ = call(["--track", "public_service", "--question", "5", "--json"], text)
    claim = next(f for f in json.loads(out)["findings"] if f["code"] == "unproven_claim")
    start, end = claim["span"]
    assert text[start:end] == "ลดขั้นตอน"
    assert claim["reason"].startswith("steps claim")


def test_explain_and_json_together_are_refused():
    with pytest.raises(SystemExit) as exc:
        call(["--json", "--explain"])
    assert exc.value.code == 2


def test_year_defaults_to_the_newest_rubric():
    latest = str(default_rubrics().latest_year)
    argv = ["--track", "public_service", "--question", "5", "--json"]
    assert call(argv, WEAK) == call(argv + ["--year", latest], WEAK)


def test_leading_subcommand_name_is_accepted():
    argv = ["--track", "public_service", "--question", "5", "--json"]
    assert call(["analyze"] + argv, WEAK) == call(argv, WEAK)


@pytest.mark.parametrize("argv, named", [
    (["--track", "nope", "--question", "5"], "'nope'"),
    (["--track", "public_service", "--question", "99"], "no question 99"),
    (["--track", "public_service", "--question", "5", "--category", "7.7"], "'7.7'"),
    (["--track", "public_service", "--question", "5", "--year", "2500"], "2500"),
    (["--question", "5"], "--track and --question are required"),
])
def test_bad_request_exits_2_and_names_the_problem(argv, named):
    status, out, err = call(argv, WEAK)
    assert (status, out) == (2, "")
    assert named in err


def test_json_and_jsonl_together_are_refused():
    with pytest.raises(SystemExit) as exc:
        call(["--json", "--jsonl"])
    assert exc.value.code == 2


# --- Many answers ------------------------------------------------------------------------


def test_jsonl_gives_one_report_per_line_in_order():
    requests = [
        {"track": "public_service", "question": 5, "text": WEAK},
        {"track": "participatory", "question": 6, "category": "2.2", "text": "ประชาสัมพันธ์โครงการ"},
        {"track": "public_service", "question": 10, "year": 2564, "text": "สอดคล้องกับ SDG 2"},
    ]
    stdin = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in requests)
    status, out, _ = call(["--jsonl"], stdin)
    assert status == 0
    assert [json.loads(line) for line in out.splitlines()] == [
        expected_report(WEAK, "public_service", 5),
        expected_report("ประชาสัมพันธ์โครงการ", "participatory", 6, "2.2"),
        expected_report("สอดคล้องกับ SDG 2", "public_service", 10),
    ]


def test_jsonl_bad_lines_get_an_error_on_their_own_line():
    good = json.dumps({"track": "public_service", "question": 5, "text": GOOD}, ensure_ascii=False)
    lines = [
        good,
        "not json",
        "",
        json.dumps(["a", "list"]),
        json.dumps({"track": "public_service", "question": 5}),
        json.dumps({"track": "public_service", "question": "5", "text": "x"}),
        json.dumps({"track": "mars", "question": 1, "text": "x"}),
        json.dumps({"track": "participatory", "question": 13, "category": "9.9", "text": "x"}),
        good,
    ]
    status, out, _ = call(["--jsonl"], "\n".join(lines) + "\n")
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert len(results) == len(lines)
    assert results[0] == results[-1] == expected_report(GOOD, "public_service", 5)
    assert [sorted(r) for r in results[1:-1]] == [["error"]] * (len(lines) - 2)
    assert "text" in results[4]["error"] and "'mars'" in results[6]["error"]


# --- In a subprocess ---------------------------------------------------------------------


def _subprocess(args: list[str], stdin: str,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, *args], input=stdin.encode("utf-8"), cwd=ROOT,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=120)


@pytest.mark.slow
def test_subprocess_through_the_cli_module():
    code = "import sys; from bot.analysis.cli import main; sys.exit(main(sys.argv[1:]))"
    done = _subprocess(["-c", code, "--track", "public_service", "--question", "5", "--json"], WEAK)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8")) == expected_report(WEAK, "public_service", 5)


@pytest.mark.slow
def test_subprocess_python_m_bot_analyze_jsonl_in_a_c_locale():
    request = json.dumps({"track": "public_service", "question": 5, "text": GOOD},
                         ensure_ascii=False)
    done = _subprocess(["-m", "bot", "analyze", "--jsonl"], request + "\nbroken\n",
                       env={"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0",
                            "PYTHONUTF8": "0", "PYTHONIOENCODING": ""})
    lines = done.stdout.decode("utf-8").splitlines()
    assert done.returncode == 1, done.stderr.decode()
    assert json.loads(lines[0]) == expected_report(GOOD, "public_service", 5)
    assert list(json.loads(lines[1])) == ["error"]
