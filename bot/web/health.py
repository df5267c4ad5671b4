"""``GET /healthz``: ready once the Thai dictionary is loaded and the database answers."""

from __future__ import annotations

import logging

from flask import Blueprint

from bot.web.extensions import coach

log = logging.getLogger("bot.web")

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Answer 200 when the app can serve LINE's events, 503 otherwise."""
    state = coach.state
    if not state.ready:
        return {"status": "starting"}, 503
    try:
        up_to_date = state.service.database.is_up_to_date()
    except Exception as error:  # noqa: BLE001 - any failure means the database does not answer
        log.warning("health: database does not answer (%s)", type(error).__name__)
        return {"status": "database unavailable"}, 503
    if not up_to_date:
        return {"status": "database schema out of date"}, 503
    return {"status": "ready"}, 200
