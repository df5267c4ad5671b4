"""The small typed records a conversation keeps in its context between events.

Each loads from the JSON the store keeps (a malformed entry counts as none) and dumps back
to it, so the stored shape stays plain data that any store can hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

#: How many question changes are remembered per application, to file late messages.
MOVES_KEPT = 20
#: The mark in the history for "past the last question" (no question open).
FINISHED_MARK = 0


def _moment(value: Any) -> datetime | None:
    """Read a stored ISO time, or None."""
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


@dataclass
class Edit:
    """One member's edit in progress: their next messages rewrite or extend answer N."""

    application: int
    question: int
    mode: Literal["replace", "append"] = "replace"
    written: bool = False
    since: datetime | None = None  # when LINE says the edit command was sent

    @classmethod
    def load(cls, stored: dict[str, Any]) -> Edit | None:
        """Read a stored edit; a malformed one counts as no edit at all."""
        try:
            mode: Literal["replace", "append"] = (
                "append" if stored.get("mode") == "append" else "replace")
            return cls(application=int(stored["application"]), question=int(stored["question"]),
                       mode=mode, written=bool(stored.get("written", False)),
                       since=_moment(stored.get("since")))
        except (KeyError, TypeError, ValueError):
            return None

    def dump(self) -> dict[str, Any]:
        """Return the edit as it is stored in the conversation's context."""
        stored: dict[str, Any] = {"application": self.application, "question": self.question,
                                  "mode": self.mode, "written": self.written}
        if self.since is not None:
            stored["since"] = self.since.isoformat()
        return stored

    def began_after(self, at: datetime) -> bool:
        """Tell whether the edit began after ``at`` (a message sent before it is not part)."""
        return self.since is not None and at < self.since


@dataclass
class EditWindow:
    """A member's last finished edit: a late message sent while it was open still joins it."""

    application: int
    question: int
    since: datetime
    until: datetime

    @classmethod
    def load(cls, stored: dict[str, Any]) -> EditWindow | None:
        """Read a stored window; a malformed one counts as none."""
        since, until = _moment(stored.get("since")), _moment(stored.get("until"))
        try:
            if since is None or until is None:
                return None
            return cls(application=int(stored["application"]),
                       question=int(stored["question"]), since=since, until=until)
        except (KeyError, TypeError, ValueError):
            return None

    def dump(self) -> dict[str, Any]:
        """Return the window as it is stored in the conversation's context."""
        return {"application": self.application, "question": self.question,
                "since": self.since.isoformat(), "until": self.until.isoformat()}

    def holds(self, at: datetime) -> bool:
        """Tell whether a message sent at ``at`` was sent while the edit was open."""
        return self.since <= at < self.until


@dataclass
class DeleteConfirmation:
    """One member has asked to delete their data and must confirm it."""

    asked: bool = True

    @classmethod
    def load(cls, stored: dict[str, Any]) -> DeleteConfirmation | None:
        """Read a stored confirmation request."""
        return cls() if stored.get("asked") else None

    def dump(self) -> dict[str, Any]:
        """Return the request as it is stored in the conversation's context."""
        return {"asked": self.asked}


@dataclass
class MoveHistory:
    """When the chat's open question changed (application, question), oldest first, a few kept.

    LINE may deliver a message after a later one (a redelivery after a failure); the text
    belongs to the question that was open when it was sent, which this history tells.
    """

    moves: list[tuple[datetime, int, int]] = field(default_factory=list)

    @classmethod
    def load(cls, stored: Any) -> MoveHistory:
        """Read the stored history; malformed entries are left out."""
        moves = []
        for entry in stored if isinstance(stored, list) else []:
            try:
                at, application, number = entry
                moment = _moment(at)
                if moment is not None:
                    moves.append((moment, int(application), int(number)))
            except (TypeError, ValueError):
                continue
        return cls(sorted(moves))

    def dump(self) -> list[list[Any]]:
        """Return the history as it is stored in the conversation's context."""
        return [[at.isoformat(), application, number] for at, application, number in self.moves]

    def record(self, application: int, number: int, at: datetime) -> None:
        """Remember that question ``number`` of ``application`` was opened at ``at``."""
        if self.moves and self.moves[-1][1:] == (application, number) and at >= self.moves[-1][0]:
            return  # the same question asked again: nothing changed
        self.moves.append((at, application, number))
        self.moves.sort()
        del self.moves[:-MOVES_KEPT]

    def open_at(self, at: datetime) -> tuple[int, int] | None:
        """Return (application, question) open at ``at``; None if the history starts later."""
        opened = None
        for moved_at, application, number in self.moves:
            if moved_at > at:
                break
            opened = (application, number)
        return opened


