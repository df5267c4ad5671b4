"""Analyse an officer's answer to one application question.

``analyze(text, question, rubric, category=None)`` returns a :class:`Report`: the word
count (PyThaiNLP tokens that hold a letter or digit), the character count (code points
that are not whitespace) and the findings, most important first. Each finding has a stable
code, its Thai message, a quote in the officer's own words, the span it concerns (start and
end offsets in ``text``, or None for the answer as a whole) and a one-line reason for
developers. Call ``warm_up()`` at start-up so the tokenizer dictionary is loaded before
the first message.

The modules, in the order the analysis uses them (each documents its own rules):

* :mod:`~bot.analysis.normalize` repairs PDF and OCR damage, keeping a map back to the
  stored text; :mod:`~bot.analysis.answer` holds both texts (``Answer``) and the ``Gap``
  a check reports; :mod:`~bot.analysis.tokens` counts words and characters;
  :mod:`~bot.analysis.lexicon` holds the word lists.
* Quantities: :mod:`~bot.analysis.numbers` reads a number and its unit,
  :mod:`~bot.analysis.roles` and :mod:`~bot.analysis.readings` decide its role (result,
  target, budget, scope, date …), :mod:`~bot.analysis.tables` and
  :mod:`~bot.analysis.table_numbers` read pasted tables and labelled values, and
  :mod:`~bot.analysis.quantities` puts them together.
* Checks: :mod:`~bot.analysis.checks` (the question flags: statistics, beneficiaries,
  evaluation), :mod:`~bot.analysis.comparisons` (before and after),
  :mod:`~bot.analysis.sdg`, :mod:`~bot.analysis.vague` (vague quantifiers),
  :mod:`~bot.analysis.claims` (claims with no figure), :mod:`~bot.analysis.length` and
  :mod:`~bot.analysis.pages` (too short, too long, over a page limit),
  :mod:`~bot.analysis.formality`, :mod:`~bot.analysis.repeats` (text pasted twice),
  :mod:`~bot.analysis.categories` and :mod:`~bot.analysis.participation` (a category's
  own checks), :mod:`~bot.analysis.personal` (ID and mobile numbers).
* :mod:`~bot.analysis.sentences` finds the sentence around a phrase and cuts the quote;
  :mod:`~bot.analysis.analyzer` runs the checks, words and ranks the findings and maps
  their spans to the stored text; :mod:`~bot.analysis.report` holds the result and its
  JSON form (``python -m bot analyze --json``, :mod:`~bot.analysis.cli`).

The Thai wording is in ``conversations/findings.yaml`` (read by
:mod:`~bot.analysis.messages`).
"""

from bot.analysis.analyzer import analyze, warm_up
from bot.analysis.report import Finding, Report
from bot.analysis.tokens import count_words, tokenize


def word_count(text: str) -> int:
    """Count the words of ``text`` as the reports do (PyThaiNLP tokens with a letter or digit)."""
    return count_words(tokenize(text))


__all__ = ["Finding", "Report", "analyze", "warm_up", "word_count"]
