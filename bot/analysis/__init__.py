"""Analyse an officer's answer to one application question.

``analyze(text, question, rubric, category=None)`` returns a :class:`Report`: the word
count (PyThaiNLP tokens that hold a letter or digit), the character count (code points
that are not whitespace) and the findings, most important first. Call ``warm_up()`` at
start-up so the tokenizer dictionary is loaded before the first message.

The rules behind each finding are documented where they live: quantities in
:mod:`bot.analysis.quantities`, sentences in :mod:`bot.analysis.sentences`, the flag checks
in :mod:`bot.analysis.checks`, category checks in :mod:`bot.analysis.categories`, personal
data in :mod:`bot.analysis.personal`, page estimates in :mod:`bot.analysis.pages`, ranking
in :mod:`bot.analysis.analyzer`. The Thai wording is in ``conversations/findings.yaml``.
"""

from bot.analysis.analyzer import analyze, warm_up
from bot.analysis.report import Finding, Report
from bot.analysis.tokens import count_words, tokenize


def word_count(text: str) -> int:
    """Count the words of ``text`` as the reports do (PyThaiNLP tokens with a letter or digit)."""
    return count_words(tokenize(text))


__all__ = ["Finding", "Report", "analyze", "warm_up", "word_count"]
