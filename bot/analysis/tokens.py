"""Count words with PyThaiNLP and characters without whitespace.

Engine choice, measured with ``bench/analysis.py`` on 5,000 characters of realistic
application text (PyThaiNLP 5.4, this two-core machine):

=========  ========================  ====================
engine     first call (dictionary)   per 1,000 characters
=========  ========================  ====================
nlpo3      0.07 s                    0.18 ms
newmm      0.42 s                    0.98 ms
longest    0.42 s                    55 ms
=========  ========================  ====================

nlpo3 is the Rust port of newmm over the same dictionary. On the bench sample both give
the same word count (they differ only in whether brackets around "(pH)" or "(1)" are
split off, which the count ignores); nlpo3 is five times faster per character and six
times faster to load, so the bot uses it. longest is out of the question. The dictionary
is loaded by :func:`warm_up` at start-up rather than on the first message.

Words are PyThaiNLP tokens that hold a letter or a digit: spaces, punctuation, emoji and
the repetition mark ๆ are not words. ``join_broken_num`` is off because nlpo3 already
keeps "1,250.50" in one token, and that post-processing pass costs a third of the
tokenizer's time.

Characters are Unicode code points that are not whitespace, Thai vowel and tone marks
included (each is its own code point, so "น้ำ" counts 3); zero-width spaces, which Thai
text often carries invisibly, are not counted either.
"""

from __future__ import annotations

import re
import threading

ENGINE = "nlpo3"
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WORD_CHAR = re.compile(r"[^\W_]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CACHE_LIMIT = 50_000
_lock = threading.Lock()
_ready = False


class _IsWord(dict):
    """Remember, per distinct token, whether it counts as a word."""

    def __missing__(self, token: str) -> bool:
        if len(self) > _CACHE_LIMIT:  # numbers and names make the vocabulary open-ended
            self.clear()
        is_word = token != "ๆ" and _WORD_CHAR.search(token) is not None
        self[token] = is_word
        return is_word


_is_word = _IsWord()


def warm_up() -> None:
    """Load the tokenizer and its dictionary once; later calls return at once."""
    global _ready
    if _ready:
        return
    with _lock:
        if not _ready:
            tokenize("ทดสอบ")
            _ready = True


def tokenize(text: str) -> list[str]:
    """Split ``text`` into PyThaiNLP tokens, whitespace tokens included."""
    # Imported here so that importing bot.analysis (for its report types) stays cheap.
    from pythainlp.tokenize import word_tokenize

    try:
        return word_tokenize(text, engine=ENGINE, join_broken_num=False)
    except UnicodeEncodeError:
        # nlpo3 hands the text to Rust as UTF-8, which a lone surrogate (from a broken
        # JSON escape) cannot be; such a character is no word anyway.
        return word_tokenize(_SURROGATE.sub("\ufffd", text), engine=ENGINE,
                             join_broken_num=False)


def count_words(tokens: list[str]) -> int:
    """Count the tokens that hold a letter or a digit."""
    return sum(map(_is_word.__getitem__, tokens))


def count_chars(text: str) -> int:
    """Count the characters of ``text`` that are neither whitespace nor zero-width."""
    visible = sum(map(len, text.split()))
    if _INVISIBLE.search(text):
        visible -= len(_INVISIBLE.findall(text))
    return visible
