"""The durable outbox: replies stored with their event, delivered by a sender that survives.

The webhook stores each event's replies in the event's own transaction (the row of
``processed_events`` that claims its id, :mod:`bot.outbox.rows`) and answers LINE at once;
a sender (:class:`~bot.outbox.sender.Outbox`: a thread in each web process, or
``python -m bot sender``) replies while the token is fresh, else pushes with the row's fixed
retry key, retries with backoff, and picks up what a killed sender or a restart left
(:mod:`bot.outbox.policy`).
"""

from .policy import Settings, settings_from
from .sender import Outbox

__all__ = ["Outbox", "Settings", "settings_from"]
