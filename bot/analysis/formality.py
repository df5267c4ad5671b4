"""Formality: chat-style writing in an answer meant for an official document.

An answer is typed in a chat, but it ends up in a document an assessor reads. What is
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
_INFORMAL = re.compile(
    rf"(?P<emoji>{_EMOJI})"
    r"|(?P<emoticon>(?<!\S)(?::-?[)(DPp]|;-?\)|\^_?\^|T_T)(?!\S))"
    r"|(?P<laugh>(?<![0-9๐-๙.,/\-])5{3,}\+*(?![0-9๐-๙.,/%\-]))"
    rf"|(?P<haha>(?:ฮ่า[ \t]?ๆ|ฮ่าฮ่า|อิอิ|คิคิ|(?<![A-Za-z])[lL][oO][lL](?![A-Za-z])){_END})"
    rf"|(?P<stretch>(?P<consonant>[ก-ฮ])(?P=consonant){{3,}}|(?P<vowel>[{_THAI_MARK}])(?P=vowel){{2,}})"
    r"|(?P<mai_yamok>ๆ(?:[ \t]*ๆ)+)"
    r"|(?P<marks>[!！]{2,}|[?？]{2,})"
    rf"|(?P<chat>(?:{trie(CHAT_PARTICLES)}){_END})"
    rf"|(?P<polite>(?:(?<=[{_THAI_LETTER}])|(?<=[{_THAI_LETTER}] ))(?:{trie(POLITE_PARTICLES)})"
    rf"{_END})"
    r"|(?P<hashtag>(?<!\S)#(?=[0-9๐-๙_]*[ก-ฮA-Za-z])[^\s#]{2,})"
    r"|(?P<sticker>[\[(](?:[sS]ticker|STICKER|สติกเกอร์|สติ๊กเกอร์|[pP]hoto|รูปภาพ)[\])])",
    re.MULTILINE,
)
_UNIT_AFTER = re.compile(rf"[ \t]*+(?:{trie(w for ws in UNITS.values() for w in ws)}|ร้อยละ|%)")
_NUMBER_BEFORE = re.compile(rf"(?:{trie(_NUMBER_CONTEXT)})[ \t]*\Z")
_QUOTES = {"“": "”", '"': '"', "«": "»", "'": "'"}
_BIT = 40  # characters either side of a chat word looked at for the words around it
_WORDS_BEFORE = 2  # words quoted before a chat word, so the quote reads as Thai
_RULES = ("emoji", "emoticon", "laugh", "haha", "stretch", "mai_yamok", "marks", "chat", "polite",
          "hashtag", "sticker")
_WIDENED = frozenset({"stretch", "chat", "polite"})


def find_informal(answer: Answer) -> Iterator[Gap]:
    """Report the first emoji, chat laughter or other chat-style writing in the answer."""
    text = answer.text
    for m in _INFORMAL.finditer(text):
        rule = next(name for name in _RULES if m[name] is not None)
        if rule == "emoji" and m[0][0] in FORMAL_SYMBOLS:
            continue
        if rule == "laugh" and _is_a_count(text, m.start(), m.end()):
            continue
        if rule == "polite" and _inside_quotes(text, m.start()):
            continue
        start, end = _word(text, *m.span()) if rule in _WIDENED else m.span()
        yield Gap("informal", quote=text[start:end], span=(start, end),
                  reason=f"formality: {rule} {text[start:end]!r}")
        return


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
