"""``python -m bot serve [--port 8000] [--host 127.0.0.1] [--database URL] [--secret-key KEY]``.

The bot without LINE. Refused when ``LINE_CHANNEL_SECRET`` is set: that is the real bot's
configuration, and the real bot runs under gunicorn (see the Procfile). Neither
``DATABASE_URL`` nor ``SECRET_KEY`` is read from the environment: a shell set up for the real
bot must not point the simulator at real officers' data, nor let it sign links the real server
would open. The simulator uses ``instance/lertrat.sqlite3`` and a key of its own
(``instance/simulator-secret``) unless ``--database`` or ``--secret-key`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable
from typing import Any

from werkzeug.serving import make_server

from bot.coach.texts import default_texts
from bot.web.config import ConfigError

from .app import create_simulator_app

REFUSAL = ("error: LINE_CHANNEL_SECRET is set, so this is the real LINE bot's configuration.\n"
           "Run the real bot with gunicorn, as the Procfile does:\n"
           "  gunicorn -c gunicorn.conf.py 'bot.web:create_app()'\n"
           "To try the bot in a browser instead, unset LINE_CHANNEL_SECRET and run "
           "python -m bot serve again.")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bot serve",
        description=f"{default_texts().bot_name} in a browser: "
                    "a chat page that drives the real webhook.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)),
                        help="port to listen on (default: PORT or 8000; 0 picks a free one)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this computer only)")
    parser.add_argument("--database", default=None,
                        help="database URL (default: instance/lertrat.sqlite3; DATABASE_URL is "
                             "not read)")
    parser.add_argument("--secret-key", default=None,
                        help="key that signs the draft links (default: the simulator's own, kept "
                             "in instance/simulator-secret; SECRET_KEY is not read)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Serve the simulator until Ctrl-C; return the exit status."""
    args = build_parser().parse_args(argv)
    if os.environ.get("LINE_CHANNEL_SECRET"):
        print(REFUSAL, file=sys.stderr)
        return 2
    try:
        # Bind first: the app needs the port (for --port 0 too) to point LINE's API at itself.
        server = make_server(args.host, args.port, _starting, threaded=True)
    except (OSError, SystemExit):  # werkzeug explains a failed bind, then exits
        print(f"error: cannot listen on {args.host}:{args.port}", file=sys.stderr)
        return 1
    try:
        app = create_simulator_app(server.port, database_url=args.database,
                                   secret_key=args.secret_key, host=args.host)
    except ConfigError as error:
        server.server_close()
        print(f"error: {error}", file=sys.stderr)
        return 1
    server.app = app
    if args.host not in LOOPBACK_HOSTS:
        print(f"warning: listening on {args.host}: the simulator has no login, so anyone who can "
              "reach this address can read and write every simulated chat", file=sys.stderr)
    print(f"{default_texts().bot_name} simulator: open {app.extensions['simulator'].base_url}/ "
          "(Ctrl-C to stop)", flush=True)
    server.serve_forever()  # returns on Ctrl-C and closes the socket
    return 0


def _starting(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Answer 503 until the app is built (the socket is bound before that)."""
    start_response("503 Service Unavailable", [("Content-Type", "text/plain; charset=utf-8"),
                                               ("Retry-After", "1"), ("Cache-Control", "no-store"),
                                               ("X-Content-Type-Options", "nosniff")])
    return [b"starting\n"]
