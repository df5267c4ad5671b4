"""Downloads of a maximal application's PDF against the webhook, under gunicorn, interleaved.

    python bench/draft_load.py [--duration 10] [--rounds 3] [--connections 16] [--database URL]

What it does, bounded in time, stopping by itself (loopback only):
1. starts the fake LINE API (bench/fake_line.py) and the bot under gunicorn as the Procfile
   runs it (``-c gunicorn.conf.py``: gthread workers, ``preload_app``), 2 workers;
2. sets up ``--users`` officers mid-application through the webhook (bench/webhook.py's
   set-up), and one maximal application (:func:`setup_maximal`: 13 answers of 10,000 Thai
   characters, category 2.3) with a draft link;
3. times the first download of its clean PDF (the build, in a build process, the build
   process's forkserver started by it) and of its DOCX;
4. in each round, one block of ``--duration`` seconds of webhook load (1,000-character
   answers on ``--connections`` connections) alone, then one with two clients downloading
   the maximal PDF over and over meanwhile; prints each block's requests/s and p99, the
   medians over rounds, and the downloads' count and latency.

Goal (issue 13): the webhook's p99 with the two downloaders stays under 100 ms.

:func:`setup_maximal` is also for bench/webhook.py: it writes the application straight into
the database (no per-answer limit applies) and returns the path of its PDF link.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import webhook  # noqa: E402  (bench/webhook.py: its load client, servers and summary)

MAXIMAL_ANSWER_CHARS = 10_000
MAXIMAL_OWNER = "U" + "ma" * 16
HARD_LIMIT = 900


def maximal_answer(rng: random.Random) -> str:
    """Return 10,000 characters of real Thai answer sentences, shuffled, in paragraphs."""
    from draft import long_answer

    text = ""
    while len(text) < MAXIMAL_ANSWER_CHARS:
        text += long_answer(rng) + "\n"
    return text[:MAXIMAL_ANSWER_CHARS]


def setup_maximal(database_url: str, secret_key: str, *, owner: str = MAXIMAL_OWNER) -> str:
    """Store a maximal application (13 answers x 10,000 characters) with a link; return its
    clean PDF's path, ``/d/<token>/clean/pdf``. The schema must be migrated already."""
    from bot.coach.link_ports import new_link_id
    from bot.delivery import DraftLinks
    from bot.rubrics import default_rubrics
    from bot.store import Database
    from bot.store.models import Answer, AnswerPart, Application, DraftLink, Owner

    rng = random.Random(13)
    rubric = default_rubrics().get("participatory", 2564)
    now = datetime.now(UTC)
    database = Database(database_url)
    link_id = new_link_id()
    with database.session() as session:
        session.add(Owner(id=owner, kind="user", state="answering", context={},
                          created_at=now, updated_at=now))
        application = Application(owner_id=owner, created_by=owner, track=rubric.track,
                                  year=rubric.year, category="2.3",
                                  title="เครือข่ายคนรักษ์ลำห้วย (bench, maximal)",
                                  agency="องค์การบริหารส่วนตำบลหนองสาหร่าย",
                                  created_at=now, updated_at=now)
        session.add(application)
        session.flush()
        for question in rubric.questions_for("2.3"):
            answer = Answer(application_id=application.id, question=question.number,
                            status="answered", revision=1, updated_at=now)
            session.add(answer)
            session.flush()
            session.add(AnswerPart(answer_id=answer.id, revision=1, author_id=owner,
                                   text=maximal_answer(rng), sent_at=now, created_at=now))
        session.add(DraftLink(id=link_id, application_id=application.id, owner_id=owner,
                              member_id=owner, created_at=now,
                              expires_at=now + timedelta(days=7)))
    database.dispose()
    token = DraftLinks(secret_key, "http://localhost").token(link_id)
    return f"/d/{token}/clean/pdf"


def fetch(url: str) -> tuple[int, int, float]:
    """GET ``url``; return the status, the body's size and the seconds it took."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            size = len(response.read())
            return response.status, size, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, 0, time.perf_counter() - started


def first_download(url: str) -> tuple[float, int]:
    """Download until the file comes (a 503 "being prepared" page means: ask again)."""
    started = time.perf_counter()
    for _ in range(60):
        status, size, _ = fetch(url)
        if status == 200:
            return time.perf_counter() - started, size
        if status != 503:
            raise SystemExit(f"{url} answered {status}")
        time.sleep(1)
    raise SystemExit("the maximal PDF never came")


class Downloaders:
    """Two clients downloading one URL over and over, until stopped."""

    def __init__(self, url: str, clients: int = 2) -> None:
        self.url = url
        self.stop = threading.Event()
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(clients)]

    def _loop(self) -> None:
        while not self.stop.is_set():
            status, _, seconds = fetch(self.url)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.latencies.append(seconds)

    def __enter__(self) -> Downloaders:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(130)


def load(port: int, args: argparse.Namespace) -> dict[str, Any]:
    """Run one block of webhook load; return its summary."""
    return webhook.summary(webhook.client("load", port=port, users=args.users,
                                          connections=args.connections, seconds=args.duration,
                                          duration=args.duration, downloaders=0, paths=[]))


def main(argv: list[str]) -> int:
    """Run the bench and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=None)
    args = parser.parse_args(argv)
    if not (1 <= args.duration <= 60 and 1 <= args.rounds <= 9):
        parser.error("keep it bounded: duration 1-60 s, rounds 1-9")
    signal.signal(signal.SIGALRM, lambda *_: sys.exit("past the hard limit"))
    signal.alarm(HARD_LIMIT)
    with tempfile.TemporaryDirectory(prefix="lertrat-draft-load-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        database_url = args.database or f"sqlite:///{folder / 'bench.sqlite3'}"
        line_port, port = webhook.free_port(), webhook.free_port()
        key = secrets.token_urlsafe(32)
        env = dict(os.environ, LINE_CHANNEL_SECRET=webhook.SECRET,
                   LINE_CHANNEL_ACCESS_TOKEN=webhook.TOKEN, PUBLIC_BASE_URL="http://localhost",
                   SECRET_KEY=key, DATABASE_URL=database_url, WEB_CONCURRENCY=str(args.workers),
                   LINE_API_HOST=f"http://127.0.0.1:{line_port}", PYTHONPATH=str(PROJECT))
        stack.enter_context(webhook.process(
            [sys.executable, "bench/fake_line.py", "--port", str(line_port), "--max-seconds",
             str(HARD_LIMIT)], env=env, log=folder / "line.log"))
        log = folder / "bot.log"
        master = stack.enter_context(webhook.process(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b",
             f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048",
             "bot.web:create_app()"], env=env, log=log))
        webhook.wait_until_answering(f"http://127.0.0.1:{port}/healthz", master, log)
        webhook.client("setup", port=port, users=args.users, connections=args.connections)
        path = setup_maximal(database_url, key)
        base = f"http://127.0.0.1:{port}"
        cold_pdf, pdf_size = first_download(base + path)
        cold_docx, docx_size = first_download(base + path.replace("/pdf", "/docx"))
        rounds = run_rounds(port, base + path, args)
        report(args, rounds, cold_pdf, pdf_size, cold_docx, docx_size,
               webhook.workers_memory(master.pid))
    return 0


def run_rounds(port: int, url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Alternate a block of webhook load alone and one with the two downloaders."""
    rounds = []
    for number in range(args.rounds):
        alone = load(port, args)
        with Downloaders(url) as downloads:
            loaded = load(port, args)
        rounds.append({"alone": alone, "downloads": loaded,
                       "downloaded": downloads.latencies, "statuses": downloads.statuses})
        print(f"round {number + 1}: alone {alone['rps']:.1f} req/s p99 {alone['p99']:.1f} ms; "
              f"with downloads {loaded['rps']:.1f} req/s p99 {loaded['p99']:.1f} ms, "
              f"{len(downloads.latencies)} PDFs, statuses {downloads.statuses}", flush=True)
    return rounds


def report(args: argparse.Namespace, rounds: list[dict[str, Any]], cold_pdf: float,
           pdf_size: int, cold_docx: float, docx_size: int, memory: list[Any]) -> None:
    """Print the medians over the rounds."""
    def median(block: str, field: str) -> float:
        return statistics.median(r[block][field] for r in rounds)

    downloads = [s for r in rounds for s in r["downloaded"]]
    print(f"\ndraft downloads vs webhook: {args.workers} gthread workers, "
          f"{args.connections} connections, {args.rounds} rounds of {args.duration:g} s")
    print(f"first download (built): PDF {cold_pdf:.2f} s ({pdf_size / 1024:.0f} KiB), "
          f"DOCX {cold_docx:.2f} s ({docx_size / 1024:.0f} KiB)")
    if downloads:
        print(f"cached PDF download: median {statistics.median(downloads) * 1000:.1f} ms, "
              f"{len(downloads)} downloads")
    print(f"webhook alone:          median {median('alone', 'rps'):.1f} req/s, "
          f"p99 {median('alone', 'p99'):.1f} ms")
    print(f"webhook with 2 PDF clients: median {median('downloads', 'rps'):.1f} req/s, "
          f"p99 {median('downloads', 'p99'):.1f} ms  (goal < 100)")
    errors = sum(r[b]["errors"] for r in rounds for b in ("alone", "downloads"))
    print(f"webhook errors: {errors}")
    print("worker memory MB: " + ", ".join(f"RSS {rss:.0f} / PSS {pss:.0f}"
                                          for rss, pss, _ in memory))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
