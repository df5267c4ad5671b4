"""Time the draft builders on a full application: 13 answers of 2,000 Thai characters.

Run: ``python bench/draft.py [--runs 9]``. For each format it prints the first (cold)
build in this process — the DOCX template, the fonts and PyThaiNLP's word list are loaded
on first use, and the draft is made without touching PyThaiNLP so the PDF pays for it —
and the median of ``--runs`` builds after one warm-up, next to the project's goal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_start = time.perf_counter()
from bot.draft import EDITIONS, build_docx, build_pdf, build_text, render_preview  # noqa: E402

IMPORT_MS = (time.perf_counter() - _start) * 1000

from bot.analysis.report import Finding, Report  # noqa: E402
from bot.draft.model import Draft, DraftAnswer  # noqa: E402
from bot.draft.samples import GENERATED_AT, PARTICIPATORY_ANSWERS  # noqa: E402
from bot.rubrics import default_rubrics  # noqa: E402

ANSWER_CHARS = 2000
#: Goals in milliseconds for the warm median; the text export has none.
GOALS_MS = {"docx": 300, "pdf": 1500, "txt": None, "preview": 100}
#: Download links keyed as the preview expects them ("<edition>/<format>").
LINKS = {f"{edition}/{fmt}": f"/d/1/{edition}/{fmt}" for edition in EDITIONS
         for fmt in ("docx", "pdf", "txt")}


def long_answer(rng: random.Random) -> str:
    """Shuffle real answer sentences into about 2,000 characters in a few paragraphs."""
    sentences = [s for text in PARTICIPATORY_ANSWERS.values()
                 for s in text.replace("\n", " ").split(" ") if s]
    words: list[str] = []
    while len(" ".join(words)) < ANSWER_CHARS:
        words.append(rng.choice(sentences))
        if rng.random() < 0.04:
            words.append("\n")
    return " ".join(words)[:ANSWER_CHARS].replace(" \n ", "\n")


def long_draft() -> Draft:
    """Return a category 2.3 application with 13 long answers, findings on every other one."""
    rng = random.Random(2564)
    rubric = default_rubrics().get("participatory", 2564)
    rows = []
    for question in rubric.questions_for("2.3"):
        text = long_answer(rng)
        findings: tuple[Finding, ...] = ()
        if question.number % 2:
            findings = (Finding("no_statistics", "ยังไม่มีตัวเลขประกอบ", quote=text[40:60]),
                        Finding("too_short", "คำตอบสั้นกว่าที่ควร"))
        # Rough counts: the real word count would load PyThaiNLP before the cold builds.
        report = Report(words=len(text.split()), chars=len(text), findings=findings)
        rows.append(DraftAnswer(question=question, text=text, status="answered", report=report))
    return Draft(application_id=1, title="เครือข่ายคนรักษ์ลำห้วย (bench)",
                 agency="องค์การบริหารส่วนตำบลหนองสาหร่าย", rubric=rubric,
                 category=rubric.category("2.3"), answers=tuple(rows), generated_at=GENERATED_AT)


def timed(build: Callable[[], object]) -> float:
    """Run ``build`` once and return the time it took in milliseconds."""
    start = time.perf_counter()
    build()
    return (time.perf_counter() - start) * 1000


def fresh_warm_up_ms() -> float:
    """Time ``bot.draft.warm_up()`` in a new interpreter, where nothing is loaded yet."""
    code = ("import time; from bot.draft import warm_up; t = time.perf_counter(); warm_up(); "
            "print((time.perf_counter() - t) * 1000)")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, check=True,
                         capture_output=True, text=True)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    """Print cold and warm build times of every format."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed builds after the warm-up")
    args = parser.parse_args(argv)
    draft = long_draft()
    builders = {
        "docx": lambda: build_docx(draft),
        "pdf": lambda: build_pdf(draft),
        "txt": lambda: build_text(draft),
        "preview": lambda: render_preview(draft, LINKS, font_url="/fonts/{weight}.ttf"),
    }
    chars = sum(len(a.text) for a in draft.answers)
    print(f"import bot.draft: {IMPORT_MS:.0f} ms")
    print(f"draft: {len(draft.answers)} answers, {chars:,} characters; {args.runs} runs each")
    print(f"{'format':<8} {'cold ms':>9} {'median ms':>10} {'min ms':>8} {'goal ms':>8}  result")
    for name, build in builders.items():
        cold = timed(build)
        timed(build)
        runs = [timed(build) for _ in range(args.runs)]
        median = statistics.median(runs)
        goal = GOALS_MS[name]
        verdict = "-" if goal is None else ("ok" if median < goal else "MISSED")
        print(f"{name:<8} {cold:>9.1f} {median:>10.1f} {min(runs):>8.1f} "
              f"{goal if goal else '-':>8}  {verdict}")
    size = {"docx": len(build_docx(draft)), "pdf": len(build_pdf(draft))}
    print(f"warm_up() in a fresh process: {fresh_warm_up_ms():.0f} ms")
    print(f"sizes: docx {size['docx'] / 1024:.0f} KiB, pdf {size['pdf'] / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
