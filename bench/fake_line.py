"""A fake LINE Messaging API for benchmarks: answers reply and push at once, on loopback.

    python bench/fake_line.py --port 8101

Threaded, HTTP/1.1 keep-alive (the SDK's urllib3 pool reuses its connections), and it
counts what it received: ``GET /_stats`` returns ``{"reply": n, "push": n, "other": n,
"failed": n}``, ``GET /_sent`` ``{"reply:<token>": n, "push:<retry key>": n}`` (the calls it
accepted, per reply token and per push retry key). Like LINE, a reply token works once (then
400 "Invalid reply token") and a push whose ``X-Line-Retry-Key`` was accepted before is
answered 409. ``POST /_fail`` with ``{"seconds": 30}`` makes every reply and push fail with
500 for that long (an outage). It stops on SIGTERM or after ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SENT = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]}).encode()
PATHS = {"/v2/bot/message/reply": "reply", "/v2/bot/message/push": "push"}


class FakeLineServer(ThreadingHTTPServer):
    """A threaded HTTP server whose listen backlog holds a busy client's connections.

    http.server listens with a backlog of 5. A client that opens connections faster than the
    server accepts them (the echo bot at 8 threads a worker: each thread its own connection
    beyond the SDK's pool) overflows it, and the kernel drops the connection's SYN: the client
    waits a whole second to try again (``nstat TcpExtListenOverflows`` counts them), which
    the bench would charge to the bot or the echo as its latency.
    """

    daemon_threads = True
    request_queue_size = 1024


class FakeLineHandler(BaseHTTPRequestHandler):
    """Answer LINE API calls with LINE's success body."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a kept-alive connection would
    # wait for the client's delayed ACK (40 ms) before sending the body.
    disable_nagle_algorithm = True
    counts: Counter[str] = Counter()
    sent: Counter[str] = Counter()
    failing_until = 0.0
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """Read the request, count it and answer as LINE would."""
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/_fail":
            FakeLineHandler.failing_until = time.monotonic() + json.loads(raw)["seconds"]
            return self._answer(200, b"{}")
        kind = PATHS.get(self.path, "other")
        with self.lock:
            self.counts[kind] += 1
            status, payload = self._outcome(kind, raw)
            if status != 200:
                self.counts["failed"] += 1
        self._answer(status, payload)

    def _outcome(self, kind: str, raw: bytes) -> tuple[int, bytes]:
        """Decide the answer (the lock is held): an outage, a used token, a known key, sent."""
        if kind == "other":
            return 200, b"{}"
        if time.monotonic() < self.failing_until:
            return 500, b'{"message":"Internal server error"}'
        if kind == "reply":
            key = "reply:" + json.loads(raw).get("replyToken", "")
            if self.sent[key]:
                return 400, b'{"message":"Invalid reply token"}'
        else:
            key = "push:" + (self.headers.get("X-Line-Retry-Key") or "none")
            if self.sent[key] and key != "push:none":
                return 409, b'{"message":"The retry key is already accepted"}'
        self.sent[key] += 1
        return 200, SENT

    def do_GET(self) -> None:  # noqa: N802
        """Report the counts (``/_stats``), or the calls accepted per token and key (``/_sent``)."""
        with self.lock:
            stats = json.dumps(dict(self.sent) if self.path == "/_sent"
                               else dict(self.counts)).encode()
        self._answer(200, stats)

    def _answer(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: thousands of requests per second."""


def main(argv: list[str]) -> int:
    """Serve until SIGTERM or the time limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args(argv)
    server = FakeLineServer(("127.0.0.1", args.port), FakeLineHandler)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"fake LINE on 127.0.0.1:{args.port}", flush=True)
    stop.wait(args.max_seconds)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
