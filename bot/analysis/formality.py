"""Formality: chat-style writing in an answer meant for an official document.

An answer is typed in a chat, but it ends up in a document an assessor reads. The check
reads the officer's own text, before the repairs of pasted PDF text (which fold a stretched
"ค่าาา" into "ค่า"); the span is given in the repaired text like every gap's. What is
flagged (one finding per answer, quoting the first offending bit):

* **Emoji** (the pictographic blocks, and the few emoji among the symbols and dingbats);
  symbols that formal Thai documents use as bullets or marks are not emoji: ✓ ✔ ✗ ★ ☐ ☑ ➢
  ❖ ❶.
* **Emoticons** standing alone: ":)", ":-)", ":(", ":D", ";)", "^^", "^_^", "T_T".
* **Chat laughter**: "555", "5555+" (fives standing alone, not a count: "555 ราย" or
  "จำนวน 555" are figures), "ฮ่าๆ", "อิอิ", "lol".
* **Stretched letters**: a Thai vowel or tone mark three times or more ("ค่าาา"), a
  consonant four times or more ("มากกกก"); no Thai word has that. Three consonants occur
  where words meet ("ระบบบริหาร", "คำขอออนไลน์") and in abbreviations ("สสส."). Thai digits
  are not letters ("๑๑๑" is a number).
* **Doubled ๆ** ("ดีมากๆๆ", "มาก ๆ ๆ"); a single ๆ, with or without spaces, is proper Thai.
* **Repeated ! or ?** ("!!", "??").
* **Chat particles**: จ้า, จ้ะ, จ๊ะ, คร้าบ, ค้าบ, เด้อ, เน้อ anywhere as a word end; the polite
  ครับ, ค่ะ, คะ, นะคะ, นะครับ ending a word (before a space, punctuation or the end; Thai
  puts a space between sentences), which belong to speech, not to a document — except
  inside quotation marks, where they are someone's words. "คะแนน" is no particle.
* **Hashtags** ("#SDGs", "#76จังหวัด"): social-media style; "ข้อ #3" is a number.
* **Stickers and photos pasted as text**: "[Sticker]", "[สติกเกอร์]", "(sticker)", "[รูปภาพ]".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.analysis.answer import Answer, Gap
from bot.analysis.lexicon import UNITS, trie
from bot.analysis.tokens import tokenize

#: Symbols among the emoji blocks that formal documents use (marks, stars, boxes, bullets).
FORMAL_SYMBOLS = "✓✔✕✖✗✘★☆☐☑☒☎✉☞☛♠♣♦❖❶❷❸❹❺❻❼❽❾❿➔➢➣➤➥➦➧➨"
#: Particles of chat that never appear in writing.
CHAT_PARTICLES = ("จ้า", "จ้ะ", "จ๊ะ", "จ้าา", "คร้าบ", "ค้าบ", "ครัช", "เด้อ", "เน้อ", "นะจ๊ะ")
#: Polite particles of speech, informal at the end of a sentence in a document.
POLITE_PARTICLES = ("ครับ", "ค่ะ", "คะ", "นะคะ", "นะครับ", "ครับผม")
#: Words before a number that make it a count or a label, not laughter.
_NUMBER_CONTEXT = ("จำนวน", "รวม", "ทั้งหมด", "ทั้งสิ้น", "ละ", "ที่", "เลขที่", "หมายเลข", "ห้อง",
                   "โทร", "เบอร์", "รหัส", "ข้อ", "หมู่", "ปี", "เฉลี่ย", "ประมาณ", "กว่า",
                   "เป็น", "เหลือ", "จาก", "ถึง", "คะแนน", ":", "=", "|")

_THAI_LETTER = "\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"
_THAI_MARK = "\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e"  # vowels and tone marks
_EMOJI = (r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u203C\u2049]"
          r"[\uFE0F\u200D\U0001F3FB-\U0001F3FF]*")
_END = rf"(?![{_THAI_LETTER}])"
#: One regex per rule, in the order they are reported when two start at the same place; each
#: starts with a literal or a narrow class, so a scan of the answer is cheap.
_PATTERNS = {
    "emoji": re.compile(_EMOJI),
    "emoticon": re.compile(r"(?<!\S)(?::-?[)(DPp]|;-?\)|\^_?\^|T_T)(?!\S)"),
    "laugh": re.compile(r"(?<![0-9๐-๙.,/\-])5{3,}\+*(?![0-9๐-๙.,/%\-])"),
    "haha": re.compile(
        rf"(?:ฮ่า[ \t]?ๆ|ฮ่าฮ่า|อิอิ|คิคิ|(?<![A-Za-z])[lL][oO][lL](?![A-Za-z])){_END}"),
    "stretch": re.compile(rf"([ก-ฮ])\1{{3,}}|([{_THAI_MARK}])\2{{2,}}"),
    "mai_yamok": re.compile(r"ๆ(?:[ \t]*ๆ)+"),
    "marks": re.compile(r"[!！]{2,}|[?？]{2,}"),
    "chat": re.compile(rf"(?<!เ)(?:{trie(CHAT_PARTICLES)}){_END}"),  # not the จ้า of เจ้า
    "polite": re.compile(rf"(?:{trie(POLITE_PARTICLES)}){_END}"),
    "hashtag": re.compile(r"(?<!\S)#(?=[0-9๐-๙_]*[ก-ฮA-Za-z])[^\s#]{2,}"),
    "sticker": re.compile(r"[\[(](?:[sS]ticker|STICKER|สติกเกอร์|สติ๊กเกอร์|[pP]hoto|รูปภาพ)[\])]"),
}
_THAI_BEFORE = re.compile(rf"[{_THAI_LETTER}] ?\Z")
_UNIT_AFTER = re.compile(rf"[ \t]*+(?:{trie(w for ws in UNITS.values() for w in ws)}|ร้อยละ|%)")
_NUMBER_BEFORE = re.compile(rf"(?:{trie(_NUMBER_CONTEXT)})[ \t]*\Z")
_QUOTES = {"“": "”", '"': '"', "«": "»", "'": "'"}
_BIT = 40  # characters either side of a chat word looked at for the words around it
_WORDS_BEFORE = 2  # words quoted before a chat word, so the quote reads as Thai
_WIDENED = frozenset({"stretch", "chat", "polite"})


def find_informal(answer: Answer) -> Iterator[Gap]:
    """Report the first emoji, chat laughter or other chat-style writing in the answer."""
    text = answer.original
    found = [hit for hit in (_first(rule, text) for rule in _PATTERNS) if hit is not None]
    if found:
        start, end, rule = min(found, key=lambda hit: hit[0])
        yield Gap("informal", quote=text[start:end], span=_in_checked_text(answer, start, end),
                  reason=f"formality: {rule} {text[start:end]!r}")


def _in_checked_text(answer: Answer, start: int, end: int) -> tuple[int, int]:
    """Map a span of the officer's text to the text the checks read (gaps' offsets)."""
    if answer.text == answer.original:
        return start, end
    return _text_offset(answer, start), max(_text_offset(answer, end), _text_offset(answer, start))


def _text_offset(answer: Answer, original: int) -> int:
    """Return the first offset of the checked text that maps at or after ``original``."""
    low, high = 0, len(answer.text)
    while low < high:
        mid = (low + high) // 2
        span = answer.to_original((mid, mid + 1))
        if span is not None and span[0] < original:
            low = mid + 1
        else:
            high = mid
    return low


def _first(rule: str, text: str) -> tuple[int, int, str] | None:
    """Return (start, end, rule) of the first offence of ``rule`` in ``text``, or None."""
    for m in _PATTERNS[rule].finditer(text):
        if not _excused(rule, text, m.start(), m.end()):
            start, end = _word(text, *m.span()) if rule in _WIDENED else m.span()
            return start, end, rule
    return None


def _excused(rule: str, text: str, start: int, end: int) -> bool:
    """Tell whether a match is formal after all: a symbol, a count, a quotation, no particle."""
    if rule == "emoji":
        return text[start] in FORMAL_SYMBOLS
    if rule == "laugh":
        return _is_a_count(text, start, end)
    if rule == "polite":
        return (not _THAI_BEFORE.search(text, max(0, start - 2), start)
                or _inside_quotes(text, start))
    return False


def _is_a_count(text: str, start: int, end: int) -> bool:
    """Tell whether the fives at ``text[start:end]`` are a number: a unit or a label is near."""
    before = text[max(0, start - 12):start]
    after = text[end:end + 3].lstrip(" ")
    return bool(_UNIT_AFTER.match(text, end) or _NUMBER_BEFORE.search(before)
                or before.rstrip(" ")[-1:].isdigit() or "\t" in before[-2:]
                or after[:1] in ("|", "\t"))


def _inside_quotes(text: str, at: int) -> bool:
    """Tell whether ``at`` is inside a quotation opened earlier on its line."""
    line = text[text.rfind("\n", 0, at) + 1:at]
    for opening, closing in _QUOTES.items():
        if opening == closing:
            if line.count(opening) % 2 == 1:
                return True
        elif line.rfind(opening) > line.rfind(closing):
            return True
    return False


def _word(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a run to the words around it: the two words before it, the rest of its word."""
    left = start
    while left > max(0, start - _BIT) and not text[left - 1].isspace():
        left -= 1
    if left < start:
        before = tokenize(text[left:start])
        left = start - sum(map(len, before[-_WORDS_BEFORE:]))
    right = end
    while right < min(len(text), end + _BIT) and not text[right].isspace():
        right += 1
    return left, right
