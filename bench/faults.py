"""Faults under load: PostgreSQL restarted, a gunicorn worker killed. Nothing lost, nothing twice.

    python bench/faults.py pg-restart  [--seconds 20] [--users 60] [--connections 8]
                                       [--at 5] [--down 4]
    python bench/faults.py worker-kill [--seconds 20] [--users 60] [--connections 8] [--kills 2]
                                       [--db postgres|sqlite]
    python bench/faults.py line-outage [--seconds 20] [--outage 30] [--db postgres|sqlite]

Both start the bot under gunicorn (``--workers``, default 2, sync) on a fresh database and the
fake LINE API, with bench/load.py's helpers, set up ``--users`` officers, and run a bounded
load from a second process: every connection owns its officers and sends each one's answers
in turn. Each answer carries its webhook event id in its text. A request that does not
answer 200 (a 500, a reset connection, an empty answer) is redelivered as LINE would: same
webhookEventId, same timestamp, ``isRedelivery: true``, until it is accepted (or 60 s after the
load ends). Meanwhile:

- ``pg-restart`` stops PostgreSQL (``pg_ctlcluster … stop -m fast``) ``--at`` seconds into the
  load for ``--down`` seconds and starts it again (always, in a ``finally``);
- ``worker-kill`` sends SIGKILL to one gunicorn worker ``--kills`` times, evenly spread;
  gunicorn starts a new one;
- ``line-outage`` makes the fake LINE API fail every call (500) for ``--outage`` seconds from
  the start of the load, and SIGKILLs one worker halfway through the load (its sender thread
  may hold leased rows). Then it waits for the outbox to drain and prints how many answers'
  replies LINE accepted, how many exactly once, how many twice or more (must be 0), and the
  time from LINE's recovery to an empty outbox. Every accepted answer must be delivered once.

Then it checks every answer acknowledged with 200 is stored exactly once (by event id, and
per officer), nothing is stored that was never acknowledged, the service answers again
(``/healthz`` and a new event), and for ``worker-kill`` that gunicorn is back to its workers.
It prints the counts and exits non-zero on any violation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load import (  # noqa: E402 - the project must be importable first
    Servers,
    TextMessage,
    answer_text,
    client_result,
    fresh_database,
    run_client,
    send,
    servers,
    set_up_officers,
)
from bench.webhook import HARD_LIMIT, _out_of_time, event_id, user_id  # noqa: E402

GIVE_UP_AFTER = 60.0  # seconds after the load: an event still refused by then is a violation
BACKOFF = 0.2

# The load client (run in a second process) ---------------------------------------------------


async def run_answers(port: int, users: int, connections: int, seconds: float,
                      seed: int) -> dict[str, Any]:
    """Send answers for ``seconds``, redelivering each refused one until it is accepted."""
    officers = [user_id(n) for n in range(users)]
    accepted: list[tuple[str, str]] = []
    abandoned: list[str] = []
    failures: list[tuple[float, str]] = []
    statuses: Counter[str] = Counter()
    redelivered = 0
    first_try = time.time()
    deadline, give_up = first_try + seconds, first_try + seconds + GIVE_UP_AFTER

    async def deliver(message: TextMessage) -> bool:
        nonlocal redelivered
        attempt = 0
        while True:
            status = await send(port, message, redelivery=attempt > 0)
            statuses[status] += 1
            if status == "200":
                redelivered += attempt > 0
                return True
            failures.append((time.time(), status))
            attempt += 1
            if time.time() > give_up:
                return False
            await asyncio.sleep(BACKOFF * min(attempt, 5))

    async def connection(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        own = officers[index::connections]
        while time.time() < deadline:
            for officer in own:
                if time.time() >= deadline:
                    return
                eid = event_id()
                answer = f"[{eid}] {answer_text(rng, low=200, high=400)}"
                message = TextMessage(officer, answer, eid, int(time.time() * 1000))
                if await deliver(message):
                    accepted.append((officer, message.event_id))
                else:
                    abandoned.append(message.event_id)

    await asyncio.gather(*(connection(i) for i in range(connections)))
    return {"started": first_try, "seconds": time.time() - first_try, "accepted": accepted,
            "abandoned": abandoned, "failures": failures, "statuses": dict(statuses),
            "redelivered": redelivered}


def client_main(spec: dict[str, Any]) -> int:
    """The second process: run the answers and print the results as JSON."""
    result = asyncio.run(run_answers(spec["port"], spec["users"], spec["connections"],
                                     spec["seconds"], spec.get("seed", 1)))
    json.dump(result, sys.stdout)
    return 0


# Faults --------------------------------------------------------------------------------------


def cluster() -> tuple[str, str]:
    """Return the PostgreSQL cluster (version, name) the tests use: the newest, "main"."""
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(x) for x in v.split(".")])
    return versions[-1], "main"


def pg_ctlcluster(action: str, *extra: str) -> None:
    """Run pg_ctlcluster on the cluster, or fail with its output."""
    version, name = cluster()
    done = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action, *extra],
        capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"pg_ctlcluster {action} failed: {done.stdout}{done.stderr}")


def wait_for_postgres(url: str, timeout: float = 60.0) -> None:
    """Wait until PostgreSQL accepts connections again."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 2})
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return
            except Exception:  # noqa: BLE001 - not up yet
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


@contextmanager
def postgres_stopped(url: str) -> Iterator[dict[str, float]]:
    """Stop PostgreSQL (fast mode) for the block; start it again whatever happens."""
    times: dict[str, float] = {}
    try:
        times["stopped"] = time.time()
        pg_ctlcluster("stop", "-m", "fast")
        yield times
    finally:
        pg_ctlcluster("start")
        wait_for_postgres(url)
        times["started"] = time.time()


def worker_pids(master: int) -> list[int]:
    """Return the pids of the processes gunicorn's master ``master`` forked."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master and fields[0] != "Z":
                pids.append(int(entry.name))
    return sorted(pids)


# Checks ----------------------------------------------------------------------------------------


def stored_answers(database_url: str) -> list[tuple[str | None, str]]:
    """Return (author, event id) of every stored answer part, from the id each text starts with."""
    from sqlalchemy import select

    from bot.store import Database
    from bot.store.models import AnswerPart

    database = Database(database_url)
    try:
        with database.session() as session:
            rows = session.execute(select(AnswerPart.author_id, AnswerPart.text)).all()
    finally:
        database.dispose()
    return [(author, text[1:text.index("]")] if text.startswith("[") else text[:30])
            for author, text in rows]


def serves_again(bot: Servers) -> bool:
    """Tell whether /healthz answers 200 and a new officer's first message is answered 200."""
    if not bot.healthy():
        return False
    return asyncio.run(send(bot.port, TextMessage.new(user_id(10 ** 6), "เริ่ม"))) == "200"


def duplicates_seen(bot: Servers) -> int:
    """Count the redeliveries the bot found already stored (bot.service logs their ids)."""
    return bot.log.read_text(errors="replace").count("already processed")


def check(result: dict[str, Any], stored: list[tuple[str | None, str]]) -> list[str]:
    """Print the counts; return the violations."""
    accepted = {event: officer for officer, event in result["accepted"]}
    per_event = Counter(event for _, event in stored)
    twice = [e for e, n in per_event.items() if n > 1]
    missing = [e for e in accepted if per_event[e] == 0]
    unacknowledged = [e for e in per_event if e not in accepted]
    by_officer_sent = Counter(accepted.values())
    by_officer_stored = Counter(author for author, _ in stored)
    officers_off = [o for o in set(by_officer_sent) | set(by_officer_stored)
                    if by_officer_sent[o] != by_officer_stored[o]]
    requests = sum(result["statuses"].values())
    print(f"  requests: {requests} in {result['seconds']:.1f} s; answers: {result['statuses']}")
    print(f"  events: {len(accepted) + len(result['abandoned'])} sent, {len(accepted)} accepted, "
          f"{result['redelivered']} accepted only on redelivery, "
          f"{len(result['abandoned'])} never accepted")
    print(f"  stored parts: {len(stored)}; events stored twice: {len(twice)}; "
          f"accepted but missing: {len(missing)}; "
          f"stored but never acknowledged: {len(unacknowledged)}; "
          f"officers whose count differs: {len(officers_off)} of {len(by_officer_sent)}")
    violations = []
    for name, found in (("stored twice", twice), ("missing", missing),
                        ("never acknowledged", unacknowledged),
                        ("officers' counts differ", officers_off),
                        ("never accepted", result["abandoned"])):
        if found:
            violations.append(f"{len(found)} {name}: {sorted(map(str, found))[:5]}")
    return violations


# The runs ------------------------------------------------------------------------------------


def pg_restart(args: argparse.Namespace, folder: Path) -> list[str]:
    """Restart PostgreSQL in the middle of the load."""
    with (fresh_database("postgres", folder) as url,
          servers(url, workers=args.workers, folder=folder) as bot):
        set_up_officers(bot, args.users, args.connections)
        spec = dict(port=bot.port, users=args.users, connections=args.connections,
                    seconds=args.seconds)
        child = run_client(__file__, spec)
        try:
            time.sleep(args.at)
            with postgres_stopped(url) as times:
                time.sleep(args.down)
            result = client_result(child, timeout=args.seconds + GIVE_UP_AFTER + 120)
        finally:
            if child.poll() is None:
                child.kill()
        print(f"\npg-restart: {args.workers} sync workers, {args.users} officers, "
              f"{args.connections} connections; PostgreSQL down from "
              f"{times['stopped'] - result['started']:.1f} s to "
              f"{times['started'] - result['started']:.1f} s")
        after = [s for t, s in result["failures"] if t > times["started"]]
        print(f"  failed answers while down or stopping: "
              f"{len(result['failures']) - len(after)}; "
              f"after PostgreSQL was back: {len(after)} {Counter(after)}")
        violations = check(result, stored_answers(url))
        print(f"  redeliveries the bot found already stored: {duplicates_seen(bot)}")
        again = serves_again(bot)
        print(f"  serves again after the restart (health and a new event): {again}")
    return violations + ([] if again else ["the service does not answer after the restart"])


def worker_kill(args: argparse.Namespace, folder: Path) -> list[str]:
    """Kill gunicorn workers with SIGKILL in the middle of the load."""
    rng = random.Random(7)
    with (fresh_database(args.db, folder) as url,
          servers(url, workers=args.workers, folder=folder) as bot):
        set_up_officers(bot, args.users, args.connections)
        spec = dict(port=bot.port, users=args.users, connections=args.connections,
                    seconds=args.seconds)
        child = run_client(__file__, spec)
        killed = []
        try:
            for _ in range(args.kills):
                time.sleep(args.seconds / (args.kills + 1))
                victim = rng.choice(worker_pids(bot.master.pid))
                os.kill(victim, signal.SIGKILL)  # a worker of the gunicorn this script started
                killed.append(victim)
            result = client_result(child, timeout=args.seconds + GIVE_UP_AFTER + 120)
        finally:
            if child.poll() is None:
                child.kill()
        workers = worker_pids(bot.master.pid)
        print(f"\nworker-kill on {args.db}: {args.workers} sync workers, {args.users} officers, "
              f"{args.connections} connections; killed {len(killed)} workers {killed}; "
              f"workers now {workers}")
        print(f"  failed requests: {Counter(s for _, s in result['failures'])}")
        violations = check(result, stored_answers(url))
        print(f"  redeliveries the bot found already stored: {duplicates_seen(bot)}")
        again = serves_again(bot)
        print(f"  serves again (health and a new event): {again}")
    respawned = len(workers) == args.workers and not set(killed) & set(workers)
    return violations + ([] if again else ["the service does not answer"]) + (
        [] if respawned else [f"gunicorn has workers {workers} after killing {killed}"])


def outbox_left(database_url: str) -> tuple[int, dict[str, str]]:
    """Return how many outbox rows are unsettled, and each answer event's retry key."""
    from sqlalchemy import func, select

    from bot.store import Database
    from bot.store.models import ProcessedEvent

    database = Database(database_url)
    try:
        with database.session() as session:
            left = session.scalar(select(func.count()).select_from(ProcessedEvent)
                                  .where(ProcessedEvent.next_attempt_at.is_not(None)))
            keys = dict(session.execute(select(ProcessedEvent.event_id,
                                               ProcessedEvent.retry_key)).tuples().all())
    finally:
        database.dispose()
    return left or 0, keys


def line_sent(port: int) -> Counter[str]:
    """Return the calls the fake LINE accepted, per reply token and push retry key."""
    import urllib.request
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_sent", timeout=10) as response:
        return Counter(json.loads(response.read()))


def fail_line(port: int, seconds: float) -> float:
    """Make the fake LINE fail every call for ``seconds``; return when it recovers."""
    import urllib.request
    call = urllib.request.Request(f"http://127.0.0.1:{port}/_fail", method="POST",
                                  data=json.dumps({"seconds": seconds}).encode())
    with urllib.request.urlopen(call, timeout=10):
        return time.time() + seconds


def delivered_once(result: dict[str, Any], sent: Counter[str],
                   keys: dict[str, str]) -> Counter[int]:
    """Count the accepted answers by how many times LINE accepted their replies."""
    import hashlib
    times: Counter[int] = Counter()
    for _, event in result["accepted"]:
        token = hashlib.md5(event.encode()).hexdigest()  # bench/load.py's reply token
        times[sent[f"reply:{token}"] + sent[f"push:{keys.get(event)}"]] += 1
    return times


def line_outage(args: argparse.Namespace, folder: Path) -> list[str]:
    """LINE fails every call for a while, a worker is killed meanwhile; then all must arrive."""
    with (fresh_database(args.db, folder) as url,
          servers(url, workers=args.workers, folder=folder) as bot):
        set_up_officers(bot, args.users, args.connections)
        recovers = fail_line(bot.line_port, args.outage)
        spec = dict(port=bot.port, users=args.users, connections=args.connections,
                    seconds=args.seconds)
        child = run_client(__file__, spec)
        try:
            time.sleep(args.seconds / 2)
            victim = random.Random(7).choice(worker_pids(bot.master.pid))
            os.kill(victim, signal.SIGKILL)  # a worker of the gunicorn this script started
            result = client_result(child, timeout=args.seconds + GIVE_UP_AFTER + 120)
        finally:
            if child.poll() is None:
                child.kill()
        time.sleep(max(0.0, recovers - time.time()))
        deadline, left = time.time() + args.drain_limit, -1
        while time.time() < deadline:
            left, keys = outbox_left(url)
            if left == 0:
                break
            time.sleep(0.5)
        drained = time.time() - recovers
        times = delivered_once(result, line_sent(bot.line_port), keys)
    accepted = len(result["accepted"])
    twice = sum(n for k, n in times.items() if k > 1)
    print(f"\nline-outage on {args.db}: {args.workers} workers, LINE failing for {args.outage:g} s "
          f"from the start of a {args.seconds:g} s load; worker {victim} killed at "
          f"{args.seconds / 2:g} s")
    print(f"  answers accepted by the webhook: {accepted} "
          f"(statuses {result['statuses']}); outbox rows left: {left}")
    print(f"  replies delivered: {accepted - times[0]} of {accepted}; exactly once: {times[1]}; "
          f"twice or more: {twice}; never: {times[0]}")
    print(f"  time from LINE's recovery to an empty outbox: {drained:.1f} s")
    return ([f"{twice} answers delivered more than once"] if twice else []) + (
        [f"{times[0]} answers never delivered"] if times[0] else []) + (
        [f"{left} outbox rows left"] if left else [])


def main(argv: list[str]) -> int:
    """Run one fault scenario."""
    parser = argparse.ArgumentParser(description="Faults under load: nothing lost, nothing twice.")
    parser.add_argument("scenario", choices=["pg-restart", "worker-kill", "line-outage"],
                        nargs="?")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--at", type=float, default=5.0, help="pg-restart: seconds into the load")
    parser.add_argument("--down", type=float, default=4.0, help="pg-restart: seconds stopped")
    parser.add_argument("--kills", type=int, default=2, help="worker-kill: workers to kill")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres",
                        help="worker-kill")
    parser.add_argument("--outage", type=float, default=30.0,
                        help="line-outage: seconds LINE fails every call")
    parser.add_argument("--drain-limit", type=float, default=180.0,
                        help="line-outage: seconds to wait for the outbox after recovery")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.client:
        return client_main(json.loads(args.client))
    if args.scenario is None:
        parser.error("name a scenario: pg-restart, worker-kill or line-outage")
    if not (1 <= args.seconds <= 120 and 1 <= args.connections <= args.users <= 2000
            and 1 <= args.workers <= 8 and 0 <= args.at < args.seconds and 0 < args.down <= 30
            and 1 <= args.kills <= 10 and 0 < args.outage <= 120 and args.drain_limit <= 600):
        parser.error("keep it bounded: seconds 1-120, users up to 2000, down up to 30 s, "
                     "kills 1-10")
    signal.signal(signal.SIGALRM, _out_of_time)  # unwinds: PostgreSQL is started, servers stopped
    signal.signal(signal.SIGTERM, _out_of_time)
    signal.alarm(HARD_LIMIT)
    with tempfile.TemporaryDirectory(prefix="lertrat-faults-") as tmp:
        run = {"pg-restart": pg_restart, "worker-kill": worker_kill,
               "line-outage": line_outage}[args.scenario]
        violations = run(args, Path(tmp))
    print("  " + ("OK" if not violations else "VIOLATIONS:\n  " + "\n  ".join(violations)))
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
