"""One officer's quick messages through HTTP and gunicorn: every part once, in timestamp order.

tests/test_concurrency.py checks this on the service with worker processes; here the same
burst goes through the whole stack: signed requests on loopback, gunicorn's sync workers
(each with its own connection pool), the webhook, the database lock, the fake LINE API
(bench/fake_line.py). The servers are started with the benchmark's helpers.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from line_support import (
    ACCESS_TOKEN,
    ALICE,
    SECRET,
    SECRET_KEY,
    encode,
    payload,
    sign,
    text_event,
)

from bench.webhook import PROJECT, free_port, gunicorn, line_stats, process, wait_until_answering
from bot.store import Database, export_owner

WORKERS = 4
SETUP = ["เริ่ม", "1.2", "ศูนย์เรียนรู้การพัฒนาที่ดิน"]
PARTS = [f"ส่วนที่ {n} ของคำตอบ ประชาชน {n * 125} รายได้รับบริการ" for n in range(1, 11)]


class Bot:
    """The bot under gunicorn and the fake LINE API, both on loopback."""

    def __init__(self, port: int, line_port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.line_port = line_port

    def post(self, *events: dict) -> int:
        """Send one signed webhook request; return the status."""
        raw = encode(payload(*events))
        request = urllib.request.Request(f"{self.url}/callback", data=raw, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "X-Line-Signature": sign(raw)})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def bot(database_url, tmp_path) -> Iterator[Bot]:
    port, line_port = free_port(), free_port()
    env = dict(os.environ, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=ACCESS_TOKEN,
               PUBLIC_BASE_URL="https://coach.example.go.th", SECRET_KEY=SECRET_KEY,
               DATABASE_URL=database_url, LINE_API_HOST=f"http://127.0.0.1:{line_port}",
               PYTHONPATH=os.pathsep.join(
                   filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    with ExitStack() as stack:
        stack.enter_context(process([sys.executable, "bench/fake_line.py", "--port", str(line_port),
                                     "--max-seconds", "120"], env=env, log=tmp_path / "line.log"))
        log = tmp_path / "gunicorn.log"
        command = gunicorn("bot.web:create_app()", port, WORKERS, preload=True)
        master = stack.enter_context(process(command, env=env, log=log))
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", master, log)
        yield Bot(port, line_port)
        # gunicorn's quick shutdown: on SIGTERM idle sync workers take ~10 s to notice.
        master.send_signal(signal.SIGINT)
        master.wait(timeout=15)


@pytest.mark.slow
def test_ten_quick_messages_through_gunicorn_land_once_each_in_timestamp_order(bot, database_url):
    for text in SETUP:
        assert bot.post(text_event(text, user=ALICE)) == 200
    start = int(time.time() * 1000) + 1000
    events = [text_event(text, user=ALICE, timestamp=start + 1000 * n)
              for n, text in enumerate(PARTS)]
    shuffled = random.Random(11).sample(events, len(events))
    redelivered = [dict(e, deliveryContext={"isRedelivery": True}) for e in shuffled[:3]]
    deliveries = shuffled + redelivered
    barrier = threading.Barrier(len(deliveries))
    statuses: list[int] = [0] * len(deliveries)

    def deliver(index: int) -> None:
        barrier.wait(timeout=10)
        statuses[index] = bot.post(deliveries[index])

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(deliveries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert statuses == [200] * len(deliveries)
    database = Database(database_url)
    try:
        stored = export_owner(database, ALICE)["applications"][0]["answers"]
        assert stored == {"1": "\n".join(PARTS)}
    finally:
        database.dispose()
    # Every event answered once: the set-up's and the ten parts', none for the redeliveries.
    # The replies leave from the outbox after the webhook answered: wait for them to arrive.
    expected = len(SETUP) + len(PARTS)
    deadline = time.monotonic() + 15
    while line_stats(bot.line_port)["reply"] < expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # and a moment more, in which a duplicate would arrive
    assert line_stats(bot.line_port)["reply"] == expected
