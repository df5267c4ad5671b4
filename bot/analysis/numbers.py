"""A number in an answer as a record, and how a written number and its unit are read.

The roles and kinds a :class:`Quantity` carries are documented in
:mod:`bot.analysis.quantities`, which finds them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.analysis.lexicon import NUMBER, UNITS, trie

#: Unit word (lower case) → kind.
UNIT_KINDS = {word.lower(): kind for kind, words in UNITS.items() for word in words}
#: A regex matching any unit, shared with the other checks.
UNIT = trie(UNIT_KINDS)
_GAP = r"[ \t]*+"
_BARE_NUMBER = re.compile(
    rf"[ ]*+\(?(?P<num>{NUMBER})(?:{_GAP}(?P<unit>{UNIT}|ร้อยละ|%))?\)?[ ]*+\Z")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class Quantity(NamedTuple):
    """A number in an answer: where it is, its kind of unit, the number as written, its role."""

    start: int
    end: int
    kind: str
    number: str
    unit: str | None = None
    role: str = "result"
    #: What is counted: a beneficiary noun for people, else the unit (None if unknown).
    counts: str | None = None
    #: The word that decided the role, for the developer's reason line.
    cue: str | None = None
    multiplier: int = 1

    @property
    def value(self) -> float | None:
        """Return the value (digits or Thai words, times any multiplier), or None."""
        value = number_value(self.number)
        return None if value is None else value * self.multiplier

    def describe(self, text: str) -> str:
        """Return a short developer description: role, kind, the words and the cue."""
        cue = f" after '{self.cue}'" if self.cue else ""
        return f"{self.role}:{self.kind} '{text[self.start:self.end]}'{cue}"


def number_value(number: str) -> float | None:
    """Read a number written in Arabic or Thai digits or spelled out in Thai."""
    try:
        return float(number.translate(_THAI_DIGITS).replace(",", ""))
    except ValueError:
        pass
    from pythainlp.util import thaiword_to_num  # only area counts need spelled-out values

    try:
        return float(thaiword_to_num(number))
    except ValueError:
        return None


def is_year_like(number: str) -> bool:
    """Tell whether a written number reads as a Buddhist or Christian-era year."""
    if len(number) != 4 or not number.isdigit():
        return False
    value = int(number)  # int() reads Thai digits too
    return 2400 <= value <= 2699 or 1900 <= value <= 2099


def unit_kind(unit: str | None) -> str:
    """Return the kind of a unit word, or "number" for none."""
    return UNIT_KINDS[unit.lower()] if unit else "number"


def bare_number(cell: str) -> str | None:
    """Return the number when a cell or line holds only a number (maybe with a unit)."""
    m = _BARE_NUMBER.match(cell)
    return m["num"] if m else None
