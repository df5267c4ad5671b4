"""The result of analysing one answer: word and character counts, and findings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One thing the answer is missing, with a stable code and a Thai message."""

    code: str
    message: str
    quote: str | None = None
    #: Higher is more important; the conversation shows the top findings first.
    priority: int = 0
    #: Where in the answer the finding is (start, end offsets), or None for the whole answer.
    span: tuple[int, int] | None = None
    #: Which rule fired and on what, for developers; never shown to the officer.
    reason: str = ""
    #: A sentence with blanks (``__``) the officer can complete to fix this finding, if any.
    fill_in: str | None = None
    #: The label of the chip that offers :attr:`fill_in` ("เติมข้อ 5: ขั้นตอน").
    fill_in_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the public JSON form (code, message, quote, span, reason)."""
        return {"code": self.code, "message": self.message, "quote": self.quote,
                "span": list(self.span) if self.span is not None else None,
                "reason": self.reason}


@dataclass(frozen=True)
class Report:
    """The analysis of one answer to one question."""

    words: int
    chars: int
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> list[str]:
        """Return the finding codes, in order."""
        return [f.code for f in self.findings]

    def top(self, n: int = 3) -> list[Finding]:
        """Return the ``n`` most important findings."""
        return sorted(self.findings, key=lambda f: -f.priority)[:n]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form printed by ``python -m bot analyze --json``."""
        return {"words": self.words, "chars": self.chars,
                "findings": [f.to_dict() for f in self.findings]}


__all__ = ["Finding", "Report", "asdict"]
