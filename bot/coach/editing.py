"""Editing an answer: one member rewrites (or adds to) answer N until they say next.

An edit belongs to the member, not the chat, so in a group one officer's edit never
captures another officer's message.
"""

from __future__ import annotations

from . import limiting, setup
from .answering import ask, findings_reply, next_question, valid_question
from .messages import Reply, Text
from .ports import ApplicationRecord, has_text
from .texts import Command
from .turn import ANSWERING, SETTING_UP, Edit, EditWindow, Turn


def cmd_next(turn: Turn, command: Command) -> list[Reply]:
    """Finish this member's edit, or finish the current answer and go to the next question."""
    edit = turn.edit
    if edit is not None:
        return finish_edit(turn, edit)
    return next_question(turn)


def cmd_edit(turn: Turn, command: Command) -> list[Reply]:
    """Show answer N; this member's next message replaces it (only a member LINE names)."""
    turn.require_member()
    application = turn.need_application()
    number = valid_question(turn, application, command.number)
    turn.edit = Edit(application=application.id, question=number, since=turn.at)
    answer = turn.store.answer(application.id, number)
    question = turn.rubric(application).question(number)
    current = answer.text if has_text(answer) else turn.texts.get(
        "edit_empty")
    return [Text(turn.texts.get("edit_show", number=number, question=question.text,
                                answer=current)),
            turn.about_member(Text(turn.texts.get("edit_prompt", number=number),
                                   choices=(turn.choice("append"), turn.choice("cancel"))),
                              mention=True)]


def cmd_append(turn: Turn, command: Command) -> list[Reply]:
    """Switch this member's edit to adding to the answer instead of replacing it."""
    edit = turn.edit
    if edit is None:
        return [Text(turn.texts.get("append_outside_edit"), choices=turn.answer_choices())]
    edit.mode = "append"
    turn.edit = edit
    return [Text(turn.texts.get("append_mode", number=edit.question),
                 choices=(turn.choice("next"), turn.choice("cancel")))]


def edit_text(turn: Turn, edit: Edit, application: ApplicationRecord,
              text: str) -> list[Reply]:
    """Write the member's message into the answer being edited."""
    text = text.strip()
    write, key = turn.store.append_part, "edit_appended"
    if edit.mode == "replace" and not edit.written:
        write, key = turn.store.replace_answer, "edit_replaced"
        limiting.check_replace(turn, application, edit.question, text)
    else:
        limiting.check_append(turn, application, edit.question, text)
    summary = write(application.id, edit.question, author=turn.event.user_id, text=text,
                    words=turn.coach.word_count(text), at=turn.at,
                    message_id=turn.event.message_id, quote_token=turn.event.quote_token)
    # After the first message, the following ones add to what was just written.
    turn.edit = Edit(application=edit.application, question=edit.question, mode="append",
                     written=True, since=edit.since)
    return [turn.about_member(Text(turn.texts.get(key, number=edit.question, parts=summary.parts),
                                   choices=(turn.choice("next"), turn.choice("cancel"))))]


def close_edit(turn: Turn, edit: Edit) -> None:
    """End this member's edit, remembering when it was open for messages delivered late."""
    turn.edit = None
    if edit.since is not None and edit.since <= turn.at:
        turn.edit_window = EditWindow(application=edit.application, question=edit.question,
                                      since=edit.since, until=turn.at)


def late_edit_text(turn: Turn, window: EditWindow, application: ApplicationRecord,
                   text: str) -> list[Reply]:
    """Add a message sent while this member's edit was open, delivered after it ended."""
    text = text.strip()
    limiting.check_append(turn, application, window.question, text)
    summary = turn.store.append_part(application.id, window.question, author=turn.event.user_id,
                                     text=text, words=turn.coach.word_count(text), at=turn.at,
                                     message_id=turn.event.message_id,
                                     quote_token=turn.event.quote_token)
    return [Text(turn.texts.get("late_edit_filed", number=window.question,
                                parts=summary.parts), choices=turn.answer_choices())]


def finish_edit(turn: Turn, edit: Edit) -> list[Reply]:
    """End the edit, say what the answer is missing, and show the question the chat is on."""
    close_edit(turn, edit)
    application = turn.store.application(edit.application)
    if application is None:
        return [Text(turn.texts.get("no_active_application"))]
    replies: list[Reply] = [Text(turn.texts.get("edit_done", number=edit.question))]
    findings, _ = findings_reply(turn, application, edit.question)
    if findings is not None:
        replies.append(findings)
    if turn.conversation.application_id == application.id and turn.state == ANSWERING:
        replies.append(ask(turn, application, application.current_question))
    return replies


def cmd_cancel(turn: Turn, command: Command) -> list[Reply]:
    """Leave an edit or a choice without changing anything."""
    edit = turn.edit
    if edit is not None:
        close_edit(turn, edit)
        key = "edit_cancelled_after_write" if edit.written else "edit_cancelled"
        return [Text(turn.texts.get(key, number=edit.question), choices=turn.answer_choices())]
    if turn.state in SETTING_UP:
        return setup.cancel_setup(turn)
    return [Text(turn.texts.get("nothing_to_cancel"), choices=turn.answer_choices())]
