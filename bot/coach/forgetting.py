"""What "delete my data" does to a chat's context, the same for every store.

The context keeps per-member tables (:data:`~bot.coach.ports.MEMBER_TABLES`) and a few
values typed in the chat as they were typed (the agency a group's later applications
start with). Deleting a member drops their entries from the tables, drops any such value
that equals a detail of theirs being replaced, and lists the applications whose details
were replaced under :data:`~bot.coach.ports.DELETION_NOTICE`, for the group to be told.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from .ports import DELETION_NOTICE, MEMBER_TABLES


@dataclass
class Cleared:
    """The applications of one chat whose title and details a deleted member had typed."""

    applications: list[int] = field(default_factory=list)
    values: set[str] = field(default_factory=set)  # what they typed: title, agency, contact

    def add(self, application_id: int, *values: str | None) -> None:
        """Note one application and the values replaced in it."""
        self.applications.append(application_id)
        self.values.update(v for v in values if v)


def forget_member(context: dict[str, Any], user_id: str,
                  cleared: Cleared | None = None) -> dict[str, Any]:
    """Return the context without the member's entries and values; list what was replaced."""
    context = dict(context)
    for key in MEMBER_TABLES:
        members = context.get(key)
        if isinstance(members, dict) and user_id in members:
            context[key] = {k: v for k, v in members.items() if k != user_id}
    if cleared is not None and cleared.applications:
        typed: Collection[str] = cleared.values
        context = {k: v for k, v in context.items() if not (isinstance(v, str) and v in typed)}
        noted = context.get(DELETION_NOTICE)
        earlier = noted if isinstance(noted, list) else []
        context[DELETION_NOTICE] = sorted({*earlier, *cleared.applications})
    return context
