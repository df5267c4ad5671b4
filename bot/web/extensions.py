"""What the web app attaches to itself: the LINE channel and the coaching service.

Each follows Flask's extension pattern: a module-level object, ``init_app(app)`` in the
factory, and the per-app state kept in ``app.extensions``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from linebot.v3 import WebhookParser

from bot.web.sender import LineSender

if TYPE_CHECKING:
    from bot.coach.ports import DraftPublisher
    from bot.service import CoachService
    from bot.store.retention import RetentionPolicy

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
        channel: Channel = current_app.extensions[self.name]
        return channel


class CoachingExtension:
    """Attach the coaching service (the engine on the database) to the app.

    The service exists only once the schema is migrated and the Thai dictionary loaded:
    ``init_app`` does both before it stores the service, so an app that serves requests
    always has a ready service.
    """

    name = "coaching"

    def init_app(self, app: Flask, *, publisher: DraftPublisher | None = None,
                 retention: RetentionPolicy | None = None) -> None:
        """Create the service: migrate the database and load the Thai dictionary before serving.

        The wording states ``retention``, the policy of the app's settings (read once by
        ``create_app``; the environment's when not given). The engine applies the limits of
        the app's ``LIMIT_*`` settings (checked by :func:`bot.web.config.load_settings`).
        """
        from bot.coach.limits import limits_from
        from bot.service import CoachService

        service = CoachService.create(app.config["DATABASE_URL"], publisher=publisher,
                                      retention=retention, limits=limits_from(app.config))
        # Under gunicorn --preload this runs in the master: hand the workers no open connection.
        service.database.dispose()
        app.extensions[self.name] = service
        log.info("coaching service ready")

    def service_of(self, app: Flask) -> CoachService:
        """Return the coaching service attached to ``app``."""
        service: CoachService = app.extensions[self.name]
        return service

    @property
    def service(self) -> CoachService:
        """Return the current app's coaching service."""
        return self.service_of(current_app)


line = LineChannel()
coaching = CoachingExtension()
