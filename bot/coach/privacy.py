"""Deleting a member's data, after they confirm it, and telling a group what it changed.

In a group application the member created (they typed its title), the title, agency and
contact become a neutral placeholder (``messages.deleted_placeholder``): the group keeps
its application and the other members' answers. The store lists such applications in the
group's ``context[DELETION_NOTICE]``; the group is told in the reply to its next event (no
push message, so no LINE quota is spent and nothing is sent to a group that is silent).
"""

from __future__ import annotations

from .messages import Reply, Text
from .ports import DELETION_NOTICE, Conversation
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
    turn.store.delete_user_data(turn.require_member(),
                                placeholder=turn.texts.get("deleted_placeholder"))
    if turn.event.in_group:
        # The store forgot the member in every group, this one included; this group's
        # context is saved after the turn, so take the forgetting copy (what they took back
        # holds their text; the note says what the deletion replaced here).
        turn.conversation.context = turn.store.conversation().context
        return [Text(turn.texts.get("deleted_group"))]
    turn.conversation = Conversation(chat_id=turn.conversation.chat_id,
                                     chat_type=turn.conversation.chat_type, state=NEW,
                                     application_id=None)
    return [Text(turn.texts.get("deleted"))]


def with_deletion_notice(turn: Turn, replies: list[Reply]) -> list[Reply]:
    """Add, to a reply, the note that a deleted member's title and details were replaced."""
    context = turn.conversation.context
    noted = context.get(DELETION_NOTICE)
    if not replies or not noted:
        return replies
    del context[DELETION_NOTICE]
    owned = turn.store.applications()
    which = [f"{index} ({record.category})" for index, record in enumerate(owned, start=1)
             if isinstance(noted, list) and record.id in noted]
    if not which:
        return replies
    return [*replies, Text(turn.texts.get("details_deleted", applications=", ".join(which),
                                          placeholder=turn.texts.get("deleted_placeholder")))]
