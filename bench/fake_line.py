"""A fake LINE Messaging API for benchmarks: answers reply and push at once, on loopback.

    python bench/fake_line.py --port 8101

Threaded, HTTP/1.1 keep-alive (the SDK's urllib3 pool reuses its connections), and it
counts what it received: ``GET /_stats`` returns ``{"reply": n, "push": n, "other": n}``.
It stops on SIGTERM or after ``--max-seconds``.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SENT = json.dumps({"sentMessages": [{"id": "1", "quoteToken": "q"}]}).encode()
PATHS = {"/v2/bot/message/reply": "reply", "/v2/bot/message/push": "push"}


class FakeLineHandler(BaseHTTPRequestHandler):
    """Answer LINE API calls with LINE's success body."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle on, a kept-alive connection would
    # wait for the client's delayed ACK (40 ms) before sending the body.
    disable_nagle_algorithm = True
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """Read the request, count it and answer 200."""
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        kind = PATHS.get(self.path, "other")
        with self.lock:
            self.counts[kind] += 1
        self._answer(200, SENT if kind != "other" else b"{}")

    def do_GET(self) -> None:  # noqa: N802
        """Report the counts."""
        with self.lock:
            stats = json.dumps(dict(self.counts)).encode()
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
    server = ThreadingHTTPServer(("127.0.0.1", args.port), FakeLineHandler)
    server.daemon_threads = True
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"fake LINE on 127.0.0.1:{args.port}", flush=True)
    stop.wait(args.max_seconds)
    server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
