"""gunicorn's settings for the bot: ``gunicorn -c gunicorn.conf.py 'bot.web:create_app()'``.

The Procfile runs it so; gunicorn also reads this file by itself when started in this folder.
WEB_CONCURRENCY workers (default 2) listen on PORT (default 8000), and the app is loaded once
in the master before they fork (``preload_app``: the Thai dictionary, the rubrics and the LINE
SDK are shared, frozen by ``pre_fork``, and no request waits for start-up; the draft writers
are loaded only by the draft build processes).

Threads (``gthread``, WEB_THREADS a worker, default 4): LINE's webhook requests take a few
milliseconds, but a draft download may wait up to ``DRAFT_WAIT_SECONDS`` (10) for its file.
The file is never built in the worker: a build process does it (bot.delivery.builds) and the
waiting thread sleeps on a pipe without the interpreter lock, so with threads the worker's
other threads keep answering LINE meanwhile. With sync workers one download took a whole
worker, and two downloads of a long application stalled the webhook (87 → 3 requests/s).

Timeouts: with threads, ``timeout`` (30 s) no longer bounds a request, it only restarts a
worker whose main loop is stuck; every request has its own bound (a download at most the
wait, then a "being prepared" page; LINE calls LINE_TIMEOUT). ``graceful_timeout`` (30 s)
lets a restart finish the requests under way, a waiting download included. ``keepalive``
(5 s) keeps the router's and LINE's connections open between requests, which threads allow
(a sync worker closes each one).

Logs: the error log and the access log (both to standard error and output) go through
``bot/web/logfilter.py``, which turns every draft link's token into ``/d/…``, every LINE id
into ``U…``, and leaves exception messages out of tracebacks. The access log says what was
asked and how it went: no client address, referrer or user agent.
"""

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

from gunicorn.glogging import Logger

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
preload_app = True
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms'


def _logfilter() -> ModuleType:
    """Load bot/web/logfilter.py by itself: importing bot.web would load the whole app here,
    into gunicorn's master, for any app gunicorn serves from this folder."""
    path = Path(__file__).resolve().parent / "bot" / "web" / "logfilter.py"
    spec = importlib.util.spec_from_file_location("lertrat_logfilter", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_install = _logfilter().install


class RedactingLogger(Logger):
    """gunicorn's logger whose error and access logs never carry a link token or a LINE id."""

    def setup(self, cfg: Any) -> None:
        """Set gunicorn's handlers up, then filter both logs."""
        super().setup(cfg)
        _install([self.error_log, self.access_log])


logger_class = RedactingLogger


def pre_fork(server: Any, worker: Any) -> None:
    """Freeze what the master loaded before a worker forks: the worker's garbage collector then
    never writes to those objects, so their pages stay shared (bench/webhook.py: a worker's
    private memory 75 → 32 MB, its PSS 106 → 78 MB; RSS, which counts shared pages, unchanged).

    Then give back to the system the memory building the app used and freed (the C allocator
    keeps it otherwise): a worker starts without those pages (9 MB less RSS in each).
    """
    import gc

    gc.freeze()
    _trim_memory()
    _return_large_blocks()  # inherited by the worker about to fork


#: glibc's mallopt parameters: a fixed mmap threshold (128 kB, glibc's starting value) stops
#: glibc from raising it after a large block is freed, which keeps later large blocks (a draft
#: file read from the database, several MB) on the heap, resident after they are freed.
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 128 * 1024


def _libc() -> Any:
    """Return the C library, or None when it is not glibc."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 - glibc has both
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None
    return libc


def _return_large_blocks() -> bool:
    """Have large blocks always mapped, so that freeing one gives it back; False elsewhere."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))


def _trim_memory() -> bool:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``); False elsewhere."""
    libc = _libc()
    return bool(libc is not None and libc.malloc_trim(0))


def post_worker_init(worker: Any) -> None:
    """Start the worker's outbox sender as the worker starts, not on its first request: after a
    restart, replies left unsent go out even before LINE sends anything again."""
    extensions = getattr(getattr(worker, "wsgi", None), "extensions", None) or {}
    outbox = extensions.get("outbox")
    if outbox is not None:
        outbox.ensure_running()
