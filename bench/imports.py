"""Time importing the web app, and building it, in fresh interpreters, beside an anchor.

    python bench/imports.py [--runs 9] [--other /path/to/another/checkout]

Each run starts new interpreters, in turn (interleaved, so that the machine's load falls on
all alike):
- the anchor: ``import flask``;
- ``import bot.web`` (goal: under 1.5 s);
- ``from bot.web import create_app; create_app()`` on a SQLite database migrated beforehand,
  what gunicorn's master does with ``--preload`` before it forks.

With ``--other`` the same cases run from another checkout too (say, ``git archive`` of an
older commit), interleaved with these, so that before and after are timed alike.

It prints the median wall time of each, each over the anchor, the peak memory (ru_maxrss) of
each, and once, the ten packages that take longest in ``python -X importtime -c "import
bot.web"`` and whether the draft writers (python-docx, fpdf2) and Alembic were imported.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 1.5
REPORT = ("import resource, sys; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
          "int(any(m.split('.')[0] in ('docx', 'fpdf') for m in sys.modules)), "
          "int('alembic' in sys.modules))")
CASES = {
    "anchor: import flask": "import flask",
    "import bot.web": "import bot.web",
    "create_app()": "from bot.web import create_app\ncreate_app()",
}


def run(code: str, env: dict[str, str], project: Path = PROJECT) -> tuple[float, float, str]:
    """Run ``code`` in a fresh interpreter; return wall seconds, peak MB and what it reported."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", f"{code}\n{REPORT}"], cwd=project,
                          env=dict(env, PYTHONPATH=str(project)), capture_output=True, text=True,
                          timeout=300, check=True)
    seconds = time.perf_counter() - started
    peak, writers, alembic = done.stdout.split()[-3:]
    return seconds, int(peak) / 1024, f"draft writers {writers}, alembic {alembic}"


def slowest_imports(env: dict[str, str], count: int = 10) -> list[tuple[str, float]]:
    """Return the top-level packages whose modules take longest, together, to import (their
    own time, without what they import from other packages) under ``import bot.web``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import bot.web"],
                          cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300,
                          check=True)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        own, _, name = (part.strip() for part in line[12:].split("|"))
        if own.isdigit():
            package = name.split(".")[0]
            totals[package] = totals.get(package, 0.0) + int(own) / 1e6
    return sorted(totals.items(), key=lambda item: -item[1])[:count]


def main(argv: list[str]) -> int:
    """Time each case ``--runs`` times, interleaved, and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--other", type=Path, help="another checkout, timed interleaved")
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 50:
        parser.error("keep it bounded: 1-50 runs")
    with tempfile.TemporaryDirectory(prefix="lertrat-imports-") as tmp:
        env = dict(os.environ, LINE_CHANNEL_SECRET="s",
                   LINE_CHANNEL_ACCESS_TOKEN="t", PUBLIC_BASE_URL="https://coach.example.go.th",
                   SECRET_KEY=secrets.token_urlsafe(32), LOG_LEVEL="WARNING")
        projects = {"": PROJECT} | ({"other: ": args.other.resolve()} if args.other else {})
        envs = {label: dict(env, DATABASE_URL=f"sqlite:///{tmp}/{number}.sqlite3")
                for number, label in enumerate(projects)}  # one database for each checkout
        cases = {f"{label}{name}": (code, project, envs[label])
                 for label, project in projects.items() for name, code in CASES.items()
                 if not (label and name.startswith("anchor"))}
        for label, project in projects.items():  # each migrates its database, untimed
            run(CASES["create_app()"], envs[label], project)
        times: dict[str, list[float]] = {name: [] for name in cases}
        peaks: dict[str, list[float]] = {name: [] for name in cases}
        notes: dict[str, str] = {}
        for _ in range(args.runs):
            for name, (code, project, case_env) in cases.items():
                seconds, peak, notes[name] = run(code, case_env, project)
                times[name].append(seconds)
                peaks[name].append(peak)
        slowest = slowest_imports(dict(env, PYTHONPATH=str(PROJECT)))
    anchor = statistics.median(times["anchor: import flask"])
    print(f"\nfresh interpreters, median of {args.runs} interleaved runs")
    print(f"  {'':31}{'seconds':>9}{'x anchor':>10}{'peak MB':>9}"
          + (f"   (other: {args.other})" if args.other else ""))
    for name in cases:
        median = statistics.median(times[name])
        peak = statistics.median(peaks[name])
        print(f"  {name:31}{median:9.2f}{median / anchor:10.1f}{peak:9.0f}   {notes[name]}")
    print(f"  import bot.web: goal < {GOAL_SECONDS} s")
    print("  slowest packages under import bot.web (-X importtime, their modules' own s): "
          + ", ".join(f"{name} {seconds:.2f}" for name, seconds in slowest))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
