"""Find citizens' personal data that should not go into an application.

Two kinds are looked for, in Arabic or Thai digits:

* a Thai national ID: 13 digits, either unbroken or grouped 1-4-5-2-1 with dashes or
  spaces, whose last digit is the checksum (the first twelve digits weighted 13 … 2,
  ``(11 - sum % 11) % 10``). A 13-digit number with a wrong checksum is not an ID
  (an application or parcel number, say) and is left alone;
* a personal mobile number: 06, 08 or 09 followed by eight digits, with or without
  dashes or spaces, or the same after +66. Office land lines (02, 0 7537 8609) and
  hotlines (1111) are an agency's own contact details and are not flagged.

What is returned is already masked; the full number never leaves this module. Each
finding also says where the number is (its start and end offsets in the text searched), so
a page can highlight it in the officer's own copy without the number being repeated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_D = "[0-9๐-๙]"
_SEP = "[- ]?"
# Each pattern starts with a plain character class and checks what comes before the
# number only after its first digit: a leading look-behind would stop the regex engine
# from skipping quickly to the next digit, making the scan several times slower.
_NATIONAL_ID = re.compile(
    rf"{_D}(?<!{_D}{_D})(?:{_D}{{12}}|{_SEP}{_D}{{4}}{_SEP}{_D}{{5}}{_SEP}{_D}{{2}}{_SEP}{_D})"
    rf"(?!{_D})"
)
_MOBILE = re.compile(
    rf"(?:\+66{_SEP}|[0๐](?<![0-9๐-๙+][0๐]))[689๖๘๙](?:{_SEP}{_D}){{8}}(?!{_D})"
)
# Both need ten digits in a row (separators allowed); most answers have none, and one scan
# for that is cheaper than the two precise ones.
_CANDIDATE = re.compile(rf"{_D}(?:{_SEP}{_D}){{9}}")


class PersonalData(NamedTuple):
    """One piece of personal data: its kind ("national_id" or "mobile"), a masked copy, and
    where the number is in the text (start and end offsets)."""

    kind: str
    masked: str
    start: int
    end: int


def find_personal_data(text: str) -> Iterator[PersonalData]:
    """Yield every valid national ID and mobile number in ``text``, masked."""
    candidate = _CANDIDATE.search(text)
    if candidate is None:
        return
    start = max(0, candidate.start() - 4)  # room for "+66 " before a mobile number
    for m in _NATIONAL_ID.finditer(text, start):
        if is_valid_national_id(m[0]):
            yield PersonalData("national_id", mask(m[0], keep_start=1, keep_end=1), *m.span())
    for m in _MOBILE.finditer(text, start):
        yield PersonalData("mobile", mask(m[0], keep_start=3, keep_end=2), *m.span())


def is_valid_national_id(number: str) -> bool:
    """Tell whether a 13-digit Thai national ID has a correct checksum digit."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if len(digits) != 13:
        return False
    total = sum(d * w for d, w in zip(digits[:12], range(13, 1, -1), strict=True))
    return (11 - total % 11) % 10 == digits[12]


def mask(number: str, *, keep_start: int, keep_end: int) -> str:
    """Replace all digits but the first and last few with "x", keeping the separators."""
    positions = [i for i, ch in enumerate(number) if ch.isdigit()]
    hidden = set(positions[keep_start:len(positions) - keep_end])
    return "".join("x" if i in hidden else ch for i, ch in enumerate(number))
