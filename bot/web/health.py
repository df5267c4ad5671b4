"""``GET /healthz``: ready when the database answers and its schema is up to date.

The app exists only once the coaching service is ready (the Thai dictionary loaded, the
schema migrated: :class:`~bot.web.extensions.CoachingExtension` does both before the factory
returns), so what can still fail while it serves is the database.
"""

from __future__ import annotations

import logging

from flask import Blueprint

from bot.web.extensions import coaching

log = logging.getLogger("bot.web")

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 when the app can serve LINE's events, 503 otherwise."""
    try:
        up_to_date = coaching.service.database.is_up_to_date()
    except Exception as error:  # noqa: BLE001 - any failure means the database does not answer
        log.warning("health: database does not answer (%s)", type(error).__name__)
        return {"status": "database unavailable"}, 503
    if not up_to_date:
        return {"status": "database schema out of date"}, 503
    return {"status": "ready"}, 200
