"""Editing answers on the web: the edit-on-web command, and the chat told of web saves.

The edit-on-web command answers with a card whose button opens the answer editor of the
chat's active application (:mod:`bot.editor`), through a short-lived link the
:class:`~bot.coach.editor_ports.EditorPublisher` records in the chat's store. In a group the
member must be one LINE names: what the page saves carries them as its author.

A save on the page goes through the chat's store under the chat's lock, like an event, and
notes itself in the conversation's context (:func:`note_web_save`); the next time someone
writes in the chat, the bot first says which answers were saved on the web
(:func:`acknowledge_web_saves`), so that nobody is surprised by an answer that changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .messages import Button, Card, Reply, Text
from .ports import Conversation
from .texts import Command
from .turn import Turn

#: The context's table of answers saved on the web since the chat last heard of it:
#: ``{application id: {question number: when}}`` (keys as strings: the context is JSON).
WEB_SAVES = "web_saves"


def cmd_edit_on_web(turn: Turn, command: Command) -> list[Reply]:
    """Answer with a card that opens the editor of the active application."""
    application = turn.application()
    if application is None:
        return [Text(turn.texts.get("editor_no_application"),
                     choices=(turn.choice("start"), turn.choice("list")))]
    editor = turn.coach.editor
    if editor is None:
        return [Text(turn.texts.get("editor_unavailable"), choices=turn.answer_choices())]
    if turn.event.in_group:
        turn.require_member()
    link = editor(application, chat_id=turn.conversation.chat_id,
                  member_id=turn.event.user_id, store=turn.store)
    return [Card(title=turn.texts.get("editor_card_title", title=application.title),
                 body=turn.texts.get("editor_card_body", minutes=link.minutes),
                 buttons=(Button(turn.texts.label("edit_on_web"), url=link.url),),
                 choices=turn.answer_choices())]


def note_web_save(conversation: Conversation, *, application_id: int, question: int,
                  at: datetime) -> None:
    """Remember in the chat's context that an answer was saved on the web."""
    saves: dict[str, Any] = dict(conversation.context.get(WEB_SAVES) or {})
    questions = dict(saves.get(str(application_id)) or {})
    questions[str(question)] = at.isoformat()
    saves[str(application_id)] = questions
    conversation.context[WEB_SAVES] = saves


def acknowledge_web_saves(turn: Turn, replies: list[Reply]) -> None:
    """Put first in ``replies`` which answers were saved on the web, when someone writes."""
    if not replies or turn.event.kind not in ("text", "postback"):
        return
    saves = turn.conversation.context.pop(WEB_SAVES, None)
    if not isinstance(saves, dict):
        return
    lines = []
    for application_id, questions in sorted(saves.items()):
        application = (turn.store.application(int(application_id))
                       if str(application_id).isdecimal() else None)
        if application is None or not isinstance(questions, dict):
            continue  # deleted since: nothing of it to speak of
        numbers = ", ".join(sorted(questions, key=lambda n: int(n) if n.isdecimal() else 0))
        lines.append(turn.texts.get("web_saved", title=application.title, numbers=numbers))
    if lines:
        replies.insert(0, Text("\n".join(lines)))
