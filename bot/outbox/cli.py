"""``python -m bot sender [--database URL]``: deliver the outbox in a process of its own.

Reads ``DATABASE_URL``, ``LINE_CHANNEL_ACCESS_TOKEN``, ``LINE_API_HOST``, ``LINE_TIMEOUT``
and the ``OUTBOX_*`` settings from the environment, brings the schema up to date, and
delivers until SIGTERM or Ctrl-C. Any number may run beside the web workers' threads (set
``OUTBOX_THREAD=0`` on the web to leave sending to these processes).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Mapping

from .policy import settings_from


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(prog="python -m bot sender",
                                     description="Deliver the outbox's replies through LINE.")
    parser.add_argument("--database", default=None,
                        help="database URL (default: DATABASE_URL or instance/lertrat.sqlite3)")
    return parser


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Deliver until stopped; return the exit status."""
    from bot.store import Database
    from bot.web.sender import LineSender

    from .sender import Outbox

    args = build_parser().parse_args(argv)
    environ = os.environ if environ is None else environ
    token = environ.get("LINE_CHANNEL_ACCESS_TOKEN")
    if not token:
        print("error: missing setting LINE_CHANNEL_ACCESS_TOKEN", file=sys.stderr)
        return 2
    try:
        settings = settings_from(environ)
        timeout = float(environ.get("LINE_TIMEOUT") or 5.0)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    database = Database(args.database)
    database.upgrade()
    sender = LineSender(access_token=token, host=environ.get("LINE_API_HOST") or None,
                        timeout=timeout)
    outbox = Outbox(database, sender, settings)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: outbox.stop())
    logging.getLogger("bot.outbox").info("sender started (pid %d)", os.getpid())
    outbox.run_forever()
    database.dispose()
    return 0
