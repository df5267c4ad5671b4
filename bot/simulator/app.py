"""Build the simulator: the real web app, playing its own LINE channel on loopback."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from bot.web import create_app

from . import fake_line, routes
from .events import bot_user_id
from .state import EXTENSION, LOOPBACK_NAMES, SimulatorState

SECRET_FILE = "simulator-secret"
#: The same file as the one bot.store uses when DATABASE_URL is unset.
DATABASE_FILE = "lertrat.sqlite3"
#: Addresses that mean "every interface"; the server reaches itself on loopback then.
ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


def create_simulator_app(port: int, *, database_url: str | None = None,
                         secret_key: str | None = None, host: str = "127.0.0.1",
                         instance_dir: Path | None = None) -> Flask:
    """Build the web app with a generated LINE channel whose API is this same server.

    Nothing comes from the environment: the database is ``database_url`` or the SQLite file
    in ``instance_dir``, and links are signed with ``secret_key`` or the simulator's own key,
    so that a shell set up for the real bot never points the simulator at its data or key.
    """
    folder = instance_dir or _default_instance_dir()
    base_url = f"http://{_reachable(host)}:{port}"
    channel_secret = secrets.token_hex(16)  # LINE's channel secrets are 32 hex digits
    access_token = secrets.token_urlsafe(128)
    config = {
        "LINE_CHANNEL_SECRET": channel_secret,
        "LINE_CHANNEL_ACCESS_TOKEN": access_token,
        "PUBLIC_BASE_URL": base_url,
        "LINE_API_HOST": base_url,
        "SECRET_KEY": secret_key or kept_secret_key(folder),
        "DATABASE_URL": database_url or sqlite_url(folder),
    }
    app = create_app(config, environ={})
    app.extensions[EXTENSION] = SimulatorState(
        channel_secret=channel_secret, access_token=access_token,
        destination=bot_user_id(channel_secret), base_url=base_url,
        loopback_only=_reachable(host) in LOOPBACK_NAMES)
    app.register_blueprint(fake_line.bp)
    app.register_blueprint(routes.bp)
    return app


def kept_secret_key(instance_dir: Path) -> str:
    """Return the simulator's own key, kept in the instance folder (mode 0600), made if new.

    Draft links are signed with it: keeping it means the links in a chat still open after
    the simulator restarts. It is never the real bot's SECRET_KEY.
    """
    path = instance_dir / SECRET_FILE
    if path.exists():
        os.chmod(path, 0o600)
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key


def sqlite_url(instance_dir: Path) -> str:
    """Return the URL of the simulator's SQLite database in the instance folder."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_dir / DATABASE_FILE}"


def _default_instance_dir() -> Path:
    """Return the project's ``instance/`` folder, where the database lives by default too."""
    from bot.store.database import PROJECT_DIR

    return PROJECT_DIR / "instance"


def _reachable(host: str) -> str:
    """Return the address the server can reach itself at when it listens on ``host``."""
    if host in ANY_ADDRESS:
        return "127.0.0.1"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
