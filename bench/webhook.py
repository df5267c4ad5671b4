"""Benchmark the LINE webhook under gunicorn against a bare echo bot, on loopback only.

    python bench/webhook.py [--duration 20] [--connections 16] [--users 300] [--workers 2]

What it does, bounded in time and count, stopping by itself:
1. starts a fake LINE API (bench/fake_line.py) in its own process;
2. starts the bot with gunicorn (``--preload``, sync workers, the Procfile's target) on a fresh
   SQLite database (or ``--database URL``), LINE_API_HOST pointing at the fake LINE;
3. sets up ``--users`` officers mid-application through the webhook itself
   (เริ่ม, branch, category, title);
4. from a second process, keeps ``--connections`` connections busy for ``--duration`` seconds
   sending signed webhook requests, each one 1,000-character Thai answer from one of those users;
5. does the same against bench/echo_app.py (the SDK's flask-echo shape) under gunicorn;
6. prints requests/s, p50/p99 latency, errors, the throughput ratio, the workers' memory
   (RSS and PSS from /proc) and checks that every answer the bot acknowledged was stored.

Goal: bot >= 50 % of echo's throughput, p99 < 50 ms, worker memory < 180 MB.
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
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
SETUP = ["เริ่ม", "บริการภาครัฐ", "ยกระดับการอำนวยความสะดวกในการให้บริการ", "ระบบขออนุญาตขุดดินออนไลน์"]
PARAGRAPH = ("เดิมประชาชนต้องเดินทางมายื่นคำขออนุญาตที่สำนักงานอย่างน้อย 3 ครั้ง ใช้เวลาพิจารณาเฉลี่ย 45 วัน "
             "หลังเปิดระบบยื่นคำขอออนไลน์ผ่านเว็บไซต์และ LINE ระยะเวลาลดลงเหลือ 7 วัน ค่าเดินทางลดลงเฉลี่ย "
             "600 บาทต่อราย ผู้รับบริการพึงพอใจร้อยละ 92 จากแบบสำรวจ 1,250 ราย ในปีงบประมาณ 2564 ")
ANSWER = (PARAGRAPH * 10)[:1000]
START_TIMEOUT = 60.0
HARD_LIMIT = 900  # seconds: every child process is gone by then, whatever happens

# The load client ----------------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_serial = itertools.count(1)


def event_id() -> str:
    """Return a new ULID-like webhook event id."""
    value = (int(time.time() * 1000) << 80) | (os.getpid() << 50) | next(_serial)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def user_id(number: int) -> str:
    """Return the LINE user id of benchmark officer ``number``."""
    return "U" + hashlib.md5(f"bench-officer-{number}".encode()).hexdigest()


def signed_body(user: str, text: str) -> tuple[bytes, str]:
    """Build one webhook request carrying a text message, and its signature."""
    eid = event_id()
    body = {"destination": "U" + "b0" * 16, "events": [{
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user}, "webhookEventId": eid,
        "deliveryContext": {"isRedelivery": False},
        "replyToken": hashlib.md5(eid.encode()).hexdigest(),
        "message": {"id": str(next(_serial)), "type": "text", "text": text,
                    "quoteToken": "q" + eid},
    }]}
    raw = json.dumps(body, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, signature


async def post(port: int, raw: bytes, signature: str) -> int:
    """POST one webhook request on a new connection (gunicorn's sync workers close each one)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write((f"POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                      f"Content-Type: application/json; charset=utf-8\r\n"
                      f"X-Line-Signature: {signature}\r\n"
                      f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n").encode() + raw)
        await writer.drain()
        status_line = await reader.readline()
        await reader.read()
        return int(status_line.split()[1])
    finally:
        writer.close()


async def run_load(port: int, users: int, connections: int, duration: float) -> dict[str, Any]:
    """Keep ``connections`` requests in flight for ``duration`` seconds; return the latencies."""
    latencies: list[float] = []
    errors: Counter = Counter()
    deadline = time.perf_counter() + duration
    turn = itertools.cycle(range(users))

    async def connection() -> None:
        while time.perf_counter() < deadline:
            raw, signature = signed_body(user_id(next(turn)), ANSWER)
            started = time.perf_counter()
            try:
                status = await post(port, raw, signature)
            except OSError as error:
                errors[type(error).__name__] += 1
                continue
            if status == 200:
                latencies.append(time.perf_counter() - started)
            else:
                errors[str(status)] += 1

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return {"seconds": time.perf_counter() - started, "latencies": latencies,
            "errors": dict(errors)}


async def run_setup(port: int, users: int, connections: int) -> dict[str, Any]:
    """Take every user through the start of an application, users in parallel."""
    queue = list(range(users))
    errors: Counter = Counter()

    async def connection() -> None:
        while queue:
            user = user_id(queue.pop())
            for text in SETUP:
                status = await post(port, *signed_body(user, text))
                if status != 200:
                    errors[str(status)] += 1

    await asyncio.gather(*(connection() for _ in range(connections)))
    return {"errors": dict(errors)}


def client_main(spec: dict[str, Any]) -> int:
    """Run in the second process: the set-up or the load, results as JSON on stdout."""
    if spec["phase"] == "setup":
        result = asyncio.run(run_setup(spec["port"], spec["users"], spec["connections"]))
    else:
        result = asyncio.run(run_load(spec["port"], spec["users"], spec["connections"],
                                      spec["duration"]))
    json.dump(result, sys.stdout)
    return 0


def client(phase: str, **spec: Any) -> dict[str, Any]:
    """Run the load client in a second process and return what it measured."""
    limit = spec.get("duration", 0) + 240
    command = [sys.executable, __file__, "--client", json.dumps(dict(spec, phase=phase))]
    output = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True,
                            cwd=PROJECT, preexec_fn=_die_with_parent)
    return json.loads(output.stdout)


# The servers --------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def process(command: list[str], *, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """Run a server process for the length of the block, then stop it (by its own pid)."""
    with open(log, "wb") as output:
        child = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output,
                                 stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def _die_with_parent() -> None:
    """Have Linux stop the child if the benchmark itself is killed (PR_SET_PDEATHSIG)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _out_of_time(_signum: int, _frame: object) -> None:
    raise SystemExit(f"the benchmark ran past {HARD_LIMIT} s; stopping its servers")


def wait_until_answering(url: str, child: subprocess.Popen, log: Path) -> None:
    """Wait for ``url`` to answer 200, or fail with the server's log."""
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
    raise SystemExit(f"{url} did not answer within {START_TIMEOUT:.0f} s:\n"
                     f"{log.read_text()[-3000:]}")


def gunicorn(target: str, port: int, workers: int, *, preload: bool) -> list[str]:
    """Build the gunicorn command line (as the Procfile runs it, on loopback)."""
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "--backlog", "2048"]
    return command + (["--preload"] if preload else []) + [target]


def line_stats(port: int) -> Counter:
    """Return the fake LINE's counts of reply and push calls."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=5) as response:
        return Counter(json.loads(response.read()))


def workers_memory(master: int) -> list[tuple[float, float, float]]:
    """Return (RSS, PSS, private) in MB of each worker forked by gunicorn's master ``master``.

    With --preload most of a worker's RSS is pages shared with the master; "private" is
    what the worker alone adds.
    """
    memory = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master:
                continue
            rss = _kilobytes(entry / "status", "VmRSS:")
            pss = _kilobytes(entry / "smaps_rollup", "Pss:")
            private = (_kilobytes(entry / "smaps_rollup", "Private_Clean:")
                       + _kilobytes(entry / "smaps_rollup", "Private_Dirty:"))
        except (OSError, ValueError, IndexError):
            continue
        memory.append((rss / 1024, pss / 1024, private / 1024))
    return sorted(memory)


def _kilobytes(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    raise ValueError(field)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Reduce the latencies to requests/s, p50 and p99."""
    latencies = sorted(result["latencies"])
    count = len(latencies)
    quantiles = (statistics.quantiles(latencies, n=100, method="inclusive") if count > 1
                 else [0.0] * 99)
    return {"requests": count, "rps": count / result["seconds"],
            "p50": quantiles[49] * 1000, "p99": quantiles[98] * 1000,
            "errors": sum(result["errors"].values()), "error_kinds": result["errors"]}


# The run -------------------------------------------------------------------------------------


def measure(name: str, target: str, *, env: dict[str, str], args: argparse.Namespace,
            line_port: int, folder: Path, preload: bool, setup: bool) -> dict[str, Any]:
    """Start one app under gunicorn, optionally set up its users, load it, and measure it."""
    port = free_port()
    log = folder / f"{name}.log"
    with process(gunicorn(target, port, args.workers, preload=preload), env=env, log=log) as master:
        if setup:
            wait_until_answering(f"http://127.0.0.1:{port}/healthz", master, log)
        else:
            _wait_for_port(port, master, log)
        if setup:
            errors = client("setup", port=port, users=args.users,
                            connections=args.connections)["errors"]
            if errors:
                raise SystemExit(f"setting up the officers failed: {errors}\n"
                                 f"{log.read_text()[-3000:]}")
        before = line_stats(line_port)
        result = summary(client("load", port=port, users=args.users, connections=args.connections,
                                duration=args.duration))
        after = line_stats(line_port)
        result["replies"] = after["reply"] - before["reply"] + after["push"] - before["push"]
        result["memory"] = workers_memory(master.pid)
    return result


def _wait_for_port(port: int, child: subprocess.Popen, log: Path) -> None:
    """Wait until something accepts connections on ``port``."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"server exited:\n{log.read_text()[-3000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"port {port} never opened:\n{log.read_text()[-3000:]}")


def stored_parts(database_url: str) -> int:
    """Count the answer parts the bot stored."""
    sys.path.insert(0, str(PROJECT))
    from bot.store import Database, count_parts

    database = Database(database_url)
    try:
        return count_parts(database)
    finally:
        database.dispose()


def report(args: argparse.Namespace, bot: dict[str, Any], echo: dict[str, Any] | None,
           parts: int) -> None:
    """Print the figures."""
    print(f"\nwebhook bench: {args.workers} sync workers, {args.connections} connections, "
          f"{args.duration:g} s each, 1,000-character Thai answers from {args.users} officers")
    print(f"{'':18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'errors':>8}{'requests':>10}{'replies':>9}")
    for name, result in (("echo (SDK)", echo), ("lertrat bot", bot)):
        if result:
            print(f"{name:18}{result['rps']:9.1f}{result['p50']:9.1f}{result['p99']:9.1f}"
                  f"{result['errors']:8d}{result['requests']:10d}{result['replies']:9d}")
    if echo:
        print(f"throughput ratio bot/echo: {bot['rps'] / echo['rps']:.2f}  (goal >= 0.50)")
    print(f"bot p99: {bot['p99']:.1f} ms  (goal < 50)")
    for name, result in (("bot", bot), ("echo", echo)):
        if result:
            cells = ", ".join(f"RSS {rss:.0f} / PSS {pss:.0f} / private {private:.0f}"
                              for rss, pss, private in result["memory"])
            print(f"{name} worker memory MB: {cells}" + ("  (goal < 180)" if name == "bot" else ""))
    if bot["error_kinds"] or (echo and echo["error_kinds"]):
        print(f"error kinds: bot {bot['error_kinds']}, echo {echo['error_kinds'] if echo else {}}")
    print(f"answers stored: {parts} parts for {bot['requests']} acknowledged answers "
          f"({'ok' if parts >= bot['requests'] else 'MISSING ANSWERS'})")


def main(argv: list[str]) -> int:
    """Run the whole benchmark."""
    parser = argparse.ArgumentParser(description="Benchmark the webhook against a bare echo bot.")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load per app")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--users", type=int, default=300, help="officers mid-application")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default=None,
                        help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--skip-echo", action="store_true")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        return client_main(json.loads(args.client))
    if not (1 <= args.duration <= 120 and 1 <= args.connections <= 256
            and 1 <= args.users <= 5000):
        parser.error("keep it bounded: duration 1-120 s, connections 1-256, users 1-5000")
    signal.signal(signal.SIGALRM, _out_of_time)  # unwinds, so the servers are stopped below
    signal.alarm(HARD_LIMIT)
    with tempfile.TemporaryDirectory(prefix="lertrat-bench-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        database_url = args.database or f"sqlite:///{folder / 'bench.sqlite3'}"
        line_port = free_port()
        pythonpath = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
        env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                   PUBLIC_BASE_URL="https://coach.example.go.th",
                   SECRET_KEY=secrets.token_urlsafe(32), DATABASE_URL=database_url,
                   LINE_API_HOST=f"http://127.0.0.1:{line_port}",
                   PYTHONPATH=pythonpath)
        stack.enter_context(process([sys.executable, "bench/fake_line.py", "--port", str(line_port),
                                     "--max-seconds", str(HARD_LIMIT)],
                                    env=env, log=folder / "line.log"))
        bot = measure("bot", "bot.web:create_app()", env=env, args=args, line_port=line_port,
                      folder=folder, preload=True, setup=True)
        echo = None if args.skip_echo else measure(
            "echo", "bench.echo_app:app", env=env, args=args, line_port=line_port, folder=folder,
            preload=False, setup=False)
        report(args, bot, echo, stored_parts(database_url))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
