"""``python -m bot analyze``: analyse answers from the command line.

One answer, read from standard input::

    python -m bot analyze --track public_service --question 5 \\
        [--category 1.3] [--year 2564] [--json | --explain]

prints a Thai report (counts, then the findings most important first, each with the words
it quotes and the sentence to complete when it asks for a figure; ``--explain`` adds the
rule that fired, for developers), or with ``--json`` exactly one object ``{"words",
"chars", "findings": [{"code", "message", "quote", "span", "reason"}]}`` (``span``: start
and end offsets of the words concerned in the text read, or null for the whole answer).
Many answers, one JSON object per input line::

    python -m bot analyze --jsonl < answers.jsonl

where each line is ``{"track", "question", "category"?, "year"?, "text"}``; each gives one
output line, in order: the report object, or ``{"error": "..."}`` when the line cannot be
analysed (every input line, blank ones included, gets its output line, so line numbers
match). The year defaults to the newest rubric year.

Exit status: 0 when everything was analysed, 1 when a ``--jsonl`` line had an error, 2 for
a bad command line, track, question, category or year.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from bot.analysis.analyzer import analyze, warm_up
from bot.analysis.messages import default_messages
from bot.analysis.report import Report
from bot.rubrics import Question, Rubric, default_rubrics


class RequestError(ValueError):
    """An analysis request names a track, question, category or year that does not exist."""


def build_parser() -> argparse.ArgumentParser:
    """Return the parser for ``python -m bot analyze``."""
    parser = argparse.ArgumentParser(
        prog="python -m bot analyze",
        description="Analyse an answer read from standard input (or one answer per line "
                    "with --jsonl) and report its word count, character count and findings.")
    parser.add_argument("--track", help="award track, e.g. public_service or participatory")
    parser.add_argument("--question", type=int, help="question number in the rubric")
    parser.add_argument("--category", help="award category code, e.g. 1.3 (turns on its checks)")
    parser.add_argument("--year", type=int, help="rubric year (default: the newest)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--jsonl", action="store_true",
                        help="read one JSON request per line, print one JSON report per line")
    output.add_argument("--explain", action="store_true",
                        help="under each finding, print the rule that fired (for developers)")
    return parser


def resolve(track: Any, number: Any, category: Any = None,
            year: Any = None) -> tuple[Rubric, Question, str | None]:
    """Find the rubric, question and category an analysis request names."""
    rubrics = default_rubrics()
    year = rubrics.latest_year if year is None else year
    if not isinstance(year, int) or isinstance(year, bool):
        raise RequestError(f"year must be a whole number, got {year!r}")
    if not isinstance(track, str):
        raise RequestError(f"track must be a string, got {track!r}")
    try:
        rubric = rubrics.get(track, year)
    except KeyError:
        tracks = ", ".join(sorted({r.track for r in rubrics}))
        years = ", ".join(str(y) for y in sorted({r.year for r in rubrics}))
        raise RequestError(f"no rubric for track {track!r} in {year}; "
                           f"tracks: {tracks}; years: {years}") from None
    if not isinstance(number, int) or isinstance(number, bool):
        raise RequestError(f"question must be a whole number, got {number!r}")
    try:
        question = rubric.question(number)
    except KeyError:
        raise RequestError(f"no question {number} in {track} {year}; "
                           f"questions 1 to {len(rubric.questions)}") from None
    if category is not None:
        codes = [c.code for c in rubric.categories]
        if not isinstance(category, str) or category not in codes:
            raise RequestError(f"no category {category!r} in {track} {year}; "
                               f"categories: {', '.join(codes)}")
    return rubric, question, category


def human_report(report: Report, rubric: Rubric, question: Question, *,
                 explain: bool = False) -> str:
    """Write a report as Thai text for the terminal (``explain``: with each rule that fired)."""
    lines = default_messages().cli
    out = [lines["heading"].format(track=rubric.name, question=question.number,
                                   weight=f"{question.weight:g}"),
           lines["counts"].format(words=f"{report.words:,}", chars=f"{report.chars:,}"), ""]
    if not report.findings:
        out.append(lines["none"])
    else:
        out.append(lines["findings"].format(count=len(report.findings)))
        for number, finding in enumerate(report.findings, start=1):
            out.append(lines["finding"].format(number=number, message=finding.message))
            if finding.quote:
                out.append(lines["quote"].format(quote=finding.quote))
            if finding.fill_in and finding.fill_in not in finding.message:
                out.append(lines["fill_in"].format(fill_in=finding.fill_in))
            if explain and finding.reason:
                out.append(lines["reason"].format(reason=finding.reason))
    return "\n".join(out) + "\n"


def to_json(data: dict[str, Any]) -> str:
    """Return one line of JSON with Thai left readable."""
    return json.dumps(data, ensure_ascii=False)


def analyze_request(line: str) -> dict[str, Any]:
    """Analyse one ``--jsonl`` line and return its report, or an error object."""
    try:
        request = json.loads(line)
    except ValueError as exc:
        return {"error": f"not valid JSON: {exc}"}
    if not isinstance(request, dict):
        return {"error": "expected a JSON object"}
    text = request.get("text")
    if not isinstance(text, str):
        return {"error": "field 'text' is missing or not a string"}
    try:
        rubric, question, category = resolve(request.get("track"), request.get("question"),
                                             request.get("category"), request.get("year"))
    except RequestError as exc:
        return {"error": str(exc)}
    return analyze(text, question, rubric, category).to_dict()


def run_jsonl(lines: Iterable[str], out: TextIO) -> int:
    """Answer each request line with one report line; return 1 if any line failed."""
    failed = False
    for line in lines:
        result = analyze_request(line) if line.strip() else {"error": "empty line"}
        failed = failed or "error" in result
        out.write(to_json(result) + "\n")
        out.flush()
    return 1 if failed else 0


def _utf8(stream: TextIO) -> TextIO:
    """Make a standard stream read and write UTF-8 whatever the locale says."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
        reconfigure(encoding="utf-8")
    return stream


def main(argv: list[str], *, stdin: TextIO | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run ``python -m bot analyze`` with ``argv`` (the arguments after ``analyze``)."""
    stdin = stdin or _utf8(sys.stdin)
    stdout = stdout or _utf8(sys.stdout)
    stderr = stderr or sys.stderr
    if argv[:1] == ["analyze"]:
        argv = argv[1:]  # also accept the sub-command name itself
    parser = build_parser()
    args = parser.parse_args(argv)
    warm_up()
    if args.jsonl:
        return run_jsonl(stdin, stdout)
    if args.track is None or args.question is None:
        parser.print_usage(stderr)
        stderr.write("python -m bot analyze: --track and --question are required without --jsonl\n")
        return 2
    try:
        rubric, question, category = resolve(args.track, args.question, args.category, args.year)
    except RequestError as exc:
        stderr.write(f"python -m bot analyze: {exc}\n")
        return 2
    report = analyze(stdin.read(), question, rubric, category)
    stdout.write(to_json(report.to_dict()) + "\n" if args.json
                 else human_report(report, rubric, question, explain=args.explain))
    return 0
