"""Analyse one answer to one question: counts, findings, and which findings matter most.

The text is tokenized once (for the word count); every check works on the raw text with
precompiled regexes, and the measured quantities, which several checks share, are found
once and only when a check asks for them.

Priority: a finding's priority is ``100 × points × severity``, where *points* is the
question's weight in the rubric (at least 2.5, so a question without points, such as
participatory question 13, still ranks) and *severity* says how much of those points the
gap puts at risk (:data:`SEVERITY`). A thin answer's severity is scaled by how far short it
is. So a missing statistic on the 20-point results question (2,000) outranks a thin answer
on a 2.5-point question (at most 175). Personal data and an over-limit answer come first
whatever the weight: one is a legal problem, the other gets the answer cut.

An empty answer gets the single finding ``empty``: every other finding would only repeat it.
The same finding is never given twice: a gap with the code, span and quote of one already
found is dropped.

Spans: a finding about one place (a vague word, a claim, a phone number, a repeated
paragraph, chat-style writing, the text past a limit) has the (start, end) offsets of that
place in the answer as given to :func:`analyze` (a carriage return is read as a space, so
offsets stay those of the stored text); a finding about the answer as a whole has None.
Quotes are the officer's own words (see :func:`bot.analysis.sentences.quote`).

Each finding's example fits where the answer stands (its track, question and category:
see :class:`bot.analysis.messages.Examples`). A finding that asks for a figure carries a
fill-in template (an unproven claim's from ``conversations/claims.yaml``, another code's
from ``findings.yaml``) and the label of the chip that offers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.analysis.categories import CATEGORY_CHECKS
from bot.analysis.checks import (
    FLAG_CHECKS,
    Answer,
    Gap,
    find_personal,
    find_vague,
)
from bot.analysis.claims import check_claims, default_asks, fill_in_what
from bot.analysis.formality import find_informal
from bot.analysis.length import check_length
from bot.analysis.messages import FindingMessages, Where, default_messages
from bot.analysis.repeats import find_repeats
from bot.analysis.report import Finding, Report
from bot.analysis.tokens import count_chars, count_words, tokenize
from bot.analysis.tokens import warm_up as warm_up_tokenizer
from bot.rubrics import Question, Rubric

#: Share of a question's points each kind of gap puts at risk.
SEVERITY = {
    "empty": 1.0,
    "no_statistics": 1.0,
    "no_sdg": 1.0,
    "no_before_after": 0.9,
    "no_evaluation": 0.9,
    "few_areas": 0.9,
    "no_participation_level": 0.9,
    "no_beneficiaries": 0.8,
    "participation_level_low": 0.8,
    "no_facilitation": 0.8,
    "no_extension_scope": 0.8,
    "no_interoperability": 0.7,
    "no_data_security": 0.6,
    "no_consent": 0.6,
    "no_readiness": 0.8,
    "no_poverty": 0.8,
    "thin": 0.7,
    "vague_quantifier": 0.3,
    "unproven_claim": 0.75,
    "too_long": 0.3,
    "repeated_text": 0.3,
    "informal": 0.2,
}
#: Findings that come before any scored gap.
FIXED_PRIORITY = {"personal_data": 10_000, "over_limit": 5_000}
#: The least weight a question counts with when ranking its findings.
MIN_POINTS = 2.5


def warm_up() -> None:
    """Load the tokenizer dictionary and the findings wording; cheap when already done."""
    warm_up_tokenizer()
    default_asks()
    default_messages()


def analyze(text: str, question: Question, rubric: Rubric, category: str | None = None) -> Report:
    """Analyse ``text`` as the answer to ``question`` and return counts and findings."""
    warm_up()
    if "\r" in text:
        # Same length, so that spans still index the officer's text as stored.
        text = text.replace("\r\n", " \n").replace("\r", "\n")
    words = count_words(tokenize(text))
    chars = count_chars(text)
    messages = default_messages()
    answer = Answer(text)
    where = Where(rubric.track, question.number, category)
    gaps = distinct(find_gaps(answer, question, rubric, category, words=words, chars=chars))
    findings = sorted((_finding(gap, question, messages, answer, where) for gap in gaps),
                      key=lambda f: -f.priority)
    return Report(words=words, chars=chars, findings=tuple(findings))


def distinct(gaps: Iterable[Gap]) -> Iterator[Gap]:
    """Yield each gap once: a later one with the code, span and quote of an earlier is dropped."""
    seen: set[tuple[str, tuple[int, int] | None, str | None]] = set()
    for gap in gaps:
        key = (gap.code, gap.span, gap.quote)
        if key not in seen:
            seen.add(key)
            yield gap


def find_gaps(answer: Answer, question: Question, rubric: Rubric, category: str | None, *,
              words: int, chars: int) -> Iterator[Gap]:
    """Yield every gap of the answer, before wording and ranking."""
    if not answer.text.strip():
        yield Gap("empty", {"expected": question.min_words}, reason="empty: only whitespace")
        return
    yield from find_personal(answer)
    yield from check_length(answer, words, chars, question)
    yield from find_repeats(answer)
    yield from find_informal(answer)
    for flag, check in FLAG_CHECKS.items():
        if question.has(flag):
            yield from check(answer)
    if category is not None:
        for category_check in rubric.checks_for(category, question.number):
            run = CATEGORY_CHECKS.get(category_check.code)
            if run is not None:
                yield from run(answer, category_check, rubric)
    yield from find_vague(answer)
    yield from check_claims(answer)


def priority(gap: Gap, question: Question) -> int:
    """Rank a gap by how many of the question's points it puts at risk."""
    if gap.code in FIXED_PRIORITY:
        return FIXED_PRIORITY[gap.code]
    points = max(question.weight, MIN_POINTS)
    return round(100 * points * SEVERITY[gap.code] * gap.scale)


def _finding(gap: Gap, question: Question, messages: FindingMessages, answer: Answer,
             where: Where) -> Finding:
    """Word and rank one gap; its span is given in the officer's own text."""
    fill_in, label = _fill_in(gap, question, messages)
    return Finding(code=gap.code, message=messages.render(gap.code, gap.values, where),
                   quote=gap.quote, priority=priority(gap, question),
                   span=answer.to_original(gap.span), reason=gap.reason,
                   fill_in=fill_in, fill_in_label=label)


def _fill_in(gap: Gap, question: Question,
             messages: FindingMessages) -> tuple[str | None, str | None]:
    """Return the gap's fill-in template and its chip's label, or (None, None)."""
    if gap.code == "unproven_claim":
        return gap.values["fill_in"], messages.chip(question.number,
                                                    fill_in_what(gap.values["claim"]))
    fill_in = messages.fill_ins.get(gap.code)
    if fill_in is None:
        return None, None
    return fill_in.text, messages.chip(question.number, fill_in.what)
