"""What the editor's routes read: the signer, the service, the LIFF verifier, the sessions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app

from bot.coach.engine import Coach
from bot.rubrics import RubricSet
from bot.store import Database

from .guard import Sessions
from .liff import LiffVerifier
from .links import EditorLinks

if TYPE_CHECKING:
    from bot.service import CoachService


class EditorRefused(Exception):
    """A call the editor refuses: its status, the reason logged, and its Thai text's key."""

    def __init__(self, status: int, reason: str, key: str, **values: Any) -> None:
        """Keep the status, the reason (logged), and the message key with its values."""
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.key = key
        self.values = values


@dataclass(frozen=True)
class EditorSource:
    """Everything the editor's routes need, attached to the app."""

    links: EditorLinks
    service: CoachService
    sessions: Sessions
    liff: LiffVerifier | None
    secret_key: str
    public_base_url: str

    @property
    def database(self) -> Database:
        """Return the database the service stores in."""
        return self.service.database

    @property
    def coach(self) -> Coach:
        """Return the engine (its analyzer, rubrics, limits and word count)."""
        return self.service.coach

    @property
    def rubrics(self) -> RubricSet:
        """Return the rubrics the applications are written against."""
        return self.service.coach.rubrics


class EditorExtension:
    """Keep the editor's source in ``app.extensions``."""

    name = "editor"

    @property
    def source(self) -> EditorSource:
        """Return the current app's editor source."""
        source: EditorSource = current_app.extensions[self.name]
        return source


editor = EditorExtension()
