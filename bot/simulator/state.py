"""What the simulator attaches to the app: the channel it plays and the captured replies."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from .inbox import Inbox

EXTENSION = "simulator"
#: Host names under which a simulator bound to loopback answers (see routes._local_only).
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


@dataclass
class SimulatorState:
    """The generated channel credentials, where the server is, and the inbox."""

    channel_secret: str
    access_token: str
    destination: str
    base_url: str
    loopback_only: bool = True
    inbox: Inbox = field(default_factory=Inbox)


def state() -> SimulatorState:
    """Return the current app's simulator state."""
    return current_app.extensions[EXTENSION]
