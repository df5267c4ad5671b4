"""Time bot.analysis against the bare tokenizer, interleaved, on realistic Thai answers.

Run: ``/tmp/venv/bin/python bench/analysis.py [--rounds 200]``

The texts: the answers tagged ``prose`` in tests/data/analysis_cases.yaml repeated and cut at a
space to 5,000 characters (a long answer to a 20-point question), and every case with a
``source`` (a real passage) in tests/data/analysis*.yaml, each with its own track, question
and category. The bare tokenizer is the call the analysis itself makes
(:func:`bot.analysis.tokens.tokenize`: PyThaiNLP ``word_tokenize(text, engine="nlpo3",
join_broken_num=False)``), so the analysis always includes one tokenizer run.

Method: one loop of ``--rounds`` rounds; in each round every text is tokenized and analysed
back to back, the order of the two flipped every other round, so both meet the same machine
load (the machine is shared). Each call is timed on its own with ``time.perf_counter``; the
figures are medians over the rounds. It prints:

* for the 5,000-character answer and the heaviest question/category pairs: median tokenizer
  and analysis time, the analysis's own share (analysis minus tokenizer) and the ratio of the
  medians, with the 10th-90th percentile range of the per-round ratio;
* over the real passages: the summed medians per 1,000 characters for both, and their ratio;
* per 1,000 characters and first-call cost of the tokenizer engines newmm, nlpo3 and longest;
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
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis import analyze, warm_up  # noqa: E402  (needs the repository on sys.path)
from bot.analysis.tokens import tokenize  # noqa: E402
from bot.rubrics import default_rubrics  # noqa: E402

DATA = ROOT / "tests" / "data"
CASES = DATA / "analysis_cases.yaml"
LENGTH = 5_000
#: (track, question, category): the questions with the most checks switched on.
TARGETS = [("public_service", 5, "1.3"), ("public_service", 6, "1.6"),
           ("participatory", 10, "2.4"), ("public_service", 7, None)]


@dataclass
class Timed:
    """One text analysed as one question, with the times of both calls, round by round."""

    label: str
    text: str
    track: str
    question: int
    category: str | None
    bare: list[float] = field(default_factory=list)
    whole: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        """Return the per-round ratio of the analysis time to the tokenizer time."""
        return [w / b for w, b in zip(self.whole, self.bare, strict=True) if b > 0]

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


def real_passages() -> list[Timed]:
    """Return every case with a source in tests/data/analysis*.yaml, as texts to time."""
    timed = []
    for path in sorted(DATA.glob("analysis*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for case in data.get("cases", []):
            if case.get("source") and case["text"].strip():
                timed.append(Timed(case["id"], case["text"], case["track"], case["question"],
                                   case.get("category")))
    return timed


def interleave(texts: list[Timed], rounds: int) -> None:
    """Time the tokenizer and the analysis of every text alternately, ``rounds`` times."""
    rubrics = default_rubrics()
    calls = []
    for t in texts:
        rubric = rubrics.get(t.track, rubrics.latest_year)
        calls.append((t, partial(tokenize, t.text),
                      partial(analyze, t.text, rubric.question(t.question), rubric, t.category)))
    for _, bare, whole in calls:  # warm every code path and cache once, untimed
        bare()
        whole()
    for r in range(rounds):
        for t, bare, whole in calls:
            first, second = (bare, whole) if r % 2 == 0 else (whole, bare)
            start = time.perf_counter()
            first()
            middle = time.perf_counter()
            second()
            end = time.perf_counter()
            (t.bare if first is bare else t.whole).append(middle - start)
            (t.whole if first is bare else t.bare).append(end - middle)


def _decile(values: list[float], which: int) -> float:
    """Return the ``which``-th decile (1 to 9) of ``values``."""
    return statistics.quantiles(values, n=10)[which - 1] if len(values) > 1 else values[0]


def print_long(timed: list[Timed]) -> None:
    """Print tokenizer and analysis medians for the 5,000-character answer."""
    print(f"5,000-character answer ({len(timed[0].text):,} chars), medians over "
          f"{len(timed[0].bare)} interleaved rounds:")
    for t in timed:
        bare, whole = statistics.median(t.bare), statistics.median(t.whole)
        ratios = t.ratios()
        print(f"  {t.label:26s} tokenizer {bare * 1e3:6.2f} ms  analysis {whole * 1e3:6.2f} ms"
              f"  checks alone {(whole - bare) * 1e3:6.2f} ms  ratio {whole / bare:4.2f}x"
              f" (per round p10-p90 {_decile(ratios, 1):4.2f}-{_decile(ratios, 9):4.2f}x)")


def print_real(timed: list[Timed]) -> None:
    """Print per-1,000-character figures over the real passages."""
    if not timed:
        print("real passages: none found (no case has a source)")
        return
    chars = sum(len(t.text) for t in timed)
    bare = sum(statistics.median(t.bare) for t in timed)
    whole = sum(statistics.median(t.whole) for t in timed)
    median_ratio = statistics.median(statistics.median(t.ratios()) for t in timed)
    print(f"real passages: {len(timed)} texts, {chars:,} chars, sum of per-text medians:")
    print(f"  tokenizer {bare * 1e3:7.2f} ms = {bare / chars * 1e6:6.3f} ms per 1,000 chars")
    print(f"  analysis  {whole * 1e3:7.2f} ms = {whole / chars * 1e6:6.3f} ms per 1,000 chars")
    print(f"  ratio analysis/tokenizer {whole / bare:4.2f}x overall; median per text "
          f"{median_ratio:4.2f}x (short texts pay the analysis's fixed cost)")


def main(argv: list[str]) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200,
                        help="rounds of the interleaved loop (default 200)")
    parser.add_argument("--quick", action="store_true",
                        help="only the interleaved loop (no engines, adversarial, fresh process)")
    args = parser.parse_args(argv)
    warm_up()
    text = sample()
    long = [Timed(f"{track} q{number} {category or '-'}", text, track, number, category)
            for track, number, category in TARGETS]
    weak = sample(weak=True)
    long.append(Timed("weak, no figures, q5 1.3", weak, "public_service", 5, "1.3"))
    real = real_passages()
    interleave(long + real, args.rounds)
    print_long(long)
    print_real(real)
    if args.quick:
        return 0
    adversarial()
    engines(text, args.rounds)
    runs = [fresh_process(FIRST_CALL.format(text=text)) for _ in range(3)]
    imp, warm, first = (statistics.median(r[i] for r in runs) for i in range(3))
    print(f"fresh process: import {imp:.3f} s, warm_up() {warm:.3f} s, "
          f"first analyze() of the 5,000 characters after warm_up {first * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
