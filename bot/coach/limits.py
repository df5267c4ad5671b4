"""What one chat may send: the limits, their defaults, and how each is counted.

No officer should be able to stall the bot for everyone, and no officer should lose text
to a limit they were not told about. Each limit is a setting (the README's configuration
table; :func:`limits_from` reads them) and :mod:`bot.coach.limiting` applies them where text
enters an answer: what is over is not stored, and the officer is told in Thai what the
limit is, by how much they are over, and what to do. Nothing already stored is touched.

The defaults, and why:

* **A message** (:attr:`Limits.message_chars`, 5,000): LINE's own limit for a text
  message, so no message typed in LINE is ever refused by it; it holds back what only the
  terminal, the simulator or a postback could send.
* **An answer** (:attr:`Limits.answer_budgets`, 3): three times the length at which the
  analysis already calls the answer too long for its points
  (:func:`bot.analysis.length.budget`'s ``max_chars``: 1.5 × the question's page share,
  never under one A4 page), so 6,000 characters for a 5-point question and 18,000 for the
  20-point one. The officer hears "too long" long before, and there is still room to paste
  a whole earlier draft and cut it down.
* **An application** (:attr:`Limits.application_chars`, 120,000): about 60 A4 pages at
  16 pt, six times the 10 pages a whole application reads well in. With the default
  multiple its answers' own limits already keep an application under 111,600 characters
  (category 2.3's thirteen questions; 93,600 for a public-service category), so by default
  it never binds and the answer path reads nothing for it (an answer event stays at four
  statements); it caps an application, at the cost of one aggregate read per message, once
  ``LIMIT_ANSWER_BUDGETS`` is raised or it is lowered below that sum.
* **Applications per chat** (:attr:`Limits.applications_per_chat`, 20): an agency applies
  with a few projects a year; twenty is several years of them, while the list and every
  draft link stay small.
* **Messages per chat per minute** (:attr:`Limits.messages_per_minute`, 30): one every
  two seconds for a whole minute is more than a group of officers types or pastes; a
  script's flood is refused before anything is read or analysed. 0 turns it off.

Characters are counted as Python counts them, every code point, spaces and line breaks
included (an answer's parts joined one per line, as :attr:`AnswerRecord.text
<bot.coach.ports.AnswerRecord.text>` joins them): whatever the text, a limit bounds what
is stored. For Thai, a code point is what LINE counts as a character.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from bot.analysis.length import budget
from bot.rubrics import Question

#: The setting that sets each limit, by the field of :class:`Limits` it sets.
SETTINGS: dict[str, str] = {
    "message_chars": "LIMIT_MESSAGE_CHARS",
    "answer_budgets": "LIMIT_ANSWER_BUDGETS",
    "application_chars": "LIMIT_APPLICATION_CHARS",
    "applications_per_chat": "LIMIT_APPLICATIONS_PER_CHAT",
    "messages_per_minute": "LIMIT_MESSAGES_PER_MINUTE",
}
#: The rate limit's window, in seconds.
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class Limits:
    """What one chat may send; each field is set by the setting :data:`SETTINGS` names."""

    message_chars: int = 5000
    answer_budgets: float = 3.0
    application_chars: int = 120_000
    applications_per_chat: int = 20
    messages_per_minute: int = 30

    def __post_init__(self) -> None:
        """Refuse a limit that would refuse everything, naming its setting."""
        for spec in fields(self):
            value = getattr(self, spec.name)
            least = 0 if spec.name == "messages_per_minute" else 1
            if spec.name == "answer_budgets":
                fits = isinstance(value, int | float) and value > 0
            else:
                fits = isinstance(value, int) and value >= least
            if isinstance(value, bool) or not fits:
                wanted = ("a positive number" if spec.name == "answer_budgets"
                          else f"a whole number of at least {least}")
                raise ValueError(f"invalid setting {SETTINGS[spec.name]}={value!r}: "
                                 f"expected {wanted}")

    def answer_chars(self, question: Question) -> int:
        """Return how many characters an answer to ``question`` may hold."""
        return max(1, round(self.answer_budgets * budget(question).max_chars))

    def questions_chars(self, questions: tuple[Question, ...]) -> int:
        """Return how many characters the answers to ``questions`` may hold together."""
        return sum(self.answer_chars(question) for question in questions)

    @property
    def rate_limited(self) -> bool:
        """Tell whether messages per minute are limited at all."""
        return self.messages_per_minute > 0


#: The limits when no setting says otherwise (the terminal chat and the simulator).
DEFAULT_LIMITS = Limits()


def limits_from(settings: Mapping[str, Any]) -> Limits:
    """Return the limits the settings give (defaults for those unset).

    Raises:
        ValueError: A setting is not a number, or is below its least value; the message
            names the setting.
    """
    values: dict[str, Any] = {}
    for name, setting in SETTINGS.items():
        raw = settings.get(setting)
        if raw is None or raw == "":
            continue
        values[name] = _number(setting, raw, whole=name != "answer_budgets")
    return Limits(**values)


def _number(setting: str, raw: Any, *, whole: bool) -> int | float:
    """Read one setting as a whole number (or any number), naming it when it is neither."""
    try:
        value = float(raw)
    except (TypeError, ValueError):
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")) or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise ValueError(f"invalid setting {setting}={raw!r}: expected {kind}")
    return int(value) if whole else value


def joined_chars(texts: list[str] | tuple[str, ...]) -> int:
    """Return the characters of ``texts`` joined one per line (an answer's parts)."""
    return sum(len(text) for text in texts) + max(len(texts) - 1, 0)
