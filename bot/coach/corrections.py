"""Corrections: a message edited or unsent in LINE, and a member's undo and redo.

Only what the officer meant goes into an answer. Each part remembers LINE's id of its
message, so:

- an edit in LINE (``message_edited``, groups only) gives the part its new text in place;
  edits may arrive out of order and the one made last wins (the store keeps its time);
- an unsend deletes the part from the answer and the database; when that empties a
  revision that replaced an earlier one, the earlier version is the answer again;
- "undo" takes back the last part this member sent into the open answer (or the one they
  are editing), and can be repeated; "redo" puts the last one taken back where it was,
  until this member stores another message. What was taken back waits in the member's
  ``undone`` table of the chat's context, which delete-my-data forgets with the member.

The bot says which question changed, and says nothing when the message was no part of
any answer (a command, or an edit older than the text it already has).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from . import limiting
from .messages import Reply, Text, clean_text
from .ports import ApplicationRecord, PartChange, PartRecord, PlacedPart
from .texts import Command
from .turn import Turn

#: The per-member table of the context that keeps the parts a member took back.
UNDONE = "undone"
#: How many parts taken back a member can still restore, newest last.
UNDONE_KEPT = 10
#: How many characters of a part its preview shows.
PREVIEW = 40


# LINE's corrections ---------------------------------------------------------------------

def on_message_edited(turn: Turn) -> list[Reply]:
    """Give the edited message's part its new text, and say which question changed."""
    message_id = turn.event.message_id
    text = clean_text(turn.event.text or "").strip()
    if not message_id or not text:
        return []
    refused = limiting.refuse_edit(turn, message_id, text)
    if refused is not None:
        return refused
    words = turn.coach.word_count(text)
    change = turn.store.edit_part(message_id, text=text, words=words, at=turn.at)
    if change is None:
        _edit_undone(turn, message_id, text, words)
        return []
    key = "part_edited" if change.current else "part_edited_earlier"
    note = Text(_note(turn, turn.texts.get(key, number=change.summary.question), change))
    return [turn.about_member(note, mention=True, quote=False)]


def on_unsend(turn: Turn) -> list[Reply]:
    """Delete the unsent message's part everywhere, and say which question lost it."""
    message_id = turn.event.message_id
    if not message_id:
        return []
    _forget_undone_message(turn, message_id)
    change = turn.store.remove_part(message_id)
    if change is None:
        return []
    key = "part_unsent" if change.current else "part_unsent_earlier"
    note = Text(_note(turn, turn.texts.get(key, number=change.summary.question), change))
    return [turn.about_member(note, mention=True, quote=False)]


# Undo and redo --------------------------------------------------------------------------

def cmd_undo(turn: Turn, command: Command) -> list[Reply]:
    """Take back the last part this member sent into the open (or edited) answer."""
    member = turn.require_member()
    application, number = _target(turn)
    change = turn.store.take_back_part(application.id, number, author=member)
    if change is None:
        return [Text(turn.texts.get("undo_nothing", number=number),
                     choices=turn.answer_choices())]
    undone = _undone(turn)
    undone.append(_dump(change.placed, turn.at))
    _set_undone(turn, undone[-UNDONE_KEPT:])
    said = turn.texts.get("undo_done", number=number, preview=preview(change.placed.part.text))
    text = "\n".join((_note(turn, said, change), turn.texts.get("undo_hint")))
    return [Text(text, choices=(turn.choice("redo"), turn.choice("undo"),
                                *turn.answer_choices()))]


def cmd_redo(turn: Turn, command: Command) -> list[Reply]:
    """Put back the last part this member took back, unless they wrote something since."""
    turn.require_member()
    undone = _undone(turn)
    entry = _load(undone[-1], turn.user) if undone else None
    if entry is None or _wrote_since(turn, *entry):
        _set_undone(turn, [])
        return [Text(turn.texts.get("redo_nothing"), choices=turn.answer_choices())]
    _set_undone(turn, undone[:-1])
    placed, _ = entry
    change = turn.store.restore_part(placed)
    if change is None:
        return [Text(turn.texts.get("redo_nothing"), choices=turn.answer_choices())]
    said = turn.texts.get("redo_done", number=placed.question, preview=preview(placed.part.text))
    return [Text(_note(turn, said, change),
                 choices=(turn.choice("undo"), *turn.answer_choices()))]


def forget_undone(turn: Turn) -> None:
    """Forget what this member took back: they stored a new message, so redo no longer fits."""
    if turn.known_member:
        _set_undone(turn, [])


# Helpers --------------------------------------------------------------------------------

def preview(text: str) -> str:
    """Return the start of a part's text, on one line, cut with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= PREVIEW else line[:PREVIEW - 1].rstrip() + "…"


def _note(turn: Turn, said: str, change: PartChange) -> str:
    """Add what the answer amounts to now to what was done."""
    summary = change.summary
    if not change.current:
        key = "after_unchanged"
    elif change.revision < change.placed.revision:
        key = "after_earlier"
    elif summary.parts == 0:
        key = "after_empty"
    else:
        key = "after_parts"
    after = turn.texts.get(key, number=summary.question, parts=summary.parts,
                           words=summary.words)
    return f"{said}\n{after}"


def _target(turn: Turn) -> tuple[ApplicationRecord, int]:
    """Return the answer undo works on: the one this member edits, else the open question."""
    edit = turn.edit
    if edit is not None:
        application = turn.store.application(edit.application)
        if application is not None:
            return application, edit.question
    application = turn.need_application()
    return application, application.current_question


def _wrote_since(turn: Turn, placed: PlacedPart, undone_at: datetime) -> bool:
    """Tell whether this member has a part in the application sent after the undo."""
    answers = turn.store.answers(placed.application_id)
    return any(part.author_id == turn.user and part.sent_at > undone_at
               for answer in answers.values() for part in answer.parts)


def _undone(turn: Turn) -> list[Any]:
    """Return this member's parts taken back, newest last."""
    entry = turn.member_entry(UNDONE)
    parts = entry.get("parts") if isinstance(entry, dict) else None
    return list(parts) if isinstance(parts, list) else []


def _set_undone(turn: Turn, parts: list[Any]) -> None:
    """Keep this member's parts taken back (none: forget the member's entry)."""
    members = dict(turn.conversation.context.get(UNDONE) or {})
    if parts:
        members[turn.user] = {"parts": parts}
    else:
        members.pop(turn.user, None)
    if members or UNDONE in turn.conversation.context:
        turn.conversation.context[UNDONE] = members


def _dump(placed: PlacedPart, undone_at: datetime) -> dict[str, Any]:
    """Return a part taken back as the context keeps it (JSON data)."""
    return {"application": placed.application_id, "question": placed.question,
            "revision": placed.revision, "text": placed.part.text, "words": placed.words,
            "sent_at": placed.part.sent_at.isoformat(), "message_id": placed.part.message_id,
            "quote_token": placed.part.quote_token, "undone_at": undone_at.isoformat()}


def _load(stored: Any, author: str) -> tuple[PlacedPart, datetime] | None:
    """Read a part taken back; a malformed one counts as nothing to restore."""
    try:
        part = PartRecord(author_id=author, text=str(stored["text"]),
                          sent_at=datetime.fromisoformat(stored["sent_at"]),
                          message_id=stored.get("message_id"),
                          quote_token=stored.get("quote_token"))
        placed = PlacedPart(application_id=int(stored["application"]),
                            question=int(stored["question"]),
                            revision=int(stored["revision"]), part=part,
                            words=int(stored["words"]))
        return placed, datetime.fromisoformat(stored["undone_at"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _members_undone(turn: Turn) -> dict[str, Any]:
    """Return every member's table of parts taken back (a copy)."""
    members = turn.conversation.context.get(UNDONE)
    return dict(members) if isinstance(members, dict) else {}


def _forget_undone_message(turn: Turn, message_id: str) -> None:
    """Drop an unsent message from every member's parts taken back: redo must not revive it."""
    members = _members_undone(turn)
    for member, entry in list(members.items()):
        parts = [p for p in _stored_parts(entry) if p.get("message_id") != message_id]
        if parts:
            members[member] = {"parts": parts}
        else:
            members.pop(member)
    if UNDONE in turn.conversation.context:
        turn.conversation.context[UNDONE] = members


def _stored_parts(entry: Any) -> list[dict[str, Any]]:
    """Return the well-formed parts of one member's stored entry."""
    parts = entry.get("parts") if isinstance(entry, dict) else None
    return [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []


def _edit_undone(turn: Turn, message_id: str, text: str, words: int) -> None:
    """Give an edited message that was taken back its new text, so redo restores that."""
    members = _members_undone(turn)
    edited = turn.at.astimezone(UTC).isoformat()
    for entry in members.values():
        for part in _stored_parts(entry):
            # The latest edit wins here too; ISO times in UTC compare as text.
            if part.get("message_id") == message_id and str(part.get("edited_at", "")) < edited:
                part.update(text=text, words=words, edited_at=edited)
    if members:
        turn.conversation.context[UNDONE] = members
