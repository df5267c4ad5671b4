"""What the web app attaches to itself: the LINE channel and the coaching service.

Each follows Flask's extension pattern: a module-level object, ``init_app(app)`` in the
factory, and the per-app state kept in ``app.extensions``.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from linebot.v3 import WebhookParser

from bot.web.sender import LineSender

if TYPE_CHECKING:
    from bot.coach.ports import DraftPublisher
    from bot.service import CoachService

log = logging.getLogger("bot.web")


@dataclass
class Channel:
    """The LINE channel: the parser that checks signatures and the sender that answers."""

    parser: WebhookParser
    sender: LineSender


class LineChannel:
    """Attach the LINE channel (secret, token, API host) to the app."""

    name = "line"

    def init_app(self, app: Flask) -> None:
        """Build the parser and the (lazily connecting) sender from the app's settings."""
        app.extensions[self.name] = Channel(
            parser=WebhookParser(app.config["LINE_CHANNEL_SECRET"]),
            sender=LineSender(access_token=app.config["LINE_CHANNEL_ACCESS_TOKEN"],
                              host=app.config.get("LINE_API_HOST"),
                              timeout=app.config["LINE_TIMEOUT"]),
        )

    @property
    def channel(self) -> Channel:
        """Return the current app's channel."""
        return current_app.extensions[self.name]


@dataclass
class CoachState:
    """The coaching service, and whether it is ready (schema migrated, dictionary loaded)."""

    service: CoachService
    ready: bool = False


class Coach:
    """Attach the coaching service to the app: migrate the database and load the dictionary."""

    name = "coach"

    def init_app(self, app: Flask) -> None:
        """Create the service: migrate the database and load the Thai dictionary before serving."""
        from bot.service import CoachService

        service = CoachService.create(app.config["DATABASE_URL"], publisher=_publisher(app))
        state = CoachState(service=service)  # create() has loaded the Thai dictionary
        # Under gunicorn --preload this runs in the master: hand the workers no open connection.
        state.service.database.dispose()
        state.ready = True
        app.extensions[self.name] = state
        log.info("coach ready")

    @property
    def state(self) -> CoachState:
        """Return the current app's coaching state."""
        return current_app.extensions[self.name]

    @property
    def service(self) -> CoachService:
        """Return the current app's coaching service."""
        return self.state.service


class DraftWarmUp:
    """Load the draft builders' template, fonts and word list before serving (once a process).

    Under gunicorn --preload this happens in the master, so the workers share those pages
    instead of each loading them on its first download.
    """

    def init_app(self, app: Flask) -> None:
        """Build every draft format once, unless this process already did."""
        _warm_up_drafts()


@functools.cache
def _warm_up_drafts() -> None:
    from bot import draft

    draft.warm_up()


def _publisher(app: Flask) -> DraftPublisher | None:
    """Answer "ดูร่าง" with signed links when the app serves the draft pages."""
    links = app.extensions.get("drafts")
    if links is None:
        return None
    from bot.coach.texts import default_texts
    from bot.delivery import LinkPublisher

    return LinkPublisher(links, default_texts())


line = LineChannel()
coach = Coach()
drafts_warm_up = DraftWarmUp()
