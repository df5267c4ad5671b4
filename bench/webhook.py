"""Benchmark the LINE webhook against the SDK's echo bot, interleaved in rounds, on loopback only.

    python bench/webhook.py --database sqlite --rounds 8 --seconds 4 --connections 16
    python bench/webhook.py --database postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python bench/webhook.py --downloads 2 ...                # ... and 2 PDF downloaders
    python bench/webhook.py --paced 100 ...   # ... and both at 100 requests/s, open loop

The run issue 13 is judged by (both databases, with and without downloads; 10-15 minutes
on a quiet two-core machine, progress on standard error):

    python bench/webhook.py --rounds 8 --seconds 4 --connections 16 --downloads 2 \\
        --database sqlite --database postgresql+psycopg://postgres@127.0.0.1:5432/postgres

``--database`` may be given more than once: ``sqlite`` means a fresh SQLite file; a PostgreSQL
URL names the server (and the database to connect to as admin): the bench creates a fresh
database ``lertrat_bench_<random>`` there and drops it at the end. Default: both, as above.
``--logs DIR`` keeps the servers' logs; ``--env NAME=VALUE`` gives the bot another setting.

What it does for each database, bounded in time (``--hard-limit``, default 2,400 s: then every
child process group is killed and the temporary database dropped):
1. starts a recording fake LINE API (bench/fake_line.py's handler, which also notes when each
   reply arrived and the draft links it carried: ``GET /_received``);
2. runs the Procfile's ``release`` command, then serves both apps the Procfile's way
   (``web:`` = gunicorn with gunicorn.conf.py, read at run time: worker count and class,
   threads, --preload), on loopback ports: the bot, plus every other Procfile process (an
   outbox sender, a draft builder, if the Procfile has them); and bench/echo_app.py, the
   SDK's flask-echo shape replying through the same fake LINE, under the same command;
3. sets up ``--users`` officers mid-application through the webhook (เริ่ม, award, category,
   title), and ``--maximal`` officers with a maximal application: 13 answers, each as long
   as the bot's limits allow within the application's limit (bot.coach.limits; 10,000
   characters each for a bot without limits, or ``--draft-chars``), sent as LINE-sized
   messages; the draft link comes from the bot's answer to ดูร่าง as the fake LINE got it;
4. ``--rounds`` rounds, each loading echo+reply and the bot (and with ``--downloads N`` the bot
   again while N clients keep downloading a maximal application's PDF) for ``--seconds``
   each, at ``--connections`` connections of signed 1,000-character Thai answers, the order
   rotating from round to round; after each bot segment it waits until the replies stop
   arriving (an outbox may still be sending). The load's officers send far more than people
   do, so the bot's per-chat limits are raised for the run (RAISED_LIMITS; still checked);
   With ``--paced RATE`` each round also loads echo and the bot at RATE requests/s in an
   open loop (and with ``--downloads`` the bot again at RATE with the downloaders): requests
   are sent on schedule whether or not the earlier ones were answered, as LINE sends, and
   each latency runs from when its request was due. At 16 connections the
   closed loop measures a saturated server, whose mean latency is 16 / req/s (Little's law);
   the open loop shows what an officer waits at a given load;
5. prints the median req/s of each, the median of the per-round ratios bot/echo, the bot's
   p50/p99 (all bot segments pooled) with and without downloads, errors, the replies the fake
   LINE received for the acknowledged events and how long after the webhook's answer they
   arrived (negative: the reply was sent before the webhook answered), whether every
   acknowledged answer was stored, and the CPU each request cost (user+system time from /proc
   of the server's processes, PostgreSQL's, the fake LINE's and the load client's, over the
   segment and the sending of its replies: far less moved by other work on a shared machine
   than requests/s) with how busy the machine was;
6. prints the workers' memory (RSS, PSS, private, from /proc) after the rounds and again after
   downloading every maximal officer's PDF and DOCX (``--maximal`` different drafts), and
   that of the bot's other processes (build processes, a sender) when there are any.

Goals (issue 13): bot >= 0.5x echo+reply, p99 < 50 ms at 16 connections, p99 < 100 ms with
two downloaders, worker RSS < 180 MB after 20 maximal drafts. Import time: bench/imports.py.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import io
import itertools
import json
import os
import re
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
SECRET = "bench-channel-secret"
TOKEN = "bench-access-token"
PUBLIC_BASE_URL = "https://coach.example.go.th"
SETUP = ["เริ่ม", "บริการภาครัฐ", "ยกระดับการอำนวยความสะดวกในการให้บริการ", "ระบบขออนุญาตขุดดินออนไลน์"]
#: A maximal application: the participatory award's category 2.3 asks all 13 questions.
MAXIMAL_SETUP = ["เริ่ม", "บริหารราชการแบบมีส่วนร่วม", "ผู้นำหุ้นส่วนความร่วมมือ", "เครือข่ายอาสาดูแลผู้สูงอายุ"]
MAXIMAL_QUESTIONS = 13
NEXT, DRAFT = "ถัดไป", "ดูร่าง"
LINE_MESSAGE_CHARS = 5000
PARAGRAPH = ("เดิมประชาชนต้องเดินทางมายื่นคำขออนุญาตที่สำนักงานอย่างน้อย 3 ครั้ง ใช้เวลาพิจารณาเฉลี่ย 45 วัน "
             "หลังเปิดระบบยื่นคำขอออนไลน์ผ่านเว็บไซต์และ LINE ระยะเวลาลดลงเหลือ 7 วัน ค่าเดินทางลดลงเฉลี่ย "
             "600 บาทต่อราย ผู้รับบริการพึงพอใจร้อยละ 92 จากแบบสำรวจ 1,250 ราย ในปีงบประมาณ 2564 ")
ANSWER = (PARAGRAPH * 10)[:1000]
#: Where a draft link's files are, from its token (bot/delivery/routes.py).
FILE_PATHS = {"pdf": "/d/{token}/clean/pdf", "docx": "/d/{token}/clean/docx"}
FILE_TYPES = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats"}
LINK_TOKEN = re.compile(r"/d/([A-Za-z0-9_.\-]+)")
START_TIMEOUT = 90.0
REQUEST_TIMEOUT = 60.0
HARD_LIMIT = 2400  # seconds: every child process is gone by then, whatever happens
STARTED = time.monotonic()
#: The load's officers each send far more than an officer would (dozens of answers a minute,
#: one answer growing past its limit): the bot's limits are raised so that they never bite,
#: yet still counted (the bot's work per event stays). ``--env`` sets them otherwise. The
#: maximal application is sized by the limits the bot has without these (maximal_lengths).
RAISED_LIMITS = {"LIMIT_MESSAGES_PER_MINUTE": "1000000", "LIMIT_ANSWER_BUDGETS": "1000",
                 "LIMIT_APPLICATION_CHARS": "1000000000"}
DEFAULT_DATABASES = ["sqlite", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"]

# Signed webhook events --------------------------------------------------------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_serial = itertools.count(1)


def event_id() -> str:
    """Return a new ULID-like webhook event id."""
    value = (int(time.time() * 1000) << 80) | (os.getpid() << 50) | next(_serial)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def user_id(number: int, kind: str = "officer") -> str:
    """Return the LINE user id of benchmark officer ``number`` (``kind`` "maximal": another set)."""
    return "U" + hashlib.md5(f"bench-{kind}-{number}".encode()).hexdigest()


def reply_token_of(eid: str) -> str:
    """Return the reply token the bench gives the event ``eid``."""
    return hashlib.md5(eid.encode()).hexdigest()


def signed_event(user: str, text: str) -> tuple[bytes, str, str]:
    """Build one webhook request carrying a text message: body, signature and reply token."""
    eid = event_id()
    token = reply_token_of(eid)
    body = {"destination": "U" + "b0" * 16, "events": [{
        "type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user}, "webhookEventId": eid,
        "deliveryContext": {"isRedelivery": False}, "replyToken": token,
        "message": {"id": str(int(token[:15], 16)), "type": "text", "text": text,
                    "quoteToken": "q" + eid},
    }]}
    raw = json.dumps(body, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
    return raw, signature, token


def signed_body(user: str, text: str) -> tuple[bytes, str]:
    """Build one webhook request carrying a text message, and its signature."""
    raw, signature, _ = signed_event(user, text)
    return raw, signature


# The load client (run in a second process) ------------------------------------------------------


async def request(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """Send one HTTP/1.1 request on a new connection; return status, headers and body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head.encode() + body)
        await writer.drain()
        answer = await reader.read()
    finally:
        writer.close()
    header_block, _, content = answer.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, content


async def post(port: int, raw: bytes, signature: str) -> int:
    """POST one webhook request on a new connection (gunicorn's sync workers close each one)."""
    head = (f"POST /callback HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json; charset=utf-8\r\nX-Line-Signature: {signature}\r\n"
            f"Content-Length: {len(raw)}\r\nConnection: close\r\n\r\n")
    status, _, _ = await request(port, head, raw)
    return status


async def get(port: int, path: str) -> tuple[int, str, int]:
    """GET ``path``; return the status, the content type and the body's length."""
    head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    status, headers, content = await request(port, head)
    return status, headers.get("content-type", ""), len(content)


async def answer_once(port: int, user: str, due: float | None,
                      result: dict[str, Any]) -> None:
    """Send one signed answer from ``user``; note its latency (from ``due`` when it is given,
    else from when it is sent), or the error."""
    raw, signature, token = signed_event(user, ANSWER)
    since = due if due is not None else time.perf_counter()
    try:
        status = await asyncio.wait_for(post(port, raw, signature), REQUEST_TIMEOUT)
    except (TimeoutError, OSError, IndexError) as error:
        result["errors"][type(error).__name__] += 1
        return
    if status == 200:
        result["latencies"].append(time.perf_counter() - since)
        result["answered"][token] = time.time()
    else:
        result["errors"][str(status)] += 1


async def webhook_loop(port: int, users: int, connections: int, deadline: float,
                       result: dict[str, Any]) -> None:
    """Keep ``connections`` signed answers in flight until ``deadline``."""
    turn = itertools.cycle(range(users))

    async def connection() -> None:
        while time.perf_counter() < deadline:
            await answer_once(port, user_id(next(turn)), None, result)

    await asyncio.gather(*(connection() for _ in range(connections)))


async def paced_loop(port: int, users: int, rate: float, deadline: float,
                     result: dict[str, Any], most: int = 256) -> None:
    """Send signed answers at ``rate`` a second until ``deadline`` whether or not the earlier
    ones were answered, as LINE does; at most ``most`` in flight (beyond: counted as errors).

    A latency runs from when the request was due, so a client falling behind its schedule
    does not hide the wait (no coordinated omission).
    """
    turn = itertools.cycle(range(users))
    flying: set[asyncio.Future[None]] = set()
    due = time.perf_counter()
    while due < deadline:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if len(flying) >= most:
            result["errors"][f"more than {most} in flight"] += 1
        else:
            task = asyncio.ensure_future(answer_once(port, user_id(next(turn)), due, result))
            flying.add(task)
            task.add_done_callback(flying.discard)
        due += 1 / rate
    await asyncio.gather(*flying)


async def download_loop(port: int, paths: list[str], deadline: float,
                        result: dict[str, Any]) -> None:
    """Download ``paths`` in turn until ``deadline`` (the one in flight then is waited for)."""
    for path in itertools.cycle(paths):
        if time.perf_counter() >= deadline:
            return
        started = time.perf_counter()
        try:
            status, content_type, _ = await asyncio.wait_for(get(port, path), REQUEST_TIMEOUT * 3)
        except (TimeoutError, OSError, IndexError) as error:
            result["download_kinds"][type(error).__name__] += 1
            continue
        result["download_kinds"][f"{status} {content_type.split(';')[0]}"] += 1
        result["downloads"].append(time.perf_counter() - started)
        if status == 503:  # being built elsewhere: come back, as its Retry-After says
            await asyncio.sleep(1)


async def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    """Load the webhook for ``seconds``, with ``downloaders`` clients downloading meanwhile."""
    result: dict[str, Any] = {"latencies": [], "errors": Counter(), "answered": {},
                              "downloads": [], "download_kinds": Counter()}
    started = time.perf_counter()
    deadline = started + spec["seconds"]
    loads = [paced_loop(spec["port"], spec["users"], spec["rate"], deadline, result)
             if spec.get("rate") else
             webhook_loop(spec["port"], spec["users"], spec["connections"], deadline, result)]
    loads += [download_loop(spec["port"], spec["paths"][i::spec["downloaders"]] or spec["paths"],
                            deadline, result) for i in range(spec.get("downloaders", 0))]
    webhook = asyncio.ensure_future(loads[0])
    others = asyncio.gather(*loads[1:])
    await webhook
    result["seconds"] = time.perf_counter() - started
    await others
    return result


async def run_setup(spec: dict[str, Any]) -> dict[str, Any]:
    """Send each officer's messages in order, officers in parallel; keep the reply tokens."""
    queue = list(spec["scripts"].items())
    errors: Counter[str] = Counter()
    tokens: dict[str, list[str]] = {}

    async def connection() -> None:
        while queue:
            user, texts = queue.pop()
            tokens[user] = []
            for text in texts:
                raw, signature, token = signed_event(user, text)
                status = await asyncio.wait_for(post(spec["port"], raw, signature),
                                                REQUEST_TIMEOUT)
                tokens[user].append(token)
                if status != 200:
                    errors[str(status)] += 1

    await asyncio.gather(*(connection() for _ in range(spec["connections"])))
    return {"errors": errors, "tokens": tokens}


async def run_fetch(spec: dict[str, Any]) -> dict[str, Any]:
    """Download each path once (until it is the file asked for), ``connections`` at a time."""
    queue = list(spec["paths"])
    kinds: Counter[str] = Counter()
    times: list[float] = []

    async def connection() -> None:
        while queue:
            path, wanted = queue.pop()
            started = time.perf_counter()
            for _ in range(120):  # a file being built elsewhere may answer 503 "come back" first
                status, content_type, _ = await asyncio.wait_for(get(spec["port"], path),
                                                                 REQUEST_TIMEOUT * 3)
                kinds[f"{status} {content_type.split(';')[0]}"] += 1
                if status not in (200, 503) or content_type.startswith(wanted):
                    break
                await asyncio.sleep(1)  # being built elsewhere: come back
            times.append(time.perf_counter() - started)

    await asyncio.gather(*(connection() for _ in range(spec["connections"])))
    return {"kinds": kinds, "times": times}


PHASES = {"load": run_load, "setup": run_setup, "fetch": run_fetch}


def client_main(spec: dict[str, Any]) -> int:
    """Run in the second process: one phase, results as JSON on stdout."""
    json.dump(asyncio.run(PHASES[spec["phase"]](spec)), sys.stdout)
    return 0


def client(phase: str, **spec: Any) -> dict[str, Any]:
    """Run the load client in a second process and return what it measured."""
    limit = spec.get("seconds", spec.get("duration", 0)) + 600
    if phase == "setup" and "scripts" not in spec:  # the old call: officers mid-application
        spec["scripts"] = {user_id(n): SETUP for n in range(spec["users"])}
    command = [sys.executable, __file__, "--client", "-"]  # the spec on stdin: it can be long
    output = subprocess.run(command, input=json.dumps(dict(spec, phase=phase)), capture_output=True,
                            text=True, timeout=limit, check=True, cwd=PROJECT,
                            preexec_fn=_die_with_parent)
    return json.loads(output.stdout)


# The recording fake LINE (run in its own process) -----------------------------------------------


def fake_line_main(port: int, max_seconds: float) -> int:
    """Serve bench/fake_line.py's API, also noting each reply's arrival and the links it carried."""
    from bench.fake_line import FakeLineHandler, FakeLineServer

    received: list[list[Any]] = []
    lock = threading.Lock()

    class RecordingHandler(FakeLineHandler):
        """The fake LINE, keeping (arrival time, kind, reply token, retry key, draft links)."""

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            arrived = time.time()
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            own, self.rfile = self.rfile, io.BytesIO(body)  # the fake LINE reads it again
            try:
                super().do_POST()
            finally:
                self.rfile = own
            try:
                token = json.loads(body).get("replyToken")
            except ValueError:
                token = None
            links = sorted(set(LINK_TOKEN.findall(body.decode(errors="replace"))))
            with lock:
                received.append([arrived, self.path.rsplit("/", 1)[-1], token,
                                 self.headers.get("X-Line-Retry-Key"), links,
                                 getattr(self, "status_sent", 0)])

        def send_response(self, code: int, message: str | None = None) -> None:
            self.status_sent = code
            super().send_response(code, message)

        def do_GET(self) -> None:  # noqa: N802
            if not self.path.startswith(("/_received", "/_count")):
                super().do_GET()
                return
            since = int(self.path.partition("since=")[2] or 0)
            with lock:
                payload = json.dumps(len(received) if self.path == "/_count"
                                     else received[since:]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    server = FakeLineServer(("127.0.0.1", port), RecordingHandler)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stop.wait(max_seconds)
    server.shutdown()
    return 0


def line_stats(port: int) -> Counter:
    """Return the fake LINE's counts of reply and push calls."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=5) as response:
        return Counter(json.loads(response.read()))


def line_calls(port: int) -> int:
    """Return how many calls the recording fake LINE received."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_count", timeout=5) as response:
        return int(json.loads(response.read()))


def line_received(port: int, since: int = 0) -> list[list[Any]]:
    """Return what the recording fake LINE received: [time, kind, token, key, links, status]."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_received?since={since}",
                                timeout=30) as response:
        return json.loads(response.read())


# Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    """Return a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """Have Linux stop the child if the benchmark itself is killed (PR_SET_PDEATHSIG)."""
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def _out_of_time(signum: int, _frame: object) -> None:
    if signum == signal.SIGTERM:
        raise SystemExit("the benchmark was stopped; stopping its servers")
    raise SystemExit("the benchmark ran past its hard limit (--hard-limit); stopping it")


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


@contextmanager
def process_group(command: list[str], *, env: dict[str, str],
                  log: Path) -> Iterator[subprocess.Popen]:
    """Run a server in a process group of its own; at the end stop the whole group.

    SIGINT first (gunicorn's quick shutdown), then SIGKILL to every process left in the group
    (workers, pools, anything they forked).
    """
    with open(log, "ab") as output:
        child = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=output,
                                 stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
                                 start_new_session=True)
    try:
        yield child
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        child.wait()


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


def wait_for_port(port: int, child: subprocess.Popen, log: Path) -> None:
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


def gunicorn(target: str, port: int, workers: int, *, preload: bool) -> list[str]:
    """Build a bare gunicorn command line on loopback (sync workers; tests and bench/load.py)."""
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "--backlog", "2048"]
    return command + (["--preload"] if preload else []) + [target]


def procfile() -> dict[str, str]:
    """Return the Procfile's commands by process type."""
    lines = (PROJECT / "Procfile").read_text().splitlines()
    return {name.strip(): command.strip() for name, _, command in
            (line.partition(":") for line in lines if line.strip() and not line.startswith("#"))}


def gunicorn_settings(overrides: dict[str, str]) -> dict[str, Any]:
    """Read gunicorn.conf.py as gunicorn would with ``overrides`` (``--env``) in its
    environment (the settings the bench reports)."""
    import runpy
    from unittest import mock

    with mock.patch.dict(os.environ, overrides):
        settings = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    defaults = {"workers": 1, "worker_class": "sync", "threads": 1, "timeout": 30,
                "preload_app": False}
    return {name: settings.get(name, default) for name, default in defaults.items()}


def procfile_command(command: str, env: dict[str, str], *, target: str | None = None,
                     port: int | None = None) -> list[str]:
    """Turn a Procfile line into an argv: this Python, loopback ``port``, another app ``target``."""
    argv = [re.sub(r"\$\{?(\w+)\}?", lambda m: env.get(m.group(1), ""), word)
            for word in shlex.split(command)]
    while argv and re.fullmatch(r"\w+=.*", argv[0]):  # "NAME=value command": the shell's way
        name, _, value = argv.pop(0).partition("=")
        env[name] = value
    if argv[0] == "gunicorn":
        argv[:1] = [sys.executable, "-m", "gunicorn"]
    elif argv[0] in ("python", "python3"):
        argv[0] = sys.executable
    if port is not None:  # gunicorn: the command line's bind wins over gunicorn.conf.py's
        argv[argv.index("gunicorn") + 1:argv.index("gunicorn") + 1] = ["-b", f"127.0.0.1:{port}"]
    if target is not None:
        argv[-1] = target
    return argv


@dataclass
class Servers:
    """The bot (and its other Procfile processes), echo+reply and the recording fake LINE."""

    bot_port: int
    echo_port: int
    line_port: int
    bot: subprocess.Popen
    echo: subprocess.Popen
    others: dict[str, subprocess.Popen] = field(default_factory=dict)
    line: subprocess.Popen | None = None


@contextmanager
def servers(database_url: str, args: argparse.Namespace, folder: Path) -> Iterator[Servers]:
    """Start the fake LINE, the bot the Procfile's way (release first) and echo the same way."""
    bot_port, echo_port, line_port = free_port(), free_port(), free_port()
    pythonpath = os.pathsep.join(filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
               PUBLIC_BASE_URL=PUBLIC_BASE_URL, SECRET_KEY=args.secret_key,
               DATABASE_URL=database_url, LINE_API_HOST=f"http://127.0.0.1:{line_port}",
               WEB_CONCURRENCY=str(args.workers), PYTHONPATH=pythonpath, PORT=str(bot_port))
    env.update(RAISED_LIMITS)
    env.update(args.env)
    commands = procfile()
    with ExitStack() as stack:
        line = stack.enter_context(process_group(
            [sys.executable, __file__, "--fake-line", str(line_port)], env=env,
            log=folder / "line.log"))
        if "release" in commands:
            subprocess.run(procfile_command(commands["release"], env), cwd=PROJECT, env=env,
                           check=True, timeout=180, capture_output=True,
                           preexec_fn=_die_with_parent)
        log = folder / "bot.log"
        bot = stack.enter_context(process_group(
            procfile_command(commands["web"], env, port=bot_port), env=env, log=log))
        others = {name: stack.enter_context(process_group(
            procfile_command(command, env), env=env, log=folder / f"{name}.log"))
            for name, command in commands.items() if name not in ("web", "release")}
        wait_until_answering(f"http://127.0.0.1:{bot_port}/healthz", bot, log)
        echo_log = folder / "echo.log"
        echo_env = dict(env, PORT=str(echo_port))  # the command's own NAME=value land here
        echo = stack.enter_context(process_group(
            procfile_command(commands["web"], echo_env, target="bench.echo_app:app",
                             port=echo_port), env=echo_env, log=echo_log))
        wait_for_port(echo_port, echo, echo_log)
        wait_for_port(line_port, bot, log)
        yield Servers(bot_port, echo_port, line_port, bot, echo, others, line)


@contextmanager
def fresh_database(spec: str, folder: Path) -> Iterator[tuple[str, str]]:
    """Yield (name, URL) of a new database: a SQLite file, or a PostgreSQL one dropped after."""
    if spec == "sqlite" or spec.startswith("sqlite:"):
        yield "SQLite", f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    from sqlalchemy import create_engine, make_url, text
    from sqlalchemy.pool import NullPool

    admin_url = make_url(spec)
    name = f"lertrat_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield "PostgreSQL", admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# Memory ---------------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Return every process's children, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def _tree(roots: list[int]) -> set[int]:
    """Return ``roots`` and every process descending from them."""
    children, found, stack = _children(), set(), list(roots)
    while stack:
        pid = stack.pop()
        if pid not in found:
            found.add(pid)
            stack += children.get(pid, [])
    return found


def process_memory(pid: int) -> tuple[float, float, float]:
    """Return (RSS, PSS, private) in MB of process ``pid``."""
    rollup = Path(f"/proc/{pid}/smaps_rollup")
    rss = _kilobytes(Path(f"/proc/{pid}/status"), "VmRSS:")
    pss = _kilobytes(rollup, "Pss:")
    private = _kilobytes(rollup, "Private_Clean:") + _kilobytes(rollup, "Private_Dirty:")
    return rss / 1024, pss / 1024, private / 1024


def workers_memory(master: int) -> list[tuple[float, float, float]]:
    """Return (RSS, PSS, private) in MB of each worker forked by gunicorn's master ``master``.

    With --preload most of a worker's RSS is pages shared with the master; "private" is
    what the worker alone adds.
    """
    memory = []
    for pid in _children().get(master, []):
        try:
            memory.append(process_memory(pid))
        except (OSError, ValueError):
            continue
    return sorted(memory)


def helpers_memory(roots: list[int], master: int) -> list[tuple[float, float, float]]:
    """Return the memory of the bot's other processes: other Procfile ones, anything forked."""
    workers = set(_children().get(master, []))
    memory = []
    for pid in _tree(roots) - workers - {master}:
        try:
            memory.append(process_memory(pid))
        except (OSError, ValueError):
            continue
    return sorted(memory)


def _kilobytes(path: Path, name: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(name):
            return int(line.split()[1])
    raise ValueError(name)


# CPU ------------------------------------------------------------------------------------------
#
# The throughput of a saturated machine is bounded by the CPU each request costs, a figure far
# less moved by other work on a shared machine than requests/s: each segment also measures the
# user+system time its processes spent, per acknowledged request, from /proc.

#: The columns of the CPU table: the segment's server (gunicorn's master, workers and every
#: process they started, plus the bot's other Procfile processes), PostgreSQL's processes
#: (none for SQLite), the fake LINE API, and the load client.
CPU_PARTS = ("server", "database", "fake LINE", "load")
_TICK = os.sysconf("SC_CLK_TCK")


def _seconds(pids: set[int]) -> dict[int, float]:
    """Return the user+system CPU seconds each living process of ``pids`` has used."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime, all threads
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
    return used


def _postgres() -> set[int]:
    """Return the PostgreSQL server's processes on this machine."""
    found = set()
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres":
                found.add(int(entry.name))
        except OSError:
            continue
    return found


def cpu_snapshot(roots: list[int], line: int | None,
                 database: bool) -> dict[str, dict[int, float]]:
    """Return the CPU seconds each process of each of CPU_PARTS has used so far, and the
    machine's busy and total seconds (process 0)."""
    times = os.times()
    busy, total = _machine()
    return {"server": _seconds(_tree(roots)),
            "database": _seconds(_postgres()) if database else {},
            "fake LINE": _seconds(_tree([line])) if line else {},
            "load": {0: times.children_user + times.children_system},  # the client, reaped
            "machine busy": {0: busy}, "machine total": {0: total}}


def _machine() -> tuple[float, float]:
    """Return the whole machine's busy and total CPU seconds (all cores) from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / _TICK, sum(values[:8]) / _TICK


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]],
             requests: int, loaded: dict[str, dict[int, float]]) -> dict[str, float]:
    """Return the ms of CPU per request of each part, and how busy the machine was while the
    load ran (``loaded``: the snapshot taken when the client ended).

    A process is counted from the first snapshot (or its start) to the second; one that ended
    in between is not counted (a PostgreSQL backend whose connection closed).
    """
    used = {part: sum(seconds - before[part].get(pid, 0.0)
                      for pid, seconds in after[part].items()) * 1000 / max(1, requests)
            for part in CPU_PARTS}
    total = loaded["machine total"][0] - before["machine total"][0]
    busy = loaded["machine busy"][0] - before["machine busy"][0]
    used["busy"] = busy / total if total else 0.0
    return used


# Figures --------------------------------------------------------------------------------------


def percentile(values: list[float], share: int) -> float:
    """Return the ``share``-th percentile of ``values`` (0 when there are none)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Reduce the latencies to requests/s, p50 and p99."""
    latencies = result["latencies"]
    return {"requests": len(latencies), "rps": len(latencies) / result["seconds"],
            "p50": percentile(latencies, 50) * 1000, "p99": percentile(latencies, 99) * 1000,
            "errors": sum(result["errors"].values()), "error_kinds": dict(result["errors"])}


@dataclass
class Segment:
    """Every round of one kind of load: echo, bot, or bot with downloaders."""

    name: str
    rounds: list[dict[str, Any]] = field(default_factory=list)

    def pooled(self, key: str) -> list[float]:
        """Return ``key`` of every round, one list."""
        return [value for result in self.rounds for value in result[key]]

    def errors(self) -> Counter[str]:
        """Return the errors of every round."""
        total: Counter[str] = Counter()
        for result in self.rounds:
            total.update(result["errors"])
        return total

    def line(self) -> str:
        """Return the segment's row: median req/s, pooled p50 and p99, errors, requests."""
        rates = [len(r["latencies"]) / r["seconds"] for r in self.rounds]
        latencies = self.pooled("latencies")
        return (f"  {self.name:22}{statistics.median(rates):9.1f}"
                f"{percentile(latencies, 50) * 1000:9.1f}{percentile(latencies, 99) * 1000:9.1f}"
                f"{sum(self.errors().values()):8d}{len(latencies):10d}")


# The run --------------------------------------------------------------------------------------


def progress(message: str) -> None:
    """Say on standard error how far the run is, with the time since it started."""
    print(f"[{time.monotonic() - STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def maximal_lengths(settings: dict[str, str], chars: int | None) -> tuple[list[int], int]:
    """Return the characters of each of the 13 answers of a maximal application, and the
    characters a message may hold: the largest the bot's limits allow (bot.coach.limits,
    read from ``settings`` as the bot reads them), else ``chars`` (10,000) each."""
    try:
        from bot.coach.limits import limits_from
        from bot.rubrics import default_rubrics
    except ImportError:  # a bot without limits: issue 13's 13 x 10,000 characters
        return [chars or 10_000] * MAXIMAL_QUESTIONS, LINE_MESSAGE_CHARS
    limits = limits_from(settings)
    rubrics = default_rubrics()
    questions = rubrics.get("participatory", rubrics.latest_year).questions
    lengths = [min(limits.answer_chars(q), chars or 10**9) for q in questions]
    room = limits.application_chars - 20 * len(lengths)  # line breaks between the parts
    if sum(lengths) > room:
        lengths = [length * room // sum(lengths) for length in lengths]
    return lengths, min(LINE_MESSAGE_CHARS, limits.message_chars)


def maximal_scripts(count: int, lengths: list[int], message: int) -> dict[str, list[str]]:
    """Return each maximal officer's messages: set-up, 13 long answers, then ดูร่าง."""
    scripts = {}
    for number in range(count):
        texts = list(MAXIMAL_SETUP)
        for question, chars in enumerate(lengths):
            start = (number * 13 + question) * 37 % len(PARAGRAPH)
            answer = f"ข้อ {question + 1} " + (PARAGRAPH * (chars // len(PARAGRAPH) + 2))[start:]
            answer = answer[:chars]
            texts += [answer[i:i + message] for i in range(0, len(answer), message)]
            texts.append(NEXT)
        scripts[user_id(number, "maximal")] = texts + [DRAFT]
    return scripts


def draft_links(line_port: int, tokens: dict[str, list[str]], timeout: float = 60) -> list[str]:
    """Return each maximal officer's draft link token, from the reply to ดูร่าง LINE received."""
    wanted = {texts[-1]: user for user, texts in tokens.items()}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        links = {record[2]: record[4] for record in line_received(line_port)
                 if record[2] in wanted and record[4]}
        if len(links) == len(wanted):
            return [max(links[token], key=len) for token in wanted]
        time.sleep(0.5)
    received = line_received(line_port)
    raise SystemExit(f"only {len(links)} of {len(wanted)} draft links reached the fake LINE "
                     f"in {timeout:.0f} s; it received {Counter(r[1] for r in received)} calls, "
                     f"statuses {Counter(r[5] for r in received)}; the bot's answers to "
                     f"{DRAFT}: {[r for r in received if r[2] in wanted]}")


def count_parts(database_url: str) -> int:
    """Count the answer parts the bot stored."""
    sys.path.insert(0, str(PROJECT))
    from bot.store import Database
    from bot.store import count_parts as counted

    database = Database(database_url)
    try:
        return counted(database)
    finally:
        database.dispose()


def drain(line_port: int, expected: int, before: int, bound: float = 30.0) -> None:
    """Wait until the fake LINE got ``expected`` more calls, or they stop coming for 1 s."""
    deadline, last, quiet_since = time.monotonic() + bound, -1, time.monotonic()
    while time.monotonic() < deadline:
        calls = line_calls(line_port) - before
        if calls >= expected:
            return
        if calls != last:
            last, quiet_since = calls, time.monotonic()
        elif time.monotonic() - quiet_since > 1.0:
            return
        time.sleep(0.1)


def run_rounds(bench: Servers, args: argparse.Namespace, paths: list[str], *,
               database: bool) -> dict[str, Segment]:
    """Load echo, the bot (and the bot with downloaders) in rotating order, round by round;
    ``database``: whether a PostgreSQL server's CPU counts (the bot's, not echo's)."""
    segments = {"echo": Segment("echo+reply (SDK)"), "bot": Segment("lertrat bot")}
    if args.downloads:
        segments["downloads"] = Segment(f"bot, {args.downloads} PDF downloaders")
    for rate in args.paced:  # open loop: keys "echo@100", "bot@100", "downloads@100"
        segments[f"echo@{rate:g}"] = Segment(f"echo, {rate:g}/s paced")
        segments[f"bot@{rate:g}"] = Segment(f"bot, {rate:g}/s paced")
        if args.downloads:
            segments[f"downloads@{rate:g}"] = Segment(f"bot, {rate:g}/s, downloaders")
    names = list(segments)
    line = bench.line.pid if bench.line else None
    for number in range(args.rounds):
        order = names[number % len(names):] + names[:number % len(names)]
        if number % 2:
            order.reverse()
        progress(f"round {number + 1}/{args.rounds}: {', '.join(order)}")
        for name in order:
            port = bench.echo_port if name.startswith("echo") else bench.bot_port
            roots = ([bench.echo.pid] if name.startswith("echo") else
                     [bench.bot.pid, *(p.pid for p in bench.others.values())])
            before = line_calls(bench.line_port)
            cpu = cpu_snapshot(roots, line, database)
            result = client("load", port=port, users=args.users, connections=args.connections,
                            seconds=args.seconds, paths=paths,
                            downloaders=args.downloads if name.startswith("downloads") else 0,
                            rate=float(name.partition("@")[2] or 0))
            loaded = cpu_snapshot(roots, line, database)
            drain(bench.line_port, len(result["latencies"]), before)
            result["cpu"] = cpu_used(cpu, cpu_snapshot(roots, line, database),
                                     len(result["latencies"]), loaded)
            segments[name].rounds.append(result)
    return segments


def reply_delays(line_port: int, segments: list[Segment]) -> dict[str, Any]:
    """Match the bot's acknowledged events with the replies LINE received."""
    answered: dict[str, float] = {}
    for segment in segments:
        for result in segment.rounds:
            answered.update(result["answered"])
    records = line_received(line_port)
    arrived = {r[2]: r[0] for r in records if r[1] == "reply" and r[2] in answered
               and r[5] == 200}
    delays = [(arrived[token] - answered[token]) * 1000 for token in arrived]
    return {"acknowledged": len(answered), "replied": len(arrived),
            "pushes": sum(1 for r in records if r[1] == "push"),
            "p50": percentile(delays, 50), "p99": percentile(delays, 99)}


def measure(spec: str, args: argparse.Namespace, folder: Path) -> None:
    """Run every round on one database and print its figures."""
    with fresh_database(spec, folder) as (name, url), servers(url, args, folder) as bench:
        progress(f"{name}: servers up; setting up {args.users} officers and {args.maximal} "
                 "maximal applications")
        officers = {user_id(n): SETUP for n in range(args.users)}
        errors = client("setup", port=bench.bot_port, scripts=officers,
                        connections=args.connections)["errors"]
        lengths, message = maximal_lengths(dict(os.environ, **args.env), args.draft_chars)
        maximal = client("setup", port=bench.bot_port, connections=min(4, args.maximal) or 1,
                         scripts=maximal_scripts(args.maximal, lengths, message))
        args.maximal_chars = sum(lengths)
        if errors or maximal["errors"]:
            raise SystemExit(f"setting up the officers failed: {errors} {maximal['errors']}\n"
                             f"{(folder / 'bot.log').read_text()[-3000:]}")
        links = draft_links(bench.line_port, maximal["tokens"]) if args.maximal else []
        stored_before = count_parts(url)
        paths = [FILE_PATHS["pdf"].format(token=token) for token in links[:1]]
        segments = run_rounds(bench, args, paths, database=name == "PostgreSQL")
        stored = count_parts(url) - stored_before
        time.sleep(1)
        delays = reply_delays(bench.line_port, [
            segment for key, segment in segments.items() if not key.startswith("echo")])
        roots = [bench.bot.pid, *(p.pid for p in bench.others.values())]
        memory = {"after the rounds": (workers_memory(bench.bot.pid),
                                       helpers_memory(roots, bench.bot.pid))}
        if links:
            progress(f"downloading {len(links)} maximal drafts (PDF and DOCX)")
            fetched = client("fetch", port=bench.bot_port, connections=2, paths=[
                [FILE_PATHS[fmt].format(token=token), FILE_TYPES[fmt]]
                for token in links for fmt in ("pdf", "docx")])
            memory[f"after {len(links)} maximal drafts (PDF+DOCX)"] = (
                workers_memory(bench.bot.pid), helpers_memory(roots, bench.bot.pid))
            memory["draft downloads"] = fetched  # type: ignore[assignment]
        report(name, args, segments, stored, delays, memory)


def print_cpu(segments: dict[str, Segment]) -> None:
    """Print each segment's CPU per request (median of rounds) and how busy the machine was."""
    print(f"  CPU ms per request  {''.join(f'{part:>10}' for part in CPU_PARTS)}"
          f"{'all':>8}{'machine busy':>14}   (user+system, median of rounds)")
    medians = {}
    for key, segment in segments.items():
        cpu = [r["cpu"] for r in segment.rounds if "cpu" in r]
        if not cpu:
            continue
        row = {part: statistics.median(c[part] for c in cpu) for part in (*CPU_PARTS, "busy")}
        medians[key] = row["all"] = statistics.median(sum(c[p] for p in CPU_PARTS) for c in cpu)
        print(f"  {segment.name:20}{''.join(f'{row[part]:10.2f}' for part in CPU_PARTS)}"
              f"{row['all']:8.2f}{row['busy']:13.0%}")
    if medians.get("bot") and medians.get("echo"):
        print(f"  CPU ratio echo/bot {medians['echo'] / medians['bot']:.2f}: the bot's throughput "
              "relative to echo's on a machine both saturate")


def print_closed_loop(connections: int, echo: Segment, bot: Segment) -> None:
    """Say what the closed loop implies: each connection sends its next request when the last
    is answered, so the mean latency is connections / throughput (Little's law)."""
    rates = {name: statistics.median(len(r["latencies"]) / r["seconds"] for r in s.rounds)
             for name, s in (("echo", echo), ("bot", bot))}
    if not all(rates.values()):
        return
    print(f"  closed loop: {connections} requests always in flight, so the mean latency is "
          f"{connections} / req/s: echo {connections / rates['echo'] * 1000:.1f} ms, bot "
          f"{connections / rates['bot'] * 1000:.1f} ms; at 0.5x echo it would be "
          f"{connections / (rates['echo'] / 2) * 1000:.1f} ms, the p99 above it")


def print_downloads(key: str, downloaders: int, loaded: Segment, alone: Segment) -> None:
    """Print the webhook's p99 with the downloaders and without them, in the same loop (closed,
    or open at the segment's rate), and how the downloads went."""
    times = loaded.pooled("downloads")
    kinds: Counter[str] = Counter()
    for result in loaded.rounds:
        kinds.update(result["download_kinds"])
    rate = key.partition("@")[2]
    print(f"  with {downloaders} downloaders{f' at {rate}/s paced' if rate else ''}: webhook p99 "
          f"{percentile(loaded.pooled('latencies'), 99) * 1000:.1f} ms (goal < 100), without "
          f"{percentile(alone.pooled('latencies'), 99) * 1000:.1f} ms; downloads {len(times)} "
          f"(p50 {percentile(times, 50):.2f} s, max {max(times, default=0):.2f} s) "
          f"{dict(kinds)}")


def report(name: str, args: argparse.Namespace, segments: dict[str, Segment], stored: int,
           delays: dict[str, Any], memory: dict[str, Any]) -> None:
    """Print one database's figures."""
    settings = args.settings
    print(f"\n{name}: gunicorn {settings['worker_class']} x {args.workers} workers "
          f"({settings['threads']} threads, timeout {settings['timeout']} s, preload "
          f"{settings['preload_app']}), {args.connections} connections, {args.rounds} rounds of "
          f"{args.seconds:g} s, 1,000-character Thai answers from {args.users} officers; "
          f"maximal application: {args.maximal_chars:,} characters")
    print(f"  {'':22}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'requests':>10}"
          "   (req/s: median of rounds; p50/p99: all rounds pooled)")
    for segment in segments.values():
        print(segment.line())
    echo, bot = segments["echo"], segments["bot"]
    ratios = [len(b["latencies"]) / b["seconds"] / (len(e["latencies"]) / e["seconds"])
              for b, e in zip(bot.rounds, echo.rounds, strict=True) if e["latencies"]]
    print(f"  ratio bot/echo: median of rounds {statistics.median(ratios):.2f} "
          f"(rounds {min(ratios):.2f}-{max(ratios):.2f})  (goal >= 0.50)")
    round_p99 = sorted(percentile(r["latencies"], 99) * 1000 for r in bot.rounds)
    print(f"  bot p99 {percentile(bot.pooled('latencies'), 99) * 1000:.1f} ms (goal < 50; "
          f"per round {round_p99[0]:.0f}-{round_p99[-1]:.0f})")
    print_cpu(segments)
    print_closed_loop(args.connections, echo, bot)
    for key, loaded in segments.items():
        if key.startswith("downloads"):
            print_downloads(key, args.downloads, loaded, segments[key.replace("downloads", "bot")])
    errors = Counter[str]()
    for segment in segments.values():
        errors.update(segment.errors())
    if errors:
        print(f"  error kinds: {dict(errors)}")
    print(f"  replies: LINE received {delays['replied']} replies for {delays['acknowledged']} "
          f"acknowledged bot events (+{delays['pushes']} pushes in the whole run); a reply "
          f"arrived {delays['p50']:.1f} ms (p50) / {delays['p99']:.1f} ms (p99) after the "
          f"webhook's answer (negative: before it)")
    acknowledged = sum(len(r["latencies"]) for key, s in segments.items()
                       if not key.startswith("echo") for r in s.rounds)
    print(f"  answers stored: {stored} parts for {acknowledged} acknowledged answers "
          f"({'ok' if stored >= acknowledged else 'MISSING ANSWERS'})")
    fetched = memory.pop("draft downloads", None)
    if fetched:
        print(f"  maximal drafts downloaded: {dict(fetched['kinds'])}, "
              f"median {statistics.median(fetched['times']):.2f} s each")
    for moment, (workers, helpers) in memory.items():
        cells = ", ".join(f"RSS {rss:.0f} / PSS {pss:.0f} / private {private:.0f}"
                          for rss, pss, private in workers)
        print(f"  worker memory MB {moment}: {cells}  (goal RSS < 180)")
        if helpers:
            print("    other processes of the bot: " + ", ".join(
                f"RSS {rss:.0f} / PSS {pss:.0f}" for rss, pss, _ in helpers))


def main(argv: list[str]) -> int:
    """Run the whole benchmark."""
    parser = argparse.ArgumentParser(description="Benchmark the webhook against echo+reply.")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds of load per segment")
    parser.add_argument("--duration", type=float, help=argparse.SUPPRESS)  # the old option
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--users", type=int, default=300, help="officers mid-application")
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: gunicorn.conf.py's)")
    parser.add_argument("--database", action="append", default=None,
                        help="'sqlite' or a PostgreSQL server URL; repeatable (default: both)")
    parser.add_argument("--paced", type=float, action="append", default=[], metavar="RATE",
                        help="also load echo and the bot at RATE requests/s in an open loop "
                             "(sent on time, answered or not, as LINE sends); repeatable")
    parser.add_argument("--downloads", type=int, default=0,
                        help="clients downloading a maximal PDF during extra bot segments")
    parser.add_argument("--maximal", type=int, default=20,
                        help="officers with a maximal application (their drafts are downloaded)")
    parser.add_argument("--draft-chars", type=int, default=None,
                        help="characters per maximal answer (default: the largest the limits "
                             "allow; 10,000 for a bot without limits)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="another setting for the bot (e.g. a limit)")
    parser.add_argument("--hard-limit", type=int, default=HARD_LIMIT)
    parser.add_argument("--logs", help="keep the servers' logs in this folder")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--fake-line", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        return client_main(json.loads(sys.stdin.read() if args.client == "-" else args.client))
    if args.fake_line:
        return fake_line_main(args.fake_line, args.hard_limit)
    if not (1 <= args.rounds <= 20 and 1 <= args.seconds <= 60 and 1 <= args.connections <= 256
            and 1 <= args.users <= 5000 and 0 <= args.downloads <= 8 and 0 <= args.maximal <= 50
            and 1 <= (args.draft_chars or 1) <= 100_000 and args.hard_limit <= 3600
            and all(1 <= rate <= 5000 for rate in args.paced)):
        parser.error("keep it bounded: rounds 1-20, seconds 1-60, connections 1-256, users "
                     "1-5000, downloads 0-8, maximal 0-50, paced 1-5000/s, hard limit <= 3600 s")
    if args.downloads and not args.maximal:
        parser.error("--downloads needs a maximal officer (--maximal >= 1)")
    args.seconds = args.duration or args.seconds
    sys.path.insert(0, str(PROJECT))  # the bench reads the bot's limits and counts its parts
    args.env = dict(item.split("=", 1) for item in args.env)
    args.settings = gunicorn_settings(args.env)
    args.workers = args.workers or int(args.settings["workers"])
    args.secret_key = secrets.token_urlsafe(32)
    signal.signal(signal.SIGALRM, _out_of_time)  # unwinds: servers stopped, databases dropped
    signal.signal(signal.SIGTERM, _out_of_time)  # so does being told to stop
    signal.alarm(args.hard_limit)
    with tempfile.TemporaryDirectory(prefix="lertrat-bench-") as tmp:
        folder = Path(args.logs or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for spec in args.database or DEFAULT_DATABASES:
            measure(spec, args, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
