"""Which stored message a finding points at, so that the findings reply can quote it.

A finding with a quote (a phone number, masked; a vague phrase in its sentence) concerns
one place in the answer, and the answer is the officer's messages joined. The message is
found without guessing: each part that LINE can quote is analysed alone, and the first
whose own report has the same finding (same code, same quote) is the one. Parts are
analysed only when a finding shown has a quote, and each part at most once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.analysis.report import Finding, Report

from .ports import PartRecord

#: Analyses one part's text alone, as the whole answer was analysed (None: not analysed).
PartAnalysis = Callable[[str], Report | None]


def quoted_part(findings: Sequence[Finding], parts: Sequence[PartRecord],
                analyse: PartAnalysis) -> PartRecord | None:
    """Return the part holding the first finding with a quote, or None when none is found.

    ``findings`` are the ones shown, the most important first; a finding whose place
    cannot be found leaves the next one to try. Only parts LINE can quote are analysed.
    """
    reports: dict[int, Report | None] = {}
    for finding in (f for f in findings if f.quote):
        for index, part in enumerate(parts):
            if not part.quote_token:
                continue
            if index not in reports:
                reports[index] = analyse(part.text)
            own = reports[index]
            if own is not None and any(_same(finding, mine) for mine in own.findings):
                return part
    return None


def _same(finding: Finding, own: Finding) -> bool:
    """Tell whether a part's own finding is the answer's finding."""
    return own.code == finding.code and own.quote == finding.quote
