"""Single LINE calls for the outbox's sender: one reply or one push, and what came of it.

Each call is made once and classified (:class:`Attempt`); deciding what to do next (retry,
push instead, give up) is the outbox's policy (:mod:`bot.outbox.policy`), not this module's:

- ``sent``: LINE took the messages (2xx; for a push also 409: a push with this retry key
  was accepted before);
- ``used_token``: LINE answered a reply with 400 "Invalid reply token";
- ``retry``: LINE or the network failed, or LINE asked to wait (429, with ``retry_after``
  from its Retry-After header); ``unsure`` when the call may have landed anyway (a
  timeout, a dropped connection, a 5xx), never when nothing left (no connection);
- ``failed``: LINE refused the messages themselves (another 4xx): sending them again
  would be refused alike.

One ``ApiClient`` (one urllib3 pool) per process: the client is created lazily and again after
a fork, so that gunicorn ``--preload`` workers never share the master's sockets.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
)

from bot.web.line_json import message_json

log = logging.getLogger("bot.web")

Kind = Literal["sent", "used_token", "retry", "failed"]
MessageDict = dict[str, Any]
#: The Messaging API's paths for a reply and a push (as the SDK's MessagingApi calls them).
REPLY_PATH = "/v2/bot/message/reply"
PUSH_PATH = "/v2/bot/message/push"

#: Retry only failed connections (nothing was sent); a POST that may have landed is never resent
#: by urllib3: the outbox decides, knowing that a token works once and a retry key sends once.
_RETRIES = urllib3.Retry(total=2, connect=2, read=False, status=0, other=0, redirect=False)
_CONNECT_TIMEOUT = 3.0
#: Statuses worth trying again although they are 4xx: authentication (a token being rotated),
#: a request timeout, and LINE asking to wait.
_RETRYABLE_4XX = frozenset({401, 403, 408, 429})
#: Errors raised before the request left: nothing can have been sent.
_NOT_SENT = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError,
             urllib3.exceptions.NameResolutionError)


@dataclass(frozen=True)
class Attempt:
    """What one call to LINE did."""

    kind: Kind
    status: int | None = None  # LINE's HTTP status; None: no answer
    retry_after: float | None = None  # seconds LINE asked to wait (429 Retry-After)
    unsure: bool = False  # the call may have landed although it did not say so


class LineSender:
    """Make single reply and push calls to LINE's Messaging API."""

    def __init__(self, *, access_token: str, host: str | None = None, timeout: float = 5.0) -> None:
        """Configure the SDK for the channel; the client itself is created on first use."""
        # host=None keeps the SDK's own hosts (api.line.me, api-data.line.me); a host replaces both.
        self._configuration = Configuration(access_token=access_token,
                                            host=host.rstrip("/") if host else None)
        self._configuration.retries = _RETRIES
        self.timeout = (min(_CONNECT_TIMEOUT, timeout), timeout)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._client: ApiClient | None = None
        self._api: MessagingApi | None = None

    @property
    def configuration(self) -> Configuration:
        """Return the SDK configuration (host and token), for other API clients."""
        return self._configuration

    @property
    def longest_call(self) -> float:
        """Return the most seconds one call can take (connect and read timeouts, retries)."""
        connect, read = self.timeout
        return connect * 3 + read

    @property
    def api(self) -> MessagingApi:
        """Return this process's MessagingApi, creating its client after start or fork."""
        pid = os.getpid()
        if self._pid != pid:
            with self._lock:
                if self._pid != pid:
                    # The parent's client is dropped, not closed: its sockets belong to the parent.
                    self._client = ApiClient(self._configuration)
                    self._api = MessagingApi(self._client)
                    self._pid = pid
        assert self._api is not None
        return self._api

    def reply_once(self, messages: Sequence[MessageDict], *, reply_token: str) -> Attempt:
        """Reply once with ``reply_token``; say what came of it."""
        try:
            self._post(REPLY_PATH, {"replyToken": reply_token, "messages": list(messages)})
        except ApiException as error:
            if error.status == 400 and _says(error, "invalid reply token"):
                return Attempt("used_token", status=400)
            return _refused(error)
        except urllib3.exceptions.HTTPError as error:
            return _network(error)
        except ValueError:  # LINE said 2xx with a body the SDK could not read: it was sent
            return Attempt("sent", status=200)
        return Attempt("sent", status=200)

    def push_once(self, messages: Sequence[MessageDict], *, chat_id: str,
                  retry_key: str) -> Attempt:
        """Push once with ``retry_key``; a 409 means this key's push was accepted before."""
        try:
            self._post(PUSH_PATH, {"to": chat_id, "messages": list(messages)},
                       headers={"X-Line-Retry-Key": retry_key})
        except ApiException as error:
            if error.status == 409:
                return Attempt("sent", status=409)
            return _refused(error)
        except urllib3.exceptions.HTTPError as error:
            return _network(error)
        except ValueError:
            return Attempt("sent", status=200)
        return Attempt("sent", status=200)

    def _post(self, path: str, body: dict[str, Any], *,
              headers: Mapping[str, str] | None = None) -> None:
        """POST a reply or push body through the SDK's client, its messages as stored.

        The stored messages are the SDK models' JSON (bot.web.line_messages built and checked
        them when the event was handled; bot.web.line_json wrote them as ``to_dict()`` would),
        so the SDK's ``reply_message`` and ``push_message`` would only turn them back into
        models, check them with pydantic and serialise them again: a few milliseconds per
        reply, as long as the rest of an answer's handling. ``call_api`` is what those methods
        end with; LINE's answer body (sent message ids) is not read. Errors raise the same
        ``ApiException`` as through them.
        """
        self.api.api_client.call_api(
            path, "POST", {}, [], {"Accept": "application/json",
                                   "Content-Type": "application/json", **(headers or {})},
            body=body, post_params=[], files={}, response_types_map={},
            auth_settings=["Bearer"], _return_http_data_only=True,
            _request_timeout=self.timeout, collection_formats={})

    def push(self, messages: Sequence[Message], *, chat_id: str, event_id: str | None) -> str:
        """Push now (a notice outside the outbox), once more with the same key on a failure.

        Return "pushed" or "failed".
        """
        dicts = [message_json(message) for message in messages]
        retry_key = str(uuid.uuid4())
        for attempt in (1, 2):
            outcome = self.push_once(dicts, chat_id=chat_id, retry_key=retry_key)
            if outcome.kind == "sent":
                return "pushed"
            log.warning("event %s: push attempt %d: %s (status %s)", event_id, attempt,
                        outcome.kind, outcome.status)
            if outcome.kind != "retry":
                break
        return "failed"


def _says(error: ApiException, words: str) -> bool:
    """Tell whether LINE's error body contains ``words`` (case aside)."""
    body = error.body
    payload = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    return words in payload.lower()


def _refused(error: ApiException) -> Attempt:
    """Classify an error status from LINE."""
    status = error.status or None
    if status is None or status >= 500:  # no status: the SDK failed mid-call (TLS)
        return Attempt("retry", status=status, unsure=True)
    if status in _RETRYABLE_4XX:
        return Attempt("retry", status=status, retry_after=_retry_after(error.headers))
    return Attempt("failed", status=status)


def _network(error: urllib3.exceptions.HTTPError) -> Attempt:
    """Classify a network failure: sure that nothing was sent only when nothing connected."""
    reason = getattr(error, "reason", None) if isinstance(
        error, urllib3.exceptions.MaxRetryError) else error
    return Attempt("retry", unsure=not isinstance(reason, _NOT_SENT))


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    """Return the seconds of a Retry-After header (LINE sends seconds), if any."""
    raw = (headers or {}).get("Retry-After")
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None
