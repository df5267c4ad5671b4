"""Text fit for a document: what XML cannot hold and what the font cannot draw is left out.

Officers paste from Word and PDF viewers (vertical tabs from Shift+Enter, form feeds,
escapes) and type emoji on their phones. XML 1.0 refuses most control characters, so
python-docx (lxml) would fail on them; Sarabun has no emoji, so the PDF would drop them
and leave double spaces. Every format of the draft takes its text through
:func:`document_text`, so they all leave out the same characters the same way.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters XML 1.0 does not allow (besides tab, newline and carriage return), lone
#: surrogates, and the non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Vertical tab and form feed end a line where the officer pressed Shift+Enter or a page
#: break was pasted: keep the break, not the character.
_LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029]")
#: Emoji and pictographs, with the joiners and selectors that build them.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff"
    "\u200d\ufe0e\ufe0f\u20e3\u2b50\u2b55\u2934\u2935\u3030\u303d\u3297\u3299]")
_SPACES = re.compile(r"[ \t]{2,}")


def xml_safe(text: str) -> str:
    """Return ``text`` with line-break controls as newlines and what XML refuses left out."""
    return _NOT_XML.sub("", _LINE_BREAKS.sub("\n", text))


def without_emoji(text: str) -> str:
    """Return ``text`` without emoji, and without the double spaces they would leave."""
    stripped = _EMOJI.sub("", text)
    if stripped == text:
        return text
    return "\n".join(_SPACES.sub(" ", line).strip() for line in stripped.split("\n"))


def document_text(text: str) -> str:
    """Return text as every format of the draft prints it (NFC, XML-safe, no emoji)."""
    return without_emoji(xml_safe(unicodedata.normalize("NFC", text)))


def cut_bytes(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` UTF-8 bytes without splitting a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")
