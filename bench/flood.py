"""One chat floods the bot while other officers answer: the limits hold, the others stay fast.

    python bench/flood.py                          # SQLite and PostgreSQL, 1,000 messages
    python bench/flood.py --database sqlite --rounds 5 --flood 1000

Issue 13's probe: 1,000 messages of 5,000 characters from one officer were all stored, and
another officer's webhook then waited seconds. Here, for each database and on loopback only:

1. a recording fake LINE API (this file, ``--serve-line``) notes every reply's text;
2. the Procfile's ``release`` runs, then every other Procfile process (``web:`` is gunicorn with
   gunicorn.conf.py, 2 workers, ``--preload``; an outbox sender or draft builder if the Procfile
   has them) with the LIMIT_* settings left at their defaults;
3. one flooding chat and ``--officers`` other chats set up an application (question 1 open);
4. ``--rounds`` rounds, each with an anchor segment (the other officers alone) and a flood
   segment (``--flood``/rounds messages of 5,000 Thai characters from the flooding chat at
   ``--connections`` connections while the other officers go on), in alternating order. The
   other officers send one 400-character answer at a time, paced (``--gap``) and spread over
   their chats so that none of them comes near a limit;
5. prints the flooded answer's length against its limit, what the flooding chat was told
   (kept, refused as too long, refused for the rate in full and briefly, anything else), that
   every message got a reply, the other officers' webhook p50/p99 in the flood segments
   against the anchor segments, and whether every answer of theirs was stored.

Goal (issue 13): the flooded answer stops at its limit with a Thai explanation, and the other
chats' webhook p99 stays under 100 ms meanwhile. Bounded: at most ``--hard-limit`` seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import os
import re
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

from fake_line import FakeLineServer  # noqa: E402

# bench/webhook.py's servers: ports, process groups, the Procfile, a fresh database.
from webhook import (  # noqa: E402
    free_port,
    fresh_database,
    process_group,
    procfile,
)

SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
SETUP = ["เริ่ม", "1.1", "คลินิกดินเคลื่อนที่"]
PARAGRAPH = ("เดิมเกษตรกรต้องรอผลตรวจวิเคราะห์ดินนาน 30 วัน หลังเปิดคลินิกดินเคลื่อนที่ลดเหลือ 5 วัน "
             "ให้บริการเกษตรกร 3,960 ราย ในปีงบประมาณ 2564 ผู้รับบริการพึงพอใจร้อยละ 92 ")
FLOOD_TEXT = (PARAGRAPH * 60)[:5000]
ANSWER = (PARAGRAPH * 5)[:400]
DEFAULT_DATABASES = ["sqlite", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"]
START_TIMEOUT = 90.0
REQUEST_TIMEOUT = 60.0
_serial = itertools.count(1)


# The recording fake LINE API (run as a child process) --------------------------------------

class RecordingLine(BaseHTTPRequestHandler):
    """Answer reply and push like LINE; keep each call's token (or push target) and texts."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    calls: list[list[str]] = []
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """Record the call and answer LINE's success body."""
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        texts = "\n".join(m.get("text") or m.get("altText") or "" for m in body.get("messages", []))
        with self.lock:
            self.calls.append([body.get("replyToken") or "", body.get("to") or "", texts])
        self._answer(json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]}).encode())

    def do_GET(self) -> None:  # noqa: N802
        """Return every call recorded so far."""
        with self.lock:
            payload = json.dumps(self.calls, ensure_ascii=False).encode()
        self._answer(payload)

    def _answer(self, payload: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet."""


def serve_line(port: int, seconds: float) -> int:
    """Serve the recording fake LINE until SIGTERM or ``seconds``."""
    server = FakeLineServer(("127.0.0.1", port), RecordingLine)
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop.wait(seconds)
    server.shutdown()
    return 0


# Signed events and the client ----------------------------------------------------------------

def user_id(name: str) -> str:
    """Return a LINE-shaped user id for a bench officer."""
    return "U" + hashlib.md5(f"flood-{name}".encode()).hexdigest()


def signed_event(user: str, text: str) -> tuple[bytes, str, str]:
    """Return one signed webhook body carrying a text, its signature and its reply token."""
    eid = "".join(secrets.choice("0123456789ABCDEFGHJKMNPQRSTVWXYZ") for _ in range(26))
    token = hashlib.md5(eid.encode()).hexdigest()
    body = {"destination": "U" + "b0" * 16, "events": [{
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user}, "webhookEventId": eid,
        "deliveryContext": {"isRedelivery": False}, "replyToken": token,
        "message": {"id": str(10**15 + os.getpid() * 10**6 + next(_serial)), "type": "text",
                    "text": text, "quoteToken": "q" + eid}}]}
    raw = json.dumps(body, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, signature, token


async def post(port: int, user: str, text: str) -> tuple[int, float, str]:
    """POST one signed text to the webhook; return the status, the seconds taken and the token."""
    raw, signature, token = signed_event(user, text)
    head = (f"POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nX-Line-Signature: {signature}\r\n"
            f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode()
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + raw)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)
    finally:
        writer.close()
    return int(answer.split(b" ", 2)[1]), time.perf_counter() - started, token


class Load:
    """What the client sent and saw: latencies per segment, reply tokens per chat, errors."""

    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {"anchor": [], "flood": []}
        self.rounds: list[dict[str, Any]] = []
        self.tokens: dict[str, str] = {}  # reply token → "flood" or "officer"
        self.sent: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()


async def officers_loop(port: int, officers: list[str], gap: float, stop: asyncio.Event,
                        load: Load, segment: str) -> None:
    """Send one answer at a time from the other officers, in turn, until ``stop``."""
    turn = itertools.cycle(officers)
    while not stop.is_set():
        try:
            status, seconds, token = await post(port, next(turn), ANSWER)
        except (OSError, TimeoutError, IndexError) as error:
            load.errors[type(error).__name__] += 1
            continue
        if status != 200:
            load.errors[f"officer {status}"] += 1
            continue
        load.latencies[segment].append(seconds)
        load.tokens[token] = "officer"
        load.sent["officer"] += 1
        await asyncio.sleep(gap)


async def flood_loop(port: int, flooder: str, count: int, connections: int, load: Load) -> None:
    """Send ``count`` 5,000-character messages from one chat at ``connections`` connections."""
    left = iter(range(count))

    async def connection() -> None:
        for _ in left:
            try:
                status, _, token = await post(port, flooder, FLOOD_TEXT)
            except (OSError, TimeoutError, IndexError) as error:
                load.errors[f"flood {type(error).__name__}"] += 1
                continue
            load.sent["flood"] += 1
            if status == 200:
                load.tokens[token] = "flood"
            else:
                load.errors[f"flood {status}"] += 1

    await asyncio.gather(*(connection() for _ in range(connections)))


async def segment(port: int, args: argparse.Namespace, officers: list[str], flooder: str,
                  kind: str, seconds: float, load: Load, count: int = 0) -> float:
    """Run one segment (anchor: officers alone for ``seconds``; flood) and return its length."""
    stop = asyncio.Event()
    before = len(load.latencies[kind])
    started = time.perf_counter()
    officers_task = asyncio.ensure_future(
        officers_loop(port, officers, args.gap, stop, load, kind))
    if kind == "flood":
        await flood_loop(port, flooder, count, args.connections, load)
    else:
        await asyncio.sleep(seconds)
    stop.set()
    await officers_task
    taken = load.latencies[kind][before:]
    seconds = time.perf_counter() - started
    load.rounds.append({"kind": kind, "p99": percentile(taken, 99), "n": len(taken),
                        "seconds": seconds})
    return seconds


async def run_rounds(port: int, args: argparse.Namespace, officers: list[str], flooder: str,
                     load: Load) -> None:
    """Alternate anchor and flood segments; the flood's messages are shared among the rounds."""
    shares = [args.flood // args.rounds + (i < args.flood % args.rounds)
              for i in range(args.rounds)]
    length = args.anchor_seconds
    for number, share in enumerate(shares):
        order = ("anchor", "flood") if number % 2 == 0 else ("flood", "anchor")
        for kind in order:
            taken = await segment(port, args, officers, flooder, kind, length, load, share)
            if kind == "flood":
                length = max(args.anchor_seconds, taken)  # the anchor as long as a flood


async def set_up(port: int, chats: list[str]) -> None:
    """Take every chat to question 1 of a new application, a few chats at a time."""
    queue = list(chats)

    async def connection() -> None:
        while queue:
            user = queue.pop()
            for text in SETUP:
                status, _, _ = await post(port, user, text)
                if status != 200:
                    raise SystemExit(f"setting up answered {status}")

    await asyncio.gather(*(connection() for _ in range(4)))


# Processes -------------------------------------------------------------------------------------

def argv_of(command: str) -> list[str]:
    """Turn a Procfile command into an argv for this Python (gunicorn as a module)."""
    words = shlex.split(command)
    if words[0] in ("python", "python3"):
        return [sys.executable, *words[1:]]
    if words[0] == "gunicorn":
        return [sys.executable, "-m", "gunicorn", *words[1:]]
    return words


def wait_until(url: str, child: Any, log: Path) -> None:
    """Wait for ``url`` to answer 200, or stop with the server's log."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer in {START_TIMEOUT:.0f} s:\n{log.read_text()[-3000:]}")


@contextmanager
def bot_servers(database_url: str, folder: Path, hard_limit: float,
                settings: list[str]) -> Iterator[tuple[int, int]]:
    """Start the recording fake LINE, run the release, start the Procfile's processes."""
    line_port, bot_port = free_port(), free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT), "DATABASE_URL": database_url,
           "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
           "PUBLIC_BASE_URL": "https://coach.example.go.th",
           "SECRET_KEY": secrets.token_urlsafe(32), "LINE_API_HOST": f"http://127.0.0.1:{line_port}",
           "PORT": str(bot_port), "WEB_CONCURRENCY": "2", "PURGE_INTERVAL_HOURS": "0"}
    for name in list(env):
        if name.startswith("LIMIT_"):
            del env[name]  # the defaults are what is measured, unless --set says otherwise
    env.update(setting.split("=", 1) for setting in settings)
    log = folder / "servers.log"
    commands = procfile()
    with ExitStack() as stack:
        line = stack.enter_context(process_group(
            [sys.executable, __file__, "--serve-line", str(line_port), "--hard-limit",
             str(hard_limit)], env=env, log=log))
        subprocess.run(argv_of(commands["release"]), cwd=PROJECT, env=env, check=True,
                       stdout=subprocess.DEVNULL, timeout=START_TIMEOUT)
        web = stack.enter_context(process_group(argv_of(commands["web"]), env=env, log=log))
        for name, command in commands.items():
            if name not in ("web", "release"):
                stack.enter_context(process_group(argv_of(command), env=env, log=log))
        wait_until(f"http://127.0.0.1:{bot_port}/healthz", web, log)
        if line.poll() is not None:
            raise SystemExit(f"the fake LINE exited:\n{log.read_text()[-3000:]}")
        yield bot_port, line_port


# What happened ---------------------------------------------------------------------------------

def percentile(values: list[float], share: int) -> float:
    """Return the ``share``-th percentile in milliseconds (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(share / 100 * len(ordered)) - 1))]


def patterns() -> dict[str, re.Pattern[str]]:
    """Return what each kind of reply looks like, from the wording file's templates."""
    from bot.coach.texts import default_texts

    messages = default_texts().messages

    def pattern(key: str) -> re.Pattern[str]:
        literal = re.split(r"\{[^}]*\}", messages[key])
        return re.compile(".*?".join(re.escape(piece) for piece in literal[:2]))

    return {"kept": pattern("ack"),  # ack_short starts alike
            "too long for the message": pattern("limit_over_message"),
            "too long for the answer": pattern("limit_over_answer"),
            "too long for the application": pattern("limit_over_application"),
            "too fast (told in full)": pattern("limit_rate"),
            "too fast (told briefly)": pattern("limit_rate_again")}


def received(line_port: int, expected: int, bound: float = 60.0) -> list[list[str]]:
    """Return the fake LINE's calls once ``expected`` arrived or the replies stop coming."""
    deadline, last, calls = time.monotonic() + bound, -1, []
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{line_port}/", timeout=10) as response:
            calls = json.loads(response.read())
        if len(calls) >= expected or len(calls) == last:
            break
        last = len(calls)
        time.sleep(1.0)
    return calls


def told(calls: list[list[str]], load: Load) -> dict[str, Counter[str]]:
    """Classify every reply by chat: which kind of answer it was."""
    kinds = patterns()
    seen: dict[str, Counter[str]] = {"flood": Counter(), "officer": Counter()}
    for token, _to, text in calls:
        chat = load.tokens.get(token)
        if chat is None:
            continue  # the set-up's replies
        kind = next((name for name, pattern in kinds.items() if pattern.search(text)), "other")
        seen[chat][kind] += 1
    return seen


def stored(database_url: str, owners: dict[str, str]) -> dict[str, str]:
    """Return the stored answer to question 1 of each owner's application."""
    from bot.store import Database, export_owner

    database = Database(database_url)
    try:
        return {name: export_owner(database, owner)["applications"][0]["answers"].get("1", "")
                for name, owner in owners.items()}
    finally:
        database.dispose()


def report(name: str, load: Load, seen: dict[str, Counter[str]], answers: dict[str, str],
           officers: list[str]) -> None:
    """Print what the flood did and what the other officers saw."""
    from bot.coach.limits import DEFAULT_LIMITS
    from bot.rubrics import default_rubrics

    question = default_rubrics().get("public_service", 2564).questions_for("1.1")[0]
    limit = DEFAULT_LIMITS.answer_chars(question)
    flood_answer = answers.pop("flood")
    officer_parts = sum(len(text.split("\n")) for text in answers.values() if text)
    print(f"\n== {name} ==")
    print(f"flooded answer: {len(flood_answer):,} characters, limit {limit:,} "
          f"({'within' if len(flood_answer) <= limit else 'OVER'}; one more 5,000-character "
          f"message would make {len(flood_answer) + 1 + len(FLOOD_TEXT):,})")
    replies = sum(seen["flood"].values())
    flooding = sum(r["seconds"] for r in load.rounds if r["kind"] == "flood")
    print(f"flood: {load.sent['flood']} sent in {flooding:.1f} s "
          f"({load.sent['flood'] / flooding:.0f}/s), {replies} replies: "
          + ", ".join(f"{kind} {count}" for kind, count in seen["flood"].most_common()))
    print(f"  refused and told: {replies - seen['flood']['kept']}; kept: {seen['flood']['kept']}; "
          f"no reply: {load.sent['flood'] - replies}")
    print(f"other officers: {load.sent['officer']} answers from {len(officers)} chats, "
          f"{officer_parts} stored, replies: "
          + ", ".join(f"{kind} {count}" for kind, count in seen["officer"].most_common()))
    for kind in ("anchor", "flood"):
        values = load.latencies[kind]
        print(f"  webhook during {kind:6}: n={len(values):5}  p50 {percentile(values, 50):6.1f} ms"
              f"  p99 {percentile(values, 99):6.1f} ms  max {percentile(values, 100):6.1f} ms")
    ratios = [f["p99"] / a["p99"] for a, f in zip(
        [r for r in load.rounds if r["kind"] == "anchor"],
        [r for r in load.rounds if r["kind"] == "flood"], strict=False) if a["p99"]]
    if ratios:
        print(f"  per-round p99 flood/anchor: median {statistics.median(ratios):.2f} "
              f"({', '.join(f'{r:.2f}' for r in ratios)})")
    if load.errors:
        print(f"  errors: {dict(load.errors)}")


def measure(spec: str, args: argparse.Namespace, folder: Path) -> None:
    """Run the flood against one database and report."""
    flooder = user_id("flood")
    officers = [user_id(f"officer-{n}") for n in range(args.officers)]
    with fresh_database(spec, folder) as (name, url), \
            bot_servers(url, folder, args.hard_limit, args.set) as (bot_port, line_port):
        asyncio.run(set_up(bot_port, [flooder, *officers]))
        load = Load()
        asyncio.run(run_rounds(bot_port, args, officers, flooder, load))
        calls = received(line_port, len(SETUP) * (1 + len(officers)) + len(load.tokens))
        seen = told(calls, load)
        answers = stored(url, {"flood": flooder, **{o: o for o in officers}})
        report(name, load, seen, answers, officers)


def main(argv: list[str]) -> int:
    """Parse the options and run the flood against each database."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append",
                        help="sqlite, or a PostgreSQL admin URL (repeatable; default both)")
    parser.add_argument("--flood", type=int, default=1000, help="messages from the flooding chat")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4, help="the flood's connections")
    parser.add_argument("--officers", type=int, default=200, help="other chats answering")
    parser.add_argument("--gap", type=float, default=0.03, help="seconds between their answers")
    parser.add_argument("--anchor-seconds", type=float, default=4.0)
    parser.add_argument("--hard-limit", type=float, default=1200.0)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting for the bot's processes (repeatable)")
    parser.add_argument("--logs", help="keep the servers' logs (and SQLite file) in this folder")
    parser.add_argument("--serve-line", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_line:
        return serve_line(args.serve_line, args.hard_limit)
    if not (1 <= args.flood <= 5000 and 1 <= args.rounds <= 20 and 1 <= args.connections <= 32
            and 1 <= args.officers <= 2000 and 0.0 <= args.gap <= 5.0
            and args.hard_limit <= 3600 and all("=" in setting for setting in args.set)):
        parser.error("keep it bounded: flood 1-5000, rounds 1-20, connections 1-32, "
                     "officers 1-2000, hard limit at most 3600 s")
    def out_of_time(_signum: int, _frame: object) -> None:
        raise SystemExit(f"past the hard limit ({args.hard_limit:.0f} s); stopping")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(int(args.hard_limit))
    with tempfile.TemporaryDirectory(prefix="lertrat-flood-") as folder:
        for spec in args.database or DEFAULT_DATABASES:
            measure(spec, args, Path(args.logs or folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
