"""Find measured quantities: numbers tied to something that was counted or measured.

Rules and decisions:

* A number is written in Arabic or Thai digits, with thousands commas or a decimal point
  ("1,250.50", "๑,๒๐๐"), or spelled out in Thai starting with a digit word ("สามร้อย",
  "สองพันห้าร้อย"). Digits glued to Thai words still count ("รวม10 แห่ง").
* It is a *measured quantity* when a unit follows (people, places, cases, area, money,
  time, percent, ratio, weight: see :data:`bot.analysis.lexicon.UNITS`), when it follows
  "ร้อยละ" ("ร้อยละ 85", "ร้อยละห้าสิบ"), or when it follows an amount word ("จำนวน 120",
  "เฉลี่ย 4.52"). Spelled-out numbers count only with a unit or after "ร้อยละ", because
  "สาม" also starts "สามารถ".
* Labels are not measurements: a number right after an ordinal or item word (ที่, ข้อ,
  หมู่, มาตรา, ระยะ, มิติ, ฉบับ), a year or date word (ปี, พ.ศ., ค.ศ., month names), a
  standard, goal or version (ISO, SDG, เวอร์ชัน, Thailand), a phone word (โทร, เบอร์) or a
  slash ("1/2564"); a number glued to a Latin letter ("PM2.5", "G2G"). Nouns that merely
  end like a label word keep their count ("พื้นที่ 500 ไร่", "เจ้าหน้าที่ 15 คน"). A
  four-digit number that reads as a year (2400–2699 or 1900–2099, no comma) is a year
  unless a strong unit follows (people, money, area, weight, percent): "ปี 2564
  จังหวัดนครศรีธรรมราช" is a date, "2564 ราย" a count.
* **Bounds are not evidence.** "ไม่ถึง 100 %", "ไม่เกิน 7 วัน", "อย่างน้อย 2 พื้นที่" state a
  limit or a requirement, not what was measured, so they are dropped. A target group's
  size ("ครัวเรือนเป้าหมาย 200 ครัวเรือน") is a count and stays.
* A table pasted as text (cells split by tabs or pipes): a bare number in a cell counts
  when its row starts with a text label ("ผู้รับบริการ (ราย) | 120 | 450"); the kind comes
  from a unit word in the label.

Speed: digits are found in one regex pass (with their unit, if any), spelled-out numbers
in a second; the words before a number are tested with ``str.endswith`` on a short slice
rather than with another regex, because answers full of figures have a hundred numbers.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.analysis.lexicon import (
    AMOUNT_WORDS,
    BOUND_BEFORE,
    MEASURE_BEFORE_DESPITE_LABEL,
    NOT_MEASURE_BEFORE,
    NUMBER,
    PERCENT_WORD_NUMBER,
    STRONG_KINDS,
    UNITS,
    WORD_NUMBER,
    trie,
)
from bot.analysis.tables import has_table, tables

#: Unit word (lower case) → kind.
UNIT_KINDS = {word.lower(): kind for kind, words in UNITS.items() for word in words}
#: A regex matching any unit, shared with the other checks.
UNIT = trie(UNIT_KINDS)
_GAP = r"[ \t\u00a0]*+"
_DIGITS = re.compile(rf"(?P<num>{NUMBER})(?:{_GAP}(?P<unit>{UNIT}))?")
# Two passes rather than one alternation: "ร้อยละ" alone is a literal the engine finds fast.
_SPELLED_PERCENT = re.compile(rf"ร้อยละ{_GAP}(?P<pct>{PERCENT_WORD_NUMBER})")
_SPELLED = re.compile(rf"(?P<num>{WORD_NUMBER}){_GAP}(?P<unit>{UNIT})")
_BARE_NUMBER = re.compile(rf"[ \u00a0]*+(?P<num>{NUMBER})(?:{_GAP}(?P<unit>{UNIT}))?[ \u00a0]*+\Z")
_UNIT_IN_LABEL = re.compile(rf"ร้อยละ|{UNIT}")
_HAS_LETTER = re.compile(r"[ก-ฮA-Za-z]")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_LOOK_BACK = 16  # characters before a number that can hold its label word
_SPACES = " \t\u00a0"


def _reversed_words(words: tuple[str, ...]) -> str:
    """Return a regex matching any of ``words`` written backwards."""
    return trie(w[::-1] for w in words)


# What the words right before a number say about it, read backwards from the number: the
# slice before the number is reversed and matched once, instead of testing a hundred
# label words against its end one by one.
_CONTEXT = re.compile(
    rf"(?P<bound>{_reversed_words(BOUND_BEFORE)})"
    rf"|(?P<percent>{_reversed_words(('ร้อยละ',))})"
    rf"|(?P<amount>{_reversed_words(AMOUNT_WORDS)})"
    rf"|(?!{_reversed_words(MEASURE_BEFORE_DESPITE_LABEL)})"
    rf"(?P<label>{_reversed_words(NOT_MEASURE_BEFORE)})"
)


class Quantity(NamedTuple):
    """A measured quantity: where it is, what kind of unit, and the number as written."""

    start: int
    end: int
    kind: str
    number: str
    unit: str | None = None

    @property
    def value(self) -> float | None:
        """Return the number's value (digits or Thai words), or None if it cannot be read."""
        return number_value(self.number)


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


def find_quantities(text: str) -> list[Quantity]:
    """Return the measured quantities in ``text``, in order (bounds and labels left out)."""
    found = [q for m in _DIGITS.finditer(text) if (q := _digits_quantity(text, m)) is not None]
    spelled = [q for pattern in (_SPELLED_PERCENT, _SPELLED) for m in pattern.finditer(text)
               if (q := _spelled_quantity(text, m)) is not None]
    if spelled or has_table(text):
        found.extend(spelled)
        if has_table(text):
            found.extend(_table_quantities(text))
        found.sort(key=lambda q: q.start)
    return found


def _context(text: str, start: int) -> str | None:
    """Say what the words right before ``start`` make of a number: bound, percent, amount,
    label, or None."""
    m = _CONTEXT.match(text[max(0, start - _LOOK_BACK):start].rstrip(_SPACES)[::-1])
    return m.lastgroup if m else None


def _digits_quantity(text: str, m: re.Match[str]) -> Quantity | None:
    """Turn a number in digits into a Quantity, or None when it is a label or a bound."""
    number, unit = m.groups()  # (num, unit): one call instead of two lookups by name
    start = m.start()
    context = _context(text, start)
    if context == "percent":
        if _context(text, text.rindex("ร้อยละ", 0, start)) == "bound":
            return None  # "ไม่น้อยกว่าร้อยละ 80"
        return Quantity(start, m.end(), "percent", number, unit)
    if unit is None:
        kind = "amount" if context == "amount" else None
    elif context in ("bound", "label"):
        kind = None
    else:
        kind = UNIT_KINDS[unit.lower()]
    if kind is None or (kind not in STRONG_KINDS and is_year_like(number)):
        return None
    if (start and text[start - 1].isascii() and text[start - 1].isalpha()) \
            or text.startswith("/", start + len(number)):
        return None  # an identifier such as PM2.5 or G2G, or a running number like 1/2564
    return Quantity(start, m.end(), kind, number, unit)


def _spelled_quantity(text: str, m: re.Match[str]) -> Quantity | None:
    """Turn a spelled-out number (or one after ร้อยละ) into a Quantity, unless a bound."""
    start, end = m.span()
    if _context(text, start) == "bound":
        return None
    if m.re is _SPELLED_PERCENT:
        return Quantity(start, end, "percent", m["pct"])
    return Quantity(start, end, UNIT_KINDS[m["unit"].lower()], m["num"], m["unit"])


def _table_quantities(text: str) -> list[Quantity]:
    """Return the bare numbers in the labelled rows of tables pasted as text."""
    found = []
    for table in tables(text):
        for row in table:
            if len(row) < 2 or not _HAS_LETTER.search(row[0].text) or bare_number(row[0].text):
                continue
            label_unit = _UNIT_IN_LABEL.search(row[0].text)
            kind = _label_kind(label_unit[0]) if label_unit else "amount"
            for cell in row[1:]:
                number = bare_number(cell.text)
                if number is not None and not is_year_like(number):
                    found.append(Quantity(cell.start, cell.end, kind, number))
    return found


def _label_kind(unit: str) -> str:
    """Return the kind of a unit word found in a table label."""
    return "percent" if unit == "ร้อยละ" else UNIT_KINDS[unit.lower()]


def bare_number(cell: str) -> str | None:
    """Return the number when a table cell holds only a number, otherwise None."""
    m = _BARE_NUMBER.match(cell)
    return m["num"] if m and not m["unit"] else None
