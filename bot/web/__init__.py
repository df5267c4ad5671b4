"""The web app: LINE's webhook, the health check and the draft pages, built by :func:`create_app`.

WSGI target: ``bot.web:create_app()`` (see the Procfile: gunicorn ``--preload``, so the
schema migration, the Thai dictionary and the LINE SDK load once, before the workers fork).

Settings come from the environment, a dict passed to the factory overriding them
(:mod:`bot.web.config`): LINE_CHANNEL_SECRET, LINE_CHANNEL_ACCESS_TOKEN, PUBLIC_BASE_URL and
SECRET_KEY are required; DATABASE_URL defaults to bot.store's SQLite file; LINE_API_HOST points
the SDK at another LINE API (tests, the simulator); LINE_TIMEOUT is the read timeout in seconds
for LINE calls (default 5); MAX_CONTENT_LENGTH caps a webhook body (default 1 MB). SECRET_KEY
must hold 32 random bytes (:func:`bot.web.config.check_secret_key`). ``environ`` replaces the
process environment (the simulator passes an empty one, so that it never picks up the real
bot's database or key).

Every response carries the security headers of :mod:`bot.web.headers`, and the loggers that log
request paths go through :mod:`bot.web.logfilter`, which keeps link tokens out of the logs.

To add routes, write a blueprint and add it to :func:`blueprints`; to add a service that needs
only the settings, give it ``init_app(app)`` and add it to :func:`settings_extensions`. The
coaching service and the draft pages depend on each other's parts, so :func:`create_app` wires them
explicitly: the service answers the draft command with links signed by the same signer that
the draft pages check, and the draft pages read the service's database, rubrics and analyzer.

Importing this package loads the factory alone (Flask and the settings): the routes, the LINE
SDK, SQLAlchemy and the engine are imported by :func:`create_app`, which gunicorn's master
runs before it forks (``--preload``), so the workers still share all of them and no request
waits for an import. A tool that only needs a part (``python -m bot sender``, the rich menu,
the tests) does not pay for the rest (``bench/imports.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Protocol

from flask import Blueprint, Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot.web import headers, logfilter
from bot.web.config import ConfigError, load_settings

__all__ = ["ConfigError", "Extension", "blueprints", "create_app", "settings_extensions"]


class Extension(Protocol):
    """A Flask extension that needs nothing but the app's settings."""

    def init_app(self, app: Flask) -> None:
        """Attach the extension's state to ``app``."""


def blueprints() -> list[Blueprint]:
    """Return every blueprint the app serves, in the order they are registered."""
    from bot import editor
    from bot.delivery.routes import bp as drafts_bp
    from bot.web import health, webhook

    return [health.bp, webhook.bp, drafts_bp, editor.bp]


def settings_extensions() -> list[Extension]:
    """Return every extension that needs only the settings (the package's ``extensions`` module
    holds them), initialised in this order, before the coaching service and the draft pages
    (see :func:`_attach_coaching`).

    No draft warm-up: files are built in build processes (bot.delivery.builds), so neither
    gunicorn's master nor a worker loads the DOCX and PDF writers (tests/test_imports.py).
    """
    from bot.web.extensions import line

    return [line]


def create_app(config: Mapping[str, Any] | None = None, *,
               environ: Mapping[str, str] | None = None) -> Flask:
    """Build the app from the environment, ``config`` overriding it; fail naming a missing one."""
    settings = load_settings(config, environ)
    served, attached = blueprints(), settings_extensions()  # everything a request needs, loaded now
    app = Flask(__name__)
    app.config.update(settings)
    # One proxy (the platform's HTTPS router) sits in front: trust its X-Forwarded-* once.
    app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
        app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    _configure_logging(app)
    headers.init_app(app)
    for extension in attached:
        extension.init_app(app)
    _attach_coaching(app)
    for blueprint in served:
        app.register_blueprint(blueprint)
    logfilter.install(logfilter.loggers_under("bot"))  # those of the modules imported since
    return app


def _attach_coaching(app: Flask) -> None:
    """Attach the coaching service, its draft command answered with signed links, and the pages."""
    from bot import editor, purging
    from bot.coach.texts import default_texts
    from bot.delivery import DraftLinks, LinkPublisher
    from bot.delivery.routes import delivery
    from bot.store.retention import retention_policy
    from bot.web.extensions import coaching

    # One signer for the card's wording, the tokens' age check and the link rows' expiry.
    links = DraftLinks(app.config["SECRET_KEY"], app.config["PUBLIC_BASE_URL"],
                       max_age=timedelta(days=app.config["LINK_MAX_AGE_DAYS"]))
    try:  # one retention policy: stated in the wording, applied every few hours (bot.purging)
        policy = retention_policy(app.config)
        hours = purging.interval_hours(app.config)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    drafts = LinkPublisher(links, default_texts())
    coaching.init_app(app, publisher=drafts, retention=policy)
    service = coaching.service_of(app)
    try:  # the answer editor: its links from the chat and the draft card, its LIFF app
        editor.init_app(app, service=service, drafts=drafts)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    delivery.init_app(app, links=links, database=service.database,
                      rubrics=service.coach.rubrics, analyzer=service.coach.analyzer)
    purging.init_app(app, service.database, policy, hours=hours)
    _attach_outbox(app, service.database)


def _attach_outbox(app: Flask, database: Any) -> None:
    """Attach the outbox's sender: a thread per process, from its first request or webhook."""
    from bot.outbox import Outbox, settings_from
    from bot.web.extensions import line

    try:
        outbox = Outbox(database, app.extensions[line.name].sender, settings_from(app.config))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    app.extensions["outbox"] = outbox
    app.before_request(outbox.ensure_running)


def _configure_logging(app: Flask) -> None:
    """Let the bot's INFO lines (event ids and outcomes) through unless logging was set up,
    and keep link tokens out of every line (see :mod:`bot.web.logfilter`)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        logfilter.install(root.handlers)  # the handler sees what every logger propagates
    logger = logging.getLogger("bot")
    if logger.level == logging.NOTSET:
        logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # The bot's own loggers too (all imported by now), whoever sets up the handlers.
    logfilter.install([app.logger, *logfilter.loggers_under("bot")])
