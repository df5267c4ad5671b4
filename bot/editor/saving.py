"""Saving an answer from the editor: a new revision, under the chat's lock, never overwriting.

A save goes through the engine's store for the chat (``service.stores.open``), as an event
does, so it waits for the chat's lock and is kept whole or not at all. What it does:

- the first save of a page session starts a new revision of the answer with one part
  (:meth:`~bot.coach.ports.Store.replace_answer`), by the member the link is for (or the
  LINE user LIFF proved); the earlier revisions stay, as with the edit command;
- the later saves of that session change that part (:meth:`~bot.coach.ports.Store.edit_part`),
  so autosaving while typing makes one revision, not one a keystroke. The part's message
  id ("web-" and an HMAC of the link, session, application and question) tells the
  session's own part from any other;
- when the stored answer is not what the page started from (its ``base``: a digest of the
  revision and text) and the session did not make it so, nothing is written: the page gets
  :class:`Conflict` with the stored text, to choose or merge (then it saves again with the
  stored base, which starts a new revision: both stay stored);
- the chat's context notes the save, so the chat hears of it (:mod:`bot.coach.web_editing`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.coach.messages import clean_text
from bot.coach.ports import AnswerRecord, NoSuchChat, Store, StoreOpener
from bot.coach.web_editing import note_web_save
from bot.delivery.links import LinkError

from .analysis import digest

#: A web part's message id starts so (LINE's message ids are digits).
WEB_PREFIX = "web-"


@dataclass(frozen=True)
class Saved:
    """What a save left stored: the answer's revision and its new base."""

    revision: int
    base: str
    saved_at: datetime


class Conflict(Exception):
    """The answer changed since the page's base, by someone else: nothing was written."""

    def __init__(self, answer: AnswerRecord | None) -> None:
        """Keep the stored answer, to show beside the page's text."""
        super().__init__("conflict")
        self.answer = answer


@dataclass(frozen=True)
class SaveRequest:
    """One save: which answer, the text, the base it was edited from, by which session."""

    link_id: str
    chat_id: str
    chat_type: str
    application_id: int
    question: int
    text: str
    base: str
    session: str
    author: str | None


def session_prefix(secret_key: str, request: SaveRequest) -> str:
    """Return the message-id prefix of this session's parts of this answer."""
    key = f"{request.link_id}|{request.session}|{request.application_id}|{request.question}"
    mac = hmac.new(secret_key.encode(), key.encode(), hashlib.sha256).hexdigest()[:24]
    return f"{WEB_PREFIX}{mac}-"


def own_part(answer: AnswerRecord | None, prefix: str) -> str | None:
    """Return the message id of the session's part when it alone is the current revision."""
    if answer is None or len(answer.parts) != 1:
        return None
    message_id = answer.parts[0].message_id or ""
    return message_id if message_id.startswith(prefix) else None


class OverApplication(Exception):
    """The application's answers together would be longer than its limit: nothing written."""

    def __init__(self, chars: int, limit: int) -> None:
        """Keep how long the application would be, and its limit."""
        super().__init__("over the application's limit")
        self.chars = chars
        self.limit = limit


def save_answer(stores: StoreOpener, request: SaveRequest, *, secret_key: str,
                word_count: Callable[[str], int], application_chars: int | None = None) -> Saved:
    """Store the text as a revision of the answer, or raise Conflict (or LinkError: gone).

    With ``application_chars``, a text that would make the application's answers together
    longer than that raises OverApplication, as the chat refuses it (bot.coach.limiting).
    """
    now = datetime.now(UTC)
    text = clean_text(request.text).strip()
    prefix = session_prefix(secret_key, request)
    try:
        with stores.open(request.chat_id, request.chat_type, create=False) as store:
            if store.application(request.application_id) is None:
                raise LinkError(410, "gone")
            if application_chars is not None:
                _check_application(store, request, len(text), application_chars)
            _write(store, request, text, word_count(text), prefix, now)
            conversation = store.conversation()
            note_web_save(conversation, application_id=request.application_id,
                          question=request.question, at=now)
            store.save_conversation(conversation, at=now)
            answer = store.answer(request.application_id, request.question)
    except NoSuchChat as exc:
        raise LinkError(410, "gone") from exc
    return Saved(revision=answer.revision if answer else 0, base=digest(answer), saved_at=now)


def _check_application(store: Store, request: SaveRequest, chars: int, limit: int) -> None:
    """Raise OverApplication when this text would make the application longer than ``limit``."""
    lengths = store.answer_lengths(request.application_id)
    whole = chars + sum(length for number, length in lengths.items()
                        if number != request.question)
    if whole > limit and whole > sum(lengths.values()):  # never refuse what makes it shorter
        raise OverApplication(whole, limit)


def _write(store: Store, request: SaveRequest, text: str, words: int, prefix: str,
           now: datetime) -> None:
    """Change the session's own revision, or start a new one when the base still holds."""
    current = store.answer(request.application_id, request.question)
    mine = own_part(current, prefix)
    if mine is not None:
        # Edits apply in time order: a clock that stepped back must not drop this one.
        for step in (0, 1, 60):
            if store.edit_part(mine, text=text, words=words,
                               at=now + timedelta(seconds=step)) is not None:
                return
        raise Conflict(current)
    if request.base != digest(current):
        raise Conflict(current)
    store.replace_answer(request.application_id, request.question, author=request.author,
                         text=text, words=words, at=now,
                         message_id=prefix + secrets.token_hex(4))
