"""Thai typesetting decisions for the DOCX: the document's digits and the officer's lists.

Digits: official documents write their own numbers in Thai digits (U+0E50–U+0E59); an
agency may prefer Arabic ones. Only the labels the document composes (headings, question
labels, the cover, counts, page numbers) follow the choice: the officer's text is never
changed.

Lists: officers type lists as lines that start with a marker — a Thai or Arabic number
and ")" or ".", "(1)", "•", "-", a Thai letter and "." — followed by a space. Such a line
is set with a hanging indent so that wrapped lines align after the marker. A number
without "." or ")" (a year, "3.5 million") is no marker, and neither is an abbreviation
such as the Buddhist-era "B.E." (no space after the dot).

Thai letters and digits are built from their code points: the Python holds no Thai
literal (tests/test_wording.py).
"""

from __future__ import annotations

import re
from typing import Literal

#: Which digits the document's own labels use.
Digits = Literal["thai", "arabic"]
DIGITS: tuple[Digits, ...] = ("thai", "arabic")

_TO_THAI = str.maketrans({str(i): chr(0x0E50 + i) for i in range(10)})
_DIGIT = f"0-9{chr(0x0E50)}-{chr(0x0E59)}"
#: Thai consonants ก–ฮ (U+0E01–U+0E2E), used as list letters "ก." "ข)".
_LETTER = f"{chr(0x0E01)}-{chr(0x0E2E)}a-zA-Z"
_BULLETS = "\u2022\u25cf\u25aa\u2013\u00b7*-"
_MARKER = re.compile(
    rf"(?P<marker>\(?[{_DIGIT}]{{1,3}}[.)]|\([{_DIGIT}]{{1,3}}\)|[{_LETTER}][.)]|[{_BULLETS}])"
    r"[ \t]+(?=\S)"
)


def own_digits(text: str, digits: Digits) -> str:
    """Write the digits of a label the document composes in the chosen digits."""
    return text.translate(_TO_THAI) if digits == "thai" else text


def list_item(text: str) -> tuple[str, str] | None:
    """Split a list line into its marker and its text, or return None for prose."""
    match = _MARKER.match(text)
    if match is None:
        return None
    return match.group("marker"), text[match.end():]
