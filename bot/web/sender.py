"""Send messages to LINE: reply with the reply token, push when LINE refuses the token.

One ``ApiClient`` (one urllib3 pool) per process: the client is created lazily and again after
a fork, so that gunicorn ``--preload`` workers never share the master's sockets.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections.abc import Sequence
from typing import Literal

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
)

log = logging.getLogger("bot.web")

Delivery = Literal["replied", "pushed", "failed", "dropped"]

#: Retry only failed connections (nothing was sent); a POST that may have landed is never resent
#: by urllib3, since a reply token works once and a push is retried with its retry key instead.
_RETRIES = urllib3.Retry(total=2, connect=2, read=False, status=0, other=0, redirect=False)
_CONNECT_TIMEOUT = 3.0


class LineSender:
    """Deliver messages to one chat through LINE's Messaging API."""

    def __init__(self, *, access_token: str, host: str | None = None, timeout: float = 5.0) -> None:
        """Configure the SDK for the channel; the client itself is created on first use."""
        # host=None keeps the SDK's own hosts (api.line.me, api-data.line.me); a host replaces both.
        self._configuration = Configuration(access_token=access_token,
                                            host=host.rstrip("/") if host else None)
        self._configuration.retries = _RETRIES
        self._timeout = (min(_CONNECT_TIMEOUT, timeout), timeout)
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._client: ApiClient | None = None
        self._api: MessagingApi | None = None

    @property
    def configuration(self) -> Configuration:
        """Return the SDK configuration (host and token), for other API clients."""
        return self._configuration

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

    def send(self, messages: Sequence[Message], *, reply_token: str | None, chat_id: str,
             event_id: str | None) -> Delivery:
        """Reply with the token; push to the chat instead when the reply did not go through.

        LINE refusing the token (used or expired), LINE failing (5xx, 429) and the network
        failing (timeout, refused connection) all lead to a push, so the officer hears back.
        The price: a reply that landed although its answer timed out shows twice. A 4xx for
        the messages themselves is not retried: a push would be refused the same way.
        """
        if not messages:
            return "dropped"
        if reply_token is None:
            log.info("event %s: no reply token, replies dropped", event_id)
            return "dropped"
        try:
            request = ReplyMessageRequest(reply_token=reply_token, messages=list(messages))
            self.api.reply_message(request, _request_timeout=self._timeout)
            return "replied"
        except ApiException as error:
            if not (_is_refused_reply_token(error) or _worth_pushing(error)):
                log.warning("event %s: reply failed with status %s", event_id, error.status)
                return "failed"
            log.info("event %s: reply failed with status %s, pushing instead", event_id,
                     error.status)
        except urllib3.exceptions.HTTPError as error:
            log.warning("event %s: reply failed: %s, pushing instead", event_id,
                        type(error).__name__)
        return self.push(messages, chat_id=chat_id, event_id=event_id)

    def push(self, messages: Sequence[Message], *, chat_id: str, event_id: str | None) -> Delivery:
        """Push to the chat, retrying once with the same retry key so LINE never sends twice."""
        retry_key = str(uuid.uuid4())
        request = PushMessageRequest(to=chat_id, messages=list(messages))
        for attempt in (1, 2):
            try:
                self.api.push_message(request, x_line_retry_key=retry_key,
                                      _request_timeout=self._timeout)
                return "pushed"
            except ApiException as error:
                if error.status == 409:  # the first attempt was accepted after all
                    return "pushed"
                log.warning("event %s: push attempt %d failed with status %s",
                            event_id, attempt, error.status)
                if not _worth_retrying(error):
                    return "failed"
            except urllib3.exceptions.HTTPError as error:
                log.warning("event %s: push attempt %d failed: %s",
                            event_id, attempt, type(error).__name__)
        return "failed"


def _is_refused_reply_token(error: ApiException) -> bool:
    """Tell whether LINE refused the reply token itself (400 "Invalid reply token")."""
    if error.status != 400:
        return False
    body = error.body
    payload = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    return "invalid reply token" in payload.lower()


def _worth_pushing(error: ApiException) -> bool:
    """Tell whether a failed reply should become a push: LINE failed or was busy."""
    return _worth_retrying(error) or error.status == 429


def _worth_retrying(error: ApiException) -> bool:
    """Retry a push only when LINE or the network failed (5xx, no status), never on 4xx."""
    return error.status is None or error.status == 0 or error.status >= 500
