"""Draft files built once per revision, kept in the database, never built in a web worker.

:meth:`DraftFiles.get` is what a download asks. The file of an application's current
revision (:func:`~bot.delivery.job.digest`: its answers' text, its details, the rubric,
the edition and format, the builders' code) is served from ``draft_files`` when it is
there. Otherwise one worker claims the build (:func:`~bot.store.draft_files.claim_build`:
the claim drops the file of the earlier revision) and runs it in a build process
(:mod:`bot.delivery.builds`); the request waits at most ``DRAFT_WAIT_SECONDS`` for it, on
the build itself in the worker that runs it, on the table in the others. Past that wait
it raises :class:`Preparing` (the page says the file is being prepared; the build goes on
and lands in the table). An application of more than ``DRAFT_MAX_CHARS`` characters, or
one whose build ran past ``DRAFT_BUILD_TIMEOUT`` (remembered for that revision), raises
:class:`TooLarge`, which names the longest answers.
"""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from bot.coach.ports import has_text
from bot.store import Database
from bot.store.draft_files import (
    StoredFile,
    claim_build,
    drop_claim,
    find_file,
    store_built,
    store_failure,
)

from .builds import BuildPool, BuildTimeout, ProcessRunner, Runner
from .job import DraftJob, digest

log = logging.getLogger("bot.delivery")

#: How often a worker that does not run the build looks at the table while it waits.
POLL_SECONDS = 0.25
#: How long after its bound a claim whose worker died is taken over.
CLAIM_SLACK_SECONDS = 30.0


@dataclass(frozen=True)
class BuildLimits:
    """The bounds of a download: how long it waits, how long a build may take, how big."""

    wait_seconds: float = 10.0
    build_timeout: float = 60.0
    max_chars: int = 400_000
    builders: int = 1


class Preparing(Exception):
    """The file is being built and was not ready within the wait; ask again shortly."""

    def __init__(self, retry_after: int) -> None:
        """Suggest asking again after ``retry_after`` seconds."""
        super().__init__("the draft file is being prepared")
        self.retry_after = retry_after


class TooLarge(Exception):
    """The application is too large to build within the bounds."""

    def __init__(self, job: DraftJob, reason: str, max_chars: int) -> None:
        """Keep why ("size" or "timeout"), the size, and the longest answers (number, length)."""
        super().__init__(f"the draft is too large to build ({reason})")
        self.reason = reason
        self.characters = job.characters
        self.max_chars = max_chars
        lengths = [(len(answer.text), number) for number, answer in job.answers.items()
                   if has_text(answer)]
        self.longest = [(number, length) for length, number in sorted(lengths, reverse=True)[:3]]


class DraftFiles:
    """Serve draft files from the database, building each revision's once, off the web worker."""

    def __init__(self, database: Database, limits: BuildLimits, *,
                 runner: Runner | None = None) -> None:
        """Keep files in ``database``; build with ``runner`` (default: a build process each)."""
        self.database = database
        self.limits = limits
        self.runner = runner or ProcessRunner(limits.build_timeout)
        self.pool = BuildPool(limits.builders)

    def get(self, job: DraftJob) -> bytes:
        """Return the job's file: from the cache, or built now; raise Preparing or TooLarge."""
        key = digest(job)
        stored = find_file(self.database, job.application.id, job.kind)
        if stored is not None and stored.digest == key and stored.status != "building":
            return self._settled(job, stored)
        if job.characters > self.limits.max_chars:
            raise TooLarge(job, "size", self.limits.max_chars)
        future = self.pool.running(key)
        if future is None and self._claim(job, key):
            future = self.pool.submit(key, partial(self._build, job, key))
        if future is not None:
            return self._wait_for_build(job, future)
        return self._wait_for_table(job, key)

    def _settled(self, job: DraftJob, stored: StoredFile) -> bytes:
        """Return a ready file, or raise TooLarge for a revision that could not be built."""
        if stored.status == "ready" and stored.content is not None:
            return stored.content
        raise TooLarge(job, stored.reason or "timeout", self.limits.max_chars)

    def _claim(self, job: DraftJob, key: str) -> bool:
        """Claim the build of this revision for this worker; False when another holds it."""
        now = datetime.now(UTC)
        slack = self.limits.build_timeout + self.limits.wait_seconds + CLAIM_SLACK_SECONDS
        return claim_build(self.database, job.application.id, job.kind, key, now=now,
                           stale_before=now - timedelta(seconds=slack))

    def _build(self, job: DraftJob, key: str) -> bytes:
        """Build the file (in a build process) and keep it, or remember why it failed."""
        started = time.perf_counter()
        try:
            content = self.runner(job)
        except BuildTimeout:
            log.warning("draft build stopped at its bound: %s, %d characters", job.kind,
                        job.characters)
            store_failure(self.database, job.application.id, job.kind, key, "timeout",
                          now=datetime.now(UTC))
            raise
        except Exception:
            drop_claim(self.database, job.application.id, job.kind, key)
            raise
        kept = store_built(self.database, job.application.id, job.kind, key, content,
                           now=datetime.now(UTC))
        log.info("draft built: %s, %d characters, %.2f s, %d bytes%s", job.kind,
                 job.characters, time.perf_counter() - started, len(content),
                 "" if kept else " (not kept: the application changed or was deleted)")
        return content

    def _wait_for_build(self, job: DraftJob, future: Future[bytes]) -> bytes:
        """Wait for this worker's build at most the wait; raise Preparing past it."""
        try:
            return future.result(timeout=self.limits.wait_seconds)
        except FutureTimeout:
            raise Preparing(self._retry_after()) from None
        except BuildTimeout:
            raise TooLarge(job, "timeout", self.limits.max_chars) from None

    def _wait_for_table(self, job: DraftJob, key: str) -> bytes:
        """Wait for another worker's build to land in the table, at most the wait."""
        deadline = time.monotonic() + self.limits.wait_seconds
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            stored = find_file(self.database, job.application.id, job.kind)
            if stored is None or stored.digest != key:
                break  # its build failed or a newer revision came: the next open builds
            if stored.status != "building":
                return self._settled(job, stored)
        raise Preparing(self._retry_after())

    def _retry_after(self) -> int:
        """Return the seconds a page asks the browser to wait before asking again."""
        return max(3, min(10, round(self.limits.wait_seconds / 2)))
