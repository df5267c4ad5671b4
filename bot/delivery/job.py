"""One draft file to build, as plain data a build process receives, and the build itself.

A :class:`DraftJob` carries the stored application, its current answers and the rubric it
is written under (records and frozen dataclasses: they pickle), the analyzer (a module
function, pickled by name) and which file. :func:`run` compiles and builds it; it runs in
a build process (:mod:`bot.delivery.builds`), never in a web worker, and reads nothing else.
:func:`digest` names everything the file is made of.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from bot.coach.ports import Analyzer, AnswerRecord, ApplicationRecord, has_text
from bot.rubrics import Rubric

if TYPE_CHECKING:
    from bot.draft.outline import Edition

#: Raise when what a file is made of changes in a way the sources below do not show.
BUILD_VERSION = 1
_PROJECT = Path(__file__).resolve().parent.parent.parent
#: The sources whose every change changes a file: builders, analysis, wording, rubrics.
_SOURCES = ("bot/draft", "bot/analysis", "bot/delivery/compile.py", "bot/delivery/job.py",
            "conversations", "rubrics")


@dataclass(frozen=True)
class DraftJob:
    """Build one edition of one format of an application's draft."""

    application: ApplicationRecord
    answers: dict[int, AnswerRecord]
    rubric: Rubric
    analyzer: Analyzer | None
    edition: Edition
    fmt: str  # "docx", "pdf" or "txt"

    @property
    def kind(self) -> str:
        """Return the file's kind as the cache keys it: "<edition>/<fmt>"."""
        return f"{self.edition}/{self.fmt}"

    @property
    def characters(self) -> int:
        """Return how many characters the answers hold (what a build's time grows with)."""
        return sum(len(answer.text) for answer in self.answers.values() if has_text(answer))


def digest(job: DraftJob) -> str:
    """Return the SHA-256 of everything the job's file is made of, the code included."""
    application = job.application
    content = {
        "version": [BUILD_VERSION, source_version()], "kind": job.kind,
        "rubric": [job.rubric.track, job.rubric.year], "analyzed": job.analyzer is not None,
        "application": [application.id, application.track, application.year,
                        application.category, application.title, application.agency,
                        application.contact, application.award_year],
        "answers": [[number, answer.status, answer.text]
                    for number, answer in sorted(job.answers.items())],
    }
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


@cache
def source_version() -> str:
    """Return a hash of the sources files are built with (a deploy that changes them rebuilds)."""
    sha = hashlib.sha256()
    for root in _SOURCES:
        path = _PROJECT / root
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".yaml", ".docx", ".html", ".txt"):
                sha.update(str(file.relative_to(_PROJECT)).encode())
                sha.update(file.read_bytes())
    return sha.hexdigest()[:16]


def run(job: DraftJob) -> bytes:
    """Compile the draft and build its file (in a build process)."""
    from bot.draft import build

    from .compile import compile_with_rubric

    draft = compile_with_rubric(job.application, job.answers, rubric=job.rubric,
                                analyzer=job.analyzer)
    return build(draft, job.fmt, edition=job.edition)
