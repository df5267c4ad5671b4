"""Time bot.analysis against the bare tokenizer on realistic Thai answers.

Run: ``/work/venv/bin/python bench/analysis.py [--repeat 300]``

The sample is the answers tagged ``prose`` in tests/data/analysis_cases.yaml, repeated and
cut at a space to 5,000 characters (a long answer to a 20-point question). It prints:

* characters per second of the bare tokenizer (``word_tokenize(text, engine="nlpo3")``, the
  call a plain word count would make) and of the whole analysis on the same text, for the
  heaviest question/category pairs, with the ratio between them;
* the time to analyse the 5,000-character answer;
* per 1,000 characters and first-call cost of the tokenizer engines newmm, nlpo3 and
  longest (longest on a shorter text: it is two orders of magnitude slower);
* the first-call cost of the analysis in a fresh process: import, ``warm_up()``, first
  ``analyze()``;
* the time for adversarial answers of 40,000 to 100,000 characters (one word repeated,
  long runs of spaces or digits), which must grow linearly, not quadratically.

Figures only; nothing here asserts on wall-clock time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis import analyze, warm_up  # noqa: E402  (needs the repository on sys.path)
from bot.rubrics import default_rubrics  # noqa: E402

CASES = ROOT / "tests" / "data" / "analysis_cases.yaml"
LENGTH = 5_000
#: (track, question, category): the questions with the most checks switched on.
TARGETS = [("public_service", 5, "1.3"), ("public_service", 6, "1.6"),
           ("participatory", 10, "2.4"), ("public_service", 7, None)]

FIRST_CALL = """
import time
t0 = time.perf_counter()
from bot.analysis import analyze, warm_up
from bot.rubrics import default_rubrics
t1 = time.perf_counter()
warm_up()
rubric = default_rubrics().get("public_service", default_rubrics().latest_year)
t2 = time.perf_counter()
analyze({text!r}, rubric.question(5), rubric, "1.3")
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""
ENGINE_FIRST_CALL = """
import time
from pythainlp.tokenize import word_tokenize
t0 = time.perf_counter()
word_tokenize("ผลผลิตข้าวเพิ่มขึ้น", engine={engine!r})
print(time.perf_counter() - t0)
"""


def sample(length: int = LENGTH, *, weak: bool = False) -> str:
    """Return answer text of about ``length`` characters, cut at a space.

    The default is the realistic answers; ``weak`` joins the cases written without a single
    digit, the answers on which every check has to read to the end before giving up.
    """
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    if weak:
        chosen = [c["text"] for c in cases if c["text"].strip()
                  and not any(ch.isdigit() for ch in c["text"])]
    else:
        chosen = [c["text"] for c in cases if "prose" in c.get("tags", ())]
    prose = "\n".join(chosen)
    text = prose
    while len(text) < length:
        text += "\n" + prose
    return text[:text.rindex(" ", 0, length)]


def best_time(call: Callable[[], object], repeat: int) -> float:
    """Return the median time of ``call`` in seconds over ``repeat`` runs after one warm run."""
    call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fresh_process(code: str) -> list[float]:
    """Run ``code`` in a new interpreter and return the floats it prints."""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    return [float(x) for x in out.split()]


def engines(text: str, repeat: int) -> None:
    """Print per-1,000-character and first-call cost of each tokenizer engine."""
    from pythainlp.tokenize import word_tokenize

    print("tokenizer engines (PyThaiNLP word_tokenize):")
    for engine, chars in (("nlpo3", len(text)), ("newmm", len(text)), ("longest", 1_000)):
        part = text[:chars]
        seconds = best_time(partial(word_tokenize, part, engine=engine),
                            repeat if engine != "longest" else 3)
        first = statistics.median(
            fresh_process(ENGINE_FIRST_CALL.format(engine=engine))[0] for _ in range(3))
        print(f"  {engine:8s} {seconds / len(part) * 1e6:8.3f} ms per 1,000 chars   "
              f"first call {first:.3f} s")


def adversarial() -> None:
    """Print the time of answers built to make badly written regexes backtrack."""
    rubrics = default_rubrics()
    rubric = rubrics.get("participatory", rubrics.latest_year)
    inputs = {"realistic ×20": sample(100_000), "เดิม ×10,000": "เดิม" * 10_000,
              "จาก 5 ×10,000": "จาก 5 " * 10_000, "สามร้อยห้าสิบ ×5,000": "สามร้อยห้าสิบ" * 5_000,
              "digit and space ×30,000": "1 " * 30_000, "50,000 spaces": "ก" + " " * 50_000 + "ข",
              "ตำบล + 50,000 letters": "ตำบล" + "ก" * 50_000}
    question = rubric.question(10)
    print("adversarial answers (participatory q10, category 2.4):")
    for label, text in inputs.items():
        seconds = best_time(partial(analyze, text, question, rubric, "2.4"), 3)
        print(f"  {label:24s} {len(text):8,} chars {seconds * 1e3:8.1f} ms")


def main(argv: list[str]) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args(argv)
    from pythainlp.tokenize import word_tokenize

    warm_up()
    text = sample()
    rubrics = default_rubrics()
    bare = best_time(lambda: word_tokenize(text, engine="nlpo3"), args.repeat)
    print(f"sample: {len(text):,} characters of realistic answers")
    print(f"bare tokenizer (nlpo3):          {len(text) / bare:12,.0f} chars/s  "
          f"{bare * 1e3:6.2f} ms")
    for track, number, category in TARGETS:
        rubric = rubrics.get(track, rubrics.latest_year)
        question = rubric.question(number)
        whole = best_time(partial(analyze, text, question, rubric, category), args.repeat)
        label = f"{track} q{number} {category or '-'}"
        print(f"analysis {label:23s} {len(text) / whole:12,.0f} chars/s  "
              f"{whole * 1e3:6.2f} ms  ratio {whole / bare:4.2f}x")
    weak = sample(weak=True)
    weak_bare = best_time(lambda: word_tokenize(weak, engine="nlpo3"), args.repeat)
    rubric = rubrics.get("public_service", rubrics.latest_year)
    whole = best_time(lambda: analyze(weak, rubric.question(5), rubric, "1.3"), args.repeat)
    print(f"weak answer ({len(weak):,} chars, no figures), public_service q5 1.3: "
          f"bare {weak_bare * 1e3:.2f} ms, analysis {whole * 1e3:.2f} ms, "
          f"ratio {whole / weak_bare:4.2f}x")
    adversarial()
    engines(text, args.repeat)
    runs = [fresh_process(FIRST_CALL.format(text=text)) for _ in range(3)]
    imp, warm, first = (statistics.median(r[i] for r in runs) for i in range(3))
    print(f"fresh process: import {imp:.3f} s, warm_up() {warm:.3f} s, "
          f"first analyze() of the 5,000 characters after warm_up {first * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
