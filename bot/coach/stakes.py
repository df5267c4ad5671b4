"""Points at stake: how many of a question's points its gaps may cost.

The rule is content, kept beside the findings' wording in ``conversations/findings.yaml``
(``points_at_stake``: a share from 0 to 1 per finding code), so a domain expert can tune it:

- an empty or skipped question puts its whole weight at stake;
- an answered question puts at stake the sum of its findings' shares, at most the whole
  weight; the share of ``thin`` (too short) is scaled by how far short the answer is, so a
  rich answer a quarter short of its words risks a quarter of that share, not the question;
- a share of 0 (personal data, a vague word) costs no points, though the finding is still
  shown to be fixed.

:func:`bot.coach.views.dimension_progress` applies it, once per question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.analysis.messages import FINDINGS_FILE, PLACEHOLDERS
from bot.analysis.report import Report
from bot.rubrics import Question

#: The section of the findings file that holds the shares.
SECTION = "points_at_stake"
#: The finding whose share is scaled by how far short of its expected words the answer is.
SCALED_BY_SHORTFALL = "thin"


class StakesError(ValueError):
    """The shares are malformed; the message names the file and the code."""


@dataclass(frozen=True)
class StakeRule:
    """The share of a question's points each finding code puts at stake."""

    shares: Mapping[str, float]

    def at_stake(self, question: Question, report: Report | None, *, answered: bool) -> float:
        """Return the points of ``question`` its answer (or its absence) may cost."""
        if not answered:
            return question.weight
        if report is None:
            return 0.0
        share = sum(self.share(code, question, report) for code in report.codes)
        return question.weight * min(1.0, share)

    def share(self, code: str, question: Question, report: Report) -> float:
        """Return the share one finding puts at stake (an unknown code puts none)."""
        share = self.shares.get(code, 0.0)
        if code == SCALED_BY_SHORTFALL and question.min_words > 0:
            share *= max(0.0, 1 - report.words / question.min_words)
        return share


def load_stakes(path: Path = FINDINGS_FILE) -> StakeRule:
    """Read and check the shares: one per finding code, each from 0 to 1."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise StakesError(f"{path}: cannot be read: {exc}") from exc
    section = data.get(SECTION) if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise StakesError(f"{path}: '{SECTION}' must map each finding code to a share")
    shares = {}
    for code in PLACEHOLDERS:
        value = section.get(code)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise StakesError(f"{path}: '{SECTION}.{code}' must be a number from 0 to 1")
        shares[code] = float(value)
    unknown = sorted(set(map(str, section)) - set(PLACEHOLDERS))
    if unknown:
        raise StakesError(f"{path}: '{SECTION}.{unknown[0]}' is not a finding code")
    return StakeRule(shares)


@lru_cache(maxsize=1)
def default_stakes() -> StakeRule:
    """Return the project's rule, loaded once per process."""
    return load_stakes()
