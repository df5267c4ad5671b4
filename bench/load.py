"""Sustained webhook load with a realistic mix, on SQLite and on PostgreSQL, loopback only.

    python bench/load.py [--seconds 60] [--db sqlite|postgres|both] [--workers 2]
                         [--connections 8] [--users 200]

For each database, bounded in time and count, stopping by itself:
1. a fresh database (a SQLite file, or a PostgreSQL database created and dropped here);
2. the fake LINE API (bench/fake_line.py) and the bot under gunicorn (sync workers,
   ``--preload``), as bench/webhook.py starts them;
3. ``--users`` officers set up mid-application through the webhook (bench/webhook.py's set-up);
4. from a second process, ``--connections`` connections for ``--seconds`` seconds, each owning
   its own officers (one request per officer at a time, so each officer's question is known):
   70 % answers (Thai, 200-1,000 characters), 20 % navigation (ถัดไป, ย้อนกลับ, ข้อ N, ข้าม,
   never past the last question), 10 % ความคืบหน้า and ดูร่าง;
5. prints requests/s, p50/p99 latency (all and per kind), errors, LINE calls, and the
   answer parts stored against the answers sent, in total and per officer.

Exits non-zero when any request failed, an event got no reply, or the stored parts differ
from the answers sent.
bench/faults.py reuses the servers, the databases and the signed events from here.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.webhook import (  # noqa: E402 - the project must be importable first
    HARD_LIMIT,
    PARAGRAPH,
    SECRET,
    TOKEN,
    _die_with_parent,
    _out_of_time,
    event_id,
    free_port,
    gunicorn,
    line_stats,
    post,
    process,
    summary,
    user_id,
    wait_until_answering,
)
from bench.webhook import client as webhook_client  # noqa: E402

QUESTIONS = 10  # bench/webhook.py's officers are on category 1.6: questions 1-10
NAVIGATION = ("ถัดไป", "ย้อนกลับ", "ข้อ", "ข้าม")
LOOKS = ("ความคืบหน้า", "ดูร่าง")
REQUEST_TIMEOUT = 30.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

# Signed events ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextMessage:
    """One officer's text message, as LINE delivers it (and redelivers it, same id and time)."""

    user: str
    text: str
    event_id: str
    timestamp: int

    @classmethod
    def new(cls, user: str, text: str) -> TextMessage:
        """Return a message sent now with a fresh webhook event id."""
        return cls(user, text, event_id(), int(time.time() * 1000))

    def signed(self, *, redelivery: bool = False) -> tuple[bytes, str]:
        """Return the webhook request body and its X-Line-Signature."""
        body = {"destination": "U" + "b0" * 16, "events": [{
            "type": "message", "mode": "active", "timestamp": self.timestamp,
            "source": {"type": "user", "userId": self.user}, "webhookEventId": self.event_id,
            "deliveryContext": {"isRedelivery": redelivery},
            "replyToken": hashlib.md5(self.event_id.encode()).hexdigest(),
            "message": {"id": str(int(hashlib.md5(self.event_id.encode()).hexdigest()[:15], 16)),
                        "type": "text", "text": self.text, "quoteToken": "q" + self.event_id},
        }]}
        raw = json.dumps(body, ensure_ascii=False).encode()
        digest = hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()
        return raw, base64.b64encode(digest).decode()


async def send(port: int, message: TextMessage, *, redelivery: bool = False) -> str:
    """Deliver one message; return the status code, or the name of the error, as text."""
    try:
        status = await asyncio.wait_for(post(port, *message.signed(redelivery=redelivery)),
                                        REQUEST_TIMEOUT)
    except IndexError:  # bench/webhook.py's post() could not read a status line
        return "closed without an answer"
    except Exception as error:  # noqa: BLE001 - a reset, a timeout: all count
        return type(error).__name__
    return str(status)


def answer_text(rng: random.Random, *, low: int = 200, high: int = 1000) -> str:
    """Return a Thai answer of ``low``-``high`` characters, starting anywhere in the paragraph."""
    start, length = rng.randrange(len(PARAGRAPH)), rng.randint(low, high)
    return "ตอบ " + (PARAGRAPH * (high // len(PARAGRAPH) + 2))[start:start + length].strip()


# The mixed load (run in a second process) ------------------------------------------------------


class Officer:
    """One officer of the load, and the question they are on."""

    def __init__(self, number: int) -> None:
        self.id = user_id(number)
        self.question = 1

    def navigation(self, rng: random.Random) -> str:
        """Pick a navigation command that never finishes the application, and follow it."""
        word = rng.choice(NAVIGATION if self.question < QUESTIONS else ("ย้อนกลับ", "ข้อ"))
        if word in ("ถัดไป", "ข้าม"):
            self.question += 1
        elif word == "ย้อนกลับ":
            self.question = max(1, self.question - 1)
        else:
            self.question = rng.randint(1, QUESTIONS)
            return f"ข้อ {self.question}"
        return word


async def run_mix(port: int, users: int, connections: int, seconds: float,
                  seed: int) -> dict[str, Any]:
    """Keep ``connections`` requests in flight for ``seconds``; each owns its officers."""
    officers = [Officer(n) for n in range(users)]
    latencies: dict[str, list[float]] = {"answer": [], "navigation": [], "look": []}
    errors: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    deadline = time.perf_counter() + seconds

    async def connection(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        own = officers[index::connections]
        while own and time.perf_counter() < deadline:
            for officer in own:
                if time.perf_counter() >= deadline:
                    return
                roll = rng.random()
                kind = "answer" if roll < 0.7 else "navigation" if roll < 0.9 else "look"
                text = (answer_text(rng) if kind == "answer" else officer.navigation(rng)
                        if kind == "navigation" else rng.choice(LOOKS))
                started = time.perf_counter()
                status = await send(port, TextMessage.new(officer.id, text))
                if kind == "answer":
                    answers[officer.id] += 1
                if status == "200":
                    latencies[kind].append(time.perf_counter() - started)
                else:
                    errors[f"{kind} {status}"] += 1

    started = time.perf_counter()
    await asyncio.gather(*(connection(i) for i in range(connections)))
    return {"seconds": time.perf_counter() - started, "latencies": latencies,
            "errors": dict(errors), "answers": dict(answers)}


def client_main(spec: dict[str, Any]) -> int:
    """The second process: run the mixed load and print the results as JSON."""
    result = asyncio.run(run_mix(spec["port"], spec["users"], spec["connections"], spec["seconds"],
                                 spec.get("seed", 1)))
    json.dump(result, sys.stdout)
    return 0


def run_client(script: str, spec: dict[str, Any]) -> subprocess.Popen:
    """Start a load client (``script --client SPEC``) in a second process, its output piped."""
    return subprocess.Popen([sys.executable, script, "--client", json.dumps(spec)], cwd=PROJECT,
                            stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)


def client_result(child: subprocess.Popen, timeout: float) -> dict[str, Any]:
    """Wait for a load client and return what it printed."""
    output, _ = child.communicate(timeout=timeout)
    if child.returncode != 0:
        raise SystemExit(f"the load client failed with exit code {child.returncode}")
    return json.loads(output)


# Databases and servers -------------------------------------------------------------------------


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database: a SQLite file, or a PostgreSQL one dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    admin_url = make_url(os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES))
    name = f"lertrat_bench_{uuid.uuid4().hex[:10]}"
    # No pool: the drop below may come after a PostgreSQL restart (bench/faults.py).
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass
class Servers:
    """The bot under gunicorn and the fake LINE API."""

    port: int
    line_port: int
    master: subprocess.Popen
    log: Path

    def healthy(self) -> bool:
        """Tell whether /healthz answers 200 now."""
        import urllib.request
        try:
            url = f"http://127.0.0.1:{self.port}/healthz"
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status == 200
        except OSError:
            return False


@contextmanager
def servers(database_url: str, *, workers: int, folder: Path) -> Iterator[Servers]:
    """Start the fake LINE and the bot (gunicorn, sync workers, --preload) on loopback."""
    port, line_port = free_port(), free_port()
    pythonpath = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
               PUBLIC_BASE_URL="https://coach.example.go.th", SECRET_KEY=secrets.token_urlsafe(32),
               DATABASE_URL=database_url, LINE_API_HOST=f"http://127.0.0.1:{line_port}",
               PYTHONPATH=pythonpath)
    log = folder / f"gunicorn-{port}.log"
    with ExitStack() as stack:
        stack.enter_context(process([sys.executable, "bench/fake_line.py", "--port", str(line_port),
                                     "--max-seconds", str(HARD_LIMIT)], env=env,
                                    log=folder / f"line-{line_port}.log"))
        command = gunicorn("bot.web:create_app()", port, workers, preload=True)
        master = stack.enter_context(process(command, env=env, log=log))
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", master, log)
        yield Servers(port, line_port, master, log)
        if master.poll() is None:
            # A quick shutdown: idle sync workers are slow to see TERM.
            master.send_signal(signal.SIGINT)
            master.wait(timeout=30)


def set_up_officers(bot: Servers, users: int, connections: int) -> None:
    """Take every officer to question 1 of a new application (bench/webhook.py's set-up)."""
    errors = webhook_client("setup", port=bot.port, users=users, connections=connections)["errors"]
    if errors:
        raise SystemExit(f"setting up the officers failed: {errors}\n{bot.log.read_text()[-3000:]}")


def stored_parts_by_author(database_url: str) -> Counter[str]:
    """Count the stored answer parts of each author."""
    from sqlalchemy import func, select

    from bot.store import Database
    from bot.store.models import AnswerPart

    database = Database(database_url)
    try:
        with database.session() as session:
            rows = session.execute(select(AnswerPart.author_id, func.count())
                                   .group_by(AnswerPart.author_id))
            return Counter({author: count for author, count in rows})
    finally:
        database.dispose()


# The run ---------------------------------------------------------------------------------------


def measure(kind: str, args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """Load the bot on one database and check what it stored."""
    with (fresh_database(kind, folder) as url,
          servers(url, workers=args.workers, folder=folder) as bot):
        set_up_officers(bot, args.users, args.connections)
        before = line_stats(bot.line_port)
        spec = dict(port=bot.port, users=args.users, connections=args.connections,
                    seconds=args.seconds)
        result = client_result(run_client(__file__, spec), timeout=args.seconds + 120)
        after = line_stats(bot.line_port)
        stored = stored_parts_by_author(url)
    result["line_calls"] = sum((after - before).values())
    result["stored"] = stored
    return result


def report(kind: str, args: argparse.Namespace, result: dict[str, Any]) -> bool:
    """Print one database's figures; return whether every check passed."""
    seconds, errors = result["seconds"], result["errors"]
    every = [x for values in result["latencies"].values() for x in values]
    total = summary({"seconds": seconds, "latencies": every, "errors": errors})
    requests = total["requests"] + total["errors"]
    sent, stored = sum(result["answers"].values()), sum(result["stored"].values())
    wrong = sorted(u for u in set(result["answers"]) | set(result["stored"])
                   if result["answers"].get(u, 0) != result["stored"].get(u, 0))
    print(f"\n{kind}: {args.workers} sync workers, {args.connections} connections, "
          f"{seconds:.1f} s, {args.users} officers")
    print(f"  {'':12}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}")
    print(f"  {'all':12}{requests:9d}{requests / seconds:8.1f}"
          f"{total['p50']:8.1f}{total['p99']:8.1f}")
    for name, values in result["latencies"].items():
        part = summary({"seconds": seconds, "latencies": values, "errors": {}})
        print(f"  {name:12}{part['requests']:9d}{part['rps']:8.1f}"
              f"{part['p50']:8.1f}{part['p99']:8.1f}")
    print(f"  errors: {total['errors']} {errors or ''}")
    print(f"  LINE calls (reply + push): {result['line_calls']} for {requests} requests")
    print(f"  answer parts stored: {stored} for {sent} answers sent; officers whose count differs: "
          f"{len(wrong)}")
    ok = not errors and stored == sent and not wrong and result["line_calls"] >= requests
    print(f"  {'OK' if ok else 'FAILED'}")
    return ok


def main(argv: list[str]) -> int:
    """Run the load on each database asked for."""
    parser = argparse.ArgumentParser(
        description="Sustained mixed webhook load on SQLite and PostgreSQL.")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--users", type=int, default=200, help="officers mid-application")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        return client_main(json.loads(args.client))
    if not (1 <= args.seconds <= 300 and 1 <= args.workers <= 16 and 1 <= args.connections <= 128
            and args.connections <= args.users <= 5000):
        parser.error("keep it bounded: seconds 1-300, workers 1-16, connections 1-128, "
                     "users from connections to 5000")
    signal.signal(signal.SIGALRM, _out_of_time)  # unwinds, so servers and databases are cleaned up
    signal.alarm(HARD_LIMIT)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    ok = True
    with tempfile.TemporaryDirectory(prefix="lertrat-load-") as tmp:
        for kind in kinds:
            ok &= report(kind, args, measure(kind, args, Path(tmp)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
