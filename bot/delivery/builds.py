"""Build draft files outside the web worker: few at a time, each in a process killed past a bound.

A PDF of a long application takes seconds of pure Python (line breaking, shaping); built
inside a web worker it would hold that worker's interpreter lock and stall the webhook
beside it. So each file is built by :class:`ProcessRunner` in a process of its own,
forked from a ``forkserver`` that imported and warmed the builders once (so a build starts
warm, and a build that runs past ``DRAFT_BUILD_TIMEOUT`` is simply killed), at a lower CPU
priority than the webhook (``nice``). The web worker only waits on a pipe.

:class:`BuildPool` runs at most ``DRAFT_BUILDERS`` builds of a worker at once (threads
that wait on the processes), and a build asked for again while it runs is shared: both
callers get the same future. It starts lazily in each worker process: nothing runs in
gunicorn's master, and a worker forked from it starts its own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext

from .job import DraftJob, run

log = logging.getLogger("bot.delivery")

#: How much lower than the web workers the build processes run (nice(2) increment).
NICENESS = 10
#: What the forkserver imports once, so that every build forked from it starts warm.
PRELOAD = ["bot.delivery.warm"]

#: Build one job's file; raises BuildTimeout or BuildFailed.
Runner = Callable[[DraftJob], bytes]


class BuildTimeout(Exception):
    """The build ran past its bound and was stopped."""


class BuildFailed(Exception):
    """The build ended without a file (its exception's type, never its message: personal data)."""


@cache
def _context() -> BaseContext:
    """Return the forkserver context, its server to preload the builders."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _child(sender: Connection, job: DraftJob) -> None:
    """Build the file in the build process and send it (or the failure's type) back."""
    os.nice(NICENESS)
    try:
        sender.send((True, run(job)))
    except Exception as exc:  # the parent raises BuildFailed; no message crosses (personal data)
        sender.send((False, type(exc).__name__))
    finally:
        sender.close()


class ProcessRunner:
    """Build each file in a process of its own, forked warm; kill it past ``timeout``."""

    def __init__(self, timeout: float) -> None:
        """Give every build at most ``timeout`` seconds."""
        self.timeout = timeout

    def __call__(self, job: DraftJob) -> bytes:
        """Build ``job`` in a new process and return the file."""
        context = _context()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(sender, job), daemon=True,  # type: ignore[attr-defined]
                                  name="lertrat-draft-build")
        process.start()
        sender.close()
        try:
            if not receiver.poll(self.timeout):
                raise BuildTimeout(f"no file after {self.timeout:g} s")
            done, value = receiver.recv()
        except EOFError:
            raise BuildFailed("the build process ended without a file") from None
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
        if not done:
            raise BuildFailed(f"the build raised {value}")
        return bytes(value)


class BuildPool:
    """Run at most ``builders`` builds at once in this process; share a build asked for twice."""

    def __init__(self, builders: int) -> None:
        """Allow ``builders`` builds at once (each one waits on its build process)."""
        self.builders = builders
        self._lock = threading.RLock()  # a build done at once calls back under the lock
        self._running: dict[str, Future[bytes]] = {}
        self._executor: ThreadPoolExecutor | None = None
        self._pid = 0

    def running(self, key: str) -> Future[bytes] | None:
        """Return the build of ``key`` under way in this process, if any."""
        with self._lock:
            return self._running.get(key)

    def submit(self, key: str, build: Callable[[], bytes]) -> Future[bytes]:
        """Start ``build`` for ``key`` (or return the one under way); the future is its file."""
        with self._lock:
            future = self._running.get(key)
            if future is None:
                future = self._threads().submit(build)
                self._running[key] = future
                future.add_done_callback(lambda _: self._forget(key))
            return future

    def _forget(self, key: str) -> None:
        """Drop a finished build (the file is in the cache by now)."""
        with self._lock:
            self._running.pop(key, None)

    def _threads(self) -> ThreadPoolExecutor:
        """Return this process's threads (a worker forked after they started makes its own)."""
        if self._executor is None or self._pid != os.getpid():
            self._executor = ThreadPoolExecutor(max_workers=self.builders,
                                                thread_name_prefix="draft-build")
            self._running = {}
            self._pid = os.getpid()
        return self._executor
