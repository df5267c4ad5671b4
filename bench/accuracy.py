"""Precision and recall of each finding code over the labelled analysis cases.

Run: ``/tmp/venv/bin/python bench/accuracy.py [--all] [--tag TAG] [--track TRACK] [FILE ...]``

Reads every ``tests/data/analysis*.yaml`` (or the files given) and analyses each case that has
a ``source`` (a real passage; ``--all`` takes every case; ``--tag hard`` the invented hard
cases, with ``--all``). ``--coverage`` analyses nothing: it lists, per case, the codes that
apply to its question and category (flags, category checks, always-on checks) that it names
in neither ``must`` nor ``must_not``. Per finding code, over the codes a
case labels:

* TP: the code is in ``must`` (or ``expect``) and the analysis gives it;
* FN: the code is in ``must`` (or ``expect``) and the analysis does not give it;
* FP: the code is in ``must_not`` (or, for an ``expect`` case, not in ``expect``) and the
  analysis gives it;
* TN: the code is in ``must_not`` and the analysis does not give it.

A code a case does not name is not counted either way (``thin`` and ``too_long`` are left
out of the real passages on purpose: excerpts are short). It prints precision
TP / (TP + FP) and recall TP / (TP + FN) per code, the share of labels right overall, and
the ids of the failing cases with what went wrong. Figures only; nothing here asserts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.analysis import analyze  # noqa: E402  (needs the repository on sys.path)
from bot.rubrics import default_rubrics  # noqa: E402

DATA = ROOT / "tests" / "data"
#: Question flag → the finding it can give.
FLAG_CODES = {"statistics": "no_statistics", "before_after": "no_before_after",
              "beneficiaries": "no_beneficiaries", "sdg": "no_sdg", "evaluation": "no_evaluation"}
#: Category check in a rubric → the findings it can give.
CHECK_CODES = {"extension_coverage": ("no_extension_scope",),
               "data_integration": ("no_interoperability", "no_data_security", "no_consent"),
               "covid_readiness": ("no_readiness",), "facilitation": ("no_facilitation",),
               "participation_level": ("no_participation_level", "participation_level_low"),
               "min_areas": ("few_areas",), "poverty": ("no_poverty",)}
#: Findings every answer can get (thin and too_long are left out: excerpts are short).
ALWAYS = ("vague_quantifier", "unproven_claim", "informal", "personal_data", "repeated_text")


@dataclass
class Tally:
    """Counts of one finding code over the cases that label it."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def precision(self) -> float | None:
        """Return TP / (TP + FP), or None when the code never fired on a labelled case."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    def recall(self) -> float | None:
        """Return TP / (TP + FN), or None when no case says the code must fire."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Outcome:
    """What the analysis got wrong on one case."""

    case_id: str
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    #: The case's ``known_miss`` reason, if it is marked as one the analysis cannot yet get.
    known_miss: str | None = None


def load_cases(paths: list[Path]) -> list[tuple[Path, dict]]:
    """Return every case of the given files with the file it came from."""
    cases: list[tuple[Path, dict]] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cases.extend((path, case) for case in data.get("cases", []))
    return cases


def case_codes(case: dict) -> set[str]:
    """Return the finding codes the analysis gives for one case."""
    rubrics = default_rubrics()
    rubric = rubrics.get(case["track"], case.get("year") or rubrics.latest_year)
    text = "\n".join([case["text"]] * case.get("repeat", 1))
    report = analyze(text, rubric.question(case["question"]), rubric, case.get("category"))
    return set(report.codes)


def applicable(case: dict) -> set[str]:
    """Return the finding codes that apply to a case's question and category."""
    rubrics = default_rubrics()
    rubric = rubrics.get(case["track"], case.get("year") or rubrics.latest_year)
    question = rubric.question(case["question"])
    codes = {code for flag, code in FLAG_CODES.items() if question.has(flag)} | set(ALWAYS)
    if case.get("category"):
        for check in rubric.checks_for(case["category"], question.number):
            codes |= set(CHECK_CODES.get(check.code, ()))
    return codes


def unlabelled(cases: list[dict]) -> list[str]:
    """Return, per case, the applicable codes it names neither in must nor in must_not."""
    gaps = []
    for case in cases:
        if "expect" in case:
            continue
        named = set(case.get("must", ())) | set(case.get("must_not", ()))
        missing = applicable(case) - named
        if missing:
            gaps.append(f"{case['id']}: {', '.join(sorted(missing))}")
    return gaps


def score(case: dict, actual: set[str], tallies: dict[str, Tally]) -> Outcome:
    """Add one case's labels to the tallies and return what it got wrong."""
    must = set(case.get("must", ())) | set(case.get("expect", ()))
    must_not = set(case.get("must_not", ()))
    if "expect" in case:
        must_not |= actual - set(case["expect"])
    outcome = Outcome(case["id"], known_miss=case.get("known_miss"))
    for code in must:
        tally = tallies.setdefault(code, Tally())
        if code in actual:
            tally.tp += 1
        else:
            tally.fn += 1
            outcome.missed.append(code)
    for code in must_not - must:
        tally = tallies.setdefault(code, Tally())
        if code in actual:
            tally.fp += 1
            outcome.wrong.append(code)
        else:
            tally.tn += 1
    return outcome


def _ratio(value: float | None) -> str:
    """Format a ratio as a percentage, or a dash when it is undefined."""
    return "    -" if value is None else f"{value * 100:5.1f}"


def report(tallies: dict[str, Tally], outcomes: list[Outcome], cases: int) -> None:
    """Print the per-code table, the totals and the failing cases."""
    print(f"{'code':24s} {'TP':>4s} {'FP':>4s} {'FN':>4s} {'TN':>4s}  {'prec%':>5s}  {'rec%':>5s}")
    total = Tally()
    for code in sorted(tallies):
        t = tallies[code]
        total.tp, total.fp, total.fn, total.tn = (
            total.tp + t.tp, total.fp + t.fp, total.fn + t.fn, total.tn + t.tn)
        print(f"{code:24s} {t.tp:4d} {t.fp:4d} {t.fn:4d} {t.tn:4d}  "
              f"{_ratio(t.precision())}  {_ratio(t.recall())}")
    print(f"{'all codes':24s} {total.tp:4d} {total.fp:4d} {total.fn:4d} {total.tn:4d}  "
          f"{_ratio(total.precision())}  {_ratio(total.recall())}")
    labels = total.tp + total.fp + total.fn + total.tn
    failing = [o for o in outcomes if o.missed or o.wrong]
    print(f"\ncases: {cases}, passing: {cases - len(failing)} "
          f"({(cases - len(failing)) / max(cases, 1) * 100:.1f} %); labels: {labels}, right: "
          f"{total.tp + total.tn} ({(total.tp + total.tn) / max(labels, 1) * 100:.1f} %), "
          f"wrong: {total.fp + total.fn} (one label in "
          f"{labels / max(total.fp + total.fn, 1):.1f})")
    if failing:
        print("\nfailing cases (missed = must not given; wrong = must_not given):")
        for o in failing:
            parts = ([f"missed {', '.join(sorted(o.missed))}"] if o.missed else []) + (
                [f"wrong {', '.join(sorted(o.wrong))}"] if o.wrong else [])
            known = f"  [known miss: {o.known_miss}]" if o.known_miss else ""
            print(f"  {o.case_id}: {'; '.join(parts)}{known}")


def main(argv: list[str]) -> int:
    """Analyse the chosen cases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="case files (default: tests/data/analysis*.yaml)")
    parser.add_argument("--all", action="store_true", help="also cases without a source")
    parser.add_argument("--tag", help="only cases with this tag")
    parser.add_argument("--track", help="only cases of this track")
    parser.add_argument("--coverage", action="store_true",
                        help="only list the applicable codes each case leaves unlabelled")
    args = parser.parse_args(argv)
    paths = args.files or sorted(DATA.glob("analysis*.yaml"))
    chosen = [case for _, case in load_cases(paths)
              if (args.all or case.get("source"))
              and (args.tag is None or args.tag in case.get("tags", ()))
              and (args.track is None or case["track"] == args.track)]
    print(f"files: {', '.join(p.name for p in paths)}")
    if args.coverage:
        gaps = unlabelled(chosen)
        print(f"{len(chosen)} cases, {len(gaps)} leave applicable codes unlabelled")
        print("\n".join(gaps))
        return 0
    tallies: dict[str, Tally] = {}
    outcomes = [score(case, case_codes(case), tallies) for case in chosen]
    report(tallies, outcomes, len(chosen))
    codes = Counter(code for case in chosen for code in case.get("must", ()))
    print(f"\nmust labels per code: {dict(sorted(codes.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
