"""The web app: LINE's webhook, the health check and the draft pages, built by :func:`create_app`.

WSGI target: ``bot.web:create_app()`` (see the Procfile: gunicorn ``--preload``, so the
schema migration, the Thai dictionary and the draft fonts load once, before the workers fork).

Settings come from the environment, a dict passed to the factory overriding them
(:mod:`bot.web.config`): LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, PUBLIC_BASE_URL and
SECRET_KEY are required; DATABASE_URL defaults to bot.store's SQLite file; LINE_API_HOST points
the SDK at another LINE API (tests, the simulator); LINE_TIMEOUT is the read timeout in seconds
for LINE calls (default 5); MAX_CONTENT_LENGTH caps a webhook body (default 1 MB).

To add routes, write a blueprint and add it to :data:`BLUEPRINTS`; to add a service, give it
``init_app(app)`` and add it to :data:`EXTENSIONS`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.delivery.routes import bp as drafts_bp
from bot.delivery.routes import delivery
from bot.web import health, webhook
from bot.web.config import ConfigError, load_settings
from bot.web.extensions import coach, drafts_warm_up, line

__all__ = ["BLUEPRINTS", "EXTENSIONS", "ConfigError", "create_app"]

#: Every blueprint the app serves, registered in this order.
BLUEPRINTS: list[Blueprint] = [health.bp, webhook.bp, drafts_bp]
#: Every extension, initialised in this order (before the blueprints); the coach comes after
#: the draft links, which its publisher uses.
EXTENSIONS: list[Any] = [line, delivery, drafts_warm_up, coach]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment, ``config`` overriding it; fail naming a missing setting."""
    settings = load_settings(config)
    app = Flask(__name__)
    app.config.update(settings)
    # One proxy (the platform's HTTPS router) sits in front: trust its X-Forwarded-* once.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]
    _configure_logging(app)
    for extension in EXTENSIONS:
        extension.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    return app


def _configure_logging(app: Flask) -> None:
    """Let the bot's INFO lines (event ids and outcomes) through unless logging was set up."""
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logger = logging.getLogger("bot")
    if logger.level == logging.NOTSET:
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
