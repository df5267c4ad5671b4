"""Deleting a member's data, after they confirm it."""

from __future__ import annotations

from .messages import Reply, Text
from .ports import MEMBER_TABLES, Conversation
from .texts import Command
from .turn import NEW, DeleteConfirmation, Turn


def cmd_delete(turn: Turn, command: Command) -> list[Reply]:
    """Ask this member to confirm deleting all of their data (only a member LINE names)."""
    turn.require_member()
    turn.delete_confirmation = DeleteConfirmation()
    key = "delete_confirm_group" if turn.event.in_group else "delete_confirm"
    return [Text(turn.texts.get(key), choices=(turn.choice("confirm"), turn.choice("cancel")))]


def cmd_confirm(turn: Turn, command: Command) -> list[Reply]:
    """Answer a confirmation that confirms nothing."""
    return [Text(turn.texts.get("nothing_to_confirm"), choices=turn.answer_choices())]


def delete_user_data(turn: Turn) -> list[Reply]:
    """Delete everything of this member: their chat, and their parts in every group."""
    turn.store.delete_user_data(turn.require_member())
    if turn.event.in_group:
        # The store forgot the member in every group; this group's context is saved after
        # the turn, so forget them in the copy too (what they took back holds their text).
        for table in MEMBER_TABLES:
            members = turn.conversation.context.get(table)
            if isinstance(members, dict):
                members.pop(turn.user, None)
        return [Text(turn.texts.get("deleted_group"))]
    turn.conversation = Conversation(chat_id=turn.conversation.chat_id,
                                     chat_type=turn.conversation.chat_type, state=NEW,
                                     application_id=None)
    return [Text(turn.texts.get("deleted"))]
