"""Which stored message a finding points at, so that the findings reply can quote it.

A finding with a quote (a phone number, masked; a vague phrase in its sentence) concerns
one place in the answer, and the answer is the officer's messages joined, one per line
(:attr:`AnswerRecord.text`). The message is found without guessing:

* a finding with a span (offsets into that joined text, as ``bot.analysis`` gives them)
  is in the part where its span starts;
* a finding without one (from another analyzer) is looked for by analysing each part
  that LINE can quote alone: the first whose own report has the same finding (same code,
  same quote) is the one. Parts are analysed only then, and each at most once.

A finding whose part cannot be quoted (no quote token, as from the terminal) or cannot be
found leaves the next one to try.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from bot.analysis.report import Finding, Report

from .ports import PartRecord

#: Analyses one part's text alone, as the whole answer was analysed (None: not analysed).
PartAnalysis = Callable[[str], Report | None]


def quoted_part(findings: Sequence[Finding], parts: Sequence[PartRecord],
                analyse: PartAnalysis) -> PartRecord | None:
    """Return the part holding the first finding with a quote, or None when none is found.

    ``findings`` are the ones shown, the most important first, found in the parts' text
    joined by newlines. Only parts LINE can quote are returned.
    """
    starts = _part_starts(parts)
    reports: dict[int, Report | None] = {}
    for finding in (f for f in findings if f.quote):
        if finding.span is not None:
            index = _part_at(starts, finding.span[0])
            if index is not None and parts[index].quote_token:
                return parts[index]
            continue
        for index, part in enumerate(parts):
            if not part.quote_token:
                continue
            if index not in reports:
                reports[index] = analyse(part.text)
            own = reports[index]
            if own is not None and any(_same(finding, mine) for mine in own.findings):
                return part
    return None


def _part_starts(parts: Sequence[PartRecord]) -> list[int]:
    """Return where each part starts in the parts' text joined by newlines, and the end."""
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part.text) + 1
    starts.append(at - 1)
    return starts


def _part_at(starts: list[int], offset: int) -> int | None:
    """Return the index of the part holding ``offset`` (None: past the end)."""
    if not 0 <= offset < starts[-1]:
        return None
    return bisect.bisect_right(starts, offset, hi=len(starts) - 1) - 1


def _same(finding: Finding, own: Finding) -> bool:
    """Tell whether a part's own finding is the answer's finding."""
    return own.code == finding.code and own.quote == finding.quote
