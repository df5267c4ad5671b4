"""Keep link tokens, LINE ids and exception messages out of every log line.

A draft link is a bearer token: whoever reads ``/d/<token>`` in a log can open the draft.
Flask logs "Exception on /d/<token>/docx [GET]", gunicorn "Error handling request
/d/<token>/pdf" and its access log the request line, werkzeug (the simulator) the request
line too. :class:`RedactLinks` rewrites every ``/d/<token>`` and ``/e/<token>`` path to
``/d/…`` and every LINE user, group or room id (``U``/``C``/``R`` and 32 hex digits) to
``U…``, in the message, its arguments and the formatted traceback. A traceback keeps its
frames (file, line, code) but not the exception's message, which may quote what an officer
wrote (a database error quotes its parameters).

:func:`install` adds the filter to the loggers that log request paths: Flask's app logger
(``bot.web``, which the webhook logs to as well), werkzeug's, and gunicorn's error and access
logs; ``gunicorn.conf.py`` installs it in gunicorn's logger class, so gunicorn's own lines are
filtered before the app is even loaded. A filter on a logger sees only the records logged to
that logger by name (not those propagated from its children), so it goes on each of them.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any

#: A draft (``/d/``) or editor (``/e/``) link's path segment: the token, up to the next "/".
LINK_PATH = re.compile(r"/([de])/[^/\s?#\"'<>]+")
#: A LINE user, group or room id.
LINE_ID = re.compile(r"\b([UCR])[0-9a-f]{32}\b")
TRACEBACK_START = "Traceback (most recent call last):"
#: The last line of a traceback's block: the exception's dotted name, a colon, its message.
EXCEPTION_LINE = re.compile(r"(?m)^([A-Za-z_][\w.]*): .*$")
#: The loggers that log request paths: werkzeug's access log and gunicorn's two logs.
PATH_LOGGERS = ("werkzeug", "gunicorn.error", "gunicorn.access")


def redact(text: str) -> str:
    """Replace link tokens and LINE ids in ``text``, and the exception messages of a traceback
    written into it (werkzeug's "Error on request")."""
    if TRACEBACK_START in text:
        text = EXCEPTION_LINE.sub(r"\1 (message not logged)", text)
    return LINE_ID.sub(r"\1…", LINK_PATH.sub(r"/\1/…", text))


class RedactLinks(logging.Filter):
    """Rewrite link tokens and LINE ids in a record; let every record through."""

    redacts_links = True

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record's message, arguments and traceback in place."""
        try:
            # Merged first: "/d/%s" in a message must not be taken for a token.
            record.msg, record.args = redact(record.getMessage()), ()
        except (TypeError, ValueError, KeyError):  # arguments that do not fit the message
            record.msg = redact(str(record.msg))
            record.args = _redact_args(record.args)
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(traceback_without_messages(record.exc_info[1]))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def _redact_args(args: Any) -> Any:
    """Return the record's arguments with every string redacted."""
    if isinstance(args, dict):
        return {key: _redact_value(value) for key, value in args.items()}
    if isinstance(args, tuple):
        return tuple(_redact_value(value) for value in args)
    return args


def _redact_value(value: Any) -> Any:
    """Redact a string argument; leave numbers and the rest alone."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return redact(value) if isinstance(value, str) else value


def traceback_without_messages(error: BaseException | None) -> str:
    """Format ``error``'s traceback and its causes, naming each exception without its message."""
    blocks: list[str] = []
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        frames = "".join(traceback.format_tb(error.__traceback__))
        name = f"{type(error).__module__}.{type(error).__qualname__}"
        blocks.append(f"Traceback (most recent call last):\n{frames}"
                      f"{name} (message not logged)")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "\n\nwhich came from:\n\n".join(blocks)


_FILTER = RedactLinks()


def loggers_under(prefix: str) -> list[logging.Logger]:
    """Return the loggers created so far whose name is ``prefix`` or starts with it and a dot."""
    names = [name for name in logging.root.manager.loggerDict
             if name == prefix or name.startswith(prefix + ".")]
    return [logging.getLogger(name) for name in names]


def install(targets: Iterable[logging.Logger | logging.Handler | str] = ()) -> None:
    """Add the filter to ``targets`` (loggers, by name too, or handlers) and to
    :data:`PATH_LOGGERS`, once each."""
    for item in (*targets, *PATH_LOGGERS):
        target = logging.getLogger(item) if isinstance(item, str) else item
        # By a marker, not the class: gunicorn.conf.py loads this file on its own (see there).
        if not any(getattr(f, "redacts_links", False) for f in target.filters):
            target.addFilter(_FILTER)

